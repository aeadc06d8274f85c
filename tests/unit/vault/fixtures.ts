// Shared helpers for the vault tests: records, fresh database names, and a raw view of what
// IndexedDB holds (as an attacker with the profile directory would see it).

import { openDB } from 'idb';
import { afterEach } from 'vitest';
import type { CredentialRecord } from '../../../src/authenticator/ports';
import { Vault, type VaultKeySource } from '../../../src/vault';
import { importVaultKey } from '../../../src/vault/wrap';

export function freshName(): string {
  return `latchkey-test-${crypto.randomUUID()}`;
}

/** An unlocked vault's key source: one random DEK, as the lock hands it over once unlocked. */
export function unlockedKeys(): VaultKeySource {
  const key = importVaultKey(randomBytes(32));
  return { vaultKey: () => key };
}

export function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

export function makeRecord(overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  return {
    credentialId: randomBytes(16),
    rpId: 'example.com',
    rpName: 'Example',
    userHandle: bytes(1, 2, 3, 4),
    userName: 'ada@example.com',
    userDisplayName: 'Ada Lovelace',
    friendlyName: 'ada@example.com on Example',
    alg: -7,
    publicKey: randomBytes(77),
    discoverable: true,
    backupState: false,
    createdAt: 1_700_000_000_000,
    lastUsedAt: null,
    ...overrides,
  };
}

/** Every value of every object store, read through a separate raw connection. */
export async function dumpDatabase(name: string): Promise<Record<string, unknown[]>> {
  const db = await openDB(name);
  try {
    const dump: Record<string, unknown[]> = {};
    for (const store of db.objectStoreNames) dump[store] = await db.getAll(store);
    return dump;
  } finally {
    db.close();
  }
}

/** Reads and rewrites one raw credential row, bypassing the Vault. */
export async function editRawRow(
  name: string,
  credentialId: string,
  edit: (row: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  const db = await openDB(name);
  try {
    const row: unknown = await db.get('credentials', credentialId);
    if (!isObject(row)) throw new Error(`no raw row ${credentialId}`);
    await db.put('credentials', edit(row));
  } finally {
    db.close();
  }
}

/** Every byte string reachable in `value`: typed arrays, ArrayBuffers and strings (as UTF-8). */
export function byteStrings(value: unknown, out: Uint8Array[] = []): Uint8Array[] {
  if (value instanceof ArrayBuffer) out.push(new Uint8Array(value));
  else if (ArrayBuffer.isView(value)) out.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  else if (typeof value === 'string') out.push(new TextEncoder().encode(value));
  else if (Array.isArray(value)) for (const item of value) byteStrings(item, out);
  else if (isObject(value)) for (const item of Object.values(value)) byteStrings(item, out);
  return out;
}

/** Whether any `window`-byte slice of `needle` occurs inside any of `haystacks`. */
export function containsAnyWindow(haystacks: Uint8Array[], needle: Uint8Array, window: number): boolean {
  for (let start = 0; start + window <= needle.length; start++) {
    const slice = needle.subarray(start, start + window);
    for (const haystack of haystacks) if (indexOf(haystack, slice) >= 0) return true;
  }
  return false;
}

function indexOf(haystack: Uint8Array, slice: Uint8Array): number {
  outer: for (let i = 0; i + slice.length <= haystack.length; i++) {
    for (let j = 0; j < slice.length; j++) if (haystack[i + j] !== slice[j]) continue outer;
    return i;
  }
  return -1;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Opens vaults the way the lock hands them over, one DEK per database name, and closes every
 * vault it opened (or was given with `closeAfter`) after each test.
 */
export function vaultsClosedAfterEach() {
  const opened: Vault[] = [];
  const keysByName = new Map<string, VaultKeySource>();
  afterEach(() => {
    for (const vault of opened.splice(0)) vault.close();
  });
  return {
    async open(name: string): Promise<Vault> {
      let keys = keysByName.get(name);
      if (!keys) keysByName.set(name, (keys = unlockedKeys()));
      const vault = await Vault.open(keys, name);
      opened.push(vault);
      return vault;
    },
    closeAfter(vault: Vault): void {
      opened.push(vault);
    },
  };
}
