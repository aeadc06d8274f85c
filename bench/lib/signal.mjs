// @ts-check
// The Signal API's timing as the page sees it (issue 17): signalUnknownCredential for a
// credential Latchkey holds and for one it does not, interleaved. The promise must settle the
// same way and as fast either way (L3 §14.5.2): the service worker answers before it touches
// the vault. A figure, not a test.

import { randomBytes } from 'node:crypto';
import { registerThroughPrompt } from './ceremony.mjs';
import { summarize } from './stats.mjs';

/**
 * @param {import('./browsers.mjs').LatchkeyBrowser} lk
 * @param {import('puppeteer-core').Page} page  the demo relying party's page
 * @param {{ calls: number, warmup: number }} n
 */
export async function signalTiming(lk, page, { calls, warmup }) {
  await registerThroughPrompt(lk, page, 'bench-signal');
  const known = await page.evaluate(() => /** @type {any} */ (window).demo.last.credential.id);
  const unknown = randomBytes(16).toString('base64url');
  const samples = await page.evaluate(
    async (ids, total, skip) => {
      /** @type {Record<'known'|'unknown', number[]>} */
      const out = { known: [], unknown: [] };
      for (let i = 0; i < skip + total; i++) {
        const order = /** @type {const} */ (Math.random() < 0.5 ? ['known', 'unknown'] : ['unknown', 'known']);
        for (const kind of order) {
          const t = performance.now();
          await PublicKeyCredential.signalUnknownCredential({ rpId: 'localhost', credentialId: ids[kind] });
          if (i >= skip) out[kind].push(performance.now() - t);
        }
      }
      return out;
    },
    { known, unknown },
    calls,
    warmup,
  );
  return { known: summarize(samples.known), unknown: summarize(samples.unknown) };
}
