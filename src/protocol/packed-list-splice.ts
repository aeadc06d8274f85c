// Splicing the packed list (packed-list.ts): a few passkeys' lines replaced without
// unpacking and sorting the whole list.

import { RS, US, lineAt, lineId, lineRpId, orderPasskeyLines, siteLineComesFirst, splitPasskeyLines, type PackedPasskeys } from './packed-list';

/**
 * The ordered list with some passkeys' lines replaced (`changed`: credential id -> its new
 * line, or null when it is gone), in the order orderPasskeyLines would give the whole new set.
 * A site's lines are contiguous in the list, so only the sites those passkeys are at (before
 * or after the change) are cut out, ordered again and put back at their place among the
 * others, which are walked site by site only as far as that place.
 */
export function replacePasskeyLines(packed: PackedPasskeys, changed: ReadonlyMap<string, string | null>): PackedPasskeys {
  const text = packed.text;
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
  // goes before the first of them that it comes before. Joined once, at the end.
  const kept = between(cut, text.length);
  const pieces: string[] = [];
  let k = 0;
  let from = kept[0]?.start ?? 0;
  let at = from;
  for (let i = 0; i < placed.length; ) {
    const head = placed[i]!;
    let end = i + 1;
    while (end < placed.length && lineRpId(placed[end]!) === lineRpId(head)) end++;
    while (k < kept.length && !siteLineComesFirst(head, lineAt(text, at))) {
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
  return { text: pieces.join(RS), count, sites };
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
