// The offscreen document (entrypoints/offscreen) -> service worker, over runtime.sendMessage:
// the browser's colour scheme, when the document starts and whenever it changes, so the
// toolbar icon can follow it (src/background/keep-ready.ts).

/** The offscreen document's page. */
export const OFFSCREEN_PAGE = '/offscreen.html';

export interface ColorSchemeMessage {
  type: 'keep-ready:color-scheme';
  dark: boolean;
}

export function isColorSchemeMessage(x: unknown): x is ColorSchemeMessage {
  if (typeof x !== 'object' || x === null) return false;
  const message = x as Record<string, unknown>;
  return message.type === 'keep-ready:color-scheme' && typeof message.dark === 'boolean';
}
