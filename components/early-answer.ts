// A request a page makes as it opens, before anything renders, for the first reader to take.
// A change to storage.session (the vault locked or unlocked) drops it: the reader then asks
// again and gets an answer from after the change.
import { browser } from 'wxt/browser';

export interface EarlyAnswer<T> {
  /** Makes the request now, replacing any not taken yet. */
  start(): void;
  /** The request made by start, once, if it is still current. */
  take(): T | undefined;
}

export function earlyAnswer<T>(request: () => T): EarlyAnswer<T> {
  let pending: { value: T } | undefined;
  let listening = false;
  return {
    start() {
      pending = { value: request() };
      if (listening) return;
      listening = true;
      browser.storage.onChanged.addListener((_changes: unknown, area: string) => {
        if (area === 'session') pending = undefined;
      });
    },
    take() {
      const made = pending;
      pending = undefined;
      return made?.value;
    },
  };
}
