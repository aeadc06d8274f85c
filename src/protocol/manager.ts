// Messages between the passkey manager (the toolbar popup) and the service worker, over
// runtime.sendMessage, with a validator for each request the service worker receives
// (DESIGN.md "Security model": every inbound message is schema-checked). Also the rules both
// sides share: what a friendly name may be, and what the settings hold.

import { isBase64url } from './base64url';
import type { Validation } from './validate';

/** What the manager shows of a passkey: metadata only, never key material. */
export interface PasskeySummary {
  /** base64url credential id */
  credentialId: string;
  rpId: string;
  rpName: string;
  userName: string;
  userDisplayName: string;
  friendlyName: string;
  /** COSE algorithm identifier */
  alg: number;
  discoverable: boolean;
  /** BS flag */
  backupState: boolean;
  /** ms since the epoch */
  createdAt: number;
  lastUsedAt: number | null;
  /** Removed by the site (its signal, or it knows the newer passkey): never offered; the user may restore it. */
  hidden: boolean;
  /** A newer passkey for the same account is current; this one stays usable as the earlier one. */
  superseded: boolean;
}

// ---------------------------------------------------------------------------------------
// Settings (stored by src/background/settings.ts; read by the lock and the fallback too).

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

// ---------------------------------------------------------------------------------------
// Requests and their answers.

export const MANAGER_PREFIX = 'manager:';

export type ManagerRequest =
  /** `first`: only the list's first lines (with the whole list's counts), for a quick first paint. */
  | { type: 'manager:list'; first?: number }
  | { type: 'manager:rename'; credentialId: string; friendlyName: string }
  | { type: 'manager:delete'; credentialId: string }
  | { type: 'manager:restore'; credentialId: string }
  /** Reads https://<rpId>/.well-known/passkey-endpoints; only after the user granted the origin. */
  | { type: 'manager:endpoints'; rpId: string }
  | { type: 'manager:get-settings' }
  | { type: 'manager:update-settings'; patch: Partial<Settings> };

export type ManagerRequestType = ManagerRequest['type'];

/** What each request answers when it succeeds. */
export interface ManagerResults {
  /** The passkeys packed by packPasskeys: one string crosses the message channel far faster than 10,000 objects. */
  'manager:list': { packed: PackedPasskeys };
  'manager:rename': { friendlyName: string };
  'manager:delete': { credentialId: string };
  'manager:restore': { credentialId: string };
  'manager:endpoints': { manage: string | null };
  'manager:get-settings': { settings: Settings };
  'manager:update-settings': { settings: Settings };
}

export type ManagerAnswer<T extends ManagerRequestType> =
  | ({ ok: true } & ManagerResults[T])
  | { ok: false; message: string };

// ---------------------------------------------------------------------------------------
// The list's wire format. Extension messaging serializes every object member by member; at
// 10,000 passkeys that took seconds where one string takes milliseconds. So the list travels
// as one string: a line per passkey (separated by RS, U+001E), fields separated by US
// (U+001F). The vault keeps each passkey's line ready in its catalog (src/vault/catalog.ts),
// so listing orders those lines instead of reading the credential records: a change to this
// line format needs a vault migration that rebuilds the catalog. Text fields lose only those
// two control characters (replaced by U+FFFD), which no name needs.

/**
 * The list as the manager answers it: the lines in display order (sortPasskeys), so the
 * popup can paint its first rows from the first few lines and unpack the rest after that
 * paint; `count` passkeys at `sites` sites give the whole list's height before then.
 */
export interface PackedPasskeys {
  lines: string;
  count: number;
  sites: number;
}

const RS = '\u001e';
const US = '\u001f';
const SEPARATORS = /[\u001e\u001f]/g;

function clean(text: string): string {
  return text.replace(SEPARATORS, '\ufffd');
}

/** One passkey's line. */
export function packPasskey(p: PasskeySummary): string {
  const flags = (p.discoverable ? 1 : 0) | (p.backupState ? 2 : 0) | (p.hidden ? 4 : 0) | (p.superseded ? 8 : 0);
  return [
    p.credentialId, clean(p.rpId), clean(p.rpName), clean(p.userName), clean(p.userDisplayName), clean(p.friendlyName),
    p.alg, flags, p.createdAt, p.lastUsedAt ?? '',
  ].join(US);
}

/** The summary a line made by packPasskey stands for. */
export function unpackPasskey(line: string): PasskeySummary {
  const [credentialId = '', rpId = '', rpName = '', userName = '', userDisplayName = '', friendlyName = '', alg = '', flags = '', createdAt = '', lastUsedAt = ''] =
    line.split(US);
  const bits = Number(flags);
  return {
    credentialId, rpId, rpName, userName, userDisplayName, friendlyName,
    alg: Number(alg),
    discoverable: (bits & 1) !== 0,
    backupState: (bits & 2) !== 0,
    hidden: (bits & 4) !== 0,
    superseded: (bits & 8) !== 0,
    createdAt: Number(createdAt),
    lastUsedAt: lastUsedAt === '' ? null : Number(lastUsedAt),
  };
}

/** Lines made by packPasskey (the vault's catalog), put in display order as the list answer carries them. */
export function orderPasskeyLines(lines: readonly string[]): PackedPasskeys {
  const summaries = new Map<PasskeySummary, string>();
  for (const line of lines) summaries.set(unpackPasskey(line), line);
  const sorted = sortPasskeys([...summaries.keys()]);
  return { lines: sorted.map((p) => summaries.get(p)!).join(RS), count: sorted.length, sites: new Set(sorted.map((p) => p.rpId)).size };
}

/**
 * The ordered list with some passkeys' lines replaced (`changed`: credential id -> its new
 * line, or null when it is gone), in the order orderPasskeyLines would give the whole new set.
 * A site's lines are contiguous in the list, so only the sites those passkeys are at (before
 * or after the change) are cut out, ordered again and put back at their place among the
 * others, which are walked site by site only as far as that place. At 10,000 passkeys this is
 * a few native string searches instead of unpacking and sorting every line.
 */
export function replacePasskeyLines(packed: PackedPasskeys, changed: ReadonlyMap<string, string | null>): PackedPasskeys {
  const text = packed.lines;
  const touched = new Set<string>();
  for (const line of changed.values()) if (line !== null) touched.add(lineRpId(line));
  for (const id of changed.keys()) {
    const at = findLine(text, id);
    if (at !== -1) touched.add(lineRpId(lineAt(text, at)));
  }
  const cut: Span[] = [];
  const moved: string[] = [];
  let count = packed.count;
  for (const rpId of touched) {
    const site = findSite(text, rpId);
    if (!site) continue;
    cut.push(site);
    for (const line of text.slice(site.start, site.end).split(RS)) {
      count--;
      if (!changed.has(lineId(line))) moved.push(line);
    }
  }
  for (const line of changed.values()) if (line !== null) moved.push(line);
  const placed = splitPasskeyLines(orderPasskeyLines(moved));
  count += placed.length;
  let sites = packed.sites - cut.length;

  // The text left between the cut sites holds whole sites still in order. Each placed site
  // goes before the first of them that it comes before. The result is joined once at the
  // end: a new string of a megabyte costs milliseconds, so no intermediate one is made.
  const kept = between(cut, text.length);
  const pieces: string[] = [];
  let k = 0;
  let from = kept[0]?.start ?? 0;
  let at = from;
  for (let i = 0; i < placed.length; ) {
    const head = placed[i]!;
    let end = i + 1;
    while (end < placed.length && lineRpId(placed[end]!) === lineRpId(head)) end++;
    while (k < kept.length && !siteComesFirst(head, lineAt(text, at))) {
      at = nextSite(text, at);
      if (at >= kept[k]!.end) {
        pieces.push(text.slice(from, kept[k]!.end));
        from = at = kept[++k]?.start ?? text.length;
      }
    }
    if (k < kept.length && at > from) {
      pieces.push(text.slice(from, at - 1));
      from = at;
    }
    pieces.push(...placed.slice(i, end));
    sites++;
    i = end;
  }
  for (; k < kept.length; from = kept[++k]?.start ?? text.length) pieces.push(text.slice(from, kept[k]!.end));
  return { lines: pieces.join(RS), count, sites };
}

interface Span {
  start: number;
  end: number;
}

/** The non-empty spans of lines of a text of `length` between the `cut` spans (each of whole lines). */
function between(cut: Span[], length: number): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (const span of [...cut].sort((a, b) => a.start - b.start)) {
    if (span.start > start) spans.push({ start, end: span.start - 1 });
    start = span.end + 1;
  }
  if (start < length) spans.push({ start, end: length });
  return spans;
}

/** Where the line of credential `id` starts in the packed text, or -1. */
function findLine(text: string, id: string): number {
  const key = id + US;
  for (let at = text.indexOf(key); at !== -1; at = text.indexOf(key, at + 1)) {
    if (at === 0 || text[at - 1] === RS) return at;
  }
  return -1;
}

/** The span of the lines of site `rpId` (they are contiguous), without separators at its ends. */
function findSite(text: string, rpId: string): Span | undefined {
  const key = US + rpId + US;
  let line = -1;
  for (let at = text.indexOf(key); at !== -1 && line === -1; at = text.indexOf(key, at + 1)) {
    // The site is a line's second field: no US between the line's start and `at`.
    const start = text.lastIndexOf(RS, at) + 1;
    if (text.indexOf(US, start) === at) line = start;
  }
  if (line === -1) return undefined;
  let start = line;
  while (start > 0) {
    const previous = text.lastIndexOf(RS, start - 2) + 1;
    if (lineRpId(lineAt(text, previous)) !== rpId) break;
    start = previous;
  }
  let end = line;
  for (;;) {
    const lineEnd = text.indexOf(RS, end);
    if (lineEnd === -1) return { start, end: text.length };
    if (lineRpId(lineAt(text, lineEnd + 1)) !== rpId) return { start, end: lineEnd };
    end = lineEnd + 1;
  }
}

/** Where the first line of the site after the one whose line starts at `at` starts (text.length if none). */
function nextSite(text: string, at: number): number {
  const rpId = lineRpId(lineAt(text, at));
  for (;;) {
    const end = text.indexOf(RS, at);
    if (end === -1) return text.length;
    at = end + 1;
    if (lineRpId(lineAt(text, at)) !== rpId) return at;
  }
}

function lineAt(text: string, start: number): string {
  const end = text.indexOf(RS, start);
  return text.slice(start, end === -1 ? text.length : end);
}

/**
 * Whether the site whose first line (sortPasskeys: it gives the site's recency) is `headA` comes before the one whose first
 * line is `headB`, by the list's order (sortPasskeys). Called once per site passed, so the
 * lines are unpacked rather than read by a second parser of their fields.
 */
function siteComesFirst(headA: string, headB: string): boolean {
  const a = unpackPasskey(headA);
  const b = unpackPasskey(headB);
  return recency(a) > recency(b) || (recency(a) === recency(b) && compareText(a.rpId, b.rpId) < 0);
}

function lineId(line: string): string {
  return line.slice(0, line.indexOf(US));
}

function lineRpId(line: string): string {
  const start = line.indexOf(US) + 1;
  return line.slice(start, line.indexOf(US, start));
}

export function packPasskeys(passkeys: readonly PasskeySummary[]): PackedPasskeys {
  return orderPasskeyLines(passkeys.map(packPasskey));
}

/** The packed list's lines, in its order, still packed (unpackPasskey reads one). */
export function splitPasskeyLines({ lines }: PackedPasskeys): string[] {
  return lines === '' ? [] : lines.split(RS);
}

/** The most lines a `manager:list` with `first` asks for. */
export const LIST_FIRST_MAX = 1000;

/** The packed list cut to its first `n` lines, with the whole list's counts. */
export function firstPasskeyLines(packed: PackedPasskeys, n: number): PackedPasskeys {
  const { first } = takePasskeyLines(packed, n);
  return { ...packed, lines: first.join(RS) };
}

/**
 * The first `n` lines of the packed list, and the text of the lines after them (packed as
 * the list is; '' when there are none), without splitting the whole list.
 */
export function takePasskeyLines({ lines }: PackedPasskeys, n: number): { first: string[]; rest: string } {
  const first: string[] = [];
  if (lines === '') return { first, rest: '' };
  let at = 0;
  while (first.length < n) {
    const end = lines.indexOf(RS, at);
    if (end === -1) {
      first.push(lines.slice(at));
      return { first, rest: '' };
    }
    first.push(lines.slice(at, end));
    at = end + 1;
  }
  return { first, rest: lines.slice(at) };
}

export function unpackPasskeys(packed: PackedPasskeys): PasskeySummary[] {
  return splitPasskeyLines(packed).map(unpackPasskey);
}

const FIELD = '[^\\u001e\\u001f]*';
/** A packed line, capturing its text fields: rpId, rpName, userName, userDisplayName, friendlyName. */
const TEXT_FIELDS = new RegExp(`${FIELD}${US}(${[FIELD, FIELD, FIELD, FIELD, FIELD].join(US)})(?:${US}${FIELD}){4}`, 'g');

/**
 * The text fields of each passkey in the packed list, in its order, separated by US (a
 * search looks at these). `transform` applies to all of them at once (the popup lower-cases
 * them). Three passes over the whole string in native code, a replace, `transform` and a
 * split, instead of a loop that builds a string per passkey: at 10,000 passkeys that loop
 * allocated 3.6 MB and took tens of milliseconds in code run for the first time.
 */
export function passkeyTexts(packed: PackedPasskeys, transform: (texts: string) => string = (texts) => texts): string[] {
  return packed.lines === '' ? [] : transform(packed.lines.replace(TEXT_FIELDS, '$1')).split(RS);
}

// ---------------------------------------------------------------------------------------
// The list's order: sites by their most recently used passkey (ties: by rpId), and within a
// site its shown passkeys by last use, then by friendly name, then those the site removed
// ("Removed by the site", the same order among them). A site's recency is its first passkey's
// in that order: its most recent shown one, or its most recent removed one when all are. The
// service worker orders the list it sends; the popup keeps that order through renames and
// deletions.

/** When a passkey was last used; one never used counts from when it was saved. */
export function recency(passkey: PasskeySummary): number {
  return passkey.lastUsedAt ?? passkey.createdAt;
}

/**
 * Returns a new array in the list's order. The numbers are worked out once per passkey
 * rather than in each comparison: 10,000 passkeys take about 140,000 comparisons.
 */
export function sortPasskeys(passkeys: readonly PasskeySummary[]): PasskeySummary[] {
  // Per site, its first passkey: the most recent shown one, else the most recent removed one.
  const head = new Map<string, PasskeySummary>();
  for (const p of passkeys) {
    const best = head.get(p.rpId);
    if (!best || (best.hidden && !p.hidden) || (best.hidden === p.hidden && recency(p) > recency(best))) head.set(p.rpId, p);
  }
  const keyed = passkeys.map((p) => ({ p, site: recency(head.get(p.rpId)!), own: recency(p), removed: p.hidden ? 1 : 0 }));
  keyed.sort(
    (a, b) =>
      b.site - a.site ||
      compareText(a.p.rpId, b.p.rpId) ||
      a.removed - b.removed ||
      b.own - a.own ||
      compareText(a.p.friendlyName, b.p.friendlyName) ||
      compareText(a.p.credentialId, b.p.credentialId),
  );
  return keyed.map((k) => k.p);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------
// Shared rules.

export const FRIENDLY_NAME_MAX = 64;

/** A friendly name is 1–64 characters after trimming (characters: code points). */
export function checkFriendlyName(name: string): Validation<string> {
  const trimmed = name.trim();
  if (trimmed.length === 0) return { ok: false, reason: 'Give the passkey a name.' };
  const length = [...trimmed].length;
  if (length > FRIENDLY_NAME_MAX) {
    return { ok: false, reason: `A name can be at most ${FRIENDLY_NAME_MAX} characters (this one has ${length}).` };
  }
  return { ok: true, value: trimmed };
}

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

// ---------------------------------------------------------------------------------------
// Validators for what the service worker receives.

function fail<T>(reason: string): Validation<T> {
  return { ok: false, reason };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Whether a runtime message is meant for the manager's handler (it then must validate). */
export function isManagerMessage(x: unknown): boolean {
  return isObject(x) && typeof x.type === 'string' && x.type.startsWith(MANAGER_PREFIX);
}

export function validateSettingsPatch(x: unknown): Validation<Partial<Settings>> {
  if (!isObject(x)) return fail('patch: expected an object');
  const patch: Partial<Settings> = {};
  for (const key of Object.keys(x)) {
    if (key !== 'autoLockMinutes' && key !== 'neverSites' && key !== 'offerFirst' && key !== 'keepReady') return fail(`patch.${key}: unknown setting`);
  }
  if ('autoLockMinutes' in x) {
    const minutes = x.autoLockMinutes;
    if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < AUTO_LOCK_MINUTES.min || minutes > AUTO_LOCK_MINUTES.max) {
      return fail(`patch.autoLockMinutes: expected a whole number from ${AUTO_LOCK_MINUTES.min} to ${AUTO_LOCK_MINUTES.max}`);
    }
    patch.autoLockMinutes = minutes;
  }
  if ('neverSites' in x) {
    const sites = x.neverSites;
    if (!Array.isArray(sites) || sites.length > MAX_NEVER_SITES) return fail(`patch.neverSites: expected an array of at most ${MAX_NEVER_SITES} sites`);
    const normalized: string[] = [];
    for (const [i, site] of sites.entries()) {
      const checked = typeof site === 'string' ? normalizeSite(site) : fail<string>('not a string');
      if (!checked.ok || checked.value !== site) return fail(`patch.neverSites[${i}]: expected a lower-case host such as example.com`);
      if (!normalized.includes(site)) normalized.push(site);
    }
    patch.neverSites = normalized;
  }
  if ('offerFirst' in x) {
    const offer = OFFER_FIRST.find((o) => o === x.offerFirst);
    if (!offer) return fail(`patch.offerFirst: expected ${OFFER_FIRST.map((o) => `'${o}'`).join(' or ')}`);
    patch.offerFirst = offer;
  }
  if ('keepReady' in x) {
    if (typeof x.keepReady !== 'boolean') return fail('patch.keepReady: expected true or false');
    patch.keepReady = x.keepReady;
  }
  return { ok: true, value: patch };
}

function credentialIdOf(x: Record<string, unknown>): Validation<string> {
  const id = x.credentialId;
  return isBase64url(id) && id.length > 0 ? { ok: true, value: id } : fail('credentialId: expected a base64url string');
}

export function validateManagerRequest(x: unknown): Validation<ManagerRequest> {
  if (!isObject(x)) return fail('message: expected an object');
  switch (x.type) {
    case 'manager:list': {
      if (x.first === undefined) return { ok: true, value: { type: x.type } };
      if (typeof x.first !== 'number' || !Number.isInteger(x.first) || x.first < 1 || x.first > LIST_FIRST_MAX) {
        return fail(`first: expected a whole number from 1 to ${LIST_FIRST_MAX}`);
      }
      return { ok: true, value: { type: x.type, first: x.first } };
    }
    case 'manager:get-settings':
      return { ok: true, value: { type: x.type } };
    case 'manager:rename': {
      const id = credentialIdOf(x);
      if (!id.ok) return id;
      if (typeof x.friendlyName !== 'string') return fail('friendlyName: expected a string');
      const name = checkFriendlyName(x.friendlyName);
      if (!name.ok) return name;
      return { ok: true, value: { type: x.type, credentialId: id.value, friendlyName: name.value } };
    }
    case 'manager:delete':
    case 'manager:restore': {
      const id = credentialIdOf(x);
      if (!id.ok) return id;
      return { ok: true, value: { type: x.type, credentialId: id.value } };
    }
    case 'manager:endpoints': {
      if (typeof x.rpId !== 'string') return fail('rpId: expected a string');
      const site = normalizeSite(x.rpId);
      if (!site.ok || site.value !== x.rpId) return fail('rpId: expected a host');
      return { ok: true, value: { type: x.type, rpId: site.value } };
    }
    case 'manager:update-settings': {
      const patch = validateSettingsPatch(x.patch);
      if (!patch.ok) return patch;
      return { ok: true, value: { type: x.type, patch: patch.value } };
    }
    default:
      return fail(`type: unknown manager message ${JSON.stringify(x.type)}`);
  }
}
