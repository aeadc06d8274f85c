// @ts-check
// Page-load overhead: the same small local page loaded in three browsers, interleaved in a
// random order each round: with no extension, with the floor extension (empty content
// scripts in both worlds at document_start) and with Latchkey. Navigation start → load
// event end, from the page's own Navigation Timing entry.
import http from 'node:http';
import { launchPlain } from './browsers.mjs';
import { shuffle, summarize } from './stats.mjs';

const SMALL_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>A small page</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}nav a{margin-right:1rem}</style>
</head><body>
<nav><a href="#a">Home</a><a href="#b">Products</a><a href="#c">About</a></nav>
<h1>A small page</h1>
<p>Some text, a form and a script: what a sign-in page holds before its framework loads.</p>
<form><label>Email <input name="email" autocomplete="username webauthn"></label><button type="button">Continue</button></form>
<ul>${Array.from({ length: 20 }, (_, i) => `<li>Item ${i + 1}</li>`).join('')}</ul>
<script>document.querySelector('button').addEventListener('click', () => {});</script>
</body></html>`;

/** A server for the small page. */
export async function startPageServer() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(SMALL_PAGE);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://localhost:${port}/small`,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve(undefined)); }),
  };
}

/** @param {import('puppeteer-core').Page} page @param {string} url */
async function loadOnce(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  // loadEventEnd is 0 until the load handlers return; wait for it.
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const read = () => {
          const nav = /** @type {PerformanceNavigationTiming|undefined} */ (performance.getEntriesByType('navigation')[0]);
          if (nav && nav.loadEventEnd > 0) resolve(nav.loadEventEnd - nav.startTime);
          else setTimeout(read, 0);
        };
        read();
      }),
  );
}

/**
 * `others`: more builds of Latchkey to load in the same rounds (the A/B mode, `--ab=<ref>`),
 * each judged against the floor of its round, and against `latchkey` (B ÷ A per round).
 * @param {{ latchkey: import('./browsers.mjs').LatchkeyBrowser, plain: { browser: import('puppeteer-core').Browser }, floorDir: string, loads: number, warmup: number, log: (l: string) => void, others?: { name: string, browser: import('puppeteer-core').Browser }[] }} opts
 */
export async function pageLoad({ latchkey, plain: none, floorDir, loads, warmup, log, others = [] }) {
  const server = await startPageServer();
  const floor = await launchPlain({ extensionDir: floorDir });
  try {
    const variants = [
      { name: 'none', page: await none.browser.newPage() },
      { name: 'floor', page: await floor.browser.newPage() },
      { name: 'latchkey', page: await latchkey.browser.newPage() },
      ...(await Promise.all(others.map(async (o) => ({ name: o.name, page: await o.browser.newPage() })))),
    ];
    const lk = variants.filter((v) => v.name !== 'none' && v.name !== 'floor').map((v) => v.name);
    /** @type {Record<string, number[]>} */
    const samples = Object.fromEntries(variants.map((v) => [v.name, []]));
    /** Per-round ratios: each round loads every variant back to back, in a random order, so a
     * busy moment of the machine weighs on all alike. @type {Record<string, number[]>} */
    const paired = { floorOverNone: [], ...Object.fromEntries(lk.map((n) => [`${n}OverFloor`, []])), ...Object.fromEntries(others.map((o) => [`${o.name}OverLatchkey`, []])) };
    for (let round = 0; round < warmup + loads; round++) {
      /** @type {Record<string, number>} */
      const t = {};
      for (const v of shuffle([...variants])) t[v.name] = /** @type {number} */ (await loadOnce(v.page, `${server.url}?r=${round}`));
      if (round < warmup) continue;
      for (const k of Object.keys(t)) samples[k].push(t[k]);
      paired.floorOverNone.push(t.floor / t.none);
      for (const n of lk) paired[`${n}OverFloor`].push(t[n] / t.floor);
      for (const o of others) paired[`${o.name}OverLatchkey`].push(t[o.name] / t.latchkey);
    }
    // Sanity: the Latchkey pages really have Latchkey's get installed, the others the browser's.
    let installed = true;
    for (const v of variants.filter((v) => lk.includes(v.name)))
      if (!(await v.page.evaluate(() => !/\[native code\]/.test(String(navigator.credentials.get))))) {
        installed = false;
        log(`warning: ${v.name} does not seem installed on the small page`);
      }
    for (const v of variants) await v.page.close();
    const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
    const ratios = Object.fromEntries(Object.entries(paired).map(([k, v]) => [k, summarize(v)]));
    return {
      ...s,
      // The median of the per-round ratios (robust to the machine's load drifting), with its
      // spread, and the ratio of the medians for comparison.
      latchkeyOverFloor: ratios.latchkeyOverFloor.median,
      floorOverNone: ratios.floorOverNone.median,
      ratios,
      ratioOfMedians: { latchkeyOverFloor: s.latchkey.median / s.floor.median, floorOverNone: s.floor.median / s.none.median },
      floorCostMs: s.floor.median - s.none.median,
      latchkeyCostMs: s.latchkey.median - s.none.median,
      latchkeyInstalled: installed,
    };
  } finally {
    await floor.close();
    await server.close();
  }
}
