// @ts-check
// The passkey manager popup (issue 4), opened as a tab (UI-TEST-CONTRACT.md: tests open
// popup.html that way). It reports through performance marks that the popup sets:
//   latchkey:first-rows      the first rows are painted   → figure: mark time since navigation start
//   latchkey:search-painted  the list is repainted after a search keystroke
//                            → figure: mark time − the keydown event's timeStamp
// When the built extension has no popup, or the popup sets no marks, the figure says so
// instead of failing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sel } from '../../tests/e2e/helpers.mjs';
import { summarize } from './stats.mjs';

/** @param {string} extensionDir @returns {string|undefined} */
export function popupPath(extensionDir) {
  const manifest = JSON.parse(readFileSync(path.join(extensionDir, 'manifest.json'), 'utf8'));
  const p = manifest.action?.default_popup;
  return typeof p === 'string' && p ? p.replace(/^\//, '') : undefined;
}

/**
 * @param {{ lk: import('./browsers.mjs').LatchkeyBrowser, extensionDir: string, iterations: number, timeout?: number }} opts
 */
export async function popupOnce({ lk, extensionDir, iterations, timeout = 15_000 }) {
  const file = popupPath(extensionDir);
  if (!file) return { status: 'not built yet' };
  const url = `chrome-extension://${lk.extensionId}/${file}`;
  /** @type {number[]} */ const firstRows = [];
  /** @type {number[]} */ const search = [];
  /** @type {number|undefined} */ let rows;
  /** @type {string|undefined} */ let firstRowsStatus;
  /** @type {string|undefined} */ let searchStatus;
  for (let i = 0; i < iterations; i++) {
    const page = await lk.browser.newPage();
    try {
      await page.goto(url, { waitUntil: 'load' });
      const marked = await page
        .waitForFunction(() => performance.getEntriesByName('latchkey:first-rows').length > 0, { timeout })
        .then(() => true, () => false);
      if (!marked) {
        const gate = (await page.$(sel('unlock-pin'))) || (await page.$(sel('setup-pin')));
        firstRowsStatus = gate
          ? 'popup shows set-up/unlock, not the list'
          : 'not instrumented yet (no performance mark latchkey:first-rows)';
        break;
      }
      firstRows.push(await page.evaluate(() => performance.getEntriesByName('latchkey:first-rows')[0].startTime));
      rows = await page.evaluate(() => document.querySelectorAll('[data-testid="passkey-row"]').length);

      const input = await page.$(sel('passkey-search'));
      if (!input) {
        searchStatus = 'not built yet (no passkey-search)';
        continue;
      }
      await page.evaluate(() => {
        const w = /** @type {any} */ (window);
        w.__lkKeys = [];
        addEventListener('keydown', (e) => w.__lkKeys.push(e.timeStamp), true);
      });
      await input.focus();
      for (const key of /** @type {const} */ (['9', 'Backspace'])) {
        await page.keyboard.press(key);
        const ok = await page
          .waitForFunction(
            () => {
              const w = /** @type {any} */ (window);
              const kd = w.__lkKeys[w.__lkKeys.length - 1];
              return kd !== undefined && performance.getEntriesByName('latchkey:search-painted').some((m) => m.startTime >= kd);
            },
            { timeout },
          )
          .then(() => true, () => false);
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
      }
    } finally {
      await page.close();
    }
  }
  return {
    status: firstRowsStatus ?? 'measured',
    firstRows: summarize(firstRows),
    search: searchStatus ? { status: searchStatus } : summarize(search),
    rowsInDom: rows,
  };
}
