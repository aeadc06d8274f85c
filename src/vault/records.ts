// CredentialRecord (the port's shape) <-> CredentialRow (what IndexedDB holds).

import type { CredentialRecord } from '../authenticator/ports';
import { fromBase64url, toBase64url } from '../protocol/base64url';
import { VaultError } from './errors';
import type { CredentialRow } from './schema';
import type { WrappedKey } from './wrap';

export function toRow(record: CredentialRecord, wrappedKey: WrappedKey): CredentialRow {
  const row: CredentialRow = {
    credentialId: toBase64url(record.credentialId),
    rpId: record.rpId,
    rpName: record.rpName,
    userHandle: toBase64url(record.userHandle),
    userName: record.userName,
    userDisplayName: record.userDisplayName,
    friendlyName: record.friendlyName,
    alg: record.alg,
    publicKey: Uint8Array.from(record.publicKey),
    discoverable: true,
    backupState: record.backupState,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    wrappedKey,
  };
  if (record.supersededBy) row.supersededBy = toBase64url(record.supersededBy);
  if (record.hidden) row.hidden = record.hidden;
  if (record.nameEdited) row.nameEdited = true;
  if (record.signCount !== undefined) row.signCount = record.signCount;
  return row;
}

/**
 * The record without its wrapped key. Byte fields are fresh Uint8Arrays of this realm,
 * whatever the structured clone handed back, so callers may keep or mutate them freely.
 */
export function toRecord(row: CredentialRow): CredentialRecord {
  const record: CredentialRecord = {
    credentialId: decode(row.credentialId, row),
    rpId: row.rpId,
    rpName: row.rpName,
    userHandle: decode(row.userHandle, row),
    userName: row.userName,
    userDisplayName: row.userDisplayName,
    friendlyName: row.friendlyName,
    alg: row.alg,
    publicKey: Uint8Array.from(row.publicKey),
    discoverable: true,
    backupState: row.backupState,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
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
