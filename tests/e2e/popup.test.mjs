// @ts-check
// The passkey manager, driven through the real popup (popup.html opened as a tab, which the
// UI contract allows): the list after registrations, search, rename, delete, restore, the
// empty state, settings, and 10,000 passkeys. Screenshots of the list, details, the delete
// confirmation and the empty state, light and dark, land in tests/artifacts/screenshots/.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { stopServiceWorker } from '../../scripts/chromium.mjs';
import {
  addVirtualAuthenticator,
  clickTestId,
  expectRejection,
  expectVerified,
  fillTestId,
  PIN,
  passVaultGate,
  popupAt200,
  registerViaPrompt,
  sel,
  signInViaPrompt,
  sleep,
  startSignIn,
  watchPrompts,
  withHttpsSites,
  withTimeout,
} from './helpers.mjs';
import { seedPasskeys } from './seed.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */
/** @typedef {import('puppeteer-core').Page} Page */

/** The popup's size (components/popup/popup.css). */
const POPUP = { width: 380, height: 560 };

/** @param {Ctx} ctx */
function screenshotsDir(ctx) {
  const dir = path.join(ctx.artifactsDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Saves `popup-<name>-light.png` and `popup-<name>-dark.png`.
 * @param {Ctx} ctx @param {Page} page @param {string} name
 */
async function screenshotBoth(ctx, page, name) {
  const dir = screenshotsDir(ctx);
  for (const scheme of /** @type {const} */ (['light', 'dark'])) {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    await sleep(50);
    await page.screenshot({ path: /** @type {`${string}.png`} */ (path.join(dir, `popup-${name}-${scheme}.png`)) });
  }
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
}

/** Opens popup.html in a new tab at the popup's size, past the vault gate, once the list has loaded. @param {Ctx} ctx */
async function openPopup(ctx) {
  const page = await ctx.browser.newPage();
  await page.setViewport(POPUP);
  await page.goto(`chrome-extension://${ctx.extensionId}/popup.html`, { waitUntil: 'load' });
  await passVaultGate(page, { pin: ctx.pin, ready: 'passkey-search' });
  await page.waitForSelector(`${sel('passkey-row')}, ${sel('passkey-empty')}, ${sel('passkey-load-error')}`, { visible: true, timeout: 15_000 });
  const failed = await page.$(sel('passkey-load-error'));
  if (failed) throw new Error(`The popup could not load the passkeys: ${await failed.evaluate((e) => /** @type {HTMLElement} */ (e).innerText)}`);
  return page;
}

/**
 * The rows the popup shows, in order.
 * @param {Page} page
 * @returns {Promise<{ id: string|null, rpId: string|null, hidden: boolean, name: string, user: string, restore: boolean }[]>}
 */
async function readRows(page) {
  // A new list's rows past the view follow its first frame (VirtualList.tsx): two frames later they are in.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(undefined)))));
  return page.$$eval(sel('passkey-row'), (rows) =>
    rows
      .map((row) => ({ row, top: row.getBoundingClientRect().top }))
      .sort((a, b) => a.top - b.top)
      .map(({ row }) => ({
        id: row.getAttribute('data-credential-id'),
        rpId: row.getAttribute('data-rp-id'),
        hidden: row.getAttribute('data-hidden') === 'true',
        name: /** @type {HTMLElement|null} */ (row.querySelector('[data-testid="passkey-name"]'))?.innerText ?? '',
        user: /** @type {HTMLElement|null} */ (row.querySelector('[data-testid="passkey-user"]'))?.innerText ?? '',
        restore: !!row.querySelector('[data-testid="passkey-restore"]'),
      })),
  );
}

/** @param {Page} page @param {string} credentialId @param {string} testId */
async function clickInRow(page, credentialId, testId) {
  const el = await page.waitForSelector(`${sel('passkey-row')}[data-credential-id="${credentialId}"] ${sel(testId)}`, { visible: true });
  assert.ok(el, `${testId} in the row of ${credentialId}`);
  await el.click();
}

/** Types into the search box one key at a time, as a person does. @param {Page} page @param {string} text */
async function search(page, text) {
  const box = await page.waitForSelector(sel('passkey-search'), { visible: true });
  assert.ok(box);
  await box.click({ count: 3 });
  await page.keyboard.press('Backspace');
  if (text) await box.type(text);
}

/**
 * The catalog's stamp and the saved list's (src/vault/catalog.ts), read from the extension's
 * IndexedDB in one of its pages. @param {Page} page
 * @returns {Promise<{ stamp: string, snapshotStamp: string|undefined, count: number|undefined }>}
 */
function readCatalogSnapshot(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('latchkey');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const store = db.transaction('catalog').objectStore('catalog');
          const stamp = store.get(0);
          const snapshot = store.get(1);
          store.transaction.oncomplete = () => {
            db.close();
            resolve({ stamp: stamp.result, snapshotStamp: snapshot.result?.stamp, count: snapshot.result?.packed?.count });
          };
        };
      }),
  );
}

/** @param {Ctx} ctx @param {string} username @param {object} [opts] */
async function register(ctx, username, opts = {}) {
  await ctx.page.bringToFront();
  const { result } = await registerViaPrompt(ctx, username, opts);
  expectVerified(result, `registering ${username}`);
  return /** @type {{ credentialID: string }} */ (result);
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: 'the empty state tells a new user how passkeys get here',
    async fn(ctx) {
      const popup = await openPopup(ctx);
      const text = await popup.$eval(sel('passkey-empty'), (e) => /** @type {HTMLElement} */ (e).innerText);
      assert.match(text, /No passkeys yet/);
      assert.match(text, /offers to create a passkey/);
      assert.equal((await readRows(popup)).length, 0);
      const marks = await popup.evaluate(() => performance.getEntriesByName('latchkey:first-rows').length);
      assert.equal(marks, 1, 'the empty state counts as the first paint for the benchmark');
      await screenshotBoth(ctx, popup, 'empty');
    },
  },
  {
    name: 'the list after registrations: grouped by site, newest first, with details, and keyboard use',
    timeout: 90_000,
    async fn(ctx) {
      const alice = await register(ctx, 'alice', { displayName: 'Alice Liddell' });
      const bob = await register(ctx, 'bob');
      const popup = await openPopup(ctx);
      await seedPasskeys(ctx.serviceWorkerTarget, 7, { sites: 3 });
      await popup.reload({ waitUntil: 'load' });
      await popup.waitForSelector(sel('passkey-row'), { visible: true });
      const searchFocused = await popup
        .waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'passkey-search', { timeout: 5000 })
        .then(() => true, () => false);
      assert.ok(searchFocused, 'the search box has focus when the popup opens: typing filters at once');

      const rows = await readRows(popup);
      const mine = rows.filter((r) => r.rpId === 'localhost');
      assert.equal(rows.length, 9, 'two registrations and seven seeded passkeys');
      assert.deepEqual(mine.map((r) => r.id), [bob.credentialID, alice.credentialID], 'localhost first (used most recently), newest passkey first');
      assert.equal(rows.indexOf(/** @type {any} */ (mine[0])), 0, 'the site used last comes first');
      assert.equal(mine[0]?.user, 'bob');
      assert.equal(mine[1]?.user, 'alice');
      assert.ok(mine.every((r) => r.name.length > 0 && !r.hidden));
      const sites = await popup.$$eval(sel('passkey-site'), (els) => els.map((e) => e.getAttribute('data-rp-id')));
      assert.equal(new Set(sites).size, sites.length, 'each site heads one group');
      assert.equal(sites[0], 'localhost');
      const avatar = await popup.$eval(`${sel('passkey-site')}[data-rp-id="localhost"] .site-avatar`, (e) => e.textContent);
      assert.equal(avatar, 'L', 'a letter avatar per site');
      await screenshotBoth(ctx, popup, 'list');

      // Keyboard: ArrowDown from the search box reaches the first passkey; Enter opens its details.
      await popup.focus(sel('passkey-search'));
      await popup.keyboard.press('ArrowDown');
      const focused = await popup.evaluate(() => document.activeElement?.closest('[data-testid="passkey-row"]')?.getAttribute('data-credential-id'));
      assert.equal(focused, bob.credentialID, 'ArrowDown focuses the first passkey');
      await popup.keyboard.press('ArrowDown');
      const second = await popup.evaluate(() => document.activeElement?.closest('[data-testid="passkey-row"]')?.getAttribute('data-credential-id'));
      assert.equal(second, alice.credentialID, 'ArrowDown moves to the next passkey');
      await popup.keyboard.press('Enter');
      await popup.waitForSelector(sel('passkey-details'), { visible: true });
      const details = await popup.$eval(sel('passkey-details'), (e) => /** @type {HTMLElement} */ (e).innerText);
      assert.equal(await popup.$eval(sel('details-credential-id'), (e) => e.textContent), alice.credentialID, 'the credential id is shown whole');
      for (const expected of ['localhost', 'Latchkey Demo', 'alice', 'Alice Liddell', 'ES256', 'Discoverable', 'Not backed up', 'Created', 'Last used', 'Never']) {
        assert.ok(details.includes(expected), `details mention ${expected}:\n${details}`);
      }
      await screenshotBoth(ctx, popup, 'details');
      await popup.keyboard.press('Escape');
      await popup.waitForSelector(sel('passkey-details'), { hidden: true });
      const back = await popup.evaluate(() => document.activeElement?.closest('[data-testid="passkey-row"]')?.getAttribute('data-credential-id'));
      assert.equal(back, alice.credentialID, 'Escape returns to the list, focus on the same passkey');
    },
  },
  {
    name: 'a sign-in puts its passkey first, with when it was used, at the next open',
    timeout: 90_000,
    async fn(ctx) {
      const alice = await register(ctx, 'alice');
      const bob = await register(ctx, 'bob');
      const popup = await openPopup(ctx);
      // Other sites, all used more than a year ago: localhost stays the first site.
      await seedPasskeys(ctx.serviceWorkerTarget, 6, { sites: 3, now: Date.now() - 400 * 24 * 3600 * 1000 });
      await popup.reload({ waitUntil: 'load' });
      await popup.waitForSelector(sel('passkey-row'), { visible: true });
      const usage = (/** @type {string} */ id) => popup.$eval(`${sel('passkey-row')}[data-credential-id="${id}"]`, (row) => /** @type {HTMLElement} */ (row).innerText);
      assert.deepEqual((await readRows(popup)).slice(0, 2).map((r) => r.id), [bob.credentialID, alice.credentialID], 'the newer passkey first');
      assert.match(await usage(alice.credentialID), /Not yet used/);

      // The service worker holds the list now; the sign-in's write must reach it.
      await ctx.page.bringToFront();
      expectVerified((await signInViaPrompt(ctx, 'alice')).result, 'signing in as alice');
      await popup.bringToFront();
      await popup.reload({ waitUntil: 'load' });
      await popup.waitForSelector(sel('passkey-row'), { visible: true });
      const rows = await readRows(popup);
      assert.equal(rows.length, 8);
      assert.deepEqual(rows.slice(0, 2).map((r) => r.id), [alice.credentialID, bob.credentialID], 'the passkey just used comes first');
      assert.match(await usage(alice.credentialID), /Used today/);
    },
  },
  {
    name: 'search filters as you type, by site, user, display name and friendly name, in memory',
    timeout: 90_000,
    async fn(ctx) {
      const alice = await register(ctx, 'alice', { displayName: 'Alice Liddell' });
      const bob = await register(ctx, 'bob');
      const popup = await openPopup(ctx);
      await seedPasskeys(ctx.serviceWorkerTarget, 40, { sites: 8 });
      await popup.reload({ waitUntil: 'load' });
      await popup.waitForSelector(sel('passkey-row'), { visible: true });
      const initial = await readRows(popup);
      // Count messages to the service worker from here on: a keystroke must not send any.
      await popup.evaluate(() => {
        const w = /** @type {any} */ (window);
        w.__sent = 0;
        const send = chrome.runtime.sendMessage.bind(chrome.runtime);
        /** @type {any} */ (chrome.runtime).sendMessage = (/** @type {any[]} */ ...args) => {
          w.__sent++;
          return send(...args);
        };
      });

      await search(popup, 'bob');
      let rows = await readRows(popup);
      assert.deepEqual(rows.map((r) => r.id), [bob.credentialID], 'user name "bob"');

      await search(popup, 'liddell');
      rows = await readRows(popup);
      assert.deepEqual(rows.map((r) => r.id), [alice.credentialID], 'display name, any case');

      await search(popup, 'LOCALHOST');
      assert.equal((await readRows(popup)).length, 2, 'site');

      await search(popup, 'laptop');
      rows = await readRows(popup);
      assert.ok(rows.length > 0 && rows.every((r) => /laptop/i.test(r.name)), 'friendly name');

      await search(popup, 'alice localhost');
      assert.deepEqual((await readRows(popup)).map((r) => r.id), [alice.credentialID], 'every word must match');

      await search(popup, 'no-such-passkey');
      assert.equal((await readRows(popup)).length, 0);
      await popup.waitForSelector(sel('passkey-no-match'), { visible: true });
      assert.equal(await popup.$(sel('passkey-empty')), null, 'no match is not the empty state');

      await search(popup, '');
      assert.deepEqual(await readRows(popup), initial, 'clearing the search shows the whole list again');

      const { sent, painted } = await popup.evaluate(() => ({
        sent: /** @type {any} */ (window).__sent,
        painted: performance.getEntriesByName('latchkey:search-painted').length,
      }));
      assert.equal(sent, 0, 'searching never asks the service worker');
      assert.ok(painted > 10, `a latchkey:search-painted mark per keystroke (saw ${painted})`);
    },
  },
  {
    name: 'rename inline: Enter saves, Escape cancels, a bad name gets a message, and the name persists across reopen',
    timeout: 90_000,
    async fn(ctx) {
      const alice = await register(ctx, 'alice');
      let popup = await openPopup(ctx);
      const before = (await readRows(popup))[0]?.name;

      // Escape cancels.
      await clickInRow(popup, alice.credentialID, 'passkey-rename');
      await fillTestId(popup, 'passkey-rename-input', 'Not this one');
      await popup.keyboard.press('Escape');
      await popup.waitForSelector(sel('passkey-rename-input'), { hidden: true });
      assert.equal((await readRows(popup))[0]?.name, before, 'Escape keeps the old name');
      const refocused = await popup.evaluate(() => document.activeElement?.getAttribute('data-testid'));
      assert.equal(refocused, 'passkey-rename', 'focus returns to the Rename button');

      // The second rename form in this popup gets focus too (the browser honours the autofocus
      // attribute once per document), so the keyboard alone can cancel it.
      await popup.keyboard.press('Enter');
      await popup.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'passkey-rename-input', { timeout: 2000 })
        .catch(() => assert.fail('the second rename form has no focus'));
      await popup.keyboard.press('Escape');
      await popup.waitForSelector(sel('passkey-rename-input'), { hidden: true });

      // Blank and too long are refused with a visible message, and nothing is saved.
      await popup.keyboard.press('Enter');
      await fillTestId(popup, 'passkey-rename-input', '   ');
      await clickTestId(popup, 'passkey-rename-save');
      await popup.waitForSelector(sel('passkey-rename-error'), { visible: true });
      assert.match(await popup.$eval(sel('passkey-rename-error'), (e) => e.textContent ?? ''), /name/);
      await fillTestId(popup, 'passkey-rename-input', 'x'.repeat(65));
      await popup.keyboard.press('Enter');
      await popup.waitForFunction(() => /at most 64/.test(document.querySelector('[data-testid="passkey-rename-error"]')?.textContent ?? ''));
      assert.ok(await popup.$(sel('passkey-rename-input')), 'the form stays open on a bad name');

      // Enter saves (trimmed).
      await fillTestId(popup, 'passkey-rename-input', '  Work laptop  ');
      await popup.keyboard.press('Enter');
      await popup.waitForSelector(sel('passkey-rename-input'), { hidden: true });
      assert.equal((await readRows(popup))[0]?.name, 'Work laptop');

      // Reopen: it persisted.
      await sleep(200);
      await popup.close();
      popup = await openPopup(ctx);
      assert.equal((await readRows(popup))[0]?.name, 'Work laptop', 'the new name survives closing the popup');

      // ... and the sign-in prompt shows it too.
      await ctx.page.bringToFront();
      const pending = startSignIn(ctx.page, 'alice');
      const { waitForPrompt, readPrompt, approvePrompt } = await import('./helpers.mjs');
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await passVaultGate(prompt, { pin: ctx.pin });
      assert.match((await readPrompt(prompt)).accounts[0]?.text ?? '', /Work laptop/);
      await approvePrompt(prompt);
      expectVerified(await withTimeout(pending, 20_000, 'sign-in after the rename'), 'sign-in after the rename');
    },
  },
  {
    name: 'a popup on a restarted service worker lists from the saved snapshot, and not from one a rename made stale',
    timeout: 90_000,
    async fn(ctx) {
      const alice = await register(ctx, 'alice');
      await register(ctx, 'bob');
      let popup = await openPopup(ctx);
      const before = await readRows(popup);
      assert.equal(before.length, 2);
      const kept = await readCatalogSnapshot(popup);
      assert.equal(kept.snapshotStamp, kept.stamp, 'the ordered list is saved with the current stamp');
      assert.equal(kept.count, 2);
      await popup.close();

      await stopServiceWorker(ctx.browser, ctx.extensionId);
      popup = await openPopup(ctx);
      assert.deepEqual(await readRows(popup), before, 'the same rows, in the same order, from the snapshot');

      await clickInRow(popup, alice.credentialID, 'passkey-rename');
      await fillTestId(popup, 'passkey-rename-input', 'Renamed laptop');
      await popup.keyboard.press('Enter');
      await popup.waitForSelector(sel('passkey-rename-input'), { hidden: true });
      await sleep(200);
      const stale = await readCatalogSnapshot(popup);
      assert.notEqual(stale.snapshotStamp, stale.stamp, 'the rename changed the stamp, so the snapshot is stale');
      await popup.close();

      // Before the worker refreshes the snapshot (10 s after the last write), a new worker must
      // read the catalog itself rather than show the old name.
      await stopServiceWorker(ctx.browser, ctx.extensionId);
      popup = await openPopup(ctx);
      const names = (await readRows(popup)).map((r) => r.name);
      assert.ok(names.includes('Renamed laptop'), `the new name, not the snapshot's: ${names.join(', ')}`);
      const saved = await readCatalogSnapshot(popup);
      assert.equal(saved.snapshotStamp, saved.stamp, 'and the list read then is saved again');
    },
  },
  {
    name: 'delete asks first, removes the row at once, and the deleted passkey no longer signs in through Latchkey',
    timeout: 90_000,
    async fn(ctx) {
      const alice = await register(ctx, 'alice');
      const bob = await register(ctx, 'bob');
      let popup = await openPopup(ctx);

      // Cancel keeps it.
      await clickInRow(popup, alice.credentialID, 'passkey-delete');
      await popup.waitForSelector(sel('confirm-delete'), { visible: true });
      const dialog = await popup.$eval(sel('delete-dialog'), (e) => /** @type {HTMLElement} */ (e).innerText);
      assert.match(dialog, /alice on localhost will be removed from Latchkey\. You won’t be able to sign in to localhost as alice with it any more\./);
      assert.match(dialog, /localhost still lists this passkey/);
      assert.match(dialog, /security page/);
      assert.ok(await popup.$(sel('delete-find-manage')), 'offers to find the site’s passkey settings page');
      await screenshotBoth(ctx, popup, 'delete-confirmation');
      await popup.keyboard.press('Escape');
      await popup.waitForSelector(sel('confirm-delete'), { hidden: true });
      assert.equal((await readRows(popup)).length, 2, 'Escape deletes nothing');

      // Confirm removes it at once.
      await clickInRow(popup, alice.credentialID, 'passkey-delete');
      await clickTestId(popup, 'confirm-delete');
      await popup.waitForFunction((id) => !document.querySelector(`[data-testid="passkey-row"][data-credential-id="${id}"]`), { timeout: 2000 }, alice.credentialID);
      assert.deepEqual((await readRows(popup)).map((r) => r.id), [bob.credentialID]);
      await sleep(300);
      assert.equal(await popup.$(sel('passkey-error')), null, 'no error after the delete');

      await popup.close();
      popup = await openPopup(ctx);
      assert.deepEqual((await readRows(popup)).map((r) => r.id), [bob.credentialID], 'still gone after reopening');

      // Signing in as alice names the deleted credential: Latchkey no longer holds it, so it
      // opens no prompt and hands the request to the browser (which has no such credential):
      // the browser's NotAllowedError, not a sign-in left pending. (Headless Chromium with no
      // authenticator leaves its own get pending past the timeout; an empty virtual
      // authenticator makes it answer.)
      await ctx.page.bringToFront();
      await addVirtualAuthenticator(ctx.page, { transport: 'internal' });
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        const outcome = withTimeout(startSignIn(ctx.page, 'alice', { timeout: 5000 }), 20_000, 'the sign-in with the deleted passkey to settle');
        const error = await expectRejection(outcome, 'NotAllowedError');
        assert.equal(watch.count, 0, 'no Latchkey prompt for the deleted passkey');
        ctx.log('sign-in with the deleted passkey ended as', error.name, error.message);
      } finally {
        watch.stop();
      }
    },
  },
  {
    name: 'delete links the site’s passkey settings from its /.well-known/passkey-endpoints, read on request without cookies once the site is allowed',
    extension: false,
    timeout: 90_000,
    // The file is read from https://<rpId>/, so the site is rp.test over https (mapped here).
    fn: (ctx) =>
      withHttpsSites(ctx, ['rp.test'], { rpID: 'rp.test', origins: ['https://rp.test'] }, async ({ browser, extensionId, page, rp }) => {
        await page.goto('https://rp.test/', { waitUntil: 'load' });
        // A session cookie the fetch must not carry.
        await page.evaluate(() => {
          document.cookie = 'session=alice-session; Secure; SameSite=Lax; path=/';
        });
        const { result } = await registerViaPrompt({ browser, extensionId, page }, 'alice', { rpID: 'rp.test' });
        const alice = /** @type {{ credentialID: string }} */ (expectVerified(result, 'registering alice on https://rp.test'));
        const popup = await openPopup({ ...ctx, browser, extensionId, pin: PIN });

        let asked = 0;
        /** Opens the delete dialog on alice's row and asks for the site's settings page. */
        const findSettings = async () => {
          await clickInRow(popup, alice.credentialID, 'passkey-delete');
          await popup.waitForSelector(sel('confirm-delete'), { visible: true });
          assert.equal(rp.passkeyEndpointsRequests.length, asked, 'nothing is fetched before the user asks');
          await clickTestId(popup, 'delete-find-manage');
          asked += 1;
          await popup.waitForFunction(() => !/Looking for/.test(document.querySelector('.manage-lookup')?.textContent ?? ''), { timeout: 10_000 });
          return popup.$eval('.manage-lookup', (e) => /** @type {HTMLElement} */ (e).innerText);
        };

        // Chromium's own prompt for the site can't be answered by automation. The test grants
        // rp.test through chrome://extensions' own API (developerPrivate.addHostPermission,
        // behind that page's site access settings); the popup's permissions.request then
        // resolves at once, without a prompt, as it does once a person has allowed the site.
        const extensions = await browser.newPage();
        await extensions.goto(`chrome://extensions/?id=${extensionId}`, { waitUntil: 'load' });
        const granted = await extensions.evaluate(
          (id) =>
            new Promise((resolve) =>
              // @ts-ignore chrome.developerPrivate exists on chrome://extensions only
              chrome.developerPrivate.addHostPermission(id, 'https://rp.test/*', () => resolve(chrome.runtime.lastError?.message ?? 'granted')),
            ),
          extensionId,
        );
        assert.equal(granted, 'granted');
        await extensions.close();
        await popup.bringToFront();

        // A site that publishes nothing (404): the dialog says where else to look.
        const none = await findSettings();
        assert.match(none, /rp\.test doesn’t publish a passkey settings page/);
        assert.equal(rp.passkeyEndpointsRequests.length, 1);
        await popup.keyboard.press('Escape');
        await popup.waitForSelector(sel('confirm-delete'), { hidden: true });

        // Once it does, the dialog links its manage URL, and the link opens it in a new tab.
        const manage = 'https://rp.test/account/passkeys';
        rp.setPasskeyEndpoints({ enroll: 'https://rp.test/account/passkeys/new', manage });
        const found = await findSettings();
        assert.match(found, /Open rp\.test’s passkey settings/);
        assert.equal(await popup.$eval(sel('delete-manage-link'), (a) => /** @type {HTMLAnchorElement} */ (a).href), manage);
        assert.equal(rp.passkeyEndpointsRequests.length, 2);
        for (const request of rp.passkeyEndpointsRequests) {
          assert.equal(request.host, 'rp.test');
          assert.equal(request.cookie, undefined, 'read without the site’s cookies');
          assert.equal(request.referer, undefined, 'read without a referrer');
        }
        assert.equal(await page.evaluate(() => document.cookie), 'session=alice-session', 'the site did have a cookie to send');
        await screenshotBoth(ctx, popup, 'delete-settings-link');
        const opened = browser.waitForTarget((t) => t.url() === manage, { timeout: 10_000 });
        await clickTestId(popup, 'delete-manage-link');
        await (await (await opened).page())?.close();

        // The dialog still deletes.
        await popup.bringToFront();
        await clickTestId(popup, 'confirm-delete');
        await popup.waitForFunction(() => !document.querySelector('[data-testid="passkey-row"]'), { timeout: 2000 });
      }),
  },
  {
    name: 'a passkey superseded by a newer one stays usable, marked superseded with no restore; one the site hid can be restored',
    timeout: 90_000,
    async fn(ctx) {
      const first = await register(ctx, 'alice');
      const second = await register(ctx, 'alice');
      let popup = await openPopup(ctx);
      const superseded = () => popup.$$eval(sel('passkey-row'), (els) => els.map((e) => [e.getAttribute('data-credential-id'), e.getAttribute('data-superseded') === 'true']));
      let rows = await readRows(popup);
      assert.deepEqual(rows.map((r) => [r.id, r.hidden, r.restore]), [[second.credentialID, false, false], [first.credentialID, false, false]]);
      assert.deepEqual(Object.fromEntries(await superseded()), { [second.credentialID]: false, [first.credentialID]: true });
      await popup.close();

      // The site says it does not know the newer one: it is hidden, and the earlier one is current again.
      await ctx.page.bringToFront();
      const sent = await ctx.page.evaluate((id) => PublicKeyCredential.signalUnknownCredential({ rpId: 'localhost', credentialId: id }).then(() => 'ok'), second.credentialID);
      assert.equal(sent, 'ok');
      popup = await openPopup(ctx);
      rows = await readRows(popup);
      assert.deepEqual(Object.fromEntries(rows.map((r) => [r.id, [r.hidden, r.restore]])), { [second.credentialID]: [true, true], [first.credentialID]: [false, false] });
      assert.deepEqual(Object.fromEntries(await superseded()), { [second.credentialID]: false, [first.credentialID]: false });

      await clickInRow(popup, second.credentialID, 'passkey-restore');
      await popup.waitForFunction((id) => !document.querySelector(`[data-testid="passkey-row"][data-credential-id="${id}"][data-hidden="true"]`), {}, second.credentialID);
      await sleep(300);
      await popup.close();
      popup = await openPopup(ctx);
      rows = await readRows(popup);
      assert.ok(rows.every((r) => !r.hidden), 'restored for good');
      assert.deepEqual(Object.fromEntries(await superseded()), { [second.credentialID]: false, [first.credentialID]: true }, 'the earlier one superseded again');
    },
  },
  {
    name: 'settings: auto-lock minutes, never-use sites and what is offered first are stored',
    async fn(ctx) {
      let popup = await openPopup(ctx);
      await clickTestId(popup, 'open-settings');
      await popup.waitForSelector(sel('settings-view'), { visible: true });
      await popup.waitForSelector(`${sel('settings-auto-lock')}:not([disabled])`);
      assert.equal(await popup.$eval(sel('settings-auto-lock'), (e) => /** @type {HTMLInputElement} */ (e).value), '15');

      await fillTestId(popup, 'settings-auto-lock', '0');
      await popup.keyboard.press('Enter');
      await popup.waitForFunction(() => /from 1 to 1440/.test(document.getElementById('auto-lock-message')?.textContent ?? ''));
      await fillTestId(popup, 'settings-auto-lock', '5');
      await popup.keyboard.press('Enter');
      await popup.waitForFunction(() => /5 minutes/.test(document.querySelector('[data-testid="settings-status"]')?.textContent ?? ''));

      await fillTestId(popup, 'settings-never-input', 'not a site');
      await clickTestId(popup, 'settings-never-add');
      await popup.waitForFunction(() => /such as example.com/.test(document.getElementById('never-site-message')?.textContent ?? ''));
      await fillTestId(popup, 'settings-never-input', 'https://Bank.Example/login');
      await popup.keyboard.press('Enter');
      await popup.waitForSelector(sel('settings-never-site'));
      await clickTestId(popup, 'settings-offer-browser');
      await popup.waitForFunction(() => /offered first/.test(document.querySelector('[data-testid="settings-status"]')?.textContent ?? ''));
      await screenshotBoth(ctx, popup, 'settings');

      const worker = await ctx.serviceWorkerTarget.worker();
      assert.ok(worker);
      const stored = await worker.evaluate(() => chrome.storage.local.get('settings'));
      assert.deepEqual(stored.settings, { autoLockMinutes: 5, neverSites: ['bank.example'], offerFirst: 'browser', keepReady: true });

      await popup.close();
      popup = await openPopup(ctx);
      await clickTestId(popup, 'open-settings');
      await popup.waitForSelector(`${sel('settings-auto-lock')}:not([disabled])`);
      assert.equal(await popup.$eval(sel('settings-auto-lock'), (e) => /** @type {HTMLInputElement} */ (e).value), '5');
      assert.deepEqual(await popup.$$eval(sel('settings-never-site'), (els) => els.map((e) => e.querySelector('span')?.textContent)), ['bank.example']);
      assert.equal(await popup.$eval(sel('settings-offer-browser'), (e) => /** @type {HTMLInputElement} */ (e).checked), true);
      await clickTestId(popup, 'settings-never-remove');
      await popup.waitForSelector(sel('settings-never-site'), { hidden: true });
    },
  },
  {
    name: 'readable at 200% zoom: nothing cut off sideways, every control on screen or reachable by keyboard',
    timeout: 90_000,
    async fn(ctx) {
      await register(ctx, 'alice.with.a.rather.long.name', { displayName: 'Alice Pleasance Liddell of Oxford' });
      const popup = await openPopup(ctx);
      await seedPasskeys(ctx.serviceWorkerTarget, 12, { sites: 2 });
      // The toolbar popup at 200%: twice its 380 × 560 CSS px is more than Chromium lets a popup
      // be (800 × 600 DIP), so its page gets about 380 × 300 CSS px. The same as a tab of
      // 800 × 600 at 200%.
      const drawnFontPx = () => popup.$eval(sel('passkey-name'), (e) => parseFloat(getComputedStyle(e).fontSize) * devicePixelRatio);
      await popup.reload({ waitUntil: 'load' });
      await popup.waitForSelector(sel('passkey-row'), { visible: true });
      const fontAt100 = await drawnFontPx();
      await popupAt200(popup);
      const view = await popup.evaluate(() => ({ width: innerWidth, height: innerHeight, ratio: devicePixelRatio, scrollWidth: document.documentElement.scrollWidth }));
      assert.equal(view.ratio, 2, 'the page is at 200%');
      assert.ok(view.height <= 320, `the view is short at 200% (${view.height} CSS px)`);
      assert.ok(view.scrollWidth <= view.width, `no sideways scrolling (${view.scrollWidth} in ${view.width} CSS px)`);
      /** Every control of the kind, wholly inside the view's width. @param {string} selector */
      const inside = (selector) =>
        popup.$$eval(selector, (els, width) => els.filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < 0 || r.right > width); }).length, view.width);
      for (const selector of [sel('passkey-search'), sel('lock-now'), sel('open-settings'), sel('passkey-rename'), sel('passkey-delete'), sel('passkey-name')]) {
        assert.equal(await inside(selector), 0, `${selector} is not cut off at the side`);
      }
      assert.equal(await drawnFontPx(), fontAt100 * 2, 'names are drawn twice as large');

      // The page scrolls under the short view; Tab from the search box reaches the passkeys
      // below it, each scrolled into view.
      await popup.focus(sel('passkey-search'));
      let seenBelow = false;
      for (let i = 0; i < 20 && !seenBelow; i++) {
        await popup.keyboard.press('Tab');
        const focused = await popup.evaluate(() => {
          const r = document.activeElement?.getBoundingClientRect();
          return r ? { top: r.top, bottom: r.bottom, initialFold: r.top + scrollY - (document.querySelector('.vlist')?.scrollTop ?? 0) } : null;
        });
        assert.ok(focused && focused.top >= -1 && focused.bottom <= view.height + 1, `the focused control is in view (${JSON.stringify(focused)})`);
        seenBelow = (focused?.initialFold ?? 0) > view.height;
      }
      assert.ok(seenBelow, 'the keyboard reached a control that started below the view');
      await popup.evaluate(() => window.scrollTo(0, 0));
      await screenshotBoth(ctx, popup, 'zoom-200');
      await popup.evaluate(async () => {
        const tab = await chrome.tabs.getCurrent();
        if (tab?.id !== undefined) await chrome.tabs.setZoom(tab.id, 0);
      });
    },
  },
  {
    name: '10,000 passkeys: a virtualized list, search in memory, and the benchmark marks',
    timeout: 120_000,
    async fn(ctx) {
      let popup = await openPopup(ctx);
      const seeded = await seedPasskeys(ctx.serviceWorkerTarget, 10_000);
      assert.equal(seeded.total, 10_000);
      await popup.close();
      popup = await openPopup(ctx);
      // No layout jump while loading: the list's start, then the whole list, then its idle
      // work move nothing already shown (the Layout Instability API, from the page's start).
      await popup.waitForFunction(() => performance.getEntriesByName('latchkey:list-complete').length > 0, { timeout: 15_000 });
      await sleep(300);
      const shifts = await popup.evaluate(
        () =>
          new Promise((resolve) => {
            new PerformanceObserver((list, observer) => {
              observer.disconnect();
              resolve(list.getEntries().map((e) => /** @type {any} */ (e).value));
            }).observe({ type: 'layout-shift', buffered: true });
            setTimeout(() => resolve([]), 200);
          }),
      );
      assert.deepEqual(shifts, [], 'nothing shown moved while the popup loaded');
      // Errors thrown in the popup from here on, e.g. by the search rehearsed while it is idle.
      /** @type {string[]} */
      const errors = [];
      popup.on('pageerror', (e) => errors.push(String(e)));
      const rendered = await popup.$$eval(sel('passkey-row'), (els) => els.length);
      assert.ok(rendered > 5 && rendered < 80, `only the rows near the view are in the DOM (saw ${rendered})`);

      // Scrolling to the end renders the last rows, and keeps the focused passkey (from the
      // keyboard) rendered where it was, focused, and back in the list when scrolled back.
      await popup.focus(sel('passkey-search'));
      await popup.keyboard.press('ArrowDown');
      const focusedRow = () => popup.evaluate(() => {
        const row = document.activeElement?.closest('[data-testid="passkey-row"]');
        const box = /** @type {HTMLElement} */ (document.querySelector('.vlist'));
        return row ? { id: row.getAttribute('data-credential-id'), top: row.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop } : null;
      });
      const focusedFirst = await focusedRow();
      assert.ok(focusedFirst?.id, 'ArrowDown focuses the first passkey');
      await popup.$eval('.vlist', (e) => (e.scrollTop = e.scrollHeight));
      await sleep(100);
      const last = await popup.$$eval(sel('passkey-row'), (els) => els.length);
      assert.ok(last > 5 && last < 80, `still few rows after scrolling (saw ${last})`);
      const away = await focusedRow();
      assert.equal(away?.id, focusedFirst.id, 'the focused passkey stays rendered and focused');
      assert.ok(Math.abs((away?.top ?? NaN) - focusedFirst.top) < 1, `at its place (${away?.top} px, was ${focusedFirst.top})`);
      await popup.$eval('.vlist', (e) => (e.scrollTop = 0));
      await sleep(100);
      const back = await focusedRow();
      assert.equal(back?.id, focusedFirst.id, 'and is still focused once scrolled back');
      assert.ok(Math.abs((back?.top ?? NaN) - focusedFirst.top) < 1, `in its place in the list (${back?.top} px)`);

      await search(popup, 'laptop 9996');
      await popup.waitForFunction(() => document.querySelectorAll('[data-testid="passkey-row"]').length === 1);
      const row = (await readRows(popup))[0];
      assert.equal(row?.name, 'Work laptop 9996');

      const timings = await popup.evaluate(() => ({
        firstRows: performance.getEntriesByName('latchkey:first-rows')[0]?.startTime,
        search: performance.getEntriesByName('latchkey:search', 'measure').map((m) => Math.round(m.duration)),
      }));
      assert.ok(typeof timings.firstRows === 'number', 'latchkey:first-rows is marked');
      assert.equal(timings.search.length, 'laptop 9996'.length, 'one latchkey:search measure per keystroke');
      ctx.log(`10,000 passkeys: first rows painted at ${Math.round(timings.firstRows)} ms; search keystroke → paint (ms): ${timings.search.join(', ')}`);

      // A search's first frame builds only the rows in view; the rows past it follow that frame.
      await popup.evaluate(() => {
        const w = /** @type {any} */ (window);
        w.__lkFrames = [];
        document.querySelector('[data-testid="passkey-search"]')?.addEventListener('input', () =>
          requestAnimationFrame(() => {
            const box = /** @type {HTMLElement} */ (document.querySelector('.vlist'));
            const top = box.getBoundingClientRect().top + box.clientTop;
            const items = [...box.querySelectorAll('.vlist-item')].map((e) => e.getBoundingClientRect().bottom - top);
            w.__lkFrames.push({ items: items.length, bottom: Math.max(...items), view: box.clientHeight });
          }),
        );
      });
      await search(popup, '9');
      await sleep(300);
      const frame = await popup.evaluate(() => /** @type {any} */ (window).__lkFrames.at(-1));
      const settled = await popup.$$eval('.vlist-item', (els) => els.length);
      assert.ok(frame.bottom >= frame.view, `the search's frame fills the view (${frame.bottom} of ${frame.view} px)`);
      assert.ok(settled > frame.items, `the overscan follows (${frame.items} items in the frame, ${settled} after)`);
      assert.deepEqual(errors, [], 'nothing thrown in the popup');
    },
  },
];
