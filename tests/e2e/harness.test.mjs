// @ts-check
// Baseline: the relying party and this suite's own expectations, proven against Chromium's
// OWN WebAuthn (a Chromium launched without Latchkey, with a CDP virtual authenticator).
// If these fail, the harness is wrong, not the extension.

import assert from 'node:assert/strict';
import { launchChromium } from '../../scripts/chromium.mjs';
import {
  VIRTUAL_AAGUID,
  addVirtualAuthenticator,
  badArgumentProblemsInPage,
  credentialShapeProblemsInPage,
  expectRejection,
  expectVerified,
  passwordOnlyGetInPage,
} from './helpers.mjs';

/**
 * Runs `fn` with a page on the RP's demo page in a Chromium without the extension.
 * @param {import('./run.mjs').Ctx} ctx
 * @param {(page: import('puppeteer-core').Page, va: Awaited<ReturnType<typeof addVirtualAuthenticator>>) => Promise<void>} fn
 * @param {'internal'|'usb'} [transport]
 */
async function withNativeBrowser(ctx, fn, transport = 'internal') {
  const plain = await launchChromium();
  try {
    const page = (await plain.browser.pages())[0] ?? (await plain.browser.newPage());
    await page.goto(ctx.rp.url, { waitUntil: 'load' });
    const va = await addVirtualAuthenticator(page, { transport });
    await fn(page, va);
  } finally {
    await plain.close();
  }
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    extension: false,
    name: "harness: the RP verifies Chromium's own WebAuthn (register none/direct, sign in by username and discoverable)",
    fn: (ctx) =>
      withNativeBrowser(ctx, async (page, va) => {
        const reg = expectVerified(await page.evaluate(() => /** @type {any} */ (window).demo.register('alice')), 'native register');
        assert.equal(reg.fmt, 'none');
        assert.equal(reg.aaguid, VIRTUAL_AAGUID);
        assert.equal(reg.publicKeyAlgorithm, -7, 'the RP lists ES256 first');
        assert.deepEqual(await va.credentialIds(), [reg.credentialID]);
        const direct = expectVerified(await page.evaluate(() => /** @type {any} */ (window).demo.register('bob', { attestation: 'direct' })), 'native register direct');
        assert.equal(direct.fmt, 'packed');

        const byName = expectVerified(await page.evaluate(() => /** @type {any} */ (window).demo.signIn('alice')), 'native sign-in by username');
        assert.equal(byName.username, 'alice');
        assert.equal(byName.credentialID, reg.credentialID);
        assert.equal(byName.discoverable, false);

        const disc = expectVerified(await page.evaluate(() => /** @type {any} */ (window).demo.signIn()), 'native discoverable sign-in');
        assert.equal(disc.discoverable, true);
        assert.equal(disc.userHandleMatches, true);
        assert.ok(['alice', 'bob'].includes(disc.username));
        assert.equal(ctx.rp.credentialsOf('alice').length, 1);
      }),
  },
  {
    extension: false,
    name: "harness: excludeCredentials → InvalidStateError and rp.id example.com → SecurityError with Chromium's own WebAuthn",
    fn: (ctx) =>
      withNativeBrowser(ctx, async (page) => {
        expectVerified(await page.evaluate(() => /** @type {any} */ (window).demo.register('alice')));
        await expectRejection(page.evaluate(() => /** @type {any} */ (window).demo.register('alice', { excludeCredentials: true })), 'InvalidStateError');
        await expectRejection(page.evaluate(() => /** @type {any} */ (window).demo.register('carol', { rpID: 'example.com' })), 'SecurityError');
        await expectRejection(page.evaluate(() => /** @type {any} */ (window).demo.signIn(undefined, { rpID: 'example.com' })), 'SecurityError');
      }),
  },
  {
    extension: false,
    name: "harness: the native-shape checks pass on Chromium's own credentials",
    fn: (ctx) =>
      withNativeBrowser(ctx, async (page) => {
        expectVerified(await page.evaluate(() => /** @type {any} */ (window).demo.register('alice')));
        assert.deepEqual(await page.evaluate(credentialShapeProblemsInPage, 'create', -7), []);
        expectVerified(await page.evaluate(() => /** @type {any} */ (window).demo.signIn('alice')));
        assert.deepEqual(await page.evaluate(credentialShapeProblemsInPage, 'get', -7), []);
      }),
  },
  {
    extension: false,
    name: "harness: the bad-argument checks hold for Chromium's own WebAuthn",
    fn: (ctx) =>
      withNativeBrowser(ctx, async (page) => {
        await page.goto(`${ctx.rp.origin}/plain`);
        assert.deepEqual(await page.evaluate(badArgumentProblemsInPage), []);
      }),
  },
  {
    extension: false,
    name: "harness: a password-only get settles by itself with Chromium's own credential manager",
    fn: (ctx) =>
      withNativeBrowser(ctx, async (page) => {
        await page.goto(`${ctx.rp.origin}/plain`);
        const outcome = await page.evaluate(passwordOnlyGetInPage);
        ctx.log('native password-only get:', outcome);
        assert.deepEqual(outcome, { value: null });
      }),
  },
];

