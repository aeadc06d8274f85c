// @ts-check
// The passkey manager popup (issue 4), on two surfaces:
//   toolbar  the real toolbar popup, opened by chrome.action.openPopup() from the service
//            worker, as a click on Latchkey's toolbar button opens it. This is the figure the
//            target applies to.
//   tab      popup.html opened as a tab, as the end-to-end tests open it (docs/development.md#testids).
//            A tab navigation also makes Chromium update its tab strip and omnibox (a trace
//            showed the omnibox's WebUI renderer running 18 ms of script during the popup's
//            load), which the toolbar popup never does; reported for comparison.
// Both report through performance marks that the popup sets:
//   latchkey:first-rows      the first rows are painted   → figure: mark time since navigation start
//   latchkey:list-complete   the whole list is in memory (keystrokes are measured after it)
//   latchkey:search-painted  the list is repainted after a search keystroke
//                            → figure: mark time − the keydown event's timeStamp
// Navigation start is where the popup's page begins. Before it, Chromium builds the toolbar
// popup's host: `openToNavigation` (openPopup() called in the worker → the popup's
// timeOrigin, one clock: both are renderers of one browser) reports that part apart, since
// no extension's code runs in it. `fromCall` is the two together: openPopup() → first rows, what
// a person who clicks the button waits. Where the button is matters (browsers.mjs
// pinToToolbar): not pinned, Chromium first slides it out of the extensions menu into the
// toolbar and starts the page once that is done; pinned, it starts the page at once, while it
// is still making the popup's window, and the page's own load is slower for it.
// What "painted" means (components/popup/PopupApp.tsx): the popup posts a message from the
// requestAnimationFrame callback of the frame that shows the change, and marks when it runs,
// i.e. the first task after that frame's style, layout and paint. Until 2026-11-26 it waited
// for a setTimeout(0) after the rAF callback instead, which adds a task-queue wait of its own
// (up to a frame on a busy machine) that no user sees. The keystroke figure therefore runs
// from the keydown's timeStamp (when the key was pressed, before the input event) to that
// painted frame: it includes waiting for the next frame, which a user does see.
// Cross-check: the Event Timing API (PerformanceEventTiming) measures the same span for the
// keyboard events (timeStamp → next paint) but only reports events of 16 ms or more, rounded
// to 8 ms; `eventTimingOver16` counts the keystrokes it reported, out of `keystrokes`.
// When the built extension has no popup, or the popup sets no marks, the figure says so
// instead of failing; when chrome.action.openPopup() fails, the toolbar figure says why.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sel } from '../../tests/e2e/helpers.mjs';
import { pinToToolbar } from './browsers.mjs';
import { shuffle, summarize } from './stats.mjs';
import { LatePage, pageTargets, waitForNewPageTarget, waitForPageTargetsGone } from './unobserved.mjs';

/**
 * Polls `predicate` in the page from Node every 25 ms until it holds or `timeout` passes.
 * Not puppeteer's waitForFunction: that injects puppeteer's utility script into the page
 * and runs its poller in every animation frame, which cost the popup about 20 ms of main
 * thread inside the very span being measured (seen in a trace). One small evaluate at a
 * time leaves the page's frames alone; the figure comes from the page's own mark, so the
 * polling interval does not enter it.
 * @param {import('puppeteer-core').Page} page @param {() => boolean} predicate @param {number} timeout
 */
async function pollPage(page, predicate, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await page.evaluate(predicate)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The moments of a popup's start, from its navigation start: the marks Latchkey's popup
 * (components/popup/start-marks.ts) and the floor's (painted.js) set, under `prefix`, and the
 * load event. Evaluated in the page. A moment the page has not marked is left out.
 * @param {string} prefix
 */
function startPhases(prefix) {
  /** @type {Record<string, number>} */
  const at = {};
  for (const name of ['script', 'list', 'rendered', 'shown', 'frame']) {
    const mark = performance.getEntriesByName(`${prefix}:popup-${name}`)[0];
    if (mark) at[name] = mark.startTime;
  }
  const load = /** @type {PerformanceNavigationTiming|undefined} */ (performance.getEntriesByType('navigation')[0])?.loadEventStart;
  if (load) at.load = load;
  return at;
}

/** @param {string} extensionDir @returns {string|undefined} */
export function popupPath(extensionDir) {
  const manifest = JSON.parse(readFileSync(path.join(extensionDir, 'manifest.json'), 'utf8'));
  const p = manifest.action?.default_popup;
  return typeof p === 'string' && p ? p.replace(/^\//, '') : undefined;
}

/**
 * Opens the real toolbar popup: chrome.action.openPopup() in the service worker, which needs
 * a focused browser window with a tab. Resolves with the popup's page and the epoch time of
 * the call. @param {import('./browsers.mjs').LatchkeyBrowser} lk @param {string} url @param {number} timeout
 */
async function openToolbarPopup(lk, url, timeout) {
  const tab = (await lk.browser.pages()).find((p) => p.url().startsWith('http')) ?? (await lk.browser.pages())[0] ?? (await lk.browser.newPage());
  await tab.bringToFront();
  const worker = await (await lk.wakeServiceWorker()).worker();
  if (!worker) throw new Error('no service worker to call chrome.action.openPopup() in');
  const calledAt = await worker.evaluate(async () => {
    const t = performance.timeOrigin + performance.now();
    await /** @type {any} */ (globalThis).chrome.action.openPopup();
    return t;
  });
  const popup = await lk.browser.waitForTarget((t) => t.type() === 'page' && t.url() === url, { timeout });
  const page = await popup.asPage();
  return { page, calledAt };
}

/**
 * @param {{ lk: import('./browsers.mjs').LatchkeyBrowser, extensionDir: string, iterations: number, surface?: 'toolbar' | 'tab', timeout?: number }} opts
 */
export async function popupOnce({ lk, extensionDir, iterations, surface = 'toolbar', timeout = 15_000 }) {
  const file = popupPath(extensionDir);
  if (!file) return { status: 'not built yet' };
  const url = `chrome-extension://${lk.extensionId}/${file}`;
  /** @type {number[]} */ const firstRows = [];
  /** @type {number[]} */ const openToNavigation = [];
  /** @type {number[]} */ const fromCall = [];
  /** @type {number[]} */ const search = [];
  /** @type {number|undefined} */ let rows;
  let keystrokes = 0;
  let eventTimingOver16 = 0;
  /** @type {string|undefined} */ let firstRowsStatus;
  /** @type {string|undefined} */ let searchStatus;
  for (let i = 0; i < iterations; i++) {
    /** @type {import('puppeteer-core').Page} */ let page;
    if (surface === 'tab') {
      page = await lk.browser.newPage();
      await page.goto(url, { waitUntil: 'load' });
    } else {
      try {
        const opened = await openToolbarPopup(lk, url, timeout);
        page = opened.page;
        openToNavigation.push((await page.evaluate(() => performance.timeOrigin)) - opened.calledAt);
      } catch (e) {
        firstRowsStatus = `the toolbar popup did not open: ${/** @type {Error} */ (e)?.message ?? e}`;
        break;
      }
    }
    try {
      const marked = await pollPage(page, () => performance.getEntriesByName('latchkey:first-rows').length > 0, timeout);
      if (!marked) {
        const gate = (await page.$(sel('unlock-pin'))) || (await page.$(sel('setup-pin')));
        firstRowsStatus = gate
          ? 'popup shows set-up/unlock, not the list'
          : 'not instrumented yet (no performance mark latchkey:first-rows)';
        break;
      }
      firstRows.push(await page.evaluate(() => performance.getEntriesByName('latchkey:first-rows')[0].startTime));
      if (surface === 'toolbar') fromCall.push(openToNavigation[openToNavigation.length - 1] + firstRows[firstRows.length - 1]);
      rows = await page.evaluate(() => document.querySelectorAll('[data-testid="passkey-row"]').length);

      // The popup paints its first rows from the list's start and takes the whole list after
      // that paint; a search typed before would filter only the start, so wait for the whole.
      await pollPage(page, () => performance.getEntriesByName('latchkey:list-complete').length > 0, timeout);
      const input = await page.$(sel('passkey-search'));
      if (!input) {
        searchStatus = 'not built yet (no passkey-search)';
        continue;
      }
      await page.evaluate(() => {
        const w = /** @type {any} */ (window);
        w.__lkKeys = [];
        w.__lkEvents = [];
        addEventListener('keydown', (e) => w.__lkKeys.push(e.timeStamp), true);
        new PerformanceObserver((list) => w.__lkEvents.push(...list.getEntries().map((e) => ({ name: e.name, start: e.startTime, duration: e.duration }))))
          // @ts-ignore durationThreshold is not in this lib's PerformanceObserverInit yet
          .observe({ type: 'event', durationThreshold: 16 });
      });
      await input.focus();
      for (const key of /** @type {const} */ (['9', 'Backspace'])) {
        await page.keyboard.press(key);
        const ok = await pollPage(
          page,
          () => {
            const w = /** @type {any} */ (window);
            const kd = w.__lkKeys[w.__lkKeys.length - 1];
            return kd !== undefined && performance.getEntriesByName('latchkey:search-painted').some((m) => m.startTime >= kd);
          },
          timeout,
        );
        if (!ok) {
          searchStatus = 'not instrumented yet (no performance mark latchkey:search-painted after a keystroke)';
          break;
        }
        search.push(
          await page.evaluate(() => {
            const w = /** @type {any} */ (window);
            const kd = w.__lkKeys[w.__lkKeys.length - 1];
            const m = performance.getEntriesByName('latchkey:search-painted').filter((e) => e.startTime >= kd)[0];
            return m.startTime - kd;
          }),
        );
        // Event Timing entries are queued after the paint: give them a frame to arrive.
        await new Promise((r) => setTimeout(r, 50));
        keystrokes++;
        const reported = await page.evaluate(() => {
          const w = /** @type {any} */ (window);
          const kd = w.__lkKeys[w.__lkKeys.length - 1];
          return w.__lkEvents.some((/** @type {any} */ e) => e.start >= kd - 0.5 && ['keydown', 'keypress', 'input', 'keyup'].includes(e.name));
        });
        if (reported) eventTimingOver16++;
      }
    } finally {
      await page.close();
      // openPopup() refuses while a popup is still showing.
      await waitForPageTargetsGone(lk.root, url, undefined, 2000);
    }
  }
  return {
    status: firstRowsStatus ?? 'measured',
    surface,
    firstRows: summarize(firstRows),
    ...(surface === 'toolbar' ? { openToNavigation: summarize(openToNavigation), fromCall: summarize(fromCall) } : {}),
    search: searchStatus ? { status: searchStatus } : summarize(search),
    rowsInDom: rows,
    eventTiming: { keystrokes, eventTimingOver16 },
  };
}

/**
 * One open of Latchkey's toolbar popup, left unobserved while it loads as the floor's popup
 * is (unobserved.mjs), so that the two differ only in what the pages do: openPopup() in the
 * worker, then a plain CDP session attached to the running page reads its marks. With
 * `search`, two keystrokes ('9', Backspace) are timed once the whole list is in memory.
 * @param {import('./browsers.mjs').LatchkeyBrowser} lk @param {string} url
 * @param {{ search?: boolean, timeout?: number }} [opts]
 */
export async function latchkeyPopupOpen(lk, url, { search = false, timeout = 15_000 } = {}) {
  const tab = (await lk.browser.pages()).find((p) => p.url().startsWith('http')) ?? (await lk.browser.pages())[0] ?? (await lk.browser.newPage());
  await tab.bringToFront();
  const worker = await (await lk.wakeServiceWorker()).worker();
  if (!worker) throw new Error('no service worker to call chrome.action.openPopup() in');
  return lk.unobserved.during(url, async () => {
    const known = new Set((await pageTargets(lk.root, url)).map((t) => t.targetId));
    const calledAt = await worker.evaluate(async () => {
      const t = performance.timeOrigin + performance.now();
      await /** @type {any} */ (globalThis).chrome.action.openPopup();
      return t;
    });
    const info = await waitForNewPageTarget(lk.root, url, known, timeout);
    const page = await LatePage.attach(lk.root, info);
    try {
      const at = await page
        .poll(timeout, () => {
          const mark = performance.getEntriesByName('latchkey:first-rows')[0];
          if (mark) return { mark: mark.startTime, origin: performance.timeOrigin };
          if (document.querySelector('[data-testid="unlock-pin"],[data-testid="setup-pin"]')) return { gate: true };
          return undefined;
        })
        .catch(() => ({ missing: true }));
      if ('gate' in at) return { status: 'popup shows set-up/unlock, not the list' };
      if ('missing' in at) return { status: 'not instrumented yet (no performance mark latchkey:first-rows)' };
      const rows = await page.evaluate(() => document.querySelectorAll('[data-testid="passkey-row"]').length);
      /** @type {number[]} */ const keystrokes = [];
      /** @type {string|undefined} */ let searchStatus;
      if (search) {
        await page.poll(timeout, () => performance.getEntriesByName('latchkey:list-complete').length > 0);
        const hasInput = await page.evaluate(() => {
          const input = /** @type {HTMLInputElement|null} */ (document.querySelector('[data-testid="passkey-search"]'));
          if (!input) return false;
          const w = /** @type {any} */ (window);
          w.__lkKeys = [];
          addEventListener('keydown', (e) => w.__lkKeys.push(e.timeStamp), true);
          input.focus();
          return true;
        });
        if (!hasInput) searchStatus = 'not built yet (no passkey-search)';
        else
          for (const key of [{ key: '9', code: 'Digit9', text: '9', windowsVirtualKeyCode: 57 }, { key: 'Backspace', code: 'Backspace', windowsVirtualKeyCode: 8 }]) {
            await page.session.send('Input.dispatchKeyEvent', { type: 'keyDown', ...key });
            await page.session.send('Input.dispatchKeyEvent', { type: 'keyUp', key: key.key, code: key.code, windowsVirtualKeyCode: key.windowsVirtualKeyCode });
            const took = await page
              .poll(timeout, () => {
                const w = /** @type {any} */ (window);
                const kd = w.__lkKeys[w.__lkKeys.length - 1];
                const m = kd === undefined ? undefined : performance.getEntriesByName('latchkey:search-painted').find((e) => e.startTime >= kd);
                return m ? { ms: m.startTime - kd } : undefined;
              })
              .catch(() => undefined);
            if (!took) {
              searchStatus = 'not instrumented yet (no performance mark latchkey:search-painted after a keystroke)';
              break;
            }
            keystrokes.push(took.ms);
          }
      }
      const phases = { ...(await page.evaluate(startPhases, 'latchkey')), firstRows: at.mark };
      return { status: 'measured', firstRows: at.mark, openToNavigation: at.origin - calledAt, rows, keystrokes, searchStatus, phases };
    } finally {
      // Closing the page closes the popup; openPopup() refuses while one is showing.
      await page.evaluate(() => window.close()).catch(() => {});
      await page.session.detach().catch(() => {});
      await waitForPageTargetsGone(lk.root, url, undefined, 2000);
    }
  });
}

/**
 * One open of the Chromium floor's toolbar popup (its first painted frame, from its
 * navigation start, as latchkeyPopupOpen times Latchkey's first rows).
 * @param {import('./browsers.mjs').ChromiumFloorBrowser} floor @param {number} [timeout]
 */
export async function floorPopupOpen(floor, timeout = 15_000) {
  const url = `chrome-extension://${floor.extensionId}/popup.html`;
  const tab = (await floor.browser.pages())[0] ?? (await floor.browser.newPage());
  await tab.bringToFront();
  const known = new Set((await pageTargets(floor.root, url)).map((t) => t.targetId));
  const calledAt = await (await floor.worker()).evaluate(() => /** @type {any} */ (globalThis).openFloorPopup());
  const info = await waitForNewPageTarget(floor.root, url, known, timeout);
  const page = await LatePage.attach(floor.root, info);
  try {
    const at = await page.poll(timeout, () => {
      const mark = performance.getEntriesByName('floor:first-paint')[0];
      return mark && { mark: mark.startTime, origin: performance.timeOrigin };
    });
    const phases = { ...(await page.evaluate(startPhases, 'floor')), firstPaint: at.mark };
    return { firstPaint: at.mark, openToNavigation: at.origin - calledAt, phases };
  } finally {
    await page.evaluate(() => window.close()).catch(() => {});
    await page.session.detach().catch(() => {});
    await waitForPageTargetsGone(floor.root, url, undefined, 2000);
  }
}

/**
 * Latchkey's toolbar popup and the floor's, opened in turn (in a random order each round) so
 * that a busy moment of the machine weighs on both: Latchkey's share is the median of the
 * per-round differences (first rows − the floor's first paint). Not pinned, then pinned
 * (Latchkey's and the floor's buttons both; the first open after a change of pinning takes
 * the old path and is not counted). The search keystrokes are timed in the unpinned opens.
 * @param {{ lk: import('./browsers.mjs').LatchkeyBrowser, extensionDir: string, floor: import('./browsers.mjs').ChromiumFloorBrowser, floorPinned: import('./browsers.mjs').ChromiumFloorBrowser, iterations: number, timeout?: number }} opts
 */
export async function popupAgainstFloor({ lk, extensionDir, floor, floorPinned, iterations, timeout = 15_000 }) {
  const file = popupPath(extensionDir);
  if (!file) return { status: 'not built yet' };
  const url = `chrome-extension://${lk.extensionId}/${file}`;
  /** @param {boolean} pinned */
  const series = async (pinned) => {
    await pinToToolbar(lk.browser, lk.extensionId, pinned);
    const first = await latchkeyPopupOpen(lk, url, { timeout });
    if (first.status !== 'measured') return { status: first.status };
    const fl = pinned ? floorPinned : floor;
    /** @type {Record<string, number[]>} */
    const s = { firstRows: [], floor: [], share: [], openToNavigation: [], floorOpenToNavigation: [], fromCall: [], floorFromCall: [], search: [] };
    /** The moments of each start (startPhases), Latchkey's and the floor's. @type {{ latchkey: Record<string, number[]>, floor: Record<string, number[]> }} */
    const phases = { latchkey: {}, floor: {} };
    /** @param {Record<string, number[]>} into @param {Record<string, number>} one */
    const addPhases = (into, one) => {
      for (const [name, t] of Object.entries(one)) (into[name] ??= []).push(t);
    };
    /** @type {number|undefined} */ let rows;
    /** @type {string|undefined} */ let searchStatus;
    for (let i = 0; i < iterations; i++) {
      /** @type {any} */ let l;
      /** @type {any} */ let f;
      for (const side of shuffle(['latchkey', 'floor'])) {
        if (side === 'floor') f = await floorPopupOpen(fl, timeout);
        else l = await latchkeyPopupOpen(lk, url, { search: !pinned, timeout });
      }
      if (l.status !== 'measured') return { status: l.status };
      rows = l.rows;
      searchStatus ??= l.searchStatus;
      s.search.push(...l.keystrokes);
      s.firstRows.push(l.firstRows);
      s.floor.push(f.firstPaint);
      s.share.push(l.firstRows - f.firstPaint);
      s.openToNavigation.push(l.openToNavigation);
      s.floorOpenToNavigation.push(f.openToNavigation);
      s.fromCall.push(l.openToNavigation + l.firstRows);
      s.floorFromCall.push(f.openToNavigation + f.firstPaint);
      addPhases(phases.latchkey, l.phases);
      addPhases(phases.floor, f.phases);
    }
    const out = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, summarize(v)]));
    /** @param {Record<string, number[]>} side */
    const summarizeAll = (side) => Object.fromEntries(Object.entries(side).map(([k, v]) => [k, summarize(v)]));
    out.phases = { latchkey: summarizeAll(phases.latchkey), floor: summarizeAll(phases.floor) };
    return { status: 'measured', ...out, ...(pinned ? { search: undefined } : { search: searchStatus ? { status: searchStatus } : out.search }), rowsInDom: rows };
  };
  const unpinned = await series(false);
  const pinned = await series(true);
  // The next size may use this browser again: it starts unpinned.
  await pinToToolbar(lk.browser, lk.extensionId, false);
  return { unpinned, pinned };
}

