// The vault lock as Latchkey's pages see it: its status from the service worker
// (src/protocol/lock.ts), refreshed whenever storage.session changes (the vault locked or
// unlocked elsewhere: the popup, another prompt, the auto-lock alarm).
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { LockReply, LockRequest, LockStatus } from '../../src/protocol/lock';

export async function sendLock(request: LockRequest): Promise<LockReply> {
  const reply = (await browser.runtime.sendMessage(request)) as LockReply | undefined;
  if (!reply) throw new Error('Latchkey did not answer.');
  return reply;
}

export function useLockStatus() {
  const [status, setStatus] = useState<LockStatus | undefined>();
  const [failed, setFailed] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    const refresh = () =>
      sendLock({ type: 'lock:status' }).then(
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
