#!/usr/bin/env node
// @ts-check
// End-to-end test runner: Chromium + the built extension + a local relying party.
//
//   node tests/e2e/run.mjs [filter ...]     (npm run test:e2e builds first)
//
// Discovers tests/e2e/*.test.mjs. Each file exports `tests`: an array of
// { name: string, fn: (ctx) => Promise<void>, timeout?: number }. Each test runs with a
// fresh context (see `Ctx` below): a freshly launched Chromium with the extension
// on a fresh profile, and a fresh relying party; both are closed afterwards.
// A filter keeps the tests whose "file › name" contains any of the given substrings.
// On failure, every open page is screenshot to tests/artifacts/. The last line is
// always `N passed, N failed`; the exit code is 1 when anything failed, or when a filter
// matches no test. Tests run E2E_JOBS (default 2) at a time (those that launch Firefox take
// turns); each file's time (its tests added up) is printed at the end.
// A test that times out is cancelled: every browser launched while it ran (by the runner or
// by the test itself: puppeteer.launch is wrapped) is closed, so it cannot go on beside the
// next test, and a browser it launches after that is closed at once.
//
// Environment: EXTENSION_DIR (default .output/chrome-mv3), CHROME_PATH, HEADLESS=0 to watch,
// E2E_TIMEOUT (ms per test, default 60000). firefox.test.mjs runs the Firefox build
// (FIREFOX_EXTENSION_DIR, default firefox-mv3 beside EXTENSION_DIR) in FIREFOX_PATH or
// Debian's firefox-esr (scripts/firefox.mjs).

import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { isExtensionBuilt, launchWithExtension, removeProfile } from '../../scripts/chromium.mjs';
import { startRelyingParty } from '../../scripts/rp/server.mjs';
import { PIN } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const extensionDir = path.resolve(root, process.env.EXTENSION_DIR ?? path.join(process.env.LATCHKEY_OUT_DIR ?? '.output', 'chrome-mv3'));
const artifactsDir = path.join(root, 'tests/artifacts');
const headless = process.env.HEADLESS !== '0';
const defaultTimeout = Number(process.env.E2E_TIMEOUT ?? 60_000);
/** Tests run side by side (E2E_JOBS, default 2: most of a test's time is spent waiting on a browser). */
const jobs = Math.max(1, Number(process.env.E2E_JOBS ?? 2));

/**
 * @typedef {object} Ctx  what every test function receives
 * @property {import('puppeteer-core').Browser} browser
 * @property {string} extensionId
 * @property {import('puppeteer-core').Target} serviceWorkerTarget
 * @property {import('puppeteer-core').Target} swTarget    alias of serviceWorkerTarget
 * @property {string} userDataDir
 * @property {string} extensionDir
 * @property {Awaited<ReturnType<typeof startRelyingParty>>} rp
 * @property {import('puppeteer-core').Page} page  a tab on the RP's demo page (rp.url), in front
 * @property {string} pin                          the vault PIN tests use
 * @property {string} artifactsDir
 * @property {(opts?: { page?: string }) => Promise<Ctx>} relaunch
 *   quits Chromium and starts it again on the same profile; updates this ctx (browser,
 *   extensionId, serviceWorkerTarget, page) and returns it
 * @property {(url: string) => Promise<import('puppeteer-core').Page>} newPage  a new tab at url
 * @property {(...args: unknown[]) => void} log     printed under the test name
 * @property {(browser: import('puppeteer-core').Browser) => Promise<void>} saveArtifacts
 *   screenshots every page of a browser the test launched itself, into tests/artifacts/ (a
 *   test with extension: false calls it when it fails, before it closes that browser)
 */

/**
 * @typedef {{ name: string, fn: (ctx: Ctx) => Promise<void>, timeout?: number, extension?: boolean, alone?: boolean }} TestCase
 *   extension: false → no Chromium is launched for the test (ctx has only rp, log,
 *   artifactsDir, pin, saveArtifacts); such a test launches what it needs itself.
 *   alone: true → no other test runs beside it (one that needs the machine to itself).
 */

/**
 * The browsers each test launched. puppeteer-core's default export is one object shared by
 * every module (scripts/chromium.mjs, scripts/firefox.mjs), so wrapping its launch here sees
 * every browser a test starts, whoever starts it; AsyncLocalStorage tells which test did,
 * even when a cancelled test's code runs on during the next one.
 * @typedef {{ browsers: Set<import('puppeteer-core').Browser>, cancelled: boolean, releaseFirefox?: () => void }} Owner
 * @type {AsyncLocalStorage<Owner>}
 */
const testOwner = new AsyncLocalStorage();
const nativeLaunch = puppeteer.launch.bind(puppeteer);
/** Firefox instances share fixed ports: the first test to launch one holds this until it ends. */
let firefoxHeld = Promise.resolve();
puppeteer.launch = async (/** @type {Parameters<typeof nativeLaunch>} */ ...args) => {
  const owner = testOwner.getStore();
  if (owner && args[0]?.browser === 'firefox' && !owner.releaseFirefox) {
    const previous = firefoxHeld;
    firefoxHeld = new Promise((release) => (owner.releaseFirefox = () => release(undefined)));
    await previous;
  }
  const browser = await nativeLaunch(...args);
  if (!owner) return browser;
  owner.browsers.add(browser);
  if (owner.cancelled) {
    await browser.close().catch(() => {});
    throw new Error('the test was cancelled (timed out): browser closed at launch');
  }
  return browser;
};

/** Closes every browser the current test launched that is still open. */
async function closeTracked(/** @type {Owner} */ owner) {
  await Promise.all(
    [...owner.browsers].map((b) =>
      Promise.race([b.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]).then(() => {
        if (b.connected) b.process()?.kill('SIGKILL');
      }),
    ),
  );
}

/** @param {string} s */
const slug = (s) => s.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 80);

async function discover() {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.test.mjs'))
    .sort();
  /** @type {{ file: string, test: TestCase }[]} */
  const all = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(here, file)).href);
    /** @type {TestCase[]} */
    const tests = mod.tests;
    if (!Array.isArray(tests)) throw new Error(`${file} must export \`tests\` (an array of { name, fn })`);
    for (const test of tests) {
      if (typeof test?.name !== 'string' || typeof test?.fn !== 'function') throw new Error(`${file}: every test needs a name and an fn`);
      all.push({ file: file.replace(/\.test\.mjs$/, ''), test });
    }
  }
  return all;
}

/**
 * Screenshots every open page (prompt windows included) into tests/artifacts/.
 * @param {import('puppeteer-core').Browser | undefined} browser @param {string} prefix
 */
async function saveArtifacts(browser, prefix, /** @type {string[]} */ consoleLines) {
  mkdirSync(artifactsDir, { recursive: true });
  const saved = [];
  if (consoleLines.length) {
    const file = path.join(artifactsDir, `${prefix}.console.log`);
    writeFileSync(file, consoleLines.join('\n') + '\n');
    saved.push(file);
  }
  if (!browser || !browser.connected) return saved;
  const pages = await Promise.race([browser.pages(), new Promise((r) => setTimeout(() => r([]), 5000))]);
  let i = 0;
  for (const page of /** @type {import('puppeteer-core').Page[]} */ (pages)) {
    i++;
    const file = path.join(artifactsDir, `${prefix}--${i}-${slug(page.url().replace(/^\w+:\/\//, '')) || 'blank'}.png`);
    try {
      await Promise.race([
        page.screenshot({ path: /** @type {`${string}.png`} */ (file) }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('screenshot timed out')), 5000)),
      ]);
      saved.push(file);
    } catch {
      // a page that closed or hangs: nothing to save
    }
  }
  return saved;
}

/** @param {{ file: string, test: TestCase }} entry */
async function runOne({ file, test }) {
  /** @type {string[]} */
  const consoleLines = [];
  /** @type {Awaited<ReturnType<typeof launchWithExtension>> | undefined} */
  let launched;
  /** @type {Awaited<ReturnType<typeof startRelyingParty>> | undefined} */
  let rp;
  /** @type {string[]} */
  const logs = [];
  const started = Date.now();
  /** @type {Ctx | undefined} */
  let ctx;
  const prefix = `${slug(file)}--${slug(test.name)}`;
  /** Artifacts a test saved itself, from a browser of its own. @type {string[]} */
  const savedByTest = [];

  /** @param {import('puppeteer-core').Browser} browser */
  const collectConsole = (browser) => {
    browser.on('targetcreated', async (t) => {
      if (t.type() !== 'page') return;
      const p = await t.page().catch(() => null);
      p?.on('console', (m) => consoleLines.push(`[${t.url()}] ${m.type()}: ${m.text()}`));
      p?.on('pageerror', (e) => consoleLines.push(`[${t.url()}] pageerror: ${/** @type {Error} */ (e).message}`));
    });
  };

  const run = async () => {
    rp = await startRelyingParty();
    if (test.extension === false) {
      ctx = /** @type {Ctx} */ (/** @type {unknown} */ ({
        rp,
        extensionDir,
        pin: PIN,
        artifactsDir,
        log: (/** @type {unknown[]} */ ...args) => logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')),
        saveArtifacts: async (/** @type {import('puppeteer-core').Browser} */ browser) => {
          savedByTest.push(...(await saveArtifacts(browser, prefix, []).catch(() => [])));
        },
      }));
      return test.fn(ctx);
    }
    launched = await launchWithExtension({ extensionDir, headless });
    collectConsole(launched.browser);
    const first = (await launched.browser.pages())[0] ?? (await launched.browser.newPage());
    await first.goto(rp.url, { waitUntil: 'load' });
    await first.bringToFront();
    const userDataDir = launched.userDataDir;
    ctx = {
      browser: launched.browser,
      extensionId: launched.extensionId,
      serviceWorkerTarget: launched.serviceWorkerTarget,
      swTarget: launched.serviceWorkerTarget,
      userDataDir,
      extensionDir,
      rp,
      page: first,
      pin: PIN,
      artifactsDir,
      log: (...args) => logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')),
      saveArtifacts: async (browser) => {
        savedByTest.push(...(await saveArtifacts(browser, prefix, []).catch(() => [])));
      },
      newPage: async (url) => {
        const p = await /** @type {Ctx} */ (ctx).browser.newPage();
        await p.goto(url, { waitUntil: 'load' });
        return p;
      },
      relaunch: async ({ page = /** @type {any} */ (rp).url } = {}) => {
        const c = /** @type {Ctx} */ (ctx);
        await c.browser.close();
        const again = await launchWithExtension({ extensionDir, headless, userDataDir });
        collectConsole(again.browser);
        const p = (await again.browser.pages())[0] ?? (await again.browser.newPage());
        await p.goto(page, { waitUntil: 'load' });
        await p.bringToFront();
        Object.assign(c, {
          browser: again.browser,
          extensionId: again.extensionId,
          serviceWorkerTarget: again.serviceWorkerTarget,
          swTarget: again.serviceWorkerTarget,
          page: p,
        });
        return c;
      },
    };
    await test.fn(ctx);
  };

  const timeout = test.timeout ?? defaultTimeout;
  /** @type {Owner} */
  const owner = { browsers: new Set(), cancelled: false };
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  /** @type {unknown} */
  let error;
  try {
    await Promise.race([
      testOwner.run(owner, run),
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`test timed out after ${timeout} ms (cancelled: its browsers are closed)`));
        }, timeout);
      }),
    ]);
  } catch (e) {
    error = e;
  } finally {
    clearTimeout(timer);
  }
  const ms = Date.now() - started;

  /** @type {string[]} */
  let saved = [];
  if (error) saved = [...savedByTest, ...(await saveArtifacts(ctx?.browser ?? launched?.browser, prefix, consoleLines).catch(() => []))];
  // close the current browser (after a relaunch, ctx.browser), then remove the profile
  await (ctx?.browser ?? launched?.browser)?.close()?.catch(() => {});
  // A timed-out test's fn is still running: no browser of its own may outlive it. (A test
  // that finished closed its own; any it left open is closed here as well.)
  owner.cancelled = true;
  await closeTracked(owner);
  owner.releaseFirefox?.();
  if (launched) removeProfile(launched.userDataDir);
  await rp?.close().catch(() => {});
  return { error, ms, logs, saved };
}

async function main() {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  let all;
  try {
    all = await discover();
  } catch (e) {
    console.error(`✗ could not load the tests: ${/** @type {Error} */ (e).stack ?? e}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  const selected = filters.length ? all.filter(({ file, test }) => filters.some((f) => `${file} › ${test.name}`.includes(f))) : all;
  if (!selected.length) {
    console.error(`✗ no test matches ${filters.map((f) => JSON.stringify(f)).join(' or ')} (a filter is a substring of "file › name")`);
    console.log('0 passed, 0 failed');
    process.exit(1);
  }

  const built = isExtensionBuilt(extensionDir);
  if (!built) console.log(`No built extension at ${extensionDir}: run npm run build (npm run test:e2e does it). Tests that need it fail.\n`);
  console.log(`Running ${selected.length} end-to-end test(s) against ${extensionDir.startsWith(root + path.sep) ? path.relative(root, extensionDir) : extensionDir}${headless ? '' : ' (headed)'}\n`);

  let passed = 0;
  let failed = 0;
  /** Each file's test time, summed (tests of different files may run side by side). @type {Map<string, number>} */
  const fileMs = new Map();
  /** @param {{ file: string, test: TestCase }} entry */
  const report = (entry, /** @type {Awaited<ReturnType<typeof runOne>>} */ { error, ms, logs, saved }) => {
    fileMs.set(entry.file, (fileMs.get(entry.file) ?? 0) + ms);
    const lines = [];
    if (!error) {
      passed++;
      lines.push(`  ✓ ${entry.file} › ${entry.test.name} (${ms} ms)`);
    } else {
      failed++;
      lines.push(`  ✗ ${entry.file} › ${entry.test.name} (${ms} ms)`);
      const err = /** @type {Error} */ (error);
      const text = (err && err.stack) || String(error);
      lines.push(text.split('\n').map((l) => `      ${l}`).join('\n'));
      for (const f of saved) lines.push(`      artifact: ${path.relative(root, f)}`);
    }
    for (const line of logs) lines.push(`      · ${line}`);
    console.log(lines.join('\n'));
  };
  const runEntry = (/** @type {{ file: string, test: TestCase }} */ entry) =>
    built || entry.test.extension === false
      ? runOne(entry)
      : Promise.resolve({ error: new Error(`no built extension at ${extensionDir}`), ms: 0, logs: [], saved: [] });

  // Up to `jobs` tests at once; a test marked `alone: true` runs with nothing beside it (and
  // tests that launch Firefox take turns: see puppeteer.launch above).
  const queue = [...selected];
  /** @type {Set<string>} */
  const busyLanes = new Set();
  let running = 0;
  // Firefox's files (firefox*.test.mjs) form one lane, queued first: it is the longest chain.
  const laneOf = (/** @type {{ file: string, test: TestCase }} */ e) => (e.test.alone ? 'alone' : e.file.startsWith('firefox') ? 'firefox' : '');
  queue.sort((a, b) => Number(laneOf(b) === 'firefox') - Number(laneOf(a) === 'firefox'));
  const canStart = (/** @type {{ file: string, test: TestCase }} */ e) => {
    const lane = laneOf(e);
    if (busyLanes.has('alone') || (lane === 'alone' && running > 0)) return false;
    return !lane || !busyLanes.has(lane);
  };
  const started = Date.now();
  await new Promise((/** @type {(v?: unknown) => void} */ done) => {
    const pump = () => {
      if (!queue.length && !running) return done();
      while (running < jobs) {
        const i = queue.findIndex(canStart);
        if (i < 0) break;
        const [entry] = queue.splice(i, 1);
        const lane = laneOf(entry);
        if (lane) busyLanes.add(lane);
        running++;
        runEntry(entry).then((result) => {
          report(entry, result);
          if (lane) busyLanes.delete(lane);
          running--;
          pump();
        });
      }
    };
    pump();
  });
  console.log('\nTime per file (its tests added up):');
  for (const [file, ms] of fileMs) console.log(`  ${file}: ${(ms / 1000).toFixed(1)} s`);
  console.log(`  all files: ${((Date.now() - started) / 1000).toFixed(0)} s of wall time, ${jobs} at a time`);
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

await main();
