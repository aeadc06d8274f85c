// Unlock (docs/development.md#testids: unlock-pin, unlock-submit). After wrong PINs it says how long to
// wait and keeps the button off until then; the service worker enforces the wait anyway.
import { useEffect, useState } from 'preact/hooks';
import { waitText, type LockReply, type LockStatus } from '../../src/protocol/lock';
import { PinField } from './PinField';

export function UnlockForm({ status, send, onPin }: {
  status: LockStatus;
  send: (pin: string) => Promise<LockReply>;
  onPin?: (pin: string) => void;
}) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const now = useNow(status.retryAt);
  const waiting = status.retryAt !== null && status.retryAt > now;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!pin || waiting) return;
    setBusy(true);
    setError(undefined);
    try {
      const reply = await send(pin);
      if (reply.ok) onPin?.(pin);
      else {
        setError(reply.message);
        setPin('');
      }
    } catch {
      setError('Latchkey could not unlock. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="vault-form" onSubmit={submit} aria-busy={busy}>
      <h2>Latchkey is locked</h2>
      <PinField testId="unlock-pin" label="PIN or passphrase" value={pin} onInput={setPin} autoFocus
        autoComplete="current-password" invalid={error !== undefined} />
      {error && <p class="error" role="alert" data-testid="vault-error">{error}</p>}
      {waiting && !error && (
        <p class="error" role="status">Too many wrong PINs. You can try again {waitText(status.retryAt!, now)}.</p>
      )}
      <div class="actions">
        <button type="submit" class="button primary" data-testid="unlock-submit" disabled={busy || waiting}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </div>
    </form>
  );
}

/** The time, ticking each second while a wait is under way. */
function useNow(until: number | null): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (until === null || until <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  return now;
}
