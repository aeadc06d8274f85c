import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { lockPageHandler } from '../../../src/background/lock-handler';
import { AUTO_LOCK_ALARM, UNLOCKED_SESSION_KEY, VaultLock, type SessionArea } from '../../../src/background/lock';
import type { LockReply } from '../../../src/protocol/lock';
import { Vault, VaultError, VaultKeys } from '../../../src/vault';
import { freshName, makeRecord, randomBytes } from '../vault/fixtures';

// Argon2id as it is, counted: user verification must never run it.
vi.mock('hash-wasm', async (original) => {
  const real = await original<typeof import('hash-wasm')>();
  return { ...real, argon2id: vi.fn(real.argon2id) };
});

const CHEAP = { memoryKiB: 256, iterations: 1, parallelism: 1 };
const PIN = '13572468';

/** chrome.storage.session: survives a service-worker restart, not a browser restart. */
class FakeSession implements SessionArea {
  readonly items = new Map<string, unknown>();
  async get(key: string) {
    return structuredClone(this.items.get(key));
  }
  async set(key: string, value: unknown) {
    this.items.set(key, structuredClone(value));
  }
  async remove(key: string) {
    this.items.delete(key);
  }
}

/**
 * `alarmSettles`: when chrome.alarms answers a schedule (at once by default). `reads` counts
 * the reads of the wrong-PIN count in the meta store.
 */
function world(name = freshName(), { alarmSettles = Promise.resolve() }: { alarmSettles?: Promise<void> } = {}) {
  const session = new FakeSession();
  const alarms: { scheduled: number[]; cleared: number } = { scheduled: [], cleared: 0 };
  const reads = { pinFailures: 0 };
  let now = 1_700_000_000_000;
  let monotonic = 5_000; // performance.now: no one can set it
  const opened: VaultKeys[] = [];
  const counted = (keys: VaultKeys): VaultKeys =>
    new Proxy(keys, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        if (property === 'failures' || property === 'backoff' || property === 'verifyPin') {
          return (...args: unknown[]) => {
            reads.pinFailures++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  /** A new VaultLock over the same storage: what a service-worker restart gives. */
  const start = () =>
    new VaultLock({
      keys: async () => {
        const keys = await VaultKeys.open(name, CHEAP);
        opened.push(keys);
        return counted(keys);
      },
      session,
      alarm: {
        schedule: async (minutes) => {
          alarms.scheduled.push(minutes);
          await alarmSettles;
        },
        clear: async () => void alarms.cleared++,
      },
      autoLockMinutes: async () => 15,
      now: () => now,
      monotonic: () => monotonic,
    });
  return {
    name,
    session,
    alarms,
    reads,
    start,
    /** Time passes. */
    advance: (ms: number) => {
      now += ms;
      monotonic += ms;
    },
    /** Someone sets the wall clock; no time passes. */
    setClock: (ms: number) => (now += ms),
    now: () => now,
    close: () => opened.forEach((k) => k.close()),
  };
}

describe('VaultLock', () => {
  it('is new, then unlocked after set-up, with the DEK and PIN check in storage.session', async () => {
    const w = world();
    const lock = w.start();
    expect((await lock.status()).state).toBe('new');
    await expect(lock.vaultKey()).rejects.toMatchObject({ code: 'not-set-up' });
    await lock.setUp(PIN);
    expect(await lock.status()).toMatchObject({ state: 'unlocked', failures: 0, retryAt: null, autoLockMinutes: 15 });
    expect(w.session.items.get(UNLOCKED_SESSION_KEY)).toMatchObject({ dek: expect.any(String), pinCheck: expect.any(String) });
    // The auto-lock is armed beside the answer, not before it.
    await vi.waitFor(() => expect(w.alarms.scheduled).toEqual([15]));
    w.close();
  });

  it('stays unlocked across a service-worker restart and is locked after a browser restart', async () => {
    const w = world();
    const first = w.start();
    await first.setUp(PIN);
    const vault = await Vault.open(first, w.name);
    const record = makeRecord();
    const privateKey = randomBytes(32);
    await vault.create(record, privateKey, []);
    vault.close();

    const restarted = w.start(); // same storage.session
    expect((await restarted.status()).state).toBe('unlocked');
    const again = await Vault.open(restarted, w.name);
    expect(await again.withPrivateKey(record.credentialId, (key) => Uint8Array.from(key))).toEqual(privateKey);

    w.session.items.clear(); // the browser quit
    const relaunched = w.start();
    expect((await relaunched.status()).state).toBe('locked');
    await expect(relaunched.vaultKey()).rejects.toMatchObject({ code: 'locked' });
    await relaunched.unlock(PIN);
    const unlocked = await Vault.open(relaunched, w.name);
    expect(await unlocked.withPrivateKey(record.credentialId, (key) => Uint8Array.from(key))).toEqual(privateKey);
    again.close();
    unlocked.close();
    w.close();
  });

  it('locks on the auto-lock alarm, on the system locking, and on "lock now"', async () => {
    const w = world();
    const lock = w.start();
    await lock.setUp(PIN);
    await lock.onAlarm('something else');
    expect(await lock.isUnlocked()).toBe(true);
    await lock.onAlarm(AUTO_LOCK_ALARM);
    expect(await lock.isUnlocked()).toBe(false);
    expect(w.session.items.has(UNLOCKED_SESSION_KEY)).toBe(false);

    await lock.unlock(PIN);
    await lock.onIdleState('idle');
    expect(await lock.isUnlocked()).toBe(true);
    await lock.onIdleState('locked');
    expect(await lock.isUnlocked()).toBe(false);

    await lock.unlock(PIN);
    await lock.lock();
    expect((await lock.status()).state).toBe('locked');
    w.close();
  });

  it('re-arms the auto-lock alarm on activity only while unlocked', async () => {
    const w = world();
    const lock = w.start();
    await lock.touch();
    expect(w.alarms.scheduled).toEqual([]);
    await lock.setUp(PIN);
    await vi.waitFor(() => expect(w.alarms.scheduled).toEqual([15]));
    await lock.touch();
    expect(w.alarms.scheduled).toEqual([15, 15]);
    w.close();
  });

  it('verifies the user with the PIN check: right PIN ok, wrong PIN refused and counted', async () => {
    const w = world();
    const lock = w.start();
    await lock.setUp(PIN);
    expect(await lock.verifyUser(PIN)).toEqual({ ok: true });
    expect(await lock.verifyUser('13572469')).toEqual({ ok: false, message: 'That PIN is not right. Try again.' });
    expect((await lock.status()).failures).toBe(1);
    expect(await lock.verifyUser(PIN)).toEqual({ ok: true });
    expect((await lock.status()).failures).toBe(0);
    await lock.lock();
    expect(await lock.verifyUser(PIN)).toMatchObject({ ok: false, message: expect.stringContaining('locked') });
    w.close();
  });

  it('makes user verification wait out the back-off, with the right PIN too, and clears it after', async () => {
    const w = world();
    const lock = w.start();
    await lock.setUp(PIN);
    for (let i = 0; i < 3; i++) await lock.verifyUser('13572469');
    expect(await lock.verifyUser(PIN)).toEqual({ ok: false, message: 'Too many wrong PINs. You can try again in 1 second.' });
    expect((await lock.status()).failures).toBe(3);
    w.advance(1000);
    expect(await lock.verifyUser(PIN)).toEqual({ ok: true });
    expect((await lock.status()).failures).toBe(0);
    w.close();
  });

  it('counts 20 wrong PINs typed at once in prompts as it counts 20 in a row', async () => {
    const inARow = world();
    const lock = inARow.start();
    await lock.setUp(PIN);
    const answers: unknown[] = [];
    for (let i = 0; i < 20; i++) answers.push(await lock.verifyUser(`wrong pin ${i}`));
    const atOnce = world();
    const other = atOnce.start();
    await other.setUp(PIN);
    const together = await Promise.all(Array.from({ length: 20 }, (_, i) => other.verifyUser(`wrong pin ${i}`)));
    expect(await lock.status()).toMatchObject({ failures: 3, retryAt: inARow.now() + 1000 });
    expect(await other.status()).toMatchObject({ failures: 3, retryAt: atOnce.now() + 1000 });
    expect(together).toEqual(answers);
    inARow.close();
    atOnce.close();
  });

  it('unlocks tried at once count as in a row, and the ones the back-off refuses run no Argon2id', async () => {
    const w = world();
    const lock = w.start();
    await lock.setUp(PIN);
    await lock.lock();
    const { argon2id } = await import('hash-wasm');
    vi.mocked(argon2id).mockClear();
    const tries = await Promise.all(Array.from({ length: 20 }, (_, i) => lock.unlock(`wrong pin ${i}`).catch((error: unknown) => error)));
    expect(tries.filter((error) => (error as VaultError).code === 'wrong-pin')).toHaveLength(3);
    expect(tries.filter((error) => (error as VaultError).code === 'backoff')).toHaveLength(17);
    expect(argon2id).toHaveBeenCalledTimes(3);
    expect(await lock.status()).toMatchObject({ state: 'locked', failures: 3, retryAt: w.now() + 1000 });
    w.close();
  });

  it('does not let a clock set forward shorten the wait while the worker lives', async () => {
    const w = world();
    const lock = w.start();
    await lock.setUp(PIN);
    await lock.lock();
    for (let i = 0; i < 3; i++) await lock.unlock('wrong pin').catch(() => undefined);
    w.advance(400);
    w.setClock(3_600_000); // an hour forward, 0.4 s after the third wrong PIN
    expect(await lock.status()).toMatchObject({ failures: 3, retryAt: w.now() + 600 });
    await expect(lock.unlock(PIN)).rejects.toMatchObject({ code: 'backoff', retryAt: w.now() + 600 });
    w.advance(600);
    await lock.unlock(PIN);
    expect((await lock.status()).state).toBe('unlocked');
    w.close();
  });

  it('counts a wait from now when the clock was set back past the last wrong PIN, in a new worker too', async () => {
    const w = world();
    await w.start().setUp(PIN);
    const lock = w.start();
    for (let i = 0; i < 3; i++) await lock.verifyUser('wrong pin');
    w.setClock(-3_600_000);
    const restarted = w.start(); // a new worker: no monotonic reading of those wrong PINs
    expect(await restarted.status()).toMatchObject({ failures: 3, retryAt: w.now() + 1000 });
    w.advance(999);
    expect(await restarted.verifyUser(PIN)).toMatchObject({ ok: false, message: 'Too many wrong PINs. You can try again in 1 second.' });
    w.advance(1);
    expect(await restarted.verifyUser(PIN)).toEqual({ ok: true });
    w.close();
  });

  it('reads the wrong-PIN count once on the way to a right answer', async () => {
    const w = world();
    const lock = w.start();
    await lock.setUp(PIN);
    w.reads.pinFailures = 0;
    expect(await lock.verifyUser(PIN)).toEqual({ ok: true });
    expect(w.reads.pinFailures).toBe(1);
    w.close();
  });

  it('answers a right PIN without waiting for chrome.alarms, and re-arms the auto-lock', async () => {
    let settle = () => {};
    const w = world(freshName(), { alarmSettles: new Promise<void>((resolve) => (settle = resolve)) });
    const lock = w.start();
    const setUp = lock.setUp(PIN); // its own re-arm waits for the alarm
    await vi.waitFor(() => expect(w.alarms.scheduled).toEqual([15]));
    const waited = new Promise((resolve) => setTimeout(() => resolve('waited for chrome.alarms'), 1000));
    expect(await Promise.race([lock.verifyUser(PIN), waited])).toEqual({ ok: true });
    await vi.waitFor(() => expect(w.alarms.scheduled).toEqual([15, 15]));
    settle();
    await setUp;
    w.close();
  });

  it('checks the PIN for user verification against the session check, without Argon2id', async () => {
    // How fast is the benchmark's business (npm run bench, answer latency); this pins that
    // the check never runs the KDF, which is what makes it take milliseconds.
    const w = world();
    const lock = w.start();
    await lock.setUp(PIN);
    const { argon2id } = await import('hash-wasm');
    vi.mocked(argon2id).mockClear();
    for (let i = 0; i < 5; i++) expect(await lock.verifyUser(PIN)).toEqual({ ok: true });
    expect(await lock.verifyUser('wrong-pin-0')).toMatchObject({ ok: false });
    expect(argon2id).not.toHaveBeenCalled();
    w.close();
  });

  it('changes the PIN and stays unlocked; the new PIN verifies the user', async () => {
    const w = world();
    const lock = w.start();
    await lock.setUp(PIN);
    await lock.changePin(PIN, 'a longer passphrase');
    expect(await lock.verifyUser('a longer passphrase')).toEqual({ ok: true });
    await lock.lock();
    await expect(lock.unlock(PIN)).rejects.toBeInstanceOf(VaultError);
    await lock.unlock('a longer passphrase');
    w.close();
  });

  it('resets only after the typed confirmation, and then deletes every passkey and the PIN', async () => {
    const w = world();
    const lock = w.start();
    await lock.setUp(PIN);
    const vault = await Vault.open(lock, w.name);
    await vault.create(makeRecord(), randomBytes(32), []);
    expect(await lock.reset('reset?')).toBe(false);
    expect(await vault.listAll()).toHaveLength(1);
    expect(await lock.reset('RESET')).toBe(true);
    expect(await vault.listAll()).toHaveLength(0);
    expect((await lock.status()).state).toBe('new');
    vault.close();
    w.close();
  });

  it('reset clears storage.session only once the vault is new, so pages that refresh on that change show set-up, not unlock', async () => {
    const w = world();
    const lock = w.start();
    await lock.setUp(PIN);
    const seen: string[] = [];
    const remove = w.session.remove.bind(w.session);
    w.session.remove = async (key) => {
      await remove(key);
      // What a page asks when storage.session changes (useLockStatus).
      seen.push((await lock.status()).state);
    };
    expect(await lock.reset('RESET')).toBe(true);
    expect(seen).toEqual(['new']);
    w.close();
  });
});

describe('lockPageHandler', () => {
  it('answers lock messages with the status, and wrong PINs with a sentence and a wait', async () => {
    const w = world();
    const lock = w.start();
    const handle = lockPageHandler(lock, () => 1_700_000_000_000);
    expect(handle({ type: 'manager:list' })).toBeUndefined();
    const setUp = (await handle({ type: 'lock:set-up', pin: PIN })) as LockReply;
    expect(setUp).toMatchObject({ ok: true, status: { state: 'unlocked' } });
    await handle({ type: 'lock:lock' });
    const weak = (await handle({ type: 'lock:change-pin', currentPin: PIN, newPin: '123' })) as LockReply;
    expect(weak).toMatchObject({ ok: false, problem: 'weak-pin' });
    let reply: LockReply | undefined;
    for (let i = 0; i < 3; i++) reply = (await handle({ type: 'lock:unlock', pin: 'wrong pin' })) as LockReply;
    expect(reply).toMatchObject({ ok: false, problem: 'wrong-pin', status: { state: 'locked', failures: 3 } });
    expect(reply!.ok === false && reply!.message).toMatch(/^That PIN is not right\. You can try again in 1 second\.$/);
    const waiting = (await handle({ type: 'lock:unlock', pin: PIN })) as LockReply;
    expect(waiting).toMatchObject({ ok: false, problem: 'wait' });
    expect(await handle({ type: 'lock:unlock', pin: 42 })).toBeUndefined();
    w.close();
  });

  it('answers an unlock without waiting for chrome.alarms, and re-arms the auto-lock beside it', async () => {
    let settle = () => {};
    const w = world(freshName(), { alarmSettles: new Promise<void>((resolve) => (settle = resolve)) });
    const lock = w.start();
    const handle = lockPageHandler(lock);
    const setUp = handle({ type: 'lock:set-up', pin: PIN }) as Promise<LockReply>;
    await vi.waitFor(() => expect(w.alarms.scheduled.length).toBeGreaterThan(0));
    const waited = new Promise((resolve) => setTimeout(() => resolve('waited for chrome.alarms'), 1000));
    expect(await Promise.race([setUp, waited])).toMatchObject({ ok: true, status: { state: 'unlocked' } });
    settle();
    w.close();
  });
});
