// @ts-check
// The popup's rows as a person sees them: every date line whole, at 100% and at 200% zoom, and
// Rename and Delete always there to click but quiet until pointed at or focused, in both
// colour schemes; Delete is solid red only in its confirm dialog.

import assert from 'node:assert/strict';
import { passVaultGate, sel } from './helpers.mjs';
import { seedPasskeys } from './seed.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */
/** @typedef {import('puppeteer-core').Page} Page */

const POPUP = { width: 380, height: 560 };
const DAY = 24 * 3600 * 1000;

/** Date lines the row cuts (text wider than its box). @param {Page} page */
const cutDateLines = (page) =>
  page.$$eval('[data-testid="passkey-row"] .pk-usage', (els) =>
    els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));

/** The computed colours of the first row's Delete, and the theme's danger colour. @param {Page} page */
const deleteLook = (page) =>
  page.$eval(sel('passkey-delete'), (button) => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--danger)';
    document.body.append(probe);
    const danger = getComputedStyle(probe).color;
    probe.remove();
    const style = getComputedStyle(button);
    const box = button.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return { danger, color: style.color, background: style.backgroundColor, border: style.borderTopColor, onTop: hit === button, shown: box.width > 0 && style.visibility === 'visible' && style.opacity === '1' };
  });

/** @param {Page} page @param {number} zoom */
async function setZoom(page, zoom) {
  await page.evaluate(async (z) => {
    const tab = await chrome.tabs.getCurrent();
    if (tab?.id !== undefined) await chrome.tabs.setZoom(tab.id, z);
  }, zoom);
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector(sel('passkey-row'), { visible: true });
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: 'rows: dates are never cut (100% and 200%), and Rename and Delete are quiet at rest, clear on hover and focus, in both themes',
    timeout: 90_000,
    async fn(ctx) {
      const popup = await ctx.browser.newPage();
      await popup.setViewport(POPUP);
      await popup.goto(`chrome-extension://${ctx.extensionId}/popup.html`, { waitUntil: 'load' });
      await passVaultGate(popup, { pin: ctx.pin, ready: 'passkey-search' });
      // Saved and used more than a year ago: the longest dates a row shows.
      await seedPasskeys(ctx.serviceWorkerTarget, 12, { sites: 3, now: Date.now() - 400 * DAY });
      await popup.reload({ waitUntil: 'load' });
      await popup.waitForSelector(sel('passkey-row'), { visible: true });

      assert.deepEqual(await cutDateLines(popup), [], 'no date line is cut at 100%');

      for (const scheme of /** @type {const} */ (['light', 'dark'])) {
        await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
        await popup.mouse.move(POPUP.width / 2, 5);
        await popup.evaluate(() => /** @type {HTMLElement|null} */ (document.activeElement)?.blur());
        const rest = await deleteLook(popup);
        assert.ok(rest.shown && rest.onTop, `${scheme}: Delete is shown and clickable without hover`);
        assert.equal(rest.background, 'rgba(0, 0, 0, 0)', `${scheme}: Delete has no fill at rest`);
        assert.notEqual(rest.color, rest.danger, `${scheme}: Delete is not red at rest`);
        assert.notEqual(rest.border, rest.danger, `${scheme}: Delete has no red border at rest`);
        await popup.hover(sel('passkey-delete'));
        const hovered = await deleteLook(popup);
        assert.equal(hovered.color, hovered.danger, `${scheme}: Delete turns red when pointed at`);
        assert.equal(hovered.border, hovered.danger, `${scheme}: with a red border`);
        // Keyboard focus: Tab from the row's Rename.
        await popup.mouse.move(POPUP.width / 2, 5);
        await popup.focus(sel('passkey-rename'));
        await popup.keyboard.press('Tab');
        assert.equal(await popup.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'passkey-delete');
        const focused = await deleteLook(popup);
        assert.equal(focused.color, focused.danger, `${scheme}: Delete is red when focused`);
      }
      await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);

      // The confirm dialog's Delete is the solid red one.
      await popup.click(sel('passkey-delete'));
      await popup.waitForSelector(sel('confirm-delete'), { visible: true });
      const confirm = await popup.$eval(sel('confirm-delete'), (b) => {
        const probe = document.createElement('span');
        probe.style.color = 'var(--danger)';
        document.body.append(probe);
        const danger = getComputedStyle(probe).color;
        probe.remove();
        return { danger, background: getComputedStyle(b).backgroundColor };
      });
      assert.equal(confirm.background, confirm.danger, 'the dialog confirms with a solid red button');
      await popup.click(sel('cancel-delete'));
      await popup.waitForSelector(sel('delete-dialog'), { hidden: true });

      // 200%: the toolbar popup's page then gets about 400 × 300 CSS px (as a tab of 800 × 600).
      await popup.setViewport({ width: 800, height: 600 });
      await setZoom(popup, 2);
      assert.equal(await popup.evaluate(() => devicePixelRatio), 2);
      assert.deepEqual(await cutDateLines(popup), [], 'no date line is cut at 200%');
      await setZoom(popup, 0);
    },
  },
];
