// @ts-check
// The prf and largeBlob extensions (L3 §10.1.4, §10.1.5) end to end in Chromium: the demo
// page derives an AES key from the PRF output to keep an encrypted note, and keeps a
// largeBlob; both survive a browser restart. The demo page passes its options through the
// browser's own parse*FromJSON, so this also checks that they carry prf and largeBlob.

import assert from 'node:assert/strict';
import { expectVerified, registerViaPrompt, signInViaPrompt } from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */

const b64url = (/** @type {string} */ text) => Buffer.from(text).toString('base64url');
const SALT = b64url('demo note salt');

/** The last ceremony's client extension results (base64url) and which members were ArrayBuffers. @param {Ctx} ctx */
const extensionResults = (ctx) =>
  /** @type {Promise<{ results: any, types: Record<string, string> }>} */ (ctx.page.evaluate(() => /** @type {any} */ (window).demo.extensionResults()));

/** @param {Ctx} ctx @param {'seal'|'open'} action @param {string} [text] */
const prfNote = (ctx, action, text) =>
  /** @type {Promise<any>} */ (ctx.page.evaluate((a, t) => /** @type {any} */ (window).demo.prfNote(a, t), action, text));

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: 'prf: register with PRF, encrypt a note with a key from its output, restart the browser, sign in and decrypt it',
    timeout: 120_000,
    async fn(ctx) {
      const prf = { prf: { eval: { first: SALT } } };
      const made = await registerViaPrompt(ctx, 'alice', { extensions: prf, userVerification: 'required' });
      expectVerified(made.result, 'registration with prf');
      const atCreate = await extensionResults(ctx);
      assert.equal(atCreate.results.prf?.enabled, true, 'prf.enabled at create');
      assert.equal(atCreate.types['prf.results.first'], 'ArrayBuffer', 'eval at create reached Latchkey through parseCreationOptionsFromJSON');

      const first = await signInViaPrompt(ctx, 'alice', { extensions: prf, userVerification: 'required' });
      expectVerified(first.result, 'sign-in with prf');
      const before = await extensionResults(ctx);
      assert.equal(before.types['prf.results.first'], 'ArrayBuffer');
      assert.equal(Buffer.from(before.results.prf.results.first, 'base64url').length, 32);
      assert.equal(atCreate.results.prf.results.first, before.results.prf.results.first, 'create and get give the same output for the same input and UV');
      assert.deepEqual(await prfNote(ctx, 'seal', 'the safe code is 1234'), { ok: true });

      await ctx.relaunch();
      // The relaunched vault is locked: the PIN typed in the prompt unlocks it and verifies the
      // user, so even a get that does not ask for UV ('discouraged') has UV=1 and uses the UV
      // secret, as before the restart.
      const after = await signInViaPrompt(ctx, 'alice', { extensions: prf, userVerification: 'discouraged' });
      expectVerified(after.result, 'sign-in with prf after the restart');
      assert.equal(after.result.flags.UV, true, 'unlocked with the PIN in this ceremony');
      assert.equal((await extensionResults(ctx)).results.prf.results.first, before.results.prf.results.first, 'the same output after a restart');
      assert.deepEqual(await prfNote(ctx, 'open'), { ok: true, text: 'the safe code is 1234' });
    },
  },
  {
    name: 'largeBlob: supported at create, write one, restart the browser, read it back',
    timeout: 120_000,
    async fn(ctx) {
      const made = await registerViaPrompt(ctx, 'bob', { extensions: { largeBlob: { support: 'required' } } });
      expectVerified(made.result, 'registration with largeBlob');
      assert.deepEqual((await extensionResults(ctx)).results.largeBlob, { supported: true });

      const blob = b64url('a certificate, say');
      const wrote = await signInViaPrompt(ctx, 'bob', { extensions: { largeBlob: { write: blob } } });
      expectVerified(wrote.result, 'sign-in writing the blob');
      assert.deepEqual((await extensionResults(ctx)).results.largeBlob, { written: true });

      await ctx.relaunch();
      const read = await signInViaPrompt(ctx, 'bob', { extensions: { largeBlob: { read: true } } });
      expectVerified(read.result, 'sign-in reading the blob');
      const { results, types } = await extensionResults(ctx);
      assert.equal(types['largeBlob.blob'], 'ArrayBuffer');
      assert.equal(results.largeBlob.blob, blob, 'the blob written before the restart');
    },
  },
];
