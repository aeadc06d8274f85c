// The service worker's passkey list for the popup: the vault's catalog in display order,
// cached between popup openings and saved as the vault's snapshot once writes pause.

import { orderPasskeyLines, type PackedPasskeys } from '../protocol/packed-list';
import { replacePasskeyLines } from '../protocol/packed-list-splice';
import type { CatalogChange } from '../vault/catalog';

/** The part of the vault the manager uses. */
export interface ManagedVault {
  /** Every passkey's summary line (packPasskey) and the catalog stamp they were read at. */
  listCatalog(): Promise<{ stamp: string; lines: string[] }>;
  /** Changes with every write to the vault, from any connection. */
  catalogStamp(): Promise<string>;
  /** The ordered list saved by saveCatalogSnapshot (whatever its stamp), and the stamp now. */
  catalogSnapshot(): Promise<{ stamp: string; snapshot: OrderedList | undefined }>;
  /** Keeps the ordered list for the next service worker, unless the vault was written since. */
  saveCatalogSnapshot(list: OrderedList): Promise<boolean>;
  rename(credentialId: Uint8Array, friendlyName: string): Promise<CatalogChange>;
  delete(credentialId: Uint8Array): Promise<CatalogChange>;
  restore(credentialId: Uint8Array): Promise<CatalogChange>;
}

/** The list in display order, and the catalog stamp it was read at. */
export interface OrderedList {
  stamp: string;
  packed: PackedPasskeys;
}

/**
 * The list in display order, kept in memory while it is current (its catalog stamp is the
 * vault's). A write made through this worker is reported with what it changed (`follow`) and
 * the list follows it: only the sites it touched are ordered again (replacePasskeyLines). A
 * worker with no list starts from the vault's saved snapshot, brought up to date the same way.
 * A write it was not told of (another connection) breaks the chain of stamps: the whole
 * catalog is read again.
 */
export class PasskeyList {
  #last: OrderedList | undefined;
  /** Whether #last is the vault's saved snapshot. */
  #saved = false;
  /** Writes reported since #last, each from its stamp before to its stamp after. */
  #changes: CatalogChange[] = [];
  #save: ReturnType<typeof setTimeout> | undefined;
  readonly #vault: () => Promise<ManagedVault>;
  readonly #saveDelayMs: number;

  /**
   * `saveDelayMs`: how long after the last write the list is saved as the snapshot. Each write
   * pushes it back, so a run of sign-ins is followed by one save, away from the ceremonies.
   */
  constructor(vault: () => Promise<ManagedVault>, { saveDelayMs = 10_000 }: { saveDelayMs?: number } = {}) {
    this.#vault = vault;
    this.#saveDelayMs = saveDelayMs;
  }

  async list(): Promise<PackedPasskeys> {
    const vault = await this.#vault();
    const last = this.#last;
    const followed = last && this.#followed(last, await vault.catalogStamp());
    if (followed) return this.#keep(followed, followed === last && this.#saved).packed;
    const { stamp, snapshot } = await vault.catalogSnapshot();
    const fromSnapshot = snapshot && this.#followed(snapshot, stamp);
    if (fromSnapshot) return this.#keep(fromSnapshot, fromSnapshot === snapshot).packed;
    const { stamp: read, lines } = await vault.listCatalog();
    const ordered = this.#keep({ stamp: read, packed: orderPasskeyLines(lines) }, false);
    void this.#saveNow(ordered);
    return ordered.packed;
  }

  /** A write made through this worker, with what it changed: the list follows it, and is saved once writes pause. */
  follow(change: CatalogChange): void {
    this.#changes.push(change);
    if (this.#save !== undefined) clearTimeout(this.#save);
    this.#save = setTimeout(() => {
      this.#save = undefined;
      void this.list().then(
        () => (this.#last && !this.#saved ? this.#saveNow(this.#last) : undefined),
        () => undefined,
      );
    }, this.#saveDelayMs);
  }

  /** `from` brought to `stamp` by the reported writes, when they lead there; else undefined. */
  #followed(from: OrderedList, stamp: string): OrderedList | undefined {
    if (from.stamp === stamp) return from;
    const chain = this.#chainFrom(from.stamp);
    const last = chain.findIndex((change) => change.after === stamp);
    if (last === -1) return undefined;
    const lines = new Map<string, string | null>();
    for (const change of chain.slice(0, last + 1)) for (const [id, line] of change.lines) lines.set(id, line);
    return { stamp, packed: replacePasskeyLines(from.packed, lines) };
  }

  /** Makes `list` the one in memory; reported writes it already holds are forgotten. */
  #keep(list: OrderedList, saved: boolean): OrderedList {
    this.#last = list;
    this.#saved = saved;
    // Stamps are never reused, so only writes from `list.stamp` on can still be followed.
    this.#changes = this.#chainFrom(list.stamp);
    return list;
  }

  /** The reported writes that follow one another from `stamp` on, in order. */
  #chainFrom(stamp: string): CatalogChange[] {
    const next = new Map(this.#changes.map((change) => [change.before, change]));
    const chain: CatalogChange[] = [];
    for (let change = next.get(stamp); change; change = next.get(change.after)) chain.push(change);
    return chain;
  }

  async #saveNow(list: OrderedList): Promise<void> {
    const kept = await (await this.#vault()).saveCatalogSnapshot(list).catch(() => false);
    if (kept && this.#last === list) this.#saved = true;
  }
}
