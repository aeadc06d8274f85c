// The caller's origin and RP ID (L3 §5.1.3 steps 6-8, §5.1.4.1 steps 5-7), with the Public
// Suffix List, private domains included (public-suffix.ts, docs/THREATS.md).
//
// Case: an RP ID is compared as given, so 'EXAMPLE.com' is refused with SecurityError. A
// browser's origin host is always canonical (lower case, punycode); Chromium compares the RP ID
// against it byte for byte in the same way, and the rpIdHash the authenticator signs is over
// the exact string, so accepting a non-canonical spelling would only yield a credential the
// RP cannot verify.
//
// Scheme: http is accepted as well as https. The page script runs WebAuthn only where
// `window.isSecureContext` is true (checked in src/page, carried by the relay), and only the
// browser knows every origin it treats as secure: https, http://localhost and its
// subdomains, and origins allowed by --unsafely-treat-insecure-origin-as-secure, which the
// service worker cannot see.

import { fail, ok, type Checked } from './errors';
import { isIpAddress, publicSuffixList, type PublicSuffixList } from './public-suffix';
import { isListedRelatedOrigin } from './related-origins';

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

function isLocalhost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * Whether `host` is a domain Latchkey accepts as an RP ID: lower-case ASCII labels (IDNs in
 * punycode), no IP address, no port, path or trailing dot, more than one label unless it is
 * `localhost`, and not a public suffix.
 */
export function isValidRpIdSyntax(suffixes: PublicSuffixList, host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  const labels = host.split('.');
  if (!labels.every((l) => LABEL.test(l))) return false;
  if (isIpAddress(host)) return false;
  if (isLocalhost(host)) return true;
  if (labels.length < 2) return false;
  // A public suffix has no registrable domain of its own (co.uk, github.io).
  return suffixes.registrableDomain(host) !== undefined;
}

/**
 * L3 §5.1.3 step 6-7: the caller's effective domain (the origin's host), or the failure:
 * NotAllowedError for an opaque origin, SecurityError for another scheme or a host that is not
 * a valid domain (an IP address, say).
 */
export function effectiveDomain(suffixes: PublicSuffixList, origin: string): Checked<string> {
  // L3 §5.1.3 step 6: "If callerOrigin is an opaque origin, throw a NotAllowedError".
  if (origin === 'null') return fail('OpaqueOrigin');
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return fail('InvalidOrigin');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin) return fail('InvalidOrigin');
  // L3 §5.1.3 step 7: "If effective domain is not a valid domain, throw a SecurityError".
  const host = url.hostname;
  if (host.startsWith('[') || !isValidRpIdSyntax(suffixes, host)) return fail('InvalidOrigin');
  return ok(host);
}

/**
 * Whether `rpId` is equal to `domain` or a registrable domain suffix of it (HTML "is a
 * registrable domain suffix of or is equal to"), with localhost treated as registrable.
 */
export function isRegistrableSuffixOrEqual(suffixes: PublicSuffixList, rpId: string, domain: string): boolean {
  if (!isValidRpIdSyntax(suffixes, rpId)) return false;
  if (rpId === domain) return true;
  if (!domain.endsWith('.' + rpId)) return false;
  if (rpId === 'localhost') return isLocalhost(domain);
  // The suffix must not reach above the origin's registrable domain (into its public suffix).
  const registrable = suffixes.registrableDomain(domain);
  return registrable !== undefined && (rpId === registrable || rpId.endsWith('.' + registrable));
}

/**
 * L3 §5.1.3 step 8 / §5.1.4.1 step 7: the RP ID for a ceremony from `origin`: the requested
 * one if it is allowed, the origin's effective domain when none is requested.
 *
 * Related origins (L3 §5.11) are consulted by resolveRpIdWithRelatedOrigins below.
 */
export function resolveRpId(suffixes: PublicSuffixList, origin: string, requested: string | undefined): Checked<string> {
  const domain = effectiveDomain(suffixes, origin);
  if (!domain.ok) return domain;
  if (requested === undefined) return ok(domain.value);
  return isRegistrableSuffixOrEqual(suffixes, requested, domain.value) ? ok(requested) : fail('InvalidRpId');
}

/**
 * The origins https://<rpId>/.well-known/webauthn lists (L3 §5.11), or undefined when that
 * document could not be fetched or read. The service worker fetches it (src/background/well-known.ts).
 */
export type RelatedOriginsSource = (rpId: string) => Promise<readonly string[] | undefined>;

/**
 * L3 §5.1.3 step 8 / §5.1.4.1 step 7 with related origin requests: when the requested RP ID
 * is not the origin's effective domain nor a registrable suffix of it, "if the client supports
 * related origin requests", run the related origins validation procedure (L3 §5.11.1) for it,
 * and throw SecurityError only if that fails too.
 */
export async function resolveRpIdWithRelatedOrigins(
  origin: string,
  requested: string | undefined,
  related: RelatedOriginsSource | undefined,
): Promise<Checked<string>> {
  const suffixes = await publicSuffixList();
  const own = resolveRpId(suffixes, origin, requested);
  if (own.ok || own.failure.code !== 'InvalidRpId' || requested === undefined || related === undefined) return own;
  // The well-known URL is built from the RP ID, so only a valid domain is ever fetched.
  if (!isValidRpIdSyntax(suffixes, requested)) return own;
  const origins = await related(requested);
  return origins !== undefined && isListedRelatedOrigin(suffixes, origins, origin) ? ok(requested) : own;
}
