// What the passkey manager (the popup) shows of a passkey, and what its friendly name may be.

import type { Validation } from './validate';

/** What the manager shows of a passkey: metadata only, never key material. */
export interface PasskeySummary {
  /** base64url credential id */
  credentialId: string;
  rpId: string;
  rpName: string;
  userName: string;
  userDisplayName: string;
  friendlyName: string;
  /** COSE algorithm identifier */
  alg: number;
  discoverable: boolean;
  /** BS flag */
  backupState: boolean;
  /** ms since the epoch */
  createdAt: number;
  lastUsedAt: number | null;
  /** Removed by the site (its signal, or it knows the newer passkey): never offered; the user may restore it. */
  hidden: boolean;
  /** A newer passkey for the same account is current; this one stays usable as the earlier one. */
  superseded: boolean;
}

export const FRIENDLY_NAME_MAX = 64;

/** A friendly name is 1–64 characters after trimming (characters: code points). */
export function checkFriendlyName(name: string): Validation<string> {
  const trimmed = name.trim();
  if (trimmed.length === 0) return { ok: false, reason: 'Give the passkey a name.' };
  const length = [...trimmed].length;
  if (length > FRIENDLY_NAME_MAX) {
    return { ok: false, reason: `A name can be at most ${FRIENDLY_NAME_MAX} characters (this one has ${length}).` };
  }
  return { ok: true, value: trimmed };
}
