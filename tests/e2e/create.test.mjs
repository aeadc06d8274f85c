// @ts-check
// navigator.credentials.create through Latchkey: the prompt, what the RP verifies, and the
// create-side errors. Hooks: docs/development.md#testids, plus `prompt-friendly-name`.

import assert from 'node:assert/strict';
import {
  LATCHKEY_AAGUID,
  actWhileApproveHeld,
  approvePrompt,
  clickHandle,
  clickTestId,
  expectNoPrompt,
  expectRejection,
  expectVerified,
  fillTestId,
  isDisabledTestId,
  passVaultGate,
  readPrompt,
  registerViaPrompt,
  sel,
  signInViaPrompt,
  startRegister,
  startSignIn,
  waitForNoPromptWindow,
  waitForPrompt,
  watchPrompts,
  withTimeout,
} from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: 'register: the prompt names localhost; approve → the RP verifies fmt none, BE=1, BS=0, counter 0; UV=1 when asked for with the PIN typed, UV=0 when discouraged',
    async fn(ctx) {
      // The test's inputs decide UV: verification asked for ('preferred', and Latchkey has a
      // PIN) and the PIN typed in the prompt → UV=1 (docs/architecture.md#user-verification).
      const { result, shown } = await registerViaPrompt(ctx, 'alice', { userVerification: 'preferred' }, { pin: ctx.pin });
      assert.equal(shown.rp, 'localhost', 'prompt-rp shows the RP id');
      assert.equal(shown.accounts.length, 1, 'a create shows the new account as one prompt-account');
      assert.ok(shown.accounts[0]?.text.includes('alice'), `the new account shows the user name, got "${shown.accounts[0]?.text}"`);
      expectVerified(result, 'registration');
      assert.equal(result.fmt, 'none', 'attestation none by default');
      assert.equal(result.flags.UP, true, 'UP: the user clicked');
      assert.equal(result.flags.BE, true, 'BE=1: Latchkey passkeys are exportable');
      assert.equal(result.flags.BS, false, 'BS=0 until exported or synced');
      assert.equal(shown.uvPin, true, 'verification asked for: the prompt asks for the PIN');
      assert.equal(result.flags.UV, true, 'UV=1: verification asked for and the PIN typed in this ceremony');
      assert.equal(result.counter, 0, 'the sign counter is always 0');
      assert.equal(result.publicKeyAlgorithm, -7, 'ES256: the first algorithm the RP lists');
      assert.equal(ctx.rp.credentialsOf('alice').length, 1);

      // Verification discouraged: no PIN asked for, UV=0.
      const bob = await registerViaPrompt(ctx, 'bob', { userVerification: 'discouraged' });
      expectVerified(bob.result, 'registration with UV discouraged');
      assert.equal(bob.shown.uvPin, false, 'verification discouraged: no PIN field');
      assert.equal(bob.result.flags.UV, false, 'UV=0: verification discouraged, no PIN typed');
    },
  },
  {
    name: "register with attestation 'direct' → fmt packed (self attestation) with Latchkey's AAGUID",
    async fn(ctx) {
      const { result } = await registerViaPrompt(ctx, 'alice', { attestation: 'direct' });
      expectVerified(result, 'registration with direct attestation');
      assert.equal(result.fmt, 'packed');
      assert.equal(result.aaguid, LATCHKEY_AAGUID);
      assert.equal(result.flags.BE, true);
    },
  },
  {
    name: 'register: nothing that approves has focus when the prompt opens or after the PIN set-up, and the name typed there is kept and shown at sign-in',
    async fn(ctx) {
      const friendlyName = 'Work laptop passkey';
      const registering = startRegister(ctx.page, 'alice');
      const first = await waitForPrompt(ctx.browser, ctx.extensionId, { pending: registering });
      await first.waitForSelector(sel('setup-pin'), { visible: true });
      await passVaultGate(first);
      // Enter in a field of the form approves: no field, and not approve, has focus.
      const focused = await first.evaluate(() => document.activeElement === document.body || document.activeElement === null);
      assert.ok(focused, `nothing should have focus in the consent view, found ${await first.evaluate(() => document.activeElement?.outerHTML)}`);
      await fillTestId(first, 'prompt-friendly-name', friendlyName);
      const shown = await approvePrompt(first);
      const result = await withTimeout(registering, 20_000, 'registration');
      expectVerified(result, 'registration');
      assert.equal(shown.friendlyName, friendlyName, 'prompt-friendly-name holds the typed name before approve');

      const pending = startSignIn(ctx.page, 'alice');
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await passVaultGate(prompt);
      await prompt.waitForSelector(sel('prompt-account'), { visible: true });
      const state = await readPrompt(prompt);
      assert.equal(state.accounts.length, 1);
      assert.equal(state.accounts[0]?.id, result.credentialID);
      assert.ok(state.accounts[0]?.text.includes(friendlyName), `the account shows the friendly name, got "${state.accounts[0]?.text}"`);
      await approvePrompt(prompt);
      expectVerified(await withTimeout(pending, 20_000, 'sign-in'), 'sign-in');
    },
  },
  {
    name: 'stray input: a trusted click on approve, or Enter in the name field, while approve is disabled saves nothing; the same once enabled saves',
    async fn(ctx) {
      const registering = startRegister(ctx.page, 'alice');
      let settled = false;
      registering.then(() => (settled = true), () => (settled = true));
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending: registering });
      await passVaultGate(prompt);
      // Cancel and the other-device buttons are never held.
      for (const id of ['prompt-cancel', 'prompt-other-device', 'prompt-security-key']) {
        assert.equal(await isDisabledTestId(prompt, id), false, `${id} is not held`);
      }
      await actWhileApproveHeld(prompt, async () => {
        const approve = await prompt.$(sel('prompt-approve'));
        if (!approve) throw new Error('no prompt-approve');
        await approve.click();
      });
      await prompt.click(sel('prompt-friendly-name'));
      await actWhileApproveHeld(prompt, () => prompt.keyboard.press('Enter'));
      // Nothing was answered: the prompt still asks, and the page still waits.
      assert.equal(await isDisabledTestId(prompt, 'prompt-cancel'), false, 'the prompt was not answered');
      assert.equal(settled, false, "the page's create() is still pending");
      assert.equal(ctx.rp.credentialsOf('alice').length, 0);
      // Once enabled, the same click saves.
      await prompt.waitForSelector(`${sel('prompt-approve')}:not([disabled])`, { timeout: 5000 });
      const approve = await prompt.$(sel('prompt-approve'));
      if (!approve) throw new Error('no prompt-approve');
      await clickHandle(approve);
      expectVerified(await withTimeout(registering, 20_000, 'registration after approve was enabled'), 'registration');
      assert.equal(ctx.rp.credentialsOf('alice').length, 1);
    },
  },
  {
    name: 'register: cancel in the prompt → the page gets NotAllowedError and the RP stores nothing',
    async fn(ctx) {
      const pending = startRegister(ctx.page, 'alice');
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await approvePrompt(prompt, { action: 'prompt-cancel' });
      await expectRejection(withTimeout(pending, 20_000, 'register after cancel'), 'NotAllowedError');
      assert.equal(ctx.rp.credentialsOf('alice').length, 0);
    },
  },
  {
    name: 'a prompt window closed before it connects → NotAllowedError at once, and the next create in the tab shows a prompt',
    async fn(ctx) {
      const worker = await ctx.swTarget.worker();
      if (!worker) throw new Error('no service worker');
      // The window goes the moment it exists, before prompt.html's script can say hello.
      await worker.evaluate(() => {
        const w = /** @type {any} */ (globalThis);
        w.__closeNextPrompt = (/** @type {{ id?: number }} */ window) => {
          w.chrome.windows.onCreated.removeListener(w.__closeNextPrompt);
          if (window.id !== undefined) void w.chrome.windows.remove(window.id);
        };
        w.chrome.windows.onCreated.addListener(w.__closeNextPrompt);
      });
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        await expectRejection(withTimeout(startRegister(ctx.page, 'alice'), 15_000, 'register with its prompt closed at once'), 'NotAllowedError');
      } finally {
        watch.stop();
      }
      assert.equal(ctx.rp.credentialsOf('alice').length, 0);
      // The tab is free: no OperationError "A request is already pending".
      const { result } = await registerViaPrompt(ctx, 'alice');
      expectVerified(result, 'the next registration in the same tab');
    },
  },
  {
    name: 'register again with excludeCredentials → prompt-error names the saved passkey, when saved and used, and that the site has it; approve → InvalidStateError',
    async fn(ctx) {
      const first = await registerViaPrompt(ctx, 'alice');
      expectVerified(first.result, 'first registration');

      const pending = startRegister(ctx.page, 'alice', { excludeCredentials: true });
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await passVaultGate(prompt);
      await prompt.waitForSelector(sel('prompt-error'), { visible: true });
      const state = await readPrompt(prompt);
      const names = ['alice', first.shown.friendlyName].filter(Boolean);
      assert.ok(
        names.some((n) => state.error?.includes(/** @type {string} */ (n))),
        `prompt-error should name the saved passkey (${names.join(' or ')}), got "${state.error}"`,
      );
      // When it was saved and last used, that the site has it, and that the user can sign in with it.
      assert.match(state.error ?? '', /already has your passkey[\s\S]*saved [\s\S]*not used yet[\s\S]*sign in with it/);
      await clickTestId(prompt, 'prompt-approve');
      await expectRejection(withTimeout(pending, 20_000, 'excluded register'), 'InvalidStateError');
      assert.equal(ctx.rp.credentialsOf('alice').length, 1, 'no second credential reached the RP');
    },
  },
  {
    name: "rp.id 'example.com' from localhost → SecurityError, and no prompt window opens",
    async fn(ctx) {
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        await expectRejection(
          withTimeout(startRegister(ctx.page, 'carol', { rpID: 'example.com' }), 20_000, 'create with rp.id example.com'),
          'SecurityError',
        );
        await expectRejection(
          withTimeout(startSignIn(ctx.page, undefined, { rpID: 'example.com' }), 20_000, 'get with rpId example.com'),
          'SecurityError',
        );
        await expectNoPrompt(watch, 1000);
      } finally {
        watch.stop();
      }
    },
  },
  {
    name: 'register then sign in on the same page works twice in a row (prompts do not leak)',
    async fn(ctx) {
      for (const round of [1, 2]) {
        const reg = await registerViaPrompt(ctx, `user${round}`);
        expectVerified(reg.result, `registration ${round}`);
        const signIn = await signInViaPrompt(ctx, `user${round}`);
        expectVerified(signIn.result, `sign-in ${round}`);
        assert.equal(signIn.result.credentialID, reg.result.credentialID);
      }
      await waitForNoPromptWindow(ctx.browser, ctx.extensionId);
    },
  },
];
