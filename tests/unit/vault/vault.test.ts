import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/vault/row';
import { toBase64url } from '../../../src/protocol/base64url';
import { orderPasskeyLines, packPasskey } from '../../../src/protocol/packed-list';
import { Vault, VaultError } from '../../../src/vault';
import type { VaultErrorCode } from '../../../src/vault';
import {
  byteStrings,
  bytes,
  containsAnyWindow,
  dumpDatabase,
  editRawRow,
  freshName,
  makeRecord,
  randomBytes,
  vaultsClosedAfterEach,
} from './fixtures';

const vaults = vaultsClosedAfterEach();
const openVault = vaults.open;

async function expectVaultError(promise: Promise<unknown>, code: VaultErrorCode): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VaultError);
  expect(error).toMatchObject({ code });
}

function copyOf(key: Uint8Array): Promise<Uint8Array> | Uint8Array {
  return Uint8Array.from(key);
}

describe('Vault records', () => {
  it('returns a created credential from get, listByRpId and listAll, as it was given', async () => {
    const vault = await openVault(freshName());
    const record = makeRecord();
    const other = makeRecord({ rpId: 'other.example' });
    await vault.create(record, randomBytes(32), []);
    await vault.create(other, randomBytes(32), []);

    expect(await vault.get(record.credentialId)).toEqual(record);
    expect(await vault.listByRpId('example.com')).toEqual([record]);
    expect(await vault.listByRpId('nowhere.example')).toEqual([]);
    expect(await vault.listAll()).toHaveLength(2);
    expect(await vault.get(randomBytes(16))).toBeUndefined();
  });

  it('reads an excludeCredentials list in one transaction, in its order', async () => {
    const vault = await openVault(freshName());
    const record = makeRecord();
    await vault.create(record, randomBytes(32), []);
    const unknown = randomBytes(16);
    const { transaction } = IDBDatabase.prototype;
    let transactions = 0;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      transactions++;
      return transaction.apply(this, args);
    };
    try {
      expect(await vault.getMany([unknown, record.credentialId, unknown])).toEqual([undefined, record, undefined]);
    } finally {
      IDBDatabase.prototype.transaction = transaction;
    }
    expect(transactions).toBe(1);
  });

  it('hands back real Uint8Arrays of this realm, never key material', async () => {
    const vault = await openVault(freshName());
    const record = makeRecord();
    await vault.create(record, randomBytes(32), []);
    const got = await vault.get(record.credentialId);

    expect(got?.credentialId).toBeInstanceOf(Uint8Array);
    expect(got?.userHandle).toBeInstanceOf(Uint8Array);
    expect(got?.publicKey).toBeInstanceOf(Uint8Array);
    expect(Object.keys(got ?? {})).not.toContain('wrappedKey');
  });

  it('finds the credentials of one user at one site', async () => {
    const vault = await openVault(freshName());
    const ada = makeRecord({ userHandle: bytes(1) });
    const bob = makeRecord({ userHandle: bytes(2) });
    const adaElsewhere = makeRecord({ userHandle: bytes(1), rpId: 'other.example' });
    for (const record of [ada, bob, adaElsewhere]) await vault.create(record, randomBytes(32), []);

    expect(await vault.listByUser('example.com', bytes(1))).toEqual([ada]);
  });

  it('renames a credential', async () => {
    const vault = await openVault(freshName());
    const record = makeRecord();
    await vault.create(record, randomBytes(32), []);
    await vault.rename(record.credentialId, 'Work laptop');

    expect((await vault.get(record.credentialId))?.friendlyName).toBe('Work laptop');
    await expectVaultError(vault.rename(randomBytes(16), 'x'), 'not-found');
  });

  it('deletes a credential and makes the ones it superseded current again', async () => {
    const vault = await openVault(freshName());
    const earlier = makeRecord();
    const later = makeRecord();
    await vault.create(earlier, randomBytes(32), []);
    await vault.create(later, randomBytes(32), [earlier.credentialId]);
    await vault.delete(later.credentialId);

    expect(await vault.get(later.credentialId)).toBeUndefined();
    expect(await vault.get(earlier.credentialId)).toEqual(earlier);
    await expectVaultError(vault.delete(later.credentialId), 'not-found');
  });

  it('refuses a second credential with the same id', async () => {
    const vault = await openVault(freshName());
    const record = makeRecord();
    await vault.create(record, randomBytes(32), []);

    await expectVaultError(vault.create({ ...record, rpName: 'Changed' }, randomBytes(32), []), 'already-exists');
    expect((await vault.get(record.credentialId))?.rpName).toBe('Example');
  });
});

describe('Vault private keys', () => {
  it('stores the private key only wrapped: its bytes appear in no stored value', async () => {
    const name = freshName();
    const vault = await openVault(name);
    const keys = [randomBytes(32), randomBytes(32), randomBytes(121)];
    for (const key of keys) await vault.create(makeRecord(), key, []);

    const stored = byteStrings(await dumpDatabase(name));
    // The search would find a key stored as bytes or as base64url text.
    expect(containsAnyWindow([...stored, keys[0]!], keys[0]!, 8)).toBe(true);
    for (const key of keys) {
      expect(containsAnyWindow(stored, key, 8)).toBe(false);
      expect(containsAnyWindow(stored, new TextEncoder().encode(toBase64url(key)), 8)).toBe(false);
    }
  });

  it('unwraps the private key it was given', async () => {
    const vault = await openVault(freshName());
    const record = makeRecord();
    const key = randomBytes(32);
    await vault.create(record, key, []);

    expect(await vault.withPrivateKey(record.credentialId, copyOf)).toEqual(key);
  });

  it('writes no vault key of its own: the meta store stays empty until set-up', async () => {
    const name = freshName();
    const vault = await openVault(name);
    await vault.create(makeRecord(), randomBytes(32), []);

    expect((await dumpDatabase(name))['meta']).toEqual([]);
  });

  it('refuses to unwrap a wrapped key moved to another credential id or rpId', async () => {
    const name = freshName();
    const vault = await openVault(name);
    const source = makeRecord();
    const sameSite = makeRecord();
    const otherSite = makeRecord({ rpId: 'evil.example' });
    for (const record of [source, sameSite, otherSite]) await vault.create(record, randomBytes(32), []);

    const sourceRow = (await dumpDatabase(name))['credentials']!.find(
      (row) => (row as { credentialId: string }).credentialId === toBase64url(source.credentialId),
    ) as { wrappedKey: unknown };
    for (const target of [sameSite, otherSite]) {
      await editRawRow(name, toBase64url(target.credentialId), (row) => ({ ...row, wrappedKey: sourceRow.wrappedKey }));
      await expectVaultError(vault.withPrivateKey(target.credentialId, copyOf), 'unwrap-failed');
    }
    // The same row relabelled to another site fails too.
    await editRawRow(name, toBase64url(source.credentialId), (row) => ({ ...row, rpId: 'evil.example' }));
    await expectVaultError(vault.withPrivateKey(source.credentialId, copyOf), 'unwrap-failed');
  });

  it('rejects withPrivateKey for an unknown credential with not-found', async () => {
    const vault = await openVault(freshName());
    let called = false;
    await expectVaultError(
      vault.withPrivateKey(randomBytes(16), () => {
        called = true;
      }),
      'not-found',
    );
    expect(called).toBe(false);
  });

  it('wipes the unwrapped key once use settles', async () => {
    const vault = await openVault(freshName());
    const record = makeRecord();
    const key = randomBytes(32);
    await vault.create(record, key, []);
    let seen: Uint8Array | undefined;

    const result = await vault.withPrivateKey(record.credentialId, async (privateKey) => {
      seen = privateKey;
      expect(privateKey).toEqual(key);
      await Promise.resolve();
      return 'signed';
    });

    expect(result).toBe('signed');
    expect(seen).toEqual(new Uint8Array(32));
  });

  it('wipes the unwrapped key when use throws, and rethrows its error', async () => {
    const vault = await openVault(freshName());
    const record = makeRecord();
    await vault.create(record, randomBytes(32), []);
    let seen: Uint8Array | undefined;
    const failure = new Error('signing failed');

    await expect(
      vault.withPrivateKey(record.credentialId, (privateKey) => {
        seen = privateKey;
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(seen).toEqual(new Uint8Array(32));
  });
});

describe('Vault superseding', () => {
  it('marks the superseded credentials with the new id', async () => {
    const vault = await openVault(freshName());
    const first = makeRecord({ createdAt: 1 });
    const second = makeRecord({ createdAt: 2 });
    const third = makeRecord({ createdAt: 3 });
    await vault.create(first, randomBytes(32), []);
    await vault.create(second, randomBytes(32), []);
    await vault.create(third, randomBytes(32), [first.credentialId, second.credentialId]);

    expect((await vault.get(first.credentialId))?.supersededBy).toEqual(third.credentialId);
    expect((await vault.get(second.credentialId))?.supersededBy).toEqual(third.credentialId);
    expect((await vault.get(third.credentialId))?.supersededBy).toBeUndefined();
    // Superseded ones are still listed (and still answer an allowCredentials get).
    expect(await vault.listByRpId('example.com')).toHaveLength(3);
  });

  it('writes nothing when a superseded id is missing', async () => {
    const name = freshName();
    const vault = await openVault(name);
    const earlier = makeRecord();
    await vault.create(earlier, randomBytes(32), []);
    const before = await dumpDatabase(name);
    const record = makeRecord();

    await expectVaultError(vault.create(record, randomBytes(32), [earlier.credentialId, randomBytes(16)]), 'not-found');

    expect(await dumpDatabase(name)).toEqual(before);
    expect((await vault.get(earlier.credentialId))?.supersededBy).toBeUndefined();
    expect(await vault.get(record.credentialId)).toBeUndefined();
  });

  it('rolls back the superseded marks when the new record cannot be added', async () => {
    const name = freshName();
    const vault = await openVault(name);
    const earlier = makeRecord();
    const existing = makeRecord({ userHandle: bytes(9) });
    await vault.create(earlier, randomBytes(32), []);
    await vault.create(existing, randomBytes(32), []);
    const before = await dumpDatabase(name);

    // Same id as `existing`: the add fails after the mark on `earlier` was already put.
    await expectVaultError(
      vault.create({ ...makeRecord(), credentialId: existing.credentialId }, randomBytes(32), [earlier.credentialId]),
      'already-exists',
    );

    expect(await dumpDatabase(name)).toEqual(before);
    expect((await vault.get(earlier.credentialId))?.supersededBy).toBeUndefined();
  });

  it('refuses to supersede a credential of another user or site, writing nothing', async () => {
    const name = freshName();
    const vault = await openVault(name);
    const bob = makeRecord({ userHandle: bytes(9) });
    const elsewhere = makeRecord({ rpId: 'other.example' });
    await vault.create(bob, randomBytes(32), []);
    await vault.create(elsewhere, randomBytes(32), []);
    const before = await dumpDatabase(name);

    for (const victim of [bob, elsewhere]) {
      await expectVaultError(vault.create(makeRecord(), randomBytes(32), [victim.credentialId]), 'invalid-supersedes');
    }
    expect(await dumpDatabase(name)).toEqual(before);
  });

  it('deletes nothing at a sign-in: the superseded ones of the signing account stay, superseded', async () => {
    const vault = await openVault(freshName());
    const oldA = makeRecord({ createdAt: 1 });
    const oldB = makeRecord({ createdAt: 2 });
    const current = makeRecord({ createdAt: 3 });
    const otherOld = makeRecord({ userHandle: bytes(7), createdAt: 1 });
    const otherCurrent = makeRecord({ userHandle: bytes(7), createdAt: 2 });
    const unrelated = makeRecord({ rpId: 'other.example' });
    for (const record of [oldA, oldB, otherOld, unrelated]) await vault.create(record, randomBytes(32), []);
    await vault.create(current, randomBytes(32), [oldA.credentialId, oldB.credentialId]);
    await vault.create(otherCurrent, randomBytes(32), [otherOld.credentialId]);

    await vault.recordSignIn(current.credentialId, 1_800_000_000_000);

    expect((await vault.get(oldA.credentialId))?.supersededBy).toEqual(current.credentialId);
    expect((await vault.get(oldB.credentialId))?.supersededBy).toEqual(current.credentialId);
    expect((await vault.get(current.credentialId))?.lastUsedAt).toBe(1_800_000_000_000);
    expect((await vault.get(otherOld.credentialId))?.supersededBy).toEqual(otherCurrent.credentialId);
    expect(await vault.listAll()).toHaveLength(6);
    // The other user's current passkey and the other site's are untouched: not just present.
    expect(await vault.get(otherCurrent.credentialId)).toEqual(otherCurrent);
    expect(await vault.get(unrelated.credentialId)).toEqual(unrelated);
  });

  it('retires only on evidence: the newer id named by the site hides the older ones not named, and keeps them', async () => {
    const vault = await openVault(freshName());
    const oldA = makeRecord({ createdAt: 1 });
    const oldB = makeRecord({ createdAt: 2 });
    const current = makeRecord({ createdAt: 3 });
    const otherOld = makeRecord({ userHandle: bytes(7), createdAt: 1 });
    const otherCurrent = makeRecord({ userHandle: bytes(7), createdAt: 2 });
    for (const record of [oldA, oldB, current, otherOld, otherCurrent]) await vault.create(record, randomBytes(32), []);

    // Named with oldB: oldB is not retired by the same list.
    await vault.siteKnows('example.com', [current.credentialId, oldB.credentialId]);
    expect((await vault.get(oldA.credentialId))?.hidden).toBe('retired');
    expect((await vault.get(oldB.credentialId))?.hidden).toBeUndefined();
    expect((await vault.get(oldB.credentialId))?.supersededBy).toEqual(current.credentialId);
    expect((await vault.get(otherOld.credentialId))?.hidden).toBeUndefined();
    // Another RP ID naming it is no evidence here.
    await vault.siteKnows('other.example', [otherCurrent.credentialId]);
    expect((await vault.get(otherOld.credentialId))?.hidden).toBeUndefined();
    expect(await vault.listAll()).toHaveLength(5);
    // The user deletes the newer one: the retired one is current again... unless oldB, newer, is shown.
    await vault.delete(current.credentialId);
    expect((await vault.get(oldA.credentialId))?.hidden).toBeUndefined();
    expect((await vault.get(oldA.credentialId))?.supersededBy).toEqual(oldB.credentialId);
    expect((await vault.get(oldB.credentialId))?.supersededBy).toBeUndefined();
  });

  it('signals: an unknown credential is hidden and its earlier one is current again; accepted lists hide and bring back', async () => {
    const vault = await openVault(freshName());
    const older = makeRecord({ createdAt: 1 });
    const newer = makeRecord({ createdAt: 2 });
    const bob = makeRecord({ userHandle: bytes(7) });
    for (const record of [older, newer, bob]) await vault.create(record, randomBytes(32), []);

    await vault.hideUnknown('example.com', newer.credentialId);
    expect((await vault.get(newer.credentialId))?.hidden).toBe('site');
    expect((await vault.get(older.credentialId))?.supersededBy).toBeUndefined();
    await vault.hideUnknown('other.example', bob.credentialId);
    expect((await vault.get(bob.credentialId))?.hidden).toBeUndefined();

    await vault.acceptOnly('example.com', older.userHandle, [newer.credentialId]);
    expect((await vault.get(newer.credentialId))?.hidden).toBeUndefined();
    expect((await vault.get(older.credentialId))?.hidden).toBe('site');
    expect((await vault.get(bob.credentialId))?.hidden).toBeUndefined();

    await vault.acceptOnly('example.com', older.userHandle, [older.credentialId, newer.credentialId]);
    expect((await vault.get(older.credentialId))?.hidden).toBeUndefined();
    expect((await vault.get(older.credentialId))?.supersededBy).toEqual(newer.credentialId);
    expect(await vault.listAll()).toHaveLength(3);
  });

  it('current user details: names change, and a friendly name the user never edited follows', async () => {
    const vault = await openVault(freshName());
    const kept = makeRecord({ friendlyName: 'Work laptop' });
    const auto = makeRecord({ friendlyName: 'default' });
    for (const record of [kept, auto]) await vault.create(record, randomBytes(32), []);
    await vault.updateUser('example.com', kept.userHandle, { name: 'ada@new.example', displayName: 'Ada L.' }, (before) =>
      before.friendlyName === 'default' ? 'ada@new.example on example.com' : before.friendlyName,
    );
    expect(await vault.get(kept.credentialId)).toMatchObject({ userName: 'ada@new.example', userDisplayName: 'Ada L.', friendlyName: 'Work laptop' });
    expect(await vault.get(auto.credentialId)).toMatchObject({ userName: 'ada@new.example', friendlyName: 'ada@new.example on example.com' });
  });

  it('lets a superseded credential sign in without deleting anything', async () => {
    const vault = await openVault(freshName());
    const earlier = makeRecord();
    const later = makeRecord();
    await vault.create(earlier, randomBytes(32), []);
    await vault.create(later, randomBytes(32), [earlier.credentialId]);

    await vault.recordSignIn(earlier.credentialId, 5);

    expect((await vault.get(earlier.credentialId))?.lastUsedAt).toBe(5);
    expect(await vault.listAll()).toHaveLength(2);
  });

  it('rejects recordSignIn for an unknown credential with not-found', async () => {
    const vault = await openVault(freshName());
    await expectVaultError(vault.recordSignIn(randomBytes(16), 5), 'not-found');
  });
});

describe('Vault key across opens', () => {
  it('unwraps keys after the database is closed and opened again', async () => {
    const name = freshName();
    const first = await openVault(name);
    const record = makeRecord();
    const key = randomBytes(32);
    await first.create(record, key, []);
    first.close();

    const second = await openVault(name);
    expect(await second.withPrivateKey(record.credentialId, copyOf)).toEqual(key);
  });

  it('reads records while locked, but neither wraps nor unwraps a key', async () => {
    const name = freshName();
    const unlocked = await openVault(name);
    const record = makeRecord();
    await unlocked.create(record, randomBytes(32), []);
    const locked = await Vault.open({ vaultKey: () => Promise.reject(new VaultError('locked', 'locked')) }, name);
    vaults.closeAfter(locked);

    expect(await locked.get(record.credentialId)).toEqual(record);
    await expectVaultError(locked.withPrivateKey(record.credentialId, copyOf), 'locked');
    await expectVaultError(locked.create(makeRecord(), randomBytes(32), []), 'locked');
    expect(await locked.listAll()).toHaveLength(1);
  });
});

describe('Vault catalog', () => {
  /** What the catalog must hold: a line per credential as the manager summarizes it. */
  async function expectCatalogCurrent(vault: Vault): Promise<void> {
    const { lines } = await vault.listCatalog();
    expect(lines.sort()).toEqual((await vault.listAll()).map((r) => packPasskey(summarize(r, toBase64url(r.credentialId)))).sort());
  }

  it('keeps a line per credential through create, supersede, rename, sign-in, evidence, signals, restore and delete', async () => {
    const vault = await openVault(freshName());
    const first = makeRecord({ createdAt: 1 });
    await vault.create(first, randomBytes(32), []);
    await expectCatalogCurrent(vault);
    const second = makeRecord({ createdAt: 2 });
    await vault.create(second, randomBytes(32), [first.credentialId]);
    await expectCatalogCurrent(vault);
    expect((await vault.listCatalog()).lines).toHaveLength(2);
    await vault.rename(second.credentialId, 'Laptop');
    await expectCatalogCurrent(vault);
    await vault.hideUnknown('example.com', second.credentialId);
    await expectCatalogCurrent(vault);
    await vault.restore(second.credentialId);
    await expectCatalogCurrent(vault);
    const third = makeRecord({ createdAt: 3 });
    await vault.create(third, randomBytes(32), [second.credentialId]);
    await vault.siteKnows('example.com', [third.credentialId]);
    await expectCatalogCurrent(vault);
    await vault.delete(third.credentialId);
    await expectCatalogCurrent(vault);
    const fourth = makeRecord({ createdAt: 4 });
    await vault.create(fourth, randomBytes(32), [second.credentialId]);
    await vault.recordSignIn(fourth.credentialId, 1_700_000_900_000);
    await vault.acceptOnly('example.com', fourth.userHandle, [fourth.credentialId]);
    await vault.updateUser('example.com', fourth.userHandle, { name: 'n', displayName: 'd' }, () => 'renamed');
    await expectCatalogCurrent(vault);
    expect((await vault.listCatalog()).lines).toHaveLength(3);
  });

  it('keeps the ordered list as a snapshot only while no write has changed the stamp', async () => {
    const vault = await openVault(freshName());
    await vault.create(makeRecord(), randomBytes(32), []);
    const { stamp, lines } = await vault.listCatalog();
    const snapshot = { stamp, packed: orderPasskeyLines(lines) };
    expect(await vault.catalogSnapshot()).toEqual({ stamp, snapshot: undefined });
    expect(await vault.saveCatalogSnapshot(snapshot)).toBe(true);
    expect(await vault.catalogSnapshot()).toEqual({ stamp, snapshot });
    // The snapshot and its head (read by the popup, saved-head.test.ts) are not lines:
    // listing and the stamp are unchanged by them.
    expect(await vault.listCatalog()).toEqual({ stamp, lines });

    const later = makeRecord();
    await vault.create(later, randomBytes(32), []);
    const after = await vault.catalogSnapshot();
    expect(after.stamp).not.toBe(stamp);
    expect(after.snapshot).toEqual(snapshot);
    // A list read before that write is not kept.
    const stale = { stamp, packed: orderPasskeyLines([]) };
    expect(await vault.saveCatalogSnapshot(stale)).toBe(false);
    expect((await vault.catalogSnapshot()).snapshot).toEqual(snapshot);
  });

  it('reports what each write changed: the stamps before and after it, and the new lines', async () => {
    const vault = await openVault(freshName());
    const line = async (id: Uint8Array) => packPasskey(summarize((await vault.get(id))!, toBase64url(id)));
    const first = makeRecord({ createdAt: 1 });
    const stamp0 = await vault.catalogStamp();
    const created = await vault.create(first, randomBytes(32), []);
    expect(created).toEqual({ before: stamp0, after: await vault.catalogStamp(), lines: new Map([[toBase64url(first.credentialId), await line(first.credentialId)]]) });
    const second = makeRecord({ createdAt: 2 });
    const superseding = await vault.create(second, randomBytes(32), [first.credentialId]);
    expect(superseding.before).toBe(created.after);
    expect([...superseding.lines.keys()].sort()).toEqual([toBase64url(first.credentialId), toBase64url(second.credentialId)].sort());
    // A sign-in changes its own line only.
    const signIn = await vault.recordSignIn(second.credentialId, 1_700_000_900_000);
    expect(signIn.lines).toEqual(new Map([[toBase64url(second.credentialId), await line(second.credentialId)]]));
    const renamed = await vault.rename(second.credentialId, 'Laptop');
    expect(renamed.lines).toEqual(new Map([[toBase64url(second.credentialId), await line(second.credentialId)]]));
    // Deleting the current one makes the first current again: both lines change.
    const deleted = await vault.delete(second.credentialId);
    expect(deleted).toEqual({
      before: renamed.after,
      after: await vault.catalogStamp(),
      lines: new Map([[toBase64url(second.credentialId), null], [toBase64url(first.credentialId), await line(first.credentialId)]]),
    });
    const third = await vault.create(makeRecord(), randomBytes(32), []);
    // Applied in turn to the lines before them, the changes give the catalog as it is.
    const lines = new Map<string, string>();
    for (const change of [created, superseding, signIn, renamed, deleted, third]) {
      for (const [id, next] of change.lines) {
        if (next === null) lines.delete(id);
        else lines.set(id, next);
      }
    }
    expect(lines.size).toBe(2);
    expect([...lines.values()].sort()).toEqual((await vault.listCatalog()).lines.sort());
  });

  it('changes the stamp with every write, and not with a failed one or a read', async () => {
    const vault = await openVault(freshName());
    const record = makeRecord();
    const stamps = [await vault.catalogStamp()];
    await vault.create(record, randomBytes(32), []);
    stamps.push(await vault.catalogStamp());
    await vault.rename(record.credentialId, 'Laptop');
    stamps.push(await vault.catalogStamp());
    await vault.recordSignIn(record.credentialId, 1_700_000_900_000);
    stamps.push(await vault.catalogStamp());
    expect(new Set(stamps).size).toBe(4);
    await expectVaultError(vault.rename(randomBytes(16), 'x'), 'not-found');
    await vault.listAll();
    expect(await vault.catalogStamp()).toBe(stamps[3]);
    expect((await vault.listCatalog()).stamp).toBe(stamps[3]);
  });
});
