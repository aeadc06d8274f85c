// The passkeys Latchkey offers under a username field (docs/development.md#testids): one `autofill-suggestion` per passkey (possibly none), then `autofill-other`,
// which hands the ceremony to the browser's own dialog. It lives in an extension-origin frame
// of one fixed size, so the page never reads the account names or learns how many there are;
// a click here is the user's choice. Passkey entries wait out the input protection
// (useInputGuard); "another device" only opens the browser's dialog, so it never waits.

import { useEffect, useState } from 'preact/hooks';
import type { AccountSummary } from '../../src/protocol/messages';
import { useAutofillPort } from './useAutofillPort';
import { useInputGuard } from './useInputGuard';

function label(account: AccountSummary): { primary: string; secondary: string } {
  const primary = account.userName || account.userDisplayName || account.friendlyName;
  return { primary, secondary: account.friendlyName === primary ? 'Passkey in Latchkey' : account.friendlyName };
}

export function AutofillApp() {
  const { offer, send, post } = useAutofillPort();
  const [list, setList] = useState<HTMLDivElement | null>(null);
  const { ready, seen } = useInputGuard(list);
  /** Accounts whose earlier passkey the user asked to see (`autofill-earlier`). */
  const [revealed, setRevealed] = useState<ReadonlySet<string>>(new Set());

  // The keyboard came into the frame (the field's Down arrow, Tab): once the entries take
  // picks, the first one takes focus. Nothing that picks has focus before that.
  useEffect(() => {
    if (ready && document.hasFocus() && document.activeElement === document.body) list?.querySelector('button')?.focus();
  }, [ready, list]);

  // A press in the frame outside the list hides the frame, as a press elsewhere in the page does.
  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      if (list && !list.contains(event.target as Node)) post({ type: 'dismiss' });
    };
    addEventListener('pointerdown', onPointerDown);
    return () => removeEventListener('pointerdown', onPointerDown);
  }, [list]);

  if (!offer) return null;
  // One account shows once: its current passkey, the earlier ones behind `autofill-earlier`.
  const ids = new Set(offer.accounts.map((account) => account.credentialId));
  const isEarlier = (account: AccountSummary) => account.earlierOf !== undefined && ids.has(account.earlierOf);
  const shown = offer.accounts.filter((account) => !isEarlier(account) || revealed.has(account.earlierOf!));
  // Arrow keys move between entries; Enter and Space pick (native button behaviour).
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...(list?.querySelectorAll('button:not([disabled])') ?? [])] as HTMLButtonElement[];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    buttons[(at + (event.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
    event.preventDefault();
  };

  return (
    <div class="autofill-list" ref={setList} role="listbox" aria-label={`Passkeys for ${offer.site.rpId}`} onKeyDown={onKeyDown}>
      {shown.map((account) => {
        const { primary, secondary } = label(account);
        const earlier = !revealed.has(account.credentialId) && offer.accounts.some((other) => other.earlierOf === account.credentialId);
        return [
          <button
            type="button"
            role="option"
            class="autofill-entry"
            data-testid="autofill-suggestion"
            data-credential-id={account.credentialId}
            key={account.credentialId}
            disabled={!ready}
            onClick={() => ready && send({ type: 'pick', credentialId: account.credentialId, seen: seen() })}
          >
            <span class="autofill-key" aria-hidden="true">🔑</span>
            <span class="autofill-text">
              <span class="autofill-primary">{primary}</span>
              <span class="autofill-secondary">{isEarlier(account) ? `${secondary} · earlier passkey` : secondary}</span>
            </span>
          </button>,
          earlier && (
            <button type="button" class="autofill-entry autofill-earlier" data-testid="autofill-earlier" key={`${account.credentialId}-earlier`}
              onClick={() => setRevealed(new Set([...revealed, account.credentialId]))}>
              <span class="autofill-key" aria-hidden="true" />
              <span class="autofill-text">
                <span class="autofill-secondary">Use the earlier passkey for this account</span>
              </span>
            </button>
          ),
        ];
      })}
      <button type="button" role="option" class="autofill-entry autofill-other" data-testid="autofill-other" onClick={() => send({ type: 'another-device' })}>
        <span class="autofill-key" aria-hidden="true">📱</span>
        <span class="autofill-text">
          <span class="autofill-primary">Use another device or a browser passkey</span>
        </span>
      </button>
    </div>
  );
}
