// @ts-check
// Handing a ceremony to the browser's own WebAuthn: "Use a phone or tablet" in the prompt,
// and a get for a credential Latchkey does not hold. A CDP virtual authenticator on the
// page stands in for the other device.

import assert from 'node:assert/strict';
import {
  LATCHKEY_AAGUID,
  VIRTUAL_AAGUID,
  addVirtualAuthenticator,
  clickTestId,
  expectNoPrompt,
  expectVerified,
  passVaultGate,
  sleep,
  startRegister,
  startSignIn,
  waitForPrompt,
  watchPrompts,
  withTimeout,
} from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */

/**
 * Registers `username` on a virtual authenticator through the prompt's "other device" button.
 * @param {Ctx} ctx @param {Awaited<ReturnType<typeof addVirtualAuthenticator>>} va @param {string} username
 */
async function registerOnOtherDevice(ctx, va, username) {
  const watch = watchPrompts(ctx.browser, ctx.extensionId);
  try {
    const pending = startRegister(ctx.page, username);
    const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
    await passVaultGate(prompt, { ready: 'prompt-other-device' });
    const clickedAt = Date.now();
    await clickTestId(prompt, 'prompt-other-device');
    const result = await withTimeout(pending, 30_000, `register ${username} on the other device`);
    return { result, clickedAt, closedAt: [...watch.closedAt.values()], opened: watch.count };
  } finally {
    watch.stop();
  }
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: "register → 'Use a phone or tablet' → the prompt closes first, then Chromium's own WebAuthn creates it on the virtual authenticator",
    async fn(ctx) {
      const va = await addVirtualAuthenticator(ctx.page, { transport: 'internal' });
      const { result, clickedAt, closedAt, opened } = await registerOnOtherDevice(ctx, va, 'alice');
      expectVerified(result, 'registration on the other device');
      assert.equal(opened, 1, 'one prompt window');
      // It is the browser's credential, not Latchkey's.
      assert.equal(result.aaguid, VIRTUAL_AAGUID, "the virtual authenticator's AAGUID");
      assert.notEqual(result.aaguid, LATCHKEY_AAGUID);
      assert.deepEqual(await va.credentialIds(), [result.credentialID], 'the virtual authenticator holds the credential');
      assert.equal(result.flags.BE, false, 'the virtual authenticator is single-device (Latchkey sets BE=1)');
      // Order of events (Chromium rejects WebAuthn from an unfocused page, so the
      // prompt must be gone before the native call). Headless may not enforce focus.
      const added = va.events.find((e) => e.type === 'added' && e.credentialId === result.credentialID);
      assert.ok(added, 'the virtual authenticator reported the new credential');
      assert.equal(closedAt.length, 1, 'the prompt window closed');
      const closed = /** @type {number} */ (closedAt[0]);
      assert.ok(closed >= clickedAt - 50, 'the prompt closed after the click');
      assert.ok(closed <= added.at, `the prompt closed (${closed}) before the native create made the credential (${added.at})`);
      ctx.log('page has focus after the fallback:', await ctx.page.evaluate(() => document.hasFocus()));
    },
  },
  {
    name: 'sign in with a credential Latchkey does not hold (allowCredentials) → the browser answers, no prompt',
    async fn(ctx) {
      const va = await addVirtualAuthenticator(ctx.page, { transport: 'internal' });
      const reg = await registerOnOtherDevice(ctx, va, 'alice');
      expectVerified(reg.result, 'registration on the other device');
      await sleep(300);

      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        const result = await withTimeout(startSignIn(ctx.page, 'alice'), 30_000, 'sign-in with the virtual credential');
        expectVerified(result, 'sign-in with the virtual credential');
        assert.equal(result.credentialID, reg.result.credentialID);
        assert.ok(
          va.events.some((e) => e.type === 'asserted' && e.credentialId === reg.result.credentialID),
          'the virtual authenticator signed',
        );
        await expectNoPrompt(watch, 300);
      } finally {
        watch.stop();
      }
    },
  },
];
