// What the two operations run against: the ports (ports.ts) and a clock.

import type { CredentialStore, UserInterface } from './ports';

export interface AuthenticatorDeps {
  store: CredentialStore;
  ui: UserInterface;
  /** ms since the epoch */
  now: () => number;
}
