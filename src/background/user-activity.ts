// What re-arms the auto-lock (DESIGN.md "Keys at rest": auto-lock after a period without
// Latchkey activity). The service worker reports what happens here; this file alone decides
// which of it is use.

import { isLockMessage } from '../protocol/lock';
import type { PageHandler } from './router';

export type LatchkeyEvent =
  /** A page called create() or get() (the relay opened a ceremony). */
  | { kind: 'ceremony-start' }
  /** The prompt window sent the answer on screen. */
  | { kind: 'prompt-answer' }
  /** The suggestion frame sent a pick. */
  | { kind: 'autofill-pick' }
  /** A request from Latchkey's own pages (the popup, the prompt) over the page router. */
  | { kind: 'page-request'; message: unknown };

/** Whether `event` is use of Latchkey: it re-arms the auto-lock. */
export function rearmsAutoLock(event: LatchkeyEvent): boolean {
  switch (event.kind) {
    case 'ceremony-start':
      return true;
    case 'prompt-answer':
    case 'autofill-pick':
      return false;
    case 'page-request':
      return isLockMessage(event.message);
  }
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
