import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DB_VERSION, openVaultDb } from '../../../src/vault/schema';
import { freshName } from './fixtures';

describe('vault schema', () => {
  it('creates version 1 with the credentials and meta stores and their indexes', async () => {
    const db = await openVaultDb(freshName());
    try {
      expect(DB_VERSION).toBe(1);
      expect(db.version).toBe(1);
      expect([...db.objectStoreNames].sort()).toEqual(['credentials', 'meta']);

      const tx = db.transaction(['credentials', 'meta']);
      const credentials = tx.objectStore('credentials');
      expect(credentials.keyPath).toBe('credentialId');
      expect([...credentials.indexNames].sort()).toEqual(['rpId', 'rpIdUserHandle', 'supersededBy']);
      expect(credentials.index('rpIdUserHandle').keyPath).toEqual(['rpId', 'userHandle']);
      expect(tx.objectStore('meta').keyPath).toBe('name');
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
});
