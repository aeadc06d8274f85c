// src/authenticator: the authenticator model (CTAP2 semantics, no transport). It sees the
// world only through its ports (ports.ts) and src/crypto.

import type { AuthenticatorDeps } from './deps';
import { getAssertion } from './get-assertion';
import { makeCredential } from './make-credential';
import type { CredentialStore, UserInterface } from './ports';
import { applySignal, type AuthenticatorSignal } from './signals';
import type {
  AuthenticatorOutcome,
  GetAssertionParams,
  GetAssertionResult,
  MakeCredentialParams,
  MakeCredentialResult,
} from './types';

export interface Authenticator {
  /** L3 §6.3.2 authenticatorMakeCredential */
  makeCredential(params: MakeCredentialParams): Promise<AuthenticatorOutcome<MakeCredentialResult>>;
  /** L3 §6.3.3 authenticatorGetAssertion */
  getAssertion(params: GetAssertionParams): Promise<AuthenticatorOutcome<GetAssertionResult>>;
  /** L3 §5.1.10: a site's signal about the credentials it knows. Never shows UI. */
  signal(signal: AuthenticatorSignal): Promise<void>;
}

export interface Clock {
  /** ms since the epoch */
  now(): number;
}

const systemClock: Clock = { now: () => Date.now() };

export interface AuthenticatorOptions {
  /** The UI can verify the user (AuthenticatorDeps.userVerification). Default false. */
  userVerification?: boolean;
}

/** The authenticator over a credential store (src/vault) and a consent UI (the prompt window). */
export function createAuthenticator(
  store: CredentialStore,
  ui: UserInterface,
  clock: Clock = systemClock,
  options: AuthenticatorOptions = {},
): Authenticator {
  const deps: AuthenticatorDeps = { store, ui, now: () => clock.now(), userVerification: options.userVerification ?? false };
  return {
    makeCredential: (params) => makeCredential(deps, params),
    getAssertion: (params) => getAssertion(deps, params),
    signal: (signal) => applySignal(deps, signal),
  };
}

export type { AuthenticatorSignal } from './signals';
export type { CredentialRecord, CredentialStore, RelyingPartySummary, UserDeclined, UserInterface } from './ports';
export type {
  AuthenticatorErrorCode,
  AuthenticatorOutcome,
  GetAssertionParams,
  GetAssertionResult,
  MakeCredentialParams,
  MakeCredentialResult,
} from './types';
export { COSE_ALG } from './types';
export { LATCHKEY_AAGUID, LATCHKEY_AAGUID_STRING } from './aaguid';
