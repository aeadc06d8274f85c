// A request a page makes as it opens, before anything renders, for the first reader to take.
// A change to storage.session (the vault locked or unlocked) drops it: the reader then asks
// again and gets an answer from after the change.
import { browser } from 'wxt/browser';

export interface EarlyAnswer<T> {
  /** Makes the request now, replacing any not taken yet. */
  start(): void;
  /** The request made by start, once, if it is still current. */
  take(): T | undefined;
  /** The request made by start, if it is still current, left for the reader to take. */
  peek(): T | undefined;
}

/** A promise whose outcome, once it has one, can be read without waiting for a microtask. */
export interface Settling<T> {
  promise: Promise<T>;
  outcome?: { ok: true; value: T } | { ok: false; error: unknown };
}

export function settling<T>(promise: Promise<T>): Settling<T> {
  const s: Settling<T> = { promise };
  promise.then((value) => (s.outcome = { ok: true, value }), (error: unknown) => (s.outcome = { ok: false, error }));
  return s;
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
    peek() {
      return pending?.value;
    },
  };
}
