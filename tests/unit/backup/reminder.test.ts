import { describe, expect, it } from 'vitest';
import { backupFileName, reminderDue, REMINDER_INTERVAL_MS, validateBackupRequest } from '../../../src/protocol/backup';

describe('the "no backup" reminder', () => {
  const now = 1_765_000_000_000;
  it('shows for passkeys never exported, then not again within a month', () => {
    expect(reminderDue({ passkeys: 3, lastExportAt: undefined, lastReminderAt: undefined, now })).toBe(true);
    expect(reminderDue({ passkeys: 3, lastExportAt: undefined, lastReminderAt: now - REMINDER_INTERVAL_MS + 1, now })).toBe(false);
    expect(reminderDue({ passkeys: 3, lastExportAt: undefined, lastReminderAt: now - REMINDER_INTERVAL_MS, now })).toBe(true);
  });
  it('never shows without passkeys or after an export', () => {
    expect(reminderDue({ passkeys: 0, lastExportAt: undefined, lastReminderAt: undefined, now })).toBe(false);
    expect(reminderDue({ passkeys: 3, lastExportAt: now - 400 * 86_400_000, lastReminderAt: undefined, now })).toBe(false);
  });
});

describe('backup requests', () => {
  it('are rebuilt with known members only, and malformed ones refused', () => {
    expect(validateBackupRequest({ type: 'backup:export', pin: '1', passphrase: null, ids: ['AAAA'], extra: 1 })).toEqual({ type: 'backup:export', pin: '1', passphrase: null, ids: ['AAAA'] });
    expect(validateBackupRequest({ type: 'backup:export', pin: 1, passphrase: null, ids: null })).toBeUndefined();
    expect(validateBackupRequest({ type: 'backup:export', pin: '1', passphrase: null, ids: ['not base64url!'] })).toBeUndefined();
    expect(validateBackupRequest({ type: 'backup:import', text: 5, passphrase: null })).toBeUndefined();
  });
  it('file names start with latchkey- and carry the date', () => {
    expect(backupFileName(new Date(2026, 11, 7, 10).getTime(), true)).toBe('latchkey-backup-2026-12-07.json');
    expect(backupFileName(new Date(2026, 11, 7, 10).getTime(), false)).toBe('latchkey-plain-2026-12-07.cxf.json');
  });
});
