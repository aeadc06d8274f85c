import { describe, expect, it } from 'vitest';
import { warmUpSigning } from '../../../src/authenticator/warm-up';
import { generateKeyPair, sign, verify } from '../../../src/crypto/signature';

describe('warmUpSigning', () => {
  it('runs once, returns nothing, and signing still works afterwards', async () => {
    await expect(warmUpSigning()).resolves.toBeUndefined();
    await expect(warmUpSigning()).resolves.toBeUndefined(); // the second call is a no-op
    for (const algorithm of ['ES256', 'EdDSA'] as const) {
      const { privateKey, publicKey } = await generateKeyPair(algorithm);
      const message = new TextEncoder().encode('after the warm-up');
      const signature = await sign(algorithm, privateKey, message);
      expect(await verify(publicKey, message, signature)).toBe(true);
    }
  });
});
