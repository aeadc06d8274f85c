// @ts-check
// Ceremony timings through Latchkey's prompt, and the browser's own WebAuthn for comparison.
//
// Clocks: every timestamp is taken inside Chromium as performance.timeOrigin +
// performance.now() (or an event's timeStamp), in the page or in the prompt. Both are
// renderers of one browser on one machine, so their clocks agree to well under a millisecond.
//   prompt latency  page, just before get()          → prompt's first contentful paint, which
//                                                      is the paint that shows prompt-approve
//                                                      (before the request arrives the prompt
//                                                      renders an empty <main>)
//   approve enabled page, just before get()          → prompt-approve loses `disabled` (input
//                                                      protection, components/input-guard.ts:
//                                                      about half a second after it shows), read
//                                                      from the prompt's own performance mark
//   answer latency  prompt, the click on prompt-approve → page, get() resolved
// The time puppeteer itself takes to notice the prompt is kept apart (`observedMs`).
// The prompt loads with no debugger attached (unobserved.mjs); the harness attaches once it
// shows prompt-approve and reads these figures from the prompt's own entries.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './build.mjs';
import { LatePage, pageTargets, waitForNewPageTarget, waitForPageTargetsGone } from './unobserved.mjs';
import { PIN, clickable, fillTestId, passVaultGate, sel, startInPage, waitForNoPromptWindow, waitForPrompt, withTimeout, clickTestId, approvePrompt } from '../../tests/e2e/helpers.mjs';

/** @typedef {import('puppeteer-core').Page} Page */
/** @typedef {import('./browsers.mjs').LatchkeyBrowser} LatchkeyBrowser */

const nodeNow = () => performance.timeOrigin + performance.now();

/**
 * Runs in the page: get() with the given options JSON (from the RP), or a discoverable get
 * for this host. Resolves with timestamps; never rejects.
 * @param {any} json @param {{ verify: boolean }} opts
 */
export async function pageGet(json, { verify }) {
  const publicKey = json
    ? PublicKeyCredential.parseRequestOptionsFromJSON(json)
    : { challenge: crypto.getRandomValues(new Uint8Array(32)), rpId: location.hostname, userVerification: /** @type {const} */ ('preferred'), timeout: 120_000 };
  const t0 = performance.timeOrigin + performance.now();
  try {
    const cred = /** @type {PublicKeyCredential} */ (await navigator.credentials.get({ publicKey }));
    const t1 = performance.timeOrigin + performance.now();
    /** @type {boolean|null} */
    let verified = null;
    if (verify) {
      const res = await fetch('/login/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cred.toJSON()) });
      verified = (await res.json()).verified === true;
    }
    return { t0, t1, verified, error: null };
  } catch (e) {
    const err = /** @type {Error} */ (e);
    return { t0, t1: NaN, verified: null, error: `${err?.name}: ${err?.message}` };
  }
}

/** The RP's options for a discoverable get, fetched by the page. @param {Page} page */
export function loginOptions(page) {
  return page.evaluate(() =>
    fetch('/login/options', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.json()),
  );
}

/** Runs in the prompt: the first contentful paint as an epoch time, or null after 2 s. */
export function firstContentfulPaint() {
  return new Promise((resolve) => {
    const at = (/** @type {PerformanceEntry} */ e) => performance.timeOrigin + e.startTime;
    const now = performance.getEntriesByName('first-contentful-paint')[0];
    if (now) return resolve(at(now));
    new PerformanceObserver((list, observer) => {
      const fcp = list.getEntriesByName('first-contentful-paint')[0];
      if (fcp) {
        observer.disconnect();
        resolve(at(fcp));
      }
    }).observe({ type: 'paint', buffered: true });
    setTimeout(() => resolve(null), 2000);
  });
}

/**
 * One get() through Latchkey: waits for the prompt, approves as soon as it can, and returns
 * the timings. `cold` stops the service worker first. `keepReady: false` turns that setting off
 * for this get (src/background/keep-ready.ts): with no offscreen document, Chromium ends
 * Latchkey's process with the stopped worker, as it did before the setting existed; it is
 * turned on again afterwards. The prompt loads unobserved (unobserved.mjs): no debugger holds
 * its window up; `observed` lets puppeteer attach to it as it did until 2026-11-26, for the
 * comparison the bench reports.
 * @param {LatchkeyBrowser} lk @param {Page} page
 * @param {{ json?: any, verify?: boolean, cold?: boolean, keepReady?: boolean, observed?: boolean }} [opts]
 */
export async function latchkeyGet(lk, page, { json = null, verify = false, cold = false, keepReady = true, observed = false } = {}) {
  if (keepReady) return latchkeyGetOnce(lk, page, { json, verify, cold, observed });
  await lk.setKeepReady(false);
  try {
    return await latchkeyGetOnce(lk, page, { json, verify, cold, observed });
  } finally {
    await lk.setKeepReady(true);
    // The reopened document's start is not left to overlap the next get.
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * @param {LatchkeyBrowser} lk @param {Page} page
 * @param {{ json: any, verify: boolean, cold: boolean, observed: boolean }} opts
 */
async function latchkeyGetOnce(lk, page, { json, verify, cold, observed }) {
  if (cold) await lk.stopServiceWorker();
  if (observed) return observedGet(lk, page, { json, verify });
  const prefix = `chrome-extension://${lk.extensionId}/prompt.html`;
  const known = new Set((await pageTargets(lk.root, prefix)).map((t) => t.targetId));
  return lk.unobserved.during(prefix, async () => {
    const pending = startInPage(page, pageGet, json, { verify });
    const info = await waitForNewPageTarget(lk.root, prefix, known, 30_000, pending);
    const prompt = await LatePage.attach(lk.root, info);
    try {
      const shown = await prompt.poll(30_000, () =>
        ['prompt-approve', 'setup-pin', 'unlock-pin'].find((id) => document.querySelector(`[data-testid="${id}"]`)),
      );
      const gated = shown !== 'prompt-approve';
      if (shown === 'setup-pin') {
        await prompt.fill('setup-pin', PIN);
        await prompt.fill('setup-pin-confirm', PIN);
        await prompt.click('setup-submit');
        await prompt.poll(30_000, () => ['prompt-approve', 'unlock-pin'].some((id) => document.querySelector(`[data-testid="${id}"]`)));
      }
      if (await prompt.has('unlock-pin')) {
        await prompt.fill('unlock-pin', PIN);
        await prompt.click('unlock-submit');
      }
      await prompt.waitForTestId('prompt-approve');
      const observedAt = nodeNow();
      const painted = /** @type {number|null} */ (await prompt.evaluate(firstContentfulPaint));
      const nav = await prompt.evaluate(navigationTimes);
      if (await prompt.has('uv-pin')) await prompt.fill('uv-pin', PIN);
      await prompt.poll(30_000, approveEnabled);
      const enabledAt = /** @type {number} */ (await prompt.evaluate(approveEnabledAt));
      const clicked = prompt.consoleMatch(/^lkbench:click ([\d.]+)/);
      await prompt.evaluate(logClickTime);
      await prompt.click('prompt-approve');
      const r = await withTimeout(pending, 30_000, 'get() after approving');
      const tClick = await withTimeout(clicked, 3000, 'the click time from the prompt').then((m) => Number(m[1]), () => NaN);
      // Approving closes the window; the next get() should not meet it.
      await waitForPageTargetsGone(lk.root, prefix, known);
      return timings({ gated, r, painted, nav, observedAt, tClick, enabledAt });
    } finally {
      await prompt.session.detach().catch(() => {});
    }
  });
}

/**
 * The prompt window's size, read from PROMPT_SIZE in src/background/windows.ts so that the
 * Chromium floor opens the same window. @returns {{ width: number, height: number }}
 */
function promptSize() {
  const source = readFileSync(path.join(ROOT, 'src/background/windows.ts'), 'utf8');
  const m = /PROMPT_SIZE = \{ width: (\d+), height: (\d+) \}/.exec(source);
  if (!m) throw new Error('PROMPT_SIZE not found in src/background/windows.ts');
  return { width: Number(m[1]), height: Number(m[2]) };
}

/**
 * Chromium's own part of the prompt: the Chromium floor's worker calls windows.create for a
 * static page like the prompt's first view (its stylesheet, no script), in the same kind and
 * size of window, and this times that call → the page's first contentful paint, read from the
 * page's own entries as the prompt's are. Latchkey's prompt figure runs from get() instead,
 * and adds the page → worker hop (about 6 ms) before its windows.create.
 * @param {import('./browsers.mjs').ChromiumFloorBrowser} floor
 */
export async function windowFloorOnce(floor) {
  const prefix = `chrome-extension://${floor.extensionId}/prompt.html`;
  const known = new Set((await pageTargets(floor.root, prefix)).map((t) => t.targetId));
  const worker = await floor.worker();
  const { calledAt, windowId } = await worker.evaluate((size) => /** @type {any} */ (globalThis).openFloorWindow(size), promptSize());
  try {
    const info = await waitForNewPageTarget(floor.root, prefix, known, 10_000);
    const page = await LatePage.attach(floor.root, info);
    try {
      await page.waitForTestId('prompt-approve', 10_000);
      const painted = /** @type {number|null} */ (await page.evaluate(firstContentfulPaint));
      return { error: painted === null ? 'no first contentful paint within 2 s' : null, paintMs: painted === null ? NaN : painted - calledAt };
    } finally {
      await page.session.detach().catch(() => {});
    }
  } finally {
    await worker.evaluate((id) => /** @type {any} */ (globalThis).closeFloorWindow(id), windowId);
    await waitForPageTargetsGone(floor.root, prefix, known);
  }
}

/** Runs in the prompt: its Navigation Timing, as epoch times. */
function navigationTimes() {
  const n = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
  const o = performance.timeOrigin;
  return { opened: o, responseEnd: o + n.responseEnd, domContentLoaded: o + n.domContentLoadedEventEnd };
}

/** Runs in the prompt: whether prompt-approve takes clicks (input protection let it). */
function approveEnabled() {
  return !!document.querySelector('[data-testid="prompt-approve"]:not([disabled])');
}

/** Runs in the prompt: the epoch time approve was last enabled (components/prompt/useApproveGuard.ts), or NaN. */
function approveEnabledAt() {
  const mark = performance.getEntriesByName('latchkey:approve-enabled').at(-1);
  return mark ? performance.timeOrigin + mark.startTime : NaN;
}

/** Runs in the prompt: logs the epoch time of the next click. */
function logClickTime() {
  document.addEventListener('click', (e) => console.debug('lkbench:click', performance.timeOrigin + e.timeStamp), { capture: true, once: true });
}

/**
 * @param {{ gated: boolean, r: Awaited<ReturnType<typeof pageGet>>, painted: number|null, nav: ReturnType<typeof navigationTimes>, observedAt: number, tClick: number, enabledAt: number }} t
 */
function timings({ gated, r, painted, nav, observedAt, tClick, enabledAt }) {
  return {
    gated,
    error: r.error,
    verified: r.verified,
    promptMs: painted === null ? NaN : painted - r.t0,
    // get() → the prompt window's navigation starts (page, relay, service worker, windows.create)
    windowMs: nav.opened - r.t0,
    // → prompt.html and its script loaded and run (DOMContentLoaded)
    loadedMs: nav.domContentLoaded - r.t0,
    observedMs: observedAt - r.t0,
    // get() → approve enabled: the prompt painted, then input protection's wait
    enabledMs: enabledAt - r.t0,
    answerMs: r.t1 - tClick,
    totalMs: r.t1 - r.t0,
  };
}

/**
 * latchkeyGet with puppeteer attached to the prompt from its start, as the bench measured
 * until 2026-11-26. @param {LatchkeyBrowser} lk @param {Page} page @param {{ json: any, verify: boolean }} opts
 */
async function observedGet(lk, page, { json, verify }) {
  const pending = startInPage(page, pageGet, json, { verify });
  const prompt = await waitForPrompt(lk.browser, lk.extensionId, { pending, timeout: 30_000 });
  const any = ['prompt-approve', 'setup-pin', 'unlock-pin'].map(sel).join(', ');
  await prompt.waitForSelector(any, { visible: true, timeout: 30_000 });
  const gated = !!((await prompt.$(sel('setup-pin'))) || (await prompt.$(sel('unlock-pin'))));
  if (gated) await passVaultGate(prompt, { pin: PIN });
  else await prompt.waitForSelector(sel('prompt-approve'), { visible: true, timeout: 30_000 });
  const observedAt = nodeNow();
  const painted = /** @type {number|null} */ (await prompt.evaluate(firstContentfulPaint));
  const nav = await prompt.evaluate(navigationTimes);
  if (await prompt.$(sel('uv-pin'))) await fillTestId(prompt, 'uv-pin', PIN);
  await prompt.waitForSelector(clickable('prompt-approve'), { visible: true, timeout: 30_000 });
  const enabledAt = /** @type {number} */ (await prompt.evaluate(approveEnabledAt));
  /** @type {Promise<number>} */
  const clicked = new Promise((resolve) => {
    prompt.on('console', (msg) => {
      const m = /^lkbench:click ([\d.]+)/.exec(msg.text());
      if (m) resolve(Number(m[1]));
    });
  });
  await prompt.evaluate(logClickTime);
  await clickTestId(prompt, 'prompt-approve');
  const r = await withTimeout(pending, 30_000, 'get() after approving');
  const tClick = await withTimeout(clicked, 3000, 'the click time from the prompt').catch(() => NaN);
  await waitForNoPromptWindow(lk.browser, lk.extensionId, 10_000).catch(() => {});
  return timings({ gated, r, painted, nav, observedAt, tClick, enabledAt });
}

/**
 * Registers `username` through the prompt (untimed), noting whether the vault asked to be
 * set up or unlocked first.
 * @param {LatchkeyBrowser} lk @param {Page} page @param {string} username
 */
export async function registerThroughPrompt(lk, page, username) {
  const pending = startInPage(page, (u) => /** @type {any} */ (window).demo.register(u), username);
  const prompt = await waitForPrompt(lk.browser, lk.extensionId, { pending, timeout: 30_000 });
  const any = ['prompt-approve', 'setup-pin', 'unlock-pin'].map(sel).join(', ');
  await prompt.waitForSelector(any, { visible: true, timeout: 30_000 });
  const sawSetup = !!(await prompt.$(sel('setup-pin')));
  const sawUnlock = !!(await prompt.$(sel('unlock-pin')));
  await approvePrompt(prompt);
  const result = await withTimeout(pending, 30_000, `register ${username}`);
  await waitForNoPromptWindow(lk.browser, lk.extensionId, 10_000).catch(() => {});
  if (!result?.verified) throw new Error(`registering ${username} through Latchkey failed: ${JSON.stringify(result)}`);
  return { sawSetup, sawUnlock };
}

/**
 * PIN → unlocked, in the prompt of a get on a locked vault: the click on unlock-submit →
 * prompt-approve in the DOM. Returns NaN figures when the vault was not locked.
 * @param {LatchkeyBrowser} lk @param {Page} page
 */
export async function unlockOnce(lk, page) {
  const pending = startInPage(page, pageGet, null, { verify: false });
  const prompt = await waitForPrompt(lk.browser, lk.extensionId, { pending, timeout: 30_000 });
  const any = ['prompt-approve', 'unlock-pin'].map(sel).join(', ');
  await prompt.waitForSelector(any, { visible: true, timeout: 30_000 });
  let unlockMs = NaN;
  const locked = !!(await prompt.$(sel('unlock-pin')));
  if (locked) {
    await fillTestId(prompt, 'unlock-pin', PIN);
    await prompt.evaluate(() => {
      const w = /** @type {any} */ (window);
      w.__lkUnlock = { click: NaN, done: NaN };
      document.addEventListener('click', (e) => {
        if (/** @type {Element} */ (e.target)?.closest?.('[data-testid="unlock-submit"]')) w.__lkUnlock.click = e.timeStamp;
      }, true);
      const check = () => {
        if (Number.isNaN(w.__lkUnlock.done) && document.querySelector('[data-testid="prompt-approve"]')) w.__lkUnlock.done = performance.now();
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
    });
    await clickTestId(prompt, 'unlock-submit');
    await prompt.waitForSelector(sel('prompt-approve'), { visible: true, timeout: 30_000 });
    const t = await prompt.evaluate(() => /** @type {any} */ (window).__lkUnlock);
    unlockMs = t.done - t.click;
  }
  await approvePrompt(prompt);
  const r = await withTimeout(pending, 30_000, 'get() after unlocking');
  await waitForNoPromptWindow(lk.browser, lk.extensionId, 10_000).catch(() => {});
  return { locked, unlockMs, error: r.error };
}

/** One get() against the browser's own WebAuthn (a CDP virtual authenticator, no UI). @param {Page} page @param {any} json */
export async function nativeGet(page, json) {
  const r = await page.evaluate(pageGet, json, { verify: true });
  return { error: r.error, verified: r.verified, totalMs: r.t1 - r.t0 };
}
