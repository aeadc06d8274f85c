// The passkeys of one account (one rpId and user.id) and which of them is current
// (docs/architecture.md#a-create-for-the-same-rpid-and-userid). Pure rules over the account's rows, so
// the vault applies them in one transaction and the authenticator tests' fake store uses them
// as they are. A key is never deleted here: only the user erases (Vault.delete).

import type { HiddenBy } from '../authenticator/ports';

export interface AccountPasskey {
  id: string;
  createdAt: number;
  hidden?: HiddenBy;
  /**
   * Visible: the account's current passkey, when this one is an earlier one (still usable).
   * Retired: the newer passkey whose evidence retired it.
   */
  supersededBy?: string;
}

/**
 * Brings the account's passkeys to their rules, in place: a retired passkey whose newer one is
 * no longer shown (hidden or deleted) is shown again; of the shown ones one is current and the
 * others are superseded by it. The current one stays current while shown; when there are
 * several candidates (a new create, the current one hidden or deleted, one restored), the newest wins.
 */
export function settleAccount<T extends AccountPasskey>(passkeys: T[]): void {
  const shown = () => passkeys.filter((p) => p.hidden === undefined);
  for (const p of passkeys) {
    if (p.hidden === 'retired' && !shown().some((q) => q.id === p.supersededBy)) delete p.hidden;
    if (p.hidden === 'site') delete p.supersededBy;
  }
  const visible = shown();
  const ids = new Set(visible.map((p) => p.id));
  const heads = visible.filter((p) => p.supersededBy === undefined || !ids.has(p.supersededBy));
  const current = heads.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))[0];
  for (const p of visible) {
    if (p === current) delete p.supersededBy;
    else p.supersededBy = current!.id;
  }
}

/**
 * Evidence that the site knows the passkeys `known` (docs/architecture.md#a-create-for-the-same-rpid-and-userid): each shown one retires the shown passkeys of the account older than it, except
 * those `listed` by the same ceremony or signal. Returns whether anything was retired.
 */
export function retireForEvidence<T extends AccountPasskey>(passkeys: T[], known: ReadonlySet<string>, listed: ReadonlySet<string>): boolean {
  let changed = false;
  const newest = passkeys
    .filter((p) => p.hidden === undefined && known.has(p.id))
    .sort((a, b) => b.createdAt - a.createdAt)[0];
  if (!newest) return false;
  for (const p of passkeys) {
    if (p.hidden !== undefined || listed.has(p.id) || p.createdAt >= newest.createdAt) continue;
    p.hidden = 'retired';
    p.supersededBy = newest.id;
    changed = true;
  }
  settleAccount(passkeys);
  return changed;
}

/**
 * signalAllAcceptedCredentials for this account: the passkeys not `accepted` are hidden by the
 * site, and accepted ones it had hidden come back (L3 §5.1.10.2).
 */
export function acceptOnly<T extends AccountPasskey>(passkeys: T[], accepted: ReadonlySet<string>): void {
  for (const p of passkeys) {
    if (accepted.has(p.id)) delete p.hidden;
    else p.hidden = 'site';
  }
  settleAccount(passkeys);
}
