// Reading a backup file (CXF plain or in Latchkey's envelope, Bitwarden JSON, KeePassXC
// .passkey) and planning its import against the vault: what is added, what is skipped and
// why, and which passkeys become superseded. Nothing here writes; the vault writes a plan in
// one transaction (src/vault/vault.ts importCredentials).

import { coseAlgorithmOf } from '../authenticator/algorithms';
import { encodeCoseKey } from '../authenticator/cose';
import { toBase64url } from '../protocol/base64url';
import { FRIENDLY_NAME_MAX } from '../protocol/passkey-summary';
import { isBitwarden, readBitwarden } from './bitwarden';
import { isCxf, readCxf } from './cxf';
import { isEnvelope, open } from './envelope';
import { BackupFormatError, formatError } from './errors';
import { isKeePassXC, readKeePassXC } from './keepassxc';
import type { CredentialSecrets } from '../authenticator/ports';
import { LARGE_BLOB_MAX_BYTES } from '../authenticator/types';
import { unpackLargeBlob } from './large-blob';
import type { BackupPasskey, BackupSource, LatchkeyState, PasskeyAccount } from './model';
import type { PreviewLine, Skipped } from '../protocol/backup';

export type { PreviewLine, Skipped } from '../protocol/backup';
import { fromPkcs8, UnsupportedKeyError, type ParsedPrivateKey } from './pkcs8';

/** Larger than any real export (1,000 passkeys are about 1 MB). */
export const MAX_FILE_CHARS = 64 * 1024 * 1024;

export interface ReadBackup {
  source: BackupSource;
  encrypted: boolean;
  passkeys: BackupPasskey[];
  skipped: Skipped[];
}

/** The file is Latchkey's encrypted envelope and no passphrase was given. */
export class PassphraseNeededError extends Error {
  override readonly name = 'PassphraseNeededError';
  constructor() {
    super('This file is encrypted. Type its passphrase.');
  }
}

/** Reads any supported file; throws BackupFormatError, PassphraseNeededError or WrongPassphraseError. */
export async function readBackupFile(text: string, passphrase?: string): Promise<ReadBackup> {
  if (text.length > MAX_FILE_CHARS) throw formatError('The file', 'is larger than 64 MB');
  let value = parseJson(text);
  let encrypted = false;
  if (isEnvelope(value)) {
    if (passphrase === undefined || passphrase === '') throw new PassphraseNeededError();
    value = parseJson(await open(value, passphrase), 'The decrypted file');
    encrypted = true;
    if (!isCxf(value)) throw formatError('The decrypted file', 'is not a CXF document');
  }
  if (isCxf(value)) {
    const read = readCxf(value);
    return {
      source: 'cxf',
      encrypted,
      passkeys: read.passkeys,
      skipped: read.noPasskey.map(({ place, title }) => ({ place, title, reason: 'it holds no passkey (Latchkey imports passkeys only)' })),
    };
  }
  if (isBitwarden(value)) {
    const read = readBitwarden(value);
    return {
      source: 'bitwarden',
      encrypted,
      passkeys: read.passkeys,
      skipped: read.unsupported.map(({ place, keyType }) => ({ place, title: place, reason: `its key is ${keyType}; Latchkey uses ES256, EdDSA and RS256 keys` })),
    };
  }
  if (isKeePassXC(value)) return { source: 'keepassxc', encrypted, passkeys: [readKeePassXC(value)], skipped: [] };
  throw formatError('The file', 'is not a CXF export, a Bitwarden JSON export or a KeePassXC .passkey file');
}

function parseJson(text: string, place = 'The file'): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw formatError(place, 'is not valid JSON (it may be cut short or not a backup)');
  }
}

/** What the vault holds of a passkey, for duplicates and superseding. */
export interface ExistingPasskey {
  credentialId: string;
  rpId: string;
  userHandle: string;
  userName: string;
  friendlyName: string;
  createdAt: number;
  superseded: boolean;
}

/** One passkey to add, in the vault's terms. The private key is the vault's form; the caller wipes it. */
export interface ImportRow extends PasskeyAccount {
  alg: number;
  /** COSE_Key */
  publicKey: Uint8Array;
  privateKey: Uint8Array;
  createdAt: number;
  lastUsedAt: number | null;
  /** base64url id of the account's current passkey, when this one is not current. */
  supersededBy?: string;
  hidden: LatchkeyState['hidden'];
  nameEdited: boolean;
  /** Kept for a Bitwarden or KeePassXC passkey that counted: sites that check counters need it to go on rising. */
  signCount?: number;
  /** The PRF secrets and largeBlob a CXF file carried; the caller wipes them. */
  secrets: CredentialSecrets;
}

export interface ImportPlan {
  source: BackupSource;
  encrypted: boolean;
  add: ImportRow[];
  /** Passkeys in the vault that the import makes superseded: credentialId -> the new current one. */
  supersede: Array<{ credentialId: string; by: string }>;
  skipped: Skipped[];
  preview: PreviewLine[];
}

const accountKey = (rpId: string, userHandle: string) => `${rpId}\u0000${userHandle}`;

/**
 * Checks every key and plans the import. Malformed keys throw BackupFormatError (nothing of
 * the file is imported); duplicates and unsupported key types are skipped and reported.
 */
export async function planImport(read: ReadBackup, existing: readonly ExistingPasskey[], now: number): Promise<ImportPlan> {
  const held = new Map(existing.map((p) => [p.credentialId, p]));
  const plan: ImportPlan = { source: read.source, encrypted: read.encrypted, add: [], supersede: [], skipped: [...read.skipped], preview: [] };
  const explicit = new Map<string, LatchkeyState>();
  const adding = new Set<string>();
  for (const passkey of read.passkeys) {
    const id = toBase64url(passkey.credentialId);
    const title = passkey.friendlyName;
    const skip = (reason: string) => plan.skipped.push({ place: passkey.place, title, reason });
    const same = held.get(id);
    if (same) {
      skip(same.rpId === passkey.rpId ? 'it is already in Latchkey' : `Latchkey already holds a passkey with this credential ID for ${same.rpId}`);
      continue;
    }
    if (adding.has(id)) {
      skip('it appears twice in the file');
      continue;
    }
    let key: ParsedPrivateKey;
    try {
      key = fromPkcs8(passkey.pkcs8);
      if (key.algorithm === 'RS256') await checkRsaKey(key.privateKey);
    } catch (error) {
      if (error instanceof UnsupportedKeyError) {
        skip(`its key is ${error.keyType}; Latchkey uses ES256, EdDSA and RS256 keys`);
        continue;
      }
      throw formatError(passkey.place, `key is not a usable PKCS#8 private key (${error instanceof Error ? error.message : 'unreadable'})`);
    } finally {
      passkey.pkcs8.fill(0);
    }
    const secrets: CredentialSecrets = {};
    if (passkey.prf) secrets.prf = passkey.prf;
    if (passkey.largeBlob) {
      const blob = await unpackLargeBlob(passkey.largeBlob);
      if (!blob) throw formatError(passkey.place, `largeBlob does not inflate to its size, or is over ${LARGE_BLOB_MAX_BYTES} bytes`);
      secrets.largeBlob = blob;
    }
    if (passkey.state) explicit.set(id, passkey.state);
    adding.add(id);
    plan.add.push({
      credentialId: passkey.credentialId,
      rpId: passkey.rpId,
      rpName: passkey.rpName,
      userHandle: passkey.userHandle,
      userName: passkey.userName,
      userDisplayName: passkey.userDisplayName,
      friendlyName: friendlyName(passkey),
      alg: coseAlgorithmOf(key.algorithm),
      publicKey: encodeCoseKey(key.publicKey),
      privateKey: key.privateKey,
      createdAt: passkey.createdAt ?? now,
      lastUsedAt: passkey.state?.lastUsedAt ?? null,
      hidden: passkey.state?.hidden ?? null,
      nameEdited: passkey.state?.nameEdited ?? false,
      ...(passkey.signCount > 0 ? { signCount: passkey.signCount } : {}),
      secrets,
    });
  }
  supersedeByDate(plan, existing, explicit);
  return plan;
}

/**
 * For one rpId and user handle, the passkey with the later creation date is current and the
 * others are superseded, whatever their order in the file. Latchkey's own state (its item
 * extension) is kept among the file's passkeys; against the vault's, dates decide.
 */
function supersedeByDate(plan: ImportPlan, existing: readonly ExistingPasskey[], explicit: Map<string, LatchkeyState>): void {
  type Member = { id: string; createdAt: number; imported: boolean; current: boolean; row?: ImportRow; held?: ExistingPasskey };
  const groups = new Map<string, Member[]>();
  const member = (key: string, m: Member) => groups.set(key, [...(groups.get(key) ?? []), m]);
  for (const row of plan.add) {
    const id = toBase64url(row.credentialId);
    member(accountKey(row.rpId, toBase64url(row.userHandle)), { id, createdAt: row.createdAt, imported: true, current: true, row });
  }
  for (const held of existing) {
    const key = accountKey(held.rpId, held.userHandle);
    if (groups.has(key)) member(key, { id: held.credentialId, createdAt: held.createdAt, imported: false, current: !held.superseded, held });
  }
  const newest = (members: Member[]) => members.reduce<Member | undefined>((best, m) => (!best || m.createdAt > best.createdAt ? m : best), undefined);
  for (const members of groups.values()) {
    const imported = members.filter((m) => m.imported);
    const newestImported = newest(imported);
    for (const m of imported) {
      const state = explicit.get(m.id);
      m.current = state ? !state.superseded : m === newestImported;
    }
    if (!imported.some((m) => m.current) && newestImported) newestImported.current = true;
    const importedCurrent = newest(imported.filter((m) => m.current))!;
    const heldCurrent = members.filter((m) => !m.imported && m.current);
    const newestHeld = newest(heldCurrent);
    if (newestHeld && newestHeld.createdAt >= importedCurrent.createdAt) {
      for (const m of imported) m.current = false;
    } else {
      for (const m of heldCurrent) {
        m.current = false;
        plan.supersede.push({ credentialId: m.id, by: importedCurrent.id });
        plan.preview.push({
          title: m.held!.friendlyName,
          rpId: m.held!.rpId,
          userName: m.held!.userName,
          status: 'existing-earlier',
          note: 'Already in Latchkey; the imported passkey for this account is newer, so this one becomes the earlier one.',
        });
      }
    }
    const current = newest(members.filter((m) => m.current))!;
    for (const m of imported) if (!m.current) m.row!.supersededBy = current.id;
  }
  for (const row of plan.add) {
    plan.preview.push({
      title: row.friendlyName,
      rpId: row.rpId,
      userName: row.userName,
      status: row.supersededBy ? 'add-earlier' : 'add',
      ...(row.supersededBy ? { note: 'A newer passkey for this account is current; this one is added as the earlier one.' } : {}),
    });
  }
  for (const skipped of plan.skipped) plan.preview.push({ title: skipped.title, rpId: '', userName: '', status: 'skip', note: `Skipped: ${skipped.reason}.` });
}

/** The name as the passkey manager allows it (checkFriendlyName): trimmed, never empty, at most FRIENDLY_NAME_MAX characters. */
function friendlyName(passkey: BackupPasskey): string {
  const name = passkey.friendlyName.trim() || `${passkey.userName || passkey.userDisplayName || 'Passkey'} on ${passkey.rpId}`;
  const characters = [...name];
  return characters.length > FRIENDLY_NAME_MAX ? `${characters.slice(0, FRIENDLY_NAME_MAX - 1).join('')}…` : name;
}

async function checkRsaKey(pkcs8: Uint8Array): Promise<void> {
  try {
    await crypto.subtle.importKey('pkcs8', Uint8Array.from(pkcs8), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  } catch {
    throw new Error('WebCrypto refused the RSA key');
  }
}

export { BackupFormatError };
