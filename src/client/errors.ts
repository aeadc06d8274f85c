// The one table from internal failures to the error a page sees (docs/architecture.md#errors).
// Call sites name a failure by its code; only this file knows DOMException names and texts.

import type { AuthenticatorErrorCode } from '../authenticator/types';
import type { CeremonyErrorName, CeremonyResponse } from '../protocol/messages';

/** Failures found by the client itself, before or around the authenticator. */
export type ClientFailureCode =
  /** WebIDL-level problems with the options: a required member is missing, user.id is 0 or > 64 bytes, ... */
  | 'InvalidOptions'
  /** L3 §5.1.3 step 6 / §5.1.4.1 step 5: the caller's origin is opaque. */
  | 'OpaqueOrigin'
  /** The caller's origin is not http(s), or its effective domain is not a valid domain (L3 §5.1.3 step 7). */
  | 'InvalidOrigin'
  /** The RP ID is malformed, a public suffix, or not the origin's effective domain or a registrable suffix of it. */
  | 'InvalidRpId'
  /** L3 §5.1.3 step 10: no pubKeyCredParams entry that Latchkey can serve. */
  | 'NoSupportedAlgorithm'
  /** A cross-origin frame lacks publickey-credentials-create or transient activation (L3 §5.1.3 step 2). */
  | 'CrossOriginCreateDenied'
  /** A cross-origin frame lacks publickey-credentials-get (permissions policy). */
  | 'CrossOriginGetDenied'
  /** The service worker aborted the ceremony: lifetimeTimer expired or the page's port closed. */
  | 'Aborted'
  /** The calling frame is not in the tab's frame tree (callerContext gave undefined). */
  | 'UnknownCaller'
  /** An extension input the spec refuses here (prf evalByCredential at create, largeBlob read+write, ...). */
  | 'ExtensionNotSupported'
  /** L3 §10.1.4: an evalByCredential key that is empty, not base64url, or not in allowCredentials. */
  | 'InvalidExtensionCredentialId'
  /** A signal's credential id is not base64url (L3 §5.1.10: TypeError). */
  | 'InvalidSignalId'
  /** A second request while one is pending in the same tab: Chromium's OperationError, the first one runs on. */
  | 'RequestPending'
  /** The service worker threw while answering (a bug or a storage failure). */
  | 'WorkerFailed';

export type FailureCode = ClientFailureCode | AuthenticatorErrorCode;

export interface Failure {
  code: FailureCode;
  /** Only for InvalidOptions: says which member is wrong. It echoes the page's own input, nothing else. */
  detail?: string;
}

/**
 * One text for every NotAllowedError that could otherwise tell a site whether the user has a
 * passkey: "no matching credential" and "the user cancelled" must be indistinguishable
 * (L3 §14.5.2 "Authentication Ceremony Privacy"). The wording follows Chromium's.
 */
export const NOT_ALLOWED_MESSAGE =
  'The operation either timed out or was not allowed. See: https://www.w3.org/TR/webauthn-3/#sctn-privacy-considerations-client.';

/**
 * What the relay answers when the service worker goes away mid-ceremony (the extension was
 * reloaded or crashed). A constant of its own, so the relay's bundle takes only this.
 */
export const INTERRUPTED_ERROR = { type: 'error', name: 'NotAllowedError', message: 'The passkey request was interrupted.' } as const;

const TABLE: Record<FailureCode, { name: CeremonyErrorName; message: string }> = {
  InvalidOptions: { name: 'TypeError', message: 'The options are not valid.' },
  OpaqueOrigin: { name: 'NotAllowedError', message: 'WebAuthn is not allowed from an opaque origin.' },
  InvalidOrigin: { name: 'SecurityError', message: 'This origin cannot use WebAuthn.' },
  InvalidRpId: { name: 'SecurityError', message: 'The relying party ID is not a registrable domain suffix of, nor equal to the current domain.' },
  NoSupportedAlgorithm: { name: 'NotSupportedError', message: 'None of the requested public key algorithms is supported.' },
  CrossOriginCreateDenied: {
    name: 'NotAllowedError',
    message: 'A cross-origin frame needs the publickey-credentials-create permission and a user activation to create a credential.',
  },
  CrossOriginGetDenied: { name: 'NotAllowedError', message: 'A cross-origin frame needs the publickey-credentials-get permission.' },
  Aborted: { name: 'NotAllowedError', message: NOT_ALLOWED_MESSAGE },
  UnknownCaller: { name: 'NotAllowedError', message: NOT_ALLOWED_MESSAGE },
  ExtensionNotSupported: { name: 'NotSupportedError', message: 'An extension input is not supported in this request.' },
  InvalidExtensionCredentialId: { name: 'SyntaxError', message: 'An evalByCredential key is not the base64url id of a credential in allowCredentials.' },
  InvalidSignalId: { name: 'TypeError', message: 'An id is not base64url.' },
  RequestPending: { name: 'OperationError', message: 'A request is already pending.' },
  WorkerFailed: { name: 'UnknownError', message: 'Latchkey failed to answer.' },
  // Authenticator outcomes (src/authenticator/types.ts), in CTAP2 terms.
  CredentialExcluded: { name: 'InvalidStateError', message: 'The authenticator already holds one of the excluded credentials.' },
  UnsupportedAlgorithm: { name: 'NotSupportedError', message: 'None of the requested public key algorithms is supported.' },
  OperationDenied: { name: 'NotAllowedError', message: NOT_ALLOWED_MESSAGE },
  NoCredentials: { name: 'NotAllowedError', message: NOT_ALLOWED_MESSAGE },
  UnsupportedOption: { name: 'NotAllowedError', message: NOT_ALLOWED_MESSAGE },
  InvalidCredential: { name: 'NotAllowedError', message: NOT_ALLOWED_MESSAGE },
  Other: { name: 'UnknownError', message: 'The authenticator failed.' },
};

export function failure(code: FailureCode, detail?: string): Failure {
  return detail === undefined ? { code } : { code, detail };
}

/** The page-facing error for a failure. Internal messages (e.g. the authenticator's) never reach the page. */
export function toCeremonyError(f: Failure): Extract<CeremonyResponse, { type: 'error' }> {
  const entry = TABLE[f.code];
  const message = f.code === 'InvalidOptions' && f.detail !== undefined ? f.detail : entry.message;
  return { type: 'error', name: entry.name, message };
}

/** A checked value or the failure that stopped it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export function ok<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: FailureCode, detail?: string): Checked<T> {
  return { ok: false, failure: failure(code, detail) };
}
