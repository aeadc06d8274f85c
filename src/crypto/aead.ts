// AES-256-GCM with associated data (NIST SP 800-38D), by WebCrypto. For the vault: each
// private key is sealed under the DEK with AAD = len(credentialId) || credentialId || rpId
// (docs/security.md#key-hierarchy). A fresh random 96-bit IV per encryption; 128-bit tag.

import { ownedCopy, wipe } from './bytes';
import { randomBytes } from './random';

export const AES_GCM_IV_BYTES = 12;
export const AES_GCM_TAG_BYTES = 16;
const AES_256_KEY_BYTES = 32;

export interface AesGcmSealed {
  /** 12 random bytes, unique per encryption under one key */
  iv: Uint8Array;
  /** ciphertext followed by the 16-byte authentication tag (WebCrypto's layout) */
  ciphertext: Uint8Array;
}

/** A raw 32-byte key as a non-extractable (by default) AES-GCM CryptoKey for encrypt and decrypt. */
export async function importAesGcmKey(raw: Uint8Array, extractable = false): Promise<CryptoKey> {
  if (raw.length !== AES_256_KEY_BYTES) throw new RangeError(`AES-256-GCM needs a 32-byte key, got ${raw.length}`);
  const copy = ownedCopy(raw);
  try {
    return await crypto.subtle.importKey('raw', copy, { name: 'AES-GCM' }, extractable, ['encrypt', 'decrypt']);
  } finally {
    wipe(copy);
  }
}

function asKey(key: Uint8Array | CryptoKey): Promise<CryptoKey> {
  return key instanceof Uint8Array ? importAesGcmKey(key) : Promise.resolve(key);
}

/**
 * Encrypts `plaintext` under `key` (raw 32 bytes, or an AES-GCM CryptoKey) and binds `aad`,
 * which is authenticated but not encrypted. Decrypting needs the same `aad`.
 */
export async function aesGcmEncrypt(key: Uint8Array | CryptoKey, plaintext: Uint8Array, aad: Uint8Array): Promise<AesGcmSealed> {
  const iv = randomBytes(AES_GCM_IV_BYTES);
  const cryptoKey = await asKey(key);
  const plaintextCopy = ownedCopy(plaintext); // often a private key: wiped below
  try {
    const ciphertext = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: ownedCopy(iv), additionalData: ownedCopy(aad), tagLength: AES_GCM_TAG_BYTES * 8 },
      cryptoKey,
      plaintextCopy,
    );
    return { iv, ciphertext: new Uint8Array(ciphertext) };
  } finally {
    wipe(plaintextCopy);
  }
}

/**
 * Opens what aesGcmEncrypt sealed. Rejects with an Error when the key, the IV or the AAD
 * differs or a byte was changed: nothing unauthenticated is ever returned.
 */
export async function aesGcmDecrypt(key: Uint8Array | CryptoKey, sealed: AesGcmSealed, aad: Uint8Array): Promise<Uint8Array> {
  if (sealed.iv.length !== AES_GCM_IV_BYTES) throw new RangeError(`AES-GCM IV must be ${AES_GCM_IV_BYTES} bytes`);
  const cryptoKey = await asKey(key);
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: ownedCopy(sealed.iv), additionalData: ownedCopy(aad), tagLength: AES_GCM_TAG_BYTES * 8 },
      cryptoKey,
      ownedCopy(sealed.ciphertext),
    );
  } catch (cause) {
    throw new Error('aesGcmDecrypt: authentication failed (wrong key or AAD, or altered data)', { cause });
  }
  return new Uint8Array(plaintext);
}
