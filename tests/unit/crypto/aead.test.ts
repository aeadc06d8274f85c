import { describe, expect, it } from 'vitest';
import { aesGcmDecrypt, aesGcmEncrypt, importAesGcmKey } from '../../../src/crypto/aead';
import { randomBytes } from '../../../src/crypto/random';
import { hex } from './hex';

const aad = new TextEncoder().encode('\x10credential-id-16example.com');

describe('AES-256-GCM', () => {
  it('decrypts the GCM specification test case 16 (256-bit key, with AAD) byte for byte', async () => {
    // McGrew & Viega, "The Galois/Counter Mode of Operation", Appendix B, Test Case 16.
    const key = hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308');
    const plaintext = hex(
      'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    );
    const vectorAad = hex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
    const iv = hex('cafebabefacedbaddecaf888');
    const ciphertext = hex(
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662' +
        '76fc6ece0f4e1768cddf8853bb2d551b',
    );
    expect(await aesGcmDecrypt(key, { iv, ciphertext }, vectorAad)).toEqual(plaintext);
  });

  it('round-trips with a raw key and with a CryptoKey', async () => {
    const raw = randomBytes(32);
    const plaintext = randomBytes(32);
    const sealed = await aesGcmEncrypt(raw, plaintext, aad);
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.ciphertext).toHaveLength(32 + 16);
    expect(await aesGcmDecrypt(raw, sealed, aad)).toEqual(plaintext);
    const cryptoKey = await importAesGcmKey(raw);
    expect(cryptoKey.extractable).toBe(false);
    expect(await aesGcmDecrypt(cryptoKey, await aesGcmEncrypt(cryptoKey, plaintext, aad), aad)).toEqual(plaintext);
  });

  it('uses a fresh IV for every encryption', async () => {
    const raw = randomBytes(32);
    const a = await aesGcmEncrypt(raw, new Uint8Array(8), aad);
    const b = await aesGcmEncrypt(raw, new Uint8Array(8), aad);
    expect(a.iv).not.toEqual(b.iv);
    expect(a.ciphertext).not.toEqual(b.ciphertext);
  });

  it('rejects a different AAD, a different key, and an altered ciphertext', async () => {
    const raw = randomBytes(32);
    const sealed = await aesGcmEncrypt(raw, randomBytes(32), aad);
    await expect(aesGcmDecrypt(raw, sealed, new TextEncoder().encode('other'))).rejects.toThrow(/authentication failed/);
    await expect(aesGcmDecrypt(randomBytes(32), sealed, aad)).rejects.toThrow(/authentication failed/);
    const altered = sealed.ciphertext.slice();
    altered[0]! ^= 1;
    await expect(aesGcmDecrypt(raw, { iv: sealed.iv, ciphertext: altered }, aad)).rejects.toThrow(/authentication failed/);
  });

  it('refuses keys that are not 256-bit', async () => {
    await expect(aesGcmEncrypt(randomBytes(16), new Uint8Array(1), aad)).rejects.toThrow(RangeError);
  });

  it('leaves the caller\'s plaintext untouched', async () => {
    const plaintext = Uint8Array.of(1, 2, 3);
    await aesGcmEncrypt(randomBytes(32), plaintext, aad);
    expect(plaintext).toEqual(Uint8Array.of(1, 2, 3));
  });
});
