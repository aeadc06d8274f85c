// The offscreen document (src/background/keep-ready.ts): tells the service worker the
// browser's colour scheme when it opens and whenever it changes, for the toolbar icon. Its
// being open is what keeps Latchkey's process while the worker sleeps.
import { browser } from 'wxt/browser';
import type { ColorSchemeMessage } from '../../src/protocol/keep-ready';

/**
 * How often the scheme is read. An offscreen document is never rendered, and a media query
 * list's `change` event is fired from rendering, so it never comes here (a probe with the
 * scheme emulated: `matches` flipped, a change listener never ran). `matches`, read, is
 * current. One read every 2 s is a few microseconds.
 */
const POLL_MS = 2000;

const dark = matchMedia('(prefers-color-scheme: dark)');
let told: boolean | undefined;
const tell = () => {
  if (dark.matches === told) return;
  told = dark.matches;
  const message: ColorSchemeMessage = { type: 'keep-ready:color-scheme', dark: told };
  // Sending wakes the worker. If it cannot answer (an update in progress), the next start tells again.
  browser.runtime.sendMessage(message).catch(() => undefined);
};
tell();
setInterval(tell, POLL_MS);
