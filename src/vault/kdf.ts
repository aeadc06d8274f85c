// The key-encryption key (KEK) from the user's PIN or passphrase (docs/security.md#key-hierarchy):
//
//   PIN --Argon2id (RFC 9106, hash-wasm)--> 32 bytes --> AES-256-GCM KEK (non-extractable)
//
// Argon2id's memory cost is what makes an offline guess expensive. ARGON2ID_COST was chosen
// on this project's 2-core machine: with 64 MiB, 3 passes measured 0.9-1.1 s from PIN to
// unlocked in the prompt (bench "unlock", 2026-11-26), at the top of the 0.3-1 s an unlock may
// cost. 2 passes keep the 64 MiB: Argon2id alone went from 434 to 370 ms (Node, median of 6
// interleaved runs; filling the memory is most of it, so a pass is not a third). One lane:
// hash-wasm runs on one thread, so more lanes would only divide the memory per pass.
//
// The parameters are stored beside the wrapped vault key, so a later release can raise them
// for new PINs while old vaults still open.

export interface Argon2idParams {
  algorithm: 'argon2id';
  /** Argon2 version 0x13 (RFC 9106 §3.1). */
  version: 0x13;
  /** 16 random bytes, fresh for every PIN set. */
  salt: Uint8Array;
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

export type Argon2idCost = Pick<Argon2idParams, 'memoryKiB' | 'iterations' | 'parallelism'>;

/** Memory >= 64 MiB (docs/architecture.md); passes chosen so an unlock takes 0.3-1 s here. */
export const ARGON2ID_COST: Argon2idCost = { memoryKiB: 64 * 1024, iterations: 2, parallelism: 1 };

const SALT_BYTES = 16;
const KEK_BYTES = 32;

/** Fresh parameters for a new PIN: a new salt at `cost`. */
export function newKdfParams(cost: Argon2idCost = ARGON2ID_COST): Argon2idParams {
  return { algorithm: 'argon2id', version: 0x13, salt: crypto.getRandomValues(new Uint8Array(SALT_BYTES)), ...cost };
}

/**
 * The PIN as bytes: Unicode NFC first, so that the same passphrase typed on another keyboard
 * or system (composed or decomposed accents) gives the same key.
 */
export function pinBytes(pin: string): Uint8Array {
  return new TextEncoder().encode(pin.normalize('NFC'));
}

/** Runs Argon2id over the PIN and returns the KEK as a non-extractable AES-256-GCM key. */
export async function deriveKek(pin: string, params: Argon2idParams): Promise<CryptoKey> {
  if (params.algorithm !== 'argon2id' || params.version !== 0x13) throw new RangeError('unknown KDF');
  const { argon2id } = await import('../crypto/argon2');
  const password = pinBytes(pin);
  const raw = await argon2id({
    password,
    salt: Uint8Array.from(params.salt),
    memorySize: params.memoryKiB,
    iterations: params.iterations,
    parallelism: params.parallelism,
    hashLength: KEK_BYTES,
    outputType: 'binary',
  });
  try {
    return await crypto.subtle.importKey('raw', Uint8Array.from(raw), { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  } finally {
    raw.fill(0);
    password.fill(0);
  }
}

export interface UnlockMeasurement {
  cost: Argon2idCost;
  /** Each run's wall time for deriving the KEK, in ms. */
  samplesMs: number[];
  medianMs: number;
}

/**
 * What one unlock costs here: derives the KEK `runs` times at `cost` (the shipped cost by
 * default) and reports the times. The benchmark calls this; it touches no vault.
 */
export async function measureUnlock(runs = 5, cost: Argon2idCost = ARGON2ID_COST): Promise<UnlockMeasurement> {
  const params = newKdfParams(cost);
  const samplesMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await deriveKek('correct horse battery staple', params);
    samplesMs.push(performance.now() - started);
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { cost, samplesMs, medianMs };
}
