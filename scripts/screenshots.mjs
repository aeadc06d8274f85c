#!/usr/bin/env node
// @ts-check
// `npm run screenshots`: the README's pictures, taken from the built extension (it builds
// nothing itself: run `npm run build` first) against the demo relying party.
//
//   docs/images/prompt.png   Latchkey's window signing in, with two accounts to pick from
//   docs/images/popup.png    the toolbar popup listing a few passkeys
//
// --review also saves the popup dark, and at 200% zoom in both themes, into
// tests/artifacts/screenshots/ (to look at after a UI change; not published).

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isExtensionBuilt, launchWithExtension } from './chromium.mjs';
import { startRelyingParty } from './rp/server.mjs';
import { approvePrompt, clickable, fillTestId, passVaultGate, PIN, popupAt200, readPrompt, sel, startRegister, startSignIn, waitForPrompt, withTimeout } from '../tests/e2e/helpers.mjs';
import { seedPasskeys } from '../tests/e2e/seed.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extensionDir = path.resolve(root, process.env.EXTENSION_DIR ?? path.join(process.env.LATCHKEY_OUT_DIR ?? '.output', 'chrome-mv3'));
const imagesDir = path.join(root, 'docs/images');
const reviewDir = path.join(root, 'tests/artifacts/screenshots');
const review = process.argv.includes('--review');

/** The toolbar popup's size (components/popup/popup.css). */
const POPUP = { width: 380, height: 560 };
/** The prompt window's size (src/background/windows.ts PROMPT_SIZE). */
const PROMPT = { width: 420, height: 600 };

/** @param {string} file @returns {`${string}.png`} */
const png = (file) => /** @type {`${string}.png`} */ (file);

async function main() {
  if (!isExtensionBuilt(extensionDir)) {
    console.error(`No built extension at ${extensionDir}. Run: npm run build`);
    return 1;
  }
  mkdirSync(imagesDir, { recursive: true });
  const rp = await startRelyingParty({ port: 0, log: () => {} });
  const launched = await launchWithExtension({ extensionDir });
  const { browser, extensionId, serviceWorkerTarget } = launched;
  try {
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    await page.goto(rp.url, { waitUntil: 'load' });
    const ctx = { browser, extensionId, page };

    // Two accounts on the demo site, saved through the prompt as a person would.
    for (const [username, friendlyName] of [['alice', 'Work laptop'], ['bob', 'Home desktop']]) {
      const pending = startRegister(page, username);
      const prompt = await waitForPrompt(browser, extensionId, { pending, timeout: 15_000 });
      await approvePrompt(prompt, { friendlyName });
      await withTimeout(pending, 30_000, `saving ${username}`);
    }

    // Signing in with no user name: the prompt lists both accounts.
    const pending = startSignIn(ctx.page, undefined);
    const prompt = await waitForPrompt(browser, extensionId, { pending, timeout: 15_000 });
    await passVaultGate(prompt);
    await prompt.setViewport(PROMPT);
    await prompt.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    const shown = await readPrompt(prompt);
    if (shown.accounts.length !== 2) throw new Error(`the prompt lists ${shown.accounts.length} accounts, not 2`);
    // The demo site asks for user verification: the PIN, typed. Sign in is greyed until then
    // and for its first half second (the input guard): picture it ready.
    if (shown.uvPin) await fillTestId(prompt, 'uv-pin', PIN);
    await prompt.waitForFunction((selector) => {
      const button = document.querySelector(selector);
      return button && getComputedStyle(button).opacity === '1';
    }, {}, clickable('prompt-approve'));
    await prompt.evaluate(() => /** @type {HTMLElement|null} */ (document.activeElement)?.blur());
    const height = await prompt.evaluate(() => Math.ceil(document.body.scrollHeight));
    await prompt.screenshot({ path: png(path.join(imagesDir, 'prompt.png')), clip: { x: 0, y: 0, width: PROMPT.width, height: Math.min(height, PROMPT.height) }, captureBeyondViewport: false });
    await approvePrompt(prompt);
    await withTimeout(pending, 30_000, 'signing in');

    // The popup with those two and a few passkeys of other sites.
    const popup = await browser.newPage();
    await popup.setViewport(POPUP);
    await popup.goto(`chrome-extension://${extensionId}/popup.html`, { waitUntil: 'load' });
    await passVaultGate(popup, { ready: 'passkey-search' });
    await seedPasskeys(serviceWorkerTarget, 4, { sites: 2 });
    await popup.reload({ waitUntil: 'load' });
    await popup.waitForSelector(sel('passkey-row'), { visible: true });
    await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    // The search box has focus at open; its caret would blink into the picture.
    await popup.evaluate(() => /** @type {HTMLElement|null} */ (document.activeElement)?.blur());
    await popup.screenshot({ path: png(path.join(imagesDir, 'popup.png')) });
    console.log(`Saved ${path.relative(root, path.join(imagesDir, 'prompt.png'))} and ${path.relative(root, path.join(imagesDir, 'popup.png'))}`);

    if (review) {
      mkdirSync(reviewDir, { recursive: true });
      const both = async (/** @type {string} */ name) => {
        for (const scheme of /** @type {const} */ (['light', 'dark'])) {
          await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
          await popup.screenshot({ path: png(path.join(reviewDir, `review-${name}-${scheme}.png`)) });
        }
      };
      await prompt.isClosed() || (await prompt.close());
      await both('list');
      // 200%: a tab of 800 × 600 at zoom 2, as the toolbar popup gets at that zoom.
      await popupAt200(popup);
      await popup.evaluate(() => /** @type {HTMLElement|null} */ (document.activeElement)?.blur());
      await both('zoom-200');
      // Hover and keyboard focus on the first row's Delete.
      await popup.setViewport(POPUP);
      await popup.evaluate(async () => {
        const tab = await chrome.tabs.getCurrent();
        if (tab?.id !== undefined) await chrome.tabs.setZoom(tab.id, 0);
      });
      await popup.reload({ waitUntil: 'load' });
      await popup.waitForSelector(sel('passkey-row'), { visible: true });
      await popup.hover(sel('passkey-delete'));
      await both('hover-delete');
      await popup.click(sel('passkey-delete'));
      await popup.waitForSelector(sel('delete-dialog'), { visible: true }).catch(() => {});
      await both('delete-dialog');
      console.log(`Review pictures in ${path.relative(root, reviewDir)}/review-*.png`);
    }
    return 0;
  } finally {
    await launched.close();
    await rp.close();
  }
}

process.exitCode = await main().catch((e) => {
  console.error(e);
  return 1;
});
