// A vault exactly as the core issue's code wrote it, before the PIN existed: the meta row
// { name: 'vaultKey', kind: 'device', deviceKey, wrappedDek } with a non-extractable device
// key, and credential rows whose private keys are wrapped under that DEK. It is built with
// the core's own primitives (generateDeviceKey, generateWrappedVaultKey, unwrapVaultKey,
// wrapPrivateKey, toRow), the same calls its loadVaultKey and Vault.create made.

import type { CredentialRecord } from '../../../src/authenticator/ports';
import { toRow } from '../../../src/vault/records';
import { openVaultDb, VAULT_KEY, type DeviceVaultKeyRow } from '../../../src/vault/schema';
import { generateDeviceKey, generateWrappedVaultKey, unwrapVaultKey, unwrapVaultKeyBytes, wrapPrivateKey } from '../../../src/vault/wrap';
import { makeRecord, randomBytes } from './fixtures';

export interface CoreFormatVault {
  credentials: { record: CredentialRecord; privateKey: Uint8Array }[];
  /** The DEK's raw bytes, read back with the device key, to check nothing leaks after migration. */
  rawDek: Uint8Array;
}

export async function coreFormatVault(name: string, count: number): Promise<CoreFormatVault> {
  const db = await openVaultDb(name);
  try {
    // The core's loadVaultKey on first use (createVaultKeyRow).
    const deviceKey = await generateDeviceKey();
    const row: DeviceVaultKeyRow = {
      name: VAULT_KEY,
      kind: 'device',
      deviceKey,
      wrappedDek: await generateWrappedVaultKey(deviceKey),
      createdAt: 1_690_000_000_000,
    };
    await db.add('meta', row);
    const dek = await unwrapVaultKey(deviceKey, row.wrappedDek);

    // The core's Vault.create, one credential at a time.
    const credentials: CoreFormatVault['credentials'] = [];
    for (let i = 0; i < count; i++) {
      const record = makeRecord({ rpId: `site${i}.example`, userName: `user${i}@example.com` });
      const privateKey = randomBytes(32);
      await db.add('credentials', toRow(record, await wrapPrivateKey(dek, record.credentialId, record.rpId, privateKey)));
      credentials.push({ record, privateKey });
    }
    return { credentials, rawDek: await unwrapVaultKeyBytes(deviceKey, row.wrappedDek) };
  } finally {
    db.close();
  }
}
