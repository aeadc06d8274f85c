// The vault's failures as values with a code (STYLE.md: errors are never strings compared).
// src/client maps them to DOMException names in its one table; a missing credential and a
// failed unwrap must both look like "no matching credential" to the page.

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
  | 'corrupt';

export class VaultError extends Error {
  override readonly name = 'VaultError';

  constructor(
    readonly code: VaultErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
