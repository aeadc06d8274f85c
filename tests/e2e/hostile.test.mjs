// @ts-check
// Hostile pages (docs/THREATS.md): a page that forges the relay's messages, replays an old
// ceremony's, covers everything with overlays, floods create/get, or sabotages the built-ins
// before calling. The page controls the MAIN world, so each test checks that whatever it
// does has no effect beyond its own origin and its own calls.

import assert from 'node:assert/strict';
import {
  approvePrompt,
  clickTestId,
  expectLatchkeyServes,
  floodInPage,
  expectNoPrompt,
  expectVerified,
  passVaultGate,
  readPrompt,
  sel,
  registerViaPrompt,
  sleep,
  startInPage,
  waitForNoPromptWindow,
  waitForPrompt,
  watchPrompts,
  withTimeout,
} from './helpers.mjs';

/** @typedef {import('./run.mjs').Ctx} Ctx */

/**
 * How many passkeys the vault holds, read in the service worker.
 * @param {import('puppeteer-core').Target} serviceWorkerTarget
 */
async function passkeyCount(serviceWorkerTarget) {
  const worker = await serviceWorkerTarget.worker();
  assert.ok(worker, 'the service worker is running');
  return worker.evaluate(async () => {
    /** @type {IDBDatabase} */
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open('latchkey');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    try {
      if (!db.objectStoreNames.contains('credentials')) return 0;
      return await new Promise((resolve) => {
        const request = db.transaction('credentials').objectStore('credentials').count();
        request.onsuccess = () => resolve(request.result);
      });
    } finally {
      db.close();
    }
  });
}

/**
 * Runs in the page: what a hostile script can do without the page script, posting the relay's
 * handshake itself with `request` (any shape it likes). Resolves with the first answer on the
 * port, a DOMException as its name, or 'none' after `ms`.
 * @param {unknown} request @param {number} ms
 */
function forgeInPage(request, ms) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => {
      const { exception, ...rest } = event.data ?? {};
      resolve(exception ? { ...rest, exception: exception.name } : rest);
    };
    window.postMessage({ type: 'latchkey:ceremony' }, '*', [channel.port2]);
    channel.port1.postMessage(request);
    setTimeout(() => resolve('none'), ms);
  });
}

/** Claims of another origin a forged request carries, beside the members the relay defines. */
const OTHER = 'https://bank.example';
const CLAIMS = {
  origin: OTHER,
  topOrigin: OTHER,
  sender: { origin: OTHER, tab: { id: 1 }, frameId: 0 },
  frame: { createAllowed: true, getAllowed: true, transientActivation: true, policyKnown: true, secureContext: true, ancestorOrigins: [OTHER] },
};

/**
 * Runs in the page: fetches the RP's options for `username` as JSON (what the relay request
 * carries, base64url members), for create or get.
 * @param {'create' | 'get'} kind @param {string} username
 */
async function rpOptionsInPage(kind, username) {
  const response = await fetch(kind === 'create' ? '/register/options' : '/login/options', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username }),
  });
  return response.json();
}

/**
 * Runs in the page: posts a credential's JSON to the RP's verify endpoint; returns its verdict
 * and the clientDataJSON the credential carried.
 * @param {'create' | 'get'} kind @param {any} json
 */
async function verifyInPage(kind, json) {
  const response = await fetch(kind === 'create' ? '/register/verify' : '/login/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
  const text = atob(json.response.clientDataJSON.replace(/-/g, '+').replace(/_/g, '/'));
  return { verdict: await response.json(), clientData: JSON.parse(text) };
}

/**
 * Runs in the page: a create or get on navigator.credentials while every built-in the brief of
 * a hostile page lists is sabotaged: throwing getters on Object.prototype for array indexes and
 * property-descriptor and message member names, and throwing Array.prototype.map, JSON,
 * Promise (the global and Promise.prototype.then), Function.prototype.call/apply/bind,
 * EventTarget.prototype.addEventListener/removeEventListener, MessagePort.prototype
 * postMessage/start and window.postMessage. The credential is read (toJSON, rawId, response)
 * while they are, then everything is put back and the RP verifies it.
 * Returns { verdict, clientData } or { error }, and `trapped`: what Latchkey touched.
 * @param {'create' | 'get'} kind @param {string} username @param {object} [serverOptions]
 */
async function sabotagedCeremonyInPage(kind, username, serverOptions = {}) {
  const post = async (/** @type {string} */ path, /** @type {unknown} */ body) =>
    (await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
  const options = await post(kind === 'create' ? '/register/options' : '/login/options', { username, ...serverOptions });
  const publicKey =
    kind === 'create' ? PublicKeyCredential.parseCreationOptionsFromJSON(options) : PublicKeyCredential.parseRequestOptionsFromJSON(options);

  // (No array or descriptor object of this script's own may inherit the traps either.)
  let trapped = '';
  let undo = () => {};
  const { defineProperty, getOwnPropertyDescriptor, setPrototypeOf } = Object;
  const trap = (/** @type {string} */ what) =>
    function () {
      trapped += `${what} `;
      throw new Error(`hostile page: ${what}`);
    };
  const replace = (/** @type {any} */ object, /** @type {PropertyKey} */ name, /** @type {PropertyDescriptor} */ descriptor) => {
    const old = getOwnPropertyDescriptor(object, name);
    if (old) setPrototypeOf(old, null);
    const previous = undo;
    undo = () => {
      if (old) defineProperty(object, name, old);
      else delete object[name];
      previous();
    };
    defineProperty(object, name, { __proto__: null, configurable: true, ...descriptor });
  };
  const w = /** @type {any} */ (window);
  for (const name of ['0', '1', 'get', 'set', 'value', 'writable', 'enumerable', 'configurable', 'type', 'data', 'credential', 'response', 'exception', 'modal', 'frame', 'options', 'json', 'attributes']) {
    replace(Object.prototype, name, { get: trap(`Object.prototype.${name}`) });
  }
  replace(Array.prototype, 'map', { value: trap('Array.prototype.map') });
  replace(JSON, 'stringify', { value: trap('JSON.stringify') });
  replace(JSON, 'parse', { value: trap('JSON.parse') });
  replace(w, 'Promise', { value: trap('Promise') });
  replace(Promise.prototype, 'then', { value: trap('Promise.prototype.then') });
  for (const name of ['call', 'apply', 'bind']) replace(Function.prototype, name, { value: trap(`Function.prototype.${name}`) });
  for (const name of ['addEventListener', 'removeEventListener']) replace(EventTarget.prototype, name, { value: trap(`EventTarget.prototype.${name}`) });
  for (const name of ['postMessage', 'start']) replace(MessagePort.prototype, name, { value: trap(`MessagePort.prototype.${name}`) });
  replace(w, 'postMessage', { value: trap('window.postMessage') });

  /** @type {any} */
  let json;
  /** @type {any} */
  let read;
  /** @type {any} */
  let error;
  try {
    const credential = /** @type {any} */ (kind === 'create' ? await navigator.credentials.create({ publicKey }) : await navigator.credentials.get({ publicKey }));
    json = credential.toJSON();
    read = { rawId: credential.rawId.byteLength, response: credential.response instanceof AuthenticatorResponse, type: credential.type };
  } catch (e) {
    error = e;
  } finally {
    undo();
  }
  if (error) return { error: `${error.name}: ${error.message}`, trapped };
  const verify = await post(kind === 'create' ? '/register/verify' : '/login/verify', json);
  return { verdict: verify, read, trapped };
}

/**
 * Waits until the page's flood has `count` settled calls.
 * @param {import('puppeteer-core').Page} page @param {number} count
 */
async function floodSettled(page, count) {
  await page.waitForFunction((c) => /** @type {any} */ (window).__floodSettled >= c, { timeout: 60_000, polling: 100 }, count);
}

/** @type {import('./run.mjs').TestCase[]} */
export const tests = [
  {
    name: 'forged relay messages claiming another origin: another RP ID gets SecurityError with no prompt; its own RP ID is served as its own origin, whatever origin, sender or frame the message claims',
    async fn(ctx) {
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        const challenge = 'AAECAwQFBgcICQoLDA0ODw';
        const create = { type: 'create', options: { challenge, rp: { id: 'bank.example', name: 'Bank' }, user: { id: 'AQID', name: 'victim', displayName: 'Victim' }, pubKeyCredParams: [{ type: 'public-key', alg: -7 }] }, ...CLAIMS };
        const get = { type: 'get', options: { challenge, rpId: 'bank.example' }, mediation: 'optional', ...CLAIMS };
        for (const request of [create, get]) {
          const answer = /** @type {any} */ (await ctx.page.evaluate(forgeInPage, request, 10_000));
          assert.equal(answer?.type, 'error', `a forged ${request.type} for another RP ID is refused: ${JSON.stringify(answer)}`);
          assert.equal(answer.exception, 'SecurityError', `as the browser refuses an RP ID that is not a registrable suffix of the origin`);
        }
        await expectNoPrompt(watch, 300);
      } finally {
        watch.stop();
      }
      assert.equal(await passkeyCount(ctx.serviceWorkerTarget), 0, 'nothing was saved');

      // Its own RP ID, with the same claims: served, but as the page's real origin.
      const options = await ctx.page.evaluate(rpOptionsInPage, 'create', 'mallory');
      const answered = startInPage(ctx.page, forgeInPage, { type: 'create', options, ...CLAIMS }, 60_000);
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending: answered });
      const shown = await approvePrompt(prompt);
      assert.ok(shown.rp?.includes('localhost') && !shown.rp.includes('bank'), `the prompt names the page's own site: ${shown.rp}`);
      const answer = /** @type {any} */ (await withTimeout(answered, 20_000, 'the forged create'));
      assert.equal(answer.type, 'created', JSON.stringify(answer));
      const { verdict, clientData } = await ctx.page.evaluate(verifyInPage, 'create', answer.credential);
      assert.equal(clientData.origin, ctx.rp.origin, "clientDataJSON carries the page's own origin");
      assert.equal(clientData.crossOrigin, false, 'and not cross-origin, although the message claimed an ancestor');
      assert.equal(clientData.topOrigin, undefined, 'and no top origin');
      expectVerified(verdict, 'the RP verifies it for its own origin');
    },
  },
  {
    name: "replayed ceremony messages: the old ports answer nothing, a re-sent handshake with the old port opens nothing, and the old request re-sent is a new ceremony that needs its own click (Cancel → NotAllowedError, nothing saved)",
    async fn(ctx) {
      // The page listens for Latchkey's handshakes, as any page script can, and keeps the
      // relay's port and the request it carried.
      await ctx.page.evaluate(() => {
        const w = /** @type {any} */ (window);
        w.__captured = [];
        window.addEventListener('message', (event) => {
          if (event.data?.type !== 'latchkey:ceremony') return;
          const port = event.ports[0];
          const entry = { port, handshake: event.data, request: /** @type {unknown} */ (undefined) };
          port.addEventListener('message', (e) => (entry.request ??= e.data));
          port.start();
          w.__captured.push(entry);
        });
      });
      expectVerified((await registerViaPrompt(ctx, 'alice')).result, 'registration');
      await waitForNoPromptWindow(ctx.browser, ctx.extensionId, 10_000);
      assert.equal(await passkeyCount(ctx.serviceWorkerTarget), 1);
      const captured = await ctx.page.evaluate(() => {
        const w = /** @type {any} */ (window);
        return w.__captured.map((/** @type {any} */ c) => ({ type: c.request?.type, handshake: c.handshake }));
      });
      assert.deepEqual(captured, [{ type: 'create', handshake: { type: 'latchkey:ceremony' } }], 'the page saw its one handshake and request');

      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        const quiet = await ctx.page.evaluate(async () => {
          const w = /** @type {any} */ (window);
          const { port, request } = w.__captured[0];
          /** @type {unknown[]} */
          const heard = [];
          // 1. The old request, an abort and a forged answer on the relay's old port.
          port.onmessage = (/** @type {MessageEvent} */ e) => heard.push(e.data);
          port.postMessage(request);
          port.postMessage({ type: 'abort' });
          port.postMessage({ type: 'created', credential: {} });
          // 2. The handshake again, as a synthetic event that names this window as its source,
          // carrying the old port, then the old request on it.
          window.dispatchEvent(new MessageEvent('message', { data: { type: 'latchkey:ceremony' }, source: window, ports: [port] }));
          port.postMessage(request);
          await new Promise((r) => setTimeout(r, 1500));
          return heard;
        });
        assert.deepEqual(quiet, [], 'nothing answers on the old ports');
        await expectNoPrompt(watch, 300);
      } finally {
        watch.stop();
      }

      // 3. The old request on a new handshake: a new ceremony, which the old approval does not carry.
      const request = await ctx.page.evaluate(() => /** @type {any} */ (window).__captured[0].request);
      const replay = startInPage(ctx.page, forgeInPage, request, 60_000);
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending: replay });
      const early = await Promise.race([replay, sleep(1000).then(() => 'pending')]);
      assert.equal(early, 'pending', 'the replay waits for the user');
      await passVaultGate(prompt, { ready: 'prompt-cancel' });
      await clickTestId(prompt, 'prompt-cancel');
      const answer = /** @type {any} */ (await withTimeout(replay, 15_000, 'the replayed create'));
      assert.deepEqual({ type: answer.type, exception: answer.exception }, { type: 'error', exception: 'NotAllowedError' });
      assert.equal(await passkeyCount(ctx.serviceWorkerTarget), 1, 'the replay saved nothing');
    },
  },
  {
    name: "transparent overlays over the whole page: trusted clicks and keys on the page approve nothing while Latchkey's prompt is open; the click on Approve in Latchkey's window does",
    async fn(ctx) {
      // Overlays over everything, above anything the page has, taking every pointer event;
      // each click on them re-clicks the page's buttons and presses Enter by script too.
      await ctx.page.evaluate(() => {
        for (let i = 0; i < 3; i++) {
          const cover = document.createElement('div');
          cover.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:transparent;opacity:0';
          cover.addEventListener('click', () => {
            for (const b of document.querySelectorAll('button')) b.click();
            document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
          });
          document.documentElement.append(cover);
        }
      });
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        const pending = startInPage(ctx.page, (u) => /** @type {any} */ (window).demo.register(u), 'alice');
        const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
        await passVaultGate(prompt);
        // What the user (or a script driving trusted input) does on the page meanwhile.
        const { width, height } = await ctx.page.evaluate(() => ({ width: innerWidth, height: innerHeight }));
        for (let x = 20; x < width; x += 160) for (let y = 20; y < height; y += 160) await ctx.page.mouse.click(x, y);
        for (const key of /** @type {const} */ (['Enter', 'Space', 'Tab', 'Enter'])) await ctx.page.keyboard.press(key);
        const early = await Promise.race([pending, sleep(500).then(() => 'pending')]);
        assert.equal(early, 'pending', 'nothing on the page settled the ceremony');
        assert.equal(watch.count, 1, 'one prompt, still open');
        assert.equal(watch.closedAt.size, 0);
        assert.equal(await passkeyCount(ctx.serviceWorkerTarget), 0, 'nothing saved');
        const shown = await readPrompt(prompt);
        assert.ok(shown.rp?.includes('localhost'), `the prompt still asks: ${JSON.stringify(shown)}`);
        await approvePrompt(prompt);
        expectVerified(await withTimeout(pending, 20_000, 'the registration'), 'the registration after the click in the prompt');
      } finally {
        watch.stop();
      }
    },
  },
  {
    name: "1,000 create/get calls in a loop: one prompt, every other call rejects with OperationError 'A request is already pending.', Cancel rejects the first with NotAllowedError, and the tab is free afterwards",
    timeout: 120_000,
    async fn(ctx) {
      const N = 1000;
      const watch = watchPrompts(ctx.browser, ctx.extensionId);
      try {
        await ctx.page.evaluate(floodInPage, N);
        const prompt = await waitForPrompt(ctx.browser, ctx.extensionId);
        await floodSettled(ctx.page, N - 1);
        assert.equal(watch.count, 1, 'at most one prompt: the one for the pending call');
        await passVaultGate(prompt, { ready: 'prompt-cancel' });
        await clickTestId(prompt, 'prompt-cancel');
        const outcomes = /** @type {string[]} */ (await withTimeout(ctx.page.evaluate(() => /** @type {any} */ (window).__flood), 30_000, 'the flood'));
        /** @type {Record<string, number>} */
        const tally = {};
        for (const o of outcomes) tally[o.split(':')[0] === 'NotAllowedError' ? 'NotAllowedError' : o] = (tally[o.split(':')[0] === 'NotAllowedError' ? 'NotAllowedError' : o] ?? 0) + 1;
        assert.deepEqual(tally, { 'OperationError: A request is already pending.': N - 1, NotAllowedError: 1 });
        assert.equal(watch.count, 1, 'still one prompt in all');
      } finally {
        watch.stop();
      }
      assert.equal(await passkeyCount(ctx.serviceWorkerTarget), 0, 'nothing saved');
      await expectLatchkeyServes(ctx, ctx.page);
    },
  },
  {
    name: 'a page that sabotages Object.prototype (getters), Array.prototype.map, JSON, Promise, Function.prototype.call/apply/bind, addEventListener and postMessage before calling still registers and signs in, verified by the RP, and Latchkey touches none of them',
    async fn(ctx) {
      for (const kind of /** @type {const} */ (['create', 'get'])) {
        const pending = startInPage(ctx.page, sabotagedCeremonyInPage, kind, 'alice');
        const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
        await approvePrompt(prompt);
        const outcome = /** @type {any} */ (await withTimeout(pending, 20_000, `the sabotaged ${kind}`));
        assert.equal(outcome.trapped, '', `Latchkey used none of the page's built-ins (${kind})`);
        assert.equal(outcome.error, undefined, `the sabotaged ${kind} succeeds`);
        assert.deepEqual(outcome.read, { rawId: 16, response: true, type: 'public-key' }, `the credential reads natively (${kind})`);
        expectVerified(outcome.verdict, `the sabotaged ${kind}`);
      }
      // The lists in the options still count: registering alice again, with her passkey in
      // excludeCredentials, is refused.
      const pending = startInPage(ctx.page, sabotagedCeremonyInPage, 'create', 'alice', { excludeCredentials: true });
      const prompt = await waitForPrompt(ctx.browser, ctx.extensionId, { pending });
      await passVaultGate(prompt);
      await prompt.waitForSelector(sel('prompt-error'), { visible: true });
      await clickTestId(prompt, 'prompt-approve');
      const outcome = /** @type {any} */ (await withTimeout(pending, 20_000, 'the sabotaged excluded create'));
      assert.deepEqual({ error: outcome.error?.split(':')[0], trapped: outcome.trapped }, { error: 'InvalidStateError', trapped: '' });
      assert.equal(await passkeyCount(ctx.serviceWorkerTarget), 1, 'no second passkey');
    },
  },
];
