// The vault lock as Latchkey's pages see it: its status from the service worker
// (src/protocol/lock.ts), refreshed whenever storage.session changes (the vault locked or
// unlocked elsewhere: the popup, another prompt, the auto-lock alarm).
//
// The hook subscribes in a layout effect, which Preact runs as soon as the first render is
// committed; a plain effect waits for the next animation frame and a timer after it, and the
// popup's first rows would wait for that frame too.
import { useLayoutEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { LockReply, LockRequest, LockStatus } from '../../src/protocol/lock';

export async function sendLock(request: LockRequest): Promise<LockReply> {
  const reply = (await browser.runtime.sendMessage(request)) as LockReply | undefined;
  if (!reply) throw new Error('Latchkey did not answer.');
  return reply;
}

let prefetched: Promise<LockReply> | undefined;

/**
 * Asks for the lock status at once, before anything renders; the first useLockStatus takes
 * the answer. A lock or unlock meanwhile (storage.session changes) drops it, and the hook
 * asks again.
 */
export function prefetchLockStatus(): void {
  const request = sendLock({ type: 'lock:status' });
  request.catch(() => undefined); // observed by whoever takes it
  prefetched = request;
  const drop = (_changes: unknown, area: string) => {
    if (area !== 'session') return;
    if (prefetched === request) prefetched = undefined;
    browser.storage.onChanged.removeListener(drop);
  };
  browser.storage.onChanged.addListener(drop);
}

function takePrefetched(): Promise<LockReply> | undefined {
  const early = prefetched;
  prefetched = undefined;
  return early;
}

export function useLockStatus() {
  const [status, setStatus] = useState<LockStatus | undefined>();
  const [failed, setFailed] = useState<string | undefined>();

  useLayoutEffect(() => {
    let live = true;
    const refresh = (early = takePrefetched()) =>
      (early ?? sendLock({ type: 'lock:status' })).then(
        (reply) => live && setStatus(reply.status),
        () => live && setFailed('Latchkey could not read the state of its vault. Close this window and try again.'),
      );
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

  return { status, failed, send };
}
