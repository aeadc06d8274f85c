// @ts-check
// Interception a page cannot dodge, in Chromium: members saved before Latchkey's first
// credential, and calls from same-origin realms Latchkey's own content scripts have not reached
// yet (intercept-cases.mjs). firefox-intercept.test.mjs makes the same checks in Firefox ESR.

import assert from 'node:assert/strict';
import { CASES, SAVED_ANSWERS, closeOpened, createAndUseSaved, saveMembers, startCase } from './intercept-cases.mjs';
import { approvePrompt, clickTestId, passVaultGate, waitForNoPromptWindow, waitForPrompt, withTimeout } from './helpers.mjs';

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: "members of PublicKeyCredential and AuthenticatorAttestationResponse saved before Latchkey's first credential answer that credential (no Illegal invocation)",
    async fn(ctx) {
      await saveMembers(ctx.page);
      const pending = createAndUseSaved(ctx.page);
      await approvePrompt(await waitForPrompt(ctx.browser, ctx.extensionId, { pending }));
      assert.deepEqual(await withTimeout(pending, 20_000, 'the create'), SAVED_ANSWERS);
    },
  },
  {
    name: 'calls from a new about:blank or srcdoc iframe or window.open window, made before its content scripts run, and its create called on the top container, are served by Latchkey as the top window’s call is (Cancel → NotAllowedError)',
    timeout: 120_000,
    async fn(ctx) {
      /** @type {Record<string, string>} */
      const outcomes = {};
      for (const how of CASES) {
        await ctx.page.bringToFront();
        const pending = startCase(ctx.page, how);
        try {
          const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending, timeout: 8000 });
          await passVaultGate(prompt, { ready: 'prompt-cancel' });
          await clickTestId(prompt, 'prompt-cancel');
          outcomes[how] = `prompt, then ${await withTimeout(pending, 15_000, how)}`;
        } catch (e) {
          outcomes[how] = `no Latchkey prompt: ${/** @type {Error} */ (e).message.slice(0, 120)}`;
        }
        await closeOpened(ctx.page);
        await waitForNoPromptWindow(ctx.browser, ctx.extensionId);
      }
      ctx.log(outcomes);
      assert.deepEqual(outcomes, Object.fromEntries(CASES.map((how) => [how, 'prompt, then NotAllowedError'])));
    },
  },
];
