// L3 §6.4.1 String Truncation: an authenticator may store a string member (rp.name,
// user.name, user.displayName) truncated to at least 64 bytes of UTF-8, and should cut at a
// grapheme cluster boundary. Latchkey keeps exactly that much: nothing unbounded from a page
// is shown in the prompt or stored.

export const MAX_STRING_BYTES = 64;

const utf8 = new TextEncoder();
let graphemes: Intl.Segmenter | undefined;

/** `text` cut to at most `maxBytes` of UTF-8, whole grapheme clusters only. */
export function truncateUtf8(text: string, maxBytes = MAX_STRING_BYTES): string {
  if (utf8.encode(text).length <= maxBytes) return text;
  let kept = '';
  let bytes = 0;
  for (const { segment } of (graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text)) {
    bytes += utf8.encode(segment).length;
    if (bytes > maxBytes) break;
    kept += segment;
  }
  return kept;
}
