// Fetching https://<rpId>/.well-known/webauthn for related origin requests (L3 §5.11.1 step
// 1-2), as Chrome does: from the service worker, never from the page, without credentials or
// referrer, following no redirect, with a short timeout, a size limit and a brief cache.
//
// CORS: an RP's well-known document rarely sends CORS headers (Chrome's own fetch needs
// none), and a cross-origin fetch from an extension service worker is subject to CORS unless
// the extension has access to the host. In Chromium, the hosts its content scripts match
// count as such access, and Latchkey's match <all_urls>: the fetch works with no host
// permission and nothing to ask the user mid-ceremony (checked in Chromium 156: with the
// content scripts limited to one host, the same fetch fails with "Failed to fetch").
// No cookie or referrer is sent, so the RP learns only that someone read its public document.

import { parseWellKnownWebauthn, wellKnownWebauthnUrl } from '../client/related-origins';

/** Chromium gives up on the document after a few seconds; so does Latchkey. */
export const WELL_KNOWN_TIMEOUT_MS = 5_000;
/** A list of a handful of origins is a few hundred bytes; anything much larger is refused. */
export const WELL_KNOWN_MAX_BYTES = 64 * 1024;
/** How long an answer (a list, or a failure) is reused for the same RP ID. */
export const WELL_KNOWN_CACHE_MS = 5 * 60_000;
/** Cache entries kept at most; the oldest goes first. */
const CACHE_ENTRIES = 64;

export interface WellKnownDeps {
  fetch: typeof fetch;
  now(): number;
  timeoutMs?: number;
  maxBytes?: number;
  cacheMs?: number;
}

/** Reads at most `max` bytes of the body; undefined when there are more. */
async function readLimited(response: Response, max: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) return undefined;
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/**
 * The origins an RP ID lists, or undefined. Answers (failures included) are cached for
 * WELL_KNOWN_CACHE_MS, and concurrent asks for one RP ID share one fetch.
 */
export function relatedOriginsFetcher(deps: WellKnownDeps): (rpId: string) => Promise<readonly string[] | undefined> {
  const timeoutMs = deps.timeoutMs ?? WELL_KNOWN_TIMEOUT_MS;
  const maxBytes = deps.maxBytes ?? WELL_KNOWN_MAX_BYTES;
  const cacheMs = deps.cacheMs ?? WELL_KNOWN_CACHE_MS;
  const cache = new Map<string, { at: number; answer: Promise<readonly string[] | undefined> }>();

  async function load(rpId: string): Promise<readonly string[] | undefined> {
    try {
      // L3 §5.11.1 step 2: fetch the webauthn well-known URL, with no credentials and no
      // referrer; a redirect, a status other than 200 or a non-JSON type fails it.
      const response = await deps.fetch(wellKnownWebauthnUrl(rpId), {
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        redirect: 'error',
        cache: 'no-store',
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status !== 200) return undefined;
      const type = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json') return undefined;
      const body = await readLimited(response, maxBytes);
      return body === undefined ? undefined : parseWellKnownWebauthn(body);
    } catch {
      // Network error, timeout, redirect, bad UTF-8: the procedure fails.
      return undefined;
    }
  }

  return (rpId) => {
    const now = deps.now();
    const cached = cache.get(rpId);
    if (cached && now - cached.at < cacheMs) return cached.answer;
    cache.delete(rpId);
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    const answer = load(rpId);
    cache.set(rpId, { at: now, answer });
    return answer;
  };
}
