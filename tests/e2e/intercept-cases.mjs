// @ts-check
// What intercept.test.mjs (Chromium) and firefox-intercept.test.mjs (Firefox ESR) do in the page:
// calls a page makes from realms Latchkey's own scripts have not reached yet, and members a
// page saved before Latchkey built its first credential.

import { startInPage } from './helpers.mjs';

/** @typedef {import('puppeteer-core').Page} Page */

/**
 * The calls, each a create() with the same options: `top` is the positive control, the same
 * call from the top window. The others are made synchronously, in the same task that made the
 * frame or window: a srcdoc frame and a window opened on a URL are still about:blank then, and
 * their own content scripts have not run.
 */
export const CASES = /** @type {const} */ ([
  'top',
  'about:blank iframe',
  'srcdoc iframe before it loads',
  'window.open() about:blank window',
  'window.open(url) window before it loads',
  "about:blank iframe's create on the top window's container",
  "srcdoc iframe's create on the top window's container",
  "window.open(url) window's create on the top window's container",
  "the top window's create on a srcdoc iframe's container",
]);

/**
 * Starts case `how` from a trusted click (window.open needs one), not awaited; the promise
 * gives 'resolved' or the rejection's name.
 * @param {Page} page @param {(typeof CASES)[number]} how @returns {Promise<string>}
 */
export async function startCase(page, how) {
  await page.evaluate((how) => {
    document.addEventListener(
      'click',
      () => {
        const options = {
          publicKey: {
            challenge: crypto.getRandomValues(new Uint8Array(32)),
            rp: { name: 'Intercept' },
            user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'intercept', displayName: 'Intercept' },
            pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
            timeout: 60_000,
          },
        };
        const g = /** @type {any} */ (window);
        /** @param {boolean} srcdoc */
        const frame = (srcdoc) => {
          const f = document.createElement('iframe');
          if (srcdoc) f.srcdoc = '<p>frame</p>';
          document.body.append(f);
          return /** @type {any} */ (f.contentWindow);
        };
        /** @param {string} url */
        const open = (url) => (g.latchkeyOpened = window.open(url));
        const run = () => {
          switch (how) {
            case 'top':
              return navigator.credentials.create(options);
            case 'about:blank iframe':
              return frame(false).navigator.credentials.create(options);
            case 'srcdoc iframe before it loads':
              return frame(true).navigator.credentials.create(options);
            case 'window.open() about:blank window':
              return open('').navigator.credentials.create(options);
            case 'window.open(url) window before it loads':
              return open(location.href).navigator.credentials.create(options);
            case "about:blank iframe's create on the top window's container":
              return frame(false).navigator.credentials.create.call(navigator.credentials, options);
            case "srcdoc iframe's create on the top window's container":
              return frame(true).CredentialsContainer.prototype.create.call(navigator.credentials, options);
            case "window.open(url) window's create on the top window's container":
              return open(location.href).navigator.credentials.create.call(navigator.credentials, options);
            case "the top window's create on a srcdoc iframe's container":
              return navigator.credentials.create.call(frame(true).navigator.credentials, options);
          }
        };
        /** @type {Promise<unknown>} */
        let pending;
        try {
          pending = Promise.resolve(run());
        } catch (e) {
          pending = Promise.reject(e);
        }
        g.latchkeyCase = pending.then(
          () => 'resolved',
          (/** @type {any} */ e) => e?.name ?? String(e),
        );
      },
      { once: true },
    );
  }, how);
  await page.mouse.click(2, 2);
  return startInPage(page, () => /** @type {any} */ (window).latchkeyCase);
}

/** Closes the window a case opened, if any. @param {Page} page */
export const closeOpened = (page) =>
  page.evaluate(() => {
    /** @type {any} */ (window).latchkeyOpened?.close();
  });

/**
 * Saves every PublicKeyCredential and attestation-response member Latchkey patches, as a page
 * script can before any ceremony; `page.evaluate(useSaved)` later calls each on a credential
 * Latchkey made and reports what it answered. @param {Page} page
 */
export const saveMembers = (page) =>
  page.evaluate(() => {
    /** @type {Record<string, Function>} */
    const saved = {};
    for (const [iface, names] of /** @type {const} */ ([
      ['Credential', ['id', 'type']],
      ['PublicKeyCredential', ['rawId', 'authenticatorAttachment', 'response', 'getClientExtensionResults', 'toJSON']],
      ['AuthenticatorResponse', ['clientDataJSON']],
      ['AuthenticatorAttestationResponse', ['attestationObject', 'getTransports', 'getAuthenticatorData', 'getPublicKey', 'getPublicKeyAlgorithm']],
    ])) {
      for (const name of names) {
        const d = /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(/** @type {any} */ (window)[iface].prototype, name));
        saved[name] = /** @type {Function} */ (d.get ?? d.value);
      }
    }
    /** @type {any} */ (window).latchkeySaved = saved;
  });

/** A create() the test approves, not awaited; then what each saved member answers on its credential. @param {Page} page */
export const createAndUseSaved = (page) =>
  startInPage(page, async () => {
    const credential = /** @type {any} */ (
      await navigator.credentials.create({
        publicKey: {
          challenge: crypto.getRandomValues(new Uint8Array(32)),
          rp: { name: 'Saved members' },
          user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'saved', displayName: 'Saved' },
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        },
      })
    );
    const saved = /** @type {Record<string, Function>} */ (/** @type {any} */ (window).latchkeySaved);
    /** @param {unknown} v */
    const kind = (v) => (v instanceof ArrayBuffer ? 'ArrayBuffer' : Array.isArray(v) ? 'Array' : v === credential.response ? 'its response' : typeof v);
    /** @type {Record<string, string>} */
    const answers = {};
    for (const [name, fn] of Object.entries(saved)) {
      const self = ['id', 'type', 'rawId', 'authenticatorAttachment', 'response', 'getClientExtensionResults', 'toJSON'].includes(name) ? credential : credential.response;
      try {
        answers[name] = kind(fn.call(self));
      } catch (e) {
        answers[name] = `${/** @type {Error} */ (e).name}: ${/** @type {Error} */ (e).message}`;
      }
    }
    return answers;
  });

/** What createAndUseSaved reports when every saved member answers Latchkey's credential. */
export const SAVED_ANSWERS = {
  id: 'string',
  type: 'string',
  rawId: 'ArrayBuffer',
  authenticatorAttachment: 'string',
  response: 'its response',
  getClientExtensionResults: 'object',
  toJSON: 'object',
  clientDataJSON: 'ArrayBuffer',
  attestationObject: 'ArrayBuffer',
  getTransports: 'Array',
  getAuthenticatorData: 'ArrayBuffer',
  getPublicKey: 'ArrayBuffer',
  getPublicKeyAlgorithm: 'number',
};
