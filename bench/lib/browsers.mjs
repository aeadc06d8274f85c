// @ts-check
// Launching the benchmark's browsers: all with the same flags (scripts/chromium.mjs), so the
// only difference between variants is the extension loaded.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { BASE_ARGS, findChromium, launchWithExtension, removeProfile, stopServiceWorker } from '../../scripts/chromium.mjs';
import { Unobserved } from './unobserved.mjs';

/** @typedef {import('puppeteer-core').Browser} Browser */
/** @typedef {import('puppeteer-core').Page} Page */

/**
 * Chromium with no extension, or with an extension that has no service worker (the floor).
 * @param {{ extensionDir?: string }} [opts]
 */
export async function launchPlain({ extensionDir } = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), 'latchkey-bench-'));
  const browser = await puppeteer.launch({
    executablePath: findChromium(),
    headless: true,
    pipe: true,
    userDataDir: profile,
    ...(extensionDir ? { enableExtensions: [path.resolve(extensionDir)] } : {}),
    defaultViewport: { width: 1100, height: 800 },
    args: [...BASE_ARGS],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      removeProfile(profile);
    },
  };
}

/**
 * Latchkey on a fresh profile (or `userDataDir`), with the bench harness loadable into its
 * service worker, and pages that the bench can leave unobserved while they load
 * (unobserved.mjs).
 * @param {{ extensionDir: string, harness: string, userDataDir?: string }} opts
 */
export async function launchLatchkey({ extensionDir, harness, userDataDir }) {
  const unobserved = new Unobserved();
  const launched = await launchWithExtension({ extensionDir, userDataDir, targetFilter: unobserved.filter });
  const harnessSource = readFileSync(harness, 'utf8');
  /** A browser-level CDP session, for targets puppeteer left alone. */
  const root = await launched.browser.target().createCDPSession();
  return {
    ...launched,
    unobserved,
    root,
    /** The extension's service worker target as it is now (it changes after a restart). */
    swTarget() {
      return launched.browser
        .targets()
        .find((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${launched.extensionId}/`));
    },
    /**
     * Calls `__latchkeyBench[fn](arg)` in the service worker, loading the harness first if
     * this worker has not got it (a restarted worker starts without it).
     * @param {string} fn @param {unknown} [arg]
     */
    async harness(fn, arg) {
      const target = this.swTarget() ?? (await this.wakeServiceWorker());
      const worker = await target.worker();
      if (!worker) throw new Error('no service worker to run the harness in');
      const loaded = await worker.evaluate(() => typeof (/** @type {any} */ (globalThis).__latchkeyBench) === 'object');
      if (!loaded) await worker.evaluate(harnessSource);
      return worker.evaluate((f, a) => /** @type {any} */ (globalThis).__latchkeyBench[f](a), fn, /** @type {any} */ (arg));
    },
    /**
     * The service worker's target, starting the worker when it has stopped (it stops after
     * about 30 s without events, e.g. during another browser's seeding): an extension page
     * that asks it something, the popup, starts it.
     */
    async wakeServiceWorker() {
      const isWorker = (/** @type {import('puppeteer-core').Target} */ t) =>
        t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${launched.extensionId}/`);
      const running = this.swTarget();
      if (running) return running;
      const waiting = launched.browser.waitForTarget(isWorker, { timeout: 10_000 });
      const page = await launched.browser.newPage();
      try {
        await page.goto(`chrome-extension://${launched.extensionId}/popup.html`);
        return await waiting;
      } finally {
        await page.close();
      }
    },
    /**
     * Turns the "Keep Latchkey ready" setting on or off (src/background/keep-ready.ts) and
     * waits until the offscreen document that keeps Latchkey's process is open or closed.
     * @param {boolean} on
     */
    async setKeepReady(on) {
      const worker = await (this.swTarget() ?? (await this.wakeServiceWorker())).worker();
      if (!worker) throw new Error('no service worker to change the setting in');
      await worker.evaluate(async (value) => {
        const { settings } = await chrome.storage.local.get('settings');
        await chrome.storage.local.set({ settings: { ...settings, keepReady: value } });
      }, on);
      const url = `chrome-extension://${launched.extensionId}/offscreen.html`;
      const deadline = Date.now() + 10_000;
      for (;;) {
        const { targetInfos } = await root.send('Target.getTargets');
        if (targetInfos.some((t) => t.url === url) === on) return;
        if (Date.now() > deadline) throw new Error(`the offscreen document did not ${on ? 'open' : 'close'} within 10 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /**
     * Stops the service worker until it stays stopped (scripts/chromium.mjs): a message already
     * on its way, such as the offscreen document's first one after Keep Latchkey ready reopened
     * it, would start it again, and the cold figure would then time a warm worker.
     */
    stopServiceWorker() {
      return stopServiceWorker(launched.browser, launched.extensionId, { quietMs: 100 });
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof launchLatchkey>>} LatchkeyBrowser */

/**
 * Chromium with the Chromium floor extension (bench/chromium-floor-extension/): static copies
 * of Latchkey's prompt and popup, opened as Latchkey's are. Its pages load with no debugger
 * attached, as Latchkey's prompt does in the bench (unobserved.mjs).
 * @param {{ extensionDir: string }} opts
 */
export async function launchChromiumFloor({ extensionDir }) {
  const launched = await launchWithExtension({
    extensionDir,
    targetFilter: (t) => !(t.type() === 'page' && t.url().startsWith('chrome-extension://')),
  });
  const root = await launched.browser.target().createCDPSession();
  return {
    ...launched,
    root,
    /** The floor's service worker (DevTools attached to it keeps it from stopping). */
    async worker() {
      const target = launched.browser
        .targets()
        .find((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${launched.extensionId}/`));
      const worker = await target?.worker();
      if (!worker) throw new Error('the Chromium floor extension has no running service worker');
      return worker;
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof launchChromiumFloor>>} ChromiumFloorBrowser */

/**
 * Pins an extension's toolbar button, as "Pin to toolbar" on chrome://extensions (or the pin in
 * the extensions menu) does, through the API that page calls. Unpinned, a click on the
 * extension in the extensions menu (and chrome.action.openPopup()) first slides its button out
 * into the toolbar, and Chromium starts the popup's page only once that is done (about 230 ms
 * here); pinned, the page starts at once.
 * @param {Browser} browser @param {string} extensionId @param {boolean} [pin] false unpins
 */
export async function pinToToolbar(browser, extensionId, pin = true) {
  const page = await browser.newPage();
  try {
    await page.goto(`chrome://extensions/?id=${extensionId}`, { waitUntil: 'load' });
    const done = await page.evaluate(async (id, on) => {
      const dev = /** @type {any} */ (globalThis).chrome.developerPrivate;
      await new Promise((resolve) => dev.updateExtensionConfiguration({ extensionId: id, pinnedToToolbar: on }, resolve));
      const info = await new Promise((resolve) => dev.getExtensionInfo(id, resolve));
      return /** @type {any} */ (info)?.pinnedToToolbar === on;
    }, extensionId, pin);
    if (!done) throw new Error(`chrome://extensions did not ${pin ? 'pin' : 'unpin'} the extension`);
  } finally {
    await page.close();
  }
}
