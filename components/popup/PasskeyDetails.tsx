// Everything Latchkey knows about one passkey (metadata only), over the list.
import { useState } from 'preact/hooks';
import { Panel } from './Panel';
import type { PasskeySummary } from '../../src/protocol/passkey-summary';
import { algorithmName, fullDate } from './format';
import { SiteAvatar } from './PasskeyRow';

interface Props {
  passkey: PasskeySummary;
  onBack: () => void;
  onRestore: () => void;
}

export function PasskeyDetails({ passkey: p, onBack, onRestore }: Props) {
  const [copied, setCopied] = useState<'copied' | 'failed' | undefined>(undefined);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(p.credentialId);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <Panel titleId="details-title" testId="passkey-details" backTestId="details-back" onBack={onBack}>
      <header class="details-head">
        <SiteAvatar rpId={p.rpId} size="large" />
        <div>
          <h2 id="details-title" class="details-name">{p.friendlyName}</h2>
          <p class="muted">{p.userName} on {p.rpId}</p>
        </div>
      </header>
      {p.hidden && (
        <div class="notice">
          <p>Removed by the site: {p.rpId} said it no longer accepts this passkey, so Latchkey doesn’t offer it.
            It is still here: restore it if that was a mistake, or delete it for good.</p>
          <button type="button" class="button" data-testid="details-restore" onClick={onRestore}>Restore</button>
        </div>
      )}
      {p.superseded && (
        <div class="notice">
          <p>A newer passkey for this account is offered first. This one still works, and stays until {p.rpId} shows
            that it has the newer one.</p>
        </div>
      )}
      <dl class="facts">
        <dt>Site</dt><dd>{p.rpId}</dd>
        <dt>Site’s name</dt><dd>{p.rpName || '—'}</dd>
        <dt>User name</dt><dd>{p.userName || '—'}</dd>
        <dt>Display name</dt><dd>{p.userDisplayName || '—'}</dd>
        <dt>Credential ID</dt>
        <dd class="credential-id">
          <code data-testid="details-credential-id">{p.credentialId}</code>
          <button type="button" class="button small-button" data-testid="details-copy-id" onClick={copy}
            aria-label="Copy the credential ID">
            Copy
          </button>
          <span class="small muted" aria-live="polite">
            {copied === 'copied' ? 'Copied.' : copied === 'failed' ? 'Couldn’t copy; select the text instead.' : ''}
          </span>
        </dd>
        <dt>Algorithm</dt><dd>{algorithmName(p.alg)}</dd>
        <dt>Discoverable</dt><dd>{p.discoverable ? 'Yes: the site can offer it without asking for your user name' : 'No'}</dd>
        <dt>Backup state</dt><dd>{p.backupState ? 'Backed up' : 'Not backed up: it is only in this browser'}</dd>
        <dt>Created</dt><dd>{fullDate(p.createdAt)}</dd>
        <dt>Last used</dt><dd>{p.lastUsedAt === null ? 'Never' : fullDate(p.lastUsedAt)}</dd>
      </dl>
    </Panel>
  );
}
