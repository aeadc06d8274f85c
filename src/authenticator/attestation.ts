// Attestation objects (L3 §6.5.5): CBOR { fmt, attStmt, authData }, with the statement
// formats Latchkey makes (docs/architecture.md#attestation): `none` (L3 §8.7) and `packed`
// self attestation (L3 §8.2, "If self attestation is in use").

import { concatBytes } from '../crypto/bytes';
import { encodeCbor, type CborMap, type CborKey, type CborValue } from './cbor';

export type AttestationFormat = 'none' | 'packed';

export interface AttestationSigner {
  /** COSE algorithm id of the credential key */
  alg: number;
  /** Signs the whole message with the credential private key (the algorithm hashes it). */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** L3 §8.2 signing procedure, self attestation: sig over authenticatorData || clientDataHash; alg; no x5c. */
async function packedSelfStatement(authData: Uint8Array, clientDataHash: Uint8Array, signer: AttestationSigner): Promise<CborMap> {
  const sig = await signer.sign(concatBytes(authData, clientDataHash));
  return new Map<CborKey, CborValue>([
    ['alg', signer.alg],
    ['sig', sig],
  ]);
}

export async function buildAttestationObject(
  format: AttestationFormat,
  authData: Uint8Array,
  clientDataHash: Uint8Array,
  signer: AttestationSigner,
): Promise<Uint8Array> {
  // L3 §8.7: the none format's attStmt is the empty map.
  const attStmt = format === 'packed' ? await packedSelfStatement(authData, clientDataHash, signer) : new Map<CborKey, CborValue>();
  return encodeCbor(
    new Map<CborKey, CborValue>([
      ['fmt', format],
      ['attStmt', attStmt],
      ['authData', authData],
    ]),
  );
}
