// The WebAuthn client (docs/architecture.md#layers-in-src): what background.ts calls.

export type { Authenticator } from './authenticator-api';
export { callerContext, type CallerContext, type FrameInfo } from './caller';
export { createCredential, getAssertion, type Caller, type CeremonyDeps } from './ceremony';
export { isNeverSite, type NeverList, type Site } from './decide';
export { failure, NOT_ALLOWED_MESSAGE, toCeremonyError, type Failure, type FailureCode } from './errors';
export { lifetimeSignal, lifetimeTimerMs, TIMEOUT_DEFAULT_MS, TIMEOUT_MAX_MS, TIMEOUT_MIN_MS } from './timeout';
export {
  isListedRelatedOrigin,
  MAX_RELATED_ORIGIN_LABELS,
  parseWellKnownWebauthn,
  registrableOriginLabel,
  wellKnownWebauthnUrl,
} from './related-origins';
export { publicSuffixList, setPublicSuffixSource } from './public-suffix';
export type { RelatedOriginsSource } from './rp-id';
export { signal, type SignalDeps, type SignalOutcome } from './signals';
