// The popup's in-memory model of the passkey list: the order (sortPasskeys, from
// src/protocol/packed-list.ts), the grouping by site, and a search index whose texts are made
// as the list arrives. A keystroke filters here and never reaches the service worker or IndexedDB.

import { passkeyTexts, type PackedPasskeys } from '../../src/protocol/packed-list';
import { type PasskeySummary } from '../../src/protocol/passkey-summary';

export { recency, sortPasskeys } from '../../src/protocol/passkey-order';

export type ListItem =
  | { kind: 'site'; rpId: string; rpName: string; count: number }
  /** "Removed by the site": before a site's passkeys its signals removed (sortPasskeys puts them last). */
  | { kind: 'removed'; rpId: string }
  | { kind: 'passkey'; passkey: PasskeySummary };

/**
 * The rows to show: a site header before each run of one site's passkeys, and a "Removed by
 * the site" header before the ones it removed. `sorted` must be in sortPasskeys order (a
 * filtered copy of it keeps that order), so each site is one run, its removed ones last.
 */
export function groupBySite(sorted: readonly PasskeySummary[]): ListItem[] {
  const items: ListItem[] = [];
  let header: Extract<ListItem, { kind: 'site' }> | undefined;
  // An indexed loop: code run for the first time (a popup's first keystroke) allocates an iterator result per passkey in a for…of.
  for (let i = 0; i < sorted.length; i++) {
    const passkey = sorted[i]!;
    const newSite = header?.rpId !== passkey.rpId;
    if (newSite) {
      header = { kind: 'site', rpId: passkey.rpId, rpName: passkey.rpName, count: 0 };
      items.push(header);
    }
    if (passkey.hidden && (newSite || !sorted[i - 1]!.hidden)) items.push({ kind: 'removed', rpId: passkey.rpId });
    header!.count++;
    items.push({ kind: 'passkey', passkey });
  }
  return items;
}

/** The words of a query, lower-cased: every one must occur in a passkey for it to match. */
export function queryTerms(query: string): string[] {
  // US separates a passkey's fields in its search text, so no word may hold one.
  return query.toLowerCase().split(/[\s\u001f]+/).filter(Boolean);
}

/** The lower-cased search texts of the passkeys in a packed list, in its order. */
export function searchTexts(packed: PackedPasskeys): string[] {
  return passkeyTexts(packed, (texts) => texts.toLowerCase());
}

/**
 * Search over site (rpId and its name), user name, display name and friendly name. Each
 * passkey's lower-cased text comes from the packed list it was unpacked from (`texts`, made
 * as the list arrives, in a few native passes), or else from the index this one replaces (a
 * rename or delete changes one passkey), or else is made by `prepare` (the popup calls it
 * when idle) or at the first search. `search` keeps the list's order. A keystroke allocates
 * only its result: a query that extends the previous one (typing on) tests only the
 * previous result, and the same query answers the same array.
 */
export class PasskeyIndex {
  readonly all: readonly PasskeySummary[];
  #texts: readonly string[] | undefined;
  #previous: PasskeyIndex | undefined;
  #last: { terms: string[]; positions: number[]; result: PasskeySummary[] } | undefined;
  /** Every text joined by US, and where each starts in it: a new word is one indexOf pass over it. */
  #joined: { text: string; starts: Int32Array } | undefined;

  /** `texts[i]` is `searchText(sorted[i])` when known; `previous` lends the texts of passkeys it shares. */
  constructor(sorted: readonly PasskeySummary[], texts?: readonly string[], previous?: PasskeyIndex) {
    this.all = sorted;
    if (texts && texts.length === sorted.length) this.#texts = texts;
    else this.#previous = previous;
  }

  /** Makes every passkey's search text; a second call does nothing. */
  prepare(): readonly string[] {
    if (this.#texts) return this.#texts;
    const previous = this.#previous;
    this.#previous = undefined;
    const known = previous && previous.#texts;
    if (!previous || !known) return (this.#texts = this.all.map(searchText));
    const byPasskey = new Map<PasskeySummary, string>();
    for (let i = 0; i < known.length; i++) byPasskey.set(previous.all[i]!, known[i]!);
    return (this.#texts = this.all.map((p) => byPasskey.get(p) ?? searchText(p)));
  }

  search(query: string): readonly PasskeySummary[] {
    const terms = queryTerms(query);
    if (terms.length === 0) return this.all;
    const last = this.#last;
    if (last && sameTerms(terms, last.terms)) return last.result;
    const candidates = last && narrows(terms, last.terms) ? last.positions : undefined;
    this.#last = { terms, ...this.#scan(terms, candidates) };
    return this.#last.result;
  }

  /**
   * Runs a search over every passkey once, for a word no passkey holds, and keeps nothing: the
   * popup calls it when idle, so that the first keystroke finds the scan compiled rather than
   * running it for the first time over the whole list.
   */
  warm(): void {
    this.#scan(['\u0000'], undefined);
  }

  #scan(terms: readonly string[], candidates: readonly number[] | undefined): { positions: number[]; result: PasskeySummary[] } {
    const texts = this.prepare();
    const positions: number[] = [];
    const result: PasskeySummary[] = [];
    if (candidates) {
      for (let k = 0; k < candidates.length; k++) {
        const i = candidates[k]!;
        if (containsAll(texts[i]!, terms)) {
          positions.push(i);
          result.push(this.all[i]!);
        }
      }
      return { positions, result };
    }
    // No term holds US (queryTerms), so a hit in the joined text lies inside one passkey's text.
    const { text, starts } = this.#join(texts);
    let first = 0;
    for (let t = 1; t < terms.length; t++) if (terms[t]!.length > terms[first]!.length) first = t;
    const word = terms[first]!;
    let i = 0;
    let at = text.indexOf(word);
    while (at >= 0) {
      while (starts[i + 1]! <= at) i++;
      if (terms.length === 1 || containsAll(texts[i]!, terms)) {
        positions.push(i);
        result.push(this.all[i]!);
      }
      if (++i >= texts.length) break;
      at = text.indexOf(word, starts[i]!);
    }
    return { positions, result };
  }

  #join(texts: readonly string[]): { text: string; starts: Int32Array } {
    if (this.#joined) return this.#joined;
    // starts[texts.length] is one past the end, so the walk to a hit's row needs no bound check.
    const starts = new Int32Array(texts.length + 1);
    let offset = 0;
    for (let i = 0; i < texts.length; i++) {
      starts[i] = offset;
      offset += texts[i]!.length + 1;
    }
    starts[texts.length] = offset;
    return (this.#joined = { text: texts.join('\u001f'), starts });
  }
}

/** What a search looks at, as `searchTexts` makes it from a packed list. */
export function searchText(p: PasskeySummary): string {
  return `${p.rpId}\u001f${p.rpName}\u001f${p.userName}\u001f${p.userDisplayName}\u001f${p.friendlyName}`.toLowerCase();
}

function containsAll(text: string, terms: readonly string[]): boolean {
  for (let t = 0; t < terms.length; t++) if (!text.includes(terms[t]!)) return false;
  return true;
}

function sameTerms(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((term, i) => term === b[i]);
}

/** Whether every passkey matching `terms` also matches `previous` (each old term is inside a new one). */
function narrows(terms: string[], previous: string[]): boolean {
  return previous.every((old) => terms.some((term) => term.includes(old)));
}
