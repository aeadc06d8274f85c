// The user's settings as the popup edits them and the service worker stores them
// (src/background/settings.ts), with their validator.

import { fail, invalid, literal, object, refuse, run, type Validation } from './check';

export type OfferFirst = 'latchkey' | 'browser';

export interface Settings {
  /** Lock the vault after this many minutes without use by the user (user-activity.ts). */
  autoLockMinutes: number;
  /** Relying party ids where Latchkey never answers: the browser handles them. */
  neverSites: string[];
  /** Whether Latchkey's prompt or the browser's own dialog comes first. */
  offerFirst: OfferFirst;
  /** Keep Latchkey's process while idle, so the prompt opens quickly (src/background/keep-ready.ts). */
  keepReady: boolean;
}

/** A fresh copy of the defaults, safe to mutate. */
export function defaultSettings(): Settings {
  return { autoLockMinutes: 15, neverSites: [], offerFirst: 'latchkey', keepReady: true };
}

export const AUTO_LOCK_MINUTES = { min: 1, max: 1440 } as const;
export const OFFER_FIRST: readonly OfferFirst[] = ['latchkey', 'browser'];
/** More than anyone will type; keeps storage.local small. */
export const MAX_NEVER_SITES = 500;

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A relying party id as the user may type it into the "never on this site" list: a bare
 * host, or a URL whose host is taken. Lower-cased; a leading "www." stays (it is a host).
 */
export function normalizeSite(input: string): Validation<string> {
  let host = input.trim().toLowerCase();
  if (host.includes('://')) {
    try {
      host = new URL(host).hostname;
    } catch {
      return { ok: false, reason: 'That is not a web address.' };
    }
  }
  host = host.replace(/\/.*$/, '');
  const labels = host.split('.');
  if (host.length === 0 || host.length > 253 || !labels.every((label) => HOST_LABEL.test(label))) {
    return { ok: false, reason: 'Enter a site such as example.com.' };
  }
  return { ok: true, value: host };
}

export function validateSettingsPatch(x: unknown): Validation<Partial<Settings>> {
  return run(() => settingsPatch(x));
}

function settingsPatch(x: unknown): Partial<Settings> {
  const o = object(x, 'patch');
  const patch: Partial<Settings> = {};
  for (const key of Object.keys(o)) {
    if (key !== 'autoLockMinutes' && key !== 'neverSites' && key !== 'offerFirst' && key !== 'keepReady') refuse(`patch.${key}: unknown setting`);
  }
  if ('autoLockMinutes' in o) {
    const minutes = o.autoLockMinutes;
    if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < AUTO_LOCK_MINUTES.min || minutes > AUTO_LOCK_MINUTES.max) {
      invalid('patch.autoLockMinutes', `a whole number from ${AUTO_LOCK_MINUTES.min} to ${AUTO_LOCK_MINUTES.max}`);
    }
    patch.autoLockMinutes = minutes;
  }
  if ('neverSites' in o) {
    const sites = o.neverSites;
    if (!Array.isArray(sites) || sites.length > MAX_NEVER_SITES) invalid('patch.neverSites', `an array of at most ${MAX_NEVER_SITES} sites`);
    const normalized: string[] = [];
    for (const [i, site] of sites.entries()) {
      const checked = typeof site === 'string' ? normalizeSite(site) : fail<string>('not a string');
      if (!checked.ok || checked.value !== site) invalid(`patch.neverSites[${i}]`, 'a lower-case host such as example.com');
      if (!normalized.includes(site)) normalized.push(site);
    }
    patch.neverSites = normalized;
  }
  if ('offerFirst' in o) patch.offerFirst = literal(o.offerFirst, 'patch.offerFirst', OFFER_FIRST);
  if ('keepReady' in o) {
    if (typeof o.keepReady !== 'boolean') invalid('patch.keepReady', 'true or false');
    patch.keepReady = o.keepReady;
  }
  return patch;
}
