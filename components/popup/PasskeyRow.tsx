// One row of the list: a site's header with its letter avatar, or one passkey with its name,
// account and dates, and its actions. Rows have fixed heights (ROW_EM, SITE_EM) for the
// virtual list, so long text is cut with an ellipsis and shown whole in the details view.
import type { PasskeySummary } from '../../src/protocol/passkey-summary';
import { useAutofocus } from '../autofocus';
import { avatarHue, avatarLetter, usageLine } from './format';

export const ROW_EM = 4.9;
export const SITE_EM = 2.9;
export const REMOVED_EM = 1.9;

/** Heads the passkeys a site's signals removed: never offered; Restore or Delete in each row. */
export function RemovedRow({ rpId }: { rpId: string }) {
  return (
    <div class="removed-row muted small" data-testid="passkey-removed-group" data-rp-id={rpId}
      title="The site said it no longer accepts these passkeys. Restore one if that was a mistake, or delete it for good.">
      Removed by the site
    </div>
  );
}

export function SiteAvatar({ rpId, size = 'normal' }: { rpId: string; size?: 'normal' | 'large' }) {
  return (
    <span class={`avatar site-avatar ${size}`} style={{ '--hue': avatarHue(rpId) }} aria-hidden="true">
      {avatarLetter(rpId)}
    </span>
  );
}

export function SiteRow({ rpId, rpName, count }: { rpId: string; rpName: string; count: number }) {
  const showName = rpName && rpName.toLowerCase() !== rpId;
  return (
    <div class="site-row" data-testid="passkey-site" data-rp-id={rpId}>
      <SiteAvatar rpId={rpId} />
      <h2 class="site-title">
        <span class="site-id">{rpId}</span>
        {showName && <span class="muted site-name"> · {rpName}</span>}
      </h2>
      <span class="muted small site-count" aria-label={`${count} ${count === 1 ? 'passkey' : 'passkeys'}`}>{count}</span>
    </div>
  );
}

export function userLabel(p: Pick<PasskeySummary, 'userName' | 'userDisplayName'>): string {
  return p.userName || p.userDisplayName;
}

export interface RenameState {
  credentialId: string;
  draft: string;
  error?: string;
}

interface RowProps {
  passkey: PasskeySummary;
  now: number;
  renaming: RenameState | undefined;
  onOpen: () => void;
  onRename: () => void;
  onRenameDraft: (draft: string) => void;
  onRenameSave: () => void;
  onRenameCancel: () => void;
  onDelete: () => void;
  onRestore: () => void;
  /** Ticked for an export (the backup page exports the ticked rows, or all). */
  selected?: boolean;
  onSelect?: (selected: boolean) => void;
}

export function PasskeyRow(props: RowProps) {
  const { passkey: p, renaming } = props;
  const user = userLabel(p);
  return (
    <div class="pk-row" data-testid="passkey-row" data-credential-id={p.credentialId} data-rp-id={p.rpId}
      data-hidden={p.hidden ? 'true' : undefined} data-superseded={p.superseded ? 'true' : undefined}>
      {renaming ? <RenameForm {...props} renaming={renaming} /> : (
        <>
          <input type="checkbox" class="pk-select" data-testid="passkey-select" checked={props.selected === true}
            aria-label={`Select ${p.friendlyName} for export`} onChange={(event) => props.onSelect?.(event.currentTarget.checked)} />
          <button type="button" class="pk-main" data-focus-target onClick={props.onOpen}
            title={`${p.friendlyName}\n${p.userName}${p.userDisplayName && p.userDisplayName !== p.userName ? ` (${p.userDisplayName})` : ''}`}>
            <span class="pk-name">
              <span data-testid="passkey-name">{p.friendlyName}</span>
              {p.superseded && <span class="badge" title="A newer passkey for this account is offered first; this one still works">Earlier</span>}
            </span>
            <span class="pk-user" data-testid="passkey-user">{user}</span>
            <span class="pk-usage muted small">{usageLine(p, props.now)}</span>
          </button>
          <div class="pk-actions">
            {p.hidden && (
              <button type="button" class="button small-button" data-testid="passkey-restore" onClick={props.onRestore}
                aria-label={`Restore ${p.friendlyName}`} title="Offer this passkey to the site again">
                Restore
              </button>
            )}
            <button type="button" class="button small-button" data-testid="passkey-rename" onClick={props.onRename}
              aria-label={`Rename ${p.friendlyName}`}>
              Rename
            </button>
            <button type="button" class="button small-button danger" data-testid="passkey-delete" onClick={props.onDelete}
              aria-label={`Delete ${p.friendlyName}`}>
              Delete
            </button>
          </div>
        </>
      )}
    </div>
  );
}

function RenameForm({ passkey, renaming, onRenameDraft, onRenameSave, onRenameCancel }: RowProps & { renaming: RenameState }) {
  const inputId = `rename-${passkey.credentialId}`;
  const messageId = `${inputId}-message`;
  const input = useAutofocus<HTMLInputElement>();
  return (
    <form class="pk-rename" onSubmit={(event) => {
      event.preventDefault();
      onRenameSave();
    }}>
      <label class="visually-hidden" for={inputId}>New name for the passkey “{passkey.friendlyName}”</label>
      <input id={inputId} ref={input} class="input" data-testid="passkey-rename-input" value={renaming.draft} autoFocus
        autoComplete="off" spellcheck={false} aria-invalid={renaming.error ? true : undefined} aria-describedby={messageId}
        onInput={(event) => onRenameDraft(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onRenameCancel();
          }
        }} />
      <button type="submit" class="button primary small-button" data-testid="passkey-rename-save">Save</button>
      <button type="button" class="button small-button" data-testid="passkey-rename-cancel" onClick={onRenameCancel}>Cancel</button>
      <p id={messageId} class={`pk-rename-message small ${renaming.error ? 'error' : 'muted'}`} role={renaming.error ? 'alert' : undefined}
        data-testid={renaming.error ? 'passkey-rename-error' : undefined}>
        {renaming.error ?? 'Enter saves, Escape cancels. Up to 64 characters.'}
      </p>
    </form>
  );
}
