// The popup's in-memory model of the passkey list: the order (by last use, then by site),
// the grouping by site, and a search index built once when the popup opens. A keystroke
// filters here and never reaches the service worker or IndexedDB.

import type { PasskeySummary } from '../../src/protocol/manager';

/** When a passkey was last used; one never used counts from when it was saved. */
export function recency(passkey: PasskeySummary): number {
  return passkey.lastUsedAt ?? passkey.createdAt;
}

/**
 * Sites ordered by their most recently used passkey (ties: by rpId), and within a site its
 * passkeys by last use, then by friendly name. Returns a new array.
 */
export function sortPasskeys(passkeys: readonly PasskeySummary[]): PasskeySummary[] {
  const siteRecency = new Map<string, number>();
  for (const p of passkeys) siteRecency.set(p.rpId, Math.max(siteRecency.get(p.rpId) ?? -Infinity, recency(p)));
  return [...passkeys].sort(
    (a, b) =>
      siteRecency.get(b.rpId)! - siteRecency.get(a.rpId)! ||
      compareText(a.rpId, b.rpId) ||
      recency(b) - recency(a) ||
      compareText(a.friendlyName, b.friendlyName) ||
      compareText(a.credentialId, b.credentialId),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

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
 * Search over site (rpId and its name), user name, display name and friendly name. Built once
 * from the sorted list; `search` keeps that order. A query that extends the previous one
 * (typing on) filters the previous result rather than everything.
 */
export class PasskeyIndex {
  readonly all: readonly PasskeySummary[];
  readonly #text: Map<PasskeySummary, string>;
  #last: { terms: string[]; result: PasskeySummary[] } | undefined;

  constructor(sorted: readonly PasskeySummary[]) {
    this.all = sorted;
    this.#text = new Map(sorted.map((p) => [p, searchText(p)]));
  }

  search(query: string): readonly PasskeySummary[] {
    const terms = queryTerms(query);
    if (terms.length === 0) return this.all;
    const last = this.#last;
    const base = last && narrows(terms, last.terms) ? last.result : this.all;
    const result = base.filter((p) => {
      const text = this.#text.get(p)!;
      return terms.every((term) => text.includes(term));
    });
    this.#last = { terms, result };
    return result;
  }
}

function searchText(p: PasskeySummary): string {
  return [p.rpId, p.rpName, p.userName, p.userDisplayName, p.friendlyName].join('\n').toLowerCase();
}

/** Whether every passkey matching `terms` also matches `previous` (each old term is inside a new one). */
function narrows(terms: string[], previous: string[]): boolean {
  return previous.every((old) => terms.some((term) => term.includes(old)));
}
