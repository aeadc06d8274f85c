import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Vault, VaultError } from '../../../src/vault';
import { freshName, makeRecord, randomBytes, unlockedKeys } from '../vault/fixtures';

const opened: Vault[] = [];
afterEach(() => {
  for (const vault of opened.splice(0)) vault.close();
});

describe('Vault.restore', () => {
  it('shows a passkey the site hid again; with a newer one shown, it comes back as the earlier one', async () => {
    const vault = await Vault.open(unlockedKeys(), freshName());
    opened.push(vault);
    const earlier = makeRecord();
    const later = makeRecord({ createdAt: earlier.createdAt + 1 });
    await vault.create(earlier, randomBytes(32), []);
    await vault.create(later, randomBytes(32), [earlier.credentialId]);
    expect((await vault.get(earlier.credentialId))?.supersededBy).toEqual(later.credentialId);

    await vault.hideUnknown('example.com', later.credentialId);
    expect(await vault.get(earlier.credentialId)).toEqual(earlier);
    await vault.restore(later.credentialId);
    expect(await vault.get(later.credentialId)).toEqual(later);
    expect((await vault.get(earlier.credentialId))?.supersededBy).toEqual(later.credentialId);

    await vault.recordSignIn(later.credentialId, 1_800_000_000_000);
    expect((await vault.get(earlier.credentialId))?.supersededBy).toEqual(later.credentialId);
  });

  it('rejects an unknown credential with not-found', async () => {
    const vault = await Vault.open(unlockedKeys(), freshName());
    opened.push(vault);
    await expect(vault.restore(randomBytes(16))).rejects.toBeInstanceOf(VaultError);
    await expect(vault.restore(randomBytes(16))).rejects.toMatchObject({ code: 'not-found' });
  });
});
