// The IndexedDB schema of the vault and its migrations (docs/architecture.md#layers-in-src: src/vault is the
// only code that touches IndexedDB). Each migration takes the database one version up, and
// `upgrade` runs them in order from whatever version is on disk, so a profile that skipped
// releases still goes through every step.

import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { PinFailures } from './backoff';
import { CATALOG_STAMP, catalogLine, newStamp, type CatalogSnapshot } from './catalog';
import { DB_NAME } from './db-name';
import type { Argon2idParams } from './kdf';
import type { CredentialRow } from './row';
import type { WrappedKey } from './wrap';

export { DB_NAME };

export const VAULT_KEY = 'vaultKey';

/**
 * The vault key (DEK) at rest, as vaults made before the PIN existed hold it: wrapped by a
 * non-extractable device key kept beside it, which protects nothing against anyone who can
 * read the profile. Nothing writes this shape any more; set-up re-wraps the same DEK under
 * the PIN's KEK and replaces the row (vault-key.ts), so no credential row changes.
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

/** The vault key (DEK) at rest behind the PIN (docs/security.md#key-hierarchy). */
export interface PinVaultKeyRow {
  name: typeof VAULT_KEY;
  kind: 'pin';
  /** How the KEK comes from the PIN: Argon2id with these parameters and salt. */
  kdf: Argon2idParams;
  /** The DEK's 32 raw bytes, AES-256-GCM under the KEK. */
  wrappedDek: WrappedKey;
  createdAt: number;
  pinChangedAt: number;
}

export type VaultKeyRow = DeviceVaultKeyRow | PinVaultKeyRow;

export const PIN_FAILURES = 'pinFailures';

/** Wrong PINs in a row (backoff.ts). */
export interface PinFailuresRow extends PinFailures {
  name: typeof PIN_FAILURES;
}

export type MetaRow = VaultKeyRow | PinFailuresRow;

export interface LatchkeyDB extends DBSchema {
  credentials: {
    key: string;
    value: CredentialRow;
    indexes: {
      rpId: string;
      /** Same-user lookup for superseding (docs/architecture.md#a-create-for-the-same-rpid-and-userid). */
      rpIdUserHandle: [string, string];
      /** Which credentials a given one superseded; rows without the field are not indexed. */
      supersededBy: string;
    };
  };
  meta: {
    key: string;
    value: MetaRow;
  };
  /**
   * catalog.ts: credentialId -> the credential's packed summary line (no key material),
   * CATALOG_STAMP -> a value that changes with every write of a credential, and
   * CATALOG_SNAPSHOT -> the ordered list as last read, with its stamp.
   */
  catalog: {
    key: string | number;
    value: string | CatalogSnapshot;
  };
}

type UpgradeTransaction = IDBPTransaction<LatchkeyDB, ArrayLike<StoreNames<LatchkeyDB>>, 'versionchange'>;
/** May await requests of `tx` only (anything else lets the upgrade transaction commit). */
type Migration = (db: IDBPDatabase<LatchkeyDB>, tx: UpgradeTransaction) => void | Promise<void>;

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
  // 1 -> 2: the catalog (catalog.ts), built from every existing credential row.
  async (db, tx) => {
    const catalog = db.createObjectStore('catalog');
    for (let cursor = await tx.objectStore('credentials').openCursor(); cursor; cursor = await cursor.continue()) {
      await catalog.put(catalogLine(cursor.value), cursor.value.credentialId);
    }
    await catalog.put(newStamp(), CATALOG_STAMP);
  },
  // 2 -> 3: catalog lines tell hidden (a site's signal) from superseded (catalog.ts); the
  // snapshot's stamp goes stale with the new stamp.
  async (_db, tx) => {
    const catalog = tx.objectStore('catalog');
    for (let cursor = await tx.objectStore('credentials').openCursor(); cursor; cursor = await cursor.continue()) {
      await catalog.put(catalogLine(cursor.value), cursor.value.credentialId);
    }
    await catalog.put(newStamp(), CATALOG_STAMP);
  },
];

export const DB_VERSION = MIGRATIONS.length;

export async function openVaultDb(name: string = DB_NAME): Promise<IDBPDatabase<LatchkeyDB>> {
  let opened: IDBPDatabase<LatchkeyDB> | undefined;
  opened = await openDB<LatchkeyDB>(name, DB_VERSION, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      try {
        for (let version = oldVersion; version < DB_VERSION; version++) await MIGRATIONS[version]!(db, tx);
      } catch {
        // Nothing of a failed upgrade stays: the database keeps its old version, and openDB
        // rejects with AbortError. (A failed request has aborted it already.)
        try {
          tx.abort();
        } catch {
          // InvalidStateError: already aborted.
        }
      }
    },
    // A newer copy of the extension wants to upgrade: let it, rather than leave it blocked.
    // This connection is unusable afterwards; the service worker restarts on update anyway.
    blocking() {
      opened?.close();
    },
  });
  return opened;
}
