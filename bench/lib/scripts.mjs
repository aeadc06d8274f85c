// @ts-check
// The two page-facing scripts: their minified bytes, and how long each takes to install at
// document_start. The install time is measured on the built files themselves, evaluated
// before any page script through CDP Page.addScriptToEvaluateOnNewDocument with
// performance.now() around them: the MAIN-world script in the page's world, the relay in
// an isolated world of its own, as Chromium runs them. Nothing of this ships.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { summarize } from './stats.mjs';

const RELAY_WORLD = 'latchkey-bench-relay';

export const SCRIPTS = [
  { key: 'main', name: 'page script (MAIN world)', file: 'content-scripts/webauthn.js', budget: 6 * 1024 },
  { key: 'relay', name: 'relay (ISOLATED world)', file: 'relay.js', budget: 4 * 1024 },
];

/** @param {string} extensionDir */
export function scriptSizes(extensionDir) {
  return Object.fromEntries(
    SCRIPTS.map((s) => {
      const bytes = Buffer.byteLength(readFileSync(path.join(extensionDir, s.file), 'utf8'));
      return [s.key, { name: s.name, file: s.file, bytes, budget: s.budget }];
    }),
  );
}

/**
 * Wraps a built script so that it records how long it took to run. The script's own text is
 * unchanged; it runs inside a function, as WXT's output already is an IIFE assigned to a var.
 * @param {string} code @param {string} slot
 */
function timedSource(code, slot) {
  return `(() => { const t0 = performance.now(); try {\n${code}\n} finally { globalThis[${JSON.stringify(slot)}] = performance.now() - t0; } })();`;
}

/**
 * @param {{ browser: import('puppeteer-core').Browser, extensionDir: string, url: string, loads: number }} opts
 */
export async function scriptInstall({ browser, extensionDir, url, loads }) {
  const page = await browser.newPage();
  const client = await page.createCDPSession();
  await client.send('Page.enable');
  await client.send('Runtime.enable');
  /** @type {number|undefined} */
  let relayContext;
  client.on('Runtime.executionContextCreated', (e) => {
    if (e.context.name === RELAY_WORLD) relayContext = e.context.id;
  });
  const main = readFileSync(path.join(extensionDir, SCRIPTS[0].file), 'utf8');
  const relay = readFileSync(path.join(extensionDir, SCRIPTS[1].file), 'utf8');
  // The relay first, as the manifest lists it; an empty script gives the timer's own cost.
  await client.send('Page.addScriptToEvaluateOnNewDocument', { source: timedSource(relay, '__lkRelayMs'), worldName: RELAY_WORLD });
  await client.send('Page.addScriptToEvaluateOnNewDocument', { source: timedSource(main, '__lkMainMs') });
  await client.send('Page.addScriptToEvaluateOnNewDocument', { source: timedSource('', '__lkEmptyMs') });
  /** @type {number[]} */ const mainMs = [];
  /** @type {number[]} */ const relayMs = [];
  /** @type {number[]} */ const emptyMs = [];
  let installed = false;
  for (let i = 0; i < loads; i++) {
    relayContext = undefined;
    await page.goto(`${url}?s=${i}`, { waitUntil: 'load' });
    const m = await page.evaluate(() => ({
      main: /** @type {any} */ (globalThis).__lkMainMs,
      empty: /** @type {any} */ (globalThis).__lkEmptyMs,
      installed: !/\[native code\]/.test(String(navigator.credentials.get)),
    }));
    mainMs.push(m.main);
    emptyMs.push(m.empty);
    installed = m.installed;
    if (relayContext !== undefined) {
      const r = await client.send('Runtime.evaluate', { expression: 'globalThis.__lkRelayMs', contextId: relayContext, returnByValue: true });
      relayMs.push(r.result.value);
    }
  }
  await page.close();
  return { main: summarize(mainMs), relay: summarize(relayMs), timerOnly: summarize(emptyMs), mainInstalled: installed };
}
