import { render } from 'preact';
import { PopupApp } from '../../components/popup/PopupApp';
import { prefetchPasskeys } from '../../components/popup/usePasskeys';
import { LockControls, LockNowButton, ResetVault } from '../../components/vault/LockControls';
import { VaultGate } from '../../components/vault/VaultGate';
import '../../components/theme.css';

// The manager shows only while the vault is unlocked; set-up or unlock come first (VaultGate).
// A forgotten PIN leaves only "Reset vault", which the locked view offers too. The list is
// asked for at once, in parallel with the gate's lock status.
prefetchPasskeys();
render(
  <VaultGate afterLocked={<ResetVault />}>
    <PopupApp headerActions={<LockNowButton />} settingsExtra={<LockControls />} />
  </VaultGate>,
  document.getElementById('app')!,
);
