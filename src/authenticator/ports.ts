// The authenticator's two ports (docs/architecture.md#layers-in-src; the shape follows 1Password's
// passkey-rs: Authenticator -> CredentialStore, UserValidationMethod). src/vault implements
// CredentialStore; background.ts implements UserInterface with the prompt window.
// Tests implement both with a fake store and a scripted user.

/** What is kept about a passkey besides its private key. Never holds key material. */
export interface CredentialRecord {
  /** 16 random bytes (docs/architecture.md#credentials). */
  credentialId: Uint8Array;
  rpId: string;
  rpName: string;
  userHandle: Uint8Array;
  userName: string;
  userDisplayName: string;
  /** The name the user gave it in the prompt (default: user name and site). */
  friendlyName: string;
  /** COSE algorithm identifier: -7 ES256, -8 EdDSA, -257 RS256. */
  alg: number;
  /** The credential public key as a COSE_Key (CTAP2 canonical CBOR). */
  publicKey: Uint8Array;
  /** Always true: every credential is stored as discoverable. */
  discoverable: true;
  /** BS flag: true once the credential has been exported or synced. */
  backupState: boolean;
  /** ms since the epoch */
  createdAt: number;
  lastUsedAt: number | null;
  /**
   * Shown: the current passkey of the same rpId and user.id, when a later create superseded
   * this one (docs/architecture.md#a-create-for-the-same-rpid-and-userid). A superseded passkey stays
   * usable: choosers show it as the account's earlier passkey, and it answers a get that names it.
   * Hidden as 'retired': the newer passkey the site showed it knows.
   */
  supersededBy?: Uint8Array;
  /** Removed by the site: never offered, never answers a get; only the user restores or erases it. */
  hidden?: HiddenBy;
  /** The user renamed it; a backup keeps this (src/backup). */
  nameEdited?: boolean;
  /**
   * The signature counter, only for a passkey imported from a manager that counted (Bitwarden,
   * KeePassXC) with a counter above 0: it keeps rising (countSignIn) so sites that check
   * counters accept it. Absent: the counter is 0, as synced providers do.
   */
  signCount?: number;
}

/** hmac-secret's two per-credential secrets (CTAP2.1 §12.5), 32 random bytes each. */
export interface PrfSecrets {
  /** for assertions whose authenticator data has UV=1 */
  withUV: Uint8Array;
  withoutUV: Uint8Array;
}

/** A credential's secrets besides its private key, as create, export and import carry them. */
export interface CredentialSecrets {
  prf?: PrfSecrets;
  largeBlob?: Uint8Array;
}

/**
 * Why a passkey is hidden: a site's signal ('site', L3 §5.1.10), or evidence that the site
 * knows the newer passkey of the same account ('retired'; it comes back when that one is hidden
 * or deleted).
 */
export type HiddenBy = 'site' | 'retired';

/** signalCurrentUserDetails: the account's names as the site now has them. */
export interface UserDetails {
  name: string;
  displayName: string;
}

/**
 * Where credentials are kept. The authenticator waits for a write but not for what it
 * resolves with (the vault reports what the write changed in its catalog, for the manager).
 */
export interface CredentialStore {
  /** Every credential for rpId, superseded ones included. Never reads private keys. */
  listByRpId(rpId: string): Promise<CredentialRecord[]>;
  get(credentialId: Uint8Array): Promise<CredentialRecord | undefined>;
  /** The credentials with these ids, in their order (undefined where none), read in one go. */
  getMany(credentialIds: readonly Uint8Array[]): Promise<(CredentialRecord | undefined)[]>;
  /**
   * Saves a new credential with its private key, and marks each of `supersedes` as
   * superseded by it, in one transaction: all of it is written or none.
   */
  create(record: CredentialRecord, privateKey: Uint8Array, supersedes: Uint8Array[], secrets?: CredentialSecrets): Promise<unknown>;
  /**
   * Unwraps the credential's private key for one operation and wipes the copy after
   * `use` settles. Rejects if the credential does not exist or cannot be unwrapped.
   */
  withPrivateKey<T>(credentialId: Uint8Array, use: (privateKey: Uint8Array) => Promise<T> | T): Promise<T>;
  /**
   * Unwraps the credential's PRF secret for `userVerified` (withUV or withoutUV) for one
   * operation, as withPrivateKey does. Resolves undefined when the credential has no PRF secrets.
   */
  withPrfSecret<T>(credentialId: Uint8Array, userVerified: boolean, use: (secret: Uint8Array) => Promise<T> | T): Promise<T | undefined>;
  /** The credential's largeBlob, decrypted; undefined when none is stored. */
  readLargeBlob(credentialId: Uint8Array): Promise<Uint8Array | undefined>;
  /** Replaces the credential's largeBlob. */
  writeLargeBlob(credentialId: Uint8Array, blob: Uint8Array): Promise<unknown>;
  /** Records a successful sign-in: sets lastUsedAt. Deletes nothing (a sign-in is no evidence). */
  recordSignIn(credentialId: Uint8Array, at: number): Promise<unknown>;
  /**
   * Evidence, from a ceremony at an origin valid for rpId, that the site knows these
   * credentials (allowCredentials, excludeCredentials): each one held and shown retires the
   * older passkeys of its account that the same list does not name. Ids not held are ignored.
   */
  siteKnows(rpId: string, credentialIds: readonly Uint8Array[]): Promise<unknown>;
  /** L3 §5.1.10.1 signalUnknownCredential: hides that credential of rpId, if held. */
  hideUnknown(rpId: string, credentialId: Uint8Array): Promise<unknown>;
  /**
   * L3 §5.1.10.2 signalAllAcceptedCredentials: this account's credentials not listed are
   * hidden, listed ones that were hidden come back; the listed ones are evidence as in siteKnows.
   */
  acceptOnly(rpId: string, userHandle: Uint8Array, credentialIds: readonly Uint8Array[]): Promise<unknown>;
  /**
   * L3 §5.1.10.3 signalCurrentUserDetails: sets the account's user name and display name, and
   * each friendly name to `friendlyName(record)` (given the record before the change).
   */
  updateUser(rpId: string, userHandle: Uint8Array, details: UserDetails, friendlyName: (before: CredentialRecord) => string): Promise<unknown>;
  /**
   * recordSignIn for a credential with a signCount: the same, and the counter incremented, in one
   * transaction. Resolves with the new counter, which the assertion carries.
   */
  countSignIn(credentialId: Uint8Array, at: number): Promise<{ signCount: number }>;
}

/**
 * A store's errors say whether the credential is unusable: gone, or its key does not
 * unwrap. The authenticator answers that as "no matching credential", which the page cannot
 * tell from a cancel (L3 §14.5.2).
 */
export interface CredentialStoreError {
  readonly credentialUnusable: boolean;
}

export function isUnusableCredential(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as Partial<CredentialStoreError>).credentialUnusable === true;
}

/** How the user left the prompt without approving. */
export type UserDeclined =
  | { kind: 'cancel' }
  /** "Use a phone or tablet": hand the ceremony to the browser with hints ['hybrid']. */
  | { kind: 'other-device' }
  /** "Use a security key": the same with hints ['security-key']. */
  | { kind: 'security-key' };

export interface RelyingPartySummary {
  id: string;
  name: string;
}

/**
 * User verification (docs/architecture.md#user-verification): a request with `userVerification: true`
 * asks the UI to verify the user (the PIN, typed in this ceremony) as part of consent. An
 * approval says whether it did; the authenticator sets the UV flag from `userVerified` only.
 */
export interface UserInterface {
  /** L3 §6.3.2 step 6-7: consent to create a passkey; the user may edit its friendly name. */
  confirmCreate(request: {
    rp: RelyingPartySummary;
    user: { name: string; displayName: string };
    defaultFriendlyName: string;
    userVerification: boolean;
    /** The account's current passkey when it has never signed in: the new one replaces it once the site confirms. */
    replacing?: CredentialRecord;
  }): Promise<{ kind: 'approve'; friendlyName: string; userVerified: boolean } | UserDeclined>;

  /** L3 §6.3.2 step 3: an excludeCredentials hit. The user acknowledges; the RP gets InvalidStateError. */
  acknowledgeExcluded(request: { rp: RelyingPartySummary; existing: CredentialRecord }): Promise<{ kind: 'approve' } | UserDeclined>;

  /**
   * L3 §6.3.3 step 6-7: pick one of the candidates (one candidate: confirm it). `credentialId` is
   * one of the candidates' ids.
   */
  chooseCredential(request: {
    rp: RelyingPartySummary;
    candidates: CredentialRecord[];
    userVerification: boolean;
  }): Promise<{ kind: 'approve'; credentialId: Uint8Array; userVerified: boolean } | UserDeclined>;
}
