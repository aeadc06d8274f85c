// @ts-check
// Seeds fake passkeys straight into the vault's IndexedDB, through the extension's service
// worker target, for benchmarks and popup tests at scale. Not part of the extension: it runs
// only when a script drives Chromium over CDP.
//
//   import { seedPasskeys } from '../tests/e2e/seed.mjs';
//   await seedPasskeys(ctx.serviceWorkerTarget, 10_000);   // → { added: 10000, total: ... }
//
// Fake passkeys are metadata plus random bytes where the wrapped key would be: the popup
// lists, searches, renames and deletes them like any other, but they can never sign in (their
// keys do not unwrap). Their sites are under `.example` (RFC 2606), so they never collide with
// a real site. The vault's database must exist already: open popup.html once (and set the
// vault up, when the lock asks) before seeding.

/**
 * @param {import('puppeteer-core').Target} serviceWorkerTarget
 * @param {number} count
 * @param {{ sites?: number, now?: number }} [opts]  sites: how many distinct rpIds (default count/4, at most 2000)
 * @returns {Promise<{ added: number, total: number }>}
 */
export async function seedPasskeys(serviceWorkerTarget, count, { sites, now = Date.now() } = {}) {
  const worker = await serviceWorkerTarget.worker();
  if (!worker) throw new Error('seedPasskeys needs the service worker target');
  const siteCount = Math.max(1, Math.min(sites ?? Math.ceil(count / 4), 2000));
  return worker.evaluate(seedInWorker, count, siteCount, now);
}

/**
 * Runs inside the service worker: self-contained, no imports.
 * The row shape is src/vault/schema.ts's CredentialRow.
 * @param {number} count @param {number} siteCount @param {number} now
 */
async function seedInWorker(count, siteCount, now) {
  const words = ['acme', 'north', 'blue', 'river', 'pixel', 'harbor', 'cedar', 'lumen', 'orbit', 'maple', 'quartz', 'delta', 'ember', 'falcon', 'garnet', 'summit'];
  const kinds = ['bank', 'mail', 'shop', 'cloud', 'news', 'games', 'travel', 'health', 'books', 'music'];
  const first = ['ada', 'grace', 'alan', 'linus', 'margaret', 'ken', 'barbara', 'dennis', 'radia', 'edsger', 'frances', 'john'];
  const devices = ['Work laptop', 'Home desktop', 'Personal', 'Travel', 'Main account', 'Backup'];
  const b64url = (/** @type {Uint8Array} */ bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const random = (/** @type {number} */ n) => crypto.getRandomValues(new Uint8Array(n));
  const pick = (/** @type {string[]} */ list, /** @type {number} */ i) => list[i % list.length];

  /** @type {IDBDatabase} */
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('latchkey');
    open.onupgradeneeded = () => {
      open.transaction?.abort();
      reject(new Error("Latchkey's vault does not exist yet: open popup.html once before seeding."));
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
  });
  try {
    const year = 365 * 24 * 3600 * 1000;
    // The vault's catalog (src/vault/catalog.ts, schema version 2) gets each row's summary line
    // (src/protocol/packed-list.ts packPasskey) and a new stamp, in the same transaction.
    const hasCatalog = db.objectStoreNames.contains('catalog');
    const tx = db.transaction(hasCatalog ? ['credentials', 'catalog'] : ['credentials'], 'readwrite');
    const store = tx.objectStore('credentials');
    const catalog = hasCatalog ? tx.objectStore('catalog') : undefined;
    const clean = (/** @type {string} */ text) => text.replace(/[\u001e\u001f]/g, '\ufffd');
    for (let i = 0; i < count; i++) {
      const s = i % siteCount;
      const rpId = `${pick(words, s)}-${pick(kinds, Math.floor(s / words.length))}${s >= words.length * kinds.length ? `-${s}` : ''}.example`;
      const user = `${pick(first, i)}.${i}`;
      const createdAt = now - Math.floor(Math.random() * 2 * year);
      const row = {
        credentialId: b64url(random(16)),
        rpId,
        rpName: rpId.replace(/\.example$/, '').replace(/-/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
        userHandle: b64url(random(16)),
        userName: `${user}@${rpId}`,
        userDisplayName: `${user.replace(/\..*/, '').replace(/^\w/, (c) => c.toUpperCase())} #${i}`,
        friendlyName: `${pick(devices, i)} ${i}`,
        alg: -7,
        publicKey: random(77),
        discoverable: true,
        backupState: false,
        createdAt,
        lastUsedAt: Math.random() < 0.7 ? createdAt + Math.floor(Math.random() * (now - createdAt)) : null,
        wrappedKey: { iv: random(12), ciphertext: random(48) },
      };
      store.put(row);
      const line = [row.credentialId, clean(row.rpId), clean(row.rpName), clean(row.userName), clean(row.userDisplayName), clean(row.friendlyName),
        row.alg, 1, row.createdAt, row.lastUsedAt ?? ''].join('\u001f');
      catalog?.put(line, row.credentialId);
    }
    catalog?.put(crypto.randomUUID(), 0);
    const total = await new Promise((resolve, reject) => {
      /** @type {number} */
      let n = 0;
      const counted = store.count();
      counted.onsuccess = () => (n = counted.result);
      tx.oncomplete = () => resolve(n);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('seeding aborted'));
    });
    return { added: count, total: /** @type {number} */ (total) };
  } finally {
    db.close();
  }
}
