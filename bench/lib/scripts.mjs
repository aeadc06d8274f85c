// @ts-check
// The two page-facing scripts: their minified bytes, and how long each takes to install at
// document_start. The install time is measured on the built files themselves, evaluated
// before any page script through CDP Page.addScriptToEvaluateOnNewDocument: the MAIN-world
// script in the page's world, the relay in an isolated world of its own, as Chromium runs
// them. Each is bracketed by two one-line scripts in its world that read performance.now(),
// so the figure includes compiling the script, not only running it; `run` is the part
// inside the script alone, and `timerOnly` is the bracket around an empty script (the
// method's own floor, not subtracted). The page is served cross-origin isolated (COOP +
// COEP): there performance.now() is coarsened to 5 µs instead of 100 µs, which a figure of
// a few hundred µs needs. Every other load runs, in place of both scripts, the page script's
// *interface floor*: a script that only reads the interfaces the page script patches or keeps
// references into (INTERFACE_FLOOR), so that Chromium builds them as it does for Latchkey. What
// the page script adds to that is reported as the median of per-pair differences. Nothing of
// this ships.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { summarize } from './stats.mjs';

const RELAY_WORLD = 'latchkey-bench-relay';

/**
 * The interfaces src/page reads at install, in the page's world: its saved built-ins
 * (src/page/realm.ts, ceremony.ts), the prototypes whose members it patches (credential.ts,
 * install.ts), and window.open. Chromium builds an interface object and its prototype chain
 * on first use; this is what that costs, with none of Latchkey's own work. Keep it in step
 * with what src/page touches at install (tests/unit/bench/interface-floor.test.ts checks it).
 */
export const INTERFACE_FLOOR =
  JSON.parse(readFileSync(new URL('./interface-floor.json', import.meta.url), 'utf8'))
    .map((/** @type {string} */ name) => `${name}.prototype;`)
    .join('') + "Object.getOwnPropertyDescriptor(window, 'open');";

export const SCRIPTS = [
  { key: 'main', name: 'page script (MAIN world)', file: 'content-scripts/webauthn.js', budget: 8 * 1024 },
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
 * Wraps a built script so that it records how long its own code took to run. The script's
 * text is unchanged; it runs inside a function, as WXT's output already is an IIFE assigned
 * to a var. @param {string} code @param {string} slot
 */
function timedSource(code, slot) {
  return `(() => { const t0 = performance.now(); try {\n${code}\n} finally { globalThis[${JSON.stringify(slot)}] = performance.now() - t0; } })();`;
}

/** The scripts that bracket another: compile + run of what is between them. @param {string} slot */
const bracket = (slot) => [`globalThis.${slot}0 = performance.now();`, `globalThis.${slot} = performance.now() - globalThis.${slot}0;`];

/** A small page, cross-origin isolated. */
async function isolatedPageServer() {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end('<!doctype html><title>small</title><p>A small page.</p>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const addr = server.address();
  return {
    url: `http://localhost:${typeof addr === 'object' && addr ? addr.port : 0}/isolated`,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve(undefined)); }),
  };
}

/**
 * @param {{ browser: import('puppeteer-core').Browser, extensionDir: string, url?: string, loads: number }} opts
 * (`url` is not used: the scripts are timed on the cross-origin-isolated page served here.)
 */
export async function scriptInstall({ browser, extensionDir, loads }) {
  const server = await isolatedPageServer();
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
  /** @param {string} source @param {string} [worldName] */
  const add = (source, worldName) => client.send('Page.addScriptToEvaluateOnNewDocument', { source, ...(worldName ? { worldName } : {}) });
  // In the manifest's order: the relay, then the page script; then an empty script, bracketed
  // the same way, which gives the method's own cost.
  /** @type {string[]} */
  let registered = [];
  /** @param {boolean} floor the interface floor's load, or Latchkey's */
  const register = async (floor) => {
    for (const identifier of registered) await client.send('Page.removeScriptToEvaluateOnNewDocument', { identifier });
    registered = [];
    /** @param {string} source @param {string} [worldName] */
    const keep = async (source, worldName) => registered.push((await add(source, worldName)).identifier);
    /** @param {string} slot @param {string} code @param {string} [worldName] */
    const bracketed = async (slot, code, worldName) => {
      const [before, after] = bracket(`${slot}All`);
      await keep(before, worldName);
      await keep(timedSource(code, `${slot}Ms`), worldName);
      await keep(after, worldName);
    };
    if (floor) return bracketed('__lkFloor', INTERFACE_FLOOR);
    await bracketed('__lkRelay', relay, RELAY_WORLD);
    await bracketed('__lkMain', main);
    await bracketed('__lkEmpty', '');
  };
  /** @type {Record<'main'|'mainRun'|'relay'|'relayRun'|'timerOnly'|'floor'|'overFloor', number[]>} */
  const ms = { main: [], mainRun: [], relay: [], relayRun: [], timerOnly: [], floor: [], overFloor: [] };
  let installed = false;
  let isolated = false;
  try {
    for (let i = 0; i < loads; i++) {
      // A pair of loads, in a random order: the interface floor's, then Latchkey's, or the reverse.
      const floorFirst = Math.random() < 0.5;
      let floorMs = NaN;
      const floorLoad = async () => {
        await register(true);
        await page.goto(`${server.url}?f=${i}`, { waitUntil: 'load' });
        floorMs = await page.evaluate(() => /** @type {any} */ (globalThis).__lkFloorAll);
        ms.floor.push(floorMs);
      };
      if (floorFirst) await floorLoad();
      await register(false);
      relayContext = undefined;
      await page.goto(`${server.url}?s=${i}`, { waitUntil: 'load' });
      const m = await page.evaluate(() => {
        const g = /** @type {any} */ (globalThis);
        return {
          main: g.__lkMainAll,
          mainRun: g.__lkMainMs,
          empty: g.__lkEmptyAll,
          isolated: crossOriginIsolated,
          installed: !/\[native code\]/.test(String(navigator.credentials.get)),
        };
      });
      ms.main.push(m.main);
      ms.mainRun.push(m.mainRun);
      ms.timerOnly.push(m.empty);
      installed = m.installed;
      isolated = m.isolated;
      if (relayContext !== undefined) {
        const r = await client.send('Runtime.evaluate', {
          expression: '[globalThis.__lkRelayAll, globalThis.__lkRelayMs]',
          contextId: relayContext,
          returnByValue: true,
        });
        ms.relay.push(r.result.value[0]);
        ms.relayRun.push(r.result.value[1]);
      }
      // (After the relay's figures are read: this load ends its world.)
      if (!floorFirst) await floorLoad();
      ms.overFloor.push(m.main - floorMs);
    }
  } finally {
    await page.close();
    await server.close();
  }
  return {
    main: summarize(ms.main),
    mainRun: summarize(ms.mainRun),
    relay: summarize(ms.relay),
    relayRun: summarize(ms.relayRun),
    timerOnly: summarize(ms.timerOnly),
    interfaceFloor: summarize(ms.floor),
    mainOverFloor: summarize(ms.overFloor),
    mainInstalled: installed,
    crossOriginIsolated: isolated,
  };
}
