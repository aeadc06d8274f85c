// Messages between the backup page (popup.html#backup, components/backup) and the service
// worker (src/background/backup.ts), over runtime.sendMessage. Every request is validated here
// before the worker trusts it.

import { isBase64url } from './base64url';

/** A passkey of the file that is not imported, and why. */
export interface Skipped {
  place: string;
  /** What the user knows it by: its name or site and account. */
  title: string;
  reason: string;
}

/** One line of an import's preview. */
export interface PreviewLine {
  title: string;
  rpId: string;
  userName: string;
  status: 'add' | 'add-earlier' | 'skip' | 'existing-earlier';
  /** A sentence: why skipped, or what becomes superseded. */
  note?: string;
}

export const BACKUP_PREFIX = 'backup:';

export type BackupRequest =
  /** ids: base64url credential ids to export, or null for all. passphrase null: a plain export. */
  | { type: 'backup:export'; pin: string; passphrase: string | null; ids: string[] | null }
  | { type: 'backup:preview'; text: string; passphrase: string | null }
  | { type: 'backup:import'; text: string; passphrase: string | null }
  /** Whether the popup shows the "no backup" reminder now; asking counts as showing it. */
  | { type: 'backup:reminder' };

export type BackupProblem = 'locked' | 'wrong-pin' | 'passphrase' | 'passphrase-needed' | 'wrong-passphrase' | 'malformed' | 'empty' | 'failed';

export interface ExportResult {
  ok: true;
  fileName: string;
  /** The file's text: an envelope (encrypted) or the CXF document (plain). */
  text: string;
  exported: number;
  /** Left out: passkeys that keep a counter (CXF 1.0 requires it). */
  excluded: Array<{ friendlyName: string; rpId: string }>;
}

export interface PreviewResult {
  ok: true;
  source: 'cxf' | 'bitwarden' | 'keepassxc';
  encrypted: boolean;
  lines: PreviewLine[];
  adding: number;
  skipping: number;
}

export interface ImportResult {
  ok: true;
  added: number;
  skipped: Skipped[];
  /** Passkeys already in Latchkey that became the earlier ones. */
  superseded: number;
}

export type BackupFailure = { ok: false; problem: BackupProblem; message: string };

export interface BackupResults {
  'backup:export': ExportResult;
  'backup:preview': PreviewResult;
  'backup:import': ImportResult;
  'backup:reminder': { ok: true; show: boolean };
}

/** The longest file text accepted (src/backup/import.ts MAX_FILE_CHARS). */
const MAX_TEXT = 64 * 1024 * 1024;
const MAX_SECRET = 1024;

const secret = (x: unknown): x is string => typeof x === 'string' && x.length <= MAX_SECRET;

export function isBackupMessage(x: unknown): boolean {
  return typeof x === 'object' && x !== null && typeof (x as { type?: unknown }).type === 'string' && (x as { type: string }).type.startsWith(BACKUP_PREFIX);
}

/** The request rebuilt with its known members only; undefined when malformed. */
export function validateBackupRequest(x: unknown): BackupRequest | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const o = x as Record<string, unknown>;
  switch (o.type) {
    case 'backup:export': {
      if (!secret(o.pin) || !(o.passphrase === null || secret(o.passphrase))) return undefined;
      if (o.ids !== null && !(Array.isArray(o.ids) && o.ids.length <= 1_000_000 && o.ids.every((id) => isBase64url(id) && id.length <= 1400))) return undefined;
      return { type: o.type, pin: o.pin, passphrase: o.passphrase, ids: o.ids === null ? null : [...(o.ids as string[])] };
    }
    case 'backup:preview':
    case 'backup:import':
      if (typeof o.text !== 'string' || o.text.length > MAX_TEXT || !(o.passphrase === null || secret(o.passphrase))) return undefined;
      return { type: o.type, text: o.text, passphrase: o.passphrase };
    case 'backup:reminder':
      return { type: o.type };
    default:
      return undefined;
  }
}

/** Refuses what no one should use (the backup page says it too): fewer than 8 characters. */
export function passphraseProblem(passphrase: string): string | undefined {
  return [...passphrase.normalize('NFC')].length < 8 ? 'Use a passphrase of at least 8 characters.' : undefined;
}

/** How often, at most, the popup says there is no backup. */
export const REMINDER_INTERVAL_MS = 30 * 24 * 60 * 60 * 1000;

/** The popup's "no backup" reminder: passkeys, never an export, and not shown in the last month. */
export function reminderDue(state: { passkeys: number; lastExportAt: number | undefined; lastReminderAt: number | undefined; now: number }): boolean {
  if (state.passkeys === 0 || state.lastExportAt !== undefined) return false;
  return state.lastReminderAt === undefined || state.now - state.lastReminderAt >= REMINDER_INTERVAL_MS || state.now < state.lastReminderAt;
}

/** "latchkey-backup-2026-12-07.json": the local date of `now`. */
export function backupFileName(now: number, encrypted: boolean): string {
  const date = new Date(now);
  const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  return encrypted ? `latchkey-backup-${day}.json` : `latchkey-plain-${day}.cxf.json`;
}
