// @ts-check
// navigator.credentials.get through Latchkey: by username (allowCredentials), discoverable,
// choosing between accounts, cancel, and a restarted service worker.

import assert from 'node:assert/strict';
import {
  actWhileApproveHeld,
  approvePrompt,
  expectRejection,
  expectVerified,
  fillTestId,
  isDisabledTestId,
  passVaultGate,
  readPrompt,
  registerViaPrompt,
  sel,
  signInViaPrompt,
  sleep,
  startSignIn,
  textOfTestId,
  waitForPrompt,
  withTimeout,
} from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */

/** @param {Ctx} ctx @param {string} username */
async function register(ctx, username) {
  const { result, shown } = await registerViaPrompt(ctx, username);
  expectVerified(result, `registering ${username}`);
  return { ...result, shown };
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: 'sign in with allowCredentials (username given): one account, already selected; approve → verified; UV=1 when asked for with the PIN typed, UV=0 when discouraged',
    async fn(ctx) {
      const reg = await register(ctx, 'alice');
      // The test's inputs decide UV: verification asked for and the PIN typed → UV=1.
      const { result, shown } = await signInViaPrompt(ctx, 'alice', { userVerification: 'preferred' }, { pin: ctx.pin });
      assert.equal(shown.rp, 'localhost');
      assert.equal(shown.accounts.length, 1, 'one matching passkey, one prompt-account');
      assert.equal(shown.accounts[0]?.id, reg.credentialID, 'prompt-account carries data-credential-id');
      expectVerified(result, 'sign-in');
      assert.equal(result.username, 'alice');
      assert.equal(result.credentialID, reg.credentialID);
      assert.equal(result.discoverable, false);
      assert.equal(result.userHandleMatches, true, 'userHandle is the user.id given at registration');
      assert.equal(result.flags.UP, true);
      assert.equal(result.flags.BE, true);
      assert.equal(shown.uvPin, true, 'verification asked for: the prompt asks for the PIN');
      assert.equal(result.flags.UV, true, 'UV=1: verification asked for and the PIN typed in this ceremony');
      assert.equal(result.counter, 0);

      // Verification discouraged: no PIN asked for, UV=0.
      const again = await signInViaPrompt(ctx, 'alice', { userVerification: 'discouraged' });
      expectVerified(again.result, 'sign-in with UV discouraged');
      assert.equal(again.shown.uvPin, false, 'verification discouraged: no PIN field');
      assert.equal(again.result.flags.UV, false, 'UV=0: verification discouraged, no PIN typed');
    },
  },
  {
    name: 'stray input: the PIN and Enter typed while approve is disabled sign nothing in; the same Enter once enabled signs in with UV',
    async fn(ctx) {
      await register(ctx, 'alice');
      const pending = startSignIn(ctx.page, 'alice');
      let settled = false;
      pending.then(() => (settled = true), () => (settled = true));
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await passVaultGate(prompt);
      await prompt.waitForSelector(sel('uv-pin'), { visible: true });
      assert.equal(await prompt.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null), null, 'uv-pin (Enter there approves) has no focus when shown');
      await fillTestId(prompt, 'uv-pin', ctx.pin);
      await actWhileApproveHeld(prompt, () => prompt.keyboard.press('Enter'));
      assert.equal(await isDisabledTestId(prompt, 'prompt-cancel'), false, 'the prompt was not answered');
      assert.equal(await textOfTestId(prompt, 'prompt-error'), null, 'no PIN was checked');
      assert.equal(settled, false, "the page's get() is still pending");
      // The PIN field still has focus; once approve is enabled the same Enter signs in.
      await prompt.waitForSelector(`${sel('prompt-approve')}:not([disabled])`, { timeout: 5000 });
      assert.equal(await prompt.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'uv-pin');
      await prompt.keyboard.press('Enter').catch(() => {});
      const result = expectVerified(await withTimeout(pending, 20_000, 'sign-in after Enter'), 'sign-in');
      assert.equal(result.flags.UV, true, 'the PIN typed verified the user');
    },
  },
  {
    name: 'discoverable sign-in (no username): the RP gets the right userHandle and user',
    async fn(ctx) {
      const reg = await register(ctx, 'alice');
      const { result, shown } = await signInViaPrompt(ctx, undefined);
      assert.equal(shown.accounts.length, 1);
      expectVerified(result, 'discoverable sign-in');
      assert.equal(result.discoverable, true);
      assert.equal(result.username, 'alice');
      assert.equal(result.credentialID, reg.credentialID);
      assert.equal(result.userHandle, reg.userID);
      assert.equal(result.userHandleMatches, true);
    },
  },
  {
    name: 'two accounts at one site: the prompt lists both; choosing the second signs in as bob',
    async fn(ctx) {
      const alice = await register(ctx, 'alice');
      const bob = await register(ctx, 'bob');

      const pending = startSignIn(ctx.page, undefined);
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await passVaultGate(prompt);
      await prompt.waitForFunction(
        (s) => document.querySelectorAll(s).length >= 2,
        { timeout: 10_000 },
        sel('prompt-account'),
      );
      const state = await readPrompt(prompt);
      assert.equal(state.accounts.length, 2, 'two prompt-account elements');
      assert.deepEqual(
        state.accounts.map((a) => a.id).sort(),
        [alice.credentialID, bob.credentialID].sort(),
        'each prompt-account carries its data-credential-id',
      );
      assert.ok(state.accounts.some((a) => a.text.includes('bob')), 'bob is shown by name');
      await approvePrompt(prompt, { account: { id: bob.credentialID, text: 'bob' } });
      const result = await withTimeout(pending, 20_000, 'sign-in as bob');
      expectVerified(result, 'sign-in as bob');
      assert.equal(result.username, 'bob');
      assert.equal(result.credentialID, bob.credentialID);
      assert.equal(result.userHandle, bob.userID);
    },
  },
  {
    name: 'sign in: cancel in the prompt → NotAllowedError',
    async fn(ctx) {
      await register(ctx, 'alice');
      const pending = startSignIn(ctx.page, 'alice');
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await approvePrompt(prompt, { action: 'prompt-cancel' });
      await expectRejection(withTimeout(pending, 20_000, 'sign-in after cancel'), 'NotAllowedError');
    },
  },
  {
    name: 'a restarted service worker still signs in (state reloaded from storage)',
    async fn(ctx) {
      const reg = await register(ctx, 'alice');
      const worker = await ctx.swTarget.worker();
      assert.ok(worker, 'the service worker target has a worker');
      await worker.close(); // the way to stop an MV3 worker from a test
      await sleep(500);
      const { result } = await signInViaPrompt(ctx, 'alice');
      expectVerified(result, 'sign-in after the worker restarted');
      assert.equal(result.credentialID, reg.credentialID);
      const again = await signInViaPrompt(ctx, undefined);
      expectVerified(again.result, 'discoverable sign-in after the worker restarted');
      assert.equal(again.result.username, 'alice');
    },
  },
];
