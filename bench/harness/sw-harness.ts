// Bench-only harness, bundled by bench/lib/build.mjs into one script that bench/run.mjs
// evaluates in the service worker of the built extension through CDP (Runtime.evaluate).
// It is never part of the extension: nothing in entrypoints/ imports it, and the built
// extension does not contain it. It exposes `globalThis.__latchkeyBench` with:
//   engine({ alg, ms, dbName })   makeCredential and getAssertion per second (src/authenticator
//                                 over src/vault, in a scratch database, approving at once)
//   seed({ rpId, count, withKeys, dbName })  adds credentials through the Vault API
//   count({ dbName })             how many credentials the vault holds
//   backup({ count, rounds })     export (plain, encrypted) and import times at `count` passkeys,
//                                 scratch databases, through src/background/backup.ts
//                                 (engine also times getAssertion with prf, first and second)
// Each call reports failures as { error } rather than throwing, so a changed API shows up as
// a figure "failed: ..." instead of a crash.
//
// Keys: the engine runs on a scratch database with a DEK of its own (nothing of the user's
// vault is touched). Seeding writes to the extension's own vault, so it needs the vault's DEK:
// it reads it the way the service worker does, from the unlocked session (src/background/lock.ts),
// which means the vault must have been set up and unlocked first (the bench does that through
// the prompt, as a user would).

import { createAuthenticator, type CredentialRecord, type UserInterface } from '../../src/authenticator';
import { exportBackup, importBackup, type BackupDeps } from '../../src/background/backup';
import * as lockModule from '../../src/background/lock';
import { generateKeyPair } from '../../src/crypto/signature';
import { encodeCoseKey } from '../../src/authenticator/cose';
import * as vaultModule from '../../src/vault';
import type { Vault } from '../../src/vault';

const approveAll = {
  async confirmCreate(request: { defaultFriendlyName: string }) {
    return { kind: 'approve' as const, friendlyName: request.defaultFriendlyName, userVerified: false };
  },
  async acknowledgeExcluded() {
    return { kind: 'approve' as const };
  },
  async chooseCredential(request: { candidates: CredentialRecord[] }) {
    return { kind: 'approve' as const, credentialId: request.candidates[0]!.credentialId, userVerified: false };
  },
} as unknown as UserInterface;

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const ALGS = { ES256: -7, EdDSA: -8 } as const;

interface KeySource {
  vaultKey(): Promise<CryptoKey>;
}
// Loosely typed: the vault's API is still moving (issue 3 added the key source).
const V = vaultModule as unknown as {
  Vault: { open(...args: unknown[]): Promise<Vault> };
  VaultKeys?: { open(name?: string): Promise<unknown> };
  importVaultKey?: (raw: Uint8Array) => Promise<CryptoKey>;
};

/** The user's vault, with its DEK read from the unlocked session as the service worker does. */
function sessionKeys(): KeySource {
  const session = chrome.storage.session;
  const { VaultLock } = lockModule as unknown as { VaultLock: new (deps: unknown) => KeySource };
  return new VaultLock({
    keys: () => V.VaultKeys!.open() as never,
    session: {
      get: async (key: string) => (await session.get(key))[key],
      set: (key: string, value: unknown) => session.set({ [key]: value }),
      remove: (key: string) => session.remove(key),
    },
    // The harness never arms or clears the service worker's auto-lock.
    alarm: { schedule: async () => undefined, clear: async () => undefined },
    autoLockMinutes: async () => 15,
  });
}

/** A scratch key for a scratch database. */
async function scratchKeys(): Promise<KeySource> {
  const key = V.importVaultKey
    ? await V.importVaultKey(random(32))
    : await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  return { vaultKey: async () => key };
}

async function openVault(dbName?: string): Promise<Vault> {
  if (!V.VaultKeys) return dbName ? V.Vault.open(dbName) : V.Vault.open(); // before the lock
  return dbName ? V.Vault.open(await scratchKeys(), dbName) : V.Vault.open(sessionKeys());
}

function quantiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { n: s.length, median: at(0.5), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

async function timed<T>(ms: number, minRuns: number, op: (i: number) => Promise<T>) {
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; samples.length < minRuns || performance.now() - start < ms; i++) {
    const t0 = performance.now();
    await op(i);
    samples.push(performance.now() - t0);
  }
  const elapsed = performance.now() - start;
  return { perSecond: (samples.length * 1000) / elapsed, ...quantiles(samples) };
}

/** Two operations alternated for `ms` (at least minRuns each): their figures as timed() gives them. */
async function timedPair(ms: number, minRuns: number, op: (i: number, second: boolean) => Promise<unknown>) {
  const samples: [number[], number[]] = [[], []];
  const spent = [0, 0];
  const start = performance.now();
  for (let i = 0; samples[1].length < minRuns || performance.now() - start < 2 * ms; i++) {
    for (const which of [0, 1] as const) {
      const t0 = performance.now();
      await op(i, which === 1);
      const took = performance.now() - t0;
      samples[which].push(took);
      spent[which] += took;
    }
  }
  return samples.map((s, which) => ({ perSecond: (s.length * 1000) / spent[which]!, ...quantiles(s) }));
}

async function engine({ alg, ms = 1000, minRuns = 5, dbName = 'latchkey-bench-engine' }: { alg: keyof typeof ALGS; ms?: number; minRuns?: number; dbName?: string }) {
  try {
    await deleteDb(dbName);
    const vault = await openVault(dbName);
    const authenticator = createAuthenticator(vault, approveAll);
    const rp = { id: 'bench.example', name: 'Bench' };
    const ids: Uint8Array[] = [];
    const make = await timed(ms, minRuns, async (i) => {
      const out = await authenticator.makeCredential({
        clientDataHash: random(32),
        rp,
        user: { id: random(16), name: `user${i}`, displayName: `User ${i}` },
        algorithms: [ALGS[alg]],
        excludeCredentialIds: [],
        requireResidentKey: true,
        requireUserVerification: false,
        attestationFormat: 'none',
      });
      if (out.kind !== 'ok') throw new Error(`makeCredential: ${JSON.stringify(out)}`);
      ids.push(out.value.credentialId);
    });
    // A get without and one with prf (issue 19: two salts, two HMACs under the unwrapped secret),
    // alternated so that both see the same load on the machine.
    const salts = { first: random(32), second: random(32) };
    const [get, getPrf] = await timedPair(ms, minRuns, async (i, withPrf) => {
      const out = await authenticator.getAssertion({
        rpId: rp.id,
        clientDataHash: random(32),
        allowCredentialIds: [ids[i % ids.length]!],
        requireUserVerification: false,
        ...(withPrf ? { prf: { eval: salts } } : {}),
      });
      if (out.kind !== 'ok' || (withPrf && !out.value.prf?.second)) throw new Error(`getAssertion: ${JSON.stringify(out)}`);
    });
    vault.close();
    await deleteDb(dbName);
    return { makeCredential: make, getAssertion: get, getAssertionPrf: getPrf };
  } catch (e) {
    return { error: String((e as Error)?.stack ?? e) };
  }
}

/**
 * Adds `count` credentials at `rpId` (or at `rpIds` round-robin). withKeys: made by
 * makeCredential (real ES256 keys that can sign); otherwise stored by Vault.create with a
 * random 32-byte key, which is as costly to list and as large as a real one.
 */
async function seed({ rpId, rpIds, count, withKeys = false, dbName, parallel = 64 }: { rpId?: string; rpIds?: string[]; count: number; withKeys?: boolean; dbName?: string; parallel?: number }) {
  try {
    const t0 = performance.now();
    const sites = rpIds ?? [rpId ?? 'localhost'];
    const vault = await openVault(dbName);
    const authenticator = createAuthenticator(vault, approveAll);
    const one = async (i: number) => {
      const site = sites[i % sites.length]!;
      const user = { id: random(16), name: `user${i}@${site}`, displayName: `User ${i}` };
      if (withKeys) {
        const out = await authenticator.makeCredential({
          clientDataHash: random(32),
          rp: { id: site, name: site },
          user,
          algorithms: [-7],
          excludeCredentialIds: [],
          requireResidentKey: true,
          requireUserVerification: false,
          attestationFormat: 'none',
        });
        if (out.kind !== 'ok') throw new Error(`makeCredential: ${JSON.stringify(out)}`);
        return;
      }
      const now = Date.now() - 86_400_000;
      const record: CredentialRecord = {
        credentialId: random(16),
        rpId: site,
        rpName: site,
        userHandle: user.id,
        userName: user.name,
        userDisplayName: user.displayName,
        friendlyName: `${user.name} on ${site}`,
        alg: -7,
        publicKey: random(77),
        discoverable: true,
        backupState: false,
        createdAt: now - i,
        lastUsedAt: null,
      };
      await vault.create(record, random(32), []);
    };
    for (let i = 0; i < count; i += parallel) {
      const batch: Promise<void>[] = [];
      for (let j = i; j < Math.min(count, i + parallel); j++) batch.push(one(j));
      await Promise.all(batch);
    }
    vault.close();
    return { seeded: count, ms: performance.now() - t0 };
  } catch (e) {
    return { error: String((e as Error)?.stack ?? e) };
  }
}

async function count({ dbName }: { dbName?: string } = {}) {
  try {
    const vault = await openVault(dbName);
    const n = (await vault.listAll()).length;
    vault.close();
    return { count: n };
  } catch (e) {
    return { error: String((e as Error)?.stack ?? e) };
  }
}

/** Export and import at `count` ES256 passkeys, in scratch databases with keys of their own. */
async function backup({ count = 1000, rounds = 3 }: { count?: number; rounds?: number }) {
  try {
    const from = 'latchkey-bench-backup-from';
    const to = 'latchkey-bench-backup-to';
    await deleteDb(from);
    const source = await openVault(from);
    const creates: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      creates.push(source.create({
        credentialId: random(16), rpId: `site${i % 200}.example`, rpName: 'Bench', userHandle: random(16), userName: `user${i}`,
        userDisplayName: `User ${i}`, friendlyName: `user${i} on site${i % 200}`, alg: -7, publicKey: encodeCoseKey(publicKey),
        discoverable: true, backupState: false, createdAt: Date.now() - i * 1000, lastUsedAt: null,
      }, privateKey, []));
    }
    await Promise.all(creates);
    const deps = (vault: Vault): BackupDeps => ({
      vault: async () => vault as never,
      isUnlocked: async () => true,
      verifyPin: async () => ({ ok: true }),
      storage: { get: async () => undefined, set: async () => undefined },
      exporter: { rpId: 'bench', displayName: 'Latchkey' },
    });
    const t = performance.now();
    const keys = await source.exportKeys();
    const unwrapMs = performance.now() - t;
    for (const k of keys) k.privateKey.fill(0);
    const plain: number[] = [];
    const encrypted: number[] = [];
    const imported: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let t0 = performance.now();
      const a = await exportBackup(deps(source), { type: 'backup:export', pin: 'x', passphrase: null, ids: null });
      plain.push(performance.now() - t0);
      t0 = performance.now();
      const b = await exportBackup(deps(source), { type: 'backup:export', pin: 'x', passphrase: 'bench passphrase', ids: null });
      encrypted.push(performance.now() - t0);
      if (!a.ok || !b.ok || a.exported !== count) throw new Error(`export: ${JSON.stringify(a.ok ? b : a).slice(0, 200)}`);
      await deleteDb(to);
      const target = await openVault(to);
      t0 = performance.now();
      const result = await importBackup(deps(target), b.text, 'bench passphrase');
      imported.push(performance.now() - t0);
      if (result.added !== count) throw new Error(`import added ${result.added} of ${count}`);
      target.close();
    }
    source.close();
    return { count, unwrapMs, exportPlain: quantiles(plain), exportEncrypted: quantiles(encrypted), importEncrypted: quantiles(imported) };
  } catch (e) {
    return { error: String((e as Error)?.stack ?? e) };
  }
}

function deleteDb(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => resolve();
  });
}

(globalThis as unknown as { __latchkeyBench: unknown }).__latchkeyBench = { engine, seed, count, backup };
