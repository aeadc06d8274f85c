// @ts-check
// `npm run zip` (wxt zip, for Chromium and Firefox): the store archives carry package.json's
// version, Firefox's review gets the sources that build it, and the Chromium archive, unpacked
// as a person would, loads in Chromium.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { launchWithExtension } from '../../scripts/chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const extensionDir = path.resolve(root, process.env.EXTENSION_DIR ?? path.join(process.env.LATCHKEY_OUT_DIR ?? '.output', 'chrome-mv3'));
const outDir = path.dirname(extensionDir);
const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** @param {string} kind chrome | firefox | sources */
async function archive(kind) {
  const file = path.join(outDir, `${name}-${version}-${kind}.zip`);
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new Error(`${file} is missing: run npm run zip`);
  }
  return JSZip.loadAsync(bytes);
}

/** @param {JSZip} zip */
async function manifestOf(zip) {
  const entry = zip.file('manifest.json');
  assert.ok(entry, 'the archive has manifest.json at its root');
  return JSON.parse(await entry.async('string'));
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: "npm run zip's archives carry package.json's version, the sources build it, and the Chromium archive loads in Chromium",
    extension: false,
    timeout: 60_000,
    async fn(ctx) {
      const chrome = await archive('chrome');
      const firefox = await archive('firefox');
      const sources = await archive('sources');
      const chromeManifest = await manifestOf(chrome);
      assert.equal(chromeManifest.version, version, 'Chromium archive version');
      assert.equal(chromeManifest.manifest_version, 3);
      const firefoxManifest = await manifestOf(firefox);
      assert.equal(firefoxManifest.version, version, 'Firefox archive version');
      assert.equal(firefoxManifest.manifest_version, 3);
      assert.ok(firefoxManifest.browser_specific_settings?.gecko?.id, 'the Firefox archive names its add-on id');
      for (const needed of ['package.json', 'package-lock.json', 'wxt.config.ts', 'tsconfig.json', 'README.md', 'entrypoints/background.ts']) {
        assert.ok(sources.file(needed), `the sources archive holds ${needed}`);
      }
      const strays = Object.keys(sources.files).filter((f) => /^(node_modules|tests|bench|\.output|\.wxt)\//.test(f));
      assert.deepEqual(strays, [], 'no dependencies, tests, bench or build output in the sources');

      const unpacked = mkdtempSync(path.join(tmpdir(), 'latchkey-zip-'));
      try {
        for (const [file, entry] of Object.entries(chrome.files)) {
          if (entry.dir) continue;
          const to = path.join(unpacked, file);
          mkdirSync(path.dirname(to), { recursive: true });
          writeFileSync(to, await entry.async('nodebuffer'));
        }
        // launchWithExtension waits for the extension's service worker to start.
        const launched = await launchWithExtension({ extensionDir: unpacked });
        try {
          const worker = await launched.serviceWorkerTarget.worker();
          assert.ok(worker, 'the service worker runs');
          // A worker target can be reported before its extension bindings exist: wait for them.
          let loaded;
          for (const deadline = Date.now() + 10_000; loaded === undefined && Date.now() < deadline; ) {
            loaded = await worker.evaluate(() => globalThis.chrome?.runtime?.getManifest().version).catch(() => undefined);
            if (loaded === undefined) await new Promise((r) => setTimeout(r, 100));
          }
          assert.equal(loaded, version, 'Chromium loaded the archive at its version');
        } catch (e) {
          await ctx.saveArtifacts(launched.browser);
          throw e;
        } finally {
          await launched.close();
        }
      } finally {
        rmSync(unpacked, { recursive: true, force: true });
      }
    },
  },
];
