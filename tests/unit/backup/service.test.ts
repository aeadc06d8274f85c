import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../src/authenticator/index';
import { decodeCoseKey } from '../../../src/authenticator/cose';
import { exportBackup, importBackup, previewImport, LAST_EXPORT_KEY, type BackupDeps } from '../../../src/background/backup';
import { concatBytes } from '../../../src/crypto/bytes';
import { verify } from '../../../src/crypto/signature';
import { fromBase64url, toBase64url } from '../../../src/protocol/base64url';
import { Vault } from '../../../src/vault';
import { ScriptedUser, approveCreate, chooseCandidate, createParams, getParams, steppingClock } from '../authenticator/fakes';
import { freshName, unlockedKeys } from '../vault/fixtures';
import { bitwardenCredential, bitwardenFile, madeKey } from './formats';

const PIN = '13572468';
const CHEAP = { memoryKiB: 8 * 1024, iterations: 1, parallelism: 1 };

async function setup() {
  const vault = await Vault.open(unlockedKeys(), freshName());
  const stored = new Map<string, unknown>();
  const deps: BackupDeps = {
    vault: async () => vault,
    isUnlocked: async () => true,
    verifyPin: async (pin) => (pin === PIN ? { ok: true } : { ok: false, message: 'That PIN is not right. Try again.' }),
    storage: { get: async (key) => stored.get(key), set: async (key, value) => void stored.set(key, value) },
    exporter: { rpId: 'extension-id', displayName: 'Latchkey' },
    now: () => 1_765_000_000_000,
    kdfCost: CHEAP,
  };
  const user = new ScriptedUser();
  const authenticator = createAuthenticator(vault, user, steppingClock());
  async function register(name = 'user-1') {
    user.onCreate(approveCreate());
    const outcome = await authenticator.makeCredential(createParams({ user: { id: new TextEncoder().encode(name), name, displayName: name } }));
    if (outcome.kind !== 'ok') throw new Error('registration failed');
    return outcome.value;
  }
  async function signInWith(credentialId: Uint8Array, extensions: Parameters<typeof getParams>[0], userVerified = false) {
    user.onChoose(chooseCandidate(0, userVerified));
    const outcome = await authenticator.getAssertion(getParams({ allowCredentialIds: [credentialId], ...extensions }));
    if (outcome.kind !== 'ok') throw new Error(`sign-in failed: ${JSON.stringify(outcome)}`);
    return outcome.value;
  }
  async function signIn(credentialId: Uint8Array) {
    user.onChoose(chooseCandidate(0));
    const params = getParams({ allowCredentialIds: [credentialId] });
    const outcome = await authenticator.getAssertion(params);
    if (outcome.kind !== 'ok') throw new Error(`sign-in failed: ${JSON.stringify(outcome)}`);
    return { ...outcome.value, clientDataHash: params.clientDataHash };
  }
  return { vault, deps, stored, register, signIn, signInWith };
}

const exportRequest = (passphrase: string | null, pin = PIN) => ({ type: 'backup:export' as const, pin, passphrase, ids: null });

describe('backup export', () => {
  it('an unlocked vault is not enough: a wrong PIN exports nothing and marks nothing backed up', async () => {
    const { vault, deps, stored, register } = await setup();
    await register();
    const answer = await exportBackup(deps, exportRequest('a long passphrase', '00000000'));
    expect(answer).toMatchObject({ ok: false, problem: 'wrong-pin', message: 'That PIN is not right. Try again.' });
    expect((await vault.listAll())[0]!.backupState).toBe(false);
    expect(stored.has(LAST_EXPORT_KEY)).toBe(false);
  });

  it('exported passkeys get BS=1 from then on, and the file is named latchkey-…-date', async () => {
    const { vault, deps, register, signIn } = await setup();
    const credential = await register();
    const answer = await exportBackup(deps, exportRequest('a long passphrase'));
    if (!answer.ok) throw new Error(answer.message);
    expect(answer.fileName).toMatch(/^latchkey-backup-\d{4}-\d{2}-\d{2}\.json$/);
    expect((await vault.listAll())[0]!.backupState).toBe(true);
    const assertion = await signIn(credential.credentialId);
    expect(assertion.authenticatorData[32]! & 0x10).toBe(0x10);
  });

  it('export, Reset vault, import: every passkey still signs in, with the same names, dates to the second and state', async () => {
    const before = await setup();
    const first = await before.register('alice');
    const second = await before.register('bob');
    await before.vault.rename(second.credentialId, 'Bob’s work key');
    await before.signIn(first.credentialId);
    const recordsBefore = await before.vault.listAll();
    const answer = await exportBackup(before.deps, exportRequest('a long passphrase'));
    if (!answer.ok) throw new Error(answer.message);

    const after = await setup(); // a reset vault: a new, empty database
    const preview = await previewImport(after.deps, answer.text, 'a long passphrase');
    expect(preview).toMatchObject({ adding: 2, skipping: 0, encrypted: true, source: 'cxf' });
    expect(await after.vault.count()).toBe(0);
    const result = await importBackup(after.deps, answer.text, 'a long passphrase');
    expect(result).toMatchObject({ added: 2, skipped: [] });
    for (const original of recordsBefore) {
      const restored = (await after.vault.get(original.credentialId))!;
      expect(restored).toMatchObject({
        rpId: original.rpId, rpName: original.rpName, userName: original.userName, userDisplayName: original.userDisplayName,
        friendlyName: original.friendlyName, alg: original.alg, backupState: true,
        createdAt: Math.floor(original.createdAt / 1000) * 1000,
        lastUsedAt: original.lastUsedAt === null ? null : Math.floor(original.lastUsedAt / 1000) * 1000,
      });
      expect(restored.nameEdited === true).toBe(original.nameEdited === true);
      expect(restored.supersededBy).toEqual(original.supersededBy);
      expect(restored.publicKey).toEqual(original.publicKey);
      const assertion = await after.signIn(original.credentialId);
      const signed = concatBytes(assertion.authenticatorData, assertion.clientDataHash);
      expect(await verify(decodeCoseKey(original.publicKey), signed, assertion.signature)).toBe(true);
    }
  });

  it('export, Reset vault, import: the same PRF outputs with and without UV, and the same largeBlob', async () => {
    const before = await setup();
    const made = await before.register('alice');
    const id = made.credentialId;
    const salts = { eval: { first: new Uint8Array(32).fill(1), second: new Uint8Array(32).fill(2) } };
    await before.signInWith(id, { largeBlob: { write: Uint8Array.of(1, 2, 3, 4, 4, 4, 4, 4) } });
    const uvBefore = (await before.signInWith(id, { prf: salts }, true)).prf;
    const noUvBefore = (await before.signInWith(id, { prf: salts }, false)).prf;
    expect(uvBefore).toBeDefined();
    const answer = await exportBackup(before.deps, exportRequest(null));
    if (!answer.ok) throw new Error(answer.message);
    const passkey = JSON.parse(answer.text).accounts[0].items[0].credentials[0];
    expect(passkey.fido2Extensions.hmacCredentials).toMatchObject({ algorithm: 'hmac-sha256' });
    expect(passkey.fido2Extensions.largeBlob).toMatchObject({ size: 8, alg: 'deflate' });

    const after = await setup();
    expect(await importBackup(after.deps, answer.text, null)).toMatchObject({ added: 1, skipped: [] });
    expect((await after.signInWith(id, { prf: salts }, true)).prf).toEqual(uvBefore);
    expect((await after.signInWith(id, { prf: salts }, false)).prf).toEqual(noUvBefore);
    expect((await after.signInWith(id, { largeBlob: { read: true } })).largeBlob).toEqual({ blob: Uint8Array.of(1, 2, 3, 4, 4, 4, 4, 4) });
  });

  it('imports nothing from a CXF file whose hmacCredentials are of another algorithm, or whose largeBlob does not inflate to its size', async () => {
    const before = await setup();
    const made = await before.register('alice');
    await before.signInWith(made.credentialId, { largeBlob: { write: Uint8Array.of(5, 6, 7) } });
    const answer = await exportBackup(before.deps, exportRequest(null));
    if (!answer.ok) throw new Error(answer.message);
    const edit = (change: (extensions: Record<string, Record<string, unknown>>) => void) => {
      const file = JSON.parse(answer.text);
      change(file.accounts[0].items[0].credentials[0].fido2Extensions);
      return JSON.stringify(file);
    };
    const after = await setup();
    await expect(importBackup(after.deps, edit((x) => void (x.hmacCredentials!.algorithm = 'hmac-sha512')), null)).rejects.toThrow(/hmac-sha256/);
    await expect(importBackup(after.deps, edit((x) => void (x.largeBlob!.size = 4)), null)).rejects.toThrow(/largeBlob/);
    expect(await after.vault.count()).toBe(0);
  });

  it('an export of the selected ids holds those passkeys only, and marks only them backed up', async () => {
    const { vault, deps, register } = await setup();
    const chosen = await register('alice');
    const other = await register('bob');
    const answer = await exportBackup(deps, { type: 'backup:export', pin: PIN, passphrase: null, ids: [toBase64url(chosen.credentialId)] });
    if (!answer.ok) throw new Error(answer.message);
    expect(answer.exported).toBe(1);
    expect(answer.text).toContain(toBase64url(chosen.credentialId));
    expect(answer.text).not.toContain(toBase64url(other.credentialId));
    expect((await vault.get(chosen.credentialId))!.backupState).toBe(true);
    expect((await vault.get(other.credentialId))!.backupState).toBe(false);
  });

  it('a plain export asks for no passphrase and is the CXF document itself', async () => {
    const { deps, register } = await setup();
    await register();
    const answer = await exportBackup(deps, exportRequest(null));
    if (!answer.ok) throw new Error(answer.message);
    expect(answer.fileName).toMatch(/^latchkey-plain-\d{4}-\d{2}-\d{2}\.cxf\.json$/);
    expect(JSON.parse(answer.text).version).toEqual({ major: 1, minor: 0 });
  });
});

describe('counters of imported passkeys', () => {
  it('a Bitwarden passkey with counter 7 signs in with 8, then 9, written with lastUsedAt; it is left out of CXF exports, and the export says so', async () => {
    const { vault, deps, register, signIn } = await setup();
    await register();
    const key = await madeKey();
    await importBackup(deps, bitwardenFile([bitwardenCredential(key, { counter: '7' })]), null);
    const counter = (data: Uint8Array) => new DataView(data.buffer, data.byteOffset).getUint32(33);
    const one = await signIn(key.credentialId);
    expect(counter(one.authenticatorData)).toBe(8);
    expect(await verify(key.publicKey, concatBytes(one.authenticatorData, one.clientDataHash), one.signature)).toBe(true);
    const stored = (await vault.get(key.credentialId))!;
    expect(stored.signCount).toBe(8);
    expect(stored.lastUsedAt).not.toBeNull();
    expect(counter((await signIn(key.credentialId)).authenticatorData)).toBe(9);

    const answer = await exportBackup(deps, exportRequest(null));
    if (!answer.ok) throw new Error(answer.message);
    expect(answer.exported).toBe(1);
    expect(answer.excluded).toEqual([{ friendlyName: 'example.com', rpId: 'example.com' }]);
    expect(answer.text).not.toContain(toBase64url(key.credentialId));
  });

  it('a passkey from CXF, or with counter 0, keeps counter 0', async () => {
    const { deps, signIn } = await setup();
    const key = await madeKey();
    await importBackup(deps, bitwardenFile([bitwardenCredential(key, { counter: 0 })]), null);
    const assertion = await signIn(key.credentialId);
    expect(new DataView(assertion.authenticatorData.buffer, assertion.authenticatorData.byteOffset).getUint32(33)).toBe(0);
  });
});

describe('import is one transaction', () => {
  it('when one passkey of the import can’t be written, none is', async () => {
    const { vault, register } = await setup();
    const held = await register();
    const key = await madeKey();
    const record = (credentialId: Uint8Array) => ({
      credentialId, rpId: 'example.com', rpName: 'Example', userHandle: key.userHandle, userName: 'x', userDisplayName: 'x', friendlyName: 'x',
      alg: -7, publicKey: new Uint8Array(77), discoverable: true as const, backupState: true, createdAt: 1, lastUsedAt: null,
    });
    const fresh = crypto.getRandomValues(new Uint8Array(16));
    await expect(vault.importCredentials([
      { record: record(fresh), privateKey: new Uint8Array(32).fill(1) },
      { record: record(held.credentialId), privateKey: new Uint8Array(32).fill(1) },
    ], [])).rejects.toMatchObject({ code: 'already-exists' });
    expect(await vault.count()).toBe(1);
    expect(await vault.get(fresh)).toBeUndefined();
  });

  it('importing a newer passkey for an account makes the vault’s current one the earlier one, in the same write', async () => {
    const { vault, deps, register } = await setup();
    const held = await register('user-1');
    const key = await madeKey();
    key.userHandle = new TextEncoder().encode('user-1');
    const result = await importBackup(deps, bitwardenFile([bitwardenCredential(key, { creationDate: new Date(Date.now() + 60_000).toISOString() })]), null);
    expect(result.superseded).toBe(1);
    expect(toBase64url((await vault.get(held.credentialId))!.supersededBy!)).toBe(toBase64url(key.credentialId));
    expect(fromBase64url(toBase64url(key.credentialId))).toEqual(key.credentialId);
  });
});
