import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { Vault, VaultError, VaultKeys, importVaultKey } from '../../../src/vault';
import type { VaultErrorCode } from '../../../src/vault';
import { FAILURES_BEFORE_HOUR, retryAt, waitAfter } from '../../../src/vault/backoff';
import { deriveKek, measureUnlock, newKdfParams, type Argon2idCost } from '../../../src/vault/kdf';
import { openVaultDb, VAULT_KEY } from '../../../src/vault/schema';
import { changePin, setUpPin, unlockWithPin, type ChangePinStep } from '../../../src/vault/vault-key';
import { unwrapVaultKeyBytes, wrapPrivateKey, wrapVaultKey } from '../../../src/vault/wrap';
import { coreFormatVault } from './core-format';
import { byteStrings, containsAnyWindow, dumpDatabase, freshName, makeRecord, randomBytes } from './fixtures';

// Argon2id as it is, counted: a try the back-off refuses must not run it.
vi.mock('hash-wasm', async (original) => {
  const real = await original<typeof import('hash-wasm')>();
  return { ...real, argon2id: vi.fn(real.argon2id) };
});

/** A cheap Argon2id for tests; the shipped cost is checked on its own below. */
const CHEAP: Argon2idCost = { memoryKiB: 256, iterations: 1, parallelism: 1 };
const PIN = '13572468';
const T0 = 1_700_000_000_000;

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

async function expectVaultError(promise: Promise<unknown>, code: VaultErrorCode): Promise<VaultError> {
  const error = await caught(promise);
  expect(error).toBeInstanceOf(VaultError);
  expect(error).toMatchObject({ code });
  return error as VaultError;
}

/** A Vault over `name` whose DEK is `rawDek` (as the unlocked lock would hand it over). */
async function vaultWith(name: string, rawDek: Uint8Array): Promise<Vault> {
  const key = importVaultKey(rawDek);
  return Vault.open({ vaultKey: () => key }, name);
}

describe('Argon2id KEK', () => {
  it('ships with at least 64 MiB of memory', () => {
    expect(newKdfParams().memoryKiB).toBeGreaterThanOrEqual(64 * 1024);
    expect(newKdfParams().salt).toHaveLength(16);
    expect(newKdfParams().salt).not.toEqual(newKdfParams().salt);
  });

  it('derives the same KEK for the same PIN and salt, another for another PIN, and is not extractable', async () => {
    const params = newKdfParams(CHEAP);
    const dek = randomBytes(32);
    const wrapped = await wrapVaultKey(await deriveKek(PIN, params), dek);
    expect(await unwrapVaultKeyBytes(await deriveKek(PIN, params), wrapped)).toEqual(dek);
    await expectVaultError(unwrapVaultKeyBytes(await deriveKek('13572469', params), wrapped), 'unwrap-failed');
    expect((await deriveKek(PIN, params)).extractable).toBe(false);
  });

  it('normalises the PIN to NFC, so a decomposed accent unlocks what a composed one set', async () => {
    const params = newKdfParams(CHEAP);
    const dek = randomBytes(32);
    const wrapped = await wrapVaultKey(await deriveKek('caf\u00e9 au lait', params), dek);
    expect(await unwrapVaultKeyBytes(await deriveKek('cafe\u0301 au lait', params), wrapped)).toEqual(dek);
  });

  it('reports what an unlock costs for the benchmark', async () => {
    const measured = await measureUnlock(2, CHEAP);
    expect(measured.samplesMs).toHaveLength(2);
    expect(measured.medianMs).toBeGreaterThan(0);
    expect(measured.cost).toEqual(CHEAP);
  });
});

describe('set-up and unlock', () => {
  it('sets up a new vault: a random DEK wrapped under the PIN, which unlocks it again', async () => {
    const keys = await VaultKeys.open(freshName(), CHEAP);
    expect(await keys.kind()).toBe('new');
    const dek = Uint8Array.from(await keys.setUp(PIN, T0));
    expect(dek).toHaveLength(32);
    expect(await keys.kind()).toBe('pin');
    expect(await keys.unlock(PIN, T0 + 1)).toEqual(dek);
    await expectVaultError(keys.setUp('another one', T0 + 2), 'already-set-up');
    keys.close();
  });

  it('stores the DEK only wrapped: after set-up and an unlock, its bytes appear in no stored value', async () => {
    const name = freshName();
    const keys = await VaultKeys.open(name, CHEAP);
    const dek = Uint8Array.from(await keys.setUp(PIN, T0));
    await keys.unlock(PIN, T0 + 1);
    const stored = byteStrings(await dumpDatabase(name));
    // The search would find the DEK stored as bytes or as base64url text.
    expect(containsAnyWindow([...stored, dek], dek, 8)).toBe(true);
    expect(containsAnyWindow(stored, dek, 8)).toBe(false);
    keys.close();
  });

  it('refuses a PIN shorter than 6 characters and accepts the tests PIN 13572468', async () => {
    const keys = await VaultKeys.open(freshName(), CHEAP);
    await expectVaultError(keys.setUp('12345', T0), 'weak-pin');
    expect(await keys.kind()).toBe('new');
    await keys.setUp(PIN, T0);
    keys.close();
  });

  it('rejects a wrong PIN with wrong-pin and never returns a key', async () => {
    const keys = await VaultKeys.open(freshName(), CHEAP);
    await keys.setUp(PIN, T0);
    await expectVaultError(keys.unlock('13572469', T0), 'wrong-pin');
    await expectVaultError(keys.unlock('', T0 + 1), 'wrong-pin');
    expect((await keys.failures())?.count).toBe(2);
    keys.close();
  });

  it('says not-set-up when asked to unlock a vault that has no PIN', async () => {
    const keys = await VaultKeys.open(freshName(), CHEAP);
    await expectVaultError(keys.unlock(PIN, T0), 'not-set-up');
    keys.close();
  });

  it('wraps and unwraps private keys under the unlocked DEK with the credential AAD', async () => {
    const name = freshName();
    const keys = await VaultKeys.open(name, CHEAP);
    const dek = await keys.setUp(PIN, T0);
    const vault = await vaultWith(name, dek);
    const record = makeRecord();
    const privateKey = randomBytes(32);
    await vault.create(record, privateKey, []);
    vault.close();

    const again = await vaultWith(name, await keys.unlock(PIN, T0));
    expect(await again.withPrivateKey(record.credentialId, (key) => Uint8Array.from(key))).toEqual(privateKey);
    again.close();
    keys.close();
  });

  it('rejects an AAD mismatch: a wrapped key moved onto another credential row does not unwrap', async () => {
    const name = freshName();
    const keys = await VaultKeys.open(name, CHEAP);
    const dek = await keys.setUp(PIN, T0);
    const vault = await vaultWith(name, dek);
    const dekKey = await importVaultKey(dek);
    const victim = makeRecord();
    await vault.create(victim, randomBytes(32), []);
    // A key wrapped for another site, planted on the victim's row by someone who can write the profile.
    const planted = await wrapPrivateKey(dekKey, victim.credentialId, 'evil.example', randomBytes(32));
    const db = await openVaultDb(name);
    const row = await db.get('credentials', (await db.getAllKeys('credentials'))[0]!);
    await db.put('credentials', { ...row!, wrappedKey: planted });
    db.close();
    await expectVaultError(vault.withPrivateKey(victim.credentialId, () => undefined), 'unwrap-failed');
    vault.close();
    keys.close();
  });
});

describe('wrong-PIN back-off', () => {
  it('waits nothing for two typos, then 1 s doubling to 128 s, then an hour from the tenth', () => {
    expect([1, 2, 3, 4, 5, 9].map(waitAfter)).toEqual([0, 0, 1000, 2000, 4000, 64_000]);
    expect(waitAfter(FAILURES_BEFORE_HOUR)).toBe(3_600_000);
    expect(waitAfter(25)).toBe(3_600_000);
    expect(retryAt({ count: 3, lastFailureAt: T0 }, T0 + 999)).toBe(T0 + 1000);
    expect(retryAt({ count: 3, lastFailureAt: T0 }, T0 + 1000)).toBeNull();
  });

  it('survives a reload: a fresh connection (a new service worker) still makes the next try wait', async () => {
    const name = freshName();
    const first = await VaultKeys.open(name, CHEAP);
    await first.setUp(PIN, T0);
    for (let i = 0; i < 3; i++) await expectVaultError(first.unlock('wrong pin', T0 + i * 10), 'wrong-pin');
    first.close();

    const reloaded = await VaultKeys.open(name, CHEAP);
    expect(await reloaded.failures()).toEqual({ count: 3, lastFailureAt: T0 + 20 });
    // Even the right PIN is not tried during the wait.
    const waiting = await expectVaultError(reloaded.unlock(PIN, T0 + 500), 'backoff');
    expect(waiting.retryAt).toBe(T0 + 20 + 1000);
    expect(await reloaded.unlock(PIN, T0 + 1020)).toHaveLength(32);
    expect(await reloaded.failures()).toBeUndefined();
    reloaded.close();
  });

  it('after 10 wrong PINs in a row makes the user wait an hour, and never wipes the vault', async () => {
    const name = freshName();
    const keys = await VaultKeys.open(name, CHEAP);
    const dek = await keys.setUp(PIN, T0);
    const vault = await vaultWith(name, dek);
    await vault.create(makeRecord(), randomBytes(32), []);
    let now = T0;
    for (let i = 0; i < FAILURES_BEFORE_HOUR; i++) {
      const error = await expectVaultError(keys.unlock(`wrong ${i}`, now), 'wrong-pin');
      now = Math.max(now + 1, error.retryAt ?? now);
    }
    // The tenth wrong PIN came at T0 + 127,002 (1 + 1 + 1,000 + 2,000 + … + 64,000 ms of
    // waits after T0): the next try waits exactly an hour from it.
    expect(now).toBe(T0 + 127_002 + 3_600_000);
    const error = await expectVaultError(keys.unlock(PIN, now - 1), 'backoff');
    expect(error.retryAt).toBe(T0 + 127_002 + 3_600_000);
    expect(await keys.unlock(PIN, error.retryAt!)).toHaveLength(32);
    expect(await vault.listAll()).toHaveLength(1);
    vault.close();
    keys.close();
  });
});

describe('wrong PINs tried in parallel', () => {
  /** Tries `pins` on a fresh vault, all at once or one after another, at one fixed time. */
  async function tryAll(pins: string[], atOnce: boolean) {
    const keys = await VaultKeys.open(freshName(), CHEAP);
    await keys.setUp(PIN, T0);
    const { argon2id } = await import('hash-wasm');
    vi.mocked(argon2id).mockClear();
    const errors: VaultError[] = [];
    if (atOnce) errors.push(...((await Promise.all(pins.map((pin) => caught(keys.unlock(pin, T0))))) as VaultError[]));
    else for (const pin of pins) errors.push((await caught(keys.unlock(pin, T0))) as VaultError);
    const result = {
      failures: await keys.failures(),
      codes: errors.map((error) => error.code).sort(),
      retryAt: Math.max(...errors.map((error) => error.retryAt ?? 0)),
      kdfRuns: vi.mocked(argon2id).mock.calls.length,
    };
    keys.close();
    return result;
  }

  it('20 wrong PINs at once leave the same failure count and retry time as 20 in a row', async () => {
    const pins = Array.from({ length: 20 }, (_, i) => `wrong pin ${i}`);
    const inARow = await tryAll(pins, false);
    expect(inARow.failures).toEqual({ count: 3, lastFailureAt: T0 });
    expect(inARow.retryAt).toBe(T0 + 1000);
    expect(await tryAll(pins, true)).toEqual(inARow);
  });

  it('runs no Argon2id for a try the back-off refuses, even when it was sent at once with others', async () => {
    const pins = Array.from({ length: 20 }, (_, i) => `wrong pin ${i}`);
    const atOnce = await tryAll(pins, true);
    // The first three are tried (two free typos, then a wait); the 17 refused cost nothing.
    expect(atOnce.kdfRuns).toBe(3);
    expect(atOnce.codes.filter((code) => code === 'backoff')).toHaveLength(17);
  });

  it('a refused try runs no Argon2id and does not count', async () => {
    const keys = await VaultKeys.open(freshName(), CHEAP);
    await keys.setUp(PIN, T0);
    for (let i = 0; i < 3; i++) await expectVaultError(keys.unlock('wrong pin', T0), 'wrong-pin');
    const { argon2id } = await import('hash-wasm');
    vi.mocked(argon2id).mockClear();
    await expectVaultError(keys.unlock(PIN, T0 + 999), 'backoff');
    await expectVaultError(keys.unlock('wrong pin', T0 + 999), 'backoff');
    expect(argon2id).not.toHaveBeenCalled();
    expect(await keys.failures()).toEqual({ count: 3, lastFailureAt: T0 });
    keys.close();
  });

  it('a right PIN among wrong ones sent at once unlocks and clears the count', async () => {
    const keys = await VaultKeys.open(freshName(), CHEAP);
    await keys.setUp(PIN, T0);
    const results = await Promise.all([keys.unlock('wrong pin', T0), keys.unlock(PIN, T0)].map(caught));
    expect(results[0]).toMatchObject({ code: 'wrong-pin' });
    expect(results[1]).toBeUndefined();
    expect(await keys.failures()).toBeUndefined();
    keys.close();
  });

  it('a clock set back neither shortens the wait nor stretches it by the jump', async () => {
    const keys = await VaultKeys.open(freshName(), CHEAP);
    await keys.setUp(PIN, T0);
    for (let i = 0; i < 4; i++) await caught(keys.unlock('wrong pin', T0)); // 3 wrong, then 1 s to wait
    expect(await keys.failures()).toEqual({ count: 3, lastFailureAt: T0 });
    // The clock goes back an hour: the last wrong PIN is now in the future; the wait counts from now.
    const back = T0 - 3_600_000;
    expect((await expectVaultError(keys.unlock(PIN, back), 'backoff')).retryAt).toBe(back + 1000);
    expect((await expectVaultError(keys.unlock(PIN, back + 999), 'backoff')).retryAt).toBe(back + 1000);
    expect(await keys.unlock(PIN, back + 1000)).toHaveLength(32);
    keys.close();
  });
});

describe('changing the PIN', () => {
  it('re-wraps only the DEK: the new PIN unlocks the same key, the old one no longer does, no credential row changes', async () => {
    const name = freshName();
    const keys = await VaultKeys.open(name, CHEAP);
    const dek = Uint8Array.from(await keys.setUp(PIN, T0));
    const vault = await vaultWith(name, dek);
    await vault.create(makeRecord(), randomBytes(32), []);
    const before = (await dumpDatabase(name))['credentials'];

    expect(await keys.changePin(PIN, 'a much longer passphrase', T0 + 1)).toEqual(dek);
    expect(await keys.unlock('a much longer passphrase', T0 + 2)).toEqual(dek);
    await expectVaultError(keys.unlock(PIN, T0 + 3), 'wrong-pin');
    expect((await dumpDatabase(name))['credentials']).toEqual(before);
    vault.close();
    keys.close();
  });

  it('refuses with wrong-pin when the current PIN is wrong, and keeps the old one', async () => {
    const name = freshName();
    const keys = await VaultKeys.open(name, CHEAP);
    await keys.setUp(PIN, T0);
    await expectVaultError(keys.changePin('not the pin', 'whatever123', T0), 'wrong-pin');
    expect(await keys.unlock(PIN, T0 + 1)).toHaveLength(32);
    keys.close();
  });

  for (const step of ['verified', 'derived', 'wrapped', 'writing'] as ChangePinStep[]) {
    it(`leaves the old PIN working when interrupted after step "${step}"`, async () => {
      const name = freshName();
      const db = await openVaultDb(name);
      const dek = Uint8Array.from(await setUpPin(db, PIN, T0, CHEAP));
      const crash = new Error(`crash after ${step}`);
      const error = await caught(changePin(db, PIN, 'new passphrase', T0 + 1, {
        cost: CHEAP,
        interrupt: (at) => {
          if (at === step) throw crash;
        },
      }));
      expect(error).toBe(crash);
      expect(await unlockWithPin(db, PIN, T0 + 2)).toEqual(dek);
      await expectVaultError(unlockWithPin(db, 'new passphrase', T0 + 3), 'wrong-pin');
      db.close();
    });
  }

  it('leaves the new PIN working once its transaction has committed, even if the process dies right after', async () => {
    const name = freshName();
    const db = await openVaultDb(name);
    const dek = Uint8Array.from(await setUpPin(db, PIN, T0, CHEAP));
    await changePin(db, PIN, 'new passphrase', T0 + 1, { cost: CHEAP });
    db.close();
    // "Dies": the connection is gone; a new one finds the new row whole.
    const reopened = await openVaultDb(name);
    expect(await unlockWithPin(reopened, 'new passphrase', T0 + 2)).toEqual(dek);
    reopened.close();
  });
});

describe('migration from the core format (device key)', () => {
  it('keeps every passkey: set-up re-wraps the same DEK under the PIN and deletes the device key', async () => {
    const name = freshName();
    const core = await coreFormatVault(name, 3);
    const keys = await VaultKeys.open(name, CHEAP);
    expect(await keys.kind()).toBe('device');
    expect(await keys.passkeyCount()).toBe(3);

    const dek = await keys.setUp(PIN, T0);
    expect(await keys.kind()).toBe('pin');
    const vault = await vaultWith(name, dek);
    for (const { record, privateKey } of core.credentials) {
      expect(await vault.withPrivateKey(record.credentialId, (key) => Uint8Array.from(key))).toEqual(privateKey);
    }

    const meta = (await dumpDatabase(name))['meta'] as { name: string; kind?: string; deviceKey?: unknown }[];
    expect(meta.filter((row) => row.name === VAULT_KEY)).toHaveLength(1);
    expect(meta.find((row) => row.name === VAULT_KEY)?.kind).toBe('pin');
    expect(meta.some((row) => 'deviceKey' in row)).toBe(false);
    // Nothing of the DEK or a private key is left in the clear.
    const stored = byteStrings(await dumpDatabase(name));
    expect(containsAnyWindow(stored, core.rawDek, 8)).toBe(false);
    for (const { privateKey } of core.credentials) expect(containsAnyWindow(stored, privateKey, 8)).toBe(false);
    vault.close();
    keys.close();
  });

  it('keeps using the device key until set-up: nothing is lost if set-up never happens', async () => {
    const name = freshName();
    await coreFormatVault(name, 1);
    const keys = await VaultKeys.open(name, CHEAP);
    await expectVaultError(keys.unlock(PIN, T0), 'not-set-up');
    expect(await keys.kind()).toBe('device');
    expect(await keys.passkeyCount()).toBe(1);
    keys.close();
  });
});
