// The popup's own read of the head of the ordered list the service worker last saved
// (src/vault/catalog.ts: its first lines and the whole list's counts, a few kilobytes), used
// only while it is current: its stamp is the catalog's, read in the same transaction. The
// service worker stops about 30 s after its last event, so a popup opened later would wait
// for it to start before its first rows; the head is in the extension's own IndexedDB.
//
// The read never creates or upgrades the database (an open that would is aborted), and closes
// its connection at once, so it never holds up the worker's own open or a schema upgrade.
import type { PackedPasskeys } from '../../src/protocol/packed-list';
import { CATALOG_HEAD, CATALOG_STAMP, isCatalogSnapshot } from '../../src/vault/catalog';
import { DB_NAME } from '../../src/vault/db-name';

/** The saved head when it is current; undefined when it is stale, missing or unreadable. */
export function readSavedHead(name: string = DB_NAME): Promise<PackedPasskeys | undefined> {
  return new Promise((resolve) => {
    let open: IDBOpenDBRequest;
    try {
      open = indexedDB.open(name);
    } catch {
      resolve(undefined);
      return;
    }
    // No vault yet: this open would create an empty database; abort it instead.
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = () => resolve(undefined);
    open.onblocked = () => resolve(undefined);
    open.onsuccess = () => {
      const db = open.result;
      const done = (list: PackedPasskeys | undefined) => {
        db.close();
        resolve(list);
      };
      try {
        const tx = db.transaction('catalog');
        const stamp = tx.objectStore('catalog').get(CATALOG_STAMP);
        const head = tx.objectStore('catalog').get(CATALOG_HEAD);
        tx.oncomplete = () => done(currentHead(head.result, stamp.result));
        tx.onabort = () => done(undefined);
      } catch {
        // A vault from before the catalog (no such store).
        done(undefined);
      }
    };
  });
}

function currentHead(saved: unknown, stamp: unknown): PackedPasskeys | undefined {
  return isCatalogSnapshot(saved) && saved.stamp === stamp ? saved.packed : undefined;
}
