// @ts-check
// Helpers for the end-to-end tests: find and drive Latchkey's prompt window, start page
// ceremonies without awaiting them, virtual authenticators, and assertions.
// Hooks: /work/shared/UI-TEST-CONTRACT.md (data-testid values), plus `prompt-friendly-name`.

import assert from 'node:assert/strict';
import { launchWithExtension, removeProfile } from '../../scripts/chromium.mjs';
import { selfSignedCertificate } from '../../scripts/rp/cert.mjs';
import { startRelyingParty } from '../../scripts/rp/server.mjs';

/** The PIN every test uses when the vault asks for one (UI-TEST-CONTRACT.md). */
export const PIN = '13572468';

/** Latchkey's published AAGUID (src/authenticator/aaguid.ts, LATCHKEY_AAGUID_STRING). */
export const LATCHKEY_AAGUID = '570fcc2e-b36e-4bb4-bac7-9d52fee7f348';

/** Chromium's virtual authenticator reports this AAGUID (seen with transport 'internal'). */
export const VIRTUAL_AAGUID = '01020304-0506-0708-0102-030405060708';

/** @typedef {import('puppeteer-core').Browser} Browser */
/** @typedef {import('puppeteer-core').Page} Page */
/** @typedef {import('puppeteer-core').Target} Target */
/** @typedef {import('puppeteer-core').CDPSession} CDPSession */

/** @param {string} id */
export const sel = (id) => `[data-testid="${id}"]`;

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Rejects with a clear message when `promise` takes longer than `ms`.
 * @template T @param {Promise<T>} promise @param {number} ms @param {string} what @returns {Promise<T>}
 */
export function withTimeout(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout]).finally(() => clearTimeout(timer)));
}

/**
 * True for the errors puppeteer raises when the page went away under it — as when a click on
 * Approve closes the prompt window (CHROMIUM.md).
 * @param {unknown} e
 */
export function isTargetClosedError(e) {
  const err = /** @type {Error} */ (e);
  return (
    err?.name === 'TargetCloseError' ||
    /Target closed|Session closed|detached Frame|Execution context was destroyed|No target with given id|Target.detachedFromTarget/i.test(
      String(err?.message),
    )
  );
}

/**
 * @param {Target} t @param {string} extensionId
 */
export function isPromptTarget(t, extensionId) {
  return t.type() === 'page' && t.url().startsWith(`chrome-extension://${extensionId}/prompt.html`);
}

/** Prompt targets (and the URL they had) already handed out, so each wait returns a new one. */
/** @type {WeakMap<Target, Set<string>>} */
const handedOut = new WeakMap();

/**
 * Waits for a Latchkey prompt window (a new `page` target at chrome-extension://<id>/prompt.html)
 * and returns its Page. Each call returns a prompt not returned before.
 * With `pending` (the page's ceremony promise), fails fast if the ceremony settles first.
 * @param {Browser} browser @param {string} extensionId
 * @param {{ timeout?: number, pending?: Promise<unknown> }} [opts]
 * @returns {Promise<Page>}
 */
export async function waitForPrompt(browser, extensionId, { timeout = 10_000, pending } = {}) {
  const fresh = (/** @type {Target} */ t) => isPromptTarget(t, extensionId) && !handedOut.get(t)?.has(t.url());
  const found = browser.waitForTarget(fresh, { timeout }).catch((e) => {
    throw new Error(`No Latchkey prompt window (chrome-extension://${extensionId}/prompt.html) opened within ${timeout} ms: ${e.message}`);
  });
  /** @type {Target} */
  let target;
  if (pending) {
    const settled = pending.then(
      (v) => {
        throw new Error(`The page's ceremony settled before any prompt opened: ${JSON.stringify(v)}`);
      },
      (e) => {
        throw new Error(`The page's ceremony failed before any prompt opened: ${e?.message ?? e}`);
      },
    );
    found.catch(() => {});
    target = await Promise.race([found, settled]);
  } else {
    target = await found;
  }
  const urls = handedOut.get(target) ?? new Set();
  urls.add(target.url());
  handedOut.set(target, urls);
  const page = await target.page();
  if (!page) throw new Error(`Prompt target ${target.url()} has no page`);
  return page;
}

/**
 * Records every Latchkey prompt window opened from now on.
 * @param {Browser} browser @param {string} extensionId
 */
export function watchPrompts(browser, extensionId) {
  /** @type {Set<Target>} */
  const opened = new Set();
  /** @type {Map<Target, number>} */
  const closedAt = new Map();
  const onTarget = (/** @type {Target} */ t) => {
    if (isPromptTarget(t, extensionId)) opened.add(t);
  };
  const onGone = (/** @type {Target} */ t) => {
    if (opened.has(t)) closedAt.set(t, Date.now());
  };
  browser.on('targetcreated', onTarget);
  browser.on('targetchanged', onTarget);
  browser.on('targetdestroyed', onGone);
  return {
    /** how many prompt windows opened since the watch began */
    get count() {
      return opened.size;
    },
    opened,
    closedAt,
    stop() {
      browser.off('targetcreated', onTarget);
      browser.off('targetchanged', onTarget);
      browser.off('targetdestroyed', onGone);
    },
  };
}

/**
 * Checks that no prompt window opens while `settle` ms pass.
 * @param {ReturnType<typeof watchPrompts>} watch @param {number} [settle]
 */
export async function expectNoPrompt(watch, settle = 1000) {
  await sleep(settle);
  const urls = [...watch.opened].map((t) => t.url());
  assert.equal(watch.count, 0, `expected no Latchkey prompt, but one opened: ${urls.join(', ')}`);
}

/**
 * A positive control for the "no prompt" checks: on `page`, a create opens Latchkey's prompt
 * (whatever the vault holds), and its Cancel gives the page NotAllowedError. Without Latchkey
 * (or with it not serving this page) no Latchkey prompt opens and this fails.
 * @param {{ browser: Browser, extensionId: string }} ctx @param {Page} page
 */
export async function expectLatchkeyServes(ctx, page) {
  const pending = startInPage(page, () =>
    navigator.credentials
      .create({
        publicKey: {
          challenge: crypto.getRandomValues(new Uint8Array(32)),
          rp: { name: 'Control' },
          user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'control', displayName: 'Control' },
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          timeout: 60_000,
        },
      })
      .then(
        () => 'resolved',
        (/** @type {any} */ e) => e?.name,
      ),
  );
  const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
  await passVaultGate(prompt, { ready: 'prompt-cancel' });
  await clickTestId(prompt, 'prompt-cancel');
  assert.equal(await withTimeout(pending, 15_000, 'the control create after Cancel'), 'NotAllowedError', "Latchkey's Cancel rejects the control create");
}

/**
 * Waits until no Latchkey prompt window is open (they close after their ceremony).
 * @param {Browser} browser @param {string} extensionId @param {number} [timeout]
 */
export async function waitForNoPromptWindow(browser, extensionId, timeout = 5000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const open = browser.targets().filter((t) => isPromptTarget(t, extensionId));
    if (open.length === 0) return;
    if (Date.now() > deadline) throw new Error(`Prompt window(s) still open after ${timeout} ms: ${open.map((t) => t.url()).join(', ')}`);
    await sleep(100);
  }
}

/**
 * Controls under input protection (UI-TEST-CONTRACT.md): `disabled` for about half a second
 * after they are shown, moved or resized. Clicks wait until they are enabled.
 */
const GUARDED = new Set(['prompt-approve']);

/**
 * The selector to wait for before clicking `[data-testid=id]`: for a guarded control, only
 * once it is enabled. @param {string} id
 */
export const clickable = (id) => (GUARDED.has(id) ? `${sel(id)}:not([disabled])` : sel(id));

/**
 * Waits for `[data-testid=id]` (a guarded control: enabled) and clicks it like a person
 * (trusted mouse events). A "Target closed" from the click itself is swallowed: Approve closes
 * the prompt window.
 * @param {Page} page @param {string} id @param {{ timeout?: number }} [opts]
 */
export async function clickTestId(page, id, { timeout = 10_000 } = {}) {
  const el = await page.waitForSelector(clickable(id), { visible: true, timeout });
  if (!el) throw new Error(`No element ${sel(id)}`);
  await clickHandle(el);
}

/** @param {import('puppeteer-core').ElementHandle<Element>} el */
export async function clickHandle(el) {
  try {
    await el.click();
  } catch (e) {
    if (!isTargetClosedError(e)) throw e;
  }
}

/**
 * Waits for the input `[data-testid=id]`, clears it and types `text`.
 * @param {Page} page @param {string} id @param {string} text @param {{ timeout?: number }} [opts]
 */
export async function fillTestId(page, id, text, { timeout = 10_000 } = {}) {
  const el = await page.waitForSelector(sel(id), { visible: true, timeout });
  if (!el) throw new Error(`No element ${sel(id)}`);
  await el.click({ count: 3 });
  await el.evaluate((/** @type {any} */ input) => input.select?.());
  await page.keyboard.press('Backspace');
  await el.type(text);
  const value = await el.evaluate((/** @type {any} */ input) => input.value);
  assert.equal(value, text, `${sel(id)} should hold what was typed`);
}

/**
 * Text of `[data-testid=id]`, or null when absent (does not wait).
 * @param {Page} page @param {string} id
 */
export async function textOfTestId(page, id) {
  return page.$eval(sel(id), (e) => /** @type {HTMLElement} */ (e).innerText ?? e.textContent).catch(() => null);
}

/**
 * @typedef {object} PromptState
 * @property {string|null} rp         text of prompt-rp
 * @property {{ id: string|null, text: string }[]} accounts  prompt-account elements
 * @property {string|null} error      text of prompt-error
 * @property {string|null} friendlyName value of prompt-friendly-name, if shown
 * @property {boolean} uvPin          uv-pin is shown
 */

/** What the prompt shows right now. @param {Page} prompt @returns {Promise<PromptState>} */
export async function readPrompt(prompt) {
  return prompt.evaluate(() => {
    const q = (/** @type {string} */ id) => document.querySelector(`[data-testid="${id}"]`);
    const text = (/** @type {Element|null} */ e) => (e ? (/** @type {HTMLElement} */ (e).innerText ?? e.textContent ?? '').trim() : null);
    const name = /** @type {HTMLInputElement|null} */ (q('prompt-friendly-name'));
    return {
      rp: text(q('prompt-rp')),
      accounts: [...document.querySelectorAll('[data-testid="prompt-account"]')].map((e) => ({
        id: e.getAttribute('data-credential-id'),
        text: text(e) ?? '',
      })),
      error: text(q('prompt-error')),
      friendlyName: name ? name.value : null,
      uvPin: !!q('uv-pin'),
    };
  });
}

/**
 * Gets the prompt past vault set-up or unlock (PIN), if it shows them, and waits until `ready`
 * (default prompt-approve) shows.
 * @param {Page} prompt @param {{ pin?: string, ready?: string, timeout?: number }} [opts]
 */
export async function passVaultGate(prompt, { pin = PIN, ready = 'prompt-approve', timeout = 15_000 } = {}) {
  const any = [ready, 'setup-pin', 'unlock-pin'].map(sel).join(', ');
  await prompt.waitForSelector(any, { visible: true, timeout });
  // Cancel and "other device" never need the vault (DESIGN.md: a locked vault still offers
  // the other device), so when that button is already there, leave the vault alone.
  if (ready !== 'prompt-approve' && (await prompt.$(sel(ready)))) return;
  if (await prompt.$(sel('setup-pin'))) {
    await fillTestId(prompt, 'setup-pin', pin);
    await fillTestId(prompt, 'setup-pin-confirm', pin);
    await clickTestId(prompt, 'setup-submit');
    await prompt.waitForSelector([ready, 'unlock-pin'].map(sel).join(', '), { visible: true, timeout });
  }
  if (await prompt.$(sel('unlock-pin'))) {
    await fillTestId(prompt, 'unlock-pin', pin);
    await clickTestId(prompt, 'unlock-submit');
    await prompt.waitForSelector(sel(ready), { visible: true, timeout });
  }
}

/**
 * Drives a prompt like a person: passes set-up/unlock if shown, optionally picks an account
 * and renames the passkey, types the PIN into `uv-pin` when it is shown, then clicks `action`
 * (default Approve). Returns what the prompt showed just before the click.
 * @param {Page} prompt
 * @param {{ account?: { id?: string, text?: string }, friendlyName?: string, pin?: string,
 *           action?: string, screenshot?: string }} [opts]
 * @returns {Promise<PromptState & { pinEntered: boolean }>}
 */
export async function approvePrompt(prompt, { account, friendlyName, pin = PIN, action = 'prompt-approve', screenshot } = {}) {
  await passVaultGate(prompt, { pin, ready: action });
  if (account) await clickAccount(prompt, account);
  if (friendlyName !== undefined) await fillTestId(prompt, 'prompt-friendly-name', friendlyName);
  let pinEntered = false;
  if (action === 'prompt-approve' && (await prompt.$(sel('uv-pin')))) {
    await fillTestId(prompt, 'uv-pin', pin);
    pinEntered = true;
  }
  const state = await readPrompt(prompt);
  if (screenshot) await prompt.screenshot({ path: screenshot });
  await clickTestId(prompt, action);
  return { ...state, pinEntered };
}

/**
 * Clicks the `prompt-account` whose data-credential-id is `id`, or else whose text has `text`.
 * @param {Page} prompt @param {{ id?: string, text?: string }} which
 */
export async function clickAccount(prompt, { id, text }, { timeout = 10_000 } = {}) {
  if (id) {
    const byId = await prompt
      .waitForSelector(`${sel('prompt-account')}[data-credential-id="${id}"]`, { visible: true, timeout: text ? 2000 : timeout })
      .catch(() => null);
    if (byId) return clickHandle(byId);
    if (!text) throw new Error(`No prompt-account with data-credential-id=${id}`);
  }
  if (!text) throw new Error('clickAccount needs id or text');
  await prompt.waitForSelector(sel('prompt-account'), { visible: true, timeout });
  for (const el of await prompt.$$(sel('prompt-account'))) {
    const t = await el.evaluate((e) => /** @type {HTMLElement} */ (e).innerText ?? e.textContent ?? '');
    if (t.includes(text)) return clickHandle(el);
  }
  throw new Error(`No prompt-account showing "${text}"`);
}

/**
 * Starts `fn(...args)` in the page WITHOUT awaiting it, so the test can work the prompt, and
 * returns its promise (already marked handled, so an early rejection is not "unhandled").
 * @template T @param {Page} page @param {(...args: any[]) => T | Promise<T>} fn @param {...any} args
 * @returns {Promise<Awaited<T>>}
 */
export function startInPage(page, fn, ...args) {
  const p = /** @type {Promise<Awaited<T>>} */ (page.evaluate(/** @type {any} */ (fn), ...args));
  p.catch(() => {});
  return p;
}

/** demo.register(username, opts) on the demo page, not awaited. @param {Page} page @param {string} username @param {object} [opts] */
export function startRegister(page, username, opts = {}) {
  return startInPage(page, (u, o) => /** @type {any} */ (window).demo.register(u, o), username, opts);
}

/** demo.signIn(username?, opts) on the demo page, not awaited. @param {Page} page @param {string|undefined} username @param {object} [opts] */
export function startSignIn(page, username, opts = {}) {
  return startInPage(page, (u, o) => /** @type {any} */ (window).demo.signIn(u ?? undefined, o), username ?? null, opts);
}

/**
 * @typedef {{ browser: Browser, extensionId: string, page: Page }} CeremonyCtx
 */

/**
 * Registers `username` through Latchkey: starts demo.register, works the prompt, awaits the
 * page. Returns the page's result (the server's verdict or {error}) and what the prompt showed.
 * @param {CeremonyCtx} ctx @param {string} username @param {object} [opts] server/client options
 * @param {Parameters<typeof approvePrompt>[1]} [promptOpts]
 */
export async function registerViaPrompt(ctx, username, opts = {}, promptOpts = {}) {
  const pending = startRegister(ctx.page, username, opts);
  const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
  const shown = await approvePrompt(prompt, promptOpts);
  const result = await withTimeout(pending, 20_000, `demo.register(${username}) after the prompt`);
  return { result, shown, prompt };
}

/**
 * Signs in through Latchkey (username: allowCredentials; undefined: discoverable).
 * @param {CeremonyCtx} ctx @param {string|undefined} username @param {object} [opts]
 * @param {Parameters<typeof approvePrompt>[1]} [promptOpts]
 */
export async function signInViaPrompt(ctx, username, opts = {}, promptOpts = {}) {
  const pending = startSignIn(ctx.page, username, opts);
  const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
  const shown = await approvePrompt(prompt, promptOpts);
  const result = await withTimeout(pending, 20_000, `demo.signIn(${username ?? ''}) after the prompt`);
  return { result, shown, prompt };
}

/**
 * Asserts a server verdict is verified, with its error in the message otherwise.
 * @param {any} result @param {string} [what]
 */
export function expectVerified(result, what = 'ceremony') {
  assert.ok(result && result.verified === true, `${what} should be verified by the RP, got ${JSON.stringify(result)}`);
  return result;
}

/**
 * Expects a rejection named `name`. Accepts a promise that rejects with an Error/DOMException,
 * or one that resolves to the demo page's `{error: {name, message}}` shape. Returns the error.
 * @param {Promise<any>} promise @param {string} name
 * @returns {Promise<{ name: string, message: string }>}
 */
export async function expectRejection(promise, name) {
  let value;
  try {
    value = await promise;
  } catch (e) {
    const err = /** @type {Error} */ (e);
    assert.equal(err?.name, name, `expected ${name}, got ${err?.name}: ${err?.message}`);
    return err;
  }
  assert.ok(value && value.error, `expected a rejection with ${name}, but it resolved: ${JSON.stringify(value)}`);
  assert.equal(value.error.name, name, `expected ${name}, got ${value.error.name}: ${value.error.message}`);
  return value.error;
}

/**
 * Adds a CDP virtual authenticator to one page (CHROMIUM.md). Chromium's own WebAuthn in that
 * page then uses it without any UI.
 * @param {Page} page
 * @param {{ transport?: 'usb'|'internal'|'cable'|'nfc'|'ble', protocol?: 'ctap2'|'u2f', hasResidentKey?: boolean,
 *           hasUserVerification?: boolean, isUserVerified?: boolean }} [opts]
 */
export async function addVirtualAuthenticator(page, { transport = 'internal', protocol = 'ctap2', ...rest } = {}) {
  const client = await page.createCDPSession();
  await client.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await client.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol,
      transport,
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      ...rest,
    },
  });
  /** @type {{ type: 'added'|'asserted', credentialId: string, at: number }[]} */
  const events = [];
  client.on('WebAuthn.credentialAdded', (e) => events.push({ type: 'added', credentialId: cdpIdToBase64url(e.credential.credentialId), at: Date.now() }));
  client.on('WebAuthn.credentialAsserted', (e) => events.push({ type: 'asserted', credentialId: cdpIdToBase64url(e.credential.credentialId), at: Date.now() }));
  return {
    client,
    authenticatorId,
    /** credential-added / asserted events, with base64url ids and Date.now() timestamps */
    events,
    /** base64url ids of the credentials the virtual authenticator holds */
    async credentialIds() {
      const { credentials } = await client.send('WebAuthn.getCredentials', { authenticatorId });
      return credentials.map((c) => cdpIdToBase64url(c.credentialId));
    },
    async remove() {
      await client.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId }).catch(() => {});
      await client.detach().catch(() => {});
    },
  };
}

/** CDP gives credential ids in standard base64; WebAuthn JSON uses base64url. @param {string} id */
export function cdpIdToBase64url(id) {
  return id.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Opens `path` of the RP in a new tab (or reuses ctx.page when `reuse`), waiting for load.
 * @param {Browser} browser @param {string} url
 */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

// ---------------------------------------------------------------------------------------
// In-page checks, shared by the Latchkey tests and the native baseline (harness.test.mjs),
// so every expectation here is first proven against Chromium's own WebAuthn.

/**
 * Runs in the page: lists the ways `demo.last.credential` differs from a native
 * PublicKeyCredential of the given kind. An empty array means it looks native.
 * @param {string} kind 'create' or 'get' @param {number} [expectedAlg]
 */
export async function credentialShapeProblemsInPage(kind, expectedAlg = -7) {
  const w = /** @type {any} */ (window);
  /** @type {any} */
  const cred = w.demo?.last?.credential;
  /** @type {string[]} */
  const problems = [];
  const check = (/** @type {unknown} */ ok, /** @type {string} */ what) => {
    if (!ok) problems.push(what);
  };
  if (!cred) return ['no credential in demo.last'];
  const b64url = (/** @type {ArrayBuffer} */ buf) =>
    btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  check(cred instanceof PublicKeyCredential, 'cred instanceof PublicKeyCredential');
  check(cred instanceof Credential, 'cred instanceof Credential');
  check(Object.prototype.toString.call(cred) === '[object PublicKeyCredential]', `toStringTag: ${Object.prototype.toString.call(cred)}`);
  check(cred.type === 'public-key', `type: ${cred.type}`);
  check(cred.rawId instanceof ArrayBuffer, 'rawId instanceof ArrayBuffer');
  check(cred.rawId instanceof ArrayBuffer && cred.id === b64url(cred.rawId), 'id === base64url(rawId)');
  check(Object.getOwnPropertyNames(cred).length === 0, `own properties on cred: ${Object.getOwnPropertyNames(cred).join(', ')}`);
  check(Object.getOwnPropertySymbols(cred).length === 0, 'own symbol properties on cred');
  check(Object.getOwnPropertyNames(cred.response ?? {}).length === 0, `own properties on response: ${Object.getOwnPropertyNames(cred.response ?? {}).join(', ')}`);
  check(typeof cred.toJSON === 'function', 'toJSON is a function');
  try {
    check(JSON.stringify(cred) === JSON.stringify(cred.toJSON()), 'JSON.stringify(cred) === JSON.stringify(cred.toJSON())');
  } catch (e) {
    problems.push(`JSON.stringify threw ${e}`);
  }
  const ext = cred.getClientExtensionResults?.();
  check(ext && typeof ext === 'object', 'getClientExtensionResults() returns an object');
  check(cred.authenticatorAttachment === null || typeof cred.authenticatorAttachment === 'string', 'authenticatorAttachment is a string or null');
  const r = cred.response;
  check(r instanceof AuthenticatorResponse, 'response instanceof AuthenticatorResponse');
  check(r?.clientDataJSON instanceof ArrayBuffer, 'clientDataJSON instanceof ArrayBuffer');
  try {
    const cd = JSON.parse(new TextDecoder().decode(r.clientDataJSON));
    check(cd.type === (kind === 'create' ? 'webauthn.create' : 'webauthn.get'), `clientData.type: ${cd.type}`);
    check(cd.origin === location.origin, `clientData.origin: ${cd.origin}`);
    check(cd.crossOrigin === false || cd.crossOrigin === undefined, `clientData.crossOrigin: ${cd.crossOrigin}`);
  } catch (e) {
    problems.push(`clientDataJSON does not parse: ${e}`);
  }
  const json = cred.toJSON?.() ?? {};
  check(json.id === cred.id && json.rawId === cred.id, 'toJSON().id and rawId === id');
  check(json.type === 'public-key', 'toJSON().type');
  check(typeof json.response?.clientDataJSON === 'string', 'toJSON().response.clientDataJSON is a string');
  if (kind === 'create') {
    check(r instanceof AuthenticatorAttestationResponse, 'response instanceof AuthenticatorAttestationResponse');
    check(r?.attestationObject instanceof ArrayBuffer, 'attestationObject instanceof ArrayBuffer');
    /** @type {ArrayBuffer|null} */
    let spki = null;
    try {
      spki = r.getPublicKey();
      check(spki instanceof ArrayBuffer && spki.byteLength > 0, 'getPublicKey() is a non-empty ArrayBuffer');
    } catch (e) {
      problems.push(`getPublicKey() threw ${e}`);
    }
    try {
      check(r.getPublicKeyAlgorithm() === expectedAlg, `getPublicKeyAlgorithm(): ${r.getPublicKeyAlgorithm()} (expected ${expectedAlg})`);
    } catch (e) {
      problems.push(`getPublicKeyAlgorithm() threw ${e}`);
    }
    try {
      const t = r.getTransports();
      check(Array.isArray(t) && t.every((x) => typeof x === 'string'), 'getTransports() is an array of strings');
    } catch (e) {
      problems.push(`getTransports() threw ${e}`);
    }
    try {
      const ad = r.getAuthenticatorData();
      check(ad instanceof ArrayBuffer && ad.byteLength >= 37, 'getAuthenticatorData() is an ArrayBuffer of >= 37 bytes');
    } catch (e) {
      problems.push(`getAuthenticatorData() threw ${e}`);
    }
    if (spki && expectedAlg === -7) {
      try {
        await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
      } catch (e) {
        problems.push(`getPublicKey() is not a P-256 SPKI WebCrypto imports: ${e}`);
      }
    }
    check(typeof json.response?.attestationObject === 'string', 'toJSON().response.attestationObject is a string');
    check(Array.isArray(json.response?.transports), 'toJSON().response.transports is an array');
    check(json.response?.publicKeyAlgorithm === expectedAlg, 'toJSON().response.publicKeyAlgorithm');
  } else {
    check(r instanceof AuthenticatorAssertionResponse, 'response instanceof AuthenticatorAssertionResponse');
    check(r?.authenticatorData instanceof ArrayBuffer && r.authenticatorData.byteLength >= 37, 'authenticatorData is an ArrayBuffer of >= 37 bytes');
    check(r?.signature instanceof ArrayBuffer && r.signature.byteLength > 0, 'signature is a non-empty ArrayBuffer');
    check(r?.userHandle instanceof ArrayBuffer && r.userHandle.byteLength > 0, 'userHandle is a non-empty ArrayBuffer');
    check(typeof json.response?.signature === 'string', 'toJSON().response.signature is a string');
  }
  return problems;
}

/**
 * Runs in the page: calls create/get with arguments of the wrong types. Per WebIDL each call
 * must return a promise (nothing thrown synchronously) that rejects with the page realm's
 * TypeError. Returns the cases that did not.
 */
export async function badArgumentProblemsInPage() {
  const user = { id: new Uint8Array([1, 2, 3, 4]), name: 'alice', displayName: 'Alice' };
  const params = [{ type: 'public-key', alg: -7 }];
  const challenge = new Uint8Array(32);
  /** @type {[string, () => any][]} */
  const cases = [
    ['create: publicKey is {}', () => navigator.credentials.create(/** @type {any} */ ({ publicKey: {} }))],
    ['create: challenge is a string', () => navigator.credentials.create(/** @type {any} */ ({ publicKey: { challenge: 'abc', rp: { name: 'x' }, user, pubKeyCredParams: params } }))],
    ['create: user.id missing', () => navigator.credentials.create(/** @type {any} */ ({ publicKey: { challenge, rp: { name: 'x' }, user: { name: 'a', displayName: 'a' }, pubKeyCredParams: params } }))],
    ['create: rp missing', () => navigator.credentials.create(/** @type {any} */ ({ publicKey: { challenge, user, pubKeyCredParams: params } }))],
    ['create: pubKeyCredParams is a number', () => navigator.credentials.create(/** @type {any} */ ({ publicKey: { challenge, rp: { name: 'x' }, user, pubKeyCredParams: 5 } }))],
    ['get: challenge is a number', () => navigator.credentials.get(/** @type {any} */ ({ publicKey: { challenge: 123 } }))],
    ['get: challenge missing', () => navigator.credentials.get(/** @type {any} */ ({ publicKey: { rpId: 'localhost' } }))],
    ['get: allowCredentials is a string', () => navigator.credentials.get(/** @type {any} */ ({ publicKey: { challenge, allowCredentials: 'x' } }))],
    ['get: allowCredentials[0].id missing', () => navigator.credentials.get(/** @type {any} */ ({ publicKey: { challenge, allowCredentials: [{ type: 'public-key' }] } }))],
  ];
  /** @type {string[]} */
  const problems = [];
  for (const [name, call] of cases) {
    /** @type {any} */
    let p;
    try {
      p = call();
    } catch (e) {
      problems.push(`${name}: threw synchronously (${/** @type {Error} */ (e)?.name})`);
      continue;
    }
    if (!(p instanceof Promise)) {
      problems.push(`${name}: did not return a Promise of the page's realm`);
      continue;
    }
    const outcome = await Promise.race([
      p.then(
        () => 'resolved',
        (/** @type {any} */ e) => (e instanceof TypeError ? 'TypeError' : `rejected with ${e?.name} (instanceof TypeError: ${e instanceof TypeError})`),
      ),
      new Promise((r) => setTimeout(() => r('still pending after 3 s'), 3000)),
    ]);
    if (outcome !== 'TypeError') problems.push(`${name}: ${outcome}`);
  }
  return problems;
}

/** Runs in the page: navigator.credentials.get({password: true}), raced with 5 s. */
export function passwordOnlyGetInPage() {
  return Promise.race([
    navigator.credentials
      .get(/** @type {any} */ ({ password: true }))
      .then(
        (v) => ({ value: v === null ? null : Object.prototype.toString.call(v) }),
        (e) => ({ error: e?.name }),
      ),
    new Promise((r) => setTimeout(() => r({ pending: true }), 5000)),
  ]);
}

/**
 * For a test with `extension: false`: the demo relying party over https at each of `hosts`
 * (a throwaway certificate; every host mapped to it), Chromium with the built extension on a
 * fresh profile, and `fn` with a tab to use. Every page is screenshot when `fn` fails;
 * everything is closed after.
 * @param {import('./run.mjs').Ctx} ctx @param {string[]} hosts
 * @param {Omit<NonNullable<Parameters<typeof startRelyingParty>[0]>, 'https'>} rpOptions
 * @param {(s: { browser: Browser, extensionId: string, page: Page, rp: Awaited<ReturnType<typeof startRelyingParty>> }) => Promise<void>} fn
 */
export async function withHttpsSites(ctx, hosts, rpOptions, fn) {
  const rp = await startRelyingParty({ ...rpOptions, https: selfSignedCertificate(hosts) });
  const rules = hosts.map((h) => `MAP ${h} 127.0.0.1:${rp.port}`).join(',');
  try {
    const launched = await launchWithExtension({
      extensionDir: ctx.extensionDir,
      args: [`--host-resolver-rules=${rules}`, '--ignore-certificate-errors'],
    });
    const { browser, extensionId } = launched;
    try {
      const page = (await browser.pages())[0] ?? (await browser.newPage());
      await fn({ browser, extensionId, page, rp });
    } catch (e) {
      await ctx.saveArtifacts(browser);
      throw e;
    } finally {
      await launched.close();
      removeProfile(launched.userDataDir);
    }
  } finally {
    await rp.close();
  }
}

/**
 * Adds a frame at `src` to `page`, with `allow` as its permissions policy, and returns it once
 * loaded. It is found as the frame that is new at that URL: over BiDi (Firefox) a frame has no
 * name to find it by.
 * @param {Page} page @param {string} src @param {string} allow
 * @returns {Promise<Page>} the frame, typed as a page for the demo-page helpers (both evaluate)
 */
export async function addFrame(page, src, allow) {
  const before = new Set(page.frames());
  await page.evaluate(
    (src, allow) =>
      new Promise((resolve) => {
        const frame = document.createElement('iframe');
        frame.allow = allow;
        frame.src = src;
        frame.onload = resolve;
        document.body.append(frame);
      }),
    src,
    allow,
  );
  const frame = page.frames().find((f) => !before.has(f) && f.url() === src);
  assert.ok(frame, `a frame at ${src}`);
  return /** @type {any} */ (frame);
}

/**
 * Whether `[data-testid=id]` carries `disabled` now (null when absent).
 * @param {Page} page @param {string} id @returns {Promise<boolean|null>}
 */
export function isDisabledTestId(page, id) {
  return page.evaluate((s) => {
    const el = document.querySelector(s);
    return el ? el.hasAttribute('disabled') : null;
  }, sel(id));
}

/**
 * Runs `act` (trusted input) on the prompt while `prompt-approve` is held disabled by input
 * protection: once it is enabled, the prompt's viewport is resized every 100 ms meanwhile (headless windows have
 * an emulated viewport, so the window's bounds would not reach the page), each resize
 * starting the hold again, and `disabled` is checked before and after `act`. Fails if a
 * resize does not disable approve.
 * @param {Page} prompt @param {() => Promise<void>} act
 */
export async function actWhileApproveHeld(prompt, act) {
  // Enabled first, so the hold seen next is the resize's.
  await prompt.waitForSelector(`${sel('prompt-approve')}:not([disabled])`, { timeout: 5000 });
  const viewport = prompt.viewport() ?? { width: 1100, height: 800 };
  let holding = true;
  let step = 0;
  const resize = () => prompt.setViewport({ ...viewport, width: viewport.width + (++step % 2 ? 16 : 0) });
  const resizing = (async () => {
    while (holding) {
      await resize();
      await sleep(100);
    }
  })();
  try {
    await resize();
    await prompt.waitForSelector(`${sel('prompt-approve')}[disabled]`, { timeout: 5000 });
    await act();
    assert.equal(await isDisabledTestId(prompt, 'prompt-approve'), true, 'prompt-approve is still disabled after the input');
  } finally {
    holding = false;
    await resizing.catch(() => {});
  }
}
