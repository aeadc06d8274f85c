// Loading the vault key (DEK) from the meta store, and making it on first use.

import type { IDBPDatabase } from 'idb';
import { VAULT_KEY, type LatchkeyDB, type MetaRow } from './schema';
import { generateDeviceKey, generateWrappedVaultKey, unwrapVaultKey } from './wrap';

/**
 * Returns the DEK as a non-extractable CryptoKey, making it (and the device key that wraps
 * it) if this database has none. Safe against concurrent first opens, from this context or
 * another: the candidate is made before the transaction (WebCrypto's promises would let an
 * IndexedDB transaction commit under us), and the readwrite transaction that stores it
 * stores it only if no other one got there first. Readwrite transactions over `meta` run one
 * at a time, so every opener ends up with the same single DEK.
 */
export async function loadVaultKey(db: IDBPDatabase<LatchkeyDB>): Promise<CryptoKey> {
  const row = (await db.get('meta', VAULT_KEY)) ?? (await createVaultKeyRow(db));
  switch (row.kind) {
    case 'device':
      return unwrapVaultKey(row.deviceKey, row.wrappedDek);
  }
}

async function createVaultKeyRow(db: IDBPDatabase<LatchkeyDB>): Promise<MetaRow> {
  const deviceKey = await generateDeviceKey();
  const candidate: MetaRow = {
    name: VAULT_KEY,
    kind: 'device',
    deviceKey,
    wrappedDek: await generateWrappedVaultKey(deviceKey),
    createdAt: Date.now(),
  };
  const tx = db.transaction('meta', 'readwrite');
  const existing = await tx.store.get(VAULT_KEY);
  if (!existing) await tx.store.add(candidate);
  await tx.done;
  return existing ?? candidate;
}
