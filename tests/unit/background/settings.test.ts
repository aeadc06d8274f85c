import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

vi.mock('wxt/browser', () => ({ browser: fakeBrowser }));

const { getSettings, onSettingsChanged, parseStoredSettings, SETTINGS_KEY, updateSettings, isNeverSite } = await import(
  '../../../src/background/settings'
);

beforeEach(() => fakeBrowser.reset());

describe('settings', () => {
  it('reads the defaults when nothing is stored', async () => {
    expect(await getSettings()).toEqual({ autoLockMinutes: 15, neverSites: [], offerFirst: 'latchkey', keepReady: true });
  });

  it('stores a valid patch and merges it with what was there', async () => {
    await updateSettings({ autoLockMinutes: 5 });
    const after = await updateSettings({ neverSites: ['example.com', 'bank.example'], offerFirst: 'browser' });
    expect(after).toEqual({ autoLockMinutes: 5, neverSites: ['example.com', 'bank.example'], offerFirst: 'browser', keepReady: true });
    expect(await getSettings()).toEqual(after);
    expect((await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]).toEqual(after);
  });

  it('refuses a bad patch with a RangeError naming the field, and stores nothing', async () => {
    await expect(updateSettings({ autoLockMinutes: 0 })).rejects.toThrow(/autoLockMinutes/);
    await expect(updateSettings({ autoLockMinutes: 2.5 })).rejects.toThrow(RangeError);
    await expect(updateSettings({ neverSites: ['https://example.com/'] })).rejects.toThrow(/neverSites\[0\]/);
    await expect(updateSettings({ offerFirst: 'chrome' })).rejects.toThrow(/offerFirst/);
    await expect(updateSettings({ keepReady: 'yes' })).rejects.toThrow(/keepReady/);
    await expect(updateSettings({ theme: 'dark' })).rejects.toThrow(/unknown setting/);
    await expect(updateSettings('nope')).rejects.toThrow(/object/);
    expect(await getSettings()).toEqual({ autoLockMinutes: 15, neverSites: [], offerFirst: 'latchkey', keepReady: true });
  });

  it('stores keepReady off and on again', async () => {
    expect((await updateSettings({ keepReady: false })).keepReady).toBe(false);
    expect(parseStoredSettings({ keepReady: 'no' }).keepReady).toBe(true);
    expect((await updateSettings({ keepReady: true })).keepReady).toBe(true);
  });

  it('drops duplicate sites', async () => {
    expect((await updateSettings({ neverSites: ['a.example', 'a.example'] })).neverSites).toEqual(['a.example']);
  });

  it('reads a stored field that fails validation as its default, keeping the valid ones', () => {
    expect(parseStoredSettings({ autoLockMinutes: -3, neverSites: ['ok.example'], offerFirst: 'browser', extra: 1 })).toEqual({
      autoLockMinutes: 15,
      neverSites: ['ok.example'],
      offerFirst: 'browser',
      keepReady: true,
    });
    expect(parseStoredSettings('garbage')).toEqual({ autoLockMinutes: 15, neverSites: [], offerFirst: 'latchkey', keepReady: true });
  });

  it('tells listeners about changes, made whole', async () => {
    const seen: unknown[] = [];
    const stop = onSettingsChanged((s) => seen.push(s));
    await updateSettings({ autoLockMinutes: 30 });
    stop();
    await updateSettings({ autoLockMinutes: 31 });
    expect(seen).toEqual([{ autoLockMinutes: 30, neverSites: [], offerFirst: 'latchkey', keepReady: true }]);
  });

  it('matches never-sites case-insensitively by rpId', () => {
    const settings = { autoLockMinutes: 15, neverSites: ['example.com'], offerFirst: 'latchkey' as const, keepReady: true };
    expect(isNeverSite(settings, 'Example.COM')).toBe(true);
    expect(isNeverSite(settings, 'login.example.com')).toBe(false);
  });
});
