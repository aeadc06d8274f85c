// @ts-check
// Passkey autofill (conditional mediation, DESIGN.md "When Latchkey falls back"): with a
// Latchkey passkey for the site, Latchkey owns the autofill and shows its passkeys in an
// extension frame under the `autocomplete="username webauthn"` field; with none, the
// conditional get reaches the browser untouched. A CDP virtual authenticator (with the
// browser's UI disabled, Chromium answers a conditional get from it at once) stands in for
// the browser's own passkeys.

import assert from 'node:assert/strict';
import {
  VIRTUAL_AAGUID,
  addVirtualAuthenticator,
  approvePrompt,
  expectVerified,
  registerViaPrompt,
  sel,
  sleep,
  startInPage,
  startRegister,
  waitForNoPromptWindow,
  waitForPrompt,
  watchPrompts,
  withTimeout,
} from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */
/** @typedef {import('puppeteer-core').Page} Page */
/** @typedef {import('puppeteer-core').Frame} Frame */

/** The frames of Latchkey's suggestion list in `page` (autofill.html, any dynamic URL). */
const autofillFrames = (/** @type {Page} */ page) => page.frames().filter((f) => f.url().endsWith('/autofill.html'));

/**
 * Waits for the suggestion frame to show its entries and returns it.
 * @param {Page} page @param {number} [timeout]
 */
async function waitForSuggestions(page, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of autofillFrames(page)) {
      if (await frame.$(sel('autofill-other')).catch(() => null)) return frame;
    }
    if (Date.now() > deadline) throw new Error(`No autofill suggestions under the field within ${timeout} ms`);
    await sleep(100);
  }
}

/** Waits until no suggestion frame is left in `page`. @param {Page} page */
async function waitForNoSuggestions(page, timeout = 5000) {
  const deadline = Date.now() + timeout;
  while (autofillFrames(page).length > 0) {
    if (Date.now() > deadline) throw new Error(`The suggestion frame was still there after ${timeout} ms`);
    await sleep(50);
  }
}

/** What the suggestion frame offers: the passkeys' ids and texts. @param {Frame} frame */
async function readSuggestions(frame) {
  return frame.$$eval(sel('autofill-suggestion'), (entries) =>
    entries.map((e) => ({ id: e.getAttribute('data-credential-id'), text: /** @type {HTMLElement} */ (e).innerText })),
  );
}

/**
 * Registers `username` with Latchkey, then loads the demo page afresh (so nothing on it names
 * the account) and starts demo.autofill() there, not awaited.
 * @param {Ctx} ctx @param {string} username @param {object} [loginOptions]
 */
async function registerThenStartAutofill(ctx, username, loginOptions = {}) {
  const { result } = await registerViaPrompt(ctx, username);
  expectVerified(result, `registering ${username}`);
  await ctx.page.goto(ctx.rp.url, { waitUntil: 'load' });
  const pending = startInPage(ctx.page, (/** @type {object} */ o) => /** @type {any} */ (window).demo.autofill(o), loginOptions);
  return { registered: result, pending };
}

/**
 * Clicks an entry of the suggestion frame like a person. The pick removes the frame, and a
 * click on an out-of-process frame that goes away under it may never settle in puppeteer,
 * so the click is not awaited: the page's promise says what happened.
 * @param {Frame} frame @param {string} selector
 */
async function clickInFrame(frame, selector) {
  const entry = await frame.waitForSelector(selector, { visible: true });
  assert.ok(entry, `no ${selector} in the suggestion frame`);
  entry.click().catch(() => {});
}

/** Focuses the demo page's username field (autocomplete="username webauthn") like a person. */
async function focusUsername(/** @type {Page} */ page) {
  await page.click('#username');
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: 'autofill: focusing the username field shows the Latchkey passkey, a press elsewhere hides it; clicking it signs in (UV discouraged: no prompt)',
    async fn(ctx) {
      const { registered, pending } = await registerThenStartAutofill(ctx, 'alice', { userVerification: 'discouraged' });
      await sleep(300);
      assert.equal(autofillFrames(ctx.page).length, 0, 'nothing shows before the field has focus');
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        await focusUsername(ctx.page);
        let frame = await waitForSuggestions(ctx.page);
        const offered = await readSuggestions(frame);
        assert.deepEqual(offered.map((o) => o.id), [registered.credentialID], 'one autofill-suggestion, for the registered passkey');
        assert.match(offered[0]?.text ?? '', /alice/, 'the suggestion names the account inside the extension frame');
        // A press elsewhere in the page takes the list away; focusing the field brings it back.
        await ctx.page.mouse.click(2, 2);
        await waitForNoSuggestions(ctx.page);
        await focusUsername(ctx.page);
        frame = await waitForSuggestions(ctx.page);
        await clickInFrame(frame, `${sel('autofill-suggestion')}[data-credential-id="${registered.credentialID}"]`);
        const result = await withTimeout(pending, 20_000, 'the conditional get after the pick');
        expectVerified(result, 'autofill sign-in');
        assert.equal(result.credentialID, registered.credentialID);
        assert.equal(result.discoverable, true);
        assert.equal(result.flags.UV, false, 'no PIN was asked, so no UV');
        assert.equal(watch.count, 0, 'no prompt window for a pick without user verification');
        await sleep(200);
        assert.equal(autofillFrames(ctx.page).length, 0, 'the suggestion frame is gone after the pick');
      } finally {
        watch.stop();
      }
    },
  },
  {
    name: 'autofill with user verification preferred, by keyboard: the pick opens the prompt for that one passkey and its PIN, then signs in with UV',
    async fn(ctx) {
      const { registered, pending } = await registerThenStartAutofill(ctx, 'alice', { userVerification: 'preferred' });
      await focusUsername(ctx.page);
      await waitForSuggestions(ctx.page);
      // By keyboard this time: Down arrow from the field into the list, Enter picks.
      await ctx.page.keyboard.press('ArrowDown');
      // Not awaited, as with clickInFrame: the pick removes the frame that has the focus, and
      // the key's release may then never be acknowledged to puppeteer.
      ctx.page.keyboard.press('Enter').catch(() => {});
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      const shown = await approvePrompt(prompt);
      assert.deepEqual(shown.accounts.map((a) => a.id), [registered.credentialID], 'the prompt shows only the chosen passkey');
      assert.equal(shown.pinEntered, true, 'the prompt asked for the PIN');
      const result = await withTimeout(pending, 20_000, 'the conditional get after the PIN');
      expectVerified(result, 'autofill sign-in with UV');
      assert.equal(result.credentialID, registered.credentialID);
      assert.equal(result.flags.UV, true);
    },
  },
  {
    name: 'cancelling the PIN after an autofill pick goes back to the suggestions: the get stays pending, and the next pick signs in',
    async fn(ctx) {
      const { registered, pending } = await registerThenStartAutofill(ctx, 'alice', { userVerification: 'preferred' });
      const pick = `${sel('autofill-suggestion')}[data-credential-id="${registered.credentialID}"]`;
      await focusUsername(ctx.page);
      await clickInFrame(await waitForSuggestions(ctx.page), pick);
      await approvePrompt(await waitForPrompt(ctx.browser, ctx.extensionId, { pending }), { action: 'prompt-cancel' });
      await waitForNoPromptWindow(ctx.browser, ctx.extensionId);
      const early = await Promise.race([pending.then((r) => ({ settled: r })), sleep(1000).then(() => 'pending')]);
      assert.equal(early, 'pending', `the conditional get waits for another pick, got ${JSON.stringify(early)}`);

      await focusUsername(ctx.page);
      await clickInFrame(await waitForSuggestions(ctx.page), pick);
      const shown = await approvePrompt(await waitForPrompt(ctx.browser, ctx.extensionId, { pending }));
      assert.equal(shown.pinEntered, true, 'the second prompt asked for the PIN');
      const result = await withTimeout(pending, 20_000, 'the conditional get after the second pick');
      expectVerified(result, 'autofill sign-in after a cancelled PIN');
      assert.equal(result.credentialID, registered.credentialID);
      assert.equal(result.flags.UV, true);
    },
  },
  {
    name: "the page cannot read the suggested account names: the frame is cross-origin and its DOM is out of the page's reach",
    async fn(ctx) {
      const secret = 'zed-7f3e91';
      const { pending } = await registerThenStartAutofill(ctx, secret, { userVerification: 'discouraged' });
      await focusUsername(ctx.page);
      const frame = await waitForSuggestions(ctx.page);
      assert.ok((await readSuggestions(frame)).some((o) => o.text.includes(secret)), 'the frame itself shows the account');
      // Everything the page's own JavaScript can reach.
      const seen = await ctx.page.evaluate((/** @type {string} */ name) => {
        const frames = [...document.querySelectorAll('iframe')];
        const reads = frames.map((f) => {
          /** @type {string} */
          let content;
          try {
            content = String(f.contentDocument?.documentElement?.outerHTML ?? 'no contentDocument');
          } catch (e) {
            content = `threw ${/** @type {Error} */ (e).name}`;
          }
          /** @type {string} */
          let viaWindow;
          try {
            viaWindow = String(/** @type {any} */ (f.contentWindow)?.document?.body?.innerText);
          } catch (e) {
            viaWindow = `threw ${/** @type {Error} */ (e).name}`;
          }
          return { content, viaWindow, src: f.src };
        });
        return {
          frames: reads,
          inPageHtml: document.documentElement.outerHTML.includes(name),
          inPageText: document.body.innerText.includes(name),
          inReads: JSON.stringify(reads).includes(name),
        };
      }, secret);
      assert.ok(seen.frames.length >= 1, 'the page sees an iframe');
      assert.equal(seen.inPageHtml, false, 'the account name is nowhere in the page DOM');
      assert.equal(seen.inPageText, false);
      assert.equal(seen.inReads, false, `the page could not read the frame: ${JSON.stringify(seen.frames)}`);
      for (const read of seen.frames) {
        assert.equal(read.content, 'no contentDocument', 'contentDocument is null for the extension frame');
        assert.equal(read.viaWindow, 'threw SecurityError', "reading the frame's document throws SecurityError");
      }
      // Clean up the pending ceremony.
      await clickInFrame(frame, sel('autofill-suggestion'));
      expectVerified(await withTimeout(pending, 20_000, 'the conditional get'), 'sign-in');
    },
  },
  {
    name: "'Use another device or a browser passkey' starts the browser's modal get with the page's options",
    async fn(ctx) {
      // A passkey in Latchkey, and another on a virtual authenticator (the browser's).
      const va = await addVirtualAuthenticator(ctx.page, { transport: 'internal' });
      const onDevice = await registerOnBrowser(ctx, 'bob');
      const { pending } = await registerThenStartAutofill(ctx, 'alice', { userVerification: 'discouraged' });
      await focusUsername(ctx.page);
      const frame = await waitForSuggestions(ctx.page);
      await clickInFrame(frame, sel('autofill-other'));
      const result = await withTimeout(pending, 20_000, "the browser's modal get");
      expectVerified(result, "sign-in through the browser's modal get");
      assert.equal(result.credentialID, onDevice.credentialID, "the browser's passkey signed in");
      assert.ok(va.events.some((e) => e.type === 'asserted' && e.credentialId === onDevice.credentialID));
      await sleep(200);
      assert.equal(autofillFrames(ctx.page).length, 0, 'the suggestion frame is gone');
    },
  },
  {
    name: 'with no Latchkey passkey for the site, the conditional get reaches the browser untouched and Latchkey shows nothing',
    async fn(ctx) {
      const va = await addVirtualAuthenticator(ctx.page, { transport: 'internal' });
      const onDevice = await registerOnBrowser(ctx, 'bob');
      assert.equal(onDevice.aaguid, VIRTUAL_AAGUID);
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        const pending = startInPage(ctx.page, () => /** @type {any} */ (window).demo.autofill());
        await focusUsername(ctx.page);
        // Chromium with its UI disabled answers a conditional get from the virtual authenticator.
        const result = await withTimeout(pending, 20_000, "the browser's conditional get");
        expectVerified(result, "the browser's autofill sign-in");
        assert.equal(result.credentialID, onDevice.credentialID);
        assert.ok(va.events.some((e) => e.type === 'asserted' && e.credentialId === onDevice.credentialID), 'the virtual authenticator signed');
        await sleep(300);
        assert.equal(autofillFrames(ctx.page).length, 0, 'Latchkey showed no suggestion frame');
        assert.equal(watch.count, 0, 'and no prompt');
      } finally {
        watch.stop();
      }
    },
  },
  {
    name: "an owned conditional get honours the page's AbortSignal: the frame goes away and the promise rejects with signal.reason",
    async fn(ctx) {
      const { result } = await registerViaPrompt(ctx, 'alice');
      expectVerified(result, 'registering alice');
      await ctx.page.goto(ctx.rp.url, { waitUntil: 'load' });
      const pending = startInPage(ctx.page, async () => {
        const w = /** @type {any} */ (window);
        const controller = new AbortController();
        w.abortReason = new Error('the page changed its mind');
        w.abortAutofill = () => controller.abort(w.abortReason);
        const options = await (await fetch('/login/options', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
        const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options);
        return navigator.credentials.get({ publicKey, mediation: 'conditional', signal: controller.signal }).then(
          () => ({ resolved: true }),
          (e) => ({ name: e?.name, message: e?.message, same: e === w.abortReason }),
        );
      });
      await focusUsername(ctx.page);
      await waitForSuggestions(ctx.page);
      const started = Date.now();
      await ctx.page.evaluate(() => /** @type {any} */ (window).abortAutofill());
      const outcome = await withTimeout(pending, 5_000, 'the aborted conditional get');
      assert.deepEqual(outcome, { name: 'Error', message: 'the page changed its mind', same: true }, 'rejects with signal.reason itself');
      for (;;) {
        if (autofillFrames(ctx.page).length === 0) break;
        assert.ok(Date.now() - started < 3000, 'the suggestion frame goes away after the abort');
        await sleep(50);
      }
    },
  },
];

/**
 * Registers `username` on the browser's own WebAuthn (a virtual authenticator added to the
 * page): hints ['security-key'] make Latchkey step aside before any UI.
 * @param {Ctx} ctx @param {string} username
 */
async function registerOnBrowser(ctx, username) {
  const result = await withTimeout(
    startRegister(ctx.page, username, { residentKey: 'required', hints: ['security-key'] }),
    20_000,
    `registering ${username} on the browser`,
  );
  expectVerified(result, `registering ${username} on the browser`);
  assert.equal(result.aaguid, VIRTUAL_AAGUID, 'the browser (virtual authenticator) made it');
  return result;
}
