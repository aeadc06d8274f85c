// The list's order: sites by their most recently used passkey (ties: by rpId), and within a
// site its shown passkeys by last use, then by friendly name, then those the site removed
// (the same order among them). A site's recency is its first passkey's in that order: its
// most recent shown one, or its most recent removed one when all are. The service worker
// orders the list it sends; the popup keeps that order through renames and deletions.

import type { PasskeySummary } from './passkey-summary';

/** When a passkey was last used; one never used counts from when it was saved. */
export function recency(passkey: PasskeySummary): number {
  return passkey.lastUsedAt ?? passkey.createdAt;
}

/** Returns a new array in the list's order (the sort keys are worked out once per passkey). */
export function sortPasskeys(passkeys: readonly PasskeySummary[]): PasskeySummary[] {
  // Per site, its first passkey: the most recent shown one, else the most recent removed one.
  const head = new Map<string, PasskeySummary>();
  for (const p of passkeys) {
    const best = head.get(p.rpId);
    if (!best || (best.hidden && !p.hidden) || (best.hidden === p.hidden && recency(p) > recency(best))) head.set(p.rpId, p);
  }
  const keyed = passkeys.map((p) => ({ p, site: recency(head.get(p.rpId)!), own: recency(p), removed: p.hidden ? 1 : 0 }));
  keyed.sort(
    (a, b) =>
      b.site - a.site ||
      compareText(a.p.rpId, b.p.rpId) ||
      a.removed - b.removed ||
      b.own - a.own ||
      compareText(a.p.friendlyName, b.p.friendlyName) ||
      compareText(a.p.credentialId, b.p.credentialId),
  );
  return keyed.map((k) => k.p);
}

/**
 * Whether the site whose first passkey (in sortPasskeys's order) is `a` comes before the one
 * whose first passkey is `b`.
 */
export function siteComesFirst(a: PasskeySummary, b: PasskeySummary): boolean {
  return recency(a) > recency(b) || (recency(a) === recency(b) && compareText(a.rpId, b.rpId) < 0);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
