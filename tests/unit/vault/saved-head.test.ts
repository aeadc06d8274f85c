import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { readSavedHead } from '../../../src/vault/saved-head';
import { FIRST_LINES, firstLines } from '../../../components/popup/usePasskeys';
import { firstPasskeyLines, orderPasskeyLines, packPasskeys } from '../../../src/protocol/packed-list';
import { Vault } from '../../../src/vault';
import { CATALOG_HEAD, CATALOG_HEAD_LINES, CATALOG_STORE } from '../../../src/vault/catalog';
import { freshName, makeRecord, randomBytes, unlockedKeys } from './fixtures';
import { passkey } from '../popup/fixtures';

/** A new vault holding one passkey, its catalog as read, for `use`; closed afterwards. */
async function withOnePasskey(use: (vault: Vault, name: string, catalog: { stamp: string; lines: string[] }) => Promise<void>): Promise<void> {
  const name = freshName();
  const vault = await Vault.open(unlockedKeys(), name);
  try {
    await vault.create(makeRecord(), randomBytes(32), []);
    await use(vault, name, await vault.listCatalog());
  } finally {
    vault.close();
  }
}

describe('readSavedHead: the popup reads the head of the list the worker saved, only while it is current', () => {
  it('gives the saved head at the stamp it was saved at, and nothing once a write changed the stamp', async () => {
    const name = freshName();
    const vault = await Vault.open(unlockedKeys(), name);
    try {
      for (let i = 0; i < CATALOG_HEAD_LINES + 20; i++) await vault.create(makeRecord({ rpId: `site${i % 4}.example` }), randomBytes(32), []);
      expect(await readSavedHead(name), 'nothing saved yet').toBeUndefined();
      const { stamp, lines } = await vault.listCatalog();
      const packed = orderPasskeyLines(lines);
      expect(await vault.saveCatalogSnapshot({ stamp, packed })).toBe(true);
      const head = await readSavedHead(name);
      expect(head).toEqual(firstPasskeyLines(packed, CATALOG_HEAD_LINES));
      expect(head).toMatchObject({ count: CATALOG_HEAD_LINES + 20, sites: 4 });
      await vault.create(makeRecord(), randomBytes(32), []);
      expect(await readSavedHead(name), 'stale after a write').toBeUndefined();
      // Its connection is closed at once: nothing but the vault's own blocks a delete.
      vault.close();
      await new Promise<void>((resolve, reject) => {
        const deleting = indexedDB.deleteDatabase(name);
        deleting.onsuccess = () => resolve();
        deleting.onerror = () => reject(deleting.error);
        deleting.onblocked = () => reject(new Error('blocked by an open connection'));
      });
    } finally {
      vault.close();
    }
  });

  it('ignores a head saved in an older shape (packed.lines), so the popup waits for the worker', () =>
    withOnePasskey(async (_vault, name, { stamp, lines }) => {
      const { text, ...counts } = orderPasskeyLines(lines);
      const older = { stamp, packed: { ...counts, lines: text } };
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => {
          const tx = open.result.transaction(CATALOG_STORE, 'readwrite');
          tx.objectStore(CATALOG_STORE).put(older, CATALOG_HEAD);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      });
      expect(await readSavedHead(name)).toBeUndefined();
    }));

  it('gives nothing and reads no further once stopped (the worker answered first)', () =>
    withOnePasskey(async (vault, name, { stamp, lines }) => {
      expect(await vault.saveCatalogSnapshot({ stamp, packed: orderPasskeyLines(lines) })).toBe(true);
      expect(await readSavedHead(name), 'current').toBeDefined();
      const before = new AbortController();
      before.abort();
      expect(await readSavedHead(name, before.signal), 'stopped before it began').toBeUndefined();
      const during = new AbortController();
      const reading = readSavedHead(name, during.signal);
      during.abort();
      expect(await reading, 'stopped while the database opened').toBeUndefined();
    }));

  it('never creates the database when there is no vault yet', async () => {
    const name = freshName();
    expect(await readSavedHead(name)).toBeUndefined();
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(name);
    const vault = await Vault.open(unlockedKeys(), name);
    await vault.create(makeRecord(), randomBytes(32), []);
    expect((await vault.listCatalog()).lines).toHaveLength(1);
    vault.close();
  });
});

describe('firstLines: the list starts from whichever answers first, the worker or the saved head', () => {
  const whole = packPasskeys(Array.from({ length: 150 }, (_, i) => passkey({ createdAt: i })));
  const head = firstPasskeyLines(whole, CATALOG_HEAD_LINES);
  const never = new Promise<never>(() => undefined);

  it('takes the saved head when it is current and comes first', async () => {
    expect(await firstLines(never, Promise.resolve(head))).toEqual(firstPasskeyLines(whole, FIRST_LINES));
  });

  it("takes the worker's answer when it comes first, or when nothing current is saved", async () => {
    const first = firstPasskeyLines(whole, FIRST_LINES);
    expect(await firstLines(Promise.resolve(first), never)).toBe(first);
    expect(await firstLines(new Promise((resolve) => setTimeout(() => resolve(first), 10)), Promise.resolve(undefined))).toBe(first);
  });

  it("fails with the worker's error only when nothing current is saved either", async () => {
    await expect(firstLines(Promise.reject(new Error('Latchkey is locked.')), Promise.resolve(undefined))).rejects.toThrow('Latchkey is locked.');
    await expect(firstLines(Promise.reject(new Error('x')), Promise.resolve(head))).resolves.toEqual(firstPasskeyLines(whole, FIRST_LINES));
  });
});
