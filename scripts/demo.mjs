#!/usr/bin/env node
// @ts-check
// `npm run demo` (builds first): starts the demo relying party and Chromium with Latchkey.
//
//   Headed (a DISPLAY and no --headless): opens the demo page and leaves the browser to you.
//   Headless (no DISPLAY, or --headless): registers 'alice' and signs in by itself, driving
//   Latchkey's prompt like a person (wait for it, screenshot it, click Approve), prints each
//   step with the server's verdict, and exits 0 only if every step verified.
//
// Options: --headless, --headed, --port N (default 8765; any free port if taken),
//          --user NAME (default alice). Screenshots go to demo-artifacts/.

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isExtensionBuilt, launchWithExtension } from './chromium.mjs';
import { startRelyingParty } from './rp/server.mjs';
import {
  approvePrompt,
  passVaultGate,
  startRegister,
  startSignIn,
  waitForPrompt,
  withTimeout,
} from '../tests/e2e/helpers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extensionDir = path.resolve(root, process.env.EXTENSION_DIR ?? path.join(process.env.LATCHKEY_OUT_DIR ?? '.output', 'chrome-mv3'));
const artifactsDir = path.join(root, 'demo-artifacts');

const argv = process.argv.slice(2);
/** @param {string} name */
const flagValue = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const headless = argv.includes('--headless') || (!argv.includes('--headed') && !process.env.DISPLAY);
const wantedPort = Number(flagValue('--port') ?? 8765);
const username = flagValue('--user') ?? 'alice';

/** Starts the RP on the wanted port, or on any free one if that is taken. */
async function startRp() {
  const log = (/** @type {string} */ l) => console.log(`  [rp] ${l}`);
  try {
    return await startRelyingParty({ port: wantedPort, log });
  } catch (e) {
    if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EADDRINUSE') throw e;
    console.log(`Port ${wantedPort} is taken; using a free port instead.`);
    return startRelyingParty({ port: 0, log });
  }
}

/** @param {any} v */
function verdictLine(v) {
  if (v?.verified) {
    const f = v.flags ? ` flags UP=${+v.flags.UP} UV=${+v.flags.UV} BE=${+v.flags.BE} BS=${+v.flags.BS}` : '';
    const fmt = v.fmt ? ` fmt=${v.fmt}` : '';
    return `verified ✓ user=${v.username}${fmt}${f} credential=${v.credentialID}`;
  }
  if (v?.error) return `FAILED ✗ ${v.error.name}: ${v.error.message}`;
  return `FAILED ✗ ${JSON.stringify(v)}`;
}

async function main() {
  if (!isExtensionBuilt(extensionDir)) {
    console.error(`No built extension at ${extensionDir}. Run: npm run build (npm run demo does it for you).`);
    return 1;
  }
  const rp = await startRp();
  console.log(`Demo relying party: ${rp.url}`);
  const launched = await launchWithExtension({ extensionDir, headless });
  const { browser, extensionId } = launched;
  console.log(`Chromium ${await browser.version()} with Latchkey (${extensionId}), ${headless ? 'headless' : 'headed'}`);
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  await page.goto(rp.url, { waitUntil: 'load' });
  await page.bringToFront();

  if (!headless) {
    console.log(`\nThe demo page is open. Type a username, press Register, then Sign in.`);
    console.log('Close the browser window (or press Ctrl-C) to stop.');
    const stop = async () => {
      await launched.close();
      await rp.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await new Promise((resolve) => browser.once('disconnected', resolve));
    await launched.close();
    await rp.close();
    return 0;
  }

  mkdirSync(artifactsDir, { recursive: true });
  // screenshots of an earlier run would mislead: this run's steps rewrite the folder
  for (const f of readdirSync(artifactsDir)) if (/^\d\d-.*\.png$/.test(f)) rmSync(path.join(artifactsDir, f));
  console.log(`Screenshots: ${artifactsDir}\n`);
  const ctx = { browser, extensionId, page };
  let failures = 0;
  let n = 0;

  /**
   * One ceremony, driven like a person: wait for the prompt, look at it, approve.
   * @param {string} title @param {() => Promise<any>} start @param {string} shot
   */
  async function step(title, start, shot) {
    n++;
    console.log(`${n}. ${title}`);
    try {
      const pending = start();
      const prompt = await waitForPrompt(browser, extensionId, { pending, timeout: 15_000 });
      console.log(`   prompt opened: ${prompt.url()}`);
      await passVaultGate(prompt);
      const file = path.join(artifactsDir, shot);
      const shown = await approvePrompt(prompt, { screenshot: file });
      console.log(`   prompt showed site "${shown.rp}", ${shown.accounts.length} account(s)${shown.accounts.length ? `: ${shown.accounts.map((a) => a.text.replace(/\s+/g, ' ')).join(' | ')}` : ''}`);
      console.log(`   screenshot: ${path.relative(root, file)}; clicked Approve${shown.pinEntered ? ' (after typing the PIN)' : ''}`);
      const verdict = await withTimeout(pending, 30_000, `${title}: the page's answer`);
      console.log(`   server: ${verdictLine(verdict)}`);
      if (!verdict?.verified) failures++;
    } catch (e) {
      failures++;
      console.log(`   FAILED ✗ ${/** @type {Error} */ (e).message}`);
      await page.screenshot({ path: path.join(artifactsDir, `${String(n).padStart(2, '0')}-failed-page.png`) }).catch(() => {});
    }
  }

  const steps = /** @type {[string, () => Promise<any>, string][]} */ ([
    [`Register "${username}"`, () => startRegister(ctx.page, username), '01-register-prompt.png'],
    [`Sign in as "${username}" (username given)`, () => startSignIn(ctx.page, username), '02-sign-in-prompt.png'],
    ['Sign in with no username (discoverable passkey)', () => startSignIn(ctx.page, undefined), '03-discoverable-prompt.png'],
  ]);
  for (const [title, start, shot] of steps) {
    await step(title, start, shot);
    if (failures) {
      console.log('   (stopping here: the next steps depend on this one)');
      break;
    }
  }
  await page.screenshot({ path: path.join(artifactsDir, '04-demo-page.png') }).catch(() => {});

  console.log(`\n${failures ? `✗ step ${n} of ${steps.length} failed` : `✓ all ${n} steps verified by the relying party`} (screenshots in ${path.relative(root, artifactsDir)}/)`);
  await launched.close();
  await rp.close();
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
