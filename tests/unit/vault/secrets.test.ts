// A credential's PRF secrets and largeBlob in the vault: wrapped like its private key, each
// with its purpose in the AAD (src/vault/wrap.ts).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../src/authenticator/index';
import { toBase64url } from '../../../src/protocol/base64url';
import { Vault, VaultError } from '../../../src/vault';
import { ScriptedUser, approveCreate, chooseCandidate, createParams, getParams, steppingClock } from '../authenticator/fakes';
import { byteStrings, containsAnyWindow, dumpDatabase, editRawRow, freshName, makeRecord, randomBytes, vaultsClosedAfterEach } from './fixtures';

const vaults = vaultsClosedAfterEach();
const openVault = vaults.open;

const copy = (secret: Uint8Array) => Uint8Array.from(secret);

function prf() {
  return { withUV: randomBytes(32), withoutUV: randomBytes(32) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (e: unknown) => e);
}

describe('Vault PRF secrets and largeBlob', () => {
  it('lends the UV secret for a verified assertion and the other one otherwise, after the database is reopened', async () => {
    const name = freshName();
    const record = makeRecord();
    const secrets = prf();
    await (await openVault(name)).create(record, randomBytes(32), [], { prf: secrets });

    const reopened = await openVault(name);
    expect(await reopened.withPrfSecret(record.credentialId, true, copy)).toEqual(secrets.withUV);
    expect(await reopened.withPrfSecret(record.credentialId, false, copy)).toEqual(secrets.withoutUV);
  });

  it('has no PRF secret for a passkey made without them', async () => {
    const vault = await openVault(freshName());
    const record = makeRecord();
    await vault.create(record, randomBytes(32), []);
    let called = false;
    expect(await vault.withPrfSecret(record.credentialId, true, () => (called = true))).toBeUndefined();
    expect(called).toBe(false);
  });

  it('stores the secrets and the blob only wrapped', async () => {
    const name = freshName();
    const vault = await openVault(name);
    const record = makeRecord();
    const secrets = prf();
    const blob = randomBytes(64);
    await vault.create(record, randomBytes(32), [], { prf: secrets });
    await vault.writeLargeBlob(record.credentialId, blob);

    const stored = byteStrings(await dumpDatabase(name));
    for (const secret of [secrets.withUV, secrets.withoutUV, blob]) {
      expect(containsAnyWindow(stored, secret, 8)).toBe(false);
      expect(containsAnyWindow(stored, new TextEncoder().encode(toBase64url(secret)), 8)).toBe(false);
    }
  });

  it('refuses PRF secrets swapped between the UV and non-UV slots, or moved onto the private key', async () => {
    const name = freshName();
    const vault = await openVault(name);
    const record = makeRecord();
    await vault.create(record, randomBytes(32), [], { prf: prf() });
    const id = toBase64url(record.credentialId);
    await editRawRow(name, id, (row) => {
      const wrapped = row.wrappedPrf as { withUV: unknown; withoutUV: unknown };
      return { ...row, wrappedPrf: { withUV: wrapped.withoutUV, withoutUV: wrapped.withUV } };
    });
    for (const uv of [true, false]) {
      const error = await rejection(vault.withPrfSecret(record.credentialId, uv, copy));
      expect(error).toBeInstanceOf(VaultError);
      expect(error).toMatchObject({ code: 'unwrap-failed' });
    }
    await editRawRow(name, id, (row) => ({ ...row, wrappedKey: (row.wrappedPrf as { withUV: unknown }).withUV }));
    expect(await rejection(vault.withPrivateKey(record.credentialId, copy))).toMatchObject({ code: 'unwrap-failed' });
  });

  it('refuses PRF secrets moved to another credential', async () => {
    const name = freshName();
    const vault = await openVault(name);
    const [source, target] = [makeRecord(), makeRecord()];
    await vault.create(source, randomBytes(32), [], { prf: prf() });
    await vault.create(target, randomBytes(32), [], { prf: prf() });
    const sourceRow = (await dumpDatabase(name))['credentials']!.find(
      (row) => (row as { credentialId: string }).credentialId === toBase64url(source.credentialId),
    ) as { wrappedPrf: unknown };
    await editRawRow(name, toBase64url(target.credentialId), (row) => ({ ...row, wrappedPrf: sourceRow.wrappedPrf }));
    expect(await rejection(vault.withPrfSecret(target.credentialId, true, copy))).toMatchObject({ code: 'unwrap-failed' });
  });

  it('reads no blob until one is written, then the last one written, after the database is reopened', async () => {
    const name = freshName();
    const vault = await openVault(name);
    const record = makeRecord();
    await vault.create(record, randomBytes(32), []);
    expect(await vault.readLargeBlob(record.credentialId)).toBeUndefined();
    await vault.writeLargeBlob(record.credentialId, Uint8Array.of(1, 2, 3));
    await vault.writeLargeBlob(record.credentialId, Uint8Array.of(4, 5));
    expect(await (await openVault(name)).readLargeBlob(record.credentialId)).toEqual(Uint8Array.of(4, 5));
  });

  it('keeps the secrets and the blob through a rename and a sign-in', async () => {
    const vault = await openVault(freshName());
    const record = makeRecord();
    const secrets = prf();
    await vault.create(record, randomBytes(32), [], { prf: secrets });
    await vault.writeLargeBlob(record.credentialId, Uint8Array.of(9));
    await vault.rename(record.credentialId, 'renamed');
    await vault.recordSignIn(record.credentialId, 5);
    expect(await vault.withPrfSecret(record.credentialId, true, copy)).toEqual(secrets.withUV);
    expect(await vault.readLargeBlob(record.credentialId)).toEqual(Uint8Array.of(9));
  });

  it('exports the secrets and the blob, and imports them into another vault', async () => {
    const vault = await openVault(freshName());
    const record = makeRecord();
    const secrets = prf();
    await vault.create(record, randomBytes(32), [], { prf: secrets });
    await vault.writeLargeBlob(record.credentialId, Uint8Array.of(7, 7));
    const [entry] = await vault.exportKeys();
    expect(entry!.secrets).toEqual({ prf: secrets, largeBlob: Uint8Array.of(7, 7) });

    const other = await openVault(freshName());
    await other.importCredentials([entry!], []);
    expect(await other.withPrfSecret(record.credentialId, false, copy)).toEqual(secrets.withoutUV);
    expect(await other.readLargeBlob(record.credentialId)).toEqual(Uint8Array.of(7, 7));
  });
});

describe('PRF through the authenticator over the vault', () => {
  it('gives the same output after the vault is closed and opened again', async () => {
    const name = freshName();
    const salts = { eval: { first: randomBytes(32) } };
    const user = new ScriptedUser();
    const first = createAuthenticator(await openVault(name), user, steppingClock());
    user.onCreate(approveCreate());
    const made = await first.makeCredential(createParams());
    if (made.kind !== 'ok') throw new Error('create failed');
    user.onChoose(chooseCandidate(0));
    const before = await first.getAssertion(getParams({ prf: salts }));

    const again = createAuthenticator(await openVault(name), user, steppingClock());
    user.onChoose(chooseCandidate(0));
    const after = await again.getAssertion(getParams({ prf: salts }));
    if (before.kind !== 'ok' || after.kind !== 'ok') throw new Error('get failed');
    expect(before.value.prf?.first).toHaveLength(32);
    expect(after.value.prf).toEqual(before.value.prf);
  });
});
