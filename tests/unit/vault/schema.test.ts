import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/vault/row';
import { toBase64url } from '../../../src/protocol/base64url';
import { packPasskey, unpackPasskey } from '../../../src/protocol/packed-list';
import { Vault } from '../../../src/vault';
import { toRecord, toRow } from '../../../src/vault/records';
import { DB_VERSION, openVaultDb } from '../../../src/vault/schema';
import { wrapPrivateKey } from '../../../src/vault/wrap';
import { dumpDatabase, freshName, makeRecord, randomBytes, unlockedKeys } from './fixtures';

describe('vault schema', () => {
  it('creates version 3 with the credentials, meta and catalog stores and their indexes', async () => {
    const db = await openVaultDb(freshName());
    try {
      expect(DB_VERSION).toBe(3);
      expect(db.version).toBe(3);
      expect([...db.objectStoreNames].sort()).toEqual(['catalog', 'credentials', 'meta']);

      const tx = db.transaction(['credentials', 'meta', 'catalog']);
      const credentials = tx.objectStore('credentials');
      expect(credentials.keyPath).toBe('credentialId');
      expect([...credentials.indexNames].sort()).toEqual(['rpId', 'rpIdUserHandle', 'supersededBy']);
      expect(credentials.index('rpIdUserHandle').keyPath).toEqual(['rpId', 'userHandle']);
      expect(tx.objectStore('meta').keyPath).toBe('name');
      expect(tx.objectStore('catalog').keyPath).toBeNull();
      await tx.done;
    } finally {
      db.close();
    }
  });

  it('names the database latchkey by default', async () => {
    const db = await openVaultDb();
    try {
      expect(db.name).toBe('latchkey');
    } finally {
      db.close();
    }
  });

  it('migrates version 1 to 2 by building the catalog from every credential, changing nothing else', async () => {
    const name = freshName();
    const keys = unlockedKeys();
    const dek = await keys.vaultKey();
    const records = [
      makeRecord(),
      makeRecord({ rpId: 'other.example', rpName: 'Other', friendlyName: 'Phone', lastUsedAt: 1_700_000_100_000, backupState: true }),
    ];
    records.push(makeRecord({ supersededBy: records[0]!.credentialId }));
    // Version 1 exactly as migration 0 -> 1 made it, with rows and a meta row.
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        const credentials = db.createObjectStore('credentials', { keyPath: 'credentialId' });
        credentials.createIndex('rpId', 'rpId');
        credentials.createIndex('rpIdUserHandle', ['rpId', 'userHandle']);
        credentials.createIndex('supersededBy', 'supersededBy');
        db.createObjectStore('meta', { keyPath: 'name' });
      },
    });
    const rows = await Promise.all(records.map(async (r) => toRow(r, await wrapPrivateKey(dek, r.credentialId, r.rpId, randomBytes(32)))));
    for (const row of rows) await v1.put('credentials', row);
    await v1.put('meta', { name: 'pinFailures', count: 2, lastAt: 5 });
    v1.close();
    const before = await dumpDatabase(name);

    const vault = await Vault.open(keys, name);
    try {
      const { stamp, lines } = await vault.listCatalog();
      expect(stamp).not.toBe('');
      expect(lines.sort()).toEqual(rows.map((row) => packPasskey(summarize(toRecord(row), row.credentialId))).sort());
      expect(lines.some((line) => line.includes('Phone'))).toBe(true);
      expect(await vault.listAll()).toEqual(expect.arrayContaining(records));
      const after = await dumpDatabase(name);
      expect(after['credentials']).toEqual(before['credentials']);
      expect(after['meta']).toEqual(before['meta']);
      expect(await vault.withPrivateKey(records[1]!.credentialId, (key) => key.length)).toBe(32);
    } finally {
      vault.close();
    }
  });

  it('migrates version 2 to 3: a superseded passkey\'s line says superseded, not hidden, and the saved list goes stale', async () => {
    const name = freshName();
    const keys = unlockedKeys();
    const dek = await keys.vaultKey();
    const current = makeRecord({ createdAt: 2 });
    const earlier = makeRecord({ createdAt: 1, supersededBy: current.credentialId });
    const v2 = await openDB(name, 2, {
      upgrade(db) {
        const credentials = db.createObjectStore('credentials', { keyPath: 'credentialId' });
        credentials.createIndex('rpId', 'rpId');
        credentials.createIndex('rpIdUserHandle', ['rpId', 'userHandle']);
        credentials.createIndex('supersededBy', 'supersededBy');
        db.createObjectStore('meta', { keyPath: 'name' });
        db.createObjectStore('catalog');
      },
    });
    for (const r of [current, earlier]) {
      const row = toRow(r, await wrapPrivateKey(dek, r.credentialId, r.rpId, randomBytes(32)));
      await v2.put('credentials', row);
      // Version 2's line: flag 4 meant superseded.
      await v2.put('catalog', packPasskey({ ...summarize(r, toBase64url(r.credentialId)), hidden: r.supersededBy !== undefined, superseded: false }), row.credentialId);
    }
    await v2.put('catalog', 'old-stamp', 0);
    v2.close();

    const vault = await Vault.open(keys, name);
    try {
      const { stamp, lines } = await vault.listCatalog();
      expect(stamp).not.toBe('old-stamp');
      const earlierLine = lines.map(unpackPasskey).find((p) => p.credentialId === toBase64url(earlier.credentialId));
      expect(earlierLine).toMatchObject({ hidden: false, superseded: true });
    } finally {
      vault.close();
    }
  });
});
