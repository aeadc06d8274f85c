// @ts-check
// Helpers shared by the end-to-end tests: the fixed PIN and AAGUIDs, testid selectors, clicks
// and text, timeouts.

import assert from 'node:assert/strict';

/** The PIN every test uses when the vault asks for one (docs/development.md#testids). */
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
 * Approve closes the prompt window.
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
 * Controls under input protection (docs/development.md#testids): `disabled` for about half a second
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
 * The popup page (popup.html in a tab) at 800 × 600 and 200% zoom, as the toolbar popup is at
 * that zoom, reloaded and showing its rows: Ctrl+Plus in the popup zooms Latchkey's origin, as
 * tabs.setZoom does.
 * @param {import('puppeteer-core').Page} popup
 */
export async function popupAt200(popup) {
  await popup.setViewport({ width: 800, height: 600 });
  await popup.evaluate(async () => {
    const tab = await chrome.tabs.getCurrent();
    if (tab?.id !== undefined) await chrome.tabs.setZoom(tab.id, 2);
  });
  await popup.reload({ waitUntil: 'load' });
  await popup.waitForSelector(sel('passkey-row'), { visible: true });
}
