// The authenticator as the client sees it. src/authenticator/index.ts exports the same
// `Authenticator` type; it is declared here from the shared types so that src/client does
// not depend on the engine's implementation (and tests can hand in a fake).

import type {
  AuthenticatorOutcome,
  GetAssertionParams,
  GetAssertionResult,
  MakeCredentialParams,
  MakeCredentialResult,
} from '../authenticator/types';

export interface Authenticator {
  makeCredential(p: MakeCredentialParams): Promise<AuthenticatorOutcome<MakeCredentialResult>>;
  getAssertion(p: GetAssertionParams): Promise<AuthenticatorOutcome<GetAssertionResult>>;
}
