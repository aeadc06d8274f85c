// The toolbar popup's script, built as one classic script with one stylesheet
// (entrypoints/popup-app.tsx). The lock state and the list's start are asked for before
// anything renders, side by side. When storage.session says the vault is unlocked, nothing is
// rendered until the list's start is in too (or has failed): the manager's first render then
// has its rows, and no frame is spent on its header and an empty list before them.
import { render } from 'preact';
import { BackupPage } from '../../components/backup/BackupPage';
import { LIST_VIEWPORT_KEY, PopupApp } from '../../components/popup/PopupApp';
import { prefetchedPasskeys, prefetchPasskeys } from '../../components/popup/usePasskeys';
import { markPopupStart } from '../../components/popup/start-marks';
import { rememberedViewport } from '../../components/popup/viewport-memory';
import { LockControls, LockNowButton, ResetVault } from '../../components/vault/LockControls';
import { VaultGate } from '../../components/vault/VaultGate';
import { prefetchedUnlocked, prefetchLockStatus } from '../../components/vault/useLockStatus';
import '../../components/theme.css';

// The manager shows only while the vault is unlocked; set-up or unlock come first (VaultGate).
// A forgotten PIN leaves only "Reset vault", which the locked view offers too.
export function startPopup(): void {
  prefetchLockStatus();
  // popup.html#backup: the backup page, in a tab (components/backup).
  if (location.hash === '#backup') {
    document.body.classList.add('backup-page');
    document.title = 'Latchkey backup';
    render(<VaultGate afterLocked={<ResetVault />}><BackupPage /></VaultGate>, document.getElementById('app')!);
    return;
  }
  markPopupStart();
  prefetchPasskeys();
  prefetchedPasskeys()?.then(() => performance.mark('latchkey:popup-list'), () => undefined);
  // The list's remembered size is read (a synchronous read of localStorage) while the answers
  // are on their way, not in the render that follows them.
  rememberedViewport(LIST_VIEWPORT_KEY);
  void firstViewReady().then(() => {
    render(
      <VaultGate afterLocked={<ResetVault />}>
        <PopupApp headerActions={<LockNowButton />} settingsExtra={<LockControls />} />
      </VaultGate>,
      document.getElementById('app')!,
    );
    performance.mark('latchkey:popup-rendered');
  });
}

/** The longest the popup stays blank for the list: past it, the manager shows it loading. */
export const FIRST_VIEW_WAIT_MS = 400;

/**
 * Settles once the manager's first view can render whole: at once when storage.session does
 * not say unlocked (the gate shows set-up or unlock once the worker answers), else once the
 * list's start has arrived or failed (the manager then says why), or FIRST_VIEW_WAIT_MS
 * have passed without it.
 */
function firstViewReady(): Promise<void> {
  const lines = prefetchedPasskeys();
  const whole = prefetchedUnlocked().then((unlocked) => (unlocked && lines ? lines.then(() => undefined, () => undefined) : undefined));
  return Promise.race([whole, new Promise<void>((resolve) => setTimeout(resolve, FIRST_VIEW_WAIT_MS))]);
}
