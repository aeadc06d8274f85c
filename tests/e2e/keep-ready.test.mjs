// @ts-check
// "Keep Latchkey ready" (src/background/keep-ready.ts): the offscreen document that keeps
// Latchkey's process while the service worker sleeps, the setting that turns it off and on, and
// the toolbar icon that follows the browser's colour scheme through it.

import assert from 'node:assert/strict';
import { stopServiceWorker } from '../../scripts/chromium.mjs';
import { clickTestId, passVaultGate, sel, sleep } from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */

/** @param {Ctx} ctx */
const offscreenUrl = (ctx) => `chrome-extension://${ctx.extensionId}/offscreen.html`;

/** The offscreen document's target, if open. @param {Ctx} ctx */
const offscreenTarget = (ctx) => ctx.browser.targets().find((t) => t.url() === offscreenUrl(ctx));

/** @param {Ctx} ctx @param {boolean} open @param {string} why */
async function waitForOffscreen(ctx, open, why) {
  const deadline = Date.now() + 10_000;
  while (Boolean(offscreenTarget(ctx)) !== open) {
    if (Date.now() > deadline) throw new Error(`The offscreen document is ${open ? 'not open' : 'still open'} ${why}`);
    await sleep(50);
  }
}

/** Whether `t` is the extension's service worker. @param {Ctx} ctx */
const isWorker = (ctx) => (/** @type {import('puppeteer-core').Target} */ t) =>
  t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${ctx.extensionId}/`);

/** The extension's service worker target, waiting for one to run. @param {Ctx} ctx */
async function workerTarget(ctx) {
  return ctx.browser.waitForTarget(isWorker(ctx), { timeout: 10_000 });
}

/** The settings view of a popup opened as a tab. @param {Ctx} ctx */
async function openSettings(ctx) {
  const popup = await ctx.browser.newPage();
  await popup.goto(`chrome-extension://${ctx.extensionId}/popup.html`, { waitUntil: 'load' });
  await passVaultGate(popup, { pin: ctx.pin, ready: 'passkey-search' });
  await clickTestId(popup, 'open-settings');
  await popup.waitForSelector(`${sel('settings-keep-ready')}:not([disabled])`);
  return popup;
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: 'keeping Latchkey ready: the offscreen document outlives the sleeping worker, the setting closes and reopens it, and it opens with the browser',
    async fn(ctx) {
      await waitForOffscreen(ctx, true, 'after the browser started');
      await stopServiceWorker(ctx.browser, ctx.extensionId);
      await sleep(500);
      assert.ok(offscreenTarget(ctx), 'the document (and with it the process) is still there while the worker is stopped');

      // The popup wakes the worker; the setting is on by default.
      const popup = await openSettings(ctx);
      assert.equal(await popup.$eval(sel('settings-keep-ready'), (e) => /** @type {HTMLInputElement} */ (e).checked), true, 'on by default');

      await clickTestId(popup, 'settings-keep-ready');
      await popup.waitForFunction(() => /no longer stays ready/.test(document.querySelector('[data-testid="settings-status"]')?.textContent ?? ''));
      await waitForOffscreen(ctx, false, 'after the setting was turned off');
      const worker = await (await workerTarget(ctx)).worker();
      assert.equal((await worker?.evaluate(() => chrome.storage.local.get('settings')))?.settings?.keepReady, false);

      // A new worker reads the setting and leaves the document closed.
      await popup.close();
      await stopServiceWorker(ctx.browser, ctx.extensionId);
      const again = await openSettings(ctx);
      await sleep(500);
      assert.equal(offscreenTarget(ctx), undefined, 'a new worker does not open the document while the setting is off');
      assert.equal(await again.$eval(sel('settings-keep-ready'), (e) => /** @type {HTMLInputElement} */ (e).checked), false);

      await clickTestId(again, 'settings-keep-ready');
      await again.waitForFunction(() => /stays ready while the browser runs/.test(document.querySelector('[data-testid="settings-status"]')?.textContent ?? ''));
      await waitForOffscreen(ctx, true, 'after the setting was turned on again');

      // After a restart the document is open again. (Puppeteer loads the unpacked extension at
      // each launch, which starts the worker by itself, so this does not single out onStartup.)
      await ctx.relaunch();
      await waitForOffscreen(ctx, true, 'after the browser restarted');
    },
  },
  {
    name: "the toolbar icon follows the browser's colour scheme, and a restart with the setting off sets the last one again",
    async fn(ctx) {
      await waitForOffscreen(ctx, true, 'after the browser started');
      const worker = await (await workerTarget(ctx)).worker();
      assert.ok(worker);
      // Records each setIcon call and whether the browser took it (a wrong path rejects).
      await worker.evaluate(() => {
        const action = /** @type {any} */ (globalThis).browser?.action ?? chrome.action;
        const setIcon = action.setIcon.bind(action);
        /** @type {any} */ (globalThis).iconCalls = [];
        action.setIcon = (/** @type {any} */ details) =>
          setIcon(details).then(
            (/** @type {unknown} */ value) => (/** @type {any} */ (globalThis).iconCalls.push({ path: details.path, ok: true }), value),
            (/** @type {Error} */ error) => {
              /** @type {any} */ (globalThis).iconCalls.push({ path: details.path, ok: false, error: String(error) });
              throw error;
            },
          );
      });
      const target = offscreenTarget(ctx);
      assert.ok(target);
      const session = await target.createCDPSession();
      /** @param {'dark' | 'light'} scheme */
      const emulate = (scheme) => session.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: scheme }] });
      /** The icon last set, once it is `ink` (or whatever it is after 5 s). @param {'light' | 'dark'} ink */
      const iconBecomes = async (ink) => {
        const deadline = Date.now() + 5000;
        for (;;) {
          const seen = await worker.evaluate(() => /** @type {any} */ (globalThis).iconCalls);
          const last = seen.at(-1);
          if (last?.path?.[16]?.includes(`glyph-${ink}-`) || Date.now() > deadline) return last;
          await sleep(50);
        }
      };

      await emulate('dark');
      assert.deepEqual(await iconBecomes('light'), { path: { 16: '/icon/glyph-light-16.png', 32: '/icon/glyph-light-32.png' }, ok: true }, 'a light key on a dark toolbar');
      await emulate('light');
      assert.deepEqual(await iconBecomes('dark'), { path: { 16: '/icon/glyph-dark-16.png', 32: '/icon/glyph-dark-32.png' }, ok: true }, 'a dark key on a light toolbar');
      await emulate('dark');
      assert.deepEqual(await iconBecomes('light'), { path: { 16: '/icon/glyph-light-16.png', 32: '/icon/glyph-light-32.png' }, ok: true }, 'and back');
      await session.detach();

      // With the setting off, no document reports the scheme after a restart, and the browser
      // has put the manifest's icon back: the new session's worker sets the remembered one.
      await worker.evaluate(async () => {
        const { settings } = await chrome.storage.local.get('settings');
        await chrome.storage.local.set({ settings: { ...settings, keepReady: false } });
      });
      await waitForOffscreen(ctx, false, 'after the setting was turned off');
      await ctx.relaunch();
      const again = await (await workerTarget(ctx)).worker();
      assert.ok(again);
      const deadline = Date.now() + 5000;
      let seen;
      do {
        seen = await again.evaluate(async () => ({
          set: (await chrome.storage.session.get('toolbarIconSet')).toolbarIconSet,
          dark: (await chrome.storage.local.get('toolbarDark')).toolbarDark,
        }));
        if (seen.set) break;
        await sleep(50);
      } while (Date.now() < deadline);
      assert.deepEqual(seen, { set: true, dark: true }, 'the icon for the dark scheme last reported is set again');
      assert.equal(offscreenTarget(ctx), undefined, 'and no document was opened for it');
    },
  },
];
