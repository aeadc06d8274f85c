// A passkey summary for the popup's tests: each call gets its own id, user and name.
import type { PasskeySummary } from '../../../src/protocol/passkey-summary';

let n = 0;
export function passkey(overrides: Partial<PasskeySummary> = {}): PasskeySummary {
  n++;
  return {
    credentialId: `id${n}`,
    rpId: 'example.com',
    rpName: 'Example',
    userName: `user${n}@example.com`,
    userDisplayName: `User ${n}`,
    friendlyName: `Passkey ${n}`,
    alg: -7,
    discoverable: true,
    backupState: false,
    createdAt: 1000,
    lastUsedAt: null,
    hidden: false,
    superseded: false,
    ...overrides,
  };
}
