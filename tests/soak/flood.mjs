#!/usr/bin/env node
// @ts-check
// Soak: a page floods navigator.credentials with create/get calls, and the service worker's
// memory must come back to its baseline. Runnable on its own:
//
//   npm run build && node tests/soak/flood.mjs [--floods 10] [--calls 1000]
//
// Launches Chromium with the built extension (EXTENSION_DIR, default .output/chrome-mv3) and
// the demo relying party. Each flood is `calls` calls in a loop on one tab, alternately create
// and get: the first opens Latchkey's prompt, every other one is refused at once
// (OperationError "A request is already pending.", as Chromium does); the prompt is then
// cancelled. The worker's JS heap is read through CDP on the service worker target, after a
// forced garbage collection, before the first flood (after a warm-up of single ceremonies)
// and after each one.
//
// Progress goes to stderr. The last line of stdout is one JSON object:
//   { "test": "flood", "floods", "callsPerFlood", "calls", "prompts", "refused",
//     "cancelled", "unexpected", "heapBaselineBytes", "heapAfterBytes", "heapGrowthBytes",
//     "heapPeakBytes", "heapAfterEachFloodBytes": [...], "ms", "ok" }
// ok: every call settled as expected, one prompt per flood, and the heap after the last flood
// within 128 KiB of the baseline. The exit code is 0 when ok, 1 otherwise.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchWithExtension } from '../../scripts/chromium.mjs';
import { startRelyingParty } from '../../scripts/rp/server.mjs';
import { floodInPage } from '../e2e/helpers/in-page.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const extensionDir = path.resolve(root, process.env.EXTENSION_DIR ?? '.output/chrome-mv3');

/** @param {string} name @param {number} fallback */
function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const FLOODS = arg('floods', 10);
const CALLS = arg('calls', 1000);
/** How far above its baseline the worker's heap may end, after a collection. */
const TOLERANCE_BYTES = 128 * 1024;
/** Ceremonies with a prompt before the baseline. */
const WARM_UPS = 12;
const PENDING = 'OperationError: A request is already pending.';

const log = (/** @type {string} */ line) => process.stderr.write(`${line}\n`);

/**
 * The worker's used JS heap after a full collection (two, so that finalizers' garbage goes too).
 * @param {import('puppeteer-core').CDPSession} session
 */
async function heapAfterGc(session) {
  for (let i = 0; i < 2; i++) await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  return usedSize;
}

async function main() {
  const started = Date.now();
  const rp = await startRelyingParty();
  const launched = await launchWithExtension({ extensionDir });
  const { browser, extensionId, serviceWorkerTarget } = launched;
  const promptUrl = `chrome-extension://${extensionId}/prompt.html`;
  let prompts = 0;
  browser.on('targetcreated', (t) => {
    if (t.type() === 'page' && t.url().startsWith(promptUrl)) prompts++;
  });
  /** @type {Record<string, number>} */
  const outcomes = {};
  /** @type {number[]} */
  const after = [];
  let baseline = 0;
  let peak = 0;
  try {
    // An attached session keeps the worker alive, so all floods measure one worker.
    const session = await serviceWorkerTarget.createCDPSession();
    await session.send('HeapProfiler.enable');
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    await page.goto(rp.url, { waitUntil: 'load' });
    // Warm up: the first ten or so ceremonies with a prompt grow the heap by about 200 KB and
    // then stop (seen with 30 in a row; most likely the signing curves' tables, which the worker
    // warms while a prompt is open, and code compiled on first use): the baseline comes after.
    for (let i = 0; i < WARM_UPS; i++) await flood(page, 1);
    baseline = await heapAfterGc(session);
    log(`baseline ${baseline} bytes`);
    for (let f = 1; f <= FLOODS; f++) {
      const before = prompts;
      const { tally, ms } = await flood(page, CALLS, async () => {
        const { usedSize } = await session.send('Runtime.getHeapUsage');
        peak = Math.max(peak, usedSize);
      });
      for (const [k, v] of Object.entries(tally)) outcomes[k] = (outcomes[k] ?? 0) + v;
      if (prompts - before !== 1) outcomes[`prompts in a flood: ${prompts - before}`] = (outcomes[`prompts in a flood: ${prompts - before}`] ?? 0) + 1;
      const heap = await heapAfterGc(session);
      after.push(heap);
      log(`flood ${f}/${FLOODS}: ${CALLS} calls in ${ms} ms, heap ${heap} bytes (${heap - baseline >= 0 ? '+' : ''}${heap - baseline})`);
    }

    /**
     * One flood of `n` calls: waits until all but the pending one settled, cancels the
     * prompt, and returns the tally of outcomes.
     * @param {import('puppeteer-core').Page} page @param {number} n @param {() => Promise<void>} [sample]
     */
    async function flood(page, n, sample) {
      const t0 = Date.now();
      const promptTarget = browser.waitForTarget((t) => t.type() === 'page' && t.url().startsWith(promptUrl), { timeout: 30_000 });
      await page.evaluate(floodInPage, n);
      const prompt = await (await promptTarget).page();
      if (!prompt) throw new Error('the prompt has no page');
      await page.waitForFunction((c) => /** @type {any} */ (window).__floodSettled >= c, { timeout: 120_000, polling: 100 }, n - 1);
      await sample?.();
      await prompt.waitForSelector('[data-testid="prompt-cancel"]', { visible: true, timeout: 30_000 });
      await prompt.click('[data-testid="prompt-cancel"]').catch(() => undefined); // the window closes on the click
      const results = /** @type {string[]} */ (await page.evaluate(() => /** @type {any} */ (window).__flood));
      /** @type {Record<string, number>} */
      const tally = {};
      for (const r of results) {
        const key = r === PENDING ? 'refused' : r.startsWith('NotAllowedError:') ? 'cancelled' : `unexpected ${r}`;
        tally[key] = (tally[key] ?? 0) + 1;
      }
      // The prompt window is gone before the next flood.
      for (let i = 0; i < 100 && browser.targets().some((t) => t.url().startsWith(promptUrl)); i++) await new Promise((r) => setTimeout(r, 100));
      return { tally, ms: Date.now() - t0 };
    }
  } finally {
    await launched.close();
    await rp.close?.();
  }

  const last = after[after.length - 1] ?? baseline;
  const unexpected = Object.entries(outcomes).filter(([k]) => k !== 'refused' && k !== 'cancelled').reduce((n, [, v]) => n + v, 0);
  const figures = {
    test: 'flood',
    floods: FLOODS,
    callsPerFlood: CALLS,
    calls: FLOODS * CALLS,
    prompts: prompts - WARM_UPS,
    refused: outcomes.refused ?? 0,
    cancelled: outcomes.cancelled ?? 0,
    unexpected,
    heapBaselineBytes: baseline,
    heapAfterBytes: last,
    heapGrowthBytes: last - baseline,
    heapPeakBytes: peak,
    heapAfterEachFloodBytes: after,
    ms: Date.now() - started,
    ok:
      unexpected === 0 &&
      prompts - WARM_UPS === FLOODS &&
      outcomes.refused === FLOODS * (CALLS - 1) &&
      outcomes.cancelled === FLOODS &&
      last - baseline <= TOLERANCE_BYTES,
  };
  if (unexpected) log(`unexpected outcomes: ${JSON.stringify(outcomes)}`);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  return figures.ok;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    log(`flood soak failed: ${e?.stack ?? e}`);
    process.stdout.write(`${JSON.stringify({ test: 'flood', ok: false, error: String(e?.message ?? e) })}\n`);
    process.exit(1);
  },
);
