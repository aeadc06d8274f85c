// The popup's lock controls: "Lock now" (lock-now), change the PIN, and reset the vault after
// a typed confirmation. Changing the PIN re-wraps only the vault key; reset deletes everything.
import { useState } from 'preact/hooks';
import { pinProblem, RESET_CONFIRMATION } from '../../src/protocol/lock';
import { PinField } from './PinField';
import { sendLock } from './useLockStatus';
import './vault.css';

/** "Lock now" (lock-now): the vault locks at once, here and in every open Latchkey page. */
export function LockNowButton() {
  return (
    <button type="button" class="button" data-testid="lock-now" onClick={() => void sendLock({ type: 'lock:lock' })}>
      Lock now
    </button>
  );
}

/** Change PIN and reset, for the unlocked popup. */
export function LockControls() {
  return (
    <section class="lock-controls" aria-label="PIN and vault">
      <ChangePin />
      <ResetVault />
    </section>
  );
}

function ChangePin() {
  const [currentPin, setCurrentPin] = useState('');
  const [newPin, setNewPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const weak = pinProblem(newPin);
    if (weak) return setMessage({ error: true, text: weak });
    if (newPin !== confirm) return setMessage({ error: true, text: 'The two entries of the new PIN are not the same.' });
    setBusy(true);
    try {
      const reply = await sendLock({ type: 'lock:change-pin', currentPin, newPin });
      setMessage(reply.ok ? { error: false, text: 'Your PIN is changed.' } : { error: true, text: reply.message });
      if (reply.ok) {
        setCurrentPin('');
        setNewPin('');
        setConfirm('');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <details>
      <summary data-testid="change-pin">Change PIN</summary>
      <form class="vault-form" onSubmit={submit} aria-busy={busy}>
        <PinField testId="change-pin-current" label="Current PIN" value={currentPin} onInput={setCurrentPin} autoComplete="current-password" />
        <PinField testId="change-pin-new" label="New PIN or passphrase" value={newPin} onInput={setNewPin} autoComplete="new-password" />
        <PinField testId="change-pin-confirm" label="The new one again" value={confirm} onInput={setConfirm} autoComplete="new-password" />
        {message && <p class={message.error ? 'error' : 'muted'} role={message.error ? 'alert' : 'status'}>{message.text}</p>}
        <div class="actions">
          <button type="submit" class="button primary" data-testid="change-pin-submit" disabled={busy}>Change PIN</button>
        </div>
      </form>
    </details>
  );
}

/** "Reset vault": also reachable while locked, for a forgotten PIN. */
export function ResetVault() {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    const reply = await sendLock({ type: 'lock:reset', confirmation: typed });
    if (!reply.ok) setError(reply.message);
  };
  return (
    <details>
      <summary data-testid="reset-vault">Reset vault</summary>
      <form class="vault-form" onSubmit={submit}>
        <p class="small">
          This deletes every passkey in Latchkey and its PIN. Sites will no longer accept them. Type {RESET_CONFIRMATION} to confirm.
        </p>
        <label class="field">
          <span>Confirmation</span>
          <input data-testid="reset-confirmation" value={typed} autoComplete="off" onInput={(event) => setTyped(event.currentTarget.value)} />
        </label>
        {error && <p class="error" role="alert">{error}</p>}
        <div class="actions">
          <button type="submit" class="button danger" data-testid="reset-submit" disabled={typed.trim() !== RESET_CONFIRMATION}>
            Delete everything
          </button>
        </div>
      </form>
    </details>
  );
}
