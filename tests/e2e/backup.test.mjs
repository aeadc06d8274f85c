// @ts-check
// Backup (issue 18, docs/backup.md), through the real pages: register at the demo RP, export
// through the backup page (popup.html#backup, opened from the popup's Back up link) with a
// passphrase and the PIN, Reset vault, import the file, and sign in again, verified by
// @simplewebauthn/server. And a Bitwarden JSON export made here from fresh P-256 keys, whose
// public keys the RP learns through its API: imported, they sign in, and the one with a counter
// above 0 passes the RP's counter check.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { webcrypto } from 'node:crypto';
import {
  clickTestId,
  expectVerified,
  fillTestId,
  passVaultGate,
  registerViaPrompt,
  sel,
  signInViaPrompt,
  sleep,
  textOfTestId,
} from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */
/** @typedef {import('puppeteer-core').Page} Page */

const PASSPHRASE = 'correct horse battery staple';

/** @param {Uint8Array} bytes */
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

/** Downloads of this browser go to a fresh folder, which is returned. @param {Ctx} ctx */
async function downloadsTo(ctx) {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-downloads-'));
  const session = await ctx.browser.target().createCDPSession();
  await session.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, eventsEnabled: true });
  return dir;
}

/** The one finished file in `dir` whose name matches, once there. @param {string} dir @param {RegExp} name */
async function waitForDownload(dir, name, timeout = 15_000) {
  for (const started = Date.now(); Date.now() - started < timeout; await sleep(100)) {
    const done = readdirSync(dir).filter((f) => name.test(f) && !f.endsWith('.crdownload'));
    if (done.length === 1) return path.join(dir, done[0]);
  }
  throw new Error(`no download matching ${name} in ${dir}: ${readdirSync(dir).join(', ')}`);
}

/** popup.html as a tab, past the vault gate. @param {Ctx} ctx */
async function openPopup(ctx) {
  const popup = await ctx.newPage(`chrome-extension://${ctx.extensionId}/popup.html`);
  await passVaultGate(popup, { pin: ctx.pin, ready: 'passkey-search' });
  return popup;
}

/** tests/artifacts/screenshots/. @param {Ctx} ctx */
function screenshots(ctx) {
  const dir = path.join(ctx.artifactsDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Each row's name, user and ids, sorted. @param {Page} popup */
async function rowNames(popup) {
  const rows = await popup.$$eval(sel('passkey-row'), (all) => all.map((row) => [
    row.getAttribute('data-credential-id'), row.getAttribute('data-rp-id'),
    row.querySelector('[data-testid="passkey-name"]')?.textContent, row.querySelector('[data-testid="passkey-user"]')?.textContent,
  ].join(' | ')));
  return rows.sort();
}

/** popup.html#backup as a tab, past the vault gate. @param {Ctx} ctx */
async function openBackupPage(ctx) {
  const page = await ctx.newPage(`chrome-extension://${ctx.extensionId}/popup.html#backup`);
  await passVaultGate(page, { pin: ctx.pin, ready: 'import-file' });
  return page;
}

/** Imports `file` on the backup page: preview, confirm; returns the preview's and the result's text. @param {Page} page @param {string} file @param {string} [passphrase] */
async function importFile(page, file, passphrase) {
  const input = await page.waitForSelector(sel('import-file'), { visible: true });
  if (!input) throw new Error('no import-file');
  await /** @type {import('puppeteer-core').ElementHandle<HTMLInputElement>} */ (input).uploadFile(file);
  if (passphrase !== undefined) {
    await fillTestId(page, 'import-passphrase', passphrase);
    await page.keyboard.press('Enter');
  }
  await page.waitForSelector(`${sel('import-preview')}, ${sel('import-error')}`, { visible: true, timeout: 20_000 });
  const error = await textOfTestId(page, 'import-error');
  if (error) throw new Error(`import refused: ${error}`);
  const preview = (await textOfTestId(page, 'import-preview')) ?? '';
  await clickTestId(page, 'import-confirm');
  await page.waitForSelector(sel('import-result'), { visible: true, timeout: 20_000 });
  return { preview, result: (await textOfTestId(page, 'import-result')) ?? '' };
}

/** A P-256 key as Bitwarden exports it, and its COSE public key for the RP. */
async function freshP256() {
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey));
  const raw = new Uint8Array(await webcrypto.subtle.exportKey('raw', pair.publicKey)); // 04 || x || y
  // COSE_Key {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}, CTAP2 canonical CBOR.
  const cose = Uint8Array.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20, ...raw.subarray(1, 33), 0x22, 0x58, 0x20, ...raw.subarray(33)]);
  const credentialId = webcrypto.getRandomValues(new Uint8Array(16));
  const userHandle = webcrypto.getRandomValues(new Uint8Array(16));
  const hex = Buffer.from(credentialId).toString('hex');
  const guid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { pkcs8, cose, credentialId, userHandle, guid };
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: 'register, export through the backup page (passphrase, PIN), Reset vault, import: sign-ins verify again, same ids, names and users',
    timeout: 120_000,
    async fn(ctx) {
      const downloads = await downloadsTo(ctx);
      expectVerified((await registerViaPrompt(ctx, 'alice')).result, 'alice registers');
      expectVerified((await registerViaPrompt(ctx, 'bob')).result, 'bob registers');

      // The popup's Back up link opens the backup page in a tab.
      const popup = await openPopup(ctx);
      await popup.waitForSelector(sel('passkey-row'), { visible: true });
      const namesBefore = await rowNames(popup);
      assert.equal(namesBefore.length, 2);
      // Passkeys and no export yet: the popup says there is no backup (once a month at most).
      await popup.waitForSelector(sel('backup-reminder'), { visible: true, timeout: 10_000 });
      await popup.setViewport({ width: 380, height: 560 });
      await popup.screenshot({ path: path.join(screenshots(ctx), 'popup-backup-reminder.png') });
      // passkey-select limits an export to the rows ticked; none ticked: all of them.
      await clickTestId(popup, 'passkey-select');
      assert.equal(await textOfTestId(popup, 'open-backup'), 'Back up 1');
      await clickTestId(popup, 'passkey-select');
      assert.equal(await textOfTestId(popup, 'open-backup'), 'Back up');
      const opened = ctx.browser.waitForTarget((t) => t.url().endsWith('/popup.html#backup'), { timeout: 10_000 });
      await clickTestId(popup, 'open-backup');
      const page = /** @type {Page} */ (await (await opened).page());
      await passVaultGate(page, { pin: ctx.pin, ready: 'export-start' });

      await clickTestId(page, 'export-start');
      // A plain export is behind a warning: its acknowledgement is what enables export-submit.
      await clickTestId(page, 'export-plain');
      assert.equal(await page.$eval(sel('export-submit'), (b) => /** @type {HTMLButtonElement} */ (b).disabled), true, 'disabled until acknowledged');
      assert.equal(await page.$(sel('export-passphrase')), null, 'a plain export asks for no passphrase');
      await clickTestId(page, 'export-plain-confirm');
      assert.equal(await page.$eval(sel('export-submit'), (b) => /** @type {HTMLButtonElement} */ (b).disabled), false, 'enabled once acknowledged');
      await clickTestId(page, 'export-plain'); // back to encrypted
      await fillTestId(page, 'export-passphrase', PASSPHRASE);
      await fillTestId(page, 'export-passphrase-confirm', PASSPHRASE);
      await clickTestId(page, 'export-submit');
      await fillTestId(page, 'uv-pin', ctx.pin);
      await clickTestId(page, 'export-submit');
      await page.waitForSelector(`${sel('export-result')}, ${sel('export-error')}`, { visible: true, timeout: 20_000 });
      assert.equal(await textOfTestId(page, 'export-error'), null, 'the export succeeds');
      assert.match((await textOfTestId(page, 'export-result')) ?? '', /Saved 2 passkeys/);
      await page.screenshot({ path: path.join(screenshots(ctx), 'backup-page-exported.png'), fullPage: true });
      const file = await waitForDownload(downloads, /^latchkey-.*\d{4}-\d{2}-\d{2}.*\.json$/);
      const envelope = JSON.parse(readFileSync(file, 'utf8'));
      assert.equal(envelope.format, 'latchkey-encrypted-backup', 'encrypted by default');
      assert.doesNotMatch(readFileSync(file, 'utf8'), /alice/, 'nothing of the passkeys in the clear');

      // Reset vault, in the popup's settings: every passkey and the PIN go.
      await popup.bringToFront();
      await clickTestId(popup, 'open-settings');
      await clickTestId(popup, 'reset-vault');
      await fillTestId(popup, 'reset-confirmation', 'RESET');
      await clickTestId(popup, 'reset-submit');
      await popup.waitForSelector(sel('setup-pin'), { visible: true, timeout: 10_000 });

      // The backup page follows the vault to set-up; a new PIN, then the import.
      await page.bringToFront();
      await passVaultGate(page, { pin: ctx.pin, ready: 'import-file' });
      const { preview, result } = await importFile(page, file, PASSPHRASE);
      assert.match(preview, /alice/);
      assert.match(preview, /bob/);
      assert.match(result, /Added 2 passkeys/);
      await page.screenshot({ path: path.join(screenshots(ctx), 'backup-page-imported.png'), fullPage: true });

      await popup.bringToFront();
      await popup.reload({ waitUntil: 'load' });
      await popup.waitForSelector(sel('passkey-row'), { visible: true });
      assert.deepEqual(await rowNames(popup), namesBefore, 'the same passkeys with the same names and users');

      await ctx.page.bringToFront();
      for (const user of ['alice', 'bob']) {
        const { result: signIn } = await signInViaPrompt(ctx, user);
        expectVerified(signIn, `${user} signs in after the round trip`);
        assert.equal(signIn.flags.BS, true, 'an exported passkey has BS=1');
        assert.equal(signIn.counter, 0, 'CXF passkeys keep counter 0');
      }
    },
  },
  {
    name: 'a Bitwarden JSON export made from fresh P-256 keys imports and signs in; the one with counter 41 signs in with 42, then 43',
    timeout: 90_000,
    async fn(ctx) {
      const carol = await freshP256();
      const dave = await freshP256();
      for (const [username, key, counter] of /** @type {const} */ ([['carol', carol, 41], ['dave', dave, 0]])) {
        const response = await fetch(new URL('register/key', ctx.rp.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, userID: b64url(key.userHandle), credentialID: b64url(key.credentialId), publicKey: b64url(key.cose), counter }),
        });
        assert.equal(response.status, 200, `the RP registers ${username}'s key: ${await response.clone().text()}`);
      }
      const credential = (/** @type {string} */ username, /** @type {typeof carol} */ key, /** @type {number} */ counter) => ({
        credentialId: key.guid, keyType: 'public-key', keyAlgorithm: 'ECDSA', keyCurve: 'P-256', keyValue: b64url(key.pkcs8),
        rpId: ctx.rp.rpID, userHandle: b64url(key.userHandle), userName: username, counter: String(counter), rpName: 'Demo RP',
        userDisplayName: username, discoverable: 'true', creationDate: new Date().toISOString(),
      });
      const bitwarden = {
        encrypted: false,
        folders: [],
        items: [['carol', carol, 41], ['dave', dave, 0]].map(([username, key, counter]) => ({
          id: webcrypto.randomUUID(), type: 1, name: `${username} at the demo`, favorite: false,
          login: { username, password: null, uris: [{ uri: ctx.rp.url, match: null }], fido2Credentials: [credential(/** @type {string} */ (username), /** @type {any} */ (key), /** @type {number} */ (counter))] },
        })),
      };
      const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-bitwarden-'));
      const file = path.join(dir, 'bitwarden_export.json');
      writeFileSync(file, JSON.stringify(bitwarden));
      assert.ok(existsSync(file));

      const page = await openBackupPage(ctx);
      const { preview, result } = await importFile(page, file);
      assert.match(preview, /carol at the demo/);
      assert.match(result, /Added 2 passkeys/);

      await ctx.page.bringToFront();
      const first = expectVerified((await signInViaPrompt(ctx, 'carol')).result, 'carol signs in with the imported key');
      assert.equal(first.previousCounter, 41);
      assert.equal(first.counter, 42, 'the kept counter went up by one');
      const second = expectVerified((await signInViaPrompt(ctx, 'carol')).result, 'carol signs in again: the RP’s counter check passes');
      assert.equal(second.counter, 43);
      const other = expectVerified((await signInViaPrompt(ctx, 'dave')).result, 'dave signs in');
      assert.equal(other.counter, 0, 'a counter of 0 stays 0');
    },
  },
];
