// "Keep Latchkey ready" (a setting, on by default): one offscreen document kept open while the
// browser runs, so Chromium keeps Latchkey's process when the service worker stops after 30 s
// idle. Without it the process goes with the worker, and the next prompt waits for Chromium to
// start a process, then the worker, then the window in that new process: about 0.4 s against
// about 0.2 s (README, "Performance"). The cost is the process's memory while idle.
//
// The document does one job, named as its reason: it reads the browser's colour scheme
// (matchMedia, which the worker lacks) and the toolbar icon follows it, as the browser's own
// icons do. The justification tells the rest.

import { isColorSchemeMessage } from '../protocol/keep-ready';
import type { PageHandler } from './router';

/** The parts of chrome.offscreen and chrome.runtime.getContexts used here. */
export interface OffscreenDocuments {
  /** Whether a document of ours is open (chrome.runtime.getContexts). */
  isOpen(): Promise<boolean>;
  create(parameters: { url: string; reasons: ['MATCH_MEDIA']; justification: string }): Promise<void>;
  close(): Promise<void>;
}

export const OFFSCREEN_JUSTIFICATION =
  'Follows the browser’s light or dark theme for the toolbar icon. While it is open, the browser also keeps ' +
  'Latchkey’s process, so the passkey prompt opens quickly after Latchkey has been idle; users can turn this off ' +
  'in Latchkey’s settings ("Keep Latchkey ready").';

/**
 * Opens or closes the document to match the setting. Calls are applied one after another, so a
 * quick off-on-off ends closed and two opens never race (Chromium allows one document).
 */
export class KeepReady {
  #queue: Promise<void> = Promise.resolve();

  constructor(private readonly documents: OffscreenDocuments | undefined, private readonly url: string) {}

  /** Resolves once the document is open (`wanted`) or closed; a browser without chrome.offscreen does nothing. */
  apply(wanted: boolean): Promise<void> {
    const run = this.#queue.then(() => this.#match(wanted));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #match(wanted: boolean): Promise<void> {
    const documents = this.documents;
    if (!documents) return;
    const open = await documents.isOpen();
    if (wanted && !open) await documents.create({ url: this.url, reasons: ['MATCH_MEDIA'], justification: OFFSCREEN_JUSTIFICATION });
    else if (!wanted && open) await documents.close();
  }
}

/** The toolbar icon for each colour scheme: a dark key on a light toolbar, a light one on a dark. */
export function toolbarIconPaths(dark: boolean): Record<'16' | '32', string> {
  const ink = dark ? 'light' : 'dark';
  return { '16': `/icon/glyph-${ink}-16.png`, '32': `/icon/glyph-${ink}-32.png` };
}

/** Where the toolbar icon keeps what it needs across restarts. */
export interface ToolbarIconStore {
  /** The scheme last reported (storage.local: survives the browser). */
  lastScheme(): Promise<boolean | undefined>;
  rememberScheme(dark: boolean): Promise<void>;
  /** Whether the icon was set in this browser session (storage.session: the browser resets the icon with it). */
  setThisSession(): Promise<boolean>;
  markSetThisSession(): Promise<void>;
}

/**
 * The toolbar key, light or dark to match the browser's colour scheme. The browser puts the
 * manifest's icon back at each start, and the offscreen document that reports the scheme is
 * open only while Keep Latchkey ready is on; so the last scheme reported is remembered, and
 * set again by the first worker of each browser session. A scheme reported in this session
 * wins over the remembered one, whichever arrives first.
 */
export class ToolbarIcon {
  #followed = false;

  constructor(private readonly setIcon: (path: Record<'16' | '32', string>) => Promise<void>, private readonly store: ToolbarIconStore) {}

  /** Sets the icon for the scheme just reported, and remembers it. */
  async follow(dark: boolean): Promise<void> {
    this.#followed = true;
    await this.setIcon(toolbarIconPaths(dark));
    await Promise.all([this.store.markSetThisSession(), this.store.lastScheme().then((last) => (last === dark ? undefined : this.store.rememberScheme(dark)))]);
  }

  /** At a worker's start: the remembered scheme's icon, unless the icon is already set in this browser session. */
  async restore(): Promise<void> {
    if (await this.store.setThisSession()) return;
    const dark = await this.store.lastScheme();
    if (dark === undefined || this.#followed) return;
    await this.setIcon(toolbarIconPaths(dark));
    await this.store.markSetThisSession();
  }
}

/** Answers the document's colour-scheme message by setting the toolbar icon. */
export function colorSchemeHandler(icon: Pick<ToolbarIcon, 'follow'>): PageHandler {
  return (message) => (isColorSchemeMessage(message) ? icon.follow(message.dark).then(() => ({ ok: true })) : undefined);
}
