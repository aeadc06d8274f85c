// Serve or fall back (docs/architecture.md#when-latchkey-falls-back). The first
// decision is taken before any UI, from the options alone; the second from what the
// authenticator answered.

import type { AuthenticatorOutcome } from '../authenticator/types';
import type { FallbackHint } from '../protocol/messages';
import type { AuthenticatorAttachment, PublicKeyCredentialHint, UserVerificationRequirement } from './options';

export type Decision = { kind: 'serve' } | { kind: 'fallback'; hints: FallbackHint[] };

export interface Site {
  rpId: string;
  origin: string;
}

/**
 * The user's "never for this site" list: entries are RP IDs or origins, matched exactly; or a
 * predicate for the service worker's own lookup.
 */
export type NeverList = readonly string[] | ((site: Site) => boolean);

export function isNeverSite(never: NeverList | undefined, site: Site): boolean {
  if (never === undefined) return false;
  if (typeof never === 'function') return never(site);
  return never.includes(site.rpId) || never.includes(site.origin);
}

const SERVE: Decision = { kind: 'serve' };
/** The page passes the RP's own options to the browser: it needs no hints of ours. */
const FALLBACK: Decision = { kind: 'fallback', hints: [] };

/** Whether the RP's hints put another device first (L3 §5.4.8: hints are in decreasing preference). */
function hintsPreferAnotherDevice(hints: readonly PublicKeyCredentialHint[]): boolean {
  const first = hints[0];
  return first === 'security-key' || first === 'hybrid';
}

export function decideBeforeUi(input: {
  site: Site;
  /** known hints only, in the RP's order (options.ts drops unknown ones) */
  hints: readonly PublicKeyCredentialHint[];
  /** create only: authenticatorSelection.authenticatorAttachment */
  authenticatorAttachment?: AuthenticatorAttachment;
  userVerification: UserVerificationRequirement;
  /** false until Latchkey has a PIN (docs/architecture.md#user-verification) */
  userVerificationAvailable: boolean;
  never?: NeverList;
  /**
   * create only: the user's setting "offer the browser first". New passkeys are then saved
   * where the browser saves them (its dialog: a phone, a security key, its own store);
   * Latchkey keeps signing in with the passkeys it already holds.
   */
  browserFirst?: boolean;
}): Decision {
  if (isNeverSite(input.never, input.site)) return FALLBACK;
  if (input.browserFirst) return FALLBACK;
  if (hintsPreferAnotherDevice(input.hints)) return FALLBACK;
  if (input.authenticatorAttachment === 'cross-platform') return FALLBACK;
  if (input.userVerification === 'required' && !input.userVerificationAvailable) return FALLBACK;
  return SERVE;
}

/**
 * What an authenticator outcome means for serving: a fallback decision, or undefined when the
 * outcome is the ceremony's result (success or an error for the page).
 */
export function decideAfterAuthenticator<T>(outcome: AuthenticatorOutcome<T>): Extract<Decision, { kind: 'fallback' }> | undefined {
  if (outcome.kind === 'fallback') return { kind: 'fallback', hints: [outcome.hint] };
  // UnsupportedAlgorithm: none of the RP's algorithms can be made here (L3 §6.3.2 step 2, before any UI).
  if (outcome.kind === 'error' && (outcome.code === 'NoCredentials' || outcome.code === 'UnsupportedOption' || outcome.code === 'UnsupportedAlgorithm')) {
    return { kind: 'fallback', hints: [] };
  }
  return undefined;
}
