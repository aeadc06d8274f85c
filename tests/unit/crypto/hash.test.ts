import { describe, expect, it } from 'vitest';
import { sha256, sha256Utf8 } from '../../../src/crypto/hash';
import { toHex } from './hex';

describe('sha256', () => {
  it('matches the FIPS 180-2 vectors for "" and "abc"', () => {
    expect(toHex(sha256(new Uint8Array()))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('hashes the UTF-8 bytes of a string', () => {
    expect(sha256Utf8('example.com')).toEqual(sha256(new TextEncoder().encode('example.com')));
    expect(sha256Utf8('bücher.example')).toEqual(sha256(Uint8Array.from(Buffer.from('bücher.example', 'utf8'))));
  });
});
