// Inputs and outputs of the authenticator operations (L3 §6.3.2 authenticatorMakeCredential,
// §6.3.3 authenticatorGetAssertion), in CTAP2 terms but without a transport.

import type { RelyingPartySummary } from './ports';
import type { PrfOutputs, PrfSalts } from './prf';

export type { PrfOutputs, PrfSalts } from './prf';

export const COSE_ALG = { ES256: -7, EdDSA: -8, RS256: -257 } as const;

/** Internal failures, named after the CTAP2 status they stand for. src/client maps them to DOMException names. */
export type AuthenticatorErrorCode =
  /** CTAP2_ERR_CREDENTIAL_EXCLUDED -> InvalidStateError */
  | 'CredentialExcluded'
  /** CTAP2_ERR_UNSUPPORTED_ALGORITHM -> NotSupportedError */
  | 'UnsupportedAlgorithm'
  /** CTAP2_ERR_OPERATION_DENIED: the user cancelled -> NotAllowedError */
  | 'OperationDenied'
  /** CTAP2_ERR_NO_CREDENTIALS: nothing to sign with, found before any UI -> the client falls back */
  | 'NoCredentials'
  /** CTAP2_ERR_UNSUPPORTED_OPTION: e.g. UV required but this authenticator cannot verify -> the client falls back */
  | 'UnsupportedOption'
  /** CTAP2_ERR_INVALID_CREDENTIAL: the chosen credential is gone or its key does not unwrap -> NotAllowedError, after the UI (no fallback) */
  | 'InvalidCredential'
  /** anything else (storage, crypto) -> UnknownError */
  | 'Other';

export type AuthenticatorOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'error'; code: AuthenticatorErrorCode; message: string }
  /** The user chose another device in the prompt: the client hands the ceremony to the browser. */
  | { kind: 'fallback'; hint: 'hybrid' | 'security-key' };

export interface MakeCredentialParams {
  /** SHA-256 of clientDataJSON */
  clientDataHash: Uint8Array;
  rp: RelyingPartySummary;
  user: { id: Uint8Array; name: string; displayName: string };
  /** COSE algorithm ids in the RP's order of preference; the first supported wins. */
  algorithms: number[];
  excludeCredentialIds: Uint8Array[];
  requireResidentKey: boolean;
  requireUserVerification: boolean;
  /** `packed` self attestation when the RP asked for direct/enterprise; otherwise none. */
  attestationFormat: 'none' | 'packed';
  /** prf's eval at create (L3 §10.1.4), hashed: evaluated with the new credential's secrets. */
  prf?: { eval?: PrfSalts };
}

export interface MakeCredentialResult {
  credentialId: Uint8Array;
  authenticatorData: Uint8Array;
  /** CBOR {fmt, attStmt, authData} */
  attestationObject: Uint8Array;
  /** SubjectPublicKeyInfo DER of the new credential public key */
  publicKeySpki: Uint8Array;
  alg: number;
  /** true: every Latchkey credential is discoverable (credProps.rk tells the truth) */
  residentKey: boolean;
  transports: string[];
  /** Unsigned extension outputs: never in authenticatorData. Every new credential has PRF secrets. */
  prf?: { enabled: true; results?: PrfOutputs };
}

export interface GetAssertionParams {
  rpId: string;
  clientDataHash: Uint8Array;
  /** Empty: discoverable sign-in. */
  allowCredentialIds: Uint8Array[];
  requireUserVerification: boolean;
  /**
   * Conditional mediation: the UI (the autofill) is asked even with no credential to offer, so
   * nothing is answered before the user acts (L3 §14.5.2).
   */
  conditional?: boolean;
  /**
   * prf (L3 §10.1.4), hashed: the salts for the credential asserted with are
   * `evalByCredential[base64url(id)]`, else `eval`.
   */
  prf?: { eval?: PrfSalts; evalByCredential?: Record<string, PrfSalts> };
  /** largeBlob (L3 §10.1.5): read the credential's blob, or replace it. */
  largeBlob?: { read: true } | { write: Uint8Array };
}

export interface GetAssertionResult {
  credentialId: Uint8Array;
  authenticatorData: Uint8Array;
  signature: Uint8Array;
  userHandle: Uint8Array;
  /** Unsigned extension outputs: never in authenticatorData. Absent for a credential without PRF secrets. */
  prf?: PrfOutputs;
  largeBlob?: { blob?: Uint8Array } | { written: boolean };
}

/** The largest largeBlob Latchkey keeps per credential, in bytes; a larger write reports written: false. */
export const LARGE_BLOB_MAX_BYTES = 2048;
