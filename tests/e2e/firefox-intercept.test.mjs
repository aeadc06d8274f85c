// @ts-check
// intercept.test.mjs's checks in Firefox ESR (the Firefox build, set up as firefox.test.mjs
// does): members saved before Latchkey's first credential, and calls from same-origin realms
// Latchkey's own content scripts have not reached yet. One Firefox for all of them.

import assert from 'node:assert/strict';
import { withFirefox } from './firefox.test.mjs';
import { CASES, SAVED_ANSWERS, closeOpened, createAndUseSaved, saveMembers, startCase } from './intercept-cases.mjs';
import { approvePrompt, withTimeout } from './helpers.mjs';

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    extension: false,
    name: "Firefox: members saved before Latchkey's first credential answer it; calls from a new about:blank or srcdoc iframe or window.open window before its content scripts run, and its create on the top container, are served by Latchkey as the top window's call is (Cancel → NotAllowedError)",
    timeout: 180_000,
    fn: (ctx) =>
      withFirefox(ctx, async ({ page, prompt }) => {
        await saveMembers(page);
        const creating = createAndUseSaved(page);
        await approvePrompt(await prompt(creating), { pin: ctx.pin });
        const saved = await withTimeout(creating, 20_000, 'the create');

        /** @type {Record<string, string>} */
        const outcomes = {};
        for (const how of CASES) {
          await page.bringToFront();
          const pending = startCase(page, how);
          try {
            await approvePrompt(await prompt(pending), { pin: ctx.pin, action: 'prompt-cancel' });
            outcomes[how] = `prompt, then ${await withTimeout(pending, 15_000, how)}`;
          } catch (e) {
            outcomes[how] = `no Latchkey prompt: ${/** @type {Error} */ (e).message.slice(0, 120)}`;
          }
          await closeOpened(page);
        }
        ctx.log(outcomes);
        assert.deepEqual(saved, SAVED_ANSWERS);
        assert.deepEqual(outcomes, Object.fromEntries(CASES.map((how) => [how, 'prompt, then NotAllowedError'])));
      }),
  },
];
