// How the popup writes dates, algorithms and sites.

const DAY = 24 * 60 * 60 * 1000;

const ALGORITHMS: Record<number, string> = { [-7]: 'ES256 (ECDSA P-256)', [-8]: 'EdDSA (Ed25519)', [-257]: 'RS256 (RSA)' };

export function algorithmName(alg: number): string {
  return `${ALGORITHMS[alg] ?? 'Unknown algorithm'} · COSE ${alg}`;
}

/**
 * One formatter per kind and locale, made at first use: making an Intl formatter costs far
 * more than formatting with it, and each row of the list formats two dates (a profile of a
 * search keystroke's repaint found a tenth of its time making them anew for every row).
 */
function cached<F>(make: (locale: string | undefined) => F): (locale: string | undefined) => F {
  const made = new Map<string | undefined, F>();
  return (locale) => {
    let formatter = made.get(locale);
    if (!formatter) made.set(locale, (formatter = make(locale)));
    return formatter;
  };
}

const daysAgo = cached((locale) => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
const dayThisYear = cached((locale) => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }));
const monthOfYear = cached((locale) => new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric' }));
const longDate = cached((locale) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }));

/**
 * "today", "yesterday", "3 days ago" within a week; after that "Feb 28" this year and
 * "Dec 2024" before, short enough that a row's line of two dates is never cut (the details
 * view gives the full date).
 */
export function relativeDay(at: number, now: number, locale?: string): string {
  const days = Math.floor(startOfDay(now) / DAY) - Math.floor(startOfDay(at) / DAY);
  if (days >= 0 && days < 7) return daysAgo(locale).format(-days, 'day');
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  return (sameYear ? dayThisYear : monthOfYear)(locale).format(at);
}

/** A full date and time, for the details view. */
export function fullDate(at: number, locale?: string): string {
  return longDate(locale).format(at);
}

function startOfDay(at: number): number {
  const d = new Date(at);
  d.setHours(0, 0, 0, 0);
  // Local midnight, shifted so that whole-day division counts local days.
  return d.getTime() - d.getTimezoneOffset() * 60_000;
}

/** The line under a passkey's name: when it was last used, and when it was saved. */
export function usageLine(p: { createdAt: number; lastUsedAt: number | null }, now: number, locale?: string): string {
  const saved = `saved ${relativeDay(p.createdAt, now, locale)}`;
  return p.lastUsedAt === null ? `Not yet used · ${saved}` : `Used ${relativeDay(p.lastUsedAt, now, locale)} · ${saved}`;
}

/** The letter on a site's avatar: the first letter or digit of its rpId, past "www.". */
export function avatarLetter(rpId: string): string {
  const match = /[\p{L}\p{N}]/u.exec(rpId.replace(/^www\./, ''));
  return (match?.[0] ?? '?').toUpperCase();
}

/** A hue (0–359) for a site's avatar, the same for the same rpId every time. */
export function avatarHue(rpId: string): number {
  let hash = 2166136261;
  for (let i = 0; i < rpId.length; i++) hash = Math.imul(hash ^ rpId.charCodeAt(i), 16777619);
  return (hash >>> 0) % 360;
}
