// Key wrapping (docs/security.md#key-hierarchy), on WebCrypto directly:
//
//   KEK (Argon2id of the PIN, kdf.ts) --AES-256-GCM, AAD = "latchkey vault key"--> vault key (DEK, 32 random bytes)
//   DEK --AES-256-GCM, AAD = uint16be(len(credentialId)) || credentialId || utf8(rpId)--> private key
//
//   DEK --AES-256-GCM, AAD = privateKeyAad || 0x00 || utf8(purpose)--> a credential's other secrets
//        (purpose: prf-uv, prf-nouv, largeBlob)
//
// The length prefix is two bytes, big-endian, so that (id, rpId) pairs can never run into each
// other: ids are 16 bytes today, but the spec allows up to 1023. Binding the id and rpId means
// a wrapped key copied onto another credential row, or another site, fails to unwrap.
//
// Vaults made before the PIN existed wrapped the DEK under a non-extractable "device key"
// with the same AAD; set-up re-wraps that same DEK under the KEK (vault-key.ts), so the
// device-key helpers stay for that migration only.
//
// These are small AES-GCM helpers; once src/crypto has its aead module they may move onto it.

import { VaultError } from './errors';

export interface WrappedKey {
  /** 12 random bytes, fresh for every encryption. */
  iv: Uint8Array;
  /** AES-GCM ciphertext with its 16-byte tag appended. */
  ciphertext: Uint8Array;
}

const IV_BYTES = 12;
const DEK_BYTES = 32;
const AES_GCM_256 = { name: 'AES-GCM', length: 256 } as const;
const VAULT_KEY_AAD = new TextEncoder().encode('latchkey vault key');

/** uint16be(len(credentialId)) || credentialId || utf8(rpId) */
export function privateKeyAad(credentialId: Uint8Array, rpId: string): Uint8Array<ArrayBuffer> {
  if (credentialId.length > 0xffff) throw new RangeError('credential id longer than 65535 bytes');
  const rp = new TextEncoder().encode(rpId);
  const aad = new Uint8Array(2 + credentialId.length + rp.length);
  aad[0] = credentialId.length >> 8;
  aad[1] = credentialId.length & 0xff;
  aad.set(credentialId, 2);
  aad.set(rp, 2 + credentialId.length);
  return aad;
}

export async function wrapPrivateKey(
  dek: CryptoKey,
  credentialId: Uint8Array,
  rpId: string,
  privateKey: Uint8Array,
): Promise<WrappedKey> {
  return seal(dek, privateKey, privateKeyAad(credentialId, rpId));
}

/** The caller owns the returned plaintext and must wipe it. */
export async function unwrapPrivateKey(
  dek: CryptoKey,
  credentialId: Uint8Array,
  rpId: string,
  wrapped: WrappedKey,
): Promise<Uint8Array> {
  return open(dek, wrapped, privateKeyAad(credentialId, rpId), 'private key');
}

/**
 * What a credential's other secrets are for. An rpId is a domain and holds no 0x00, so the
 * purpose after that byte can never be read as part of it: a secret moved to another purpose
 * (the PRF secret without UV into the UV slot, say) or onto the private key fails to unwrap.
 */
export type SecretPurpose = 'prf-uv' | 'prf-nouv' | 'largeBlob';

/** privateKeyAad(credentialId, rpId) || 0x00 || utf8(purpose) */
export function secretAad(credentialId: Uint8Array, rpId: string, purpose: SecretPurpose): Uint8Array<ArrayBuffer> {
  const base = privateKeyAad(credentialId, rpId);
  const tail = new TextEncoder().encode(purpose);
  const aad = new Uint8Array(base.length + 1 + tail.length);
  aad.set(base);
  aad.set(tail, base.length + 1);
  return aad;
}

export function wrapSecret(dek: CryptoKey, credentialId: Uint8Array, rpId: string, purpose: SecretPurpose, secret: Uint8Array): Promise<WrappedKey> {
  return seal(dek, secret, secretAad(credentialId, rpId, purpose));
}

/** The caller owns the returned plaintext and must wipe it. */
export function unwrapSecret(dek: CryptoKey, credentialId: Uint8Array, rpId: string, purpose: SecretPurpose, wrapped: WrappedKey): Promise<Uint8Array> {
  return open(dek, wrapped, secretAad(credentialId, rpId, purpose), purpose);
}

/** A fresh device key: AES-256-GCM that WebCrypto will never export. */
export function generateDeviceKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey(AES_GCM_256, false, ['encrypt', 'decrypt']);
}

/** Makes a new random DEK and returns it wrapped by `kek`; the raw bytes are wiped. */
export async function generateWrappedVaultKey(kek: CryptoKey): Promise<WrappedKey> {
  const raw = crypto.getRandomValues(new Uint8Array(DEK_BYTES));
  try {
    return await seal(kek, raw, VAULT_KEY_AAD);
  } finally {
    raw.fill(0);
  }
}

/** A fresh random DEK, raw. The caller owns it and must wipe it. */
export function generateVaultKeyBytes(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(DEK_BYTES));
}

/** Wraps the DEK's raw bytes under `kek`. */
export function wrapVaultKey(kek: CryptoKey, rawDek: Uint8Array): Promise<WrappedKey> {
  if (rawDek.length !== DEK_BYTES) throw new RangeError('the vault key is 32 bytes');
  return seal(kek, rawDek, VAULT_KEY_AAD);
}

/** The DEK's raw bytes, unwrapped by `kek`. The caller owns them and must wipe them. */
export function unwrapVaultKeyBytes(kek: CryptoKey, wrapped: WrappedKey): Promise<Uint8Array<ArrayBuffer>> {
  return open(kek, wrapped, VAULT_KEY_AAD, 'vault key');
}

/** The DEK's raw bytes as a non-extractable AES-256-GCM CryptoKey. */
export async function importVaultKey(rawDek: Uint8Array): Promise<CryptoKey> {
  const copy = Uint8Array.from(rawDek);
  try {
    return await crypto.subtle.importKey('raw', copy, AES_GCM_256, false, ['encrypt', 'decrypt']);
  } finally {
    copy.fill(0);
  }
}

/** Unwraps the DEK into a non-extractable CryptoKey; the raw bytes are wiped. */
export async function unwrapVaultKey(kek: CryptoKey, wrapped: WrappedKey): Promise<CryptoKey> {
  const raw = await open(kek, wrapped, VAULT_KEY_AAD, 'vault key');
  try {
    return await crypto.subtle.importKey('raw', raw, AES_GCM_256, false, ['encrypt', 'decrypt']);
  } finally {
    raw.fill(0);
  }
}

async function seal(key: CryptoKey, plaintext: Uint8Array, aad: Uint8Array<ArrayBuffer>): Promise<WrappedKey> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  // WebCrypto's types refuse views that could sit on a SharedArrayBuffer; copy those (and wipe the copy).
  const input = isOnArrayBuffer(plaintext) ? plaintext : Uint8Array.from(plaintext);
  try {
    const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, input);
    return { iv, ciphertext: new Uint8Array(ciphertext) };
  } finally {
    if (input !== plaintext) input.fill(0);
  }
}

async function open(
  key: CryptoKey,
  wrapped: WrappedKey,
  aad: Uint8Array<ArrayBuffer>,
  what: string,
): Promise<Uint8Array<ArrayBuffer>> {
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: Uint8Array.from(wrapped.iv), additionalData: aad },
      key,
      Uint8Array.from(wrapped.ciphertext),
    );
    return new Uint8Array(plaintext);
  } catch (cause) {
    throw new VaultError('unwrap-failed', `the ${what} did not unwrap`, { cause });
  }
}

function isOnArrayBuffer(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer;
}
