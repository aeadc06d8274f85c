// The vault key (DEK) in the meta store, behind the user's PIN (docs/security.md#key-hierarchy):
// set-up, unlock, change of PIN, wrong-PIN back-off, and reset.
//
//   PIN --Argon2id--> KEK --AES-256-GCM--> DEK --AES-256-GCM, AAD--> each private key
//
// WebCrypto and Argon2id run before a transaction opens, never inside one: an await on
// anything but a request of that transaction lets IndexedDB commit it under us. Each write
// is then one readwrite transaction over `meta` that first checks the row it replaces is the
// one the work was done on, so two contexts racing each other cannot both win.

import type { IDBPDatabase } from 'idb';
import { bytesEqual } from '../crypto/bytes';
import { pinProblem } from '../protocol/lock';
import { retryAt, type PinFailures } from './backoff';
import { CATALOG_STAMP, newStamp } from './catalog';
import { VaultError } from './errors';
import { ARGON2ID_COST, deriveKek, newKdfParams, type Argon2idCost } from './kdf';
import { PIN_FAILURES, VAULT_KEY, type LatchkeyDB, type PinVaultKeyRow, type VaultKeyRow } from './schema';
import { generateVaultKeyBytes, unwrapVaultKeyBytes, wrapVaultKey, type WrappedKey } from './wrap';

type Db = IDBPDatabase<LatchkeyDB>;

/** 'new': nothing yet; 'device': made before the PIN existed (set-up migrates it); 'pin': set up. */
export type VaultKeyKind = 'new' | VaultKeyRow['kind'];

export async function readVaultKeyRow(db: Db): Promise<VaultKeyRow | undefined> {
  const row = await db.get('meta', VAULT_KEY);
  if (row === undefined) return undefined;
  if (row.name !== VAULT_KEY) throw new VaultError('corrupt', 'the vault key row has another name');
  return row;
}

export async function vaultKeyKind(db: Db): Promise<VaultKeyKind> {
  return (await readVaultKeyRow(db))?.kind ?? 'new';
}

export async function readPinFailures(db: Db): Promise<PinFailures | undefined> {
  const row = await db.get('meta', PIN_FAILURES);
  if (row === undefined) return undefined;
  if (row.name !== PIN_FAILURES) throw new VaultError('corrupt', 'the PIN failures row has another name');
  return { count: row.count, lastFailureAt: row.lastFailureAt };
}

/**
 * When a PIN is tried: the wall clock and, within one service worker's life, a monotonic one
 * (performance.now) that a clock set forward does not move (backoff.ts, retryAt).
 */
export interface PinClock {
  now(): number;
  monotonic?(): number;
}

/** A fixed time, or a clock read when the try's turn comes (tries wait for each other). */
export type PinTime = number | PinClock;

function clockOf(time: PinTime): PinClock {
  return typeof time === 'number' ? { now: () => time } : time;
}

/**
 * The monotonic time of the last wrong PIN this worker recorded, by vault: it is only known
 * for the clock that took it and while the count is still the one it recorded.
 */
const marks = new Map<string, { clock: PinClock; count: number; at: number }>();

function monotonicElapsed(db: Db, clock: PinClock, failures: PinFailures | undefined): number | undefined {
  const mark = marks.get(db.name);
  if (!failures || !clock.monotonic || mark?.clock !== clock || mark.count !== failures.count) return undefined;
  return clock.monotonic() - mark.at;
}

function markFailure(db: Db, clock: PinClock, count: number, at: number | undefined): void {
  if (at === undefined) marks.delete(db.name);
  else marks.set(db.name, { clock, count, at });
}

/** The tail of each vault's queue of PIN tries: one try at a time per vault (in this worker). */
const turns = new Map<string, Promise<void>>();

function oneAtATime<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const result = (turns.get(db.name) ?? Promise.resolve()).then(work);
  const done = result.then(() => undefined, () => undefined);
  turns.set(db.name, done);
  void done.then(() => {
    if (turns.get(db.name) === done) turns.delete(db.name);
  });
  return result;
}

function backoffError(at: number): VaultError {
  return new VaultError('backoff', 'Too many wrong PINs: wait before trying again', { retryAt: at });
}

function wrongPinError(db: Db, clock: PinClock, failures: PinFailures): VaultError {
  const now = clock.now();
  return new VaultError('wrong-pin', 'That PIN is not right', { retryAt: retryAt(failures, now, monotonicElapsed(db, clock, failures)) ?? now });
}

/**
 * The wrong PINs so far, with a last one stamped in the future (the clock was set back)
 * brought back to now, and stored so: the wait then counts from now and does not drift.
 */
async function settledFailures(db: Db, now: number): Promise<PinFailures | undefined> {
  const failures = await readPinFailures(db);
  if (!failures || failures.lastFailureAt <= now) return failures;
  const tx = db.transaction('meta', 'readwrite');
  const row = await tx.store.get(PIN_FAILURES);
  let settled: PinFailures | undefined;
  if (row?.name === PIN_FAILURES) {
    settled = { count: row.count, lastFailureAt: Math.min(row.lastFailureAt, now) };
    await tx.store.put({ name: PIN_FAILURES, ...settled });
  }
  await tx.done;
  return settled;
}

/** The wrong PINs in a row and when the next try may come (null: now), for the lock's status. */
export async function pinBackoff(db: Db, time: PinTime): Promise<{ count: number; retryAt: number | null }> {
  const clock = clockOf(time);
  const now = clock.now();
  const failures = await settledFailures(db, now);
  return { count: failures?.count ?? 0, retryAt: retryAt(failures, now, monotonicElapsed(db, clock, failures)) };
}

/**
 * The start of a PIN try that runs Argon2id: in one transaction, throws 'backoff' while wrong
 * PINs make it wait (a refused try is not counted), else counts it as wrong before the KDF
 * runs, so no try escapes the count however it ends; a right PIN then clears it.
 */
async function startPinTry(db: Db, clock: PinClock): Promise<PinFailures> {
  const now = clock.now();
  const monotonicNow = clock.monotonic?.();
  const tx = db.transaction('meta', 'readwrite');
  const row = await tx.store.get(PIN_FAILURES);
  const stored = row?.name === PIN_FAILURES ? row : undefined;
  // A last wrong PIN in the future (the clock was set back) counts from now.
  const before = stored && { count: stored.count, lastFailureAt: Math.min(stored.lastFailureAt, now) };
  const at = retryAt(before, now, monotonicElapsed(db, clock, before));
  if (at !== null) {
    if (stored && before && before.lastFailureAt !== stored.lastFailureAt) await tx.store.put({ name: PIN_FAILURES, ...before });
    await tx.done;
    throw backoffError(at);
  }
  const recorded: PinFailures = { count: (before?.count ?? 0) + 1, lastFailureAt: now };
  await tx.store.put({ name: PIN_FAILURES, ...recorded });
  await tx.done;
  markFailure(db, clock, recorded.count, monotonicNow);
  return recorded;
}

/** Counts one more wrong PIN (a check that takes no KDF, made in this try's turn). */
async function recordWrongPin(db: Db, clock: PinClock): Promise<VaultError> {
  const now = clock.now();
  const monotonicNow = clock.monotonic?.();
  const tx = db.transaction('meta', 'readwrite');
  const previous = await tx.store.get(PIN_FAILURES);
  const failures: PinFailures = { count: (previous?.name === PIN_FAILURES ? previous.count : 0) + 1, lastFailureAt: now };
  await tx.store.put({ name: PIN_FAILURES, ...failures });
  await tx.done;
  markFailure(db, clock, failures.count, monotonicNow);
  return wrongPinError(db, clock, failures);
}

export async function clearPinFailures(db: Db): Promise<void> {
  await db.delete('meta', PIN_FAILURES);
  marks.delete(db.name);
}

/**
 * A PIN checked without the KDF (user verification against the PIN check, in milliseconds),
 * under the same back-off, in the same one-at-a-time queue as unlocking: throws 'backoff'
 * (the check does not run) or 'wrong-pin' (counted). In its turn nothing else tries a PIN, so
 * a right PIN costs one read of the count; a wrong one is counted after the check.
 */
export function verifyPin(db: Db, time: PinTime, matches: () => Promise<boolean>): Promise<void> {
  const clock = clockOf(time);
  return oneAtATime(db, async () => {
    const now = clock.now();
    const failures = await settledFailures(db, now);
    const at = retryAt(failures, now, monotonicElapsed(db, clock, failures));
    if (at !== null) throw backoffError(at);
    if (!(await matches())) throw await recordWrongPin(db, clock);
    if (failures) await clearPinFailures(db);
  });
}

/**
 * First-run set-up: a new random DEK, or, for a vault made before the PIN existed, that
 * vault's own DEK, wrapped under the KEK of `pin`. The device key goes with the row it lived
 * in, in the same transaction, so every passkey stays readable. Returns the raw DEK (the
 * vault is unlocked); the caller owns it and must wipe it.
 */
export async function setUpPin(db: Db, pin: string, now: number, cost: Argon2idCost = ARGON2ID_COST): Promise<Uint8Array> {
  const weak = pinProblem(pin);
  if (weak) throw new VaultError('weak-pin', weak);
  const before = await readVaultKeyRow(db);
  if (before?.kind === 'pin') throw new VaultError('already-set-up', 'The vault already has a PIN');
  const rawDek = before ? await unwrapVaultKeyBytes(before.deviceKey, before.wrappedDek) : generateVaultKeyBytes();
  try {
    const kdf = newKdfParams(cost);
    const row: PinVaultKeyRow = {
      name: VAULT_KEY,
      kind: 'pin',
      kdf,
      wrappedDek: await wrapVaultKey(await deriveKek(pin, kdf), rawDek),
      createdAt: before?.createdAt ?? now,
      pinChangedAt: now,
    };
    await replaceVaultKeyRow(db, before?.wrappedDek, row, () => new VaultError('already-set-up', 'The vault was set up meanwhile'));
    await clearPinFailures(db);
    return rawDek;
  } catch (error) {
    rawDek.fill(0);
    throw error;
  }
}

/**
 * Unlock: Argon2id over `pin`, then the DEK unwrapped. Tries run one at a time per vault, and
 * each counts as a wrong PIN before its KDF runs (startPinTry); a right PIN clears the count,
 * a wrong one throws 'wrong-pin'. A try during the back-off throws 'backoff', uncounted,
 * without running the KDF. Returns the raw DEK; the caller owns it and must wipe it.
 */
export function unlockWithPin(db: Db, pin: string, time: PinTime): Promise<Uint8Array> {
  const clock = clockOf(time);
  return oneAtATime(db, async () => {
    const row = await requirePinRow(db);
    const recorded = await startPinTry(db, clock);
    const rawDek = await unwrapWithPin(row, pin);
    if (!rawDek) throw wrongPinError(db, clock, recorded);
    try {
      await clearPinFailures(db);
    } catch (error) {
      rawDek.fill(0);
      throw error;
    }
    return rawDek;
  });
}

/** The steps of a PIN change, in order; tests interrupt it after each one. */
export type ChangePinStep = 'verified' | 'derived' | 'wrapped' | 'writing';

/**
 * Changes the PIN, re-wrapping only the DEK (no credential row changes). The new row replaces
 * the old one in a single put in one transaction: a crash at any step leaves either the old
 * PIN working or, once that transaction commits, the new one; never neither.
 * `interrupt` is called after each step (a throw there stands for a crash). Returns the raw DEK.
 */
export async function changePin(
  db: Db,
  currentPin: string,
  newPin: string,
  time: PinTime,
  options: { cost?: Argon2idCost; interrupt?: (step: ChangePinStep) => void } = {},
): Promise<Uint8Array> {
  const weak = pinProblem(newPin);
  if (weak) throw new VaultError('weak-pin', weak);
  const rawDek = await unlockWithPin(db, currentPin, time);
  const now = clockOf(time).now();
  const before = await requirePinRow(db);
  try {
    options.interrupt?.('verified');
    const kdf = newKdfParams(options.cost ?? ARGON2ID_COST);
    const kek = await deriveKek(newPin, kdf);
    options.interrupt?.('derived');
    const wrappedDek = await wrapVaultKey(kek, rawDek);
    options.interrupt?.('wrapped');
    const row: PinVaultKeyRow = { ...before, kdf, wrappedDek, pinChangedAt: now };
    await replaceVaultKeyRow(db, before.wrappedDek, row, () => new VaultError('wrong-pin', 'The PIN changed meanwhile'), () =>
      options.interrupt?.('writing'),
    );
    return rawDek;
  } catch (error) {
    rawDek.fill(0);
    throw error;
  }
}

/** "Reset vault": every passkey, the vault key and the back-off go, in one transaction. */
export async function resetVault(db: Db): Promise<void> {
  const tx = db.transaction(['credentials', 'catalog', 'meta'], 'readwrite');
  await tx.objectStore('credentials').clear();
  await tx.objectStore('catalog').clear();
  await tx.objectStore('catalog').put(newStamp(), CATALOG_STAMP);
  await tx.objectStore('meta').clear();
  await tx.done;
  marks.delete(db.name);
}

async function requirePinRow(db: Db): Promise<PinVaultKeyRow> {
  const row = await readVaultKeyRow(db);
  if (row?.kind !== 'pin') throw new VaultError('not-set-up', 'The vault has no PIN yet');
  return row;
}

/** The raw DEK, or undefined when `pin` is not the vault's PIN. */
async function unwrapWithPin(row: PinVaultKeyRow, pin: string): Promise<Uint8Array | undefined> {
  if (pin.length === 0) return undefined; // never a vault's PIN (pinProblem), and Argon2 refuses it
  const kek = await deriveKek(pin, row.kdf);
  try {
    return await unwrapVaultKeyBytes(kek, row.wrappedDek);
  } catch (error) {
    if (error instanceof VaultError && error.code === 'unwrap-failed') return undefined;
    throw error;
  }
}

/**
 * Puts `row` in place of the vault key row, in one transaction, only if the row there still
 * wraps the DEK as `expected` did (undefined: no row yet). Otherwise aborts with `conflict()`.
 */
async function replaceVaultKeyRow(
  db: Db,
  expected: WrappedKey | undefined,
  row: PinVaultKeyRow,
  conflict: () => VaultError,
  beforeCommit?: () => void,
): Promise<void> {
  const tx = db.transaction('meta', 'readwrite');
  tx.done.catch(() => undefined); // observed below
  try {
    const current = await tx.store.get(VAULT_KEY);
    const currentDek = current?.name === VAULT_KEY ? current.wrappedDek : undefined;
    if (!sameWrapping(currentDek, expected)) throw conflict();
    await tx.store.put(row);
    beforeCommit?.();
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // already aborted by a failed request
    }
    throw error;
  }
  await tx.done;
}

function sameWrapping(a: WrappedKey | undefined, b: WrappedKey | undefined): boolean {
  if (!a || !b) return a === b;
  return bytesEqual(a.iv, b.iv) && bytesEqual(a.ciphertext, b.ciphertext);
}
