// One stored credential as IndexedDB holds it, and the one mapping of its descriptive fields
// that the record (records.ts), the catalog line (catalog.ts) and the popup's summary share.

import type { CredentialRecord } from '../authenticator/ports';
import type { PasskeySummary } from '../protocol/passkey-summary';
import type { WrappedKey } from './wrap';

/**
 * One stored credential. Binary fields that are keys or index keys (credentialId,
 * userHandle, supersededBy) are kept as base64url text so that every IndexedDB key is a
 * plain string; the public key stays bytes. Never holds a plaintext private key: only
 * `wrappedKey` (see wrap.ts).
 */
export interface CredentialRow extends Omit<CredentialRecord, 'credentialId' | 'userHandle' | 'supersededBy' | 'nameEdited'> {
  /** base64url of the credential id; the store's keyPath. */
  credentialId: string;
  /** base64url of user.id. */
  userHandle: string;
  /**
   * base64url id of the account's current credential while this one is an earlier one, or of
   * the newer one that retired it (accounts.ts); absent while current.
   */
  supersededBy?: string;
  /** The user renamed it. */
  nameEdited?: true;
  /** The private key, AES-256-GCM under the vault key (docs/security.md#key-hierarchy). */
  wrappedKey: WrappedKey;
  /** The PRF secrets (hmac-secret's CredRandomWithUV/WithoutUV), wrapped like the key (wrap.ts); absent on passkeys made before PRF. */
  wrappedPrf?: { withUV: WrappedKey; withoutUV: WrappedKey };
  /** The largeBlob, wrapped like the key; absent while none is stored. */
  wrappedLargeBlob?: WrappedKey;
}

/** The fields a row, a record and a summary hold alike, copied as they are. */
export type Described = Pick<CredentialRow, 'rpId' | 'rpName' | 'userName' | 'userDisplayName' | 'friendlyName' | 'alg' | 'backupState' | 'createdAt' | 'lastUsedAt'>;

export function described(x: Described): Described {
  return {
    rpId: x.rpId,
    rpName: x.rpName,
    userName: x.userName,
    userDisplayName: x.userDisplayName,
    friendlyName: x.friendlyName,
    alg: x.alg,
    backupState: x.backupState,
    createdAt: x.createdAt,
    lastUsedAt: x.lastUsedAt,
  };
}

/** What the manager shows of a credential (a row or a record), given its base64url id. */
export function summarize(x: Described & { discoverable: boolean; hidden?: unknown; supersededBy?: unknown }, credentialId: string): PasskeySummary {
  return {
    credentialId,
    ...described(x),
    discoverable: x.discoverable,
    hidden: x.hidden !== undefined,
    superseded: x.hidden === undefined && x.supersededBy !== undefined,
  };
}
