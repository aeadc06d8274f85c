// @ts-check
// Starting page ceremonies without awaiting them, sites over HTTPS, frames, virtual
// authenticators, and assertions on ceremony results.

import assert from 'node:assert/strict';
import { launchWithExtension, removeProfile } from '../../../scripts/chromium.mjs';
import { selfSignedCertificate } from '../../../scripts/rp/cert.mjs';
import { startRelyingParty } from '../../../scripts/rp/server.mjs';
import { clickTestId, withTimeout } from './common.mjs';
import { approvePrompt, passVaultGate, waitForPrompt } from './prompt.mjs';

/** @typedef {import('puppeteer-core').Browser} Browser */
/** @typedef {import('puppeteer-core').Page} Page */
/** @typedef {import('puppeteer-core').Target} Target */
/** @typedef {import('puppeteer-core').CDPSession} CDPSession */

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
 * Adds a CDP virtual authenticator to one page. Chromium's own WebAuthn in that
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
