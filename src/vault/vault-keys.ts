// The key hierarchy of one vault database, for the service worker's lock
// (src/background/lock.ts): what state the vault key is in, and the PIN operations of
// vault-key.ts bound to one connection.

import type { IDBPDatabase } from 'idb';
import type { PinFailures } from './backoff';
import { ARGON2ID_COST, type Argon2idCost } from './kdf';
import { DB_NAME, openVaultDb, type LatchkeyDB } from './schema';
import {
  assertMayTryPin,
  changePin,
  clearPinFailures,
  readPinFailures,
  recordWrongPin,
  resetVault,
  setUpPin,
  unlockWithPin,
  vaultKeyKind,
  type VaultKeyKind,
} from './vault-key';
import type { VaultError } from './errors';

export class VaultKeys {
  readonly #db: IDBPDatabase<LatchkeyDB>;
  readonly #cost: Argon2idCost;

  private constructor(db: IDBPDatabase<LatchkeyDB>, cost: Argon2idCost) {
    this.#db = db;
    this.#cost = cost;
  }

  /** `cost` applies to PINs set from now on; an existing PIN keeps the parameters it was set with. */
  static async open(name: string = DB_NAME, cost: Argon2idCost = ARGON2ID_COST): Promise<VaultKeys> {
    return new VaultKeys(await openVaultDb(name), cost);
  }

  close(): void {
    this.#db.close();
  }

  kind(): Promise<VaultKeyKind> {
    return vaultKeyKind(this.#db);
  }

  failures(): Promise<PinFailures | undefined> {
    return readPinFailures(this.#db);
  }

  /** How many passkeys the vault holds (what set-up of an older vault keeps). */
  passkeyCount(): Promise<number> {
    return this.#db.count('credentials');
  }

  /** Returns the raw DEK; the caller must wipe it. */
  setUp(pin: string, now: number): Promise<Uint8Array> {
    return setUpPin(this.#db, pin, now, this.#cost);
  }

  /** Returns the raw DEK; the caller must wipe it. */
  unlock(pin: string, now: number): Promise<Uint8Array> {
    return unlockWithPin(this.#db, pin, now);
  }

  /** Returns the raw DEK; the caller must wipe it. */
  changePin(currentPin: string, newPin: string, now: number): Promise<Uint8Array> {
    return changePin(this.#db, currentPin, newPin, now, { cost: this.#cost });
  }

  /** Throws VaultError 'backoff'; otherwise the wrong PINs so far (undefined: none). */
  assertMayTryPin(now: number): Promise<PinFailures | undefined> {
    return assertMayTryPin(this.#db, now);
  }

  recordWrongPin(now: number): Promise<VaultError> {
    return recordWrongPin(this.#db, now);
  }

  clearFailures(): Promise<void> {
    return clearPinFailures(this.#db);
  }

  reset(): Promise<void> {
    return resetVault(this.#db);
  }
}
