// First-run set-up (docs/development.md#testids: setup-pin, setup-pin-confirm, setup-submit): a PIN or
// passphrase, twice. Says plainly what it protects, the minimum, that a passphrase is
// stronger, and that a forgotten PIN cannot be recovered.
import { useState } from 'preact/hooks';
import { MIN_PIN_LENGTH, pinProblem, type LockReply, type LockStatus } from '../../src/protocol/lock';
import { PinField } from './PinField';

export function SetupForm({ status, send, onPin }: {
  status: LockStatus;
  send: (pin: string) => Promise<LockReply>;
  onPin?: (pin: string) => void;
}) {
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const weak = pinProblem(pin);
    if (weak) return setError(weak);
    if (pin !== confirm) return setError('The two entries are not the same. Type the same PIN twice.');
    setBusy(true);
    setError(undefined);
    try {
      const reply = await send(pin);
      if (reply.ok) onPin?.(pin);
      else setError(reply.message);
    } catch {
      setError('Latchkey could not set up the vault. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="vault-form" onSubmit={submit} aria-busy={busy}>
      <h2>Protect your passkeys with a PIN</h2>
      <p class="muted small">
        Latchkey encrypts your passkeys with a key made from this PIN or passphrase. You will type it to unlock
        Latchkey and when a site asks to verify it's you.
      </p>
      {status.passkeysKept > 0 && (
        <p class="small">Your {status.passkeysKept} saved passkey{status.passkeysKept === 1 ? '' : 's'} will be kept.</p>
      )}
      <PinField testId="setup-pin" label="New PIN or passphrase" value={pin} onInput={setPin} autoFocus
        autoComplete="new-password" invalid={error !== undefined} />
      <PinField testId="setup-pin-confirm" label="The same again" value={confirm} onInput={setConfirm}
        autoComplete="new-password" invalid={error !== undefined} />
      <ul class="muted small hints">
        <li>At least {MIN_PIN_LENGTH} characters. A passphrase of a few words is much stronger than digits.</li>
        <li>If you forget it, it cannot be recovered: only an export of your passkeys can bring them back.</li>
      </ul>
      {error && <p class="error" role="alert" data-testid="vault-error">{error}</p>}
      <div class="actions">
        <button type="submit" class="button primary" data-testid="setup-submit" disabled={busy}>
          {busy ? 'Setting up…' : 'Set PIN'}
        </button>
      </div>
    </form>
  );
}
