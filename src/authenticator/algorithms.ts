// The credential algorithms Latchkey offers and their COSE ids (docs/architecture.md#algorithms).

import type { SignatureAlgorithm } from '../crypto/key-types';
import { isAlgorithmAvailable } from '../crypto/signature';
import { COSE_ALG } from './types';

const BY_COSE = new Map<number, SignatureAlgorithm>([
  [COSE_ALG.ES256, 'ES256'],
  [COSE_ALG.EdDSA, 'EdDSA'],
  [COSE_ALG.RS256, 'RS256'],
]);

export function signatureAlgorithmFromCose(alg: number): SignatureAlgorithm | undefined {
  return BY_COSE.get(alg);
}

export function coseAlgorithmOf(algorithm: SignatureAlgorithm): number {
  return COSE_ALG[algorithm];
}

/**
 * L3 §6.3.2 step 2 and step 7: the first algorithm in the RP's order of preference that this
 * authenticator supports (RS256 only where WebCrypto can generate the key), or undefined.
 */
export async function chooseAlgorithm(requested: readonly number[]): Promise<SignatureAlgorithm | undefined> {
  for (const alg of requested) {
    const algorithm = signatureAlgorithmFromCose(alg);
    if (algorithm && (await isAlgorithmAvailable(algorithm))) return algorithm;
  }
  return undefined;
}
