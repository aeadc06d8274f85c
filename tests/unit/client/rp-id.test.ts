import { describe, expect, it } from 'vitest';
import { toCeremonyError } from '../../../src/client/errors';
import { publicSuffixList } from '../../../src/client/public-suffix';
import { effectiveDomain, isValidRpIdSyntax, resolveRpId } from '../../../src/client/rp-id';

const suffixes = await publicSuffixList();

/** The page-facing outcome of resolving `rpId` from `origin`: the RP ID, or the error name. */
function outcome(origin: string, rpId: string | undefined): string {
  const r = resolveRpId(suffixes, origin, rpId);
  return r.ok ? `ok:${r.value}` : toCeremonyError(r.failure).name;
}

describe('RP ID validation (L3 §5.1.3 steps 6-8)', () => {
  const rows: [origin: string, rpId: string | undefined, expected: string][] = [
    ['https://example.com', 'example.com', 'ok:example.com'],
    ['https://login.example.com', 'example.com', 'ok:example.com'],
    ['https://a.b.login.example.com', 'login.example.com', 'ok:login.example.com'],
    ['https://example.com:8443', 'example.com', 'ok:example.com'],
    ['https://login.example.com', undefined, 'ok:login.example.com'],
    ['http://localhost:3000', 'localhost', 'ok:localhost'],
    ['http://localhost', undefined, 'ok:localhost'],
    ['http://sub.localhost:8080', 'sub.localhost', 'ok:sub.localhost'],
    ['http://sub.localhost:8080', 'localhost', 'ok:localhost'],
    ['https://user.github.io', 'user.github.io', 'ok:user.github.io'],
    ['https://www.example.co.uk', 'example.co.uk', 'ok:example.co.uk'],
    ['https://xn--bcher-kva.de', 'xn--bcher-kva.de', 'ok:xn--bcher-kva.de'],
    // http origins other than localhost are accepted: the page layer checks isSecureContext.
    ['http://dev.example.test', 'example.test', 'ok:example.test'],
    // public suffixes, ICANN and private
    ['https://www.example.co.uk', 'co.uk', 'SecurityError'],
    ['https://example.com', 'com', 'SecurityError'],
    ['https://user.github.io', 'github.io', 'SecurityError'],
    ['https://github.io', undefined, 'SecurityError'],
    // not a suffix of the origin's domain
    ['https://example.com', 'login.example.com', 'SecurityError'],
    ['https://example.com', 'example.org', 'SecurityError'],
    ['https://notexample.com', 'example.com', 'SecurityError'],
    ['https://example.com', 'localhost', 'SecurityError'],
    // IP addresses, as origin or RP ID
    ['https://127.0.0.1', '127.0.0.1', 'SecurityError'],
    ['https://127.0.0.1', undefined, 'SecurityError'],
    ['http://[::1]:8080', '[::1]', 'SecurityError'],
    ['http://[::1]:8080', undefined, 'SecurityError'],
    ['https://example.com', '1.2.3.4', 'SecurityError'],
    // malformed RP IDs
    ['https://example.com', 'example.com.', 'SecurityError'],
    ['https://example.com', 'example.com:443', 'SecurityError'],
    ['https://example.com', 'example.com/path', 'SecurityError'],
    ['https://example.com', 'https://example.com', 'SecurityError'],
    ['https://example.com', '', 'SecurityError'],
    ['https://example.com', ' example.com', 'SecurityError'],
    ['https://example.com', '.example.com', 'SecurityError'],
    ['https://example.com', 'b\u00fccher.de', 'SecurityError'],
    // case: compared as given, like Chromium; origin hosts are always lower case
    ['https://example.com', 'EXAMPLE.com', 'SecurityError'],
    // single-label hosts other than localhost
    ['http://intranet', 'intranet', 'SecurityError'],
    ['http://intranet', undefined, 'SecurityError'],
    // origins that cannot use WebAuthn at all
    ['null', 'example.com', 'NotAllowedError'],
    ['null', undefined, 'NotAllowedError'],
    ['chrome-extension://abcdefghijklmnop', undefined, 'SecurityError'],
    ['ftp://example.com', 'example.com', 'SecurityError'],
    ['not an origin', 'example.com', 'SecurityError'],
  ];

  it.each(rows)('from %s, rpId %s gives %s', (origin, rpId, expected) => {
    expect(outcome(origin, rpId)).toBe(expected);
  });

  it('rejects an rpId that is a public suffix with SecurityError', () => {
    expect(outcome('https://shop.example.co.uk', 'co.uk')).toBe('SecurityError');
  });

  it('rejects an opaque origin with NotAllowedError before looking at the rpId', () => {
    expect(outcome('null', 'this is not even a domain')).toBe('NotAllowedError');
  });

  it('rejects a suffix that reaches into a wildcard public suffix', () => {
    // *.kawasaki.jp is a public suffix rule: foo.kawasaki.jp has no registrable domain above it.
    expect(isValidRpIdSyntax(suffixes, 'foo.kawasaki.jp')).toBe(false);
    expect(outcome('https://a.b.foo.kawasaki.jp', 'foo.kawasaki.jp')).toBe('SecurityError');
    expect(outcome('https://a.b.foo.kawasaki.jp', 'b.foo.kawasaki.jp')).toBe('ok:b.foo.kawasaki.jp');
  });

  it("takes the origin's host as the effective domain, without the port", () => {
    const d = effectiveDomain(suffixes, 'https://login.example.com:8443');
    expect(d).toEqual({ ok: true, value: 'login.example.com' });
  });

  it('refuses an origin string that is not an ASCII serialized origin', () => {
    expect(effectiveDomain(suffixes, 'https://example.com/').ok).toBe(false);
    expect(effectiveDomain(suffixes, 'https://EXAMPLE.com').ok).toBe(false);
  });
});
