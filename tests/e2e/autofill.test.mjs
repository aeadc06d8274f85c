// @ts-check
// Passkey autofill (conditional mediation, docs/architecture.md#when-latchkey-falls-back): Latchkey owns
// the autofill on every site not on the "never" list, and after a trusted press or key in the
// `autocomplete="username webauthn"` field shows its passkeys (possibly none) in an extension
// frame under it, plus "Use another device or a browser passkey". Nothing the page can observe
// depends on the vault (L3 §14.5.2). A CDP virtual authenticator stands in for the browser's
// own passkeys.

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

/** The frames of Latchkey's suggestion list in `page` (autofill.html, any dynamic URL, its key in the fragment). */
const autofillFrames = (/** @type {Page} */ page) => page.frames().filter((f) => /\/autofill\.html(#|$)/.test(f.url()));

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

/** Clicks the demo page's username field (autocomplete="username webauthn") like a person: a trusted press. */
async function focusUsername(/** @type {Page} */ page) {
  await page.click('#username');
}

/**
 * Waits until `selector` in the suggestion frame is enabled (the input protection's delay is
 * over), then clicks it like a person, not awaited (see clickInFrame).
 * @param {Frame} frame @param {string} selector
 */
async function clickWhenEnabled(frame, selector) {
  await clickInFrame(frame, `${selector}:not([disabled])`);
}

/**
 * Evaluates `expression` in the relay's isolated world of the page's top frame (over CDP).
 * @param {Page} page @param {string} expression @returns {Promise<string>}
 */
async function extensionWorldEval(page, expression) {
  const cdp = await page.createCDPSession();
  /** @type {number[]} */
  const worlds = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => {
    if (context.auxData?.type === 'isolated' && /^chrome-extension:/.test(context.origin)) worlds.push(context.id);
  });
  await cdp.send('Runtime.enable');
  const id = worlds[0];
  assert.ok(id !== undefined, "the relay's isolated world");
  const { result } = await cdp.send('Runtime.evaluate', { expression, contextId: id, returnByValue: true });
  await cdp.detach();
  return result.value;
}

/**
 * In the page: the probe of issue 16. Records every DOM mutation, focuses the username field
 * by script, and starts a conditional get (window.__probe, settled to its outcome's name) whose
 * allowCredentials are `allow`; window.__abort() aborts it.
 * @param {string[]} allow
 */
async function startProbeInPage(allow) {
  const w = /** @type {any} */ (window);
  /** @param {Node} n */
  const describe = (n) => (n instanceof Element ? `${n.nodeName}${[...n.attributes].map((a) => ` ${a.name}="${a.value}"`).join('')}` : n.nodeName);
  w.__mutations = [];
  new MutationObserver((records) => {
    for (const r of records) {
      w.__mutations.push(`${r.type} on ${describe(r.target)} ${r.attributeName ?? ''} +[${[...r.addedNodes].map(describe)}] -[${[...r.removedNodes].map(describe)}]`);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  /** @type {HTMLInputElement} */ (document.getElementById('username')).focus();
  const controller = new AbortController();
  w.__abort = () => controller.abort();
  const options = await (await fetch('/login/options', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
  options.allowCredentials = allow.map((id) => ({ type: 'public-key', id }));
  w.__probe = navigator.credentials
    .get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options), mediation: 'conditional', signal: controller.signal })
    .then(() => 'resolved', (/** @type {any} */ e) => e?.name);
}

/** In the page: what the probe saw so far, and the size of every element the page can reach. */
function observeInPage() {
  const w = /** @type {any} */ (window);
  return {
    mutations: [...w.__mutations],
    sizes: [...document.querySelectorAll('*')].map((e) => {
      const r = e.getBoundingClientRect();
      return `${e.nodeName} ${r.x},${r.y} ${r.width}x${r.height}`;
    }),
    frames: window.length,
    scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
  };
}

/** In the page: every way the page's own script might find Latchkey's frame or the extension's host. */
function readReachInPage() {
  const all = [...document.querySelectorAll('*')];
  const texts = [
    ...all.flatMap((e) => [...e.attributes].map((a) => a.value)),
    ...performance.getEntries().map((e) => e.name),
    document.documentElement.outerHTML,
  ];
  return {
    iframes: document.querySelectorAll('iframe').length,
    shadowRoots: all.filter((e) => e.shadowRoot !== null).length,
    extensionUrls: texts.filter((t) => /-extension:/.test(t)),
  };
}

/**
 * In the page: slides what Latchkey added to the page by a pixel every frame (the attacker's
 * move under the pointer), until window.__stopSliding().
 */
function slideFrameInPage() {
  const w = /** @type {any} */ (window);
  const added = [...document.documentElement.children].filter((e) => e !== document.head && e !== document.body);
  let on = true;
  let i = 0;
  w.__stopSliding = () => (on = false);
  const step = () => {
    if (!on) return;
    for (const e of added) /** @type {HTMLElement} */ (e).style.setProperty('margin-left', `${i++ % 2}px`, 'important');
    requestAnimationFrame(step);
  };
  step();
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: "autofill probe: what the page observes (DOM, sizes, the promise) does not depend on whether the visitor holds the allowCredentials passkey, before and after a trusted click",
    timeout: 120_000,
    async fn(ctx) {
      const { result } = await registerViaPrompt(ctx, 'alice');
      expectVerified(result, 'registering alice');
      const cases = { held: [result.credentialID], stranger: ['c3RyYW5nZXItcGFzc2tleS0x'], none: [] };
      /** @type {Record<string, unknown>} */
      const seen = {};
      for (const [which, allow] of Object.entries(cases)) {
        await ctx.page.goto(ctx.rp.url, { waitUntil: 'load' });
        await ctx.page.evaluate(startProbeInPage, allow);
        // Before any trusted event: the script's focus() alone.
        await sleep(1000);
        const beforeClick = await ctx.page.evaluate(observeInPage);
        assert.deepEqual(beforeClick.mutations, [], `${which}: nothing is added to the page before a trusted press in the field`);
        await ctx.page.click('#username');
        await waitForSuggestions(ctx.page);
        const afterClick = await ctx.page.evaluate(observeInPage);
        const outcome = await ctx.page.evaluate(() => {
          const w = /** @type {any} */ (window);
          w.__abort();
          return w.__probe;
        });
        seen[which] = { beforeClick, afterClick, outcome };
      }
      assert.deepEqual(seen.stranger, seen.held, 'a stranger\'s credential looks the same to the page as the held one');
      assert.deepEqual(seen.none, seen.held, 'no allowCredentials looks the same to the page as the held one');
      assert.equal(/** @type {any} */ (seen.held).outcome, 'AbortError');
      assert.ok(/** @type {any} */ (seen.held).afterClick.mutations.length > 0, 'after the click the frame shows');
    },
  },
  {
    name: "autofill frame cannot be found or identified by the page: a closed shadow root, and no extension URL anywhere the page reads",
    async fn(ctx) {
      const { pending } = await registerThenStartAutofill(ctx, 'alice', { userVerification: 'discouraged' });
      await focusUsername(ctx.page);
      await waitForSuggestions(ctx.page);
      const reach = await ctx.page.evaluate(readReachInPage);
      assert.deepEqual(reach, { iframes: 0, shadowRoots: 0, extensionUrls: [] }, 'the page finds no iframe, no open shadow root, no extension URL');
      await ctx.page.evaluate(() => document.getElementById('username')?.blur());
      pending.catch(() => {});
    },
  },
  {
    name: 'autofill hijack: a frame of the page that loads autofill.html itself is turned away, and the real frame keeps the pick',
    async fn(ctx) {
      const { registered, pending } = await registerThenStartAutofill(ctx, 'alice', { userVerification: 'discouraged' });
      await focusUsername(ctx.page);
      const real = await waitForSuggestions(ctx.page);
      // The attacker knows autofill.html's URL (in Firefox it is stable; in Chromium the test
      // asks the relay's world for the dynamic one), but not the key the relay put after '#'.
      const url = await extensionWorldEval(ctx.page, "chrome.runtime.getURL('/autofill.html')");
      await ctx.page.evaluate((/** @type {string} */ src) => {
        const outer = document.createElement('iframe');
        document.body.append(outer);
        const inner = /** @type {Document} */ (outer.contentDocument).createElement('iframe');
        inner.src = src;
        /** @type {Document} */ (outer.contentDocument).body.append(inner);
      }, url);
      let hijack;
      for (let i = 0; !hijack; i++) {
        hijack = autofillFrames(ctx.page).find((f) => f !== real);
        if (!hijack) await sleep(50);
        assert.ok(i < 200, 'the hijacking frame loads');
      }
      const state = await hijack.waitForSelector(`body[data-closed], ${sel('autofill-other')}`, { timeout: 10_000 });
      assert.equal(await state?.evaluate((e) => e.tagName), 'BODY', 'the hijacking frame is closed, it offers nothing');
      await clickWhenEnabled(real, `${sel('autofill-suggestion')}[data-credential-id="${registered.credentialID}"]`);
      const result = await withTimeout(pending, 20_000, 'the pick in the real frame');
      expectVerified(result, 'sign-in through the real frame');
    },
  },
  {
    name: 'stray clicks: a click on an autofill suggestion while it is disabled (the page slides the frame) does nothing; the same click once enabled signs in',
    async fn(ctx) {
      const { registered, pending } = await registerThenStartAutofill(ctx, 'alice', { userVerification: 'discouraged' });
      let settled = false;
      pending.then(() => (settled = true), () => (settled = true));
      await focusUsername(ctx.page);
      const frame = await waitForSuggestions(ctx.page);
      const pick = `${sel('autofill-suggestion')}[data-credential-id="${registered.credentialID}"]`;
      await ctx.page.evaluate(slideFrameInPage);
      await frame.waitForSelector(`${pick}[disabled]`);
      const entry = await frame.$(pick);
      assert.ok(entry);
      await entry.click();
      assert.ok(await entry.evaluate((e) => e.hasAttribute('disabled')), 'still disabled after the click');
      await ctx.page.evaluate(() => /** @type {any} */ (window).__stopSliding());
      await frame.waitForSelector(`${pick}:not([disabled])`);
      assert.equal(settled, false, 'the click while disabled did not sign in');
      await clickWhenEnabled(frame, pick);
      expectVerified(await withTimeout(pending, 20_000, 'the pick once enabled'), 'sign-in after the delay');
    },
  },
  {
    name: 'autofill: a click in the username field shows the Latchkey passkey (focus alone shows nothing), a press elsewhere hides it; clicking it signs in (UV discouraged: no prompt)',
    async fn(ctx) {
      const { registered, pending } = await registerThenStartAutofill(ctx, 'alice', { userVerification: 'discouraged' });
      await ctx.page.focus('#username');
      await sleep(300);
      assert.equal(autofillFrames(ctx.page).length, 0, 'nothing shows on focus alone, before a press in the field');
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        await focusUsername(ctx.page);
        let frame = await waitForSuggestions(ctx.page);
        const offered = await readSuggestions(frame);
        assert.deepEqual(offered.map((o) => o.id), [registered.credentialID], 'one autofill-suggestion, for the registered passkey');
        assert.match(offered[0]?.text ?? '', /alice/, 'the suggestion names the account inside the extension frame');
        // A press elsewhere in the page takes the list away; a click in the field brings it back.
        await ctx.page.mouse.click(2, 2);
        await waitForNoSuggestions(ctx.page);
        await focusUsername(ctx.page);
        frame = await waitForSuggestions(ctx.page);
        await clickWhenEnabled(frame, `${sel('autofill-suggestion')}[data-credential-id="${registered.credentialID}"]`);
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
    name: 'autofill shows an account once, its newer passkey first; autofill-earlier reaches the earlier one, which signs in',
    async fn(ctx) {
      const { result: first } = await registerViaPrompt(ctx, 'alice');
      expectVerified(first, 'registering alice');
      const { registered: second, pending } = await registerThenStartAutofill(ctx, 'alice', { userVerification: 'discouraged' });
      await focusUsername(ctx.page);
      const frame = await waitForSuggestions(ctx.page);
      assert.deepEqual((await readSuggestions(frame)).map((o) => o.id), [second.credentialID], 'the account once: its newer passkey');
      await clickInFrame(frame, sel('autofill-earlier'));
      await frame.waitForSelector(`${sel('autofill-suggestion')}[data-credential-id="${first.credentialID}"]`, { visible: true });
      assert.deepEqual((await readSuggestions(frame)).map((o) => o.id), [second.credentialID, first.credentialID]);
      await clickWhenEnabled(frame, `${sel('autofill-suggestion')}[data-credential-id="${first.credentialID}"]`);
      const result = await withTimeout(pending, 20_000, 'the conditional get after picking the earlier passkey');
      expectVerified(result, 'autofill sign-in with the earlier passkey');
      assert.equal(result.credentialID, first.credentialID);
    },
  },
  {
    name: 'autofill with user verification preferred, by keyboard: Enter does nothing while the entry is disabled; once enabled, the pick opens the prompt for that one passkey and its PIN, then signs in with UV',
    async fn(ctx) {
      const { registered, pending } = await registerThenStartAutofill(ctx, 'alice', { userVerification: 'preferred' });
      await focusUsername(ctx.page);
      const frame = await waitForSuggestions(ctx.page);
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      // The page keeps sliding the frame: the entry stays disabled meanwhile.
      await ctx.page.evaluate(slideFrameInPage);
      // By keyboard: Down arrow from the field into the list, Enter picks.
      await ctx.page.keyboard.press('ArrowDown');
      const entry = await frame.waitForSelector(`${sel('autofill-suggestion')}[disabled]`);
      await ctx.page.keyboard.press('Enter');
      assert.ok(await entry?.evaluate((e) => e.hasAttribute('disabled')), 'still disabled after the key');
      await ctx.page.evaluate(() => /** @type {any} */ (window).__stopSliding());
      // Once enabled, the first entry takes the keyboard's focus.
      await frame.waitForSelector(`${sel('autofill-suggestion')}:not([disabled]):focus`);
      assert.equal(watch.count, 0, 'the Enter sent while disabled opened no prompt');
      watch.stop();
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
      await clickWhenEnabled(await waitForSuggestions(ctx.page), pick);
      await approvePrompt(await waitForPrompt(ctx.browser, ctx.extensionId, { pending }), { action: 'prompt-cancel' });
      await waitForNoPromptWindow(ctx.browser, ctx.extensionId);
      const early = await Promise.race([pending.then((r) => ({ settled: r })), sleep(1000).then(() => 'pending')]);
      assert.equal(early, 'pending', `the conditional get waits for another pick, got ${JSON.stringify(early)}`);

      await focusUsername(ctx.page);
      await clickWhenEnabled(await waitForSuggestions(ctx.page), pick);
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
      // Everything the page's own JavaScript can reach (a frame in a closed shadow root is not
      // even in window.frames in Chromium).
      const seen = await ctx.page.evaluate((/** @type {string} */ name) => {
        const reads = [...Array(window.length).keys()].map((i) => {
          /** @type {string} */
          let viaWindow;
          try {
            viaWindow = String(/** @type {any} */ (window.frames[i])?.document?.body?.innerText);
          } catch (e) {
            viaWindow = `threw ${/** @type {Error} */ (e).name}`;
          }
          return { viaWindow };
        });
        return {
          frames: reads,
          inPageHtml: document.documentElement.outerHTML.includes(name),
          inPageText: document.body.innerText.includes(name),
          inReads: JSON.stringify(reads).includes(name),
        };
      }, secret);
      assert.equal(seen.inPageHtml, false, 'the account name is nowhere in the page DOM');
      assert.equal(seen.inPageText, false);
      assert.equal(seen.inReads, false, `the page could not read the frame: ${JSON.stringify(seen.frames)}`);
      for (const read of seen.frames) {
        assert.equal(read.viaWindow, 'threw SecurityError', "reading the frame's document throws SecurityError");
      }
      // Clean up the pending ceremony.
      await clickWhenEnabled(frame, sel('autofill-suggestion'));
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
    name: "with no Latchkey passkey for the site, Latchkey still owns the conditional get: after a click in the field its frame offers only 'Use another device' (a press in its empty row hides it), which starts the browser's modal get",
    async fn(ctx) {
      const va = await addVirtualAuthenticator(ctx.page, { transport: 'internal' });
      const onDevice = await registerOnBrowser(ctx, 'bob');
      assert.equal(onDevice.aaguid, VIRTUAL_AAGUID);
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        const pending = startInPage(ctx.page, () => /** @type {any} */ (window).demo.autofill());
        let settled = false;
        pending.then(() => (settled = true), () => (settled = true));
        await focusUsername(ctx.page);
        let frame = await waitForSuggestions(ctx.page);
        assert.deepEqual(await readSuggestions(frame), [], 'no passkey is offered, only another device');
        assert.equal(settled, false, 'the browser did not answer the conditional get: Latchkey holds it');
        // The frame keeps its two-row size: a press in its empty second row hides it.
        const box = await ctx.page.evaluate(() => {
          const host = [...document.documentElement.children].find((e) => e !== document.head && e !== document.body);
          const r = /** @type {Element} */ (host).getBoundingClientRect();
          return { x: r.x, y: r.y, height: r.height };
        });
        // Not awaited, as with clickInFrame: the frame goes away under the press.
        ctx.page.mouse.click(box.x + 40, box.y + box.height - 20).catch(() => {});
        await waitForNoSuggestions(ctx.page);
        await focusUsername(ctx.page);
        frame = await waitForSuggestions(ctx.page);
        await clickInFrame(frame, sel('autofill-other'));
        const result = await withTimeout(pending, 20_000, "the browser's modal get");
        expectVerified(result, "the browser's sign-in");
        assert.equal(result.credentialID, onDevice.credentialID);
        assert.ok(va.events.some((e) => e.type === 'asserted' && e.credentialId === onDevice.credentialID), 'the virtual authenticator signed');
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
