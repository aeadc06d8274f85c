// @ts-check
// The page-facing API: Latchkey's credentials must look and fail like native ones. Every
// in-page check here also passes against Chromium's own WebAuthn (harness.test.mjs).

import assert from 'node:assert/strict';
import {
  approvePrompt,
  badArgumentProblemsInPage,
  credentialShapeProblemsInPage,
  expectNoPrompt,
  expectVerified,
  passwordOnlyGetInPage,
  registerViaPrompt,
  signInViaPrompt,
  sleep,
  waitForPrompt,
  watchPrompts,
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
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
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
    name: "bad argument types → the promise rejects with the page's TypeError; nothing thrown synchronously; no prompt",
    async fn(ctx) {
      await ctx.page.goto(`${ctx.rp.origin}/plain`, { waitUntil: 'load' });
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        assert.deepEqual(await ctx.page.evaluate(badArgumentProblemsInPage), []);
        await expectNoPrompt(watch, 300);
      } finally {
        watch.stop();
      }
    },
  },
  {
    name: 'a password-only navigator.credentials.get is not intercepted (settles as natively, no prompt)',
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
];
