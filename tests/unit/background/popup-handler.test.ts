import { describe, expect, it, vi } from 'vitest';
import type { CredentialRecord } from '../../../src/authenticator/ports';
import { LOCKED_MESSAGE, managerHandler, type ManagerDeps } from '../../../src/background/popup-handler';
import { PasskeyList, type ManagedVault, type OrderedList } from '../../../src/background/passkey-list';
import { parsePasskeyEndpoints } from '../../../src/background/passkey-endpoints';
import { summarize } from '../../../src/vault/row';
import { toBase64url } from '../../../src/protocol/base64url';
import { packPasskey, unpackPasskeys, type PackedPasskeys } from '../../../src/protocol/packed-list';
import { type Settings } from '../../../src/protocol/settings';
import type { CatalogChange } from '../../../src/vault/catalog';
import { makeRecord } from '../vault/fixtures';

class FakeVault implements ManagedVault {
  /** Bumped by every write, as the vault's catalog stamp is. */
  stamp = 1;
  catalogReads = 0;
  snapshotSaves = 0;
  snapshot: OrderedList | undefined;
  constructor(public records: CredentialRecord[]) {}
  async listCatalog() {
    this.catalogReads++;
    return { stamp: String(this.stamp), lines: this.records.map((r) => packPasskey(summarize(r, toBase64url(r.credentialId)))) };
  }
  async catalogStamp() {
    return String(this.stamp);
  }
  async catalogSnapshot() {
    return { stamp: String(this.stamp), snapshot: this.snapshot };
  }
  async saveCatalogSnapshot(list: OrderedList) {
    if (list.stamp !== String(this.stamp)) return false;
    this.snapshot = list;
    this.snapshotSaves++;
    return true;
  }
  #find(id: Uint8Array) {
    const found = this.records.find((r) => toBase64url(r.credentialId) === toBase64url(id));
    if (!found) throw Object.assign(new Error('no such credential'), { code: 'not-found' });
    return found;
  }
  /** A write, reported as the vault reports it: the stamps around it and the changed line. */
  #write(record: CredentialRecord, gone = false): CatalogChange {
    const before = String(this.stamp++);
    return { before, after: String(this.stamp), lines: new Map([[toBase64url(record.credentialId), gone ? null : packPasskey(summarize(record, toBase64url(record.credentialId)))]]) };
  }
  async rename(id: Uint8Array, friendlyName: string) {
    const found = this.#find(id);
    found.friendlyName = friendlyName;
    return this.#write(found);
  }
  async delete(id: Uint8Array) {
    const found = this.#find(id);
    this.records = this.records.filter((r) => r !== found);
    return this.#write(found, true);
  }
  async restore(id: Uint8Array) {
    const found = this.#find(id);
    delete found.hidden;
    return this.#write(found);
  }
}

function setup(overrides: Partial<ManagerDeps> = {}, records = [makeRecord(), makeRecord({ rpId: 'b.example' })]) {
  const vault = new FakeVault(records);
  let settings: Settings = { autoLockMinutes: 15, neverSites: [], offerFirst: 'latchkey', keepReady: true };
  const fetched: string[] = [];
  const deps: ManagerDeps = {
    vault: async () => vault,
    isUnlocked: async () => true,
    getSettings: async () => settings,
    updateSettings: async (patch) => (settings = { ...settings, ...patch }),
    hasOriginPermission: async () => true,
    fetch: async (input) => {
      fetched.push(String(input));
      return new Response(JSON.stringify({ enroll: 'https://b.example/enroll', manage: 'https://b.example/security' }));
    },
    ...overrides,
  };
  return { vault, deps, fetched, handle: managerHandler(deps) };
}

describe('managerHandler', () => {
  it('leaves messages of other features alone', () => {
    const { handle } = setup();
    expect(handle({ type: 'lock:now' })).toBeUndefined();
    expect(handle('manager:list')).toBeUndefined();
  });

  it('lists metadata only, with base64url ids, and tells a passkey the site hid from a superseded one', async () => {
    const superseded = makeRecord({ supersededBy: new Uint8Array(16) });
    const hiddenBySite = makeRecord({ hidden: 'site' });
    const { handle } = setup({}, [makeRecord(), superseded, hiddenBySite]);
    const answer = (await handle({ type: 'manager:list' })) as { ok: true; packed: PackedPasskeys };
    expect(answer.ok).toBe(true);
    const passkeys = unpackPasskeys(answer.packed);
    expect(passkeys).toHaveLength(3);
    const id = toBase64url(superseded.credentialId);
    expect(passkeys.find((p) => p.credentialId === id)).toMatchObject({ hidden: false, superseded: true, rpName: 'Example' });
    expect(passkeys.find((p) => p.credentialId === toBase64url(hiddenBySite.credentialId))).toMatchObject({ hidden: true, superseded: false });
    expect(passkeys.filter((p) => p.hidden || p.superseded)).toHaveLength(2);
    for (const p of passkeys) {
      expect(Object.keys(p).sort()).toEqual(
        ['alg', 'backupState', 'createdAt', 'credentialId', 'discoverable', 'friendlyName', 'hidden', 'lastUsedAt', 'rpId', 'rpName', 'superseded', 'userDisplayName', 'userName'],
      );
    }
  });

  it('answers only the first lines when asked, with the whole list\'s counts, and refuses a bad count', async () => {
    const { handle } = setup();
    const whole = (await handle({ type: 'manager:list' })) as { packed: PackedPasskeys };
    const first = (await handle({ type: 'manager:list', first: 1 })) as { packed: PackedPasskeys };
    expect(unpackPasskeys(first.packed)).toEqual(unpackPasskeys(whole.packed).slice(0, 1));
    expect(first.packed).toMatchObject({ count: 2, sites: whole.packed.sites });
    for (const bad of [0, 1.5, -1, 1001, '3']) {
      expect(await handle({ type: 'manager:list', first: bad }), String(bad)).toMatchObject({ ok: false });
    }
  });

  it('follows its own writes without reading the catalog again, and reads it after anyone else\'s', async () => {
    const { handle, vault, deps } = setup(undefined, [makeRecord(), makeRecord({ rpId: 'b.example' }), makeRecord({ rpId: 'b.example' })]);
    const list = async (h = handle) => unpackPasskeys(((await h({ type: 'manager:list' })) as { packed: PackedPasskeys }).packed);
    expect(await list()).toHaveLength(3);
    expect(await list()).toHaveLength(3);
    expect(vault.catalogReads).toBe(1);
    await handle({ type: 'manager:delete', credentialId: toBase64url(vault.records[0]!.credentialId) });
    await handle({ type: 'manager:rename', credentialId: toBase64url(vault.records[1]!.credentialId), friendlyName: 'Laptop' });
    const followed = await list();
    expect(vault.catalogReads).toBe(1);
    // The same list, in the same order, as a worker reading the whole catalog gets.
    expect(followed).toEqual(await list(managerHandler(deps)));
    expect(followed.map((p) => p.friendlyName)).toContain('Laptop');
    expect(vault.catalogReads).toBe(2);
    vault.records[0]!.friendlyName = 'Renamed elsewhere';
    vault.stamp++; // a write through another connection, not reported to this worker
    expect((await list()).map((p) => p.friendlyName)).toContain('Renamed elsewhere');
    expect(vault.catalogReads).toBe(3);
  });

  it('answers a new worker from the snapshot the last one saved, not from every line', async () => {
    const { deps, vault } = setup();
    const listOf = async (handle: ReturnType<typeof managerHandler>) =>
      unpackPasskeys(((await handle({ type: 'manager:list' })) as { packed: PackedPasskeys }).packed);
    const before = await listOf(managerHandler(deps));
    expect(vault.catalogReads).toBe(1);
    await Promise.resolve(); // the snapshot is saved beside the answer
    expect(vault.snapshot?.stamp).toBe(String(vault.stamp));
    // A new service worker starts with no list in memory.
    expect(await listOf(managerHandler(deps))).toEqual(before);
    expect(vault.catalogReads).toBe(1);
  });

  it('brings an older snapshot up to date with the writes made through this worker', async () => {
    const { deps, vault } = setup();
    await managerHandler(deps)({ type: 'manager:list' });
    await Promise.resolve();
    // A new worker renames before it lists: the snapshot is one write behind.
    const handle = managerHandler(deps);
    await handle({ type: 'manager:rename', credentialId: toBase64url(vault.records[1]!.credentialId), friendlyName: 'Phone' });
    const answer = (await handle({ type: 'manager:list' })) as { packed: PackedPasskeys };
    expect(unpackPasskeys(answer.packed).map((p) => p.friendlyName)).toContain('Phone');
    expect(vault.catalogReads).toBe(1);
  });

  it('ignores a snapshot from before a write it was not told of, whichever connection wrote', async () => {
    const { deps, vault } = setup();
    await managerHandler(deps)({ type: 'manager:list' });
    await Promise.resolve();
    vault.records[0]!.friendlyName = 'Renamed elsewhere';
    vault.stamp++;
    const answer = (await managerHandler(deps)({ type: 'manager:list' })) as { packed: PackedPasskeys };
    expect(unpackPasskeys(answer.packed).map((p) => p.friendlyName)).toContain('Renamed elsewhere');
    expect(vault.catalogReads).toBe(2);
  });

  it('saves the followed list as the snapshot once writes pause, so the next worker need not read every line', async () => {
    const vault = new FakeVault([makeRecord(), makeRecord({ rpId: 'b.example' })]);
    const passkeys = new PasskeyList(async () => vault, { saveDelayMs: 0 });
    const { deps } = setup({ vault: async () => vault, passkeys });
    const handle = managerHandler(deps);
    await handle({ type: 'manager:list' });
    await vi.waitFor(() => expect(vault.snapshotSaves).toBe(1));
    await handle({ type: 'manager:rename', credentialId: toBase64url(vault.records[0]!.credentialId), friendlyName: 'Laptop' });
    expect(vault.snapshot?.stamp).not.toBe(String(vault.stamp));
    await vi.waitFor(() => expect(vault.snapshot?.stamp).toBe(String(vault.stamp)));
    expect(unpackPasskeys(vault.snapshot!.packed).map((p) => p.friendlyName)).toContain('Laptop');
    // Several writes in a row are followed by one save, and none reads the catalog.
    await handle({ type: 'manager:rename', credentialId: toBase64url(vault.records[0]!.credentialId), friendlyName: 'Desk' });
    await handle({ type: 'manager:rename', credentialId: toBase64url(vault.records[1]!.credentialId), friendlyName: 'Phone' });
    await vi.waitFor(() => expect(vault.snapshot?.stamp).toBe(String(vault.stamp)));
    expect(vault.snapshotSaves).toBe(3);
    expect(vault.catalogReads).toBe(1);
    expect(unpackPasskeys(vault.snapshot!.packed).map((p) => p.friendlyName).sort()).toEqual(['Desk', 'Phone']);
  });

  it('answers nothing while the vault is locked, and touches nothing', async () => {
    let unlocked = false;
    const { handle, vault, fetched } = setup({ isUnlocked: async () => unlocked });
    const id = toBase64url(vault.records[0]!.credentialId);
    const requests = [
      { type: 'manager:list' },
      { type: 'manager:rename', credentialId: id, friendlyName: 'Mine now' },
      { type: 'manager:delete', credentialId: id },
      { type: 'manager:restore', credentialId: id },
      { type: 'manager:endpoints', rpId: 'b.example' },
      { type: 'manager:get-settings' },
      { type: 'manager:update-settings', patch: { autoLockMinutes: 60 } },
    ];
    for (const request of requests) {
      expect(await handle(request), request.type).toEqual({ ok: false, message: LOCKED_MESSAGE });
    }
    expect(vault.catalogReads).toBe(0);
    expect(vault.stamp).toBe(1);
    expect(fetched).toEqual([]);
    unlocked = true;
    expect(await handle({ type: 'manager:get-settings' })).toMatchObject({ ok: true, settings: { autoLockMinutes: 15 } });
  });

  it('renames with the trimmed name, and refuses a bad one without touching the vault', async () => {
    const { handle, vault } = setup();
    const id = toBase64url(vault.records[0]!.credentialId);
    expect(await handle({ type: 'manager:rename', credentialId: id, friendlyName: '  Laptop ' })).toEqual({ ok: true, friendlyName: 'Laptop' });
    expect(vault.records[0]!.friendlyName).toBe('Laptop');
    const refused = (await handle({ type: 'manager:rename', credentialId: id, friendlyName: 'x'.repeat(65) })) as { ok: boolean; message: string };
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/at most 64/);
    expect(vault.records[0]!.friendlyName).toBe('Laptop');
  });

  it('deletes and restores, and says so plainly when the passkey is gone', async () => {
    const hidden = makeRecord({ hidden: 'site' });
    const { handle, vault } = setup({}, [makeRecord(), hidden]);
    const id = toBase64url(hidden.credentialId);
    expect(await handle({ type: 'manager:restore', credentialId: id })).toEqual({ ok: true, credentialId: id });
    expect(hidden.hidden).toBeUndefined();
    expect(await handle({ type: 'manager:delete', credentialId: id })).toEqual({ ok: true, credentialId: id });
    expect(vault.records).toHaveLength(1);
    expect(await handle({ type: 'manager:delete', credentialId: id })).toEqual({ ok: false, message: 'That passkey is no longer in Latchkey.' });
  });

  it('answers a failing vault with its message rather than throwing', async () => {
    const { handle } = setup({ vault: async () => Promise.reject(new Error('The vault is locked.')) });
    expect(await handle({ type: 'manager:list' })).toEqual({ ok: false, message: 'The vault is locked.' });
  });

  it('reads and updates settings, validating the patch', async () => {
    const { handle } = setup();
    expect(await handle({ type: 'manager:update-settings', patch: { neverSites: ['a.example'] } })).toEqual({
      ok: true,
      settings: { autoLockMinutes: 15, neverSites: ['a.example'], offerFirst: 'latchkey', keepReady: true },
    });
    expect(await handle({ type: 'manager:get-settings' })).toMatchObject({ ok: true, settings: { neverSites: ['a.example'] } });
    expect(await handle({ type: 'manager:update-settings', patch: { autoLockMinutes: 0 } })).toMatchObject({ ok: false });
  });

  it('fetches passkey-endpoints from the rpId over https, without cookies, once the origin is granted', async () => {
    const inits: RequestInit[] = [];
    const { handle, fetched } = setup({
      fetch: async (input, init) => {
        fetched.push(String(input));
        inits.push(init ?? {});
        return new Response(JSON.stringify({ manage: 'https://b.example/security' }));
      },
    });
    expect(await handle({ type: 'manager:endpoints', rpId: 'b.example' })).toEqual({ ok: true, manage: 'https://b.example/security' });
    expect(fetched).toEqual(['https://b.example/.well-known/passkey-endpoints']);
    expect(inits[0]?.credentials).toBe('omit');
  });

  it('never fetches without the permission', async () => {
    const { handle, fetched } = setup({ hasOriginPermission: async () => false });
    expect(await handle({ type: 'manager:endpoints', rpId: 'b.example' })).toMatchObject({ ok: false, message: expect.stringMatching(/allow/) });
    expect(fetched).toEqual([]);
  });

  it('reads a missing file as no manage URL, and a network failure as an error', async () => {
    const missing = setup({ fetch: async () => new Response('not found', { status: 404 }) });
    expect(await missing.handle({ type: 'manager:endpoints', rpId: 'b.example' })).toEqual({ ok: true, manage: null });
    const down = setup({ fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
    expect(await down.handle({ type: 'manager:endpoints', rpId: 'b.example' })).toEqual({ ok: false, message: 'Latchkey could not reach b.example.' });
  });
});

describe('parsePasskeyEndpoints', () => {
  it('takes an https manage URL and nothing else', () => {
    expect(parsePasskeyEndpoints({ manage: 'https://example.com/account/passkeys' })).toBe('https://example.com/account/passkeys');
    expect(parsePasskeyEndpoints({ manage: 'javascript:alert(1)' })).toBeNull();
    expect(parsePasskeyEndpoints({ manage: 'http://example.com/' })).toBeNull();
    expect(parsePasskeyEndpoints({ enroll: 'https://example.com/' })).toBeNull();
    expect(parsePasskeyEndpoints({ manage: 42 })).toBeNull();
    expect(parsePasskeyEndpoints(null)).toBeNull();
  });
});
