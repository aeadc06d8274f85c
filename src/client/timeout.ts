// lifetimeTimer (L3 §5.1.3 step 4, §5.1.4.1 step 3-4), with Latchkey's range (docs/architecture.md
// "Timeouts"): 30 s to 10 min, 5 min when the RP gives none; a conditional get has no timer.

import type { CredentialMediationRequirementName } from '../protocol/messages';

export const TIMEOUT_MIN_MS = 30_000;
export const TIMEOUT_MAX_MS = 600_000;
export const TIMEOUT_DEFAULT_MS = 300_000;

/**
 * The lifetimeTimer in milliseconds for a ceremony, or undefined when it has none
 * (conditional mediation: "Set a timer lifetimeTimer to a value of infinity").
 */
export function lifetimeTimerMs(timeout: number | undefined, mediation?: CredentialMediationRequirementName): number | undefined {
  if (mediation === 'conditional') return undefined;
  // "check if its value lies within a reasonable range ... and if not, correct it to the
  // closest value lying within that range"
  if (timeout === undefined || !Number.isFinite(timeout)) return TIMEOUT_DEFAULT_MS;
  return Math.min(TIMEOUT_MAX_MS, Math.max(TIMEOUT_MIN_MS, timeout));
}

/**
 * The signal a ceremony runs under: it aborts when the lifetimeTimer expires or when any of
 * `others` aborts (the relay's port closing). The service worker hands it to createCredential
 * or getAssertion as deps.signal.
 */
export function lifetimeSignal(ms: number | undefined, ...others: AbortSignal[]): AbortSignal {
  const signals = ms === undefined ? others : [AbortSignal.timeout(ms), ...others];
  return AbortSignal.any(signals);
}
