import { describe, expect, it, vi } from 'vitest';
import * as signature from '../../../src/crypto/signature';
import type { KeyPair, SignatureAlgorithm } from '../../../src/crypto/key-types';

// The warm-up's key generation, observed: which curves, how often, and the secrets it made.
const generated: { algorithm: SignatureAlgorithm; pair: KeyPair }[] = [];
vi.mock('../../../src/crypto/signature', async (importActual) => {
  const actual = await importActual<typeof signature>();
  return {
    ...actual,
    generateKeyPair: async (algorithm: SignatureAlgorithm) => {
      const pair = await actual.generateKeyPair(algorithm);
      generated.push({ algorithm, pair });
      return pair;
    },
  };
});

describe('warmUpSigning', () => {
  it('runs once (one throwaway key pair per curve, none on the second call), wipes its secrets, returns nothing, and signing still works afterwards', async () => {
    const { warmUpSigning } = await import('../../../src/authenticator/warm-up');
    await expect(warmUpSigning()).resolves.toBeUndefined();
    expect(generated.map((g) => g.algorithm)).toEqual(['ES256', 'EdDSA']);
    for (const { pair } of generated) {
      expect(pair.privateKey.length).toBeGreaterThan(0);
      expect(pair.privateKey.every((b) => b === 0)).toBe(true);
    }
    await expect(warmUpSigning()).resolves.toBeUndefined();
    await Promise.all([warmUpSigning(), warmUpSigning()]);
    expect(generated).toHaveLength(2); // the later calls are no-ops
    generated.length = 0;
    for (const algorithm of ['ES256', 'EdDSA'] as const) {
      const { privateKey, publicKey } = await signature.generateKeyPair(algorithm);
      const message = new TextEncoder().encode('after the warm-up');
      const sig = await signature.sign(algorithm, privateKey, message);
      expect(await signature.verify(publicKey, message, sig)).toBe(true);
    }
  });
});
