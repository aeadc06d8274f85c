// @ts-check
// Finds Firefox and launches it with the Firefox build of the extension
// (`npm run build:firefox` → .output/firefox-mv3), through puppeteer's WebDriver BiDi.
//
//   const { browser, close } = await launchFirefoxWithExtension({ extensionDir: '.output/firefox-mv3' });
//
// The extension is installed as a temporary add-on (BiDi webExtension.install), as
// about:debugging loads one: unsigned, for this session only. Each launch has a fresh profile.

import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { findBrowser } from './chromium.mjs';

/**
 * The Firefox executable: $FIREFOX_PATH, else Debian's firefox-esr (or a firefox on the usual
 * path), installed from Debian when missing.
 * @param {{ install?: boolean, log?: (line: string) => void }} [opts]
 */
export function findFirefox(opts = {}) {
  return findBrowser({ name: 'Firefox', envVar: 'FIREFOX_PATH', paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox'], pkg: 'firefox-esr', ...opts });
}

/**
 * Launches Firefox with the built extension installed. `prefs` are set in the fresh profile,
 * `args` added to its command line; `acceptInsecureCerts` lets it trust a test server's
 * self-signed certificate.
 * @param {{ extensionDir: string, headless?: boolean, prefs?: Record<string, unknown>, args?: string[], acceptInsecureCerts?: boolean }} opts
 */
export async function launchFirefoxWithExtension({ extensionDir, headless = true, prefs, args, acceptInsecureCerts }) {
  const dir = path.resolve(extensionDir);
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`No Firefox build at ${dir} (manifest.json missing). Run: npm run build:firefox`);
  }
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: findFirefox(), headless, extraPrefsFirefox: prefs, args, acceptInsecureCerts });
  try {
    const addonId = await browser.installExtension(dir);
    return {
      browser,
      addonId,
      async close() {
        await browser.close().catch(() => {});
      },
    };
  } catch (e) {
    await browser.close().catch(() => {});
    throw e;
  }
}
