// Tabs open before Latchkey was installed, updated or reloaded: the browser puts the manifest's
// content scripts only into documents loaded after (Chromium; Firefox injects them on install
// itself), so the first passkey request there would go to the browser, or to an orphaned relay
// that answers 'fallback' (src/relay/lifecycle.ts). At install and update the worker injects
// the relay into every frame of every tab, then the page script where no Latchkey ran before.
// A frame where this instance's relay already runs is left alone, and a page script already
// installed by an earlier instance stays, served by the fresh relay: nothing installs twice.

import { browser } from 'wxt/browser';

/** The built scripts, as wxt.config.ts and the entrypoints name them. */
export const RELAY_FILE = '/relay.js';
export const PAGE_SCRIPT_FILE = '/content-scripts/webauthn.js';
export type ScriptFile = typeof RELAY_FILE | typeof PAGE_SCRIPT_FILE;

export type World = 'ISOLATED' | 'MAIN';

/** What of chrome.tabs and chrome.scripting the injection uses; every frame by default. */
export interface Scripting {
  tabIds(): Promise<number[]>;
  /** Runs `file` in the frames (all by default); resolves when done. */
  file(tabId: number, file: ScriptFile, world: World, frameIds?: number[]): Promise<void>;
  /** Runs `func` in the frames' ISOLATED world; each frame's id and result. */
  run<T>(tabId: number, func: () => T, frameIds?: number[]): Promise<{ frameId: number; result: T }[]>;
}

/** In a frame's isolated world: whether this instance's relay runs there (src/relay/lifecycle.ts). */
const hasRelay = () => !!(globalThis as { latchkeyRelay?: string }).latchkeyRelay;

/**
 * In a frame's isolated world, after the relay was injected: whether it started with no relay
 * there before ('fresh'), so the frame has no page script yet. Said once per frame.
 */
const takeFresh = () => {
  const scope = globalThis as { latchkeyRelay?: string };
  const fresh = scope.latchkeyRelay === 'fresh';
  if (fresh) scope.latchkeyRelay = 'served';
  return fresh;
};

/** Injects the relay, then the page script, into the frames of `tabId` that lack them. */
export async function injectTab(scripting: Scripting, tabId: number): Promise<void> {
  const without = (await scripting.run(tabId, hasRelay)).filter(({ result }) => !result).map(({ frameId }) => frameId);
  if (!without.length) return;
  // The relay first: it must be listening before the page script can post a handshake.
  await scripting.file(tabId, RELAY_FILE, 'ISOLATED', without);
  const fresh = (await scripting.run(tabId, takeFresh, without)).filter(({ result }) => result).map(({ frameId }) => frameId);
  if (fresh.length) await scripting.file(tabId, PAGE_SCRIPT_FILE, 'MAIN', fresh);
}

/**
 * Injects into every open tab. A tab Latchkey may not script (the browser's own pages, the
 * extension store, a PDF viewer) is skipped.
 */
export async function injectOpenTabs(scripting: Scripting): Promise<void> {
  await Promise.all((await scripting.tabIds()).map((tabId) => injectTab(scripting, tabId).catch(() => undefined)));
}

/** Scripting through the extension API (the `scripting` permission, `<all_urls>` host access). */
export function browserScripting(): Scripting {
  const { tabs, scripting } = browser;
  const target = (tabId: number, frameIds?: number[]) => (frameIds ? { tabId, frameIds } : { tabId, allFrames: true });
  return {
    tabIds: async () => (await tabs.query({})).flatMap(({ id }) => (id === undefined ? [] : [id])),
    file: async (tabId, file, world, frameIds) => {
      await scripting.executeScript({ target: target(tabId, frameIds), files: [file], world, injectImmediately: true });
    },
    run: async <T>(tabId: number, func: () => T, frameIds?: number[]) =>
      (await scripting.executeScript({ target: target(tabId, frameIds), func, injectImmediately: true })).map(({ frameId, result }) => ({
        frameId,
        result: result as T,
      })),
  };
}
