// The vault lock, as the service worker keeps it (docs/security.md#key-hierarchy, #user-verification-and-the-lock):
//
// - Unlocked, the DEK's raw bytes and the PIN check (an HMAC of the PIN under the DEK) live in
//   chrome.storage.session, readable by trusted contexts only. A service-worker restart reads
//   them back, so it does not lock; quitting the browser clears them, so it does.
// - Auto-lock: each use by the user (src/background/user-activity.ts decides what is use; a
//   page's ceremony is not) re-arms a chrome.alarms alarm for the user's autoLockMinutes (15
//   by default); it fires -> lock. The system locking (chrome.idle 'locked') locks at once.
// - Set-up, unlock, PIN change and reset run through src/vault (VaultKeys); wrong PINs back
//   off there, in IndexedDB, so no restart resets the count. PIN tries (unlock, PIN change,
//   user verification) run one at a time and are counted before the KDF; within a worker's
//   life a monotonic clock keeps a clock set forward from shortening the wait.
// - User verification in a ceremony checks the typed PIN against the PIN check: milliseconds.
//   Only unlocking runs Argon2id.

import { fromBase64url, toBase64url } from '../protocol/base64url';
import type { LockStatus } from '../protocol/lock';
import { RESET_CONFIRMATION, UNLOCKED_SESSION_KEY } from '../protocol/lock';
import { VAULT_SENTENCES, lockErrorMessage } from './vault-sentences';
import { importPinCheckKey, importVaultKey, pinCheck, pinMatches, VaultError, type PinClock, type VaultKeys, type VaultKeySource } from '../vault';

/** chrome.storage.session, as the lock uses it. */
export interface SessionArea {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

/** The auto-lock alarm (chrome.alarms). */
export interface AutoLockAlarm {
  schedule(minutes: number): Promise<void>;
  clear(): Promise<void>;
}

export interface LockDeps {
  keys: () => Promise<VaultKeys>;
  session: SessionArea;
  alarm: AutoLockAlarm;
  /** The user's setting (src/background/settings.ts), 15 by default. */
  autoLockMinutes: () => Promise<number>;
  now?: () => number;
  /** A clock no one can set, for the back-off (performance.now by default). */
  monotonic?: () => number;
}

export const AUTO_LOCK_ALARM = 'latchkey-auto-lock';
export { UNLOCKED_SESSION_KEY };

/** What storage.session holds while unlocked. */
interface UnlockedSession {
  /** base64url of the DEK's 32 raw bytes */
  dek: string;
  /** base64url of HMAC-SHA-256(DEK, PIN) (src/vault/pin-check.ts) */
  pinCheck: string;
}

interface Unlocked {
  vaultKey: CryptoKey;
  pinCheckKey: CryptoKey;
  pinCheck: Uint8Array;
}

/** The answer to a PIN typed in a ceremony's prompt. */
export type UserVerification = { ok: true } | { ok: false; message: string };

export class VaultLock implements VaultKeySource {
  readonly #deps: LockDeps;
  readonly #now: () => number;
  /** One clock object for the worker's life: the back-off knows its monotonic readings by it. */
  readonly #clock: PinClock;
  #cache: Promise<Unlocked | undefined> | undefined;

  constructor(deps: LockDeps) {
    this.#deps = deps;
    const now = deps.now ?? (() => Date.now());
    const monotonic = deps.monotonic ?? (() => performance.now());
    this.#now = now;
    this.#clock = { now, monotonic };
  }

  async status(): Promise<LockStatus> {
    const keys = await this.#deps.keys();
    const kind = await keys.kind();
    const backoff = await keys.backoff(this.#clock);
    const unlocked = kind === 'pin' && (await this.#unlocked()) !== undefined;
    return {
      state: kind !== 'pin' ? 'new' : unlocked ? 'unlocked' : 'locked',
      retryAt: backoff.retryAt,
      failures: backoff.count,
      passkeysKept: kind === 'device' ? await keys.passkeyCount() : 0,
      autoLockMinutes: await this.#deps.autoLockMinutes(),
    };
  }

  /** First-run set-up; the vault is unlocked afterwards. */
  async setUp(pin: string): Promise<void> {
    const keys = await this.#deps.keys();
    const rawDek = await keys.setUp(pin, this.#now());
    await this.#keep(rawDek, pin);
  }

  /** Throws VaultError 'wrong-pin' or 'backoff' (with retryAt), or 'not-set-up'. */
  async unlock(pin: string): Promise<void> {
    const keys = await this.#deps.keys();
    const rawDek = await keys.unlock(pin, this.#clock);
    await this.#keep(rawDek, pin);
  }

  async lock(): Promise<void> {
    this.#cache = Promise.resolve(undefined);
    await this.#deps.session.remove(UNLOCKED_SESSION_KEY);
    await this.#deps.alarm.clear();
  }

  /** Re-wraps the DEK under the new PIN (src/vault/vault-key.ts); stays unlocked. */
  async changePin(currentPin: string, newPin: string): Promise<void> {
    const keys = await this.#deps.keys();
    const rawDek = await keys.changePin(currentPin, newPin, this.#clock);
    await this.#keep(rawDek, newPin);
  }

  /** "Reset vault": deletes every passkey and the PIN, after the typed confirmation. */
  async reset(confirmation: string): Promise<boolean> {
    if (confirmation.trim() !== RESET_CONFIRMATION) return false;
    // Locked in this worker first, so nothing uses the key while the vault goes; storage.session
    // is cleared after, so pages that refresh on its change (useLockStatus) find it new, not locked.
    this.#cache = Promise.resolve(undefined);
    await (await this.#deps.keys()).reset();
    await this.lock();
    return true;
  }

  /** VaultKeySource: the DEK for the vault's wraps and unwraps, or 'locked' / 'not-set-up'. */
  async vaultKey(): Promise<CryptoKey> {
    const unlocked = await this.#unlocked();
    if (unlocked) return unlocked.vaultKey;
    const kind = await (await this.#deps.keys()).kind();
    throw kind === 'pin'
      ? new VaultError('locked', 'The vault is locked')
      : new VaultError('not-set-up', 'The vault has no PIN yet');
  }

  async isUnlocked(): Promise<boolean> {
    return (await this.#unlocked()) !== undefined;
  }

  /**
   * User verification for one ceremony: the typed PIN against the PIN check. Wrong PINs count
   * towards the same back-off as unlocking, and tries wait for each other as unlocks do.
   * Answers with a sentence for the prompt.
   */
  async verifyUser(pin: string): Promise<UserVerification> {
    const unlocked = await this.#unlocked();
    if (!unlocked) return { ok: false, message: VAULT_SENTENCES.locked };
    const keys = await this.#deps.keys();
    try {
      await keys.verifyPin(this.#clock, () => pinMatches(unlocked.pinCheckKey, pin, unlocked.pinCheck));
    } catch (error) {
      return { ok: false, message: lockErrorMessage(error, this.#now()) };
    }
    // The PIN the user typed is use: the auto-lock is re-armed, but the ceremony does not wait
    // for storage.local and chrome.alarms to say so.
    this.#rearm();
    return { ok: true };
  }

  /** Use by the user (user-activity.ts): re-arms the auto-lock alarm while unlocked. */
  async touch(): Promise<void> {
    if (!(await this.isUnlocked())) return;
    await this.#deps.alarm.schedule(await this.#deps.autoLockMinutes());
  }

  /**
   * touch() after the current task, without waiting for it: the storage and alarms calls then
   * run while the ceremony waits for its next read, not before it. A failure to re-arm leaves
   * the alarm the last touch set.
   */
  #rearm(): void {
    setTimeout(() => void this.touch().catch(() => undefined), 0);
  }

  /** chrome.alarms.onAlarm */
  async onAlarm(name: string): Promise<void> {
    if (name === AUTO_LOCK_ALARM) await this.lock();
  }

  /** chrome.idle.onStateChanged: the system locked its screen. */
  async onIdleState(state: string): Promise<void> {
    if (state === 'locked') await this.lock();
  }

  /**
   * Keeps the DEK and the PIN check in storage.session and memory, wipes the raw bytes, and arms
   * the auto-lock beside the answer (#rearm): the settings read and chrome.alarms no longer
   * hold up "unlocked".
   */
  async #keep(rawDek: Uint8Array, pin: string): Promise<void> {
    try {
      const pinCheckKey = await importPinCheckKey(rawDek);
      const check = await pinCheck(pinCheckKey, pin);
      const unlocked: Unlocked = { vaultKey: await importVaultKey(rawDek), pinCheckKey, pinCheck: check };
      const session: UnlockedSession = { dek: toBase64url(rawDek), pinCheck: toBase64url(check) };
      await this.#deps.session.set(UNLOCKED_SESSION_KEY, session);
      this.#cache = Promise.resolve(unlocked);
    } finally {
      rawDek.fill(0);
    }
    this.#rearm();
  }

  #unlocked(): Promise<Unlocked | undefined> {
    this.#cache ??= this.#readSession().catch(() => undefined);
    return this.#cache;
  }

  /** After a service-worker restart: what storage.session still holds. */
  async #readSession(): Promise<Unlocked | undefined> {
    const stored = await this.#deps.session.get(UNLOCKED_SESSION_KEY);
    if (typeof stored !== 'object' || stored === null) return undefined;
    const { dek, pinCheck: check } = stored as Partial<UnlockedSession>;
    const rawDek = typeof dek === 'string' ? fromBase64url(dek) : undefined;
    const pinCheckBytes = typeof check === 'string' ? fromBase64url(check) : undefined;
    if (!rawDek || rawDek.length !== 32 || !pinCheckBytes) return undefined;
    try {
      return { vaultKey: await importVaultKey(rawDek), pinCheckKey: await importPinCheckKey(rawDek), pinCheck: pinCheckBytes };
    } finally {
      rawDek.fill(0);
    }
  }
}
