import { describe, expect, it } from 'vitest';
import { decodeCoseKey } from '../../../src/authenticator/cose';
import { planImport, readBackupFile } from '../../../src/backup/import';
import { sign, verify } from '../../../src/crypto/signature';
import { toBase64url } from '../../../src/protocol/base64url';
import { bitwardenCredential, bitwardenFile, keepassxcFile, madeKey } from './formats';

const message = new TextEncoder().encode('challenge');

describe('Bitwarden JSON import', () => {
  it('reads login.fido2Credentials: the key signs for the public key the site holds, names, date and counter kept', async () => {
    const key = await madeKey();
    const read = await readBackupFile(bitwardenFile([bitwardenCredential(key, { counter: '7' })], 'Example login'));
    expect(read.source).toBe('bitwarden');
    const plan = await planImport(read, [], Date.now());
    const row = plan.add[0]!;
    expect(toBase64url(row.credentialId)).toBe(toBase64url(key.credentialId));
    expect(row).toMatchObject({ rpId: 'example.com', rpName: 'Example', userName: 'bob@example.com', userDisplayName: 'Bob', friendlyName: 'Example login', createdAt: Date.parse('2025-03-04T05:06:07.890Z'), signCount: 7 });
    expect(decodeCoseKey(row.publicKey)).toEqual(key.publicKey);
    expect(await verify(key.publicKey, message, await sign('ES256', row.privateKey, message))).toBe(true);
  });

  it('a counter of 0 keeps no counter; "b64." credential ids decode', async () => {
    const key = await madeKey();
    key.credentialId = crypto.getRandomValues(new Uint8Array(32));
    const plan = await planImport(await readBackupFile(bitwardenFile([bitwardenCredential(key, { credentialId: `b64.${toBase64url(key.credentialId)}` })])), [], Date.now());
    expect(toBase64url(plan.add[0]!.credentialId)).toBe(toBase64url(key.credentialId));
    expect(plan.add[0]!.signCount).toBeUndefined();
  });

  it('keys that are not P-256 are skipped and named; an encrypted Bitwarden export is refused with a sentence', async () => {
    const key = await madeKey();
    const plan = await planImport(await readBackupFile(bitwardenFile([bitwardenCredential(key, { keyCurve: 'P-384' })])), [], Date.now());
    expect(plan.add).toEqual([]);
    expect(plan.skipped[0]!.reason).toMatch(/ECDSA P-384/);
    await expect(readBackupFile(JSON.stringify({ encrypted: true, passwordProtected: true, data: 'x' }))).rejects.toThrow(/encrypted Bitwarden export/);
  });
});

describe('KeePassXC .passkey import', () => {
  it.each(['ES256', 'EdDSA', 'RS256'] as const)('%s: reads the PEM key, and it signs for the same public key', async (algorithm) => {
    const key = await madeKey(algorithm);
    const read = await readBackupFile(keepassxcFile(key));
    expect(read.source).toBe('keepassxc');
    const row = (await planImport(read, [], 1_765_000_000_000)).add[0]!;
    expect(row).toMatchObject({ rpId: 'example.com', userName: 'carol', friendlyName: 'carol on example.com', createdAt: 1_765_000_000_000 });
    expect(toBase64url(row.userHandle)).toBe(toBase64url(key.userHandle));
    expect(await verify(decodeCoseKey(row.publicKey), message, await sign(algorithm, row.privateKey, message))).toBe(true);
  });

  it('a private key that is not PEM is refused with the item and field named', async () => {
    await expect(readBackupFile(keepassxcFile(await madeKey(), { privateKey: 'hello' }))).rejects.toThrow('Item 1 (example.com): privateKey is not a PEM “PRIVATE KEY” block.');
  });
});
