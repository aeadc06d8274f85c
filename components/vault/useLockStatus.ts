// The vault lock as Latchkey's pages see it: its status from the service worker
// (src/protocol/lock.ts), refreshed whenever storage.session changes (the vault locked or
// unlocked elsewhere: the popup, another prompt, the auto-lock alarm).
//
// The hook subscribes in a layout effect, which Preact runs as soon as the first render is
// committed; a plain effect waits for the next animation frame and a timer after it, and the
// popup's first rows would wait for that frame too.
import { useLayoutEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { earlyAnswer, settling } from '../early-answer';
import { UNLOCKED_SESSION_KEY, type LockReply, type LockRequest, type LockStatus } from '../../src/protocol/lock';

export async function sendLock(request: LockRequest): Promise<LockReply> {
  const reply = (await browser.runtime.sendMessage(request)) as LockReply | undefined;
  if (!reply) throw new Error('Latchkey did not answer.');
  return reply;
}

/**
 * Whether storage.session holds the unlocked vault key, from the names of its keys alone: one
 * call to the browser instead of a round trip to the service worker, which reads the vault's
 * state from IndexedDB and storage. False where the browser has no getKeys (the full status
 * still answers).
 */
async function sessionSaysUnlocked(): Promise<boolean> {
  const session = browser.storage.session as { getKeys?: () => Promise<string[]> } | undefined;
  if (typeof session?.getKeys !== 'function') return false;
  try {
    return (await session.getKeys()).includes(UNLOCKED_SESSION_KEY);
  } catch {
    return false;
  }
}

const early = earlyAnswer(() => {
  const status = sendLock({ type: 'lock:status' });
  status.catch(() => undefined); // observed by whoever takes it
  return { status, unlocked: settling(sessionSaysUnlocked()) };
});

/**
 * Asks for the lock status at once, before anything renders; the first useLockStatus takes
 * the answer (a lock or unlock meanwhile drops it, and the hook asks again).
 */
export function prefetchLockStatus(): void {
  early.start();
}

/** Whether storage.session says the vault is unlocked, from the prefetch (false without one). */
export function prefetchedUnlocked(): Promise<boolean> {
  return early.peek()?.unlocked.promise ?? Promise.resolve(false);
}

/**
 * The lock status from the service worker. Until it answers, `unlockedEarly` tells whether
 * storage.session already shows the vault unlocked (when the popup prefetched), so the
 * manager need not wait for the worker to say so.
 */
export function useLockStatus() {
  const [status, setStatus] = useState<LockStatus | undefined>();
  // Known already when the page waited for it before rendering: the first render shows the children.
  const [unlockedEarly, setUnlockedEarly] = useState(() => {
    const outcome = early.peek()?.unlocked.outcome;
    return outcome?.ok === true && outcome.value;
  });
  const [failed, setFailed] = useState<string | undefined>();

  useLayoutEffect(() => {
    let live = true;
    const refresh = (taken = early.take()) => {
      taken?.unlocked.promise.then((unlocked) => live && setUnlockedEarly(unlocked));
      return (taken?.status ?? sendLock({ type: 'lock:status' })).then(
        (reply) => live && setStatus(reply.status),
        () => live && setFailed('Latchkey could not read the state of its vault. Close this window and try again.'),
      );
    };
    void refresh();
    const onChanged = (_changes: unknown, area: string) => {
      if (area === 'session') void refresh();
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      live = false;
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, []);

  /** Sends a lock request and takes the status it answers with. */
  const send = async (request: LockRequest): Promise<LockReply> => {
    const reply = await sendLock(request);
    setStatus(reply.status);
    return reply;
  };

  return { status, unlockedEarly, failed, send };
}
