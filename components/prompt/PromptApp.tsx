// The consent prompt for one ceremony (docs/architecture.md#a-ceremony-end-to-end step 4; hooks in docs/development.md#testids).
// Escape cancels anywhere in the window. Enter approves from the form's fields, but nothing
// that approves has focus when a view is shown, and approve takes no click or key for the
// first half second (useApproveGuard): a page that opens the prompt while the user types or
// clicks elsewhere gets no consent from their next key or click.
//
// Create and get need the vault: VaultGate shows first-run set-up or unlock first, with the
// site, Cancel and "use a phone, tablet or security key" still there, so another device never
// waits for an unlock. When the ceremony asks for user verification, the view asks for the
// PIN (`uv-pin`), filled in with the one just typed to unlock, and the service worker checks it.
//
// Speed (README "Performance"): the lock state comes with the question (connection.ts). When
// it says unlocked, the view shows without VaultGate, which would ask for the lock status and
// cost a second round trip before the buttons paint. Any change of the lock afterwards
// (storage.session) hands the view to VaultGate for good. The service worker checks the lock
// again on approve whatever the window shows.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { AccountSummary, PromptAnswer, PromptRequest } from '../../src/protocol/messages';
import { fullDate } from '../popup/format';
import { PinField } from '../vault/PinField';
import { VaultGate } from '../vault/VaultGate';
import { OtherDevices } from './OtherDevices';
import { SiteHeader } from './SiteHeader';
import type { EarlyLock, PromptConnection } from './connection';
import { useApproveGuard } from './useApproveGuard';
import { usePromptPort } from './usePromptPort';
import './prompt.css';

export function PromptApp({ connection }: { connection: PromptConnection }) {
  const { state, lock, answer } = usePromptPort(connection);
  /** The PIN typed to set up or unlock in this window: it verifies the user for this ceremony too. */
  const [gatePin, setGatePin] = useState('');

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && state.phase === 'asking') answer({ kind: 'cancel' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [state.phase]);

  if (state.phase === 'connecting') return <main class="prompt" aria-busy="true" />;
  if (state.phase === 'failed') {
    return (
      <main class="prompt">
        <p class="error" role="alert" data-testid="prompt-error">{state.message}</p>
        <button type="button" class="button" onClick={() => window.close()}>Close</button>
      </main>
    );
  }
  const busy = state.phase === 'answered';
  const error = state.phase === 'asking' ? state.error : undefined;
  const request = state.request;
  if (request.kind === 'excluded') {
    // Acknowledging a passkey already saved needs no key: no unlock.
    return <main class="prompt"><ExcludedView request={request} answer={answer} busy={busy} /></main>;
  }
  const title = request.kind === 'create' ? 'Save a passkey' : 'Sign in with a passkey';
  return (
    <main class="prompt">
      <Gate lock={lock} onPin={setGatePin} before={<SiteHeader title={title} site={request.site} />}
        after={<GateActions answer={answer} busy={busy} />}>
        {request.kind === 'create'
          ? <CreateView request={request} answer={answer} busy={busy} error={error} gatePin={gatePin} />
          : <GetView request={request} answer={answer} busy={busy} error={error} gatePin={gatePin} />}
      </Gate>
    </main>
  );
}

/** VaultGate, skipped while the service worker's lock state says unlocked and nothing changed since. */
function Gate({ lock, children, ...gate }: {
  lock: EarlyLock;
  children: ComponentChildren;
  before: ComponentChildren;
  after: ComponentChildren;
  onPin: (pin: string) => void;
}) {
  const [lockChanged, setLockChanged] = useState(false);
  useEffect(() => {
    const onChanged = (_changes: unknown, area: string) => {
      if (area === 'session') setLockChanged(true);
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, []);
  if (lock === undefined && !lockChanged) return <div aria-busy="true" />;
  if (lock === 'unlocked' && !lockChanged) return <>{children}</>;
  return <VaultGate {...gate}>{children}</VaultGate>;
}

/** Under set-up or unlock: leave without unlocking, or use another device. */
function GateActions({ answer, busy }: { answer: (a: PromptAnswer) => void; busy: boolean }) {
  return (
    <>
      <div class="actions">
        <button type="button" class="button" data-testid="prompt-cancel" disabled={busy}
          onClick={() => answer({ kind: 'cancel' })}>
          Cancel
        </button>
      </div>
      <OtherDevices answer={answer} disabled={busy} />
    </>
  );
}

/** The PIN for user verification, when the ceremony asks for it. */
function useUvPin(gatePin: string) {
  const [pin, setPin] = useState(gatePin);
  useEffect(() => {
    if (gatePin) setPin(gatePin);
  }, [gatePin]);
  return [pin, setPin] as const;
}

/** Not focused when shown: Enter in it approves (the form's implicit submission). */
function UvPinField({ pin, setPin }: { pin: string; setPin: (pin: string) => void }) {
  return (
    <PinField testId="uv-pin" label="Your Latchkey PIN, to confirm it's you" value={pin} onInput={setPin}
      autoComplete="current-password" />
  );
}

function PromptError({ error }: { error: string | undefined }) {
  return error ? <p class="error" role="alert" data-testid="prompt-error">{error}</p> : null;
}

interface ViewProps<K extends PromptRequest['kind']> {
  request: Extract<PromptRequest, { kind: K }>;
  answer: (a: PromptAnswer) => void;
  busy: boolean;
  error?: string;
  gatePin?: string;
}

function Actions({ approveLabel, answer, busy, approveDisabled = false }: {
  approveLabel: string;
  answer: (a: PromptAnswer) => void;
  busy: boolean;
  approveDisabled?: boolean;
}) {
  return (
    <>
      <div class="actions">
        <button type="button" class="button" data-testid="prompt-cancel" disabled={busy}
          onClick={() => answer({ kind: 'cancel' })}>
          Cancel
        </button>
        <button type="submit" class="button primary" data-testid="prompt-approve" disabled={busy || approveDisabled}>
          {approveLabel}
        </button>
      </div>
      <OtherDevices answer={answer} disabled={busy} />
    </>
  );
}

function CreateView({ request, answer, busy, error, gatePin = '' }: ViewProps<'create'>) {
  const [name, setName] = useState(request.defaultFriendlyName);
  const [pin, setPin] = useUvPin(gatePin);
  const trimmed = name.trim();
  const tooLong = trimmed.length > 64;
  const armed = useApproveGuard();
  return (
    <form onSubmit={(event) => {
      event.preventDefault();
      if (tooLong || !armed) return;
      const friendlyName = trimmed || request.defaultFriendlyName;
      // A PIN typed to unlock in this window verifies the user even when the site did not ask.
      const typed = request.userVerification ? pin : gatePin;
      answer(typed ? { kind: 'approve', friendlyName, pin: typed } : { kind: 'approve', friendlyName });
    }}>
      <SiteHeader title="Save a passkey" site={request.site} />
      <div class="account" data-testid="prompt-account">
        <strong>{request.user.displayName || request.user.name}</strong>
        {request.user.displayName && request.user.displayName !== request.user.name && (
          <span class="muted">{request.user.name}</span>
        )}
      </div>
      <label class="field">
        <span>Name this passkey</span>
        <input data-testid="prompt-friendly-name" value={name} maxLength={128}
          aria-invalid={tooLong} onInput={(event) => setName(event.currentTarget.value)} />
      </label>
      {tooLong && <p class="error" role="alert">A name can be at most 64 characters.</p>}
      {request.replacing && (
        <p class="notice small" data-testid="prompt-replacing">
          Your passkey “{request.replacing.friendlyName}” for this account, saved {fullDate(request.replacing.createdAt)}, has not
          been used yet. The new passkey will replace it once {request.site.rpId} confirms it; until then both work.
        </p>
      )}
      {request.userVerification && <UvPinField pin={pin} setPin={setPin} />}
      <PromptError error={error} />
      <p class="muted small">Latchkey keeps this passkey in this browser. You can rename or delete it from the toolbar.</p>
      <Actions approveLabel="Save passkey" answer={answer} busy={busy} approveDisabled={!armed || tooLong || (request.userVerification && !pin)} />
    </form>
  );
}

function ExcludedView({ request, answer, busy }: ViewProps<'excluded'>) {
  const existing = request.existing;
  const armed = useApproveGuard();
  return (
    <form onSubmit={(event) => {
      event.preventDefault();
      if (armed) answer({ kind: 'approve' });
    }}>
      <SiteHeader title="You already have a passkey here" site={request.site} />
      <p class="error" role="alert" data-testid="prompt-error">
        {request.site.rpId} already has your passkey “{existing.friendlyName}” for {existing.userName}, saved{' '}
        {fullDate(existing.createdAt)} and {existing.lastUsedAt === null ? 'not used yet' : `last used ${fullDate(existing.lastUsedAt)}`}.
        You can sign in with it: the site asked not to save a second one for this account.
      </p>
      <div class="actions">
        <button type="submit" class="button primary" data-testid="prompt-approve" disabled={busy || !armed}>OK</button>
      </div>
      <OtherDevices answer={answer} disabled={busy} />
    </form>
  );
}

function GetView({ request, answer, busy, error, gatePin = '' }: ViewProps<'get'>) {
  const all = request.accounts;
  // One account shows once: its current passkey, the earlier ones behind `prompt-earlier`.
  const ids = new Set(all.map((account) => account.credentialId));
  const [revealed, setRevealed] = useState<ReadonlySet<string>>(new Set());
  const isEarlier = (account: AccountSummary) => account.earlierOf !== undefined && ids.has(account.earlierOf);
  const accounts = all.filter((account) => !isEarlier(account) || revealed.has(account.earlierOf!));
  // The most recently used passkey is selected first; one account is selected already.
  const [selected, setSelected] = useState<string | undefined>(mostRecent(all.filter((account) => !isEarlier(account)))?.credentialId);
  const [pin, setPin] = useUvPin(gatePin);
  const armed = useApproveGuard();
  const reveal = (current: string) => {
    setRevealed(new Set([...revealed, current]));
    setSelected(all.find((account) => account.earlierOf === current)?.credentialId);
  };
  return (
    <form onSubmit={(event) => {
      event.preventDefault();
      if (!selected || !armed) return;
      // A PIN typed to unlock in this window verifies the user even when the site did not ask.
      const typed = request.userVerification ? pin : gatePin;
      answer(typed ? { kind: 'approve', credentialId: selected, pin: typed } : { kind: 'approve', credentialId: selected });
    }}>
      <SiteHeader title="Sign in with a passkey" site={request.site} />
      <fieldset class="accounts">
        <legend class="muted">{accounts.length === 1 ? 'Your passkey' : 'Choose an account'}</legend>
        {accounts.map((account) => (
          <div key={account.credentialId}>
            <label class="account choice" data-testid="prompt-account"
              data-credential-id={account.credentialId} data-selected={account.credentialId === selected}>
              <input type="radio" name="account" value={account.credentialId}
                checked={account.credentialId === selected} onChange={() => setSelected(account.credentialId)} />
              <span>
                <strong>{account.userDisplayName || account.userName}</strong>
                {account.userDisplayName && account.userDisplayName !== account.userName && (
                  <span class="muted">{account.userName}</span>
                )}
                <span class="muted small">
                  {account.friendlyName}{isEarlier(account) ? ` · earlier passkey, saved ${fullDate(account.createdAt)}` : ''}
                </span>
              </span>
            </label>
            {!revealed.has(account.credentialId) && all.some((other) => other.earlierOf === account.credentialId) && (
              <button type="button" class="link-button small" data-testid="prompt-earlier" disabled={busy}
                onClick={() => reveal(account.credentialId)}>
                Use the earlier passkey for this account
              </button>
            )}
          </div>
        ))}
      </fieldset>
      {request.userVerification && <UvPinField pin={pin} setPin={setPin} />}
      <PromptError error={error} />
      <Actions approveLabel="Sign in" answer={answer} busy={busy} approveDisabled={!armed || !selected || (request.userVerification && !pin)} />
    </form>
  );
}

function mostRecent(accounts: AccountSummary[]): AccountSummary | undefined {
  return [...accounts].sort((a, b) => (b.lastUsedAt ?? b.createdAt) - (a.lastUsedAt ?? a.createdAt))[0];
}
