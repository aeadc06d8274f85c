// The relay across Latchkey's own life. When Latchkey is disabled, removed, updated or
// reloaded, the relays already in pages stay, cut off from the extension (orphans), and so do
// the page scripts. An orphan answers every handshake with 'fallback' at once, so the page
// calls the browser's own WebAuthn; after an update or reload the service worker injects a
// fresh relay (src/background/inject.ts), which runs in a new isolated world: the two meet
// only through the DOM, where the fresh one announces itself and the orphan steps down, so
// they never both answer a handshake.

/** The event a starting relay dispatches on its window; an orphan that hears it cancels it. */
export const RELAY_STARTED = 'latchkey:relay';

/**
 * How this instance's relay started in the frame: 'fresh' with no relay there before, so no
 * page script either; 'successor' after an orphan, whose page script still serves the page.
 */
export type RelayStart = 'fresh' | 'successor';

/** The relay's isolated-world global: Latchkey's alone, one per extension instance and frame. */
export interface RelayScope {
  latchkeyRelay?: RelayStart;
}

/** What of the window the lifecycle uses. */
export interface RelayWindow {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
  dispatchEvent(event: Event): boolean;
}

/**
 * Starts the relay (its window `message` listener) unless this instance's already runs in the
 * frame, which an injection after install or update may meet: returns false then.
 * `alive`: whether this relay's extension is still there (an orphan's runtime is gone).
 */
export function startRelay(scope: RelayScope, win: RelayWindow, alive: () => boolean, onMessage: (event: Event) => void): boolean {
  if (scope.latchkeyRelay) return false;
  scope.latchkeyRelay = win.dispatchEvent(new Event(RELAY_STARTED, { cancelable: true })) ? 'fresh' : 'successor';
  const onStarted = (event: Event) => {
    // Only an orphan steps down: the page can dispatch this event too, and a live relay stays.
    if (alive()) return;
    win.removeEventListener('message', onMessage);
    win.removeEventListener(RELAY_STARTED, onStarted);
    event.preventDefault();
  };
  win.addEventListener(RELAY_STARTED, onStarted);
  win.addEventListener('message', onMessage);
  return true;
}
