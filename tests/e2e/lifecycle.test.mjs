// @ts-check
// Latchkey's own life beside pages already open, and beside another extension that patches
// navigator.credentials: a tab open before install or update is served by the first request
// after it (src/background/inject.ts), nothing installs twice, an orphaned relay (Latchkey
// disabled) hands every call to the browser at once (src/relay/lifecycle.ts), and another
// extension's patch, before or after Latchkey's, leaves the page with an answer one of them
// made (tests/fixtures/patcher).
//
// The extension is installed, updated (installed again from the same directory: onInstalled
// says 'update') and disabled over CDP and chrome://extensions's chrome.management.

import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { BASE_ARGS, findChromium } from '../../scripts/chromium.mjs';
import {
  LATCHKEY_AAGUID,
  addVirtualAuthenticator,
  approvePrompt,
  expectLatchkeyServes,
  expectNoPrompt,
  expectRejection,
  expectVerified,
  startInPage,
  startRegister,
  waitForPrompt,
  watchPrompts,
  withTimeout,
} from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */
/** @typedef {import('puppeteer-core').Page} Page */
/** @typedef {import('puppeteer-core').Browser} Browser */

const here = path.dirname(fileURLToPath(import.meta.url));
const PATCHER = path.resolve(here, '../fixtures/patcher');
const EXTENSION_DIR = path.resolve(here, '../..', process.env.EXTENSION_DIR ?? path.join(process.env.LATCHKEY_OUT_DIR ?? '.output', 'chrome-mv3'));

/**
 * Chromium with the given unpacked extensions, loaded in that order (none: the browser alone,
 * ready to install one over CDP).
 * @param {string[]} extensions
 */
async function launch(extensions) {
  return puppeteer.launch({
    executablePath: findChromium(),
    headless: process.env.HEADLESS !== '0',
    pipe: true,
    enableExtensions: extensions.length ? extensions : true,
    defaultViewport: { width: 1100, height: 800 },
    args: BASE_ARGS,
  });
}

/** @param {Browser} browser @param {string} url */
async function openTab(browser, url) {
  const page = await browser.newPage();
  await page.goto(url);
  return page;
}

// waitForFunction polls by interval: its default, requestAnimationFrame, stops in a tab not in front.

/** Whether `CredentialsContainer.prototype.create` is still the browser's own. @param {Page} page */
const createIsNative = (page) => page.evaluate(() => /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(CredentialsContainer.prototype.create)));

/**
 * Counts, in the page, the relays that start in it from now on (the event each dispatches,
 * src/relay/lifecycle.ts), and resolves `relayStarted(n)` once n have.
 * @param {Page} page
 */
async function countRelayStarts(page) {
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.relayStarts = 0;
    addEventListener('latchkey:relay', () => w.relayStarts++);
  });
  return (/** @type {number} */ n) => page.waitForFunction((m) => /** @type {any} */ (window).relayStarts >= m, { timeout: 15_000, polling: 50 }, n);
}

/** Disables an extension through chrome://extensions's chrome.management. @param {Browser} browser @param {string} id */
async function disableExtension(browser, id) {
  const page = await openTab(browser, 'chrome://extensions');
  try {
    await page.evaluate((x) => /** @type {any} */ (globalThis).chrome.management.setEnabled(x, false), id);
  } finally {
    await page.close();
  }
}

/**
 * The page's create through the browser's own WebAuthn (a virtual authenticator answers): the
 * relying party verifies it, and Latchkey did not make it.
 * @param {Page} page @param {string} username
 */
async function expectBrowserRegisters(page, username) {
  const result = await withTimeout(startRegister(page, username), 20_000, `demo.register(${username}) through the browser`);
  expectVerified(result, `registering ${username} with the browser`);
  assert.notEqual(result.aaguid, LATCHKEY_AAGUID, 'the browser made the credential, not Latchkey');
}

/**
 * demo.register on `page` (which has a virtual authenticator): who answered, Latchkey (its
 * prompt opened and was approved) or the browser, and the relying party's verdict.
 * @param {Browser} browser @param {string} extensionId @param {Page} page @param {string} username
 */
async function registerWithWhoeverAnswers(browser, extensionId, page, username) {
  // The browser's own WebAuthn answers only a page that has focus.
  await page.bringToFront();
  const pending = startRegister(page, username);
  const prompt = waitForPrompt(browser, extensionId, { timeout: 20_000 });
  prompt.catch(() => {});
  const first = await withTimeout(Promise.race([pending.then(() => 'settled'), prompt.then(() => 'prompt')]), 20_000, `demo.register(${username})`);
  if (first === 'prompt') await approvePrompt(await prompt);
  const result = await withTimeout(pending, 20_000, `demo.register(${username})`);
  expectVerified(result, `registering ${username}`);
  return result.aaguid === LATCHKEY_AAGUID ? 'latchkey' : 'browser';
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: 'a tab open before install is served by the first create after it; after an update the same tab gets one prompt, from the fresh relay, and the page script is not installed again',
    extension: false,
    async fn(ctx) {
      const browser = await launch([]);
      try {
        const page = await openTab(browser, ctx.rp.url);
        assert.ok(await createIsNative(page), 'before install the browser answers');
        const relayStarted = await countRelayStarts(page);
        const extensionId = await browser.installExtension(EXTENSION_DIR);
        // The worker injects the relay, then the page script, at install.
        await relayStarted(1);
        await page.waitForFunction(() => !/\[native code\]/.test(Function.prototype.toString.call(CredentialsContainer.prototype.create)), { timeout: 15_000, polling: 50 });
        await expectLatchkeyServes({ browser, extensionId }, page);

        await page.evaluate(() => {
          /** @type {any} */ (window).latchkeyCreate = CredentialsContainer.prototype.create;
        });
        // An update (the same directory installed again): the old relay is orphaned, a fresh one injected.
        assert.equal(await browser.installExtension(EXTENSION_DIR), extensionId);
        await relayStarted(2);
        assert.ok(
          await page.evaluate(() => CredentialsContainer.prototype.create === /** @type {any} */ (window).latchkeyCreate),
          'the page script already in the tab is not installed again',
        );
        const watch = watchPrompts(browser, extensionId);
        try {
          // The orphan would answer 'fallback' first (it listened first): a prompt shows it stepped down.
          await expectLatchkeyServes({ browser, extensionId }, page);
          assert.equal(watch.count, 1, 'one prompt for one create');
        } finally {
          watch.stop();
        }
      } catch (e) {
        await ctx.saveArtifacts(browser);
        throw e;
      } finally {
        await browser.close();
      }
    },
  },
  {
    name: 'Latchkey disabled: a ceremony in flight ends with NotAllowedError, and the open tab then gets the browser’s own create and statics at once (no call hangs on the orphaned relay)',
    async fn(ctx) {
      const { page } = ctx;
      const pending = startRegister(page, 'inflight');
      await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await disableExtension(ctx.browser, ctx.extensionId);
      await expectRejection(withTimeout(pending, 15_000, 'the create in flight when Latchkey was disabled'), 'NotAllowedError');

      await addVirtualAuthenticator(page);
      await expectBrowserRegisters(page, 'after-disable');
      const statics = await withTimeout(
        startInPage(page, async () => [
          await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable(),
          typeof (await PublicKeyCredential.getClientCapabilities()),
        ]),
        15_000,
        'the PublicKeyCredential statics after Latchkey was disabled',
      );
      assert.deepEqual(statics, [true, 'object'], 'the browser answers the statics (its virtual authenticator verifies the user)');
    },
  },
  {
    name: 'another extension patches navigator.credentials before Latchkey (a throwing setter) or after it (calling through, or not): the page gets an answer Latchkey or the other extension made, never an error neither made',
    extension: false,
    async fn(ctx) {
      // Chromium runs Latchkey's document_start script before the fixture's, whichever is
      // loaded first; a tab open before Latchkey is installed has the fixture's patch first.
      const browser = await launch([PATCHER]);
      try {
        /** @param {string} mode */
        const tab = async (mode) => {
          const page = await openTab(browser, `${ctx.rp.url}?patch=${mode}`);
          const seen = await page.evaluate(() => ({ patcher: document.documentElement.dataset.patcher, sawNative: document.documentElement.dataset.patcherSawNative }));
          assert.equal(seen.patcher, mode, `the fixture patched (${mode})`);
          return { page, sawNative: seen.sawNative };
        };
        const early = [];
        for (const mode of ['first-locked', 'first-navigator']) early.push({ mode, ...(await tab(mode)) });
        const extensionId = await browser.installExtension(EXTENSION_DIR);
        // Latchkey's page script is injected into both tabs (its statics are no longer native).
        for (const { page } of early) {
          await page.waitForFunction(() => !/\[native code\]/.test(Function.prototype.toString.call(PublicKeyCredential.getClientCapabilities)), { timeout: 15_000, polling: 50 });
        }
        /** @type {Record<string, string>} */
        const outcomes = {};
        for (const { mode, page, sawNative } of early) {
          assert.equal(sawNative, 'true', `${mode}: the fixture ran before Latchkey`);
          await addVirtualAuthenticator(page);
          outcomes[mode] = await registerWithWhoeverAnswers(browser, extensionId, page, mode);
          assert.ok((await page.evaluate(() => /** @type {any} */ (window).patcherCalls)).includes('create'), `${mode}: the call went through the fixture`);
        }
        {
          const { page, sawNative } = await tab('after-through');
          await page.bringToFront();
          assert.equal(sawNative, 'false', 'after-through: the fixture ran after Latchkey');
          await expectLatchkeyServes({ browser, extensionId }, page);
          assert.deepEqual(await page.evaluate(() => /** @type {any} */ (window).patcherCalls), ['create']);
        }
        {
          const { page, sawNative } = await tab('after-own');
          assert.equal(sawNative, 'false', 'after-own: the fixture ran after Latchkey');
          const watch = watchPrompts(browser, extensionId);
          try {
            assert.equal(await withTimeout(startInPage(page, () => navigator.credentials.create({ publicKey: /** @type {any} */ ({}) })), 15_000, 'after-own create'), 'patcher');
            await expectNoPrompt(watch, 200);
          } finally {
            watch.stop();
          }
        }
        // Latchkey steps aside in both: a locked prototype keeps its page script from replacing
        // create/get, and a call on a container that is not navigator.credentials is the
        // browser's (src/page/install.ts).
        assert.deepEqual(outcomes, { 'first-locked': 'browser', 'first-navigator': 'browser' });
      } catch (e) {
        await ctx.saveArtifacts(browser);
        throw e;
      } finally {
        await browser.close();
      }
    },
  },
];
