// What the two operations run against: the ports (ports.ts) and a clock.

import type { CredentialStore, UserInterface } from './ports';

export interface AuthenticatorDeps {
  store: CredentialStore;
  ui: UserInterface;
  /** ms since the epoch */
  now: () => number;
  /**
   * Whether the UI can verify the user (a PIN). Latchkey's can, always: a vault without a PIN
   * is set up in the prompt before the ceremony goes on. Without it, a ceremony that requires
   * UV gets UnsupportedOption before any UI, and the client hands it to the browser.
   */
  userVerification: boolean;
}
