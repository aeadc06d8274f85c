// @ts-check
// Faults: the service worker stopped at each stage of a ceremony, the browser killed during a
// save, and a save IndexedDB refuses. The stage is reached from outside the product: the test holds the worker at a
// call it makes at that stage (crypto.subtle, windows.create, the reply on the relay's port,
// an IndexedDB write), then stops the worker or kills the browser while it waits there.

import assert from 'node:assert/strict';
import { launchWithExtension, stopServiceWorker } from '../../scripts/chromium.mjs';
import {
  approvePrompt,
  expectRejection,
  expectVerified,
  passVaultGate,
  registerViaPrompt,
  sel,
  signInViaPrompt,
  sleep,
  startRegister,
  startSignIn,
  waitForNoPromptWindow,
  waitForPrompt,
  withTimeout,
} from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */

/**
 * Where a trap holds the worker. Each one records the stage in `globalThis.faultStage` and
 * never lets the call finish (a reply is swallowed instead: the worker dies before sending it).
 * - `windows`: a request arrived, and the prompt window is being opened.
 * - `encrypt`: a create was approved and its key made; the vault write has not begun.
 * - `decrypt`: a get was approved; the private key is being unwrapped to sign.
 * - `reply`: the work is done (the passkey stored, the assertion signed); the answer is not sent.
 * - `row`: inside the vault's write transaction, the credential's row written, its catalog
 *   line and the catalog's stamp not yet.
 * - `commit`: inside the vault's write transaction, every row written, the commit pending.
 * - `refuse`: the vault's write of a credential's row is refused, as a full disk or quota does.
 * @typedef {'windows' | 'encrypt' | 'decrypt' | 'reply' | 'row' | 'commit' | 'refuse'} Trap
 */

/** The extension's running service workers, as the browser lists them (puppeteer's list can keep a stopped one). @param {Ctx} ctx */
async function runningWorkerIds(ctx) {
  const root = await ctx.browser.target().createCDPSession();
  try {
    const { targetInfos } = await root.send('Target.getTargets');
    const prefix = `chrome-extension://${ctx.extensionId}/`;
    return targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith(prefix)).map((t) => t.targetId);
  } finally {
    await root.detach().catch(() => {});
  }
}

/**
 * The running worker, woken by an extension page if none runs.
 * @param {Ctx} ctx @returns {Promise<import('puppeteer-core').WebWorker>}
 */
async function liveWorker(ctx) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ids = await runningWorkerIds(ctx);
    const target = ctx.browser.targets().find((t) => t.type() === 'service_worker' && ids.includes(/** @type {any} */ (t)._targetId));
    const worker = await target?.worker();
    if (worker) return worker;
    if (Date.now() > deadline) throw new Error('no running service worker');
    if (!ids.length) await wake(ctx);
    await sleep(50);
  }
}

/** Wakes the worker with a message from an extension page. @param {Ctx} ctx */
async function wake(ctx) {
  const page = await vaultPage(ctx);
  await page.evaluate(() => chrome.runtime.sendMessage({ type: 'fault-test:wake' }).catch(() => undefined));
}

/** @type {WeakMap<import('puppeteer-core').Browser, import('puppeteer-core').Page>} */
const vaultPages = new WeakMap();

/** An extension page (the manifest, as a tab: no script of Latchkey's) from which the test reads IndexedDB. @param {Ctx} ctx */
async function vaultPage(ctx) {
  const open = vaultPages.get(ctx.browser);
  if (open && !open.isClosed()) return open;
  const page = await ctx.browser.newPage();
  await page.goto(`chrome-extension://${ctx.extensionId}/manifest.json`, { waitUntil: 'load' });
  vaultPages.set(ctx.browser, page);
  await ctx.page.bringToFront();
  return page;
}

/**
 * What the vault holds, read straight from IndexedDB: each credential with whether its private
 * key is wrapped in its row, and whether the catalog has its line.
 * @param {Ctx} ctx
 * @returns {Promise<{ credentials: { id: string, userName: string, userHandle: string, publicKey: string, wrapped: boolean, line: boolean }[], orphanLines: string[] }>}
 */
async function readVault(ctx) {
  const page = await vaultPage(ctx);
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open('latchkey');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = /** @type {IDBDatabase} */ (db).transaction(['credentials', 'catalog']);
    const all = (/** @type {IDBRequest} */ r) => new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const rows = /** @type {any[]} */ (await all(tx.objectStore('credentials').getAll()));
    const lineKeys = /** @type {IDBValidKey[]} */ (await all(tx.objectStore('catalog').getAllKeys())).filter((k) => typeof k === 'string');
    /** @type {IDBDatabase} */ (db).close();
    const ids = new Set(rows.map((r) => r.credentialId));
    const b64url = (/** @type {Uint8Array} */ b) => btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    return {
      credentials: rows.map((r) => ({
        id: r.credentialId,
        userName: r.userName,
        userHandle: r.userHandle,
        publicKey: b64url(new Uint8Array(r.publicKey)),
        wrapped: r.wrappedKey?.iv?.byteLength === 12 && r.wrappedKey?.ciphertext?.byteLength > 16,
        line: lineKeys.includes(r.credentialId),
      })),
      orphanLines: /** @type {string[]} */ (lineKeys.filter((k) => !ids.has(k))),
    };
  });
}

/**
 * The vault is whole: every credential has its wrapped key and its catalog line, and no line
 * is without its credential. Returns the user names it holds.
 * @param {Ctx} ctx @param {string} when
 */
async function expectWholeVault(ctx, when) {
  const vault = await readVault(ctx);
  for (const c of vault.credentials) {
    assert.ok(c.wrapped, `${when}: credential ${c.id} has no wrapped private key`);
    assert.ok(c.line, `${when}: credential ${c.id} has no catalog line`);
  }
  assert.deepEqual(vault.orphanLines, [], `${when}: catalog lines without a credential`);
  return vault.credentials.map((c) => c.userName).sort();
}

/**
 * Sets `trap` in the running worker.
 * @param {import('puppeteer-core').WebWorker} worker @param {Trap} trap
 */
async function setTrap(worker, trap) {
  await worker.evaluate((trap) => {
    const g = /** @type {any} */ (globalThis);
    g.faultStage = undefined;
    // A crypto trap set before holds the calls it took, and no others.
    delete (/** @type {any} */ (crypto.subtle)).encrypt;
    delete (/** @type {any} */ (crypto.subtle)).decrypt;
    const hold = (/** @type {string} */ stage) => {
      g.faultStage = stage;
      return new Promise(() => {});
    };
    /**
     * Once `request` succeeds, marks the stage and keeps its transaction from committing:
     * reads of `store` that never stop.
     * @param {IDBRequest} request @param {IDBObjectStore} store
     */
    const holdOpenAfter = (request, store) => {
      const spin = () => {
        store.get(-1).onsuccess = spin;
      };
      request.addEventListener('success', () => {
        g.faultStage = trap;
        spin();
      });
    };
    if (trap === 'encrypt' || trap === 'decrypt') {
      /** @type {any} */ (crypto.subtle)[trap] = () => hold(trap);
    } else if (trap === 'windows') {
      const api = g.browser?.windows ?? chrome.windows;
      api.create = () => hold(trap);
    } else if (trap === 'reply') {
      // The same port object reaches every onConnect listener: this one runs after Latchkey's.
      chrome.runtime.onConnect.addListener((port) => {
        if (port.name !== 'latchkey-ceremony') return;
        const post = port.postMessage.bind(port);
        port.postMessage = (/** @type {any} */ message) => {
          if (message?.type === 'created' || message?.type === 'asserted') g.faultStage = trap;
          else post(message);
        };
      });
    } else if (trap === 'row') {
      // After the row is added, reads keep the transaction open, and the save waits on a
      // request of another connection's transaction, which this one blocks.
      const add = IDBObjectStore.prototype.add;
      const other = indexedDB.open('latchkey');
      IDBObjectStore.prototype.add = function (/** @type {any} */ value, /** @type {any} */ key) {
        const request = add.call(this, value, key);
        if (this.name !== 'credentials') return request;
        holdOpenAfter(request, this);
        return other.result.transaction('credentials', 'readwrite').objectStore('credentials').get(-1);
      };
    } else if (trap === 'refuse') {
      const add = IDBObjectStore.prototype.add;
      IDBObjectStore.prototype.add = function (/** @type {any} */ value, /** @type {any} */ key) {
        if (this.name !== 'credentials') return add.call(this, value, key);
        g.faultStage = trap;
        IDBObjectStore.prototype.add = add;
        throw new DOMException('The write does not fit in the quota.', 'QuotaExceededError');
      };
    } else if (trap === 'commit') {
      // Every row of the save is written in its transaction; the last write (the catalog's
      // stamp, key 0) is followed by reads that keep the transaction from committing.
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (/** @type {any} */ value, /** @type {any} */ key) {
        const request = put.call(this, value, key);
        if (this.name === 'catalog' && key === 0) holdOpenAfter(request, this);
        return request;
      };
    }
  }, trap);
}

/** Waits until the worker is held at its trap. @param {import('puppeteer-core').WebWorker} worker @param {Trap} trap */
async function reached(worker, trap) {
  const held = worker.evaluate(
    (t) => new Promise((resolve) => {
      const check = () => (/** @type {any} */ (globalThis).faultStage === t ? resolve(undefined) : setTimeout(check, 10));
      check();
    }),
    trap,
  );
  await withTimeout(held, 15_000, `the worker reaching its ${trap} trap`);
}

/** Starts a ceremony and waits for its prompt past the vault gate. @param {Ctx} ctx @param {'create' | 'get'} kind @param {string} user */
async function openCeremony(ctx, kind, user) {
  const pending = kind === 'create' ? startRegister(ctx.page, user) : startSignIn(ctx.page, user);
  const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
  await passVaultGate(prompt, { pin: ctx.pin });
  return { pending, prompt };
}

/**
 * Kills Chromium (SIGKILL: no shutdown, no flush) and starts it again on the same profile, on
 * the demo page; updates ctx as ctx.relaunch does.
 * @param {Ctx} ctx
 */
async function killAndRestart(ctx) {
  const proc = ctx.browser.process();
  assert.ok(proc, 'the browser process');
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
  const again = await launchWithExtension({ extensionDir: ctx.extensionDir, userDataDir: ctx.userDataDir, headless: process.env.HEADLESS !== '0' });
  const page = (await again.browser.pages())[0] ?? (await again.browser.newPage());
  await page.goto(ctx.rp.url, { waitUntil: 'load' });
  await page.bringToFront();
  Object.assign(ctx, {
    browser: again.browser,
    extensionId: again.extensionId,
    serviceWorkerTarget: again.serviceWorkerTarget,
    swTarget: again.serviceWorkerTarget,
    page,
  });
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: 'the worker stopped at each stage of create and get (before the prompt, prompt open, approved, work done before the reply): the page gets NotAllowedError, the vault holds whole passkeys only, and the next ceremony works; a save IndexedDB refuses: UnknownError, the prompt says nothing was stored, and nothing is',
    timeout: 120_000,
    async fn(ctx) {
      // A passkey to sign in with, and the vault set up and unlocked.
      expectVerified((await registerViaPrompt(ctx, 'alice')).result, 'the first create');
      let users = ['alice'];

      /**
       * One fault: `kind` stopped at `stage`; then what the vault holds, and a whole ceremony.
       * @param {'create' | 'get'} kind @param {'before the prompt' | 'prompt open' | 'approved' | 'before the reply'} stage
       */
      const fault = async (kind, stage) => {
        const what = `${kind} stopped ${stage}`;
        const user = kind === 'create' ? `new-${users.length}` : 'alice';
        const worker = await liveWorker(ctx);
        /** @type {Promise<unknown>} */
        let pending;
        if (stage === 'before the prompt') {
          await setTrap(worker, 'windows');
          pending = kind === 'create' ? startRegister(ctx.page, user) : startSignIn(ctx.page, user);
          await reached(worker, 'windows');
        } else {
          /** @type {Trap | undefined} */
          const trap = stage === 'approved' ? (kind === 'create' ? 'encrypt' : 'decrypt') : stage === 'before the reply' ? 'reply' : undefined;
          // The reply trap takes the ceremony's port as it connects: set it before the call.
          if (trap === 'reply') await setTrap(worker, trap);
          const opened = await openCeremony(ctx, kind, user);
          pending = opened.pending;
          if (trap) {
            if (trap !== 'reply') await setTrap(worker, trap);
            await approvePrompt(opened.prompt, { pin: ctx.pin }).catch(() => {});
            await reached(worker, trap);
          }
        }
        await stopServiceWorker(ctx.browser, ctx.extensionId);
        await expectRejection(withTimeout(pending, 15_000, `${what}: the page's promise`), 'NotAllowedError');
        await waitForNoPromptWindow(ctx.browser, ctx.extensionId);
        // Whole passkeys only; a create stopped after its write keeps its passkey (the site
        // never learnt it), any other keeps none.
        if (kind === 'create' && stage === 'before the reply') users = [...users, user].sort();
        assert.deepEqual(await expectWholeVault(ctx, what), users, `${what}: the passkeys in the vault`);
        // The next ceremony of the same kind works, on a new worker.
        if (kind === 'create') {
          const again = `again-${users.length}`;
          expectVerified((await registerViaPrompt(ctx, again)).result, `a create after the ${what}`);
          users = [...users, again].sort();
        } else {
          expectVerified((await signInViaPrompt(ctx, 'alice')).result, `a get after the ${what}`);
        }
        ctx.log(`${what}: NotAllowedError, vault whole (${users.length} passkeys), next ${kind} verified`);
      };

      for (const stage of /** @type {const} */ (['before the prompt', 'prompt open', 'approved', 'before the reply'])) {
        await fault('create', stage);
        await fault('get', stage);
      }
      assert.deepEqual(await expectWholeVault(ctx, 'after the stops'), users);

      // A save IndexedDB refuses (a full disk, the quota), in the same browser.
      const worker = await liveWorker(ctx);
      const { pending, prompt } = await openCeremony(ctx, 'create', 'refused');
      await setTrap(worker, 'refuse');
      await approvePrompt(prompt, { pin: ctx.pin });
      await expectRejection(withTimeout(pending, 20_000, 'the create whose save was refused'), 'UnknownError');
      await reached(worker, 'refuse');
      const said = await prompt.waitForSelector(sel('prompt-error'), { visible: true, timeout: 10_000 });
      assert.match(String(await said?.evaluate((e) => e.textContent)), /could not save this passkey, and nothing was stored/);
      assert.deepEqual(await expectWholeVault(ctx, 'after the refused save'), users, 'nothing stored');
      await prompt.close();
      expectVerified((await registerViaPrompt(ctx, 'refused')).result, 'the create after the refused save');
      assert.deepEqual(await expectWholeVault(ctx, 'at the end'), [...users, 'refused'].sort());
      ctx.log('a refused save: UnknownError, the prompt says nothing was stored, vault unchanged, next create verified');
    },
  },
  {
    name: 'the browser killed during saves (approved before the write, row written, commit pending, committed before the reply): after a restart the vault holds each whole passkey or none of it, and signs in',
    timeout: 120_000,
    async fn(ctx) {
      expectVerified((await registerViaPrompt(ctx, 'alice')).result, 'the first create');
      let users = ['alice'];
      // Saves held at several points at once, each in its own tab, die with one kill. A save
      // held inside its transaction blocks every later read of the vault (IndexedDB runs
      // them in order), so it comes last, and `commit` gets a kill of its own.
      for (const traps of /** @type {const} */ ([['reply', 'encrypt', 'row'], ['commit']])) {
        const what = `the browser killed with saves held at ${traps.join(', ')}`;
        for (const trap of traps) {
          const worker = await liveWorker(ctx);
          // The reply trap takes the ceremony's port as it connects: set it before the call.
          if (trap === 'reply') await setTrap(worker, trap);
          const tab = await ctx.newPage(ctx.rp.url);
          const { prompt } = await openCeremony({ ...ctx, page: tab }, 'create', `killed-${trap}`);
          if (trap !== 'reply') await setTrap(worker, trap);
          await approvePrompt(prompt, { pin: ctx.pin }).catch(() => {});
          await reached(worker, trap);
        }
        await killAndRestart(ctx);

        // Only a save killed after its commit keeps its passkey; the vault is whole either way.
        if (traps.includes('reply')) users = [...users, 'killed-reply'].sort();
        assert.deepEqual(await expectWholeVault(ctx, what), users, `${what}: the passkeys in the vault after the restart`);
        // The vault unlocks and signs in after the restart.
        expectVerified((await signInViaPrompt(ctx, 'alice')).result, `a sign-in after ${what}`);
        ctx.log(`${what}: after the restart, ${traps.map((t) => `${t}: ${users.includes(`killed-${t}`) ? 'the whole passkey' : 'none of it'}`).join(', ')}; alice signs in`);
      }

      // The kept passkey unwraps and signs: the site, told of it now, verifies a sign-in.
      const kept = (await readVault(ctx)).credentials.find((c) => c.userName === 'killed-reply');
      assert.ok(kept);
      const told = await fetch(new URL('register/key', ctx.rp.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'killed-reply', userID: kept.userHandle, credentialID: kept.id, publicKey: kept.publicKey }),
      });
      assert.equal(told.status, 200, await told.text());
      const { result } = await signInViaPrompt(ctx, 'killed-reply');
      expectVerified(result, 'a sign-in with the passkey kept after the kill');
      assert.equal(/** @type {any} */ (result).credentialID, kept.id);
      // A save for an account whose save was killed works.
      expectVerified((await registerViaPrompt(ctx, 'killed-row')).result, 'a create after the kills');
      assert.deepEqual(await expectWholeVault(ctx, 'at the end'), [...users, 'killed-row'].sort());
    },
  },
];
