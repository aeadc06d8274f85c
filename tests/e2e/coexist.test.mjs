// @ts-check
// Living beside the browser (docs/architecture.md#when-latchkey-falls-back): each
// rule that hands a ceremony to the browser's own WebAuthn, shown by a CDP virtual
// authenticator (standing in for a phone or security key) making or using the credential and
// @simplewebauthn/server verifying it; conditional create; a second request while one is
// pending, as Chromium does it; abort; related origins (L3 §5.11) over https; a cross-origin
// frame, with and without the permissions policy; and what getClientCapabilities() says.

import assert from 'node:assert/strict';
import { launchChromium } from '../../scripts/chromium.mjs';
import {
  LATCHKEY_AAGUID,
  addFrame,
  addVirtualAuthenticator,
  approvePrompt,
  clickTestId,
  expectNoPrompt,
  expectRejection,
  expectVerified,
  passVaultGate,
  readPrompt,
  registerViaPrompt,
  sel,
  signInViaPrompt,
  sleep,
  startInPage,
  startRegister,
  startSignIn,
  waitForNoPromptWindow,
  waitForPrompt,
  watchPrompts,
  withHttpsSites,
  withTimeout,
} from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */
/** @typedef {import('puppeteer-core').Page} Page */

/**
 * Runs `start()` (a page ceremony) and expects the browser to answer it with no Latchkey
 * prompt: returns the verified result.
 * @param {Ctx} ctx @param {() => Promise<any>} start @param {string} what
 */
async function expectBrowserAnswers(ctx, start, what) {
  const watch = watchPrompts(ctx.browser, ctx.extensionId);
  try {
    const result = await withTimeout(start(), 20_000, what);
    expectVerified(result, what);
    await expectNoPrompt(watch, 200);
    return result;
  } finally {
    watch.stop();
  }
}

/** A Latchkey passkey for `username` (through the prompt). @param {Ctx} ctx @param {string} username */
async function latchkeyPasskey(ctx, username) {
  const { result } = await registerViaPrompt(ctx, username);
  expectVerified(result, `registering ${username} with Latchkey`);
  assert.equal(result.aaguid, LATCHKEY_AAGUID);
  return result;
}

/** @typedef {Awaited<ReturnType<typeof addVirtualAuthenticator>>} VirtualAuthenticator */

/**
 * Asserts that the virtual authenticator (the browser's) holds `credentialId`, and that
 * Latchkey did not make it.
 * @param {VirtualAuthenticator} va @param {{ credentialID: string, aaguid: string }} result
 */
async function expectOnVirtualAuthenticator(va, result) {
  assert.notEqual(result.aaguid, LATCHKEY_AAGUID);
  assert.ok((await va.credentialIds()).includes(result.credentialID), 'the virtual authenticator holds the credential');
}

/**
 * A discoverable passkey for `username` on the virtual authenticator (the browser's), made
 * through the security-key hint rule.
 * @param {Ctx} ctx @param {VirtualAuthenticator} va @param {string} username
 */
async function browserPasskey(ctx, va, username) {
  const result = await expectBrowserAnswers(
    ctx,
    () => startRegister(ctx.page, username, { residentKey: 'required', hints: ['security-key'] }),
    `registering ${username} on the browser`,
  );
  await expectOnVirtualAuthenticator(va, result);
  return result;
}

/** The service worker's own chrome.storage.local.set. @param {Ctx} ctx @param {object} items */
async function setStorage(ctx, items) {
  const worker = await ctx.serviceWorkerTarget.worker();
  assert.ok(worker, 'the service worker is running');
  await worker.evaluate((/** @type {object} */ i) => /** @type {any} */ (globalThis).chrome.storage.local.set(i), items);
}

/**
 * Starts a modal get in the page with an AbortController the test can fire, not awaited.
 * Resolves to {resolved} or to the rejection's name, message and whether it is the reason.
 * @param {Page} page @param {object} [loginOptions]
 */
function startAbortableSignIn(page, loginOptions = {}) {
  return startInPage(page, async (/** @type {object} */ body) => {
    const w = /** @type {any} */ (window);
    const controller = new AbortController();
    w.abortReason = new DOMException('the user navigated away', 'AbortError');
    w.abortCeremony = () => controller.abort(w.abortReason);
    const json = await (await fetch('/login/options', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(json);
    return navigator.credentials.get({ publicKey, signal: controller.signal }).then(
      () => ({ resolved: true }),
      (e) => ({ name: e?.name, message: e?.message, isReason: e === w.abortReason }),
    );
  }, loginOptions);
}

/**
 * In the page: a second request while the first is pending, the way Chromium is asked. Starts
 * `first` (demo.signIn), waits, then a second demo.signIn; returns the second's outcome and
 * leaves the first running as window.first.
 * @param {Page} page
 */
function secondWhileFirstPending(page) {
  return page.evaluate(async () => {
    const w = /** @type {any} */ (window);
    w.first = w.demo.signIn(undefined, {});
    await new Promise((r) => setTimeout(r, 1500));
    const json = await (await fetch('/login/options', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(json);
    return navigator.credentials.get({ publicKey }).then(
      () => ({ resolved: true }),
      (e) => ({ name: e?.name, message: e?.message }),
    );
  });
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  // ---------------------------------------------------------------------------------------
  // Each fall-back rule reaches the browser's own WebAuthn.
  {
    name: "rule: hints put 'security-key' first → the browser creates it, no prompt; signing in with that hint is the browser's too",
    async fn(ctx) {
      const va = await addVirtualAuthenticator(ctx.page, { transport: 'usb' });
      await latchkeyPasskey(ctx, 'alice'); // Latchkey holds a passkey for the site: the hint alone decides
      const reg = await browserPasskey(ctx, va, 'bob');
      const signIn = await expectBrowserAnswers(ctx, () => startSignIn(ctx.page, undefined, { hints: ['security-key', 'client-device'] }), 'sign-in with hints security-key');
      assert.equal(signIn.credentialID, reg.credentialID, "the virtual authenticator's passkey signed in");
    },
  },
  {
    name: "rule: hints put 'hybrid' first → a discoverable get goes to the browser although Latchkey holds a passkey for the site",
    async fn(ctx) {
      const va = await addVirtualAuthenticator(ctx.page, { transport: 'internal' });
      await latchkeyPasskey(ctx, 'alice');
      const reg = await browserPasskey(ctx, va, 'bob');
      const signIn = await expectBrowserAnswers(ctx, () => startSignIn(ctx.page, undefined, { hints: ['hybrid'] }), 'sign-in with hints hybrid');
      assert.equal(signIn.username, 'bob');
      assert.ok(va.events.some((e) => e.type === 'asserted' && e.credentialId === reg.credentialID));
      // With the hint second, Latchkey serves (its prompt opens).
      const { result } = await signInViaPrompt(ctx, 'alice', { hints: ['client-device', 'hybrid'] });
      expectVerified(result, 'sign-in with hybrid second');
      assert.equal(result.username, 'alice');
    },
  },
  {
    name: "rule: authenticatorAttachment 'cross-platform' → the browser creates it on the (usb) virtual authenticator",
    async fn(ctx) {
      const va = await addVirtualAuthenticator(ctx.page, { transport: 'usb' });
      const reg = await expectBrowserAnswers(ctx, () => startRegister(ctx.page, 'alice', { authenticatorAttachment: 'cross-platform' }), 'cross-platform registration');
      await expectOnVirtualAuthenticator(va, reg);
    },
  },
  {
    name: 'rule: allowCredentials names none of Latchkey\'s passkeys → the browser signs in with the listed one, no prompt',
    async fn(ctx) {
      const va = await addVirtualAuthenticator(ctx.page, { transport: 'internal' });
      await latchkeyPasskey(ctx, 'alice');
      const reg = await browserPasskey(ctx, va, 'bob');
      const signIn = await expectBrowserAnswers(ctx, () => startSignIn(ctx.page, 'bob'), 'sign-in as bob (allowCredentials)');
      assert.equal(signIn.credentialID, reg.credentialID);
      assert.ok(va.events.some((e) => e.type === 'asserted' && e.credentialId === reg.credentialID));
    },
  },
  {
    name: 'rule: the site is on the "never" list (settings.neverSites) → create and get both go to the browser',
    async fn(ctx) {
      const va = await addVirtualAuthenticator(ctx.page, { transport: 'internal' });
      await latchkeyPasskey(ctx, 'alice');
      await setStorage(ctx, { settings: { neverSites: ['localhost'] } });
      const reg = await expectBrowserAnswers(ctx, () => startRegister(ctx.page, 'bob', { residentKey: 'required' }), 'registration on a never site');
      await expectOnVirtualAuthenticator(va, reg);
      const signIn = await expectBrowserAnswers(ctx, () => startSignIn(ctx.page, undefined), 'discoverable sign-in on a never site');
      assert.equal(signIn.credentialID, reg.credentialID, "the browser's passkey, although Latchkey holds alice's");
      assert.ok(va.events.some((e) => e.type === 'asserted'));
      // Off the list again, Latchkey serves.
      await setStorage(ctx, { settings: { neverSites: [] } });
      const { result } = await signInViaPrompt(ctx, 'alice');
      expectVerified(result, 'sign-in after leaving the never list');
    },
  },
  {
    name: "setting: new passkeys saved by 'the browser' → a create goes to the browser, and Latchkey still signs in with its own",
    async fn(ctx) {
      const va = await addVirtualAuthenticator(ctx.page, { transport: 'internal' });
      await latchkeyPasskey(ctx, 'alice');
      await setStorage(ctx, { settings: { offerFirst: 'browser' } });
      const reg = await expectBrowserAnswers(ctx, () => startRegister(ctx.page, 'bob', { residentKey: 'required' }), 'registration with the browser first');
      await expectOnVirtualAuthenticator(va, reg);
      const { result } = await signInViaPrompt(ctx, 'alice');
      expectVerified(result, "sign-in with Latchkey's passkey while the browser saves new ones");
      assert.equal(result.username, 'alice');
    },
  },
  {
    name: "rule: the user's choice, 'Use a security key' in the prompt → the browser signs in with the key",
    async fn(ctx) {
      await latchkeyPasskey(ctx, 'alice');
      const va = await addVirtualAuthenticator(ctx.page, { transport: 'usb' });
      const reg = await browserPasskey(ctx, va, 'bob');
      const pending = startSignIn(ctx.page, undefined);
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await passVaultGate(prompt, { ready: 'prompt-security-key' });
      const state = await readPrompt(prompt);
      assert.equal(state.accounts.length, 1, "the prompt offered Latchkey's passkey first");
      await clickTestId(prompt, 'prompt-security-key');
      const result = await withTimeout(pending, 20_000, 'sign-in on the security key');
      expectVerified(result, 'sign-in on the security key');
      assert.equal(result.credentialID, reg.credentialID);
      assert.ok(va.events.some((e) => e.type === 'asserted' && e.credentialId === reg.credentialID));
      await waitForNoPromptWindow(ctx.browser, ctx.extensionId);
    },
  },
  {
    name: 'a locked vault offers a phone or a security key without unlocking, and the browser answers',
    timeout: 90_000,
    async fn(ctx) {
      await latchkeyPasskey(ctx, 'alice');
      // storage.session does not outlive the browser: a relaunch locks the vault.
      await ctx.relaunch();
      const va = await addVirtualAuthenticator(ctx.page, { transport: 'usb' });
      const reg = await browserPasskey(ctx, va, 'bob');
      const pending = startSignIn(ctx.page, undefined);
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await prompt.waitForSelector(sel('unlock-pin'), { visible: true, timeout: 10_000 });
      await prompt.waitForSelector(sel('prompt-other-device'), { visible: true });
      await clickTestId(prompt, 'prompt-security-key');
      const result = await withTimeout(pending, 20_000, 'sign-in on the security key while locked');
      expectVerified(result, 'sign-in on the security key while locked');
      assert.equal(result.credentialID, reg.credentialID);
      assert.ok(va.events.some((e) => e.type === 'asserted'));
    },
  },

  // ---------------------------------------------------------------------------------------
  // Conditional create, concurrency, abort.
  {
    name: 'conditional create (passkey upgrade) goes to the browser untouched: no prompt, and the browser holds the pending request',
    async fn(ctx) {
      await addVirtualAuthenticator(ctx.page, { transport: 'internal' });
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        const outcome = await ctx.page.evaluate(async () => {
          const json = await (await fetch('/register/options', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'carol' }) })).json();
          const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(json);
          const settle = (/** @type {Promise<any>} */ p) => p.then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
          const conditional = settle(navigator.credentials.create({ publicKey, mediation: /** @type {any} */ ('conditional') }));
          await new Promise((r) => setTimeout(r, 1500));
          // A create Latchkey hands to the browser at once (security-key first): the browser
          // refuses it only if it is itself holding the conditional create.
          const json2 = await (await fetch('/register/options', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dave', hints: ['security-key'] }) })).json();
          const second = await settle(navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(json2) }));
          const first = await Promise.race([conditional, new Promise((r) => setTimeout(() => r('pending'), 500))]);
          return { first, second };
        });
        // Chromium without a recent password sign-in keeps a conditional create pending.
        assert.equal(outcome.first, 'pending');
        assert.equal(outcome.second, 'OperationError: A request is already pending.', "the browser's own pending-request refusal");
        await expectNoPrompt(watch, 200);
      } finally {
        watch.stop();
      }
    },
  },
  {
    name: "Chromium's own behaviour (no extension): a second request in the tab while one is pending rejects with OperationError, the first goes on",
    extension: false,
    async fn(ctx) {
      const plain = await launchChromium();
      try {
        const page = (await plain.browser.pages())[0] ?? (await plain.browser.newPage());
        await page.goto(ctx.rp.url, { waitUntil: 'load' });
        // A key that waits for a touch keeps the first request pending.
        const client = await page.createCDPSession();
        await client.send('WebAuthn.enable', { enableUI: false });
        const { authenticatorId } = await client.send('WebAuthn.addVirtualAuthenticator', {
          options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: false },
        });
        const second = await secondWhileFirstPending(page);
        assert.deepEqual(second, { name: 'OperationError', message: 'A request is already pending.' });
        const first = await page.evaluate(() => Promise.race([/** @type {any} */ (window).first, new Promise((r) => setTimeout(() => r('pending'), 300))]));
        assert.equal(first, 'pending', 'the first request is still running');
        await client.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
      } finally {
        await plain.close();
      }
    },
  },
  {
    name: 'Latchkey does the same: a second request while its prompt is open rejects with OperationError, and the first still signs in',
    async fn(ctx) {
      await latchkeyPasskey(ctx, 'alice');
      const secondPending = secondWhileFirstPending(ctx.page);
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId);
      const second = await withTimeout(secondPending, 10_000, 'the second request');
      assert.deepEqual(second, { name: 'OperationError', message: 'A request is already pending.' });
      await approvePrompt(prompt);
      const first = await withTimeout(ctx.page.evaluate(() => /** @type {any} */ (window).first), 20_000, 'the first request');
      expectVerified(first, 'the first request');
    },
  },
  {
    name: "abort: the page's AbortSignal closes Latchkey's prompt and the promise rejects with signal.reason",
    async fn(ctx) {
      await latchkeyPasskey(ctx, 'alice');
      const pending = startAbortableSignIn(ctx.page);
      await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await ctx.page.evaluate(() => /** @type {any} */ (window).abortCeremony());
      const outcome = await withTimeout(pending, 5_000, 'the aborted get');
      assert.deepEqual(outcome, { name: 'AbortError', message: 'the user navigated away', isReason: true });
      await waitForNoPromptWindow(ctx.browser, ctx.extensionId, 5_000);
    },
  },
  {
    name: 'abort, then a new request at once (as sign-in libraries do): the new one is served, not refused as pending',
    async fn(ctx) {
      await latchkeyPasskey(ctx, 'alice');
      const aborted = startAbortableSignIn(ctx.page);
      await waitForPrompt(ctx.browser, ctx.extensionId, { pending: aborted });
      const next = startInPage(ctx.page, async () => {
        const w = /** @type {any} */ (window);
        w.abortCeremony();
        return w.demo.signIn('alice');
      });
      assert.equal((await withTimeout(aborted, 5_000, 'the aborted get')).isReason, true);
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending: next });
      await approvePrompt(prompt);
      expectVerified(await withTimeout(next, 20_000, 'the request after the abort'), 'the request after the abort');
    },
  },

  // ---------------------------------------------------------------------------------------
  // Capabilities.
  {
    name: 'getClientCapabilities(), isConditionalMediationAvailable() and isUserVerifyingPlatformAuthenticatorAvailable() tell what Latchkey and the browser do',
    async fn(ctx) {
      const seen = await ctx.page.evaluate(async () => ({
        caps: await PublicKeyCredential.getClientCapabilities(),
        conditional: await PublicKeyCredential.isConditionalMediationAvailable(),
        uvpa: await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable(),
        names: [PublicKeyCredential.isConditionalMediationAvailable.name, PublicKeyCredential.getClientCapabilities.name],
      }));
      assert.equal(seen.conditional, true);
      assert.equal(seen.uvpa, true);
      assert.deepEqual(seen.names, ['isConditionalMediationAvailable', 'getClientCapabilities']);
      const implemented = ['extension:credProps', 'extension:prf', 'extension:largeBlob'];
      for (const key of ['conditionalGet', 'passkeyPlatformAuthenticator', 'userVerifyingPlatformAuthenticator', 'relatedOrigins', ...implemented,
        'signalUnknownCredential', 'signalAllAcceptedCredentials', 'signalCurrentUserDetails']) {
        assert.equal(seen.caps[key], true, key);
      }
      for (const key of Object.keys(seen.caps).filter((k) => k.startsWith('extension:') && !implemented.includes(k))) {
        assert.equal(seen.caps[key], false, `${key}: Latchkey does not implement it`);
      }
      // The browser's own answers for the two it serves.
      const plain = await launchChromium();
      try {
        const page = (await plain.browser.pages())[0] ?? (await plain.browser.newPage());
        await page.goto(ctx.rp.url, { waitUntil: 'load' });
        const native = await page.evaluate(() => PublicKeyCredential.getClientCapabilities());
        assert.equal(seen.caps.hybridTransport, native.hybridTransport);
        assert.equal(seen.caps.conditionalCreate, native.conditionalCreate);
      } finally {
        await plain.close();
      }
    },
  },

  {
    name: 'on a site on the "never" list, every PublicKeyCredential static is the browser\'s own',
    async fn(ctx) {
      const statics = () =>
        Promise.all([
          PublicKeyCredential.getClientCapabilities(),
          PublicKeyCredential.isConditionalMediationAvailable(),
          PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable(),
        ]);
      const plain = await launchChromium();
      let native;
      try {
        const page = (await plain.browser.pages())[0] ?? (await plain.browser.newPage());
        await page.goto(ctx.rp.url, { waitUntil: 'load' });
        native = await page.evaluate(statics);
      } finally {
        await plain.close();
      }
      const latchkey = await ctx.page.evaluate(statics);
      assert.notDeepEqual(latchkey, native, 'off the list, Latchkey answers (its own capabilities)');
      await setStorage(ctx, { settings: { neverSites: ['localhost'] } });
      assert.deepEqual(await ctx.page.evaluate(statics), native);
      await setStorage(ctx, { settings: { neverSites: [] } });
      assert.deepEqual(await ctx.page.evaluate(statics), latchkey, 'off the list again, Latchkey answers');
    },
  },

  // ---------------------------------------------------------------------------------------
  // Related origins (L3 §5.11) over real https.
  {
    name: 'related origins: https://login.test registers and signs in for RP ID rp.test, which lists it at /.well-known/webauthn; evil.test is refused',
    extension: false,
    timeout: 90_000,
    fn: (ctx) =>
      withHttpsSites(ctx, ['rp.test', 'login.test', 'evil.test'], { rpID: 'rp.test', origins: ['https://login.test'], relatedOrigins: ['https://login.test'] }, async ({ browser, extensionId, page, rp }) => {
        await page.goto('https://login.test/', { waitUntil: 'load' });
        const c = { browser, extensionId, page };
        const { result: reg } = await registerViaPrompt(c, 'alice', { rpID: 'rp.test' });
        expectVerified(reg, 'registration from a related origin');
        assert.equal(reg.rpID, 'rp.test');
        assert.equal(reg.origin, 'https://login.test');
        const { result: signIn, shown } = await signInViaPrompt(c, undefined, { rpID: 'rp.test' });
        expectVerified(signIn, 'sign-in from a related origin');
        assert.equal(shown.rp, 'rp.test');
        // The service worker fetched the document once (then used its cache), with no cookie
        // or referrer; the response had no CORS headers.
        assert.ok(rp.wellKnownRequests.length >= 1, 'the well-known document was fetched');
        assert.ok(rp.wellKnownRequests.every((r) => r.host === 'rp.test' && !r.cookie && !r.referer), JSON.stringify(rp.wellKnownRequests));
        assert.equal(rp.wellKnownRequests.length, 1, 'the second ceremony used the cached document');

        // An origin the document does not list gets SecurityError, before any prompt.
        const evil = await browser.newPage();
        await evil.goto('https://evil.test/', { waitUntil: 'load' });
        const watch = watchPrompts(browser, extensionId);
        try {
          await expectRejection(startSignIn(evil, undefined, { rpID: 'rp.test' }), 'SecurityError');
          await expectNoPrompt(watch, 200);
        } finally {
          watch.stop();
        }
      }),
  },

  // ---------------------------------------------------------------------------------------
  // A cross-origin frame (L3 §5.1.3 step 2, §5.1.4.1 step 2, §5.8.1 crossOrigin/topOrigin).
  {
    name: 'cross-origin frame: https://rp.test framed by https://top.test with the permissions policy registers and signs in (crossOrigin, topOrigin), one create per user activation; without it, NotAllowedError and no prompt',
    extension: false,
    timeout: 90_000,
    fn: (ctx) =>
      withHttpsSites(ctx, ['rp.test', 'top.test'], { rpID: 'rp.test', origins: ['https://rp.test'], topOrigins: ['https://top.test'] }, async ({ browser, extensionId, page }) => {
        await page.goto('https://top.test/plain', { waitUntil: 'load' });
        /** The demo page of rp.test in a frame of top.test, with `allow` as its permissions policy. @param {string} allow */
        const frameRp = (allow) => addFrame(page, 'https://rp.test/', allow);

        // With publickey-credentials-create and -get for rp.test: Latchkey's prompt, and the RP
        // verifies a clientDataJSON that says where the ceremony ran. (puppeteer's evaluate
        // carries a user activation, which a create in a cross-origin frame needs.)
        const allowed = await frameRp('publickey-credentials-create https://rp.test; publickey-credentials-get https://rp.test');
        const c = { browser, extensionId, page: allowed };
        const { result: reg, shown } = await registerViaPrompt(c, 'frank', { rpID: 'rp.test' });
        expectVerified(reg, 'registration in a cross-origin frame');
        assert.equal(reg.aaguid, LATCHKEY_AAGUID);
        assert.equal(reg.origin, 'https://rp.test');
        assert.equal(reg.crossOrigin, true);
        assert.equal(reg.topOrigin, 'https://top.test');
        assert.equal(shown.rp, 'rp.test');
        const { result: signIn } = await signInViaPrompt(c, 'frank', { rpID: 'rp.test' });
        expectVerified(signIn, 'sign-in in a cross-origin frame');
        assert.equal(signIn.crossOrigin, true);
        assert.equal(signIn.topOrigin, 'https://top.test');

        // One create per activation: the first one used it up (puppeteer's evaluate activates
        // the frame with no input event), so a second is NotAllowedError with no prompt, until a
        // trusted press in the frame.
        const once = watchPrompts(browser, extensionId);
        try {
          await expectRejection(startRegister(allowed, 'henry', { rpID: 'rp.test' }), 'NotAllowedError');
          await expectNoPrompt(once, 200);
        } finally {
          once.stop();
        }
        const box = await (await page.$('iframe'))?.boundingBox();
        assert.ok(box, 'the frame is on the page');
        await page.mouse.click(box.x + box.width - 10, box.y + box.height - 10);
        const pending = startRegister(allowed, 'henry', { rpID: 'rp.test' });
        await clickTestId(await waitForPrompt(browser, extensionId, { pending }), 'prompt-cancel');
        await expectRejection(pending, 'NotAllowedError');
        await waitForNoPromptWindow(browser, extensionId);

        // Without the policy: NotAllowedError for both, before any prompt.
        const refused = await frameRp('');
        const watch = watchPrompts(browser, extensionId);
        try {
          await expectRejection(startRegister(refused, 'grace', { rpID: 'rp.test' }), 'NotAllowedError');
          await expectRejection(startSignIn(refused, 'frank', { rpID: 'rp.test' }), 'NotAllowedError');
          await expectNoPrompt(watch, 200);
        } finally {
          watch.stop();
        }
      }),
  },
];
