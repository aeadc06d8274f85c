// Shared test data for the service worker's session tests.
import type { CredentialRecord } from '../../../src/authenticator/ports';

/** A stored passkey at example.com whose id bytes are all `id`. */
export function record(id: number, userName: string): CredentialRecord {
  return {
    credentialId: new Uint8Array(16).fill(id),
    rpId: 'example.com',
    rpName: 'Example',
    userHandle: new Uint8Array([id]),
    userName,
    userDisplayName: userName.toUpperCase(),
    friendlyName: `${userName} on example.com`,
    alg: -7,
    publicKey: new Uint8Array([1, 2, 3]),
    discoverable: true,
    backupState: false,
    createdAt: 1000 + id,
    lastUsedAt: null,
  };
}

export const rp = { id: 'example.com', name: 'Example' };

/** Lets pending promise callbacks and timers of 0 ms run. */
export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
