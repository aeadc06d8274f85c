// The key hierarchy of one vault database, for the service worker's lock
// (src/background/lock.ts): what state the vault key is in, and the PIN operations of
// vault-key.ts bound to one connection.

import type { IDBPDatabase } from 'idb';
import type { PinFailures } from './backoff';
import { ARGON2ID_COST, type Argon2idCost } from './kdf';
import { DB_NAME, openVaultDb, type LatchkeyDB } from './schema';
import {
  changePin,
  pinBackoff,
  readPinFailures,
  resetVault,
  setUpPin,
  unlockWithPin,
  vaultKeyKind,
  verifyPin,
  type PinTime,
  type VaultKeyKind,
} from './vault-key';

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

  /** The wrong-PIN row as stored. */
  failures(): Promise<PinFailures | undefined> {
    return readPinFailures(this.#db);
  }

  /** Wrong PINs in a row, and when the next try may come (null: now). */
  backoff(time: PinTime): Promise<{ count: number; retryAt: number | null }> {
    return pinBackoff(this.#db, time);
  }

  /** How many passkeys the vault holds (what set-up of an older vault keeps). */
  passkeyCount(): Promise<number> {
    return this.#db.count('credentials');
  }

  /** Returns the raw DEK; the caller must wipe it. */
  setUp(pin: string, now: number): Promise<Uint8Array> {
    return setUpPin(this.#db, pin, now, this.#cost);
  }

  /** Returns the raw DEK; the caller must wipe it. Tries run one at a time. */
  unlock(pin: string, time: PinTime): Promise<Uint8Array> {
    return unlockWithPin(this.#db, pin, time);
  }

  /** Returns the raw DEK; the caller must wipe it. */
  changePin(currentPin: string, newPin: string, time: PinTime): Promise<Uint8Array> {
    return changePin(this.#db, currentPin, newPin, time, { cost: this.#cost });
  }

  /**
   * A PIN checked by `matches` (no KDF), under the back-off and in the queue of tries: throws
   * VaultError 'backoff' or 'wrong-pin'.
   */
  verifyPin(time: PinTime, matches: () => Promise<boolean>): Promise<void> {
    return verifyPin(this.#db, time, matches);
  }

  reset(): Promise<void> {
    return resetVault(this.#db);
  }
}
