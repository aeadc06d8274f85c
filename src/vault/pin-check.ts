// The PIN check for user verification while the vault is unlocked (docs/architecture.md#user-verification): HMAC-SHA-256 under the DEK of the PIN, kept in storage.session beside the
// DEK. Checking a typed PIN against it takes milliseconds; only unlocking runs Argon2id.
// Whoever can read it already holds the DEK, so it tells them nothing new.

import { pinBytes } from './kdf';

const LABEL = new TextEncoder().encode('latchkey pin check\0');

/** The DEK's raw bytes as a non-extractable HMAC-SHA-256 key for the PIN check. */
export async function importPinCheckKey(rawDek: Uint8Array): Promise<CryptoKey> {
  const copy = Uint8Array.from(rawDek);
  try {
    return await crypto.subtle.importKey('raw', copy, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  } finally {
    copy.fill(0);
  }
}

/** HMAC-SHA-256(key = DEK, "latchkey pin check\0" || NFC(pin)). */
export async function pinCheck(key: CryptoKey, pin: string): Promise<Uint8Array> {
  const pinUtf8 = pinBytes(pin);
  const message = new Uint8Array(LABEL.length + pinUtf8.length);
  message.set(LABEL);
  message.set(pinUtf8, LABEL.length);
  try {
    return new Uint8Array(await crypto.subtle.sign('HMAC', key, message));
  } finally {
    pinUtf8.fill(0);
    message.fill(0);
  }
}

/** Whether `pin` is the PIN that `expected` was made from, compared in constant time. */
export async function pinMatches(key: CryptoKey, pin: string, expected: Uint8Array): Promise<boolean> {
  const actual = await pinCheck(key, pin);
  if (actual.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < actual.length; i++) difference |= actual[i]! ^ expected[i]!;
  return difference === 0;
}
