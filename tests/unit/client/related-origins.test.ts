import { describe, expect, it } from 'vitest';
import {
  isListedRelatedOrigin,
  MAX_RELATED_ORIGIN_LABELS,
  parseWellKnownWebauthn,
  registrableOriginLabel,
  wellKnownWebauthnUrl,
} from '../../../src/client/related-origins';
import { publicSuffixList } from '../../../src/client/public-suffix';
import { resolveRpIdWithRelatedOrigins } from '../../../src/client/rp-id';

const suffixes = await publicSuffixList();

describe('the webauthn well-known document (L3 §5.11)', () => {
  it('lives at https://<rpId>/.well-known/webauthn', () => {
    expect(wellKnownWebauthnUrl('example.com')).toBe('https://example.com/.well-known/webauthn');
  });

  it('reads the origins list of a JSON object', () => {
    expect(parseWellKnownWebauthn('{"origins":["https://example.co.uk","https://example.de"]}')).toEqual([
      'https://example.co.uk',
      'https://example.de',
    ]);
    expect(parseWellKnownWebauthn('{"origins":[],"other":1}')).toEqual([]);
  });

  it.each([
    ['not JSON', 'origins: https://a.example'],
    ['an array', '["https://a.example"]'],
    ['no origins member', '{"related":["https://a.example"]}'],
    ['origins that is not a list', '{"origins":"https://a.example"}'],
    ['a list with a non-string', '{"origins":["https://a.example",1]}'],
    ['null', 'null'],
  ])('fails the procedure for %s', (_, body) => {
    expect(parseWellKnownWebauthn(body)).toBeUndefined();
  });
});

describe('registrable origin label', () => {
  it.each([
    ['www.example.com', 'example'],
    ['example.co.uk', 'example'],
    ['shop.example.co.uk', 'example'],
    ['user.github.io', 'user'],
  ])('of %s is %s', (domain, label) => {
    expect(registrableOriginLabel(suffixes, domain)).toBe(label);
  });

  it('is undefined for a public suffix or an IP address', () => {
    expect(registrableOriginLabel(suffixes, 'co.uk')).toBeUndefined();
    expect(registrableOriginLabel(suffixes, 'github.io')).toBeUndefined();
    expect(registrableOriginLabel(suffixes, '192.0.2.1')).toBeUndefined();
  });
});

describe('the related origins validation procedure (L3 §5.11.1)', () => {
  it('succeeds for a listed origin, compared as an origin (path and trailing slash ignored)', () => {
    expect(isListedRelatedOrigin(suffixes, ['https://example.co.uk/'], 'https://example.co.uk')).toBe(true);
    expect(isListedRelatedOrigin(suffixes, ['https://example.co.uk/login'], 'https://example.co.uk')).toBe(true);
  });

  it('fails for an origin that differs in scheme, host or port', () => {
    const listed = ['https://example.co.uk'];
    expect(isListedRelatedOrigin(suffixes, listed, 'http://example.co.uk')).toBe(false);
    expect(isListedRelatedOrigin(suffixes, listed, 'https://www.example.co.uk')).toBe(false);
    expect(isListedRelatedOrigin(suffixes, listed, 'https://example.co.uk:8443')).toBe(false);
  });

  it('skips entries that are not URLs, have no host, or whose host has no registrable domain', () => {
    const listed = ['not a url', 'data:text/plain,hi', 'https://co.uk', 'https://example.de'];
    expect(isListedRelatedOrigin(suffixes, listed, 'https://example.de')).toBe(true);
  });

  it(`counts at most ${MAX_RELATED_ORIGIN_LABELS} distinct labels: an origin with a sixth label is not considered`, () => {
    const five = ['https://a.com', 'https://b.com', 'https://c.com', 'https://d.com', 'https://e.com'];
    expect(isListedRelatedOrigin(suffixes, [...five, 'https://f.com'], 'https://f.com')).toBe(false);
    expect(isListedRelatedOrigin(suffixes, [...five, 'https://f.com'], 'https://e.com')).toBe(true);
  });

  it('still matches, past the limit, origins whose label was already seen', () => {
    const five = ['https://a.com', 'https://b.com', 'https://c.com', 'https://d.com', 'https://e.com'];
    expect(isListedRelatedOrigin(suffixes, [...five, 'https://f.com', 'https://a.de'], 'https://a.de')).toBe(true);
    expect(isListedRelatedOrigin(suffixes, [...five, 'https://shop.b.co.uk'], 'https://shop.b.co.uk')).toBe(true);
  });

  it('counts one label for many origins that share it (example.com, example.de, ...)', () => {
    const sameLabel = ['https://example.com', 'https://example.de', 'https://example.fr', 'https://example.it', 'https://example.es', 'https://example.nl'];
    expect(isListedRelatedOrigin(suffixes, [...sameLabel, 'https://other.com'], 'https://other.com')).toBe(true);
  });

  it('takes its limit as a parameter', () => {
    expect(isListedRelatedOrigin(suffixes, ['https://a.com', 'https://b.com'], 'https://b.com', 1)).toBe(false);
  });
});

describe('resolveRpIdWithRelatedOrigins (L3 §5.1.4.1 step 7 with §5.11)', () => {
  const lists = (origins: readonly string[] | undefined) => {
    const asked: string[] = [];
    const source = async (rpId: string) => {
      asked.push(rpId);
      return origins;
    };
    return { asked, source };
  };

  it('does not fetch when the RP ID is the origin\'s own domain or a registrable suffix of it', async () => {
    const { asked, source } = lists(['https://example.co.uk']);
    expect(await resolveRpIdWithRelatedOrigins('https://login.example.com', 'example.com', source)).toEqual({ ok: true, value: 'example.com' });
    expect(await resolveRpIdWithRelatedOrigins('https://login.example.com', undefined, source)).toEqual({ ok: true, value: 'login.example.com' });
    expect(asked).toEqual([]);
  });

  it('accepts an RP ID that lists the caller, after fetching its document once', async () => {
    const { asked, source } = lists(['https://example.co.uk']);
    expect(await resolveRpIdWithRelatedOrigins('https://example.co.uk', 'example.com', source)).toEqual({ ok: true, value: 'example.com' });
    expect(asked).toEqual(['example.com']);
  });

  it('answers SecurityError (InvalidRpId) when the document does not list the caller, or cannot be read', async () => {
    for (const origins of [['https://example.de'], undefined]) {
      const { source } = lists(origins);
      const checked = await resolveRpIdWithRelatedOrigins('https://example.co.uk', 'example.com', source);
      expect(checked).toEqual({ ok: false, failure: { code: 'InvalidRpId' } });
    }
  });

  it('never fetches for an RP ID that is not a valid domain (an IP address, a public suffix)', async () => {
    const { asked, source } = lists(['https://example.co.uk']);
    for (const rpId of ['192.0.2.1', 'co.uk', 'Example.com', 'example.com.']) {
      expect((await resolveRpIdWithRelatedOrigins('https://example.co.uk', rpId, source)).ok).toBe(false);
    }
    expect(asked).toEqual([]);
  });

  it('keeps other failures (an opaque origin) without fetching', async () => {
    const { asked, source } = lists(['null']);
    expect(await resolveRpIdWithRelatedOrigins('null', 'example.com', source)).toEqual({ ok: false, failure: { code: 'OpaqueOrigin' } });
    expect(asked).toEqual([]);
  });
});
