// The extension API as Latchkey's bundles get it from `import { browser } from 'wxt/browser'`:
// wxt.config.ts points the `webextension-polyfill` import of WXT's polyfill module here.
//
// Chromium 156 and Firefox have a promise-based `browser` of their own, and webextension-polyfill
// hands that same object back. Imported as a CommonJS module, though, it went through the
// bundler's interop, which copies every property of the module's value onto a new object; each
// read makes Chromium build that API's bindings, so every context built all of them as its
// script started: 13 ms for the first page of a new extension process (1-2 ms later on), and
// the same again in the service worker at each cold start. Here the polyfill runs only where
// the browser has no `browser` of its own.
//
// Nothing is read until a property is: even `browser` and `browser.runtime` are bindings
// Chromium builds on first read (1–5 ms in a trace of the prompt's start), and the prompt
// paints its question before it needs either (components/prompt/connection.ts).
import type Browser from 'webextension-polyfill';

declare const require: (id: 'webextension-polyfill/dist/browser-polyfill.js') => Browser.Browser;

let resolved: Browser.Browser | undefined;
function resolve(): Browser.Browser {
  if (resolved) return resolved;
  const own = (globalThis as { browser?: Browser.Browser }).browser;
  return (resolved = own?.runtime?.id ? own : require('webextension-polyfill/dist/browser-polyfill.js'));
}

const browser = new Proxy({} as Browser.Browser, {
  get: (_, key) => Reflect.get(resolve(), key),
  has: (_, key) => Reflect.has(resolve(), key),
});

export default browser;
