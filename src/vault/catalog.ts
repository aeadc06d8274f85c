// The catalog: each credential's metadata as the passkey manager lists it, one short string
// per credential (src/protocol/packed-list.ts packPasskey), kept in its own store and written in
// the same transaction as the credential row it describes. Listing 10,000 passkeys is then one
// getAll of 10,000 strings instead of 10,000 structured clones of rows with byte fields and
// wrapped keys (about 47 ms against more than a second on the benchmark's machine).
//
// Under the number key CATALOG_STAMP (numbers sort before every string key) the store keeps a
// stamp that changes with every write, so a reader that keeps the list in memory can tell
// cheaply whether it is still current, whichever connection wrote.
//
// Under CATALOG_SNAPSHOT it keeps the whole list as the manager last ordered it, one record,
// with the stamp it was read at. The service worker forgets its in-memory list when it stops
// (about 30 s after its last event), so the popup usually opens on a worker that has none:
// one record instead of a getAll of 10,000 lines and a sort (about a second at 10,000 on the
// benchmark's machine under load). A snapshot whose stamp is not the current one is ignored.

import { packPasskey, type PackedPasskeys } from '../protocol/packed-list';
import { summarize, type CredentialRow } from './row';

/** The catalog's object store (schema.ts). */
export const CATALOG_STORE = 'catalog';
export const CATALOG_STAMP = 0;
export const CATALOG_SNAPSHOT = 1;
/**
 * The snapshot's first CATALOG_HEAD_LINES lines with the whole list's counts, saved with it
 * (a few kilobytes against about a megabyte at 10,000 passkeys): a popup opened while the
 * service worker sleeps reads it itself to paint its first rows (saved-head.ts).
 */
export const CATALOG_HEAD = 2;
export const CATALOG_HEAD_LINES = 100;

/** The ordered list (src/protocol/packed-list.ts orderPasskeyLines) and the stamp it was read at. */
export interface CatalogSnapshot {
  stamp: string;
  packed: PackedPasskeys;
}

/**
 * What one write transaction did to the catalog: the stamp it found and the one it left, and
 * the new line of each credential it changed (null: deleted). A reader holding the list at
 * `before` can bring it to `after` with these lines alone (PasskeyList in
 * src/background/passkey-list.ts), since transactions on the store run one after another.
 */
export interface CatalogChange {
  before: string;
  after: string;
  lines: Map<string, string | null>;
}

/**
 * Whether a record read back under CATALOG_SNAPSHOT or CATALOG_HEAD has their shape (any
 * stamp). Both the vault and the popup's own read of the head (saved-head.ts)
 * check with it.
 */
export function isCatalogSnapshot(value: unknown): value is CatalogSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const { stamp, packed } = value as { stamp?: unknown; packed?: Partial<PackedPasskeys> };
  return typeof stamp === 'string' && typeof packed?.lines === 'string' && typeof packed.count === 'number' && typeof packed.sites === 'number';
}

/**
 * Every credential id key, and none of the numbers (stamp, snapshot, head). A function, so
 * that importing this module (the popup does) needs no IndexedDB where it is loaded.
 */
export function catalogLines(): IDBKeyRange {
  return IDBKeyRange.lowerBound('');
}

export function catalogLine(row: CredentialRow): string {
  return packPasskey(summarize(row, row.credentialId));
}

export function newStamp(): string {
  return crypto.randomUUID();
}
