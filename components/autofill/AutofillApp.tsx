// The passkeys Latchkey offers under a username field (UI-TEST-CONTRACT.md, "Conditional
// mediation"): one `autofill-suggestion` per passkey, then `autofill-other`, which hands the
// ceremony to the browser's own dialog. It lives in an extension-origin frame, so the page
// never reads the account names; a click here is the user's choice.

import { useEffect, useState } from 'preact/hooks';
import type { AccountSummary } from '../../src/protocol/messages';
import { useAutofillPort } from './useAutofillPort';
import { useVisibleToUser } from './useVisibleToUser';

function label(account: AccountSummary): { primary: string; secondary: string } {
  const primary = account.userName || account.userDisplayName || account.friendlyName;
  return { primary, secondary: account.friendlyName === primary ? 'Passkey in Latchkey' : account.friendlyName };
}

export function AutofillApp() {
  const { offer, send } = useAutofillPort();
  const [list, setList] = useState<HTMLDivElement | null>(null);
  const whenVisible = useVisibleToUser(list);

  // The page's field hands the keyboard over (Down arrow): the first entry takes focus.
  useEffect(() => {
    const onFocus = () => {
      if (document.activeElement === document.body) list?.querySelector('button')?.focus();
    };
    addEventListener('focus', onFocus);
    return () => removeEventListener('focus', onFocus);
  }, [list]);

  if (!offer) return null;
  const pick = (message: Parameters<typeof send>[0]) => whenVisible(() => send(message));
  // Arrow keys move between entries; Enter and Space pick (native button behaviour).
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...(list?.querySelectorAll('button') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    buttons[(at + (event.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
    event.preventDefault();
  };

  return (
    <div class="autofill-list" ref={setList} role="listbox" aria-label={`Passkeys for ${offer.site.rpId}`} onKeyDown={onKeyDown}>
      {offer.accounts.map((account) => {
        const { primary, secondary } = label(account);
        return (
          <button
            type="button"
            role="option"
            class="autofill-entry"
            data-testid="autofill-suggestion"
            data-credential-id={account.credentialId}
            key={account.credentialId}
            onClick={() => pick({ type: 'pick', credentialId: account.credentialId })}
          >
            <span class="autofill-key" aria-hidden="true">🔑</span>
            <span class="autofill-text">
              <span class="autofill-primary">{primary}</span>
              <span class="autofill-secondary">{secondary}</span>
            </span>
          </button>
        );
      })}
      <button type="button" role="option" class="autofill-entry autofill-other" data-testid="autofill-other" onClick={() => pick({ type: 'other' })}>
        <span class="autofill-key" aria-hidden="true">📱</span>
        <span class="autofill-text">
          <span class="autofill-primary">Use another device or a browser passkey</span>
        </span>
      </button>
    </div>
  );
}
