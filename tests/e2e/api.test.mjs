// @ts-check
// The page-facing API: Latchkey's credentials must look and fail like native ones. Every
// in-page check here also passes against Chromium's own WebAuthn (harness.test.mjs).

import assert from 'node:assert/strict';
import { launchWithExtension, removeProfile } from '../../scripts/chromium.mjs';
import {
  approvePrompt,
  badArgumentProblemsInPage,
  credentialShapeProblemsInPage,
  expectLatchkeyServes,
  expectNoPrompt,
  expectVerified,
  passwordOnlyGetInPage,
  registerViaPrompt,
  signInViaPrompt,
  sleep,
  startInPage,
  waitForNoPromptWindow,
  waitForPrompt,
  watchPrompts,
  withTimeout,
} from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */

/**
 * Runs in the page: starts a conditional get (kept on window.__conditional) that can be
 * aborted with window.__abortConditional().
 */
function startConditionalGetInPage() {
  const w = /** @type {any} */ (window);
  const ac = new AbortController();
  w.__abortConditional = () => ac.abort();
  w.__conditional = navigator.credentials
    .get({
      mediation: 'conditional',
      signal: ac.signal,
      publicKey: { challenge: crypto.getRandomValues(new Uint8Array(32)), rpId: location.hostname, userVerification: 'preferred' },
    })
    .then(
      (c) => ({ resolved: c === null ? null : /** @type {any} */ (c).id }),
      (e) => ({ error: e?.name }),
    );
  return true;
}

/**
 * Runs in the page: replaces window.DOMException, then starts a get that Latchkey serves. Its
 * outcome (window.__outcome) tells whether the rejection is a DOMException of the page's realm.
 */
function startGetAfterReplacingDOMException() {
  const w = /** @type {any} */ (window);
  const { prototype } = DOMException;
  w.DOMException = function DOMException() {};
  w.__outcome = navigator.credentials
    .get({ publicKey: { challenge: crypto.getRandomValues(new Uint8Array(32)), rpId: location.hostname } })
    .then(
      () => 'resolved',
      (/** @type {any} */ e) => ({ ownPrototype: Object.getPrototypeOf(e) === prototype, name: e.name, code: e.code, ownProperties: Object.getOwnPropertyNames(e) }),
    );
  return true;
}

/**
 * Runs in the page: keeps its real container, replaces window.navigator with one whose
 * `credentials` is a plain object carrying the real get(), then calls get() on that object
 * (window.__onFake) and on the real container (window.__onReal).
 */
function startGetsAfterReplacingNavigator() {
  const w = /** @type {any} */ (window);
  const real = navigator.credentials;
  Object.defineProperty(window, 'navigator', { value: { credentials: { get: CredentialsContainer.prototype.get } }, configurable: true });
  const publicKey = { challenge: crypto.getRandomValues(new Uint8Array(32)), rpId: location.hostname };
  const outcome = (/** @type {Promise<unknown>} */ p) => p.then(() => 'resolved', (/** @type {any} */ e) => e?.name);
  w.__onFake = outcome(w.navigator.credentials.get({ publicKey }));
  w.__onReal = outcome(real.get({ publicKey }));
  return navigator.credentials !== real;
}

/** @param {Ctx} ctx */
async function conditionalOpensNoPrompt(ctx) {
  const watch = watchPrompts(ctx.browser, ctx.extensionId);
  try {
    await ctx.page.evaluate(startConditionalGetInPage);
    await ctx.page.focus('#username');
    await expectNoPrompt(watch, 2000);
    const early = await ctx.page.evaluate(() => Promise.race([/** @type {any} */ (window).__conditional, new Promise((r) => setTimeout(() => r('pending'), 50))]));
    assert.equal(early, 'pending', `a conditional get waits for the user, got ${JSON.stringify(early)}`);
    await ctx.page.evaluate(() => /** @type {any} */ (window).__abortConditional());
    const outcome = await ctx.page.evaluate(() => /** @type {any} */ (window).__conditional);
    assert.deepEqual(outcome, { error: 'AbortError' }, 'aborting the conditional get rejects with AbortError');
    await expectNoPrompt(watch, 300);
  } finally {
    watch.stop();
  }
  // Chromium alone also opens nothing and aborts: Latchkey serves a create on this page.
  await expectLatchkeyServes(ctx, ctx.page);
}

/**
 * Runs in the page: does what a script injected into an http page can, posting the relay's
 * handshake itself (the page script is not there outside a secure context) with a get or a
 * create for the site's parent domain. Resolves with the first answer, or 'none' after `ms`.
 * @param {'get' | 'create'} type @param {string} rpId @param {number} ms
 */
function forgeHandshakeInPage(type, rpId, ms) {
  const challenge = 'AAECAwQFBgcICQoLDA0ODw';
  const options =
    type === 'get'
      ? { challenge, rpId }
      : { challenge, rp: { id: rpId, name: 'Bank' }, user: { id: 'AQID', name: 'victim', displayName: 'Victim' }, pubKeyCredParams: [{ type: 'public-key', alg: -7 }] };
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve({ answer: event.data?.type ?? String(event.data) });
    window.postMessage({ type: 'latchkey:ceremony' }, '*', [channel.port2]);
    channel.port1.postMessage(type === 'get' ? { type, options, mediation: 'optional' } : { type, options });
    setTimeout(() => resolve('none'), ms);
  });
}

/**
 * The vault as the service worker holds it: every IndexedDB store's row count. (storage.local
 * is left out: the worker writes the toolbar's theme there at start.)
 * @param {import('puppeteer-core').Target} serviceWorkerTarget
 */
async function vaultState(serviceWorkerTarget) {
  const worker = await serviceWorkerTarget.worker();
  assert.ok(worker, 'the service worker is running');
  return worker.evaluate(async () => {
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      /** @type {IDBDatabase} */
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of db.objectStoreNames) {
        out[`${name}/${store}`] = await new Promise((resolve) => {
          const request = db.transaction(store).objectStore(store).count();
          request.onsuccess = () => resolve(request.result);
        });
      }
      db.close();
    }
    return out;
  });
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: 'an http page that is not a secure context gets no prompt and no answer when it posts the relay\'s handshake itself, and the vault is unchanged',
    extension: false,
    timeout: 60_000,
    async fn(ctx) {
      // insecure.test is a plain-http name that is not localhost: not a secure context.
      const launched = await launchWithExtension({ extensionDir: ctx.extensionDir, args: [`--host-resolver-rules=MAP x.insecure.test 127.0.0.1:${ctx.rp.port}`] });
      const { browser, extensionId, serviceWorkerTarget } = launched;
      try {
        const page = (await browser.pages())[0] ?? (await browser.newPage());
        await page.goto('http://x.insecure.test/plain', { waitUntil: 'load' });
        assert.equal(await page.evaluate(() => window.isSecureContext), false);
        // The worker opens its vault at start (a new profile's is made then): wait until it
        // has, so that what is compared afterwards is only what the page could cause.
        let before = await vaultState(serviceWorkerTarget);
        for (let i = 0; i < 100 && !('latchkey/credentials' in before); i++) {
          await sleep(100);
          before = await vaultState(serviceWorkerTarget);
        }
        const watch = watchPrompts(browser, extensionId);
        try {
          assert.equal(await page.evaluate(forgeHandshakeInPage, 'get', 'insecure.test', 2000), 'none', 'no answer to a forged get');
          assert.equal(await page.evaluate(forgeHandshakeInPage, 'create', 'insecure.test', 1000), 'none', 'no answer to a forged create');
          await expectNoPrompt(watch, 200);
        } finally {
          watch.stop();
        }
        assert.deepEqual(await vaultState(serviceWorkerTarget), before, 'nothing changed in the vault');
      } catch (e) {
        await ctx.saveArtifacts(browser);
        throw e;
      } finally {
        await launched.close();
        removeProfile(launched.userDataDir);
      }
    },
  },
  {
    name: "mediation 'silent' goes to the browser untouched: no Latchkey prompt (while Latchkey serves a create on the page)",
    async fn(ctx) {
      const silentGet = () =>
        navigator.credentials
          .get({ mediation: 'silent', publicKey: { challenge: crypto.getRandomValues(new Uint8Array(32)), rpId: location.hostname, timeout: 1000 } })
          .then(
            () => 'resolved',
            (/** @type {any} */ e) => e?.name,
          );
      // With a passkey for the site, which Latchkey would otherwise offer in its prompt.
      expectVerified((await registerViaPrompt(ctx, 'alice')).result, 'registration');
      await sleep(300);
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        // (Chromium may keep it pending: it is not awaited.)
        void ctx.page.evaluate(silentGet).catch(() => undefined);
        await expectNoPrompt(watch, 1500);
      } finally {
        watch.stop();
      }
      // The same page without Latchkey opens no prompt either: Latchkey serves a create there.
      await expectLatchkeyServes(ctx, ctx.page);
    },
  },
  {
    name: "an error rejects with a DOMException of the page's realm, also after the page replaced window.DOMException",
    async fn(ctx) {
      expectVerified((await registerViaPrompt(ctx, 'alice')).result, 'registration');
      await ctx.page.evaluate(startGetAfterReplacingDOMException);
      await approvePrompt(await waitForPrompt(ctx.browser, ctx.extensionId), { action: 'prompt-cancel' });
      const outcome = await ctx.page.evaluate(() => /** @type {any} */ (window).__outcome);
      assert.deepEqual(outcome, { ownPrototype: true, name: 'NotAllowedError', code: 0, ownProperties: [] });
    },
  },
  {
    name: "Latchkey serves the page's own container even after the page replaced window.navigator; another object gets the browser's TypeError",
    async fn(ctx) {
      expectVerified((await registerViaPrompt(ctx, 'alice')).result, 'registration');
      // A fresh document: Latchkey has not looked for the page's container in it yet.
      await ctx.page.reload({ waitUntil: 'load' });
      assert.equal(await ctx.page.evaluate(startGetsAfterReplacingNavigator), true, 'the page replaced window.navigator');
      const onFake = await ctx.page.evaluate(() => Promise.race([/** @type {any} */ (window).__onFake, new Promise((r) => setTimeout(() => r('pending'), 5000))]));
      assert.equal(onFake, 'TypeError', 'a get() on the stand-in object is refused by the browser, not served');
      await approvePrompt(await waitForPrompt(ctx.browser, ctx.extensionId), { action: 'prompt-cancel' });
      assert.equal(await ctx.page.evaluate(() => /** @type {any} */ (window).__onReal), 'NotAllowedError', 'the real container was served by Latchkey');
    },
  },
  {
    name: "credential objects behave natively (instanceof, id/rawId, getPublicKey, alg -7, transports, toJSON, no own properties)",
    async fn(ctx) {
      const reg = await registerViaPrompt(ctx, 'alice');
      expectVerified(reg.result, 'registration');
      assert.deepEqual(await ctx.page.evaluate(credentialShapeProblemsInPage, 'create', -7), [], 'the created credential looks native');
      const signIn = await signInViaPrompt(ctx, 'alice');
      expectVerified(signIn.result, 'sign-in');
      assert.deepEqual(await ctx.page.evaluate(credentialShapeProblemsInPage, 'get', -7), [], 'the asserted credential looks native');
    },
  },
  {
    name: "bad argument types → the promise rejects with the page's TypeError; nothing thrown synchronously; no prompt (while Latchkey serves a well-formed create there)",
    async fn(ctx) {
      await ctx.page.goto(`${ctx.rp.origin}/plain`, { waitUntil: 'load' });
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        assert.deepEqual(await ctx.page.evaluate(badArgumentProblemsInPage), []);
        await expectNoPrompt(watch, 300);
      } finally {
        watch.stop();
      }
      // Chromium alone answers the same: Latchkey serves a well-formed create on this page.
      await expectLatchkeyServes(ctx, ctx.page);
    },
  },
  {
    name: "a password-only navigator.credentials.get is not intercepted (settles as natively, no prompt; Latchkey serves a create there)",
    async fn(ctx) {
      await ctx.page.goto(`${ctx.rp.origin}/plain`, { waitUntil: 'load' });
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        const outcome = await ctx.page.evaluate(passwordOnlyGetInPage);
        assert.deepEqual(outcome, { value: null }, 'as Chromium answers natively (see harness.test.mjs)');
        await expectNoPrompt(watch, 500);
      } finally {
        watch.stop();
      }
      // Chromium alone answers the same: Latchkey serves a create on this page.
      await expectLatchkeyServes(ctx, ctx.page);
    },
  },
  {
    name: "mediation 'conditional' with an empty vault opens no prompt window, and aborts with AbortError",
    fn: conditionalOpensNoPrompt,
  },
  {
    name: "mediation 'conditional' with a saved passkey opens no prompt window either",
    async fn(ctx) {
      expectVerified((await registerViaPrompt(ctx, 'alice')).result, 'registration');
      await sleep(300);
      await conditionalOpensNoPrompt(ctx);
    },
  },
  {
    name: "the ceremony timer (the page's timeout, clamped to 30 s) closes the prompt and rejects with NotAllowedError",
    timeout: 90_000,
    async fn(ctx) {
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        const pending = startInPage(ctx.page, () =>
          navigator.credentials
            .create({
              publicKey: {
                challenge: crypto.getRandomValues(new Uint8Array(32)),
                rp: { name: 'Timer' },
                user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'timer', displayName: 'Timer' },
                pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
                timeout: 1000, // below the range: the client makes it 30 s (docs/architecture.md#timeouts)
              },
            })
            .then(
              () => 'resolved',
              (/** @type {any} */ e) => e?.name,
            ),
        );
        await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
        // Nobody answers the prompt.
        assert.equal(await withTimeout(pending, 50_000, 'the create to time out'), 'NotAllowedError');
        await waitForNoPromptWindow(ctx.browser, ctx.extensionId, 5000);
        assert.equal(watch.count, 1, 'one prompt opened');
        assert.equal(watch.closedAt.size, 1, 'and the timer closed it');
      } finally {
        watch.stop();
      }
    },
  },
];
