// @ts-check
// Finding and driving Latchkey's prompt window.

import assert from 'node:assert/strict';
import { PIN, clickHandle, clickTestId, fillTestId, isDisabledTestId, sel, sleep } from './common.mjs';

/** @typedef {import('puppeteer-core').Browser} Browser */
/** @typedef {import('puppeteer-core').Page} Page */
/** @typedef {import('puppeteer-core').Target} Target */
/** @typedef {import('puppeteer-core').CDPSession} CDPSession */

/**
 * @param {Target} t @param {string} extensionId
 */
export function isPromptTarget(t, extensionId) {
  return t.type() === 'page' && t.url().startsWith(`chrome-extension://${extensionId}/prompt.html`);
}

/** Prompt targets (and the URL they had) already handed out, so each wait returns a new one. */
/** @type {WeakMap<Target, Set<string>>} */
const handedOut = new WeakMap();

/**
 * Waits for a Latchkey prompt window (a new `page` target at chrome-extension://<id>/prompt.html)
 * and returns its Page. Each call returns a prompt not returned before.
 * With `pending` (the page's ceremony promise), fails fast if the ceremony settles first.
 * @param {Browser} browser @param {string} extensionId
 * @param {{ timeout?: number, pending?: Promise<unknown> }} [opts]
 * @returns {Promise<Page>}
 */
export async function waitForPrompt(browser, extensionId, { timeout = 10_000, pending } = {}) {
  const fresh = (/** @type {Target} */ t) => isPromptTarget(t, extensionId) && !handedOut.get(t)?.has(t.url());
  const found = browser.waitForTarget(fresh, { timeout }).catch((e) => {
    throw new Error(`No Latchkey prompt window (chrome-extension://${extensionId}/prompt.html) opened within ${timeout} ms: ${e.message}`);
  });
  /** @type {Target} */
  let target;
  if (pending) {
    const settled = pending.then(
      (v) => {
        throw new Error(`The page's ceremony settled before any prompt opened: ${JSON.stringify(v)}`);
      },
      (e) => {
        throw new Error(`The page's ceremony failed before any prompt opened: ${e?.message ?? e}`);
      },
    );
    found.catch(() => {});
    target = await Promise.race([found, settled]);
  } else {
    target = await found;
  }
  const urls = handedOut.get(target) ?? new Set();
  urls.add(target.url());
  handedOut.set(target, urls);
  const page = await target.page();
  if (!page) throw new Error(`Prompt target ${target.url()} has no page`);
  return page;
}

/**
 * Records every Latchkey prompt window opened from now on.
 * @param {Browser} browser @param {string} extensionId
 */
export function watchPrompts(browser, extensionId) {
  /** @type {Set<Target>} */
  const opened = new Set();
  /** @type {Map<Target, number>} */
  const closedAt = new Map();
  const onTarget = (/** @type {Target} */ t) => {
    if (isPromptTarget(t, extensionId)) opened.add(t);
  };
  const onGone = (/** @type {Target} */ t) => {
    if (opened.has(t)) closedAt.set(t, Date.now());
  };
  browser.on('targetcreated', onTarget);
  browser.on('targetchanged', onTarget);
  browser.on('targetdestroyed', onGone);
  return {
    /** how many prompt windows opened since the watch began */
    get count() {
      return opened.size;
    },
    opened,
    closedAt,
    stop() {
      browser.off('targetcreated', onTarget);
      browser.off('targetchanged', onTarget);
      browser.off('targetdestroyed', onGone);
    },
  };
}

/**
 * Checks that no prompt window opens while `settle` ms pass.
 * @param {ReturnType<typeof watchPrompts>} watch @param {number} [settle]
 */
export async function expectNoPrompt(watch, settle = 1000) {
  await sleep(settle);
  const urls = [...watch.opened].map((t) => t.url());
  assert.equal(watch.count, 0, `expected no Latchkey prompt, but one opened: ${urls.join(', ')}`);
}

/**
 * Waits until no Latchkey prompt window is open (they close after their ceremony).
 * @param {Browser} browser @param {string} extensionId @param {number} [timeout]
 */
export async function waitForNoPromptWindow(browser, extensionId, timeout = 5000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const open = browser.targets().filter((t) => isPromptTarget(t, extensionId));
    if (open.length === 0) return;
    if (Date.now() > deadline) throw new Error(`Prompt window(s) still open after ${timeout} ms: ${open.map((t) => t.url()).join(', ')}`);
    await sleep(100);
  }
}

/**
 * @typedef {object} PromptState
 * @property {string|null} rp         text of prompt-rp
 * @property {{ id: string|null, text: string }[]} accounts  prompt-account elements
 * @property {string|null} error      text of prompt-error
 * @property {string|null} friendlyName value of prompt-friendly-name, if shown
 * @property {boolean} uvPin          uv-pin is shown
 */

/** What the prompt shows right now. @param {Page} prompt @returns {Promise<PromptState>} */
export async function readPrompt(prompt) {
  return prompt.evaluate(() => {
    const q = (/** @type {string} */ id) => document.querySelector(`[data-testid="${id}"]`);
    const text = (/** @type {Element|null} */ e) => (e ? (/** @type {HTMLElement} */ (e).innerText ?? e.textContent ?? '').trim() : null);
    const name = /** @type {HTMLInputElement|null} */ (q('prompt-friendly-name'));
    return {
      rp: text(q('prompt-rp')),
      accounts: [...document.querySelectorAll('[data-testid="prompt-account"]')].map((e) => ({
        id: e.getAttribute('data-credential-id'),
        text: text(e) ?? '',
      })),
      error: text(q('prompt-error')),
      friendlyName: name ? name.value : null,
      uvPin: !!q('uv-pin'),
    };
  });
}

/**
 * Gets the prompt past vault set-up or unlock (PIN), if it shows them, and waits until `ready`
 * (default prompt-approve) shows.
 * @param {Page} prompt @param {{ pin?: string, ready?: string, timeout?: number }} [opts]
 */
export async function passVaultGate(prompt, { pin = PIN, ready = 'prompt-approve', timeout = 15_000 } = {}) {
  const any = [ready, 'setup-pin', 'unlock-pin'].map(sel).join(', ');
  await prompt.waitForSelector(any, { visible: true, timeout });
  // Cancel and "other device" never need the vault (docs/architecture.md: a locked vault still offers
  // the other device), so when that button is already there, leave the vault alone.
  if (ready !== 'prompt-approve' && (await prompt.$(sel(ready)))) return;
  if (await prompt.$(sel('setup-pin'))) {
    await fillTestId(prompt, 'setup-pin', pin);
    await fillTestId(prompt, 'setup-pin-confirm', pin);
    await clickTestId(prompt, 'setup-submit');
    await prompt.waitForSelector([ready, 'unlock-pin'].map(sel).join(', '), { visible: true, timeout });
  }
  if (await prompt.$(sel('unlock-pin'))) {
    await fillTestId(prompt, 'unlock-pin', pin);
    await clickTestId(prompt, 'unlock-submit');
    await prompt.waitForSelector(sel(ready), { visible: true, timeout });
  }
}

/**
 * Drives a prompt like a person: passes set-up/unlock if shown, optionally picks an account
 * and renames the passkey, types the PIN into `uv-pin` when it is shown, then clicks `action`
 * (default Approve). Returns what the prompt showed just before the click.
 * @param {Page} prompt
 * @param {{ account?: { id?: string, text?: string }, friendlyName?: string, pin?: string,
 *           action?: string, screenshot?: string }} [opts]
 * @returns {Promise<PromptState & { pinEntered: boolean }>}
 */
export async function approvePrompt(prompt, { account, friendlyName, pin = PIN, action = 'prompt-approve', screenshot } = {}) {
  await passVaultGate(prompt, { pin, ready: action });
  if (account) await clickAccount(prompt, account);
  if (friendlyName !== undefined) await fillTestId(prompt, 'prompt-friendly-name', friendlyName);
  let pinEntered = false;
  if (action === 'prompt-approve' && (await prompt.$(sel('uv-pin')))) {
    await fillTestId(prompt, 'uv-pin', pin);
    pinEntered = true;
  }
  const state = await readPrompt(prompt);
  if (screenshot) await prompt.screenshot({ path: screenshot });
  await clickTestId(prompt, action);
  return { ...state, pinEntered };
}

/**
 * Clicks the `prompt-account` whose data-credential-id is `id`, or else whose text has `text`.
 * @param {Page} prompt @param {{ id?: string, text?: string }} which
 */
export async function clickAccount(prompt, { id, text }, { timeout = 10_000 } = {}) {
  if (id) {
    const byId = await prompt
      .waitForSelector(`${sel('prompt-account')}[data-credential-id="${id}"]`, { visible: true, timeout: text ? 2000 : timeout })
      .catch(() => null);
    if (byId) return clickHandle(byId);
    if (!text) throw new Error(`No prompt-account with data-credential-id=${id}`);
  }
  if (!text) throw new Error('clickAccount needs id or text');
  await prompt.waitForSelector(sel('prompt-account'), { visible: true, timeout });
  for (const el of await prompt.$$(sel('prompt-account'))) {
    const t = await el.evaluate((e) => /** @type {HTMLElement} */ (e).innerText ?? e.textContent ?? '');
    if (t.includes(text)) return clickHandle(el);
  }
  throw new Error(`No prompt-account showing "${text}"`);
}

/**
 * Runs `act` (trusted input) on the prompt while `prompt-approve` is held disabled by input
 * protection: once it is enabled, the prompt's viewport is resized every 100 ms meanwhile (headless windows have
 * an emulated viewport, so the window's bounds would not reach the page), each resize
 * starting the hold again, and `disabled` is checked before and after `act`. Fails if a
 * resize does not disable approve.
 * @param {Page} prompt @param {() => Promise<void>} act
 */
export async function actWhileApproveHeld(prompt, act) {
  // Enabled first, so the hold seen next is the resize's.
  await prompt.waitForSelector(`${sel('prompt-approve')}:not([disabled])`, { timeout: 5000 });
  const viewport = prompt.viewport() ?? { width: 1100, height: 800 };
  let holding = true;
  let step = 0;
  const resize = () => prompt.setViewport({ ...viewport, width: viewport.width + (++step % 2 ? 16 : 0) });
  const resizing = (async () => {
    while (holding) {
      await resize();
      await sleep(100);
    }
  })();
  try {
    await resize();
    await prompt.waitForSelector(`${sel('prompt-approve')}[disabled]`, { timeout: 5000 });
    await act();
    assert.equal(await isDisabledTestId(prompt, 'prompt-approve'), true, 'prompt-approve is still disabled after the input');
  } finally {
    holding = false;
    await resizing.catch(() => {});
  }
}
