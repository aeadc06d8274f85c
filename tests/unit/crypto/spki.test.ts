import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derUnsignedInteger } from '../../../src/crypto/der';
import { generateKeyPair } from '../../../src/crypto/signature';
import { encodeSpki, rsaPublicKeyFromSpki } from '../../../src/crypto/spki';
import { buf, hex, toHex } from './hex';

describe('SubjectPublicKeyInfo', () => {
  it('encodes a P-256 key with the RFC 5480 prefix, as WebCrypto exports it', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    if (publicKey.algorithm !== 'ES256') throw new Error('wrong key type');
    const spki = encodeSpki(publicKey);
    expect(toHex(spki.subarray(0, 27))).toBe('3059301306072a8648ce3d020106082a8648ce3d030107034200' + '04');
    expect(spki).toHaveLength(91);
    const key = await crypto.subtle.importKey('spki', buf(spki), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
    expect(new Uint8Array(await crypto.subtle.exportKey('spki', key))).toEqual(spki);
  });

  it('encodes an Ed25519 key as RFC 8410 §10.1 does', () => {
    const x = hex('19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1');
    expect(toHex(encodeSpki({ algorithm: 'EdDSA', x }))).toBe(
      '302a300506032b6570032100' + '19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1',
    );
  });

  it('encodes an RSA key exactly as WebCrypto exports it, and reads it back', async () => {
    const pair = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    );
    const exported = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
    const { n, e } = rsaPublicKeyFromSpki(exported);
    expect(n).toHaveLength(256);
    expect(encodeSpki({ algorithm: 'RS256', n, e })).toEqual(exported);
    const nodeKey = createPublicKey({ key: Buffer.from(exported), format: 'der', type: 'spki' });
    expect(nodeKey.export({ format: 'jwk' }).n).toBe(Buffer.from(n).toString('base64url'));
  });

  it('refuses to read a non-RSA key as RSA', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    expect(() => rsaPublicKeyFromSpki(encodeSpki(publicKey))).toThrow(/rsaEncryption/);
  });

  it('writes minimal unsigned DER INTEGERs', () => {
    expect(toHex(derUnsignedInteger(Uint8Array.of(0x01, 0x00, 0x01)))).toBe('0203010001');
    expect(toHex(derUnsignedInteger(Uint8Array.of(0x00, 0x00, 0x7f)))).toBe('02017f');
    expect(toHex(derUnsignedInteger(Uint8Array.of(0x80)))).toBe('02020080');
    expect(toHex(derUnsignedInteger(Uint8Array.of(0x00)))).toBe('020100');
  });
});
