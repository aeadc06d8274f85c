// The user's settings, kept in storage.local under one key. The popup edits them through the
// manager's messages (src/protocol/popup-messages.ts); the lock reads autoLockMinutes, and the
// ceremony code reads neverSites and offerFirst. Whatever is stored is checked on the way
// out: a field that fails validation (an older or hand-edited value) reads as its default.

import { browser } from 'wxt/browser';
import { defaultSettings, validateSettingsPatch, type Settings } from '../protocol/settings';

export type { OfferFirst, Settings } from '../protocol/settings';
export { defaultSettings } from '../protocol/settings';

export const SETTINGS_KEY = 'settings';

/** What is stored, made whole: valid fields kept, the rest (and anything unknown) defaulted. */
export function parseStoredSettings(stored: unknown): Settings {
  const settings = defaultSettings();
  if (typeof stored !== 'object' || stored === null) return settings;
  for (const [key, value] of Object.entries(stored)) {
    const field = validateSettingsPatch({ [key]: value });
    if (field.ok) Object.assign(settings, field.value);
  }
  return settings;
}

export async function getSettings(): Promise<Settings> {
  const stored = await browser.storage.local.get(SETTINGS_KEY);
  return parseStoredSettings(stored[SETTINGS_KEY]);
}

/**
 * Validates `patch` (throwing a RangeError that names the bad field) and stores the merged
 * settings. Returns what is now stored.
 */
export async function updateSettings(patch: unknown): Promise<Settings> {
  const checked = validateSettingsPatch(patch);
  if (!checked.ok) throw new RangeError(checked.reason);
  const settings = { ...(await getSettings()), ...checked.value };
  await browser.storage.local.set({ [SETTINGS_KEY]: settings });
  return settings;
}

/** Calls `listener` with the new settings whenever they change (in any context). Returns an unsubscribe. */
export function onSettingsChanged(listener: (settings: Settings) => void): () => void {
  const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && SETTINGS_KEY in changes) listener(parseStoredSettings(changes[SETTINGS_KEY]?.newValue));
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}

/** Whether Latchkey stays out of ceremonies for this relying party id. */
export function isNeverSite(settings: Settings, rpId: string): boolean {
  return settings.neverSites.includes(rpId.toLowerCase());
}
