// The toolbar popup: the passkey manager (hooks in docs/development.md#testids).
// `headerActions` is where the lock adds its `lock-now` button; `settingsExtra` is shown at
// the end of the settings view (the lock's PIN change and vault reset belong there).
//
// Benchmark marks (performance.mark, relative to the page's timeOrigin):
//   latchkey:first-rows      the first rows (or the empty state) have been painted
//   latchkey:list-complete   the whole list is in memory (usePasskeys.ts)
//   latchkey:search-input    a keystroke in the search box (at the event's timeStamp)
//   latchkey:search-painted  the list for that keystroke has been painted
//   latchkey:search          a measure from search-input to search-painted
// "Painted" is the first task after the frame that shows the change (components/after-paint.ts,
// bench/lib/popup.mjs).
import { render, type ComponentChildren, type RefObject, type VNode } from 'preact';
import { browser } from 'wxt/browser';
import { backupPageUrl } from '../backup/backup-client';
import { BackupReminder } from '../backup/BackupReminder';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { checkFriendlyName, type PasskeySummary } from '../../src/protocol/passkey-summary';
import { afterPaint } from '../after-paint';
import { DeleteDialog } from './DeleteDialog';
import type { ListItem } from './passkey-index';
import { PasskeyDetails } from './PasskeyDetails';
import { PasskeyRow, REMOVED_EM, RemovedRow, ROW_EM, SITE_EM, SiteRow, type RenameState } from './PasskeyRow';
import { SettingsView } from './SettingsView';
import { usePasskeys } from './usePasskeys';
import { VirtualList, type VirtualListHandle } from './VirtualList';
import './popup.css';

type View = { kind: 'list' } | { kind: 'details'; credentialId: string } | { kind: 'settings' };

const heightEm = (item: ListItem) => (item.kind === 'site' ? SITE_EM : item.kind === 'removed' ? REMOVED_EM : ROW_EM);
const kindOf = (item: ListItem) => item.kind;
/** Where the list's box size is remembered between popups (VirtualList's `remember`). */
export const LIST_VIEWPORT_KEY = 'latchkey:popup-list-viewport';
/**
 * The list's box before any popup has measured it: popup.css makes the body 560 px high at a
 * 15 px font, of which the header and the search box take 100 px.
 */
export const LIST_GUESS = { height: 460, emPx: 15 };

export function PopupApp({ headerActions, settingsExtra }: { headerActions?: ComponentChildren; settingsExtra?: ComponentChildren }) {
  const model = usePasskeys();
  const [view, setView] = useState<View>({ kind: 'list' });
  const [renaming, setRenaming] = useState<RenameState | undefined>(undefined);
  const [deleting, setDeleting] = useState<PasskeySummary | undefined>(undefined);
  // Rows ticked for an export (passkey-select): the backup page gets their ids.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const openBackup = () => void browser.tabs.create({ url: backupPageUrl(browser.runtime.getURL('/popup.html'), [...selected]) });
  const list = useRef<VirtualListHandle>(null);
  const search = useRef<HTMLInputElement>(null);
  const firstRowsMarked = useRef(false);
  const searchPending = useRef(false);
  // "Used 3 days ago" is relative to when the popup opened; one value keeps rows unchanged between renders.
  const [now] = useState(() => Date.now());

  // The search box has focus from the start, as in other password managers' popups: typing
  // filters at once. It is focused in the manager's first frame, not as it mounts: focus()
  // forces a style recalculation (and, scrolling it into view, a layout) of a page whose rows
  // are still to come, work the frame redoes once they are in (a trace of the popup's first
  // rows). preventScroll: the box is at the top already.
  useLayoutEffect(() => {
    const frame = requestAnimationFrame(() => search.current?.focus({ preventScroll: true }));
    return () => cancelAnimationFrame(frame);
  }, []);

  useLayoutEffect(() => {
    if (model.load.status === 'loading' || firstRowsMarked.current) return;
    firstRowsMarked.current = true;
    afterPaint(() => performance.mark('latchkey:first-rows'));
  }, [model.load.status]);

  useLayoutEffect(() => {
    if (!searchPending.current) return;
    searchPending.current = false;
    afterPaint(() => {
      performance.mark('latchkey:search-painted');
      performance.measure('latchkey:search', 'latchkey:search-input', 'latchkey:search-painted');
    });
  }, [model.query]);

  const indexOf = useCallback(
    (credentialId: string) => model.items.findIndex((item) => item.kind === 'passkey' && item.passkey.credentialId === credentialId),
    [model.items],
  );

  const focusRow = (credentialId: string, selector?: string) => {
    const index = indexOf(credentialId);
    if (index >= 0) list.current?.focusItem(index, selector);
  };

  const startRename = (p: PasskeySummary) => setRenaming({ credentialId: p.credentialId, draft: p.friendlyName });
  const cancelRename = () => {
    const id = renaming?.credentialId;
    setRenaming(undefined);
    if (id) focusRow(id, '[data-testid="passkey-rename"]');
  };
  const saveRename = (p: PasskeySummary) => {
    if (!renaming) return;
    const checked = checkFriendlyName(renaming.draft);
    if (!checked.ok) {
      setRenaming({ ...renaming, error: checked.reason });
      return;
    }
    setRenaming(undefined);
    if (checked.value !== p.friendlyName) void model.rename(p, checked.value);
    focusRow(p.credentialId, '[data-testid="passkey-rename"]');
  };

  /** Arrow keys move between passkeys; Home and End go to the first and last. */
  const onListKey = (event: KeyboardEvent) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
    if ((event.target as HTMLElement).closest('input')) return;
    const current = Number((event.target as HTMLElement).closest<HTMLElement>('[data-index]')?.dataset.index ?? -1);
    const rows = model.items.flatMap((item, i) => (item.kind === 'passkey' ? [i] : []));
    if (rows.length === 0) return;
    event.preventDefault();
    let next: number | undefined;
    if (event.key === 'Home') next = rows[0];
    else if (event.key === 'End') next = rows[rows.length - 1];
    else if (event.key === 'ArrowDown') next = rows.find((i) => i > current) ?? rows[rows.length - 1];
    else next = [...rows].reverse().find((i) => i < current);
    if (next === undefined) search.current?.focus();
    else list.current?.focusItem(next);
  };

  const details = view.kind === 'details' ? model.find(view.credentialId) : undefined;
  const overlay = view.kind === 'settings' || details !== undefined;
  const closeOverlay = (focusCredential?: string) => {
    setView({ kind: 'list' });
    if (focusCredential) focusRow(focusCredential);
  };

  return (
    <div class="popup">
      <header class="popup-header">
        <h1 class="brand">
          <svg class="brand-mark" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <circle cx="8" cy="12" r="4.5" fill="none" stroke="currentColor" stroke-width="2.2" />
            <path d="M12.5 12H21v3.5M17.5 12v2.5" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
          </svg>
          Latchkey
        </h1>
        <div class="header-actions">
          {headerActions}
          <button type="button" class="button small-button" data-testid="open-backup" onClick={openBackup}
            title="Export passkeys to a file, or import them">
            {selected.size ? `Back up ${selected.size}` : 'Back up'}
          </button>
          <button type="button" class="button small-button" data-testid="open-settings" aria-expanded={view.kind === 'settings'}
            onClick={() => setView(view.kind === 'settings' ? { kind: 'list' } : { kind: 'settings' })}>
            Settings
          </button>
        </div>
      </header>

      <div class="popup-body">
        <div class="list-view" inert={overlay}>
          <div class="search">
            <label class="visually-hidden" for="passkey-search">Search passkeys</label>
            <input ref={search} id="passkey-search" class="input" type="search" data-testid="passkey-search"
              placeholder="Search sites, accounts and names" autoComplete="off" spellcheck={false} value={model.query}
              onInput={(event) => {
                performance.mark('latchkey:search-input', { startTime: event.timeStamp });
                searchPending.current = true;
                model.setQuery(event.currentTarget.value);
              }}
              onKeyDown={(event) => {
                if (event.key === 'ArrowDown') {
                  event.preventDefault();
                  const first = model.items.findIndex((item) => item.kind === 'passkey');
                  if (first >= 0) list.current?.focusItem(first);
                }
              }} />
            <p class="visually-hidden" aria-live="polite" data-testid="passkey-count">
              {model.load.status === 'ready' && model.query
                ? `${model.matches.length} of ${model.total} passkeys match`
                : ''}
            </p>
          </div>
          {model.error && (
            <p class="banner error" role="alert" data-testid="passkey-error">
              {model.error}
              <button type="button" class="button link" onClick={() => model.setError(undefined)} aria-label="Dismiss">✕</button>
            </p>
          )}
          <ListArea model={model} list={list} onListKey={onListKey} now={now}
            renaming={renaming}
            row={(p) => ({
              onOpen: () => setView({ kind: 'details', credentialId: p.credentialId }),
              onRename: () => startRename(p),
              onRenameDraft: (draft) => setRenaming({ credentialId: p.credentialId, draft }),
              onRenameSave: () => saveRename(p),
              onRenameCancel: cancelRename,
              onDelete: () => setDeleting(p),
              onRestore: () => void model.restore(p),
              selected: selected.has(p.credentialId),
              onSelect: (on) => setSelected((before) => {
                const after = new Set(before);
                if (on) after.add(p.credentialId);
                else after.delete(p.credentialId);
                return after;
              }),
            })} />
          {/* Below the list: it comes after the list has painted, and must move nothing shown. */}
          <BackupReminder onOpen={openBackup} />
        </div>
        {details && (
          <PasskeyDetails passkey={details} onBack={() => closeOverlay(details.credentialId)}
            onRestore={() => void model.restore(details)} />
        )}
        {view.kind === 'settings' && <SettingsView onBack={() => closeOverlay()}>{settingsExtra}</SettingsView>}
      </div>

      {deleting && (
        <DeleteDialog passkey={deleting}
          onCancel={() => {
            const id = deleting.credentialId;
            setDeleting(undefined);
            focusRow(id, '[data-testid="passkey-delete"]');
          }}
          onConfirm={() => {
            const gone = deleting;
            setDeleting(undefined);
            if (view.kind === 'details') setView({ kind: 'list' });
            void model.remove(gone).then((removed) => {
              if (!removed) focusRow(gone.credentialId, '[data-testid="passkey-delete"]');
            });
            search.current?.focus();
          }} />
      )}
    </div>
  );
}

type RowHandlers = Omit<Parameters<typeof PasskeyRow>[0], 'passkey' | 'now' | 'renaming'>;

function ListArea({ model, list, onListKey, now, renaming, row }: {
  model: ReturnType<typeof usePasskeys>;
  list: RefObject<VirtualListHandle>;
  onListKey: (event: KeyboardEvent) => void;
  now: number;
  renaming: RenameState | undefined;
  row: (p: PasskeySummary) => RowHandlers;
}) {
  const renderItem = (item: ListItem) => item.kind === 'site'
    ? <SiteRow rpId={item.rpId} rpName={item.rpName} count={item.count} />
    : item.kind === 'removed'
    ? <RemovedRow rpId={item.rpId} />
    : <PasskeyRow passkey={item.passkey} now={now}
        renaming={renaming?.credentialId === item.passkey.credentialId ? renaming : undefined}
        {...row(item.passkey)} />;
  // Once the whole list is in, the popup's first search is rehearsed while it is idle.
  const whole = model.load.status === 'ready' && model.pending === undefined && !model.query ? model.items : undefined;
  useEffect(() => {
    if (!whole || whole.length < 2) return;
    const idle = requestIdleCallback(() => rehearseSearch(whole, renderItem));
    return () => cancelIdleCallback(idle);
  }, [whole]);
  if (model.load.status === 'loading') {
    return (
      <div class="vlist skeleton" aria-busy="true" aria-label="Loading passkeys">
        {[0, 1, 2, 3, 4].map((i) => <div key={i} class="skeleton-row" style={{ height: `${i === 0 ? SITE_EM : ROW_EM}em` }} />)}
      </div>
    );
  }
  if (model.load.status === 'failed') {
    return (
      <div class="vlist state" role="alert" data-testid="passkey-load-error">
        <p class="error">Latchkey couldn’t read your passkeys.</p>
        <p class="muted small">{model.load.message}</p>
      </div>
    );
  }
  if (model.total === 0) {
    return (
      <div class="vlist state" data-testid="passkey-empty">
        <p class="state-title">No passkeys yet</p>
        <p class="muted">
          When a site offers to create a passkey, at sign-up or in its security settings, Latchkey saves it here.
          Next time, you sign in with one click.
        </p>
      </div>
    );
  }
  // With no match the list stays mounted, empty, so the next keystroke's rows need not build it again.
  const noMatch = model.items.length === 0 && (
    <div class="state" data-testid="passkey-no-match">
      <p class="state-title">No passkeys match “{model.query.trim()}”</p>
      <p class="muted">Search looks at the site, the user name, the display name and the passkey’s name.</p>
    </div>
  );
  return (
    <VirtualList items={model.items} empty={noMatch} heightEm={heightEm} kindOf={kindOf} handle={list} label="Passkeys" resetKey={model.query}
      guess={LIST_GUESS} remember={LIST_VIEWPORT_KEY}
      onKeyDown={onListKey} tailEm={model.pending ? model.pending.passkeys * ROW_EM + model.pending.sites * SITE_EM : 0}
      render={renderItem} />
  );
}

/**
 * Renders, off the page, what a search's keystroke renders: the list, then other rows in place
 * of its rows. The popup's first keystroke would otherwise run that code for the first time:
 * at 10,000 passkeys its render took 5–14 ms, against 2–3 ms for the keystrokes after it.
 * Nothing of it reaches the page; a keystroke that comes first only finds it not done yet.
 */
function rehearseSearch(items: readonly ListItem[], renderItem: (item: ListItem) => VNode) {
  const scratch = document.createElement('div');
  const half = Math.min(40, items.length >> 1);
  for (const [key, part] of [['a', items.slice(0, half)], ['b', items.slice(half, 2 * half)]] as const) {
    render(<VirtualList items={part} heightEm={heightEm} kindOf={kindOf} label="" resetKey={key} render={renderItem} />, scratch);
  }
  render(null, scratch);
}
