// The vault key (DEK) in the meta store, behind the user's PIN (DESIGN.md "Keys at rest"):
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
 * Throws VaultError 'backoff' while wrong PINs make the next try wait. Otherwise returns the
 * wrong PINs it read (undefined: none), so a caller that clears them after a right PIN need
 * not read them again.
 */
export async function assertMayTryPin(db: Db, now: number): Promise<PinFailures | undefined> {
  const failures = await readPinFailures(db);
  const at = retryAt(failures, now);
  if (at !== null) throw new VaultError('backoff', 'Too many wrong PINs: wait before trying again', { retryAt: at });
  return failures;
}

/** Counts one more wrong PIN and returns the VaultError to throw, with when to retry. */
export async function recordWrongPin(db: Db, now: number): Promise<VaultError> {
  const tx = db.transaction('meta', 'readwrite');
  const previous = await tx.store.get(PIN_FAILURES);
  const count = (previous?.name === PIN_FAILURES ? previous.count : 0) + 1;
  const failures: PinFailures = { count, lastFailureAt: now };
  await tx.store.put({ name: PIN_FAILURES, ...failures });
  await tx.done;
  return new VaultError('wrong-pin', 'That PIN is not right', { retryAt: retryAt(failures, now) ?? now });
}

export async function clearPinFailures(db: Db): Promise<void> {
  await db.delete('meta', PIN_FAILURES);
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
 * Unlock: Argon2id over `pin`, then the DEK unwrapped. A wrong PIN counts towards the back-off
 * and throws 'wrong-pin'; a try during the back-off throws 'backoff' without running the KDF.
 * Returns the raw DEK; the caller owns it and must wipe it.
 */
export async function unlockWithPin(db: Db, pin: string, now: number): Promise<Uint8Array> {
  const row = await requirePinRow(db);
  await assertMayTryPin(db, now);
  const rawDek = await unwrapWithPin(row, pin);
  if (!rawDek) throw await recordWrongPin(db, now);
  await clearPinFailures(db);
  return rawDek;
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
  now: number,
  options: { cost?: Argon2idCost; interrupt?: (step: ChangePinStep) => void } = {},
): Promise<Uint8Array> {
  const weak = pinProblem(newPin);
  if (weak) throw new VaultError('weak-pin', weak);
  const rawDek = await unlockWithPin(db, currentPin, now);
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
