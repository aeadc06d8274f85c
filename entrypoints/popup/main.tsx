// The toolbar popup's script, built as one classic script with one stylesheet
// (entrypoints/popup-app.tsx). Both round trips to the service worker, the lock status and
// the passkey list, start before Preact renders anything (a hook's effect would only run
// after the first, empty paint), so they overlap each other and the first render.
import { render } from 'preact';
import { BackupPage } from '../../components/backup/BackupPage';
import { PopupApp } from '../../components/popup/PopupApp';
import { prefetchPasskeys } from '../../components/popup/usePasskeys';
import { LockControls, LockNowButton, ResetVault } from '../../components/vault/LockControls';
import { VaultGate } from '../../components/vault/VaultGate';
import { prefetchLockStatus } from '../../components/vault/useLockStatus';
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
  prefetchPasskeys();
  render(
    <VaultGate afterLocked={<ResetVault />}>
      <PopupApp headerActions={<LockNowButton />} settingsExtra={<LockControls />} />
    </VaultGate>,
    document.getElementById('app')!,
  );
}
