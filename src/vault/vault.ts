// The vault: credential records and their wrapped private keys in IndexedDB, behind the
// authenticator's CredentialStore port (src/authenticator/ports.ts).

import type { IDBPDatabase, IDBPTransaction } from 'idb';
import type { CredentialRecord, CredentialStore, UserDetails } from '../authenticator/ports';
import { acceptOnly, retireForEvidence, settleAccount } from './accounts';
import { toBase64url } from '../protocol/base64url';
import { firstPasskeyLines } from '../protocol/packed-list';
import { VaultError } from './errors';
import { CATALOG_HEAD, CATALOG_HEAD_LINES, CATALOG_SNAPSHOT, CATALOG_STAMP, catalogLine, catalogLines, isCatalogSnapshot, newStamp, type CatalogChange, type CatalogSnapshot } from './catalog';
import type { CredentialSecrets } from '../authenticator/ports';
import { decode, toRecord, toRow, wrapSecrets } from './records';
import type { CredentialRow } from './row';
import { DB_NAME, openVaultDb, type LatchkeyDB } from './schema';
import { unwrapPrivateKey, unwrapSecret, wrapPrivateKey, wrapSecret } from './wrap';

/** A row as the account rules (accounts.ts) see it. */
type AccountRow = CredentialRow & { id: string };

type WriteTransaction = IDBPTransaction<LatchkeyDB, ['credentials', 'catalog'], 'readwrite'>;

/**
 * Where the vault gets its DEK for each wrap and unwrap: the lock (src/background/lock.ts),
 * which throws VaultError 'locked' or 'not-set-up' while it has none. Records themselves
 * (no key material) are readable while locked, so a ceremony can decide to fall back
 * before any prompt, and a locked prompt can still offer another device.
 */
export interface VaultKeySource {
  vaultKey(): Promise<CryptoKey>;
}

export class Vault implements CredentialStore {
  readonly #db: IDBPDatabase<LatchkeyDB>;
  readonly #keys: VaultKeySource;

  private constructor(db: IDBPDatabase<LatchkeyDB>, keys: VaultKeySource) {
    this.#db = db;
    this.#keys = keys;
  }

  /** Opens (creating or migrating) the database; the DEK comes from `keys` when a key is used. */
  static async open(keys: VaultKeySource, name: string = DB_NAME): Promise<Vault> {
    return new Vault(await openVaultDb(name), keys);
  }

  close(): void {
    this.#db.close();
  }

  async listByRpId(rpId: string): Promise<CredentialRecord[]> {
    return (await this.#db.getAllFromIndex('credentials', 'rpId', rpId)).map(toRecord);
  }

  /** The credentials of one account at one site: what a new create for it supersedes. */
  async listByUser(rpId: string, userHandle: Uint8Array): Promise<CredentialRecord[]> {
    const rows = await this.#db.getAllFromIndex('credentials', 'rpIdUserHandle', [rpId, toBase64url(userHandle)]);
    return rows.map(toRecord);
  }

  /** How many credentials the vault holds. */
  count(): Promise<number> {
    return this.#db.count('credentials');
  }

  /** Every credential. Metadata only. */
  async listAll(): Promise<CredentialRecord[]> {
    return (await this.#db.getAll('credentials')).map(toRecord);
  }

  /**
   * Every credential's summary line for the passkey manager (catalog.ts), with the stamp they
   * were read at, in one read transaction.
   */
  async listCatalog(): Promise<{ stamp: string; lines: string[] }> {
    const tx = this.#db.transaction('catalog');
    const [stamp, lines] = await Promise.all([tx.store.get(CATALOG_STAMP), tx.store.getAll(catalogLines())]);
    // Under string keys the store holds lines only (catalog.ts).
    return { stamp: asStamp(stamp), lines: lines as string[] };
  }

  /** The catalog's stamp: it changes with every write, so an unchanged stamp means an unchanged list. */
  async catalogStamp(): Promise<string> {
    return asStamp(await this.#db.get('catalog', CATALOG_STAMP));
  }

  /**
   * The ordered list kept by saveCatalogSnapshot, whatever stamp it was read at, and the
   * catalog's stamp now: the snapshot is current only when the two are the same.
   */
  async catalogSnapshot(): Promise<{ stamp: string; snapshot: CatalogSnapshot | undefined }> {
    const tx = this.#db.transaction('catalog');
    const [stamp, snapshot] = await Promise.all([tx.store.get(CATALOG_STAMP), tx.store.get(CATALOG_SNAPSHOT)]);
    return { stamp: asStamp(stamp), snapshot: isCatalogSnapshot(snapshot) ? snapshot : undefined };
  }

  /**
   * Keeps `snapshot` as the ordered list, with its head (catalog.ts), if its stamp is still the
   * catalog's: a write since it was read leaves the stored ones as they are (stale, so
   * ignored). Resolves whether it was kept.
   */
  async saveCatalogSnapshot(snapshot: CatalogSnapshot): Promise<boolean> {
    const tx = this.#db.transaction('catalog', 'readwrite');
    const current = asStamp(await tx.store.get(CATALOG_STAMP));
    const kept = current === snapshot.stamp;
    if (kept) {
      const head = firstPasskeyLines(snapshot.packed, CATALOG_HEAD_LINES);
      await Promise.all([
        tx.store.put({ stamp: snapshot.stamp, packed: snapshot.packed }, CATALOG_SNAPSHOT),
        tx.store.put({ stamp: snapshot.stamp, packed: head }, CATALOG_HEAD),
      ]);
    }
    await tx.done;
    return kept;
  }

  async get(credentialId: Uint8Array): Promise<CredentialRecord | undefined> {
    const row = await this.#db.get('credentials', toBase64url(credentialId));
    return row && toRecord(row);
  }

  /** One read transaction for the whole list (an excludeCredentials list, say). */
  async getMany(credentialIds: readonly Uint8Array[]): Promise<(CredentialRecord | undefined)[]> {
    const tx = this.#db.transaction('credentials');
    const rows = await Promise.all(credentialIds.map((id) => tx.store.get(toBase64url(id))));
    await tx.done;
    return rows.map((row) => row && toRecord(row));
  }

  async create(record: CredentialRecord, privateKey: Uint8Array, supersedes: Uint8Array[], secrets?: CredentialSecrets): Promise<CatalogChange> {
    // Encrypt first: awaiting WebCrypto inside the transaction would let it commit half done.
    const dek = await this.#keys.vaultKey();
    const [wrappedKey, wrapped] = await Promise.all([wrapPrivateKey(dek, record.credentialId, record.rpId, privateKey), wrapSecrets(dek, record, secrets)]);
    const row = toRow(record, wrappedKey, wrapped);
    return writeCredentials(this.#db, async (store) => {
      for (const id of supersedes.map(toBase64url)) {
        const earlier = await store.require(id);
        if (id === row.credentialId || earlier.rpId !== row.rpId || earlier.userHandle !== row.userHandle) {
          throw new VaultError('invalid-supersedes', `credential ${id} is not an earlier one of the same rpId and user`);
        }
      }
      try {
        await store.add(row);
      } catch (cause) {
        if (cause instanceof DOMException && cause.name === 'ConstraintError') {
          throw new VaultError('already-exists', `credential ${row.credentialId} already exists`, { cause });
        }
        throw cause;
      }
      // The new one is the account's current passkey; the earlier ones stay, superseded.
      await store.account(row.rpId, row.userHandle, settleAccount);
    });
  }

  async withPrivateKey<T>(credentialId: Uint8Array, use: (privateKey: Uint8Array) => Promise<T> | T): Promise<T> {
    const id = toBase64url(credentialId);
    const row = await this.#db.get('credentials', id);
    if (!row) throw notFound(id);
    // The AAD is built from the row the key was found in, so a key moved between rows fails here.
    const privateKey = await unwrapPrivateKey(await this.#keys.vaultKey(), decode(row.credentialId, row), row.rpId, row.wrappedKey);
    try {
      return await use(privateKey);
    } finally {
      privateKey.fill(0);
    }
  }

  async withPrfSecret<T>(credentialId: Uint8Array, userVerified: boolean, use: (secret: Uint8Array) => Promise<T> | T): Promise<T | undefined> {
    const id = toBase64url(credentialId);
    const row = await this.#db.get('credentials', id);
    if (!row) throw notFound(id);
    if (!row.wrappedPrf) return undefined;
    // The purpose is in the AAD: a secret moved between the two slots, or rows, fails here.
    const [purpose, wrapped] = userVerified ? (['prf-uv', row.wrappedPrf.withUV] as const) : (['prf-nouv', row.wrappedPrf.withoutUV] as const);
    const secret = await unwrapSecret(await this.#keys.vaultKey(), decode(row.credentialId, row), row.rpId, purpose, wrapped);
    try {
      return await use(secret);
    } finally {
      secret.fill(0);
    }
  }

  async readLargeBlob(credentialId: Uint8Array): Promise<Uint8Array | undefined> {
    const id = toBase64url(credentialId);
    const row = await this.#db.get('credentials', id);
    if (!row) throw notFound(id);
    if (!row.wrappedLargeBlob) return undefined;
    return unwrapSecret(await this.#keys.vaultKey(), decode(row.credentialId, row), row.rpId, 'largeBlob', row.wrappedLargeBlob);
  }

  async writeLargeBlob(credentialId: Uint8Array, blob: Uint8Array): Promise<CatalogChange> {
    const id = toBase64url(credentialId);
    const found = await this.#db.get('credentials', id);
    if (!found) throw notFound(id);
    // Encrypt first: awaiting WebCrypto inside the transaction would let it commit half done.
    const wrapped = await wrapSecret(await this.#keys.vaultKey(), decode(found.credentialId, found), found.rpId, 'largeBlob', blob);
    return writeCredentials(this.#db, async (store) => {
      const row = await store.require(id);
      if (row.rpId !== found.rpId) throw new VaultError('corrupt', `credential ${id} changed its rpId`);
      await store.put({ ...row, wrappedLargeBlob: wrapped });
    });
  }

  async recordSignIn(credentialId: Uint8Array, at: number): Promise<CatalogChange> {
    const id = toBase64url(credentialId);
    // A sign-in deletes nothing and retires nothing: the site may still reject this credential.
    return writeCredentials(this.#db, async (store) => {
      const row = await store.require(id);
      await store.put({ ...row, lastUsedAt: at });
    });
  }

  async siteKnows(rpId: string, credentialIds: readonly Uint8Array[]): Promise<CatalogChange> {
    const known = new Set(credentialIds.map(toBase64url));
    return writeCredentials(this.#db, async (store) => {
      const accounts = new Set<string>();
      for (const id of known) {
        const row = await store.get(id);
        if (row?.rpId === rpId) accounts.add(row.userHandle);
      }
      for (const userHandle of accounts) await store.account(rpId, userHandle, (rows) => retireForEvidence(rows, known, known));
    });
  }

  async hideUnknown(rpId: string, credentialId: Uint8Array): Promise<CatalogChange> {
    const id = toBase64url(credentialId);
    return writeCredentials(this.#db, async (store) => {
      const row = await store.get(id);
      if (row?.rpId !== rpId) return;
      await store.account(rpId, row.userHandle, (rows) => {
        for (const r of rows) if (r.credentialId === id) r.hidden = 'site';
        settleAccount(rows);
      });
    });
  }

  async acceptOnly(rpId: string, userHandle: Uint8Array, credentialIds: readonly Uint8Array[]): Promise<CatalogChange> {
    const accepted = new Set(credentialIds.map(toBase64url));
    return writeCredentials(this.#db, (store) => store.account(rpId, toBase64url(userHandle), (rows) => acceptOnly(rows, accepted)));
  }

  async updateUser(rpId: string, userHandle: Uint8Array, details: UserDetails, friendlyName: (before: CredentialRecord) => string): Promise<CatalogChange> {
    return writeCredentials(this.#db, (store) =>
      store.account(rpId, toBase64url(userHandle), (rows) => {
        for (const row of rows) {
          row.friendlyName = friendlyName(toRecord(row));
          row.userName = details.name;
          row.userDisplayName = details.displayName;
        }
      }),
    );
  }

  /**
   * recordSignIn, and the counter of a credential that keeps one incremented, in the same
   * transaction (CredentialStore.countSignIn). L3 §6.1.1: the counter only ever rises.
   */
  async countSignIn(credentialId: Uint8Array, at: number): Promise<{ signCount: number; change: CatalogChange }> {
    const id = toBase64url(credentialId);
    let signCount = 0;
    const change = await writeCredentials(this.#db, async (store) => {
      const row = await store.require(id);
      if (row.signCount === undefined) throw new VaultError('corrupt', `credential ${id} keeps no counter`);
      signCount = row.signCount >= 0xffffffff ? 0xffffffff : row.signCount + 1;
      await store.put({ ...row, lastUsedAt: at, signCount });
    });
    return { signCount, change };
  }

  /**
   * Every credential, or those of `ids` (base64url), with its private key unwrapped, for an
   * export (src/background/backup.ts). The caller wipes the keys. Throws 'locked' while locked.
   */
  async exportKeys(ids?: readonly string[]): Promise<Array<{ record: CredentialRecord; privateKey: Uint8Array; secrets: CredentialSecrets }>> {
    const rows = ids ? (await Promise.all(ids.map((id) => this.#db.get('credentials', id)))).filter((row) => row !== undefined) : await this.#db.getAll('credentials');
    const dek = await this.#keys.vaultKey();
    // All at once: each WebCrypto call is a round trip to its thread, which dominates one by one.
    const settled = await Promise.allSettled(rows.map(async (row) => {
      const record = toRecord(row);
      const { credentialId: id, rpId } = record;
      const [privateKey, withUV, withoutUV, largeBlob] = await Promise.all([
        unwrapPrivateKey(dek, id, rpId, row.wrappedKey),
        row.wrappedPrf && unwrapSecret(dek, id, rpId, 'prf-uv', row.wrappedPrf.withUV),
        row.wrappedPrf && unwrapSecret(dek, id, rpId, 'prf-nouv', row.wrappedPrf.withoutUV),
        row.wrappedLargeBlob && unwrapSecret(dek, id, rpId, 'largeBlob', row.wrappedLargeBlob),
      ]);
      const secrets: CredentialSecrets = {};
      if (withUV && withoutUV) secrets.prf = { withUV, withoutUV };
      if (largeBlob) secrets.largeBlob = largeBlob;
      return { record, privateKey, secrets };
    }));
    const entries = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) {
      for (const entry of entries) wipeEntry(entry);
      throw failed.reason;
    }
    return entries;
  }

  /** BS=1 for these credentials (base64url ids): they are in a backup now. One transaction. */
  async markBackedUp(ids: readonly string[]): Promise<CatalogChange> {
    // Requests of one transaction run in order without waiting for each other's answers.
    return writeCredentials(this.#db, async (store) => {
      await Promise.all(ids.map(async (id) => {
        const row = await store.get(id);
        if (row && !row.backupState) await store.put({ ...row, backupState: true });
      }));
    });
  }

  /**
   * Adds imported credentials with their private keys, and marks the vault's credentials that
   * they make earlier (`supersede`: base64url id -> the current one's), in ONE transaction: all
   * of it is written or none. A credential id already stored aborts the whole import.
   */
  async importCredentials(
    entries: ReadonlyArray<{ record: CredentialRecord; privateKey: Uint8Array; secrets?: CredentialSecrets }>,
    supersede: ReadonlyArray<{ credentialId: string; by: string }>,
  ): Promise<CatalogChange> {
    // Encrypt first: awaiting WebCrypto inside the transaction would let it commit half done.
    const dek = await this.#keys.vaultKey();
    const rows = await Promise.all(entries.map(async ({ record, privateKey, secrets }) => {
      const [wrappedKey, wrapped] = await Promise.all([wrapPrivateKey(dek, record.credentialId, record.rpId, privateKey), wrapSecrets(dek, record, secrets)]);
      return toRow(record, wrappedKey, wrapped);
    }));
    return writeCredentials(this.#db, async (store) => {
      // Requests of one transaction run in order without waiting for each other's answers.
      await Promise.all(rows.map(async (row) => {
        try {
          await store.add(row);
        } catch (cause) {
          if (cause instanceof DOMException && cause.name === 'ConstraintError') {
            throw new VaultError('already-exists', `credential ${row.credentialId} already exists`, { cause });
          }
          throw cause;
        }
      }));
      for (const { credentialId, by } of supersede) {
        const earlier = await store.require(credentialId);
        const current = rows.find((row) => row.credentialId === by);
        if (!current || earlier.rpId !== current.rpId || earlier.userHandle !== current.userHandle) {
          throw new VaultError('invalid-supersedes', `credential ${credentialId} is not of the same rpId and user as ${by}`);
        }
        await store.put({ ...earlier, supersededBy: by });
      }
    });
  }

  async rename(credentialId: Uint8Array, friendlyName: string): Promise<CatalogChange> {
    const id = toBase64url(credentialId);
    return writeCredentials(this.#db, async (store) => {
      const row = await store.require(id);
      await store.put({ ...row, friendlyName, nameEdited: true });
    });
  }

  /**
   * Shows a passkey the site hid again (the passkey manager's "restore"). If a newer one of its
   * account is shown, it comes back as the earlier passkey, still usable.
   */
  async restore(credentialId: Uint8Array): Promise<CatalogChange> {
    const id = toBase64url(credentialId);
    return writeCredentials(this.#db, async (store) => {
      const row = await store.require(id);
      await store.account(row.rpId, row.userHandle, (rows) => {
        for (const r of rows) if (r.credentialId === id) delete r.hidden;
        settleAccount(rows);
      });
    });
  }

  /**
   * Deletes a credential and its wrapped key: only the user does this. The passkeys of its
   * account are settled again: if it was current, the earlier one becomes current, and one it
   * had retired is shown again.
   */
  async delete(credentialId: Uint8Array): Promise<CatalogChange> {
    const id = toBase64url(credentialId);
    return writeCredentials(this.#db, async (store) => {
      const row = await store.require(id);
      await store.delete(id);
      await store.account(row.rpId, row.userHandle, settleAccount);
    });
  }
}

/**
 * The credential rows as a write sees them. Every change to a row changes its catalog line
 * (catalog.ts) in the same transaction, and the catalog's stamp once per transaction.
 */
class CredentialWrites {
  readonly #tx: WriteTransaction;
  readonly #lines = new Map<string, string | null>();

  constructor(tx: WriteTransaction) {
    this.#tx = tx;
  }

  get(id: string): Promise<CredentialRow | undefined> {
    return this.#tx.objectStore('credentials').get(id);
  }

  async require(id: string): Promise<CredentialRow> {
    const row = await this.#tx.objectStore('credentials').get(id);
    if (!row) throw notFound(id);
    return row;
  }

  async add(row: CredentialRow): Promise<void> {
    await this.#tx.objectStore('credentials').add(row);
    await this.#putLine(row);
  }

  async put(row: CredentialRow): Promise<void> {
    await this.#tx.objectStore('credentials').put(row);
    await this.#putLine(row);
  }

  async delete(id: string): Promise<void> {
    await this.#tx.objectStore('credentials').delete(id);
    await this.#tx.objectStore('catalog').delete(id);
    this.#lines.set(id, null);
  }

  async #putLine(row: CredentialRow): Promise<void> {
    const line = catalogLine(row);
    await this.#tx.objectStore('catalog').put(line, row.credentialId);
    this.#lines.set(row.credentialId, line);
  }

  /**
   * Applies one of the account rules (accounts.ts) to the rows of one account (rpId and base64url
   * user handle), and writes back the rows it changed.
   */
  async account(rpId: string, userHandle: string, rule: (rows: AccountRow[]) => unknown): Promise<void> {
    const rows = await this.#tx.objectStore('credentials').index('rpIdUserHandle').getAll([rpId, userHandle]);
    const views: AccountRow[] = rows.map((row) => ({ ...row, id: row.credentialId }));
    rule(views);
    for (const [i, { id: _id, ...row }] of views.entries()) {
      const before = rows[i]!;
      const same = row.hidden === before.hidden && row.supersededBy === before.supersededBy && row.friendlyName === before.friendlyName &&
        row.userName === before.userName && row.userDisplayName === before.userDisplayName;
      if (!same) await this.put(row);
    }
  }

  /** Gives the catalog a new stamp; what this transaction changed, once it commits. */
  async stamp(): Promise<CatalogChange> {
    const catalog = this.#tx.objectStore('catalog');
    const before = asStamp(await catalog.get(CATALOG_STAMP));
    const after = newStamp();
    await catalog.put(after, CATALOG_STAMP);
    return { before, after, lines: this.#lines };
  }
}

/**
 * Runs `work` in one readwrite transaction over credentials and the catalog: all of it is
 * written, or none. `work` may await only IndexedDB requests of this transaction; any other
 * promise lets the transaction commit early. If `work` throws, the transaction is aborted, not
 * committed. Resolves with what it changed in the catalog, once committed.
 */
async function writeCredentials(db: IDBPDatabase<LatchkeyDB>, work: (store: CredentialWrites) => Promise<void>): Promise<CatalogChange> {
  const tx = db.transaction(['credentials', 'catalog'], 'readwrite');
  // Observed below; this keeps an abort from also surfacing as an unhandled rejection.
  tx.done.catch(() => undefined);
  const store = new CredentialWrites(tx);
  let change: CatalogChange;
  try {
    await work(store);
    change = await store.stamp();
  } catch (error) {
    // IndexedDB may have aborted it first (a failed write, the quota): then its reason is the
    // error, not what a later request on the dead transaction threw.
    throw abort(tx) ? error : abortReason(tx, error);
  }
  await tx.done;
  return change;
}

/** Aborts `tx`; false when it was already aborted (or finished). */
function abort(tx: { abort(): void }): boolean {
  try {
    tx.abort();
    return true;
  } catch {
    // A failed request already aborted it; abort() then throws InvalidStateError.
    return false;
  }
}

/**
 * What to report for a transaction IndexedDB aborted, where `work` failed with `error`: that
 * error, unless it is only a later request refused on the dead transaction.
 */
function abortReason(tx: { readonly error: DOMException | null }, error: unknown): unknown {
  const dead = error instanceof DOMException && (error.name === 'TransactionInactiveError' || error.name === 'InvalidStateError');
  return dead ? (tx.error ?? new DOMException('The vault write was aborted.', 'AbortError')) : error;
}

/** Wipes an exported entry's key material. */
function wipeEntry(entry: { privateKey: Uint8Array; secrets: CredentialSecrets }): void {
  entry.privateKey.fill(0);
  entry.secrets.prf?.withUV.fill(0);
  entry.secrets.prf?.withoutUV.fill(0);
  entry.secrets.largeBlob?.fill(0);
}

function notFound(id: string): VaultError {
  return new VaultError('not-found', `no credential ${id}`);
}

function asStamp(value: string | CatalogSnapshot | undefined): string {
  return typeof value === 'string' ? value : '';
}

