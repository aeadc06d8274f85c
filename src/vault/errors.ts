// The vault's failures as values with a code (errors are never strings compared). At the
// CredentialStore port a missing credential and a failed unwrap are `credentialUnusable`: the
// authenticator answers both as "no matching credential" (src/authenticator/ports.ts).

import type { CredentialStoreError } from '../authenticator/ports';

export type VaultErrorCode =
  /** No credential with that id. */
  | 'not-found'
  /** create() with a credential id that is already stored. */
  | 'already-exists'
  /** create() was asked to supersede a credential of another rpId or user, or itself. */
  | 'invalid-supersedes'
  /** A wrapped key (a private key or the vault key) failed AES-GCM authentication. */
  | 'unwrap-failed'
  /** A stored row is not in the shape this code writes. */
  | 'corrupt'
  /** The vault has a PIN but is locked: the DEK is not in memory or storage.session. */
  | 'locked'
  /** No PIN yet (a new vault, or a device-key vault from before the lock): set-up comes first. */
  | 'not-set-up'
  /** Set-up was asked for a vault that already has a PIN. */
  | 'already-set-up'
  /** The PIN did not unwrap the vault key, or did not match the unlocked vault's PIN check. */
  | 'wrong-pin'
  /** Too many wrong PINs in a row: no PIN is tried before `retryAt`. */
  | 'backoff'
  /** The new PIN is shorter than the minimum. */
  | 'weak-pin';

export class VaultError extends Error implements CredentialStoreError {
  override readonly name = 'VaultError';

  /** The credential is gone or its key does not unwrap: to the page, no matching credential. */
  get credentialUnusable(): boolean {
    return this.code === 'not-found' || this.code === 'unwrap-failed';
  }

  /** For 'backoff' and 'wrong-pin': when the next PIN may be tried (ms since the epoch). */
  readonly retryAt: number | undefined;

  constructor(
    readonly code: VaultErrorCode,
    message: string,
    options?: ErrorOptions & { retryAt?: number },
  ) {
    super(message, options);
    this.retryAt = options?.retryAt;
  }
}
