// Authenticator data (L3 §6.1): rpIdHash (32) | flags (1) | signCount (4, big-endian)
// | attestedCredentialData (L3 §6.5.2, only with AT) | extensions (never: no ED flag).

import { concatBytes } from '../crypto/bytes';
import { sha256Utf8 } from '../crypto/hash';

/** L3 §6.1 flag bits. */
export const FLAG = {
  /** User Present */
  UP: 0x01,
  /** User Verified */
  UV: 0x04,
  /** Backup Eligible */
  BE: 0x08,
  /** Backup State */
  BS: 0x10,
  /** Attested credential data included */
  AT: 0x40,
  /** Extension data included */
  ED: 0x80,
} as const;

export interface AttestedCredentialData {
  aaguid: Uint8Array;
  credentialId: Uint8Array;
  /** COSE_Key, CTAP2 canonical CBOR */
  credentialPublicKey: Uint8Array;
}

export interface AuthenticatorDataInput {
  rpId: string;
  /** UP: the user clicked in the prompt during this ceremony. */
  userPresent: boolean;
  /** UV: the user typed the PIN in this ceremony (docs/architecture.md#user-verification). */
  userVerified: boolean;
  /** BS: the credential has been exported or synced. BE is always set: passkeys are exportable. */
  backupState: boolean;
  /** The signature counter; 0 unless the credential keeps one (an imported passkey that counted). */
  signCount?: number;
  /** present on registration only; sets AT */
  attestedCredentialData?: AttestedCredentialData;
}

/** docs/architecture.md#flags: the sign counter is always 0, as synced providers do. */
const SIGN_COUNT = 0;

export function buildAuthenticatorData(input: AuthenticatorDataInput): Uint8Array {
  let flags = FLAG.BE;
  if (input.userPresent) flags |= FLAG.UP;
  if (input.userVerified) flags |= FLAG.UV;
  if (input.backupState) flags |= FLAG.BS;
  if (input.attestedCredentialData) flags |= FLAG.AT;

  const header = new Uint8Array(37);
  header.set(sha256Utf8(input.rpId), 0);
  header[32] = flags;
  new DataView(header.buffer).setUint32(33, input.signCount ?? SIGN_COUNT, false);

  const attested = input.attestedCredentialData;
  if (!attested) return header;
  if (attested.aaguid.length !== 16) throw new RangeError('aaguid must be 16 bytes');
  if (attested.credentialId.length > 1023) throw new RangeError('credentialId longer than 1023 bytes'); // L3 §6.5.2
  const idLength = new Uint8Array(2);
  new DataView(idLength.buffer).setUint16(0, attested.credentialId.length, false);
  return concatBytes(header, attested.aaguid, idLength, attested.credentialId, attested.credentialPublicKey);
}
