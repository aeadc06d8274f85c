// The confirmation before a passkey is deleted. The site keeps its copy of the public key, so
// the dialog says to remove it there too, and, on request, finds the site's own page for that
// in its /.well-known/passkey-endpoints (read by the service worker, after the user allows it).
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { PasskeySummary } from '../../src/protocol/passkey-summary';
import { ask } from './manager-client';
import { userLabel } from './PasskeyRow';
import { messageOf } from './usePasskeys';

type Lookup =
  | { state: 'idle' }
  | { state: 'looking' }
  | { state: 'found'; manage: string }
  | { state: 'none' }
  | { state: 'failed'; message: string };

interface Props {
  passkey: PasskeySummary;
  onConfirm: () => void;
  onCancel: () => void;
}

export function DeleteDialog({ passkey: p, onConfirm, onCancel }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [lookup, setLookup] = useState<Lookup>({ state: 'idle' });

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);

  const findManagePage = async () => {
    // permissions.request must run in the click's user activation: nothing is awaited before it.
    const asked = browser.permissions.request({ origins: [`https://${p.rpId}/*`] });
    setLookup({ state: 'looking' });
    try {
      if (!(await asked)) {
        setLookup({ state: 'failed', message: `Latchkey wasn’t allowed to read ${p.rpId}.` });
        return;
      }
      const { manage } = await ask({ type: 'manager:endpoints', rpId: p.rpId });
      setLookup(manage ? { state: 'found', manage } : { state: 'none' });
    } catch (e) {
      setLookup({ state: 'failed', message: messageOf(e) });
    }
  };

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="delete-title" aria-describedby="delete-body"
      data-testid="delete-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}>
      <form method="dialog" onSubmit={(event) => {
        event.preventDefault();
        onConfirm();
      }}>
        <h2 id="delete-title">Delete this passkey?</h2>
        <div id="delete-body">
          <p>
            <strong>{p.friendlyName}</strong> will be removed from Latchkey. You won’t be able to sign in to {p.rpId} as{' '}
            {userLabel(p)} with it any more.
          </p>
          <p class="notice">
            <strong>{p.rpId} still lists this passkey.</strong> To remove it there too, open your account’s security
            page on {p.rpId} and delete it.
          </p>
        </div>
        <div class="manage-lookup" aria-live="polite">
          {lookup.state === 'idle' && (
            <button type="button" class="button link" data-testid="delete-find-manage" onClick={findManagePage}>
              Find {p.rpId}’s passkey settings
            </button>
          )}
          {lookup.state === 'looking' && <span class="muted">Looking for {p.rpId}’s passkey settings…</span>}
          {lookup.state === 'found' && (
            <a href={lookup.manage} target="_blank" rel="noopener noreferrer" data-testid="delete-manage-link">
              Open {p.rpId}’s passkey settings
            </a>
          )}
          {lookup.state === 'none' && (
            <span class="muted">{p.rpId} doesn’t publish a passkey settings page; look under security in your account.</span>
          )}
          {lookup.state === 'failed' && <span class="error">{lookup.message}</span>}
        </div>
        <div class="actions">
          <button type="button" class="button" data-testid="cancel-delete" onClick={onCancel} autoFocus>Cancel</button>
          <button type="submit" class="button danger-solid" data-testid="confirm-delete">Delete passkey</button>
        </div>
      </form>
    </dialog>
  );
}
