// The catalog: each credential's line as the passkey manager lists it (src/protocol/packed-list.ts
// packPasskey), in its own store, written in the same transaction as the credential row it
// describes, so listing is one getAll of short strings.
//
// Under the number key CATALOG_STAMP (numbers sort before every string key) the store keeps a
// stamp that changes with every write, whichever connection wrote: a reader holding the list
// tells cheaply whether it is current. Under CATALOG_SNAPSHOT it keeps the whole ordered list
// with the stamp it was read at, for a worker that starts with none; a snapshot whose stamp is
// not the current one is ignored.

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
  return typeof stamp === 'string' && typeof packed?.text === 'string' && typeof packed.count === 'number' && typeof packed.sites === 'number';
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
