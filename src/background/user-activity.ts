// What re-arms the auto-lock (docs/security.md#key-hierarchy: auto-lock after a period without
// use). The service worker reports what happens here; this file alone decides which of it is
// use. Only what the user does counts: an answer in the prompt, a pick in the suggestion
// frame, a request from the popup, setting up or unlocking. Anything a page can cause (a
// ceremony's start, heartbeats, a prompt or frame that opens and says hello, a status read
// when a window opens) does not, or a background tab that keeps asking would keep the vault
// unlocked for ever.

import type { PageHandler } from './router';

export type LatchkeyEvent =
  /** A page called create() or get() (the relay opened a ceremony). */
  | { kind: 'ceremony-start' }
  /** The prompt window sent the answer on screen: a click or key of the user's. */
  | { kind: 'prompt-answer' }
  /** The suggestion frame sent a pick: the user's click. */
  | { kind: 'autofill-pick' }
  /** A request from Latchkey's own pages (the popup, the prompt) over the page router. */
  | { kind: 'page-request'; message: unknown };

/** Whether `event` is use of Latchkey: it re-arms the auto-lock. */
export function rearmsAutoLock(event: LatchkeyEvent): boolean {
  switch (event.kind) {
    case 'ceremony-start':
      return false;
    case 'prompt-answer':
    case 'autofill-pick':
      return true;
    case 'page-request':
      return isUserRequest(event.message);
  }
}

/**
 * The passkey manager's requests are the popup's, so the user's. Lock requests are left to
 * VaultLock: set-up, unlock and a PIN change re-arm there; lock and reset disarm; a status
 * read is made by every prompt and popup when it opens or storage.session changes. The
 * keep-ready page's requests are not use either.
 */
function isUserRequest(message: unknown): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const { type } = message as { type?: unknown };
  return typeof type === 'string' && type.startsWith('manager:');
}

/** Reports each event to the lock; what counts as use re-arms it, beside the work. */
export function autoLockActivity(lock: { touch(): Promise<void> }): (event: LatchkeyEvent) => void {
  return (event) => {
    if (rearmsAutoLock(event)) void lock.touch().catch(() => undefined);
  };
}

/**
 * A page handler that answers nothing: it reports each request from Latchkey's pages and lets
 * the next handler answer. First in the router's list.
 */
export function pageActivityHandler(report: (event: LatchkeyEvent) => void): PageHandler {
  return (message) => {
    report({ kind: 'page-request', message });
    return undefined;
  };
}
