import { createPublicKey } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { ed25519PublicKey, ed25519Sign } from '../../../src/crypto/ed25519';
import { es256PublicKey } from '../../../src/crypto/es256';
import { sha256 } from '../../../src/crypto/hash';
import { generateKeyPair, isAlgorithmAvailable, sign, verify } from '../../../src/crypto/signature';
import { encodeSpki } from '../../../src/crypto/spki';
import { buf, hex, toHex } from './hex';

const message = new TextEncoder().encode('authenticatorData || clientDataHash');
const P256_ORDER = p256.Point.Fn.ORDER;

describe('ES256', () => {
  it('makes DER signatures that noble verifies over the message, hashed once', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    if (publicKey.algorithm !== 'ES256') throw new Error('wrong key type');
    const signature = await sign('ES256', privateKey, message);
    expect(signature[0]).toBe(0x30); // DER SEQUENCE, not 64 raw bytes
    const point = Uint8Array.of(0x04, ...publicKey.x, ...publicKey.y);
    expect(p256.verify(signature, message, point, { format: 'der' })).toBe(true);
    // Signing the hash again would only verify over sha256(message) with prehash off.
    expect(p256.verify(signature, sha256(message), point, { format: 'der', prehash: false })).toBe(true);
    expect(p256.verify(signature, sha256(sha256(message)), point, { format: 'der', prehash: false })).toBe(false);
  });

  it('makes signatures that WebCrypto ECDSA P-256/SHA-256 verifies (after DER -> r||s)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const signature = await sign('ES256', privateKey, message);
    const rs = p256.Signature.fromBytes(signature, 'der').toBytes('compact');
    const key = await crypto.subtle.importKey('spki', buf(encodeSpki(publicKey)), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const params = { name: 'ECDSA', hash: 'SHA-256' };
    expect(await crypto.subtle.verify(params, key, buf(rs), buf(message))).toBe(true);
    expect(await crypto.subtle.verify(params, key, buf(rs), buf(message.subarray(1)))).toBe(false);
  });

  it('produces low-S signatures', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    for (let i = 0; i < 20; i++) {
      const parsed = p256.Signature.fromBytes(await sign('ES256', privateKey, Uint8Array.of(i)), 'der');
      expect(parsed.s <= P256_ORDER / 2n).toBe(true);
    }
  });

  it('derives the RFC 6979 A.2.5 public key from its private key', () => {
    const d = hex('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721'); // RFC 6979 A.2.5
    const { x, y } = es256PublicKey(d);
    expect(toHex(x)).toBe('60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6');
    expect(toHex(y)).toBe('7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299');
  });

  it('rejects a signature made by another key', async () => {
    const a = await generateKeyPair('ES256');
    const b = await generateKeyPair('ES256');
    expect(await verify(b.publicKey, message, await sign('ES256', a.privateKey, message))).toBe(false);
    expect(await verify(a.publicKey, message, await sign('ES256', a.privateKey, message))).toBe(true);
  });
});

describe('EdDSA (Ed25519)', () => {
  it('matches RFC 8032 §7.1 TEST 1 byte for byte', () => {
    const seed = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    expect(toHex(ed25519PublicKey(seed))).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(toHex(ed25519Sign(seed, new Uint8Array()))).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
  });

  it('makes signatures that noble and WebCrypto Ed25519 both verify', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA');
    if (publicKey.algorithm !== 'EdDSA') throw new Error('wrong key type');
    const signature = await sign('EdDSA', privateKey, message);
    expect(signature).toHaveLength(64);
    expect(ed25519.verify(signature, message, publicKey.x)).toBe(true);
    const key = await crypto.subtle.importKey('spki', buf(encodeSpki(publicKey)), { name: 'Ed25519' }, false, ['verify']);
    expect(await crypto.subtle.verify({ name: 'Ed25519' }, key, buf(signature), buf(message))).toBe(true);
    expect(await crypto.subtle.verify({ name: 'Ed25519' }, key, buf(signature), buf(Uint8Array.of(1)))).toBe(false);
  });
});

describe('RS256', () => {
  it('is available where WebCrypto can generate RSA keys (Node can)', async () => {
    expect(await isAlgorithmAvailable('RS256')).toBe(true);
  });

  it('keeps the private key as PKCS#8 and signs so that WebCrypto and Node verify', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    if (publicKey.algorithm !== 'RS256') throw new Error('wrong key type');
    expect(privateKey[0]).toBe(0x30);
    expect(publicKey.n).toHaveLength(256);
    expect(toHex(publicKey.e)).toBe('010001');
    const signature = await sign('RS256', privateKey, message);
    expect(signature).toHaveLength(256);
    expect(await verify(publicKey, message, signature)).toBe(true);
    expect(await verify(publicKey, Uint8Array.of(0), signature)).toBe(false);
    const nodeKey = createPublicKey({ key: Buffer.from(encodeSpki(publicKey)), format: 'der', type: 'spki' });
    expect(nodeKey.asymmetricKeyType).toBe('rsa');
    expect(nodeKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });
});
