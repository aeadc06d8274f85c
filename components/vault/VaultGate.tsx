// Shows its children only while the vault is unlocked; otherwise first-run set-up or unlock.
// The popup wraps the passkey manager in it, and the prompt wraps the consent view, passing
// its site header `before` and its cancel and other-device buttons `after`, so a locked vault
// still offers "use a phone, tablet or security key" without unlocking (docs/architecture.md).
import type { ComponentChildren } from 'preact';
import { SetupForm } from './SetupForm';
import { UnlockForm } from './UnlockForm';
import { useLockStatus } from './useLockStatus';
import './vault.css';

export function VaultGate({ children, before, after, afterLocked, onPin }: {
  children: ComponentChildren;
  before?: ComponentChildren;
  after?: ComponentChildren;
  /** Shown under the unlock form only (the popup's "Reset vault", for a forgotten PIN). */
  afterLocked?: ComponentChildren;
  /** The PIN the user just typed to set up or unlock, for the prompt's user verification. */
  onPin?: (pin: string) => void;
}) {
  const { status, unlockedEarly, failed, send } = useLockStatus();
  if (failed) return <p class="error" role="alert" data-testid="prompt-error">{failed}</p>;
  // Until the service worker's status arrives, storage.session's word that the vault is
  // unlocked is enough to show the children (the worker still checks every request).
  if (status ? status.state === 'unlocked' : unlockedEarly) return <>{children}</>;
  if (!status) return <div aria-busy="true" />;
  return (
    <div class="vault-gate">
      {before}
      {status.state === 'new'
        ? <SetupForm status={status} onPin={onPin} send={(pin) => send({ type: 'lock:set-up', pin })} />
        : <UnlockForm status={status} onPin={onPin} send={(pin) => send({ type: 'lock:unlock', pin })} />}
      {after}
      {status.state === 'locked' && afterLocked}
    </div>
  );
}
