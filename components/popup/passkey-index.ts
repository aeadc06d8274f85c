// The popup's in-memory model of the passkey list: the order (sortPasskeys, from
// src/protocol/manager.ts), the grouping by site, and a search index built once, at the
// first search. A keystroke filters here and never reaches the service worker or IndexedDB.

import type { PasskeySummary } from '../../src/protocol/manager';

export { recency, sortPasskeys } from '../../src/protocol/manager';

export type ListItem =
  | { kind: 'site'; rpId: string; rpName: string; count: number }
  | { kind: 'passkey'; passkey: PasskeySummary };

/**
 * The rows to show: a site header before each run of one site's passkeys. `sorted` must be
 * in sortPasskeys order (a filtered copy of it keeps that order), so each site is one run.
 */
export function groupBySite(sorted: readonly PasskeySummary[]): ListItem[] {
  const items: ListItem[] = [];
  let header: Extract<ListItem, { kind: 'site' }> | undefined;
  for (const passkey of sorted) {
    if (header?.rpId !== passkey.rpId) {
      header = { kind: 'site', rpId: passkey.rpId, rpName: passkey.rpName, count: 0 };
      items.push(header);
    }
    header.count++;
    items.push({ kind: 'passkey', passkey });
  }
  return items;
}

/** The words of a query, lower-cased: every one must occur in a passkey for it to match. */
export function queryTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * Search over site (rpId and its name), user name, display name and friendly name. Each
 * passkey's text is lower-cased once, by `prepare` (the popup calls it when idle after its
 * first paint) or else at the first search; `search` keeps the list's order. A keystroke allocates only its result: a query
 * that extends the previous one (typing on) tests only the previous result, and the same
 * query answers the same array.
 */
export class PasskeyIndex {
  readonly all: readonly PasskeySummary[];
  #haystacks: readonly string[] | undefined;
  #last: { terms: string[]; positions: number[]; result: PasskeySummary[] } | undefined;

  constructor(sorted: readonly PasskeySummary[]) {
    this.all = sorted;
  }

  /** Lower-cases every passkey's text for searching; a second call does nothing. */
  prepare(): readonly string[] {
    return (this.#haystacks ??= this.all.map(searchText));
  }

  search(query: string): readonly PasskeySummary[] {
    const terms = queryTerms(query);
    if (terms.length === 0) return this.all;
    const last = this.#last;
    if (last && sameTerms(terms, last.terms)) return last.result;
    const haystacks = this.prepare();
    const positions: number[] = [];
    const result: PasskeySummary[] = [];
    const test = (i: number) => {
      const text = haystacks[i]!;
      for (const term of terms) if (!text.includes(term)) return;
      positions.push(i);
      result.push(this.all[i]!);
    };
    if (last && narrows(terms, last.terms)) for (const i of last.positions) test(i);
    else for (let i = 0; i < haystacks.length; i++) test(i);
    this.#last = { terms, positions, result };
    return result;
  }
}

function searchText(p: PasskeySummary): string {
  return `${p.rpId}\n${p.rpName}\n${p.userName}\n${p.userDisplayName}\n${p.friendlyName}`.toLowerCase();
}

function sameTerms(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((term, i) => term === b[i]);
}

/** Whether every passkey matching `terms` also matches `previous` (each old term is inside a new one). */
function narrows(terms: string[], previous: string[]): boolean {
  return previous.every((old) => terms.some((term) => term.includes(old)));
}
