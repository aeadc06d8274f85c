import { describe, expect, it } from 'vitest';
import { fromBase64url, isBase64url, toBase64url } from '../../../src/protocol/base64url';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('base64url', () => {
  // RFC 4648 §10 test vectors, in the URL-safe alphabet without padding.
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ])('encodes %j as %j and back (RFC 4648 vectors)', (plain, encoded) => {
    expect(toBase64url(utf8(plain))).toBe(encoded);
    expect(fromBase64url(encoded)).toEqual(utf8(plain));
  });

  it('uses - and _ where base64 has + and /', () => {
    expect(toBase64url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
    expect(fromBase64url('-_-_')).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]));
  });

  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64url(toBase64url(all))).toEqual(all);
  });

  it('accepts trailing padding as L3 parse*FromJSON does', () => {
    expect(fromBase64url('Zg==')).toEqual(utf8('f'));
    expect(fromBase64url('Zm8=')).toEqual(utf8('fo'));
  });

  it.each(['Zm9v+', 'Zm9v/', 'Z', 'Zm=9v', 'Zm9v===', 'Zm 9v', 'Zm9vé'])('rejects %j', (text) => {
    expect(fromBase64url(text)).toBeUndefined();
    expect(isBase64url(text)).toBe(false);
  });
});
