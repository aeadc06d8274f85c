// The service worker's side of backup (docs/backup.md): export to CXF 1.0, encrypted or plain,
// after the PIN; preview and import of CXF, Bitwarden JSON and KeePassXC files, written in one
// transaction; and the popup's monthly "no backup" reminder. Keys are unwrapped, converted and
// wiped here, never in a page.

import { signatureAlgorithmFromCose } from '../authenticator/algorithms';
import { decodeCoseKey } from '../authenticator/cose';
import type { CredentialRecord, CredentialSecrets } from '../authenticator/ports';
import { exportCxf, type ExportEntry } from '../backup/cxf';
import { packLargeBlob } from '../backup/large-blob';
import { BACKUP_KDF_COST, passphraseProblem, seal, WrongPassphraseError, type KdfCost } from '../backup/envelope';
import { BackupFormatError } from '../backup/errors';
import { PassphraseNeededError, planImport, readBackupFile, type ExistingPasskey, type ImportPlan } from '../backup/import';
import { toPkcs8 } from '../backup/pkcs8';
import { fromBase64url, toBase64url } from '../protocol/base64url';
import {
  backupFileName,
  isBackupMessage,
  reminderDue,
  validateBackupRequest,
  type BackupFailure,
  type BackupRequest,
  type ExportResult,
  type ImportResult,
  type PreviewResult,
} from '../protocol/backup';
import type { CatalogChange } from '../vault/catalog';
import { VaultError } from '../vault/errors';
import type { UserVerification } from './lock';
import type { PageHandler } from './router';
import { VAULT_SENTENCES } from './vault-sentences';

/** The part of the vault backup uses (src/vault/vault.ts). */
export interface BackupVault {
  listAll(): Promise<CredentialRecord[]>;
  count(): Promise<number>;
  exportKeys(ids?: readonly string[]): Promise<Array<{ record: CredentialRecord; privateKey: Uint8Array; secrets: CredentialSecrets }>>;
  markBackedUp(ids: readonly string[]): Promise<CatalogChange>;
  importCredentials(
    entries: ReadonlyArray<{ record: CredentialRecord; privateKey: Uint8Array; secrets?: CredentialSecrets }>,
    supersede: ReadonlyArray<{ credentialId: string; by: string }>,
  ): Promise<CatalogChange>;
}

/** storage.local, as backup uses it. */
export interface BackupStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export const LAST_EXPORT_KEY = 'backup.lastExportAt';
export const LAST_REMINDER_KEY = 'backup.lastReminderAt';

export interface BackupDeps {
  vault: () => Promise<BackupVault>;
  isUnlocked: () => Promise<boolean>;
  /** The PIN against the unlocked vault's PIN check; wrong ones count towards the back-off (lock.ts). */
  verifyPin: (pin: string) => Promise<UserVerification>;
  storage: BackupStorage;
  exporter: { rpId: string; displayName: string };
  now?: () => number;
  /** Told of every write, so the passkey list follows (src/background/passkey-list.ts). */
  follow?: (change: CatalogChange) => void;
  kdfCost?: Readonly<KdfCost>;
}

const LOCKED: BackupFailure = { ok: false, problem: 'locked', message: VAULT_SENTENCES.lockedBackup };

export function backupHandler(deps: BackupDeps): PageHandler {
  return (message) => {
    if (!isBackupMessage(message)) return undefined;
    const request = validateBackupRequest(message);
    if (!request) return Promise.resolve<BackupFailure>({ ok: false, problem: 'failed', message: 'Latchkey refused a malformed request.' });
    return answer(deps, request).catch(failure);
  };
}

async function answer(deps: BackupDeps, request: BackupRequest) {
  if (!(await deps.isUnlocked())) return LOCKED;
  switch (request.type) {
    case 'backup:export':
      return exportBackup(deps, request);
    case 'backup:preview':
      return previewImport(deps, request.text, request.passphrase);
    case 'backup:import':
      return importBackup(deps, request.text, request.passphrase);
    case 'backup:reminder':
      return reminder(deps);
  }
}

function failure(error: unknown): BackupFailure {
  if (error instanceof BackupFormatError) return { ok: false, problem: 'malformed', message: error.message };
  if (error instanceof PassphraseNeededError) return { ok: false, problem: 'passphrase-needed', message: error.message };
  if (error instanceof WrongPassphraseError) return { ok: false, problem: 'wrong-passphrase', message: error.message };
  if (error instanceof VaultError && (error.code === 'locked' || error.code === 'not-set-up')) return LOCKED;
  if (error instanceof VaultError && error.code === 'already-exists') {
    return { ok: false, problem: 'failed', message: 'A passkey in the file was added to Latchkey meanwhile. Nothing was imported; preview the file again.' };
  }
  return { ok: false, problem: 'failed', message: 'Latchkey could not do that. Nothing was changed.' };
}

export async function exportBackup(deps: BackupDeps, request: Extract<BackupRequest, { type: 'backup:export' }>): Promise<ExportResult | BackupFailure> {
  // The PIN, typed for this export: an unlocked vault is not enough to take every key away.
  const verified = await deps.verifyPin(request.pin);
  if (!verified.ok) return { ok: false, problem: 'wrong-pin', message: verified.message };
  if (request.passphrase !== null) {
    const weak = passphraseProblem(request.passphrase);
    if (weak) return { ok: false, problem: 'passphrase', message: weak };
  }
  const now = (deps.now ?? Date.now)();
  const vault = await deps.vault();
  const entries = await vault.exportKeys(request.ids ?? undefined);
  const exported: ExportEntry[] = [];
  const excluded: ExportResult['excluded'] = [];
  try {
    for (const { record, privateKey, secrets } of entries) {
      // CXF 1.0 Passkey: passkeys with a counter above 0 MUST be left out, and the user told.
      if ((record.signCount ?? 0) > 0) {
        excluded.push({ friendlyName: record.friendlyName, rpId: record.rpId });
        continue;
      }
      const algorithm = signatureAlgorithmFromCose(record.alg);
      if (!algorithm) continue;
      const entry = exportEntry(record, toPkcs8(algorithm, privateKey, decodeCoseKey(record.publicKey)));
      // CXF fido2Extensions: the PRF secrets and the largeBlob travel with the key.
      if (secrets.prf) entry.prf = secrets.prf;
      if (secrets.largeBlob) entry.largeBlob = await packLargeBlob(secrets.largeBlob);
      exported.push(entry);
    }
    if (exported.length === 0) {
      return { ok: false, problem: 'empty', message: excluded.length ? 'Every passkey chosen keeps a counter, which CXF does not allow to export.' : 'There are no passkeys to export.' };
    }
    const document = JSON.stringify(exportCxf(exported, deps.exporter, now), null, 1);
    const text = request.passphrase === null ? document : JSON.stringify(await seal(document, request.passphrase, deps.kdfCost ?? BACKUP_KDF_COST), null, 2);
    // Backed up now: BS=1 from the next assertion on (docs/architecture.md#flags).
    const change = await vault.markBackedUp(exported.map((entry) => toBase64url(entry.credentialId)));
    deps.follow?.(change);
    await deps.storage.set(LAST_EXPORT_KEY, now);
    return { ok: true, fileName: backupFileName(now, request.passphrase !== null), text, exported: exported.length, excluded };
  } finally {
    for (const entry of entries) wipeEntry(entry);
    for (const entry of exported) entry.pkcs8.fill(0);
  }
}

function exportEntry(record: CredentialRecord, pkcs8: Uint8Array): ExportEntry {
  return {
    credentialId: record.credentialId,
    rpId: record.rpId,
    rpName: record.rpName,
    userHandle: record.userHandle,
    userName: record.userName,
    userDisplayName: record.userDisplayName,
    friendlyName: record.friendlyName,
    createdAt: record.createdAt,
    pkcs8,
    state: {
      lastUsedAt: record.lastUsedAt,
      superseded: record.supersededBy !== undefined,
      hidden: hiddenOf(record),
      nameEdited: record.nameEdited === true,
    },
  };
}

/** The site-hidden state, when the record has one. */
function hiddenOf(record: CredentialRecord): 'site' | 'retired' | null {
  const hidden = (record as { hidden?: unknown }).hidden;
  return hidden === 'site' || hidden === 'retired' ? hidden : null;
}

async function plan(deps: BackupDeps, text: string, passphrase: string | null): Promise<{ vault: BackupVault; plan: ImportPlan }> {
  const read = await readBackupFile(text, passphrase ?? undefined);
  const vault = await deps.vault();
  const existing: ExistingPasskey[] = (await vault.listAll()).map((record) => ({
    credentialId: toBase64url(record.credentialId),
    rpId: record.rpId,
    userHandle: toBase64url(record.userHandle),
    userName: record.userName,
    friendlyName: record.friendlyName,
    createdAt: record.createdAt,
    superseded: record.supersededBy !== undefined,
  }));
  return { vault, plan: await planImport(read, existing, (deps.now ?? Date.now)()) };
}

export async function previewImport(deps: BackupDeps, text: string, passphrase: string | null): Promise<PreviewResult> {
  const { plan: planned } = await plan(deps, text, passphrase);
  for (const row of planned.add) wipeEntry(row);
  return { ok: true, source: planned.source, encrypted: planned.encrypted, lines: planned.preview, adding: planned.add.length, skipping: planned.skipped.length };
}

export async function importBackup(deps: BackupDeps, text: string, passphrase: string | null): Promise<ImportResult> {
  const { vault, plan: planned } = await plan(deps, text, passphrase);
  try {
    if (planned.add.length > 0) {
      const entries = planned.add.map((row) => ({
        record: {
          credentialId: row.credentialId,
          rpId: row.rpId,
          rpName: row.rpName,
          userHandle: row.userHandle,
          userName: row.userName,
          userDisplayName: row.userDisplayName,
          friendlyName: row.friendlyName,
          alg: row.alg,
          publicKey: row.publicKey,
          discoverable: true as const,
          // In a file outside the vault: backed up (docs/architecture.md#flags).
          backupState: true,
          createdAt: row.createdAt,
          lastUsedAt: row.lastUsedAt,
          ...(row.supersededBy ? { supersededBy: fromBase64url(row.supersededBy)! } : {}),
          ...(row.nameEdited ? { nameEdited: true } : {}),
          ...(row.signCount !== undefined ? { signCount: row.signCount } : {}),
          ...(row.hidden ? { hidden: row.hidden } : {}),
        } satisfies CredentialRecord & { hidden?: string },
        privateKey: row.privateKey,
        secrets: row.secrets,
      }));
      const change = await vault.importCredentials(entries, planned.supersede);
      deps.follow?.(change);
    }
    return { ok: true, added: planned.add.length, skipped: planned.skipped, superseded: planned.supersede.length };
  } finally {
    for (const row of planned.add) wipeEntry(row);
  }
}

/** Wipes an entry's key material: the private key, the PRF secrets and the largeBlob. */
function wipeEntry(entry: { privateKey: Uint8Array; secrets: CredentialSecrets }): void {
  entry.privateKey.fill(0);
  entry.secrets.prf?.withUV.fill(0);
  entry.secrets.prf?.withoutUV.fill(0);
  entry.secrets.largeBlob?.fill(0);
}

async function reminder(deps: BackupDeps): Promise<{ ok: true; show: boolean }> {
  const now = (deps.now ?? Date.now)();
  const [lastExportAt, lastReminderAt] = await Promise.all([deps.storage.get(LAST_EXPORT_KEY), deps.storage.get(LAST_REMINDER_KEY)]);
  const show = reminderDue({
    passkeys: await (await deps.vault()).count(),
    lastExportAt: typeof lastExportAt === 'number' ? lastExportAt : undefined,
    lastReminderAt: typeof lastReminderAt === 'number' ? lastReminderAt : undefined,
    now,
  });
  if (show) await deps.storage.set(LAST_REMINDER_KEY, now);
  return { ok: true, show };
}
