// Every sentence the service worker says to the user about the vault: its lock, and a
// passkey that is gone. The prompt, the popup and the backup page show them as they are.

import { waitText } from '../protocol/lock';
import { VaultError } from '../vault';

export const VAULT_SENTENCES = {
  /** A ceremony's PIN while the vault is locked. */
  locked: 'Latchkey is locked. Unlock it with your PIN to continue.',
  /** Any manager request while the vault is locked (or not set up yet). */
  lockedManager: 'Latchkey is locked. Unlock it to see and change your passkeys and settings.',
  /** Any backup request while the vault is locked. */
  lockedBackup: 'Latchkey is locked. Unlock it to back up or import passkeys.',
  failed: 'Latchkey could not do that. Try again.',
  gone: 'That passkey is no longer in Latchkey.',
} as const;

/** A sentence for the user about a failed lock operation. */
export function lockErrorMessage(error: unknown, now: number): string {
  if (!(error instanceof VaultError)) return VAULT_SENTENCES.failed;
  switch (error.code) {
    case 'wrong-pin': {
      const later = error.retryAt !== undefined && error.retryAt > now;
      return later ? `That PIN is not right. You can try again ${waitText(error.retryAt!, now)}.` : 'That PIN is not right. Try again.';
    }
    case 'backoff':
      return `Too many wrong PINs. You can try again ${waitText(error.retryAt ?? now, now)}.`;
    case 'weak-pin':
      return `That PIN is too short. ${error.message}`;
    case 'already-set-up':
      return 'Latchkey already has a PIN.';
    case 'not-set-up':
      return 'Set up Latchkey with a PIN first.';
    case 'locked':
      return VAULT_SENTENCES.locked;
    default:
      return VAULT_SENTENCES.failed;
  }
}
