// The IndexedDB schema of the vault and its migrations (DESIGN.md "Layers": src/vault is the
// only code that touches IndexedDB). Each migration takes the database one version up, and
// `upgrade` runs them in order from whatever version is on disk, so a profile that skipped
// releases still goes through every step.

import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { WrappedKey } from './wrap';

export const DB_NAME = 'latchkey';

/**
 * One stored credential. Binary fields that are keys or index keys (credentialId,
 * userHandle, supersededBy) are kept as base64url text so that every IndexedDB key is a
 * plain string; the public key stays bytes. Never holds a plaintext private key: only
 * `wrappedKey` (see wrap.ts).
 */
export interface CredentialRow {
  /** base64url of the credential id; the store's keyPath. */
  credentialId: string;
  rpId: string;
  rpName: string;
  /** base64url of user.id. */
  userHandle: string;
  userName: string;
  userDisplayName: string;
  friendlyName: string;
  alg: number;
  /** COSE_Key bytes. */
  publicKey: Uint8Array;
  discoverable: true;
  backupState: boolean;
  createdAt: number;
  lastUsedAt: number | null;
  /** base64url id of the credential that superseded this one; absent while current. */
  supersededBy?: string;
  /** The private key, AES-256-GCM under the vault key (DESIGN.md "Keys at rest"). */
  wrappedKey: WrappedKey;
}

export const VAULT_KEY = 'vaultKey';

/**
 * The vault key (DEK) at rest. Until the lock issue lands it is wrapped by a non-extractable
 * device key kept beside it (`kind: 'device'`): this protects against a copied disk image
 * only as far as the browser protects CryptoKeys, and no further. The lock issue adds a
 * `kind: 'pin'` variant whose KEK comes from Argon2id, and re-wraps the same DEK raw bytes
 * under it, so no credential row changes.
 */
export interface DeviceVaultKeyRow {
  name: typeof VAULT_KEY;
  kind: 'device';
  /** AES-256-GCM, extractable: false, stored by structured clone. */
  deviceKey: CryptoKey;
  /** The DEK's 32 raw bytes, AES-GCM under deviceKey. */
  wrappedDek: WrappedKey;
  createdAt: number;
}

export type MetaRow = DeviceVaultKeyRow;

export interface LatchkeyDB extends DBSchema {
  credentials: {
    key: string;
    value: CredentialRow;
    indexes: {
      rpId: string;
      /** Same-user lookup for superseding (DESIGN.md "A create for the same rpId and user.id"). */
      rpIdUserHandle: [string, string];
      /** Which credentials a given one superseded; rows without the field are not indexed. */
      supersededBy: string;
    };
  };
  meta: {
    key: string;
    value: MetaRow;
  };
}

type UpgradeTransaction = IDBPTransaction<LatchkeyDB, ArrayLike<StoreNames<LatchkeyDB>>, 'versionchange'>;
type Migration = (db: IDBPDatabase<LatchkeyDB>, tx: UpgradeTransaction) => void;

/** MIGRATIONS[n] takes the database from version n to n + 1. Append only; never edit one. */
const MIGRATIONS: readonly Migration[] = [
  // 0 -> 1: credentials and meta.
  (db) => {
    const credentials = db.createObjectStore('credentials', { keyPath: 'credentialId' });
    credentials.createIndex('rpId', 'rpId');
    credentials.createIndex('rpIdUserHandle', ['rpId', 'userHandle']);
    credentials.createIndex('supersededBy', 'supersededBy');
    db.createObjectStore('meta', { keyPath: 'name' });
  },
];

export const DB_VERSION = MIGRATIONS.length;

export async function openVaultDb(name: string = DB_NAME): Promise<IDBPDatabase<LatchkeyDB>> {
  let opened: IDBPDatabase<LatchkeyDB> | undefined;
  opened = await openDB<LatchkeyDB>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let version = oldVersion; version < DB_VERSION; version++) MIGRATIONS[version]!(db, tx);
    },
    // A newer copy of the extension wants to upgrade: let it, rather than leave it blocked.
    // This connection is unusable afterwards; the service worker restarts on update anyway.
    blocking() {
      opened?.close();
    },
  });
  return opened;
}
