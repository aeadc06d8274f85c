// The encrypted backup file (docs/backup.md "The envelope"): the CXF document, UTF-8, sealed
// with AES-256-GCM under a key that Argon2id (RFC 9106) derives from the user's passphrase.
//
//   { "format": "latchkey-encrypted-backup", "version": 1,
//     "kdf": { "algorithm": "argon2id", "version": 19, "memoryKiB", "iterations", "parallelism", "salt" },
//     "cipher": { "algorithm": "AES-256-GCM", "nonce" },
//     "ciphertext" }
// Binary members are unpadded base64url. The ciphertext ends with GCM's 16-byte tag. The
// additional data is the ASCII text "latchkey-encrypted-backup v1".

import { fromBase64url, toBase64url } from '../protocol/base64url';
import { formatError } from './errors';
import { base64url, integer, isObject, object, string } from './fields';

export const ENVELOPE_FORMAT = 'latchkey-encrypted-backup';
const AAD = new TextEncoder().encode(`${ENVELOPE_FORMAT} v1`);

/**
 * Stronger than the vault's unlock (kdf.ts): a backup file may be attacked offline for years,
 * and it is opened rarely. 64 MiB, 3 passes, one lane (hash-wasm runs on one thread).
 */
export type KdfCost = { memoryKiB: number; iterations: number; parallelism: number };
export const BACKUP_KDF_COST: Readonly<KdfCost> = { memoryKiB: 64 * 1024, iterations: 3, parallelism: 1 };
/** What a file may ask of the KDF: enough for any honest file, too little to hang the worker. */
const KDF_BOUNDS = { memoryKiB: [8 * 1024, 1024 * 1024], iterations: [1, 16], parallelism: [1, 16] } as const;

export interface Envelope {
  format: typeof ENVELOPE_FORMAT;
  version: 1;
  kdf: { algorithm: 'argon2id'; version: 19; memoryKiB: number; iterations: number; parallelism: number; salt: string };
  cipher: { algorithm: 'AES-256-GCM'; nonce: string };
  ciphertext: string;
}

export function isEnvelope(value: unknown): boolean {
  return isObject(value) && value.format === ENVELOPE_FORMAT;
}

export { passphraseProblem } from '../protocol/backup';

async function deriveKey(passphrase: string, salt: Uint8Array, cost: { memoryKiB: number; iterations: number; parallelism: number }): Promise<CryptoKey> {
  const { argon2id } = await import('../crypto/argon2');
  const password = new TextEncoder().encode(passphrase.normalize('NFC'));
  const raw = await argon2id({ password, salt, memorySize: cost.memoryKiB, iterations: cost.iterations, parallelism: cost.parallelism, hashLength: 32, outputType: 'binary' });
  try {
    return await crypto.subtle.importKey('raw', Uint8Array.from(raw), { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  } finally {
    raw.fill(0);
    password.fill(0);
  }
}

export async function seal(plaintext: string, passphrase: string, cost: Readonly<KdfCost> = BACKUP_KDF_COST): Promise<Envelope> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const key = await deriveKey(passphrase, salt, cost);
  const data = new TextEncoder().encode(plaintext);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: AAD }, key, data));
  data.fill(0);
  return {
    format: ENVELOPE_FORMAT,
    version: 1,
    kdf: { algorithm: 'argon2id', version: 19, ...cost, salt: toBase64url(salt) },
    cipher: { algorithm: 'AES-256-GCM', nonce: toBase64url(nonce) },
    ciphertext: toBase64url(sealed),
  };
}

/** Thrown for a wrong passphrase, or a file changed since it was sealed: GCM can't tell them apart. */
export class WrongPassphraseError extends Error {
  override readonly name = 'WrongPassphraseError';
  constructor() {
    super('That passphrase does not open this file (or the file was changed since it was saved).');
  }
}

/** The envelope's members, checked; throws BackupFormatError. */
export function readEnvelope(value: unknown): { salt: Uint8Array; nonce: Uint8Array; ciphertext: Uint8Array; cost: { memoryKiB: number; iterations: number; parallelism: number } } {
  const place = 'The encrypted file';
  const envelope = object(value, place);
  if (envelope.version !== 1) throw formatError(place, 'has a version other than 1');
  const kdf = object(envelope.kdf, `${place}, kdf`);
  if (kdf.algorithm !== 'argon2id' || kdf.version !== 19) throw formatError(`${place}, kdf`, 'is not Argon2id version 19');
  const cost = { memoryKiB: integer(kdf, 'memoryKiB', `${place}, kdf`), iterations: integer(kdf, 'iterations', `${place}, kdf`), parallelism: integer(kdf, 'parallelism', `${place}, kdf`) };
  for (const key of ['memoryKiB', 'iterations', 'parallelism'] as const) {
    const [min, max] = KDF_BOUNDS[key];
    if (cost[key] < min || cost[key] > max) throw formatError(`${place}, kdf`, `${key} is outside ${min}–${max}`);
  }
  const cipher = object(envelope.cipher, `${place}, cipher`);
  if (cipher.algorithm !== 'AES-256-GCM') throw formatError(`${place}, cipher`, 'is not AES-256-GCM');
  const nonce = base64url(cipher, 'nonce', `${place}, cipher`, 12);
  if (nonce.length !== 12) throw formatError(`${place}, cipher`, 'nonce is not 12 bytes');
  string(envelope, 'ciphertext', place, 64 * 1024 * 1024);
  const ciphertext = fromBase64url(envelope.ciphertext as string);
  if (!ciphertext || ciphertext.length < 17) throw formatError(place, 'ciphertext is not base64url');
  return { salt: base64url(kdf, 'salt', `${place}, kdf`, 64, 8), nonce, ciphertext, cost };
}

/** The sealed text; throws BackupFormatError (malformed) or WrongPassphraseError. */
export async function open(value: unknown, passphrase: string): Promise<string> {
  const { salt, nonce, ciphertext, cost } = readEnvelope(value);
  const key = await deriveKey(passphrase, salt, cost);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: Uint8Array.from(nonce), additionalData: AAD }, key, Uint8Array.from(ciphertext));
  } catch {
    throw new WrongPassphraseError();
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    throw formatError('The encrypted file', 'holds text that is not UTF-8');
  } finally {
    new Uint8Array(plain).fill(0);
  }
}
