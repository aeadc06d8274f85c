// The passkey list's wire format. Extension messaging copies an object member by member;
// one string crosses far faster. So the list travels as one string: a line per passkey
// (separated by RS, U+001E), fields separated by US (U+001F). The vault keeps each passkey's
// line ready in its catalog (src/vault/catalog.ts): a change to this line format needs a vault
// migration that rebuilds the catalog. Text fields lose only those two control characters
// (replaced by U+FFFD), which no name needs.

import { siteComesFirst, sortPasskeys } from './passkey-order';
import type { PasskeySummary } from './passkey-summary';

/**
 * The list as the manager answers it: the lines in display order (sortPasskeys), so the
 * popup can paint its first rows from the first few lines and unpack the rest after that
 * paint; `count` passkeys at `sites` sites give the whole list's height before then.
 */
export interface PackedPasskeys {
  /** Every passkey's line, joined by RS: one string. */
  text: string;
  count: number;
  sites: number;
}

export const RS = '\u001e';
export const US = '\u001f';
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
  return { text: sorted.map((p) => summaries.get(p)!).join(RS), count: sorted.length, sites: new Set(sorted.map((p) => p.rpId)).size };
}

export function packPasskeys(passkeys: readonly PasskeySummary[]): PackedPasskeys {
  return orderPasskeyLines(passkeys.map(packPasskey));
}

/** The packed list's lines, in its order, still packed (unpackPasskey reads one). */
export function splitPasskeyLines({ text }: PackedPasskeys): string[] {
  return text === '' ? [] : text.split(RS);
}

/** The packed list cut to its first `n` lines, with the whole list's counts. */
export function firstPasskeyLines(packed: PackedPasskeys, n: number): PackedPasskeys {
  const { first } = takePasskeyLines(packed, n);
  return { ...packed, text: first.join(RS) };
}

/**
 * The first `n` lines of the packed list, and the text of the lines after them (packed as
 * the list is; '' when there are none), without splitting the whole list.
 */
export function takePasskeyLines({ text: lines }: PackedPasskeys, n: number): { first: string[]; rest: string } {
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
 * them). Native passes over the whole string (a replace, `transform`, a split), no per-passkey string.
 */
export function passkeyTexts(packed: PackedPasskeys, transform: (texts: string) => string = (texts) => texts): string[] {
  return packed.text === '' ? [] : transform(packed.text.replace(TEXT_FIELDS, '$1')).split(RS);
}


/** The credential id of a packed line. */
export function lineId(line: string): string {
  return line.slice(0, line.indexOf(US));
}

/** The rpId of a packed line. */
export function lineRpId(line: string): string {
  const start = line.indexOf(US) + 1;
  return line.slice(start, line.indexOf(US, start));
}

/** The line that starts at `start` in the packed text. */
export function lineAt(text: string, start: number): string {
  const end = text.indexOf(RS, start);
  return text.slice(start, end === -1 ? text.length : end);
}

/** Whether the site whose first line is `headA` comes before the one whose first line is `headB`. */
export function siteLineComesFirst(headA: string, headB: string): boolean {
  return siteComesFirst(unpackPasskey(headA), unpackPasskey(headB));
}
