// CredentialRecord (the port's shape) <-> CredentialRow (what IndexedDB holds).

import type { CredentialRecord } from '../authenticator/ports';
import { fromBase64url, toBase64url } from '../protocol/base64url';
import { VaultError } from './errors';
import { described, type CredentialRow } from './row';
import { wrapSecret, type WrappedKey } from './wrap';
import type { CredentialSecrets } from '../authenticator/ports';

export interface WrappedSecrets {
  prf?: { withUV: WrappedKey; withoutUV: WrappedKey };
  largeBlob?: WrappedKey;
}

/** A credential's secrets wrapped under the DEK, each with its own purpose in the AAD (wrap.ts). */
export async function wrapSecrets(dek: CryptoKey, record: CredentialRecord, secrets: CredentialSecrets = {}): Promise<WrappedSecrets> {
  const { credentialId: id, rpId } = record;
  const out: WrappedSecrets = {};
  if (secrets.prf) {
    const [withUV, withoutUV] = await Promise.all([
      wrapSecret(dek, id, rpId, 'prf-uv', secrets.prf.withUV),
      wrapSecret(dek, id, rpId, 'prf-nouv', secrets.prf.withoutUV),
    ]);
    out.prf = { withUV, withoutUV };
  }
  if (secrets.largeBlob) out.largeBlob = await wrapSecret(dek, id, rpId, 'largeBlob', secrets.largeBlob);
  return out;
}

export function toRow(record: CredentialRecord, wrappedKey: WrappedKey, wrapped: WrappedSecrets = {}): CredentialRow {
  const row: CredentialRow = {
    ...described(record),
    credentialId: toBase64url(record.credentialId),
    userHandle: toBase64url(record.userHandle),
    publicKey: Uint8Array.from(record.publicKey),
    discoverable: true,
    wrappedKey,
  };
  if (record.supersededBy) row.supersededBy = toBase64url(record.supersededBy);
  if (record.hidden) row.hidden = record.hidden;
  if (record.nameEdited) row.nameEdited = true;
  if (record.signCount !== undefined) row.signCount = record.signCount;
  if (wrapped.prf) row.wrappedPrf = wrapped.prf;
  if (wrapped.largeBlob) row.wrappedLargeBlob = wrapped.largeBlob;
  return row;
}

/**
 * The record without its wrapped key. Byte fields are fresh Uint8Arrays of this realm,
 * whatever the structured clone handed back, so callers may keep or mutate them freely.
 */
export function toRecord(row: CredentialRow): CredentialRecord {
  const record: CredentialRecord = {
    ...described(row),
    credentialId: decode(row.credentialId, row),
    userHandle: decode(row.userHandle, row),
    publicKey: Uint8Array.from(row.publicKey),
    discoverable: true,
  };
  if (row.supersededBy !== undefined) record.supersededBy = decode(row.supersededBy, row);
  if (row.hidden !== undefined) record.hidden = row.hidden;
  if (row.nameEdited) record.nameEdited = true;
  if (row.signCount !== undefined) record.signCount = row.signCount;
  return record;
}

export function decode(text: string, row: Pick<CredentialRow, 'credentialId'>): Uint8Array {
  const bytes = fromBase64url(text);
  if (!bytes) throw new VaultError('corrupt', `credential ${row.credentialId} holds a field that is not base64url`);
  return bytes;
}
