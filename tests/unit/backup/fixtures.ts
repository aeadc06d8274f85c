// Backup test helpers: export entries with real keys of each algorithm.

import type { SignatureAlgorithm } from '../../../src/crypto/key-types';
import { generateKeyPair } from '../../../src/crypto/signature';
import type { ExportEntry } from '../../../src/backup/cxf';
import { toPkcs8 } from '../../../src/backup/pkcs8';

export async function entry(algorithm: SignatureAlgorithm, overrides: Partial<ExportEntry> = {}): Promise<ExportEntry> {
  const { privateKey } = await generateKeyPair(algorithm);
  return {
    credentialId: crypto.getRandomValues(new Uint8Array(16)),
    rpId: 'example.com',
    rpName: 'Example',
    userHandle: crypto.getRandomValues(new Uint8Array(32)),
    userName: 'alice@example.com',
    userDisplayName: 'Alice',
    friendlyName: 'Alice’s laptop key',
    createdAt: 1_765_000_000_123,
    pkcs8: toPkcs8(algorithm, privateKey),
    state: { lastUsedAt: 1_765_100_000_456, superseded: false, hidden: null, nameEdited: true },
    ...overrides,
  };
}

export const EXPORTER = { rpId: 'latchkey.example', displayName: 'Latchkey' };
