// Every message that crosses a layer boundary (docs/architecture.md#a-ceremony-end-to-end).
// Inbound shapes are checked by the validators in ./validate.ts before anything trusts them.

import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from './webauthn-json';

/** The error names a ceremony can end with (WebIDL/DOMException names, plus TypeError). */
export type CeremonyErrorName =
  | 'TypeError'
  | 'SecurityError'
  | 'NotAllowedError'
  | 'InvalidStateError'
  | 'NotSupportedError'
  | 'SyntaxError'
  | 'AbortError'
  | 'EncodingError'
  | 'ConstraintError'
  /** Chromium's answer to a second request while one is pending in the tab. */
  | 'OperationError'
  | 'UnknownError';

/** The hints Latchkey adds when it hands a ceremony to the browser's own WebAuthn. */
export type FallbackHint = 'hybrid' | 'security-key';

// ---------------------------------------------------------------------------------------
// Page (MAIN world) <-> relay (ISOLATED world), over a MessagePort made per ceremony.

/** The page's window.postMessage that hands the relay the ceremony's MessagePort. */
export const PAGE_HANDSHAKE = 'latchkey:ceremony';

export type CeremonyRequest =
  | { type: 'create'; options: PublicKeyCredentialCreationOptionsJSON }
  | { type: 'get'; options: PublicKeyCredentialRequestOptionsJSON; mediation: CredentialMediationRequirementName };

/** The Signal API's static methods (L3 §5.1.10), and the members each one's options require. */
export const SIGNAL_MEMBERS = {
  signalUnknownCredential: ['credentialId', 'rpId'],
  signalAllAcceptedCredentials: ['allAcceptedCredentialIds', 'rpId', 'userId'],
  signalCurrentUserDetails: ['displayName', 'name', 'rpId', 'userId'],
} as const;

export type SignalMethod = keyof typeof SIGNAL_MEMBERS;

/**
 * A signal's options after the page's WebIDL conversion: every member a string, but
 * allAcceptedCredentialIds a list of strings. Base64url and the RP ID are checked by the
 * service worker (src/client/signals.ts), which answers `signaled` before touching the vault.
 */
export interface SignalRequest {
  type: 'signal';
  method: SignalMethod;
  options: { rpId: string; credentialId?: string; userId?: string; allAcceptedCredentialIds?: string[]; name?: string; displayName?: string };
}

/**
 * `statics`: a PublicKeyCredential static asks whether Latchkey answers for this site. The
 * service worker answers `{ type: 'fallback' }` on a site on the "never" list (the browser's
 * own static answers) and `{ type: 'serve' }` elsewhere.
 */
export type PageRequest = CeremonyRequest | { type: 'statics' } | SignalRequest;

/** The page aborts through its own AbortSignal; it tells the relay so the prompt closes. */
export interface PageAbort {
  type: 'abort';
}

export type CredentialMediationRequirementName = 'silent' | 'optional' | 'conditional' | 'required';

/** What the service worker answers; the relay forwards it to the page as a PageResponse. */
export type CeremonyResponse =
  | { type: 'created'; credential: RegistrationResponseJSON }
  | { type: 'asserted'; credential: AuthenticationResponseJSON }
  | { type: 'error'; name: CeremonyErrorName; message: string }
  /**
   * The browser's own create/get with the page's options. `modal`: a conditional get that
   * Latchkey owned goes to the browser as a modal get ("Use another device").
   */
  | { type: 'fallback'; hints: FallbackHint[]; modal?: true }
  /** A `statics` request on a site Latchkey answers for. */
  | { type: 'serve' }
  /** A signal was well formed and taken (whatever it changed, which the page never learns). */
  | { type: 'signaled' };

/**
 * What the relay posts to the page: the service worker's answer, with an error other than a
 * TypeError also as the DOMException to reject with. The relay makes it in its own world and
 * the MessagePort's structured clone gives the page one of the page's realm (DOMException is
 * serializable: name and message, no stack), so the page script never takes the page's
 * DOMException interface at document_start. (A TypeError stays the page script's to make: a
 * cloned one would carry the relay's stack.)
 */
export type PageResponse =
  | Exclude<CeremonyResponse, { type: 'error' }>
  | (Extract<CeremonyResponse, { type: 'error' }> & { exception?: DOMException });

// ---------------------------------------------------------------------------------------
// Relay <-> service worker, over a runtime port named CEREMONY_PORT opened per ceremony.

export const CEREMONY_PORT = 'latchkey-ceremony';

/** Facts about the calling frame that only the relay sees truthfully (docs/architecture.md#a-ceremony-end-to-end step 2). */
export interface FrameFacts {
  /** document.permissionsPolicy / featurePolicy allows publickey-credentials-create here. */
  createAllowed: boolean;
  /** ... publickey-credentials-get. */
  getAllowed: boolean;
  /**
   * navigator.userActivation.isActive when the relay received the request, and no create was
   * forwarded from this frame since the last trusted activation-triggering event: the
   * relay's stand-in for consuming the activation (L3 §5.1.3 step 2), one create per activation.
   */
  transientActivation: boolean;
  /** window.isSecureContext in the relay's world: the page cannot change it. */
  secureContext: boolean;
  /**
   * location.ancestorOrigins, nearest ancestor first (a sandboxed one is "null"). Absent where
   * the browser has none (older Firefox): the ancestors' real origins are then unknown.
   */
  ancestorOrigins?: string[];
  /**
   * The relay could read the document's permissions policy. Firefox gives pages no such
   * object, and there createAllowed and getAllowed say nothing.
   */
  policyKnown: boolean;
}

export type RelayRequest = PageRequest & { frame: FrameFacts };

/** Keeps the service worker awake while a ceremony is open (an MV3 worker sleeps after ~30 s). */
export interface Heartbeat {
  type: 'heartbeat';
}

export const HEARTBEAT_MS = 20_000;

// ---------------------------------------------------------------------------------------
// Consent prompt (prompt.html?ceremony=<id>) <-> service worker, over a runtime port named
// PROMPT_PORT. The prompt says which ceremony it is for; the service worker checks the id.

export const PROMPT_PORT = 'latchkey-prompt';

export interface PromptHello {
  type: 'hello';
  ceremonyId: string;
}

/** A passkey as the prompt shows it: never any key material. */
export interface AccountSummary {
  credentialId: string; // base64url
  userName: string;
  userDisplayName: string;
  friendlyName: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** An earlier passkey of an account: the credentialId of the account's current one. */
  earlierOf?: string;
}

export interface PromptSite {
  rpId: string;
  rpName: string;
  /** The calling frame's origin, shown when it differs from https://rpId. */
  origin: string;
  /** The top-level origin when the call comes from a cross-origin frame. */
  topOrigin?: string;
}

/**
 * `userVerification: true`: the prompt asks for the PIN (`uv-pin`) and sends it with the
 * approval; the service worker checks it (docs/architecture.md#user-verification).
 */
export type PromptRequest =
  /** `replacing`: the account's current passkey, never used: the new one replaces it once the site confirms. */
  | { kind: 'create'; site: PromptSite; user: { name: string; displayName: string }; defaultFriendlyName: string; userVerification: boolean; replacing?: AccountSummary }
  | { kind: 'excluded'; site: PromptSite; existing: AccountSummary }
  | { kind: 'get'; site: PromptSite; accounts: AccountSummary[]; userVerification: boolean };

export type PromptAnswer =
  /** `pin`: typed in `uv-pin` when the request asked for user verification. */
  | { kind: 'approve'; friendlyName?: string; credentialId?: string; pin?: string }
  | { kind: 'cancel' }
  | { kind: 'other-device' }
  | { kind: 'security-key' };

/** service worker -> prompt */
export type PromptShow =
  /**
   * `error`: why the last answer was not taken (a wrong PIN, say), as a sentence.
   * `failed`: the ceremony cannot go on; `message` says why.
   * `unlocked`: whether the vault was unlocked when the service worker sent the question, so
   * the prompt can paint it without asking for the lock state first.
   */
  | { type: 'show'; request: PromptRequest; error?: string; unlocked?: boolean }
  | { type: 'failed'; message: string }
  | { type: 'close' };

/** prompt -> service worker */
export type PromptMessage = PromptHello | { type: 'answer'; answer: PromptAnswer } | Heartbeat;

/**
 * prompt -> service worker, as a one-shot page request before the port opens: the question
 * on screen for this ceremony, as the port's first `show` would carry it, or undefined.
 */
export interface PromptQuestionRequest {
  type: 'prompt:question';
  ceremonyId: string;
}
