// The one module of the vault that Latchkey's pages may import (the popup does, for its
// first rows while the service worker is asleep): a read-only look at the head of the list
// the worker last saved (catalog.ts), used only while its stamp is the catalog's, read in the
// same transaction. It holds no keys and reads no credential row.
//
// The read never creates or upgrades the database (an open that would is aborted), and closes
// its connection at once, so it never holds up the worker's own open or a schema upgrade.

import type { PackedPasskeys } from '../protocol/packed-list';
import { CATALOG_HEAD, CATALOG_STAMP, CATALOG_STORE, isCatalogSnapshot } from './catalog';
import { DB_NAME } from './db-name';

/**
 * The saved head when it is current; undefined when it is stale, missing or unreadable, or
 * `stop` was aborted before it was read (the worker answered first: the read's remaining work,
 * the head's deserialization among it, would only compete with the first rows' frame).
 */
export function readSavedHead(name: string = DB_NAME, stop?: AbortSignal): Promise<PackedPasskeys | undefined> {
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
      if (stop?.aborted) {
        done(undefined);
        return;
      }
      try {
        const tx = db.transaction(CATALOG_STORE);
        const stamp = tx.objectStore(CATALOG_STORE).get(CATALOG_STAMP);
        const head = tx.objectStore(CATALOG_STORE).get(CATALOG_HEAD);
        tx.oncomplete = () => done(stop?.aborted ? undefined : currentHead(head.result, stamp.result));
        tx.onabort = () => done(undefined);
        stop?.addEventListener('abort', () => {
          try {
            tx.abort();
          } catch {
            // Finished already.
          }
        }, { once: true });
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
