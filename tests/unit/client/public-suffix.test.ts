import fc from 'fast-check';
import { parse } from 'tldts';
import { afterEach, describe, expect, it } from 'vitest';
import { publicSuffixRules, publicSuffixListText } from '../../../scripts/public-suffix-list.mjs';
import { isIpAddress, PublicSuffixList, publicSuffixList, setPublicSuffixSource } from '../../../src/client/public-suffix';

const list = new PublicSuffixList(publicSuffixListText());
const rules = publicSuffixRules();
/** The rules a host Latchkey asks about can match: ASCII (IDNs come as punycode). */
const asciiRules = rules.filter((rule) => /^[\x21-\x7e]+$/.test(rule));

/** What tldts, the reference, says of `host`, private domains included. */
function reference(host: string) {
  const parsed = parse(host, { allowPrivateDomains: true });
  return { publicSuffix: parsed.publicSuffix, registrableDomain: parsed.domain ?? undefined };
}

function ours(host: string) {
  return { publicSuffix: list.publicSuffix(host), registrableDomain: list.registrableDomain(host) };
}

describe('the Public Suffix List Latchkey ships', () => {
  it('has every rule tldts has, exceptions and wildcards among them', () => {
    expect(rules.length).toBeGreaterThan(5000);
    expect(rules).toEqual(expect.arrayContaining(['com', 'co.uk', 'github.io', '*.ck', '!www.ck', '*.kawasaki.jp', '!city.kawasaki.jp']));
  });

  it('agrees with tldts on every ASCII rule, and one and two labels under it', () => {
    const disagreements: string[] = [];
    for (const rule of asciiRules) {
      const host = rule.replace(/^!/, '').replaceAll('*', 'wild');
      for (const h of [host, `a.${host}`, `b.a.${host}`]) {
        if (JSON.stringify(ours(h)) !== JSON.stringify(reference(h))) disagreements.push(h);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('agrees with tldts on hosts made of labels from the list and others', () => {
    const labels = [...new Set(asciiRules.flatMap((r) => r.replace(/^!/, '').split('.')))].filter((l) => l !== '*');
    const label = fc.oneof(fc.constantFrom(...labels), fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/));
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 5 }), (parts) => {
        const host = parts.join('.');
        // An IP address (0.0.0.0, say) is never looked up: the RP ID checks refuse it first (rp-id.ts).
        fc.pre(!isIpAddress(host));
        expect(ours(host)).toEqual(reference(host));
      }),
      { numRuns: 2000 },
    );
  });

  it('takes an exception over the wildcard it cuts out of, and the longest rule otherwise', () => {
    expect(list.publicSuffix('www.ck')).toBe('ck');
    expect(list.registrableDomain('www.ck')).toBe('www.ck');
    expect(list.publicSuffix('shop.ck')).toBe('shop.ck');
    expect(list.registrableDomain('shop.ck')).toBeUndefined();
    expect(list.registrableDomain('login.example.co.uk')).toBe('example.co.uk');
    expect(list.registrableDomain('alice.github.io')).toBe('alice.github.io');
    expect(list.registrableDomain('github.io')).toBeUndefined();
    // No rule: the implicit "*" makes the last label the suffix.
    expect(list.registrableDomain('a.b.localhost')).toBe('b.localhost');
  });

  it('tells IP addresses as the URL standard parses them', () => {
    for (const ip of ['192.0.2.1', '[2001:db8::1]', '10.0.0.0x1f', '1.2.3.077']) expect(isIpAddress(ip)).toBe(true);
    for (const host of ['example.com', '1.example', 'a1.com']) expect(isIpAddress(host)).toBe(false);
  });
});

describe('reading the list', () => {
  afterEach(() => setPublicSuffixSource(async () => publicSuffixListText()));

  it('reads it once, and tries again after a failed read', async () => {
    let reads = 0;
    setPublicSuffixSource(async () => {
      reads++;
      if (reads === 1) throw new Error('not yet');
      return 'com:example';
    });
    await expect(publicSuffixList()).rejects.toThrow('not yet');
    const first = await publicSuffixList();
    expect(await publicSuffixList()).toBe(first);
    expect(reads).toBe(2);
    expect(first.registrableDomain('example.com')).toBeUndefined();
    expect(first.registrableDomain('a.example.com')).toBe('a.example.com');
  });
});
