// The browser-window operations the service worker needs for a ceremony, behind a port so
// the prompt session is unit-tested without a browser.

export interface PromptWindows {
  /** Opens prompt.html for a ceremony in its own small window; resolves its window id. */
  open(ceremonyId: string): Promise<number>;
  close(windowId: number): Promise<void>;
  /**
   * Brings the calling tab to the front. Chromium refuses WebAuthn from a page that does
   * not have focus, so this runs before a ceremony is handed to the browser.
   */
  focusTab(tab: { tabId: number; windowId: number }): Promise<void>;
}

export const PROMPT_SIZE = { width: 420, height: 600 };
