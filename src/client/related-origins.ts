// Related origin requests (L3 §5.11): an RP may let other origins use its RP ID by listing
// them at https://<rpId>/.well-known/webauthn. This file is the pure part: reading the
// document and the "related origins validation procedure" (L3 §5.11.1). The fetch, its
// limits and its cache live in the service worker (src/background/well-known.ts).

import { isIpAddress, type PublicSuffixList } from './public-suffix';

/**
 * L3 §5.11.1: clients must support at least five registrable origin labels and should limit
 * them; five is the recommended maximum, and what Chromium enforces.
 */
export const MAX_RELATED_ORIGIN_LABELS = 5;

/** The webauthn well-known URL for an RP ID (L3 §5.11). */
export function wellKnownWebauthnUrl(rpId: string): string {
  return `https://${rpId}/.well-known/webauthn`;
}

/**
 * L3 §5.11.1 step 2: the document is a JSON object whose `origins` member is a list of
 * strings. Returns that list, or undefined when the document is anything else ("the
 * client MUST fail the procedure").
 */
export function parseWellKnownWebauthn(body: string): string[] | undefined {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return undefined;
  const origins = (document as { origins?: unknown }).origins;
  if (!Array.isArray(origins) || !origins.every((item) => typeof item === 'string')) return undefined;
  return origins as string[];
}

/**
 * L3 §5.11.1 "registrable origin label": the first label of the domain's registrable domain
 * (the label just left of its public suffix), e.g. `example` for `www.example.co.uk`.
 * Undefined when the domain has no registrable domain (a public suffix, an IP address).
 */
export function registrableOriginLabel(suffixes: PublicSuffixList, domain: string): string | undefined {
  if (isIpAddress(domain)) return undefined;
  const registrable = suffixes.registrableDomain(domain);
  const label = registrable?.slice(0, registrable.indexOf('.'));
  return label ? label : undefined;
}

/**
 * L3 §5.11.1 steps 3-6, the related origins validation procedure: whether `callerOrigin` is
 * listed, counting at most `maxLabels` distinct registrable origin labels in the document's
 * order, so a long list cannot make the client consider any origin at all.
 */
export function isListedRelatedOrigin(
  suffixes: PublicSuffixList,
  origins: readonly string[],
  callerOrigin: string,
  maxLabels: number = MAX_RELATED_ORIGIN_LABELS,
): boolean {
  // Step 4: labelsSeen, an empty set.
  const labelsSeen = new Set<string>();
  // Step 5: for each item of originsList.
  for (const item of origins) {
    // Step 5.1: parse item as a URL; on failure, continue.
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      continue;
    }
    // Step 5.2: the URL's effective domain; null (an opaque origin) continues.
    if (url.origin === 'null' || url.hostname === '') continue;
    // Step 5.3: its registrable origin label; empty or null continues.
    const label = registrableOriginLabel(suffixes, url.hostname);
    if (label === undefined) continue;
    // Step 5.4: past maxLabels, only already-seen labels are considered.
    if (labelsSeen.size >= maxLabels && !labelsSeen.has(label)) continue;
    // Step 5.5: same origin as the caller: success.
    if (url.origin === callerOrigin) return true;
    // Step 5.6: remember the label while there is room.
    if (labelsSeen.size < maxLabels) labelsSeen.add(label);
  }
  // Step 6.
  return false;
}
