import { describe, expect, it } from 'vitest';
import { decodeCoseKey } from '../../../src/authenticator/cose';
import { exportCxf, LATCHKEY_EXTENSION } from '../../../src/backup/cxf';
import { planImport, readBackupFile } from '../../../src/backup/import';
import { fromPkcs8, toPkcs8 } from '../../../src/backup/pkcs8';
import type { SignatureAlgorithm } from '../../../src/crypto/key-types';
import { generateKeyPair, sign, verify } from '../../../src/crypto/signature';
import { toBase64url } from '../../../src/protocol/base64url';
import { entry, EXPORTER } from './fixtures';

const ALGORITHMS: SignatureAlgorithm[] = ['ES256', 'EdDSA', 'RS256'];

describe('PKCS#8', () => {
  it.each(ALGORITHMS)('%s: the vault key round-trips through PKCS#8 and the derived public key verifies its signatures', async (algorithm) => {
    const pair = await generateKeyPair(algorithm);
    const parsed = fromPkcs8(toPkcs8(algorithm, pair.privateKey));
    expect(parsed.algorithm).toBe(algorithm);
    const message = new TextEncoder().encode('hello');
    expect(await verify(parsed.publicKey, message, await sign(algorithm, parsed.privateKey, message))).toBe(true);
    expect(parsed.publicKey).toEqual(pair.publicKey);
  });

  it('a P-256 key whose stated public key is not its own is refused', async () => {
    const a = await generateKeyPair('ES256');
    const b = await generateKeyPair('ES256');
    const der = toPkcs8('ES256', a.privateKey);
    const other = toPkcs8('ES256', b.privateKey);
    // Same layout: the last 65 bytes are the uncompressed point.
    const mixed = Uint8Array.from(der);
    mixed.set(other.subarray(other.length - 64), der.length - 64);
    expect(() => fromPkcs8(mixed)).toThrow(/not the private key/);
  });
});

describe('CXF 1.0 export', () => {
  it('emits every member CXF 1.0 marks required, with one account and one passkey item per passkey', async () => {
    const doc = exportCxf([await entry('ES256'), await entry('EdDSA')], EXPORTER, 1_765_200_000_999);
    expect(doc.version).toEqual({ major: 1, minor: 0 });
    expect(doc).toMatchObject({ exporterRpId: 'latchkey.example', exporterDisplayName: 'Latchkey', timestamp: 1_765_200_000 });
    expect(doc.accounts).toHaveLength(1);
    const account = doc.accounts[0]!;
    expect(Object.keys(account).sort()).toEqual(['collections', 'email', 'id', 'items', 'username']);
    expect(account.items).toHaveLength(2);
    const item = account.items[0]!;
    expect(item).toMatchObject({ title: 'Alice’s laptop key', creationAt: 1_765_000_000, modifiedAt: 1_765_000_000 });
    expect(typeof item.id).toBe('string');
    expect(Object.keys(item.credentials[0]!).sort()).toEqual(['credentialId', 'key', 'rpId', 'type', 'userDisplayName', 'userHandle', 'username']);
    expect(item.credentials[0]!.type).toBe('passkey');
    expect(item.extensions[0]).toMatchObject({ name: LATCHKEY_EXTENSION, superseded: false, hidden: null, nameEdited: true, lastUsedAt: 1_765_100_000 });
  });
});

describe('CXF round trip', () => {
  it.each(ALGORITHMS)('%s: export, read and plan give back the same passkey, dates to the second, and Latchkey’s state', async (algorithm) => {
    const original = await entry(algorithm, { state: { lastUsedAt: 1_765_100_000_456, superseded: false, hidden: null, nameEdited: true } });
    const text = JSON.stringify(exportCxf([original], EXPORTER, Date.now()));
    const read = await readBackupFile(text);
    expect(read.source).toBe('cxf');
    const plan = await planImport(read, [], Date.now());
    expect(plan.skipped).toEqual([]);
    const row = plan.add[0]!;
    expect(toBase64url(row.credentialId)).toBe(toBase64url(original.credentialId));
    expect(toBase64url(row.userHandle)).toBe(toBase64url(original.userHandle));
    expect(row).toMatchObject({
      rpId: original.rpId, rpName: original.rpName, userName: original.userName, userDisplayName: original.userDisplayName,
      friendlyName: original.friendlyName, createdAt: 1_765_000_000_000, lastUsedAt: 1_765_100_000_000, hidden: null, nameEdited: true,
    });
    expect(row.signCount).toBeUndefined();
    expect(row.supersededBy).toBeUndefined();
    const message = new TextEncoder().encode('sign me');
    const signature = await sign(algorithm, row.privateKey, message);
    expect(await verify(decodeCoseKey(row.publicKey), message, signature)).toBe(true);
  });

  it('a superseded passkey and its replacement keep their states, whatever their order in the file', async () => {
    const userHandle = crypto.getRandomValues(new Uint8Array(16));
    const older = await entry('ES256', { userHandle, createdAt: 1_700_000_000_000, state: { lastUsedAt: null, superseded: true, hidden: null, nameEdited: false } });
    const newer = await entry('ES256', { userHandle, createdAt: 1_600_000_000_000, state: { lastUsedAt: null, superseded: false, hidden: null, nameEdited: false } });
    const plan = await planImport(await readBackupFile(JSON.stringify(exportCxf([older, newer], EXPORTER, Date.now()))), [], Date.now());
    expect(plan.add[0]!.supersededBy).toBe(toBase64url(newer.credentialId));
    expect(plan.add[1]!.supersededBy).toBeUndefined();
  });

  it('without Latchkey’s state, the later creation date is current, not the later place in the file', async () => {
    const userHandle = crypto.getRandomValues(new Uint8Array(16));
    const later = await entry('ES256', { userHandle, createdAt: 1_700_000_000_000 });
    const earlier = await entry('ES256', { userHandle, createdAt: 1_600_000_000_000 });
    const doc = exportCxf([later, earlier], EXPORTER, Date.now());
    for (const item of doc.accounts[0]!.items) item.extensions = [];
    const plan = await planImport(await readBackupFile(JSON.stringify(doc)), [], Date.now());
    expect(plan.add[0]!.supersededBy).toBeUndefined();
    expect(plan.add[1]!.supersededBy).toBe(toBase64url(later.credentialId));
    expect(plan.preview.find((line) => line.status === 'add-earlier')?.note).toMatch(/newer passkey/);
  });

  it('an imported passkey newer than the vault’s current one makes the vault’s the earlier one, and the preview says so', async () => {
    const imported = await entry('ES256', { createdAt: 1_700_000_000_000 });
    imported.state.superseded = false;
    const held = { credentialId: 'AAAA', rpId: imported.rpId, userHandle: toBase64url(imported.userHandle), userName: 'alice', friendlyName: 'old', createdAt: 1_600_000_000_000, superseded: false };
    const plan = await planImport(await readBackupFile(JSON.stringify(exportCxf([imported], EXPORTER, Date.now()))), [held], Date.now());
    expect(plan.supersede).toEqual([{ credentialId: 'AAAA', by: toBase64url(imported.credentialId) }]);
    expect(plan.preview.some((line) => line.status === 'existing-earlier')).toBe(true);
  });

  it('an empty or overlong title becomes a name the passkey manager allows', async () => {
    const empty = await entry('ES256', { friendlyName: '  ' });
    const long = await entry('ES256', { friendlyName: 'x'.repeat(500) });
    const plan = await planImport(await readBackupFile(JSON.stringify(exportCxf([empty, long], EXPORTER, Date.now()))), [], Date.now());
    expect(plan.add[0]!.friendlyName).toBe('alice@example.com on example.com');
    expect([...plan.add[1]!.friendlyName].length).toBe(64);
  });

  it('a passkey already in the vault is skipped and reported as a duplicate', async () => {
    const imported = await entry('ES256');
    const held = { credentialId: toBase64url(imported.credentialId), rpId: imported.rpId, userHandle: toBase64url(imported.userHandle), userName: 'a', friendlyName: 'a', createdAt: 1, superseded: false };
    const plan = await planImport(await readBackupFile(JSON.stringify(exportCxf([imported], EXPORTER, Date.now()))), [held], Date.now());
    expect(plan.add).toEqual([]);
    expect(plan.skipped[0]!.reason).toBe('it is already in Latchkey');
  });
});
