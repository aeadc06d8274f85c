// The Signal API's effect on this authenticator (L3 §5.1.10): what a site tells it about the
// credentials it still knows. Nothing is erased: a passkey the site no longer knows is hidden,
// and only the user erases it (docs/architecture.md#a-create-for-the-same-rpid-and-userid).

import type { AuthenticatorDeps } from './deps';
import { defaultFriendlyName } from './make-credential';
import type { CredentialRecord } from './ports';

export type AuthenticatorSignal =
  /** L3 §5.1.10.1 signalUnknownCredential */
  | { kind: 'unknown'; rpId: string; credentialId: Uint8Array }
  /** L3 §5.1.10.2 signalAllAcceptedCredentials */
  | { kind: 'accepted'; rpId: string; userHandle: Uint8Array; credentialIds: Uint8Array[] }
  /** L3 §5.1.10.3 signalCurrentUserDetails */
  | { kind: 'details'; rpId: string; userHandle: Uint8Array; name: string; displayName: string };

export async function applySignal({ store }: Pick<AuthenticatorDeps, 'store'>, signal: AuthenticatorSignal): Promise<void> {
  switch (signal.kind) {
    case 'unknown':
      // L3 §5.1.10.1: the authenticator removes the credential; Latchkey hides it instead.
      await store.hideUnknown(signal.rpId, signal.credentialId);
      return;
    case 'accepted':
      // L3 §5.1.10.2: the account's credentials not listed are hidden; listed ones come back.
      await store.acceptOnly(signal.rpId, signal.userHandle, signal.credentialIds);
      return;
    case 'details': {
      // L3 §5.1.10.3: the account's names; a friendly name the user never edited follows them.
      const details = { name: signal.name, displayName: signal.displayName };
      // Never edited: not renamed in the popup, and still the name the prompt suggested.
      const friendlyName = (before: CredentialRecord) =>
        !before.nameEdited && before.friendlyName === defaultFriendlyName({ name: before.userName, displayName: before.userDisplayName }, before.rpId)
          ? defaultFriendlyName(details, signal.rpId)
          : before.friendlyName;
      await store.updateUser(signal.rpId, signal.userHandle, details, friendlyName);
      return;
    }
  }
}
