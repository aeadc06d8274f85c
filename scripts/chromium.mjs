// @ts-check
// Finds Chromium and launches it with the built extension.
//
//   import { findChromium, launchWithExtension } from './chromium.mjs';
//   const { browser, extensionId, serviceWorkerTarget, userDataDir } =
//     await launchWithExtension({ extensionDir: '.output/chrome-mv3', headless: true });
//
// Passing the same `userDataDir` again relaunches on the same profile (IndexedDB,
// storage.local survive; storage.session does not, as after a real browser restart).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags every launch uses. */
export const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** @param {string} cmd */
function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * A browser's executable: `$envVar`, else the first of `paths` that exists. When none does
 * and we are root with apt-get, installs the Debian package `pkg` (saying so); otherwise
 * throws with the command to run.
 * @param {{ name: string, envVar: string, paths: string[], pkg: string, install?: boolean, log?: (line: string) => void }} opts
 * @returns {string}
 */
export function findBrowser({ name, envVar, paths, pkg, install = true, log = (l) => console.error(l) }) {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${envVar}=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = () => paths.find((p) => existsSync(p));
  if (found()) return /** @type {string} */ (found());

  const command = `apt-get update && apt-get install -y ${pkg}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (install && isRoot && onPath('apt-get')) {
    log(`${name} not found at ${paths.join(' or ')}; installing it: ${command}`);
    // Wait for a concurrent apt/dpkg run instead of failing on its lock.
    const lock = '-o DPkg::Lock::Timeout=600';
    const res = spawnSync('sh', ['-c', `apt-get ${lock} update && DEBIAN_FRONTEND=noninteractive apt-get ${lock} install -y ${pkg}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (res.status === 0 && found()) return /** @type {string} */ (found());
    throw new Error(`Installing ${name} failed (exit ${res.status}). Run as root: ${command}`);
  }
  throw new Error(`${name} not found. Set ${envVar} to its binary, or install it as root: ${command}`);
}

/**
 * The Chromium executable: $CHROME_PATH, else /usr/bin/chromium, installed from Debian when
 * missing (findBrowser).
 * @param {{ install?: boolean, log?: (line: string) => void }} [opts]
 * @returns {string}
 */
export function findChromium(opts = {}) {
  return findBrowser({ name: 'Chromium', envVar: 'CHROME_PATH', paths: [DEFAULT_CHROMIUM], pkg: 'chromium', ...opts });
}

/**
 * @typedef {object} LaunchOptions
 * @property {string} extensionDir  unpacked extension (e.g. .output/chrome-mv3)
 * @property {boolean} [headless]   default true
 * @property {string} [userDataDir] reuse a profile (relaunch); default: a fresh temp dir
 * @property {string[]} [args]      extra Chromium flags
 * @property {number} [timeout]     ms to wait for the extension's service worker (default 15000)
 * @property {boolean} [dumpio]     pipe Chromium's stderr/stdout to ours
 * @property {(t: import('puppeteer-core').Target) => boolean} [targetFilter]
 *   puppeteer's: false leaves a target alone (the bench's unobserved pages)
 */

/**
 * @typedef {object} Launched
 * @property {import('puppeteer-core').Browser} browser
 * @property {string} extensionId
 * @property {import('puppeteer-core').Target} serviceWorkerTarget
 * @property {string} userDataDir
 * @property {boolean} ownsUserDataDir  true when launchWithExtension made the dir
 * @property {(opts?: { keepProfile?: boolean }) => Promise<void>} close
 *   closes the browser; removes the profile when we made it, unless keepProfile
 */

/**
 * Launches Chromium with the unpacked extension and waits for its service worker.
 * @param {LaunchOptions} opts
 * @returns {Promise<Launched>}
 */
export async function launchWithExtension({ extensionDir, headless = true, userDataDir, args = [], timeout = 15_000, dumpio = false, targetFilter }) {
  const extDir = path.resolve(extensionDir);
  if (!existsSync(path.join(extDir, 'manifest.json'))) {
    throw new Error(`No built extension at ${extDir} (manifest.json missing). Run: npm run build`);
  }
  const ownsUserDataDir = !userDataDir;
  const profile = userDataDir ?? mkdtempSync(path.join(tmpdir(), 'latchkey-profile-'));

  const browser = await puppeteer.launch({
    executablePath: findChromium(),
    headless,
    pipe: true,
    enableExtensions: [extDir],
    userDataDir: profile,
    defaultViewport: headless ? { width: 1100, height: 800 } : null,
    dumpio,
    args: [...BASE_ARGS, ...args],
    ...(targetFilter ? { targetFilter } : {}),
  });

  let serviceWorkerTarget;
  try {
    serviceWorkerTarget = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
      { timeout },
    );
  } catch (e) {
    await browser.close().catch(() => {});
    if (ownsUserDataDir) rmSync(profile, { recursive: true, force: true });
    throw new Error(`The extension's service worker did not start within ${timeout} ms (${extDir}): ${/** @type {Error} */ (e).message}`);
  }
  const extensionId = new URL(serviceWorkerTarget.url()).host;

  return {
    browser,
    extensionId,
    serviceWorkerTarget,
    userDataDir: profile,
    ownsUserDataDir,
    async close({ keepProfile = false } = {}) {
      await browser.close().catch(() => {});
      if (ownsUserDataDir && !keepProfile) removeProfile(profile);
    },
  };
}

/**
 * Stops the extension's service worker, as Chromium does when it is idle, and returns once
 * none has run for `quietMs`.
 * - Chromium does not stop a worker on a close while a debugger session is attached to it (a
 *   probe: 20 s of closes beside puppeteer's session, still running). Puppeteer's own close
 *   detaches its session only after the close, so the worker may run on: seen in CI, still
 *   listed 3 s later.
 * - A stopped worker may start again at once: an event on its way (the offscreen document's
 *   first message) starts it, and in probes so did the end of a debugger session.
 * So puppeteer's session is closed, the close is sent again with none attached, and that is
 * repeated each second until no worker has run for `quietMs`. The browser's own target list
 * is read, not puppeteer's, whose entry for a stopped worker can linger.
 * @param {import('puppeteer-core').Browser} browser
 * @param {string} extensionId
 * @param {{ quietMs?: number, timeout?: number }} [opts]
 */
export async function stopServiceWorker(browser, extensionId, { quietMs = 300, timeout = 20_000 } = {}) {
  const root = await browser.target().createCDPSession();
  const prefix = `chrome-extension://${extensionId}/`;
  const pause = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
  try {
    const deadline = Date.now() + timeout;
    /** @type {number | undefined} when none was first seen running since one last ran */
    let stoppedAt;
    let closedAt = -Infinity;
    while (Date.now() < deadline) {
      const { targetInfos } = await root.send('Target.getTargets');
      const running = targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith(prefix));
      const now = Date.now();
      if (running.length === 0) {
        stoppedAt ??= now;
        if (now - stoppedAt >= quietMs) return;
      } else {
        stoppedAt = undefined;
        // A close is given a second to take effect before it is sent again.
        if (now - closedAt >= 1000) {
          closedAt = now;
          for (const info of running) {
            const attached = info.attached ? browser.targets().find((t) => t.type() === 'service_worker' && t.url() === info.url) : undefined;
            await (await attached?.worker())?.close().catch(() => {});
            await root.send('Target.closeTarget', { targetId: info.targetId }).catch(() => {});
          }
        }
      }
      await pause(20);
    }
    throw new Error(`The extension's service worker did not stay stopped within ${timeout} ms`);
  } finally {
    await root.detach().catch(() => {});
  }
}

/**
 * Launches Chromium WITHOUT the extension (a baseline: the browser's own WebAuthn).
 * @param {{ headless?: boolean, userDataDir?: string, args?: string[] }} [opts]
 */
export async function launchChromium({ headless = true, userDataDir, args = [] } = {}) {
  const ownsUserDataDir = !userDataDir;
  const profile = userDataDir ?? mkdtempSync(path.join(tmpdir(), 'latchkey-plain-'));
  const browser = await puppeteer.launch({
    executablePath: findChromium(),
    headless,
    pipe: true,
    userDataDir: profile,
    defaultViewport: headless ? { width: 1100, height: 800 } : null,
    args: [...BASE_ARGS, ...args],
  });
  return {
    browser,
    userDataDir: profile,
    async close() {
      await browser.close().catch(() => {});
      if (ownsUserDataDir) removeProfile(profile);
    },
  };
}

/**
 * Removes a profile dir, retrying briefly: Chromium may still be writing as it exits.
 * @param {string} dir
 */
export function removeProfile(dir) {
  for (let i = 0; i < 5; i++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch {
      spawnSync('sleep', ['0.2']);
    }
  }
}

/** @param {string} dir */
export function isExtensionBuilt(dir) {
  try {
    return statSync(path.join(dir, 'manifest.json')).isFile();
  } catch {
    return false;
  }
}
