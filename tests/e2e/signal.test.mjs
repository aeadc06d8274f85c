// @ts-check
// The Signal API (L3 §5.1.10) through Latchkey, sent the way a site sends it: the demo relying
// party's /signal/* endpoints give the options, the page calls the PublicKeyCredential method.
// After each signal the popup shows what changed; and the "a passkey already exists" lock-out
// ends signed in, with the old key kept until the site names the new one.

import assert from 'node:assert/strict';
import {
  approvePrompt,
  clickTestId,
  expectVerified,
  passVaultGate,
  readPrompt,
  registerViaPrompt,
  sel,
  signInViaPrompt,
  startRegister,
  startSignIn,
  textOfTestId,
  waitForPrompt,
  withTimeout,
} from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */
/** @typedef {import('puppeteer-core').Page} Page */

/** @param {Ctx} ctx @param {string} username @param {object} [opts] */
async function register(ctx, username, opts = {}) {
  await ctx.page.bringToFront();
  const { result } = await registerViaPrompt(ctx, username, opts);
  return /** @type {any} */ (result);
}

/** demo.signal*(arg) in the demo page. @param {Ctx} ctx @param {'signalUnknown'|'signalAccepted'|'signalDetails'} method @param {string} arg */
async function signal(ctx, method, arg) {
  const out = await ctx.page.evaluate((m, a) => /** @type {any} */ (window).demo[m](a), method, arg);
  assert.ok(out && out.ok, `${method}(${arg}) should be taken, got ${JSON.stringify(out)}`);
  return out;
}

/** popup.html in a tab, past the gate, with its list loaded. @param {Ctx} ctx */
async function openPopup(ctx) {
  const page = await ctx.browser.newPage();
  await page.setViewport({ width: 380, height: 560 });
  await page.goto(`chrome-extension://${ctx.extensionId}/popup.html`, { waitUntil: 'load' });
  await passVaultGate(page, { pin: ctx.pin, ready: 'passkey-search' });
  await page.waitForSelector(`${sel('passkey-row')}, ${sel('passkey-empty')}`, { visible: true, timeout: 15_000 });
  return page;
}

/**
 * Each row's state, by credential id.
 * @param {Page} popup
 * @returns {Promise<Record<string, { hidden: boolean, superseded: boolean, restore: boolean, name: string, user: string, usage: string }>>}
 */
async function rows(popup) {
  await popup.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(undefined)))));
  return popup.$$eval(sel('passkey-row'), (els) =>
    Object.fromEntries(
      els.map((row) => {
        const text = (/** @type {string} */ id) => /** @type {HTMLElement|null} */ (row.querySelector(`[data-testid="${id}"]`))?.innerText ?? '';
        return [row.getAttribute('data-credential-id') ?? '', {
          hidden: row.getAttribute('data-hidden') === 'true',
          superseded: row.getAttribute('data-superseded') === 'true',
          restore: !!row.querySelector('[data-testid="passkey-restore"]'),
          name: text('passkey-name'),
          user: text('passkey-user'),
          usage: /** @type {HTMLElement|null} */ (row.querySelector('.pk-usage'))?.innerText ?? '',
        }];
      }),
    ),
  );
}

/** Reopens the popup and reads its rows. @param {Ctx} ctx */
async function popupRows(ctx) {
  const popup = await openPopup(ctx);
  const state = await rows(popup);
  return { popup, state };
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: 'the three methods: well-formed options resolve undefined, known credential or not; bad base64url is a TypeError, another site a SecurityError',
    async fn(ctx) {
      const reg = await register(ctx, 'alice');
      expectVerified(reg, 'registering alice');
      const out = await ctx.page.evaluate(async (known) => {
        const P = /** @type {any} */ (PublicKeyCredential);
        /** @param {() => Promise<unknown>} f */
        const outcome = (f) => f().then((v) => ({ value: v === undefined ? 'undefined' : String(v) }), (e) => ({ error: e.name, realm: e instanceof Error }));
        const caps = await PublicKeyCredential.getClientCapabilities();
        return {
          caps: [caps.signalUnknownCredential, caps.signalAllAcceptedCredentials, caps.signalCurrentUserDetails],
          known: await outcome(() => P.signalUnknownCredential({ rpId: 'localhost', credentialId: known })),
          unknown: await outcome(() => P.signalUnknownCredential({ rpId: 'localhost', credentialId: 'AQIDBAUGBwgJCgsMDQ4PEA' })),
          accepted: await outcome(() => P.signalAllAcceptedCredentials({ rpId: 'localhost', userId: 'AQ', allAcceptedCredentialIds: [known] })),
          details: await outcome(() => P.signalCurrentUserDetails({ rpId: 'localhost', userId: 'AQ', name: 'a', displayName: 'A' })),
          badId: await outcome(() => P.signalUnknownCredential({ rpId: 'localhost', credentialId: 'not base64url!' })),
          badList: await outcome(() => P.signalAllAcceptedCredentials({ rpId: 'localhost', userId: 'AQ', allAcceptedCredentialIds: ['a*'] })),
          missing: await outcome(() => P.signalCurrentUserDetails({ rpId: 'localhost', userId: 'AQ', name: 'a' })),
          otherSite: await outcome(() => P.signalUnknownCredential({ rpId: 'example.com', credentialId: 'AQ' })),
        };
      }, reg.credentialID);
      assert.deepEqual(out.caps, [true, true, true]);
      for (const key of /** @type {const} */ (['known', 'unknown', 'accepted', 'details'])) assert.deepEqual(out[key], { value: 'undefined' }, key);
      assert.deepEqual(out.badId, { error: 'TypeError', realm: true });
      assert.deepEqual(out.badList, { error: 'TypeError', realm: true });
      assert.deepEqual(out.missing, { error: 'TypeError', realm: true });
      assert.deepEqual(out.otherSite, { error: 'SecurityError', realm: true });
    },
  },
  {
    name: 'signalUnknownCredential: the passkey moves to "Removed by the site", is offered no more, and Restore brings it back',
    timeout: 90_000,
    async fn(ctx) {
      const reg = await register(ctx, 'alice');
      expectVerified(reg, 'registering alice');
      const id = reg.credentialID;
      // The site removes the passkey from the account, then tells the browser.
      assert.ok(ctx.rp.forgetCredential(id));
      const sent = await signal(ctx, 'signalUnknown', id);
      assert.deepEqual(sent.sent, { rpId: 'localhost', credentialId: id });
      let { popup, state } = await popupRows(ctx);
      assert.deepEqual(
        { hidden: state[id]?.hidden, restore: state[id]?.restore, superseded: state[id]?.superseded },
        { hidden: true, restore: true, superseded: false },
      );
      assert.match(await popup.$eval(sel('passkey-removed-group'), (e) => /** @type {HTMLElement} */ (e).innerText), /Removed by the site/);
      // Under its site's "Removed by the site" group, after the group's header.
      const order = await popup.$$eval(`${sel('passkey-removed-group')}, ${sel('passkey-row')}`, (els) =>
        els.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map((e) => e.getAttribute('data-testid')));
      assert.deepEqual(order, ['passkey-removed-group', 'passkey-row']);
      await clickTestId(popup, 'passkey-restore');
      await popup.waitForFunction((cid) => !document.querySelector(`[data-testid="passkey-row"][data-credential-id="${cid}"][data-hidden="true"]`), {}, id);
      await popup.close();
      ({ popup, state } = await popupRows(ctx));
      assert.equal(state[id]?.hidden, false, 'restored for good');
      assert.equal(state[id]?.restore, false);
      await popup.close();
    },
  },
  {
    name: 'signalAllAcceptedCredentials: this user\'s passkeys not listed are hidden, others stay, and a later list brings them back',
    timeout: 120_000,
    async fn(ctx) {
      const first = await register(ctx, 'alice');
      expectVerified(first, 'registering alice');
      const second = await register(ctx, 'alice');
      expectVerified(second, 'registering alice again');
      const bob = await register(ctx, 'bob');
      expectVerified(bob, 'registering bob');
      let { popup, state } = await popupRows(ctx);
      assert.deepEqual([state[first.credentialID]?.superseded, state[first.credentialID]?.restore], [true, false], 'superseded: still usable, no restore');
      await popup.close();

      const removed = ctx.rp.forgetCredential(second.credentialID);
      assert.ok(removed);
      await signal(ctx, 'signalAccepted', 'alice');
      ({ popup, state } = await popupRows(ctx));
      assert.deepEqual(
        Object.fromEntries([first, second, bob].map((r) => [r.credentialID, [state[r.credentialID]?.hidden, state[r.credentialID]?.superseded]])),
        { [first.credentialID]: [false, false], [second.credentialID]: [true, false], [bob.credentialID]: [false, false] },
      );
      await popup.close();

      ctx.rp.restoreCredential('alice', removed);
      await signal(ctx, 'signalAccepted', 'alice');
      ({ popup, state } = await popupRows(ctx));
      assert.deepEqual([state[second.credentialID]?.hidden, state[first.credentialID]?.superseded], [false, true], 'back, and current again');
      await popup.close();
    },
  },
  {
    name: 'signalCurrentUserDetails: the user name and display name change, and a friendly name the user never edited',
    timeout: 90_000,
    async fn(ctx) {
      const auto = await register(ctx, 'alice');
      expectVerified(auto, 'registering alice');
      const { result: named } = await registerViaPrompt(ctx, 'carol', {}, { friendlyName: 'Work laptop' });
      expectVerified(named, 'registering carol');
      ctx.rp.renameUser('alice', 'alice.new', 'Alice New');
      ctx.rp.renameUser('carol', 'carol.new', 'Carol New');
      await signal(ctx, 'signalDetails', 'alice.new');
      await signal(ctx, 'signalDetails', 'carol.new');
      const { popup, state } = await popupRows(ctx);
      assert.deepEqual([state[auto.credentialID]?.user, state[auto.credentialID]?.name], ['alice.new', 'alice.new on localhost']);
      assert.deepEqual([state[/** @type {any} */ (named).credentialID]?.user, state[/** @type {any} */ (named).credentialID]?.name], ['carol.new', 'Work laptop']);
      await popup.close();
    },
  },
  {
    name: 'the lock-out: a new passkey that never reached the site is offered first, the earlier one signs in, and the old key stays',
    timeout: 120_000,
    async fn(ctx) {
      const old = await register(ctx, 'alice');
      expectVerified(old, 'registering alice');
      // The user registers again; the save never reaches the site. The old passkey was never
      // used, so the prompt says the new one replaces it once the site confirms.
      await ctx.page.bringToFront();
      const saving = startRegister(ctx.page, 'alice', { dropVerify: true });
      const createPrompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending: saving });
      await passVaultGate(createPrompt);
      assert.match(await textOfTestId(createPrompt, 'prompt-replacing'), /not[\s\S]*used yet[\s\S]*replace it once localhost confirms/);
      await approvePrompt(createPrompt);
      const lost = /** @type {any} */ (await withTimeout(saving, 20_000, 'the lost registration'));
      assert.match(lost.error?.message ?? '', /never reached the site/);
      const lostId = lost.credentialID ?? (await ctx.page.evaluate(() => /** @type {any} */ (window).demo.last.credential.id));

      let { popup, state } = await popupRows(ctx);
      assert.match(state[lostId]?.usage ?? '', /Not yet used/);
      await popup.close();

      // Sign-in from the username field: the account shows once, the new passkey first.
      await ctx.page.bringToFront();
      let pending = startSignIn(ctx.page, undefined);
      let prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await passVaultGate(prompt);
      const shown = await readPrompt(prompt);
      assert.deepEqual(shown.accounts.map((a) => a.id), [lostId]);
      assert.ok(await prompt.$(sel('prompt-earlier')), 'the earlier passkey is reachable');
      await approvePrompt(prompt);
      const rejected = /** @type {any} */ (await withTimeout(pending, 20_000, 'the sign-in with the lost passkey'));
      assert.equal(rejected.verified, false);
      assert.match(rejected.error?.message ?? '', /unknown credential/);
      ({ popup, state } = await popupRows(ctx));
      assert.ok(state[old.credentialID], 'a sign-in with the new passkey deleted nothing');
      await popup.close();

      // Again, with the earlier passkey of the account: signed in.
      await ctx.page.bringToFront();
      pending = startSignIn(ctx.page, undefined);
      prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await passVaultGate(prompt, { ready: 'prompt-earlier' });
      await clickTestId(prompt, 'prompt-earlier');
      await prompt.waitForSelector(`${sel('prompt-account')}[data-credential-id="${old.credentialID}"][data-selected="true"]`, { visible: true });
      await approvePrompt(prompt);
      const signedIn = /** @type {any} */ (await withTimeout(pending, 20_000, 'the sign-in with the earlier passkey'));
      expectVerified(signedIn, 'signing in with the earlier passkey');
      assert.equal(signedIn.credentialID, old.credentialID);

      // The site names only the old passkey: the vault keeps both, the old one not hidden.
      const byName = await signInViaPrompt(ctx, 'alice');
      expectVerified(byName.result, 'signing in by name');
      ({ popup, state } = await popupRows(ctx));
      assert.deepEqual([state[old.credentialID]?.hidden, state[lostId]?.hidden], [false, false]);
      await popup.close();

      // A site that sends signalAllAcceptedCredentials ends it: the lost one is hidden, the old one current.
      await signal(ctx, 'signalAccepted', 'alice');
      ({ popup, state } = await popupRows(ctx));
      assert.deepEqual(
        [state[old.credentialID]?.hidden, state[old.credentialID]?.superseded, state[lostId]?.hidden],
        [false, false, true],
      );
      await popup.close();
    },
  },
];
