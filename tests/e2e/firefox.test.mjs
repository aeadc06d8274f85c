// @ts-check
// The Firefox build (`npm run build:firefox`), in Debian's Firefox ESR through WebDriver BiDi
// (scripts/firefox.mjs): the same prompt, ceremonies and popup as in Chromium, where Firefox
// runs Latchkey's background as an event page instead of a service worker; and what Latchkey
// hands to Firefox's own WebAuthn, answered by a virtual authenticator of Firefox's test token.

import assert from 'node:assert/strict';
import path from 'node:path';
import { launchFirefoxWithExtension } from '../../scripts/firefox.mjs';
import { selfSignedCertificate } from '../../scripts/rp/cert.mjs';
import { startRelyingParty } from '../../scripts/rp/server.mjs';
import { startTunnel } from '../../scripts/rp/tunnel.mjs';
import {
  LATCHKEY_AAGUID,
  addFrame,
  approvePrompt,
  clickTestId,
  expectRejection,
  expectVerified,
  passVaultGate,
  readPrompt,
  sel,
  sleep,
  startInPage,
  startRegister,
  startSignIn,
  withTimeout,
} from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */
/** @typedef {import('puppeteer-core').Browser} Browser */
/** @typedef {import('puppeteer-core').Page} Page */

/** @param {Ctx} ctx */
const firefoxBuild = (ctx) => process.env.FIREFOX_EXTENSION_DIR ?? path.join(path.dirname(ctx.extensionDir), 'firefox-mv3');

/**
 * The page's location, read in the page: over BiDi, puppeteer names an extension window
 * about:blank. @param {Page} page
 */
const locationOf = (page) => page.evaluate(() => location.href).catch(() => '');

/**
 * Latchkey's prompt window once it is open (a page at moz-extension://…/prompt.html that was
 * not open before `pending` started), failing early if the page's promise settles first.
 * @param {Browser} browser @param {Set<Page>} seen @param {Promise<unknown>} pending
 */
async function waitForPrompt(browser, seen, pending) {
  let settled = false;
  pending.then(() => (settled = true), () => (settled = true));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && !settled) {
    for (const page of await browser.pages()) {
      if (seen.has(page)) continue;
      if (/^moz-extension:\/\/[^/]+\/prompt\.html/.test(await locationOf(page))) {
        seen.add(page);
        return page;
      }
    }
    await sleep(100);
  }
  throw new Error(settled ? `the page's ceremony settled with no prompt: ${JSON.stringify(await pending.catch((e) => String(e)))}` : 'no prompt window within 15 s');
}

/**
 * Records every window (top-level browsing context) Firefox opens from now on, as the Chromium
 * tests' watchPrompts does: a prompt that opens and closes during a ceremony is counted, where
 * counting pages after it settles misses it. (Over BiDi an extension window first reads
 * about:blank, so every new window counts; these checks open none of their own meanwhile.)
 * @param {Browser} browser
 */
function watchWindows(browser) {
  /** @type {Set<import('puppeteer-core').Target>} */
  const opened = new Set();
  /** @param {import('puppeteer-core').Target} t */
  const onTarget = (t) => {
    // Over BiDi puppeteer reports an iframe as a 'page' target too (its BidiFrameTarget).
    if (t.type() === 'page' && t.constructor.name !== 'BidiFrameTarget') opened.add(t);
  };
  browser.on('targetcreated', onTarget);
  return {
    get count() {
      return opened.size;
    },
    /** The URLs of the windows opened, as puppeteer names them now. */
    urls: () => [...opened].map((t) => t.url()),
    /** Stops watching; the number of windows opened. */
    stop() {
      browser.off('targetcreated', onTarget);
      return opened.size;
    },
  };
}

/**
 * Runs `ceremony` and fails if any window opened while it ran, or within `settle` ms after.
 * @template T @param {Browser} browser @param {() => Promise<T>} ceremony @param {string} what
 * @returns {Promise<T>}
 */
async function withNoWindow(browser, ceremony, what, settle = 300) {
  const watch = watchWindows(browser);
  /** @type {T} */
  let result;
  try {
    result = await ceremony();
    await sleep(settle);
  } catch (error) {
    watch.stop();
    throw error;
  }
  assert.equal(watch.stop(), 0, `${what}: no window may open during the ceremony`);
  return result;
}

/**
 * Firefox with the Firefox build, a tab on the demo relying party, and `fn`.
 * @param {Ctx} ctx @param {(f: { browser: Browser, page: Page, prompt: (pending: Promise<unknown>) => Promise<Page> }) => Promise<void>} fn
 * @param {Omit<Parameters<typeof launchFirefoxWithExtension>[0], 'extensionDir'>} [launch]
 */
export async function withFirefox(ctx, fn, launch = {}) {
  const launched = await launchFirefoxWithExtension({ extensionDir: firefoxBuild(ctx), ...launch });
  try {
    const page = await launched.browser.newPage();
    await page.goto(ctx.rp.url, { waitUntil: 'load' });
    /** @type {Set<Page>} */
    const seen = new Set(await launched.browser.pages());
    await fn({ browser: launched.browser, page, prompt: (pending) => waitForPrompt(launched.browser, seen, pending) });
  } catch (error) {
    await ctx.saveArtifacts(launched.browser);
    throw error;
  } finally {
    await launched.close();
  }
}

/**
 * Registers `username` through the prompt (setting the PIN up the first time); the RP's verdict.
 * @param {Page} page @param {(pending: Promise<unknown>) => Promise<Page>} prompt @param {string} username @param {string} pin
 */
async function registerThroughPrompt(page, prompt, username, pin) {
  const registering = startRegister(page, username);
  await approvePrompt(await prompt(registering), { pin });
  return expectVerified(await withTimeout(registering, 20_000, `registering ${username} in Firefox`));
}

/**
 * The popup, opened as a tab from a prompt (WebDriver may not navigate a tab to an extension
 * page), in front: a tab in the background has its animation frames held back, and with
 * them the popup's effects. The prompt is cancelled, so `pending` rejects.
 * @param {Browser} browser @param {Page} prompt @param {string} pin
 */
async function openPopupFrom(browser, prompt, pin) {
  await prompt.evaluate(() => /** @type {any} */ (globalThis).browser.tabs.create({ url: '/popup.html', active: false }));
  await approvePrompt(prompt, { pin, action: 'prompt-cancel' });
  for (let i = 0; i < 50; i++) {
    for (const candidate of await browser.pages()) {
      if (/\/popup\.html$/.test(await locationOf(candidate))) {
        await candidate.bringToFront();
        return candidate;
      }
    }
    await sleep(100);
  }
  throw new Error('the popup page did not open');
}

/**
 * Latchkey's suggestion frame in `page` once it lists passkeys. Over BiDi, puppeteer names the
 * extension frame about:blank, so it is found by its content.
 * @param {Page} page
 */
async function waitForSuggestions(page) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames().slice(1)) {
      if ((await frame.$$(sel('autofill-suggestion')).catch(() => [])).length > 0) return frame;
    }
    await sleep(100);
  }
  throw new Error('no autofill suggestions under the field within 10 s');
}

/** How many elements something added to the page's <html> beside head and body (Latchkey's frame host). @param {Page} page */
const addedToPage = (page) =>
  page.evaluate(() => [...document.documentElement.children].filter((e) => e !== document.head && e !== document.body).length);

/** The page localhost's /.well-known/passkey-endpoints names in withSettingsSite. */
const SETTINGS_PAGE = 'https://localhost/account/passkeys';

/**
 * The demo RP's site at https://localhost/ (port 443, where the passkey-settings file is read
 * from) for `fn`: a second, https server publishing /.well-known/passkey-endpoints, which
 * Firefox reaches through a tunnel (settingsSiteLaunch).
 * @param {(site: Awaited<ReturnType<typeof startRelyingParty>>, tunnel: Awaited<ReturnType<typeof startTunnel>>) => Promise<void>} fn
 */
async function withSettingsSite(fn) {
  const site = await startRelyingParty({ https: selfSignedCertificate(['localhost']), passkeyEndpoints: { manage: SETTINGS_PAGE } });
  const tunnel = await startTunnel({ 'localhost:443': site.port });
  try {
    await fn(site, tunnel);
  } finally {
    await tunnel.close();
    await site.close();
  }
}

/**
 * Firefox settings for https sites served through `tunnel` (scripts/rp/tunnel.mjs): https
 * (only) goes through it, localhost included, and the sites' self-signed certificates are
 * trusted.
 * @param {{ port: number }} tunnel
 */
const tunnelLaunch = (tunnel) => ({
  acceptInsecureCerts: true,
  prefs: {
    'network.proxy.type': 1,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': tunnel.port,
    'network.proxy.allow_hijacking_localhost': true,
    'network.proxy.no_proxies_on': '',
  },
});

/**
 * Firefox settings for withSettingsSite: its tunnel, and optional permissions granted without
 * Firefox's prompt, which automation cannot answer (Firefox's own switch for that).
 * @param {{ port: number }} tunnel
 */
const settingsSiteLaunch = (tunnel) => {
  const launch = tunnelLaunch(tunnel);
  return { ...launch, prefs: { ...launch.prefs, 'extensions.webextOptionalPermissionPrompts': false } };
};

/**
 * Firefox settings under which its own WebAuthn uses virtual authenticators (Firefox's test
 * token) instead of USB keys and its dialogs, and BiDi may reach the browser's chrome, where
 * addFirefoxVirtualAuthenticator adds one: WebDriver BiDi has no virtual authenticator
 * command (Firefox's is in WebDriver classic, which cannot run beside puppeteer's session).
 */
const VIRTUAL_AUTHENTICATOR_LAUNCH = {
  args: ['--remote-allow-system-access'],
  prefs: { 'security.webauth.webauthn_enable_softtoken': true, 'security.webauth.webauthn_enable_usbtoken': false },
};

/**
 * Adds a virtual authenticator to Firefox's own WebAuthn (nsIWebAuthnService, as WebDriver
 * classic's command does) by script in the browser's chrome; returns the calls that read it.
 * @param {Browser} browser
 */
async function addFirefoxVirtualAuthenticator(browser) {
  const connection = /** @type {any} */ (browser).connection;
  const { result: tree } = await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 });
  const context = tree.contexts[0]?.context;
  if (!context) throw new Error('no chrome context: Firefox needs --remote-allow-system-access');
  /** @param {string} expression */
  const inChrome = async (expression) => {
    const { result } = await connection.send('script.evaluate', { expression, target: { context }, awaitPromise: true, resultOwnership: 'none' });
    if (result.type === 'exception') throw new Error(`in Firefox's chrome: ${result.exceptionDetails?.text}`);
    return result.result?.value;
  };
  const service = 'Cc["@mozilla.org/webauthn/service;1"].getService(Ci.nsIWebAuthnService)';
  const id = await inChrome(`${service}.addVirtualAuthenticator("ctap2", "internal", true, true, true, true)`);
  return {
    id,
    /** The credential ids it holds (base64url). @returns {Promise<string[]>} */
    credentialIds: async () => JSON.parse(await inChrome(`JSON.stringify(${service}.getCredentials(${JSON.stringify(id)}).map((c) => c.credentialId))`)),
  };
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    extension: false,
    name: "Firefox: the browser's own parseCreationOptionsFromJSON and parseRequestOptionsFromJSON carry prf and largeBlob through to Latchkey",
    timeout: 90_000,
    fn: (ctx) =>
      withFirefox(ctx, async ({ page, prompt }) => {
        const salt = Buffer.from('firefox salt').toString('base64url');
        const results = () => /** @type {Promise<{ results: any, types: Record<string, string> }>} */ (page.evaluate(() => /** @type {any} */ (window).demo.extensionResults()));
        const registering = startRegister(page, 'alice', { extensions: { prf: { eval: { first: salt } }, largeBlob: { support: 'preferred' } } });
        await approvePrompt(await prompt(registering), { pin: ctx.pin });
        expectVerified(await withTimeout(registering, 20_000, 'register with prf in Firefox'));
        const made = await results();
        assert.equal(made.results.prf?.enabled, true);
        assert.equal(made.types['prf.results.first'], 'ArrayBuffer', 'prf.eval reached Latchkey');
        assert.deepEqual(made.results.largeBlob, { supported: true }, 'largeBlob reached Latchkey');

        const blob = Buffer.from('firefox blob').toString('base64url');
        const signing = startSignIn(page, 'alice', { extensions: { prf: { eval: { first: salt } }, largeBlob: { write: blob } } });
        await approvePrompt(await prompt(signing), { pin: ctx.pin });
        expectVerified(await withTimeout(signing, 20_000, 'sign-in with prf in Firefox'));
        const got = await results();
        assert.equal(got.results.prf?.results?.first, made.results.prf.results.first, 'the same PRF output at get');
        assert.deepEqual(got.results.largeBlob, { written: true }, 'largeBlob.write reached Latchkey');
      }),
  },
  {
    extension: false,
    name: 'Firefox: register through the prompt (setting up the PIN), sign in by user name and without one (the RP verifies each); registering again with excludeCredentials → InvalidStateError',
    timeout: 90_000,
    fn: (ctx) =>
      withFirefox(ctx, async ({ page, prompt }) => {
        const registering = startRegister(page, 'alice');
        const shown = await approvePrompt(await prompt(registering), { pin: ctx.pin });
        assert.equal(shown.rp, 'localhost');
        const reg = expectVerified(await withTimeout(registering, 20_000, 'register in Firefox'), 'register in Firefox');
        assert.equal(reg.fmt, 'none');
        assert.equal(reg.aaguid, LATCHKEY_AAGUID);
        assert.equal(reg.flags.BE, true, 'backup eligible');
        assert.equal(reg.flags.UV, true, 'the PIN typed in the prompt verifies the user');

        const byName = startSignIn(page, 'alice');
        await approvePrompt(await prompt(byName), { pin: ctx.pin });
        const signedIn = expectVerified(await withTimeout(byName, 20_000, 'sign-in by user name in Firefox'));
        assert.equal(signedIn.credentialID, reg.credentialID);
        assert.equal(signedIn.discoverable, false);

        const discoverable = startSignIn(page, undefined);
        await approvePrompt(await prompt(discoverable), { pin: ctx.pin });
        const found = expectVerified(await withTimeout(discoverable, 20_000, 'discoverable sign-in in Firefox'));
        assert.equal(found.username, 'alice');
        assert.equal(found.userHandleMatches, true);

        // The same account again, with its passkey excluded: the prompt says it is saved already.
        const again = startRegister(page, 'alice', { excludeCredentials: true });
        const excluded = await prompt(again);
        await passVaultGate(excluded, { pin: ctx.pin });
        await excluded.waitForSelector(sel('prompt-error'), { visible: true, timeout: 10_000 })
          .catch(() => assert.fail('the prompt says the passkey is saved already'));
        const said = (await readPrompt(excluded)).error ?? '';
        assert.ok(said.includes('alice') || said.includes(shown.friendlyName ?? '\0'), `prompt-error names the saved passkey: "${said}"`);
        await clickTestId(excluded, 'prompt-approve');
        await expectRejection(withTimeout(again, 20_000, 'excluded register in Firefox'), 'InvalidStateError');
        assert.equal(ctx.rp.credentialsOf('alice').length, 1, 'no second credential reached the RP');
      }),
  },
  {
    extension: false,
    name: 'Firefox: cancel → NotAllowedError, a foreign rp.id → SecurityError with no prompt, and the popup lists, renames and deletes the passkey, linking the site’s passkey settings',
    timeout: 90_000,
    fn: (ctx) =>
      withSettingsSite((site, tunnel) => withFirefox(ctx, async ({ browser, page, prompt }) => {
        const reg = await registerThroughPrompt(page, prompt, 'bob', ctx.pin);
        // A cookie of the site's that the read of its passkey settings must not carry.
        await page.evaluate(() => {
          document.cookie = 'session=bob-session; path=/';
        });

        // The window watch's own control: it sees the prompt this sign-in opens.
        const watch = watchWindows(browser);
        const cancelled = startSignIn(page, 'bob');
        const cancelPrompt = await prompt(cancelled);
        assert.ok(watch.stop() >= 1, 'the window watch saw the prompt open');
        const popup = await openPopupFrom(browser, cancelPrompt, ctx.pin);
        await expectRejection(withTimeout(cancelled, 20_000, 'sign-in after cancel'), 'NotAllowedError');

        await withNoWindow(browser, () =>
          expectRejection(
            page.evaluate(() => /** @type {any} */ (window).demo.register('carol', { rpID: 'example.com' })),
            'SecurityError',
          ),
          'a foreign rp.id',
        );

        await popup.bringToFront();
        await passVaultGate(popup, { pin: ctx.pin, ready: 'passkey-search' });
        await popup.waitForSelector(sel('passkey-row'));
        const rows = await popup.$$eval(sel('passkey-row'), (els) => els.map((e) => e.getAttribute('data-credential-id')));
        assert.deepEqual(rows, [reg.credentialID]);
        assert.equal(await popup.$eval(sel('passkey-name'), (e) => e.textContent), 'bob on localhost');

        // Rename by keyboard: the form's input has focus, Enter saves.
        await (await popup.waitForSelector(sel('passkey-rename')))?.click();
        await popup.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'passkey-rename-input', { timeout: 2000 })
          .catch(() => assert.fail('the rename form has no focus in Firefox'));
        await popup.$eval(sel('passkey-rename-input'), (e) => /** @type {HTMLInputElement} */ (e).select());
        await popup.keyboard.type('Firefox laptop');
        await popup.keyboard.press('Enter');
        await popup.waitForFunction(() => document.querySelector('[data-testid="passkey-name"]')?.textContent === 'Firefox laptop', { timeout: 5000 })
          .catch(() => assert.fail('the new name is not shown'));

        // Delete asks first. On request, the dialog reads https://localhost/.well-known/passkey-endpoints
        // (Firefox asks for the site; here its pref grants it) and links the page it names.
        await (await popup.waitForSelector(sel('passkey-delete')))?.click();
        await popup.waitForSelector(sel('confirm-delete'), { visible: true });
        assert.equal(site.passkeyEndpointsRequests.length, 0, 'nothing is read before the user asks');
        await (await popup.waitForSelector(sel('delete-find-manage')))?.click();
        const link = await popup.waitForSelector(sel('delete-manage-link'), { timeout: 10_000 }).catch(() => null);
        if (!link) assert.fail(`no link to the site's passkey settings: ${await popup.$eval('.manage-lookup', (e) => e.textContent)}`);
        assert.equal(await link.evaluate((a) => /** @type {HTMLAnchorElement} */ (a).href), SETTINGS_PAGE);
        assert.ok(tunnel.tunnelled >= 1, 'read from the RP ID over https');
        assert.equal(site.passkeyEndpointsRequests.length, 1);
        assert.equal(site.passkeyEndpointsRequests[0].cookie, undefined, 'read without the site’s cookies');

        // Then the row goes.
        await (await popup.waitForSelector(sel('confirm-delete'), { visible: true }))?.click();
        await popup.waitForSelector(sel('passkey-empty'), { timeout: 5000 }).catch(() => assert.fail('the empty state after the delete'));
        // A refused delete would put the row back with an error.
        await sleep(500);
        assert.equal(await popup.$(sel('passkey-error')), null, 'no error after the delete');
        assert.equal(await popup.$(sel('passkey-row')), null, 'the row stays gone');
      }, settingsSiteLaunch(tunnel))),
  },
  {
    extension: false,
    name: 'Firefox: Lock now in the popup; a sign-in while locked unlocks in the prompt and the popup follows; a setting is stored',
    timeout: 90_000,
    fn: (ctx) =>
      withFirefox(ctx, async ({ browser, page, prompt }) => {
        await registerThroughPrompt(page, prompt, 'dave', ctx.pin);

        const opening = startSignIn(page, 'dave');
        const popup = await openPopupFrom(browser, await prompt(opening), ctx.pin);
        await expectRejection(withTimeout(opening, 20_000, 'sign-in after cancel'), 'NotAllowedError');
        await passVaultGate(popup, { pin: ctx.pin, ready: 'passkey-search' });
        await popup.waitForSelector(sel('passkey-row'));

        await (await popup.waitForSelector(sel('open-settings')))?.click();
        await popup.waitForSelector(`${sel('settings-auto-lock')}:not([disabled])`);
        await popup.$eval(sel('settings-auto-lock'), (e) => /** @type {HTMLInputElement} */ (e).select());
        await popup.keyboard.type('5');
        await popup.keyboard.press('Enter');
        await popup.waitForFunction(() => /5 minutes/.test(document.querySelector('[data-testid="settings-status"]')?.textContent ?? ''), { timeout: 5000 })
          .catch(() => assert.fail('the auto-lock setting was not confirmed'));
        const stored = await popup.evaluate(() => /** @type {any} */ (globalThis).browser.storage.local.get('settings'));
        assert.equal(stored.settings?.autoLockMinutes, 5, 'stored in storage.local');

        await (await popup.waitForSelector(sel('lock-now')))?.click();
        await popup.waitForSelector(sel('unlock-pin'), { timeout: 5000 }).catch(() => assert.fail('the popup shows unlock after Lock now'));
        const refused = await popup.evaluate(() => /** @type {any} */ (globalThis).browser.runtime.sendMessage({ type: 'manager:list' }));
        assert.equal(refused?.ok, false, 'the manager answers nothing while locked');

        // A sign-in while locked: the prompt asks for the PIN to unlock, then signs.
        await page.bringToFront();
        const locked = startSignIn(page, 'dave');
        const unlocking = await prompt(locked);
        await unlocking.waitForSelector(sel('unlock-pin'), { timeout: 10_000 }).catch(() => assert.fail('the prompt asks to unlock'));
        await approvePrompt(unlocking, { pin: ctx.pin });
        expectVerified(await withTimeout(locked, 20_000, 'sign-in after unlocking in the prompt'));

        // The popup saw the vault unlock elsewhere (storage.session) and shows the list again.
        await popup.bringToFront();
        await popup.waitForSelector(sel('passkey-row'), { timeout: 10_000 }).catch(() => assert.fail('the popup follows the unlock'));
      }),
  },
  {
    extension: false,
    name: "Firefox: passkey autofill: a click in the username field shows the passkey in Latchkey's frame, which the page can neither find nor identify; a pick there is confirmed in the prompt (no visibility check in Firefox), then signs in",
    timeout: 90_000,
    fn: (ctx) =>
      withFirefox(ctx, async ({ page, prompt }) => {
        const reg = await registerThroughPrompt(page, prompt, 'erin', ctx.pin);
        await page.goto(ctx.rp.url, { waitUntil: 'load' });
        const pending = startInPage(page, (/** @type {object} */ o) => /** @type {any} */ (window).demo.autofill(o), { userVerification: 'discouraged' });
        await page.focus('#username');
        await sleep(300);
        assert.equal(await addedToPage(page), 0, 'nothing shows on focus alone, before a press in the field');

        await page.click('#username');
        const frame = await waitForSuggestions(page);
        const offered = await frame.$$eval(sel('autofill-suggestion'), (entries) =>
          entries.map((e) => ({ id: e.getAttribute('data-credential-id'), text: /** @type {HTMLElement} */ (e).innerText })));
        assert.deepEqual(offered.map((o) => o.id), [reg.credentialID], 'one suggestion, for the registered passkey');
        assert.match(offered[0]?.text ?? '', /erin/, 'the suggestion names the account inside the extension frame');
        assert.equal(await addedToPage(page), 1, 'one element added to the page');
        // The stable moz-extension host would identify this browser across sites: nothing the
        // page reads names it, and the frame itself is in a closed shadow root.
        const reach = await page.evaluate(() => {
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
            text: document.body.innerText.includes('erin'),
          };
        });
        assert.deepEqual(reach, { iframes: 0, shadowRoots: 0, extensionUrls: [], text: false }, "the frame and its host are out of the page's reach");

        const pick = await frame.waitForSelector(`${sel('autofill-suggestion')}[data-credential-id="${reg.credentialID}"]:not([disabled])`);
        pick?.click().catch(() => {});
        // Firefox cannot tell whether the frame was visible: the prompt confirms the pick.
        const shown = await approvePrompt(await prompt(pending), { pin: ctx.pin });
        assert.deepEqual(shown.accounts.map((a) => a.id), [reg.credentialID], 'the prompt confirms the one picked passkey');
        const result = expectVerified(await withTimeout(pending, 20_000, 'the conditional get after the pick in Firefox'), 'autofill sign-in in Firefox');
        assert.equal(result.credentialID, reg.credentialID);
        assert.equal(result.discoverable, true);
        for (let i = 0; (await addedToPage(page)) > 0; i++) {
          assert.ok(i < 50, 'the suggestion frame is gone after the pick');
          await sleep(100);
        }
      }),
  },
  {
    extension: false,
    name: "Firefox: the browser's own WebAuthn: 'Use a phone or tablet' creates on Firefox's authenticator, and a sign-in with a credential Latchkey does not hold goes there with no prompt",
    timeout: 90_000,
    fn: (ctx) =>
      withFirefox(ctx, async ({ browser, page, prompt }) => {
        const authenticator = await addFirefoxVirtualAuthenticator(browser);
        const registering = startRegister(page, 'dora');
        const window = await prompt(registering);
        await passVaultGate(window, { pin: ctx.pin, ready: 'prompt-other-device' });
        await clickTestId(window, 'prompt-other-device');
        const reg = expectVerified(await withTimeout(registering, 30_000, 'registering dora on the other device'));
        assert.notEqual(reg.aaguid, LATCHKEY_AAGUID, "it is Firefox's credential, not Latchkey's");
        assert.deepEqual(await authenticator.credentialIds(), [reg.credentialID], "Firefox's authenticator holds it");

        const signIn = await withNoWindow(
          browser,
          async () => expectVerified(await withTimeout(startSignIn(page, 'dora'), 30_000, 'signing in as dora')),
          'no Latchkey prompt: it holds no passkey of dora',
        );
        assert.equal(signIn.credentialID, reg.credentialID);
      }, VIRTUAL_AUTHENTICATOR_LAUNCH),
  },
  {
    extension: false,
    name: 'Firefox: related origins: https://login.test registers and signs in for RP ID rp.test, which lists it at /.well-known/webauthn; evil.test is refused',
    timeout: 90_000,
    async fn(ctx) {
      const hosts = ['rp.test', 'login.test', 'evil.test'];
      const rp = await startRelyingParty({
        https: selfSignedCertificate(hosts),
        rpID: 'rp.test',
        origins: ['https://login.test'],
        relatedOrigins: ['https://login.test'],
      });
      const tunnel = await startTunnel(Object.fromEntries(hosts.map((h) => [`${h}:443`, rp.port])));
      try {
        await withFirefox(ctx, async ({ browser, page, prompt }) => {
          await page.goto('https://login.test/', { waitUntil: 'load' });
          const registering = startRegister(page, 'erin', { rpID: 'rp.test' });
          await approvePrompt(await prompt(registering), { pin: ctx.pin });
          const reg = expectVerified(await withTimeout(registering, 20_000, 'registering erin from login.test'));
          assert.equal(reg.rpID, 'rp.test');
          assert.equal(reg.origin, 'https://login.test');
          const signingIn = startSignIn(page, undefined, { rpID: 'rp.test' });
          await approvePrompt(await prompt(signingIn), { pin: ctx.pin });
          expectVerified(await withTimeout(signingIn, 20_000, 'signing in from login.test'));
          assert.ok(rp.wellKnownRequests.length >= 1, 'the well-known document was fetched');
          assert.ok(rp.wellKnownRequests.every((r) => r.host === 'rp.test' && !r.cookie && !r.referer), JSON.stringify(rp.wellKnownRequests));

          // An origin the document does not list gets SecurityError, before any prompt.
          const evil = await browser.newPage();
          await evil.goto('https://evil.test/', { waitUntil: 'load' });
          await withNoWindow(browser, () => expectRejection(startSignIn(evil, undefined, { rpID: 'rp.test' }), 'SecurityError'), 'evil.test');
        }, tunnelLaunch(tunnel));
      } finally {
        await tunnel.close();
        await rp.close();
      }
    },
  },
  {
    extension: false,
    name: "Firefox: a cross-origin frame goes to Firefox's own WebAuthn, which Latchkey cannot ask for the frame's permissions policy: with it the RP verifies a crossOrigin credential, without it NotAllowedError, and no Latchkey prompt either way",
    timeout: 90_000,
    async fn(ctx) {
      const hosts = ['rp.test', 'top.test'];
      const rp = await startRelyingParty({ https: selfSignedCertificate(hosts), rpID: 'rp.test', origins: ['https://rp.test'], topOrigins: ['https://top.test'] });
      const tunnel = await startTunnel(Object.fromEntries(hosts.map((h) => [`${h}:443`, rp.port])));
      const tunnelled = tunnelLaunch(tunnel);
      try {
        await withFirefox(ctx, async ({ browser, page }) => {
          const authenticator = await addFirefoxVirtualAuthenticator(browser);
          await page.goto('https://top.test/plain', { waitUntil: 'load' });
          /** The demo page of rp.test in a frame of top.test, with `allow` as its permissions policy. @param {string} allow */
          const frameRp = (allow) => addFrame(page, 'https://rp.test/', allow);
          const watch = watchWindows(browser);

          const refused = await frameRp('');
          await expectRejection(startRegister(refused, 'grace', { rpID: 'rp.test' }), 'NotAllowedError');

          const allowed = await frameRp('publickey-credentials-create https://rp.test; publickey-credentials-get https://rp.test');
          const reg = expectVerified(await withTimeout(startRegister(allowed, 'frank', { rpID: 'rp.test' }), 30_000, 'registering frank in the allowed frame'));
          assert.notEqual(reg.aaguid, LATCHKEY_AAGUID, "Firefox's credential, not Latchkey's");
          assert.deepEqual(await authenticator.credentialIds(), [reg.credentialID]);
          assert.equal(reg.crossOrigin, true);
          assert.equal(reg.topOrigin, 'https://top.test');
          await sleep(300);
          const urls = watch.urls();
          assert.equal(watch.stop(), 0, `no Latchkey prompt window opened during either ceremony: ${urls.join(', ')}`);
        }, {
          ...tunnelled,
          args: VIRTUAL_AUTHENTICATOR_LAUNCH.args,
          // Firefox's own WebAuthn refuses a page whose certificate error was overridden
          // (SecurityError) unless told otherwise.
          prefs: { ...tunnelled.prefs, ...VIRTUAL_AUTHENTICATOR_LAUNCH.prefs, 'security.webauthn.allow_with_certificate_override': true },
        });
      } finally {
        await tunnel.close();
        await rp.close();
      }
    },
  },
];
