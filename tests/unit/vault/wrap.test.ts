import { describe, expect, it } from 'vitest';
import { VaultError } from '../../../src/vault/errors';
import {
  generateDeviceKey,
  generateWrappedVaultKey,
  privateKeyAad,
  unwrapPrivateKey,
  unwrapVaultKey,
  wrapPrivateKey,
} from '../../../src/vault/wrap';
import { bytes, randomBytes } from './fixtures';

describe('key wrapping', () => {
  it('builds the AAD as a 2-byte big-endian id length, the id, then the rpId in UTF-8', () => {
    expect(privateKeyAad(bytes(0xaa, 0xbb, 0xcc), 'ex.io')).toEqual(bytes(0, 3, 0xaa, 0xbb, 0xcc, 0x65, 0x78, 0x2e, 0x69, 0x6f));
    expect(privateKeyAad(new Uint8Array(300), 'a').subarray(0, 2)).toEqual(bytes(1, 44));
    expect(privateKeyAad(new Uint8Array(0), 'bücher.de').subarray(2)).toEqual(new TextEncoder().encode('bücher.de'));
  });

  it('keeps the id and rpId apart: shifting a byte between them changes the AAD', () => {
    expect(privateKeyAad(bytes(0x61), 'b')).not.toEqual(privateKeyAad(new Uint8Array(0), 'ab'));
  });

  it('round-trips a private key under a vault key unwrapped from the device key', async () => {
    const deviceKey = await generateDeviceKey();
    const dek = await unwrapVaultKey(deviceKey, await generateWrappedVaultKey(deviceKey));
    const id = randomBytes(16);
    const key = randomBytes(32);
    const wrapped = await wrapPrivateKey(dek, id, 'example.com', key);

    expect(wrapped.iv).toHaveLength(12);
    expect(wrapped.ciphertext).toHaveLength(32 + 16);
    expect(await unwrapPrivateKey(dek, id, 'example.com', wrapped)).toEqual(key);
    expect(dek.extractable).toBe(false);
    expect(deviceKey.extractable).toBe(false);
  });

  it('uses a fresh IV for every wrap', async () => {
    const dek = await generateDeviceKey();
    const id = randomBytes(16);
    const key = randomBytes(32);
    const a = await wrapPrivateKey(dek, id, 'example.com', key);
    const b = await wrapPrivateKey(dek, id, 'example.com', key);
    expect(a.iv).not.toEqual(b.iv);
    expect(a.ciphertext).not.toEqual(b.ciphertext);
  });

  it('fails with unwrap-failed under another id, rpId, key or a flipped ciphertext bit', async () => {
    const dek = await generateDeviceKey();
    const id = randomBytes(16);
    const wrapped = await wrapPrivateKey(dek, id, 'example.com', randomBytes(32));
    const flipped = { ...wrapped, ciphertext: Uint8Array.from(wrapped.ciphertext) };
    flipped.ciphertext[0]! ^= 1;

    const otherKey = await generateDeviceKey();
    const attempts = [
      () => unwrapPrivateKey(dek, randomBytes(16), 'example.com', wrapped),
      () => unwrapPrivateKey(dek, id, 'example.org', wrapped),
      () => unwrapPrivateKey(otherKey, id, 'example.com', wrapped),
      () => unwrapPrivateKey(dek, id, 'example.com', flipped),
      () => unwrapVaultKey(dek, wrapped),
    ];
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toSatisfy((e: unknown) => e instanceof VaultError && e.code === 'unwrap-failed');
    }
  });
});
