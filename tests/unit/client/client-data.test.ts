import { describe, expect, it } from 'vitest';
import { ccdToString, clientDataHash, collectClientData, serializeClientData } from '../../../src/client/client-data';
import { toBase64url } from '../../../src/protocol/base64url';
import { sha256 } from '@noble/hashes/sha2.js';
import { hex, VECTORS } from './vectors';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('clientDataJSON serialization (L3 §5.8.1.1)', () => {
  it('matches the §16.2 authentication test vector byte for byte', () => {
    const data = collectClientData({
      type: 'webauthn.get',
      challenge: toBase64url(hex(VECTORS.noneGet.challenge)),
      origin: 'https://example.org',
      topOrigin: 'https://example.org',
      sameOriginWithAncestors: true,
    });
    expect(serializeClientData(data)).toEqual(hex(VECTORS.noneGet.clientDataJSON));
  });

  it('matches the §16.5 cross-origin test vector, with topOrigin after crossOrigin', () => {
    const data = collectClientData({
      type: 'webauthn.create',
      challenge: toBase64url(hex(VECTORS.topOriginCreate.challenge)),
      origin: 'https://example.org',
      topOrigin: 'https://example.com',
      sameOriginWithAncestors: false,
    });
    expect(serializeClientData(data)).toEqual(hex(VECTORS.topOriginCreate.clientDataJSON));
  });

  it('matches the §16.2 registration vector, serializing extra members after the fixed ones', () => {
    const bytes = serializeClientData({
      type: 'webauthn.create',
      challenge: toBase64url(hex(VECTORS.noneCreate.challenge)),
      origin: 'https://example.org',
      crossOrigin: false,
      extraData: VECTORS.noneCreate.extraData,
    });
    expect(bytes).toEqual(hex(VECTORS.noneCreate.clientDataJSON));
  });

  it('omits topOrigin when the caller is same-origin with its ancestors', () => {
    const data = collectClientData({
      type: 'webauthn.get',
      challenge: 'AAAA',
      origin: 'https://a.example',
      topOrigin: 'https://b.example',
      sameOriginWithAncestors: true,
    });
    expect(data.topOrigin).toBeUndefined();
    expect(text(serializeClientData(data))).toBe('{"type":"webauthn.get","challenge":"AAAA","origin":"https://a.example","crossOrigin":false}');
  });

  it('round-trips through JSON.parse to the same members', () => {
    const data = collectClientData({
      type: 'webauthn.create',
      challenge: 'x-_y',
      origin: 'https://frame.example:8443',
      topOrigin: 'https://top.example',
      sameOriginWithAncestors: false,
    });
    expect(JSON.parse(text(serializeClientData(data)))).toEqual({
      type: 'webauthn.create',
      challenge: 'x-_y',
      origin: 'https://frame.example:8443',
      crossOrigin: true,
      topOrigin: 'https://top.example',
    });
  });

  it('escapes with CCDToString: quote, backslash and control characters, nothing else', () => {
    expect(ccdToString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(ccdToString('\u0000\u001f\n')).toBe('"\\u0000\\u001f\\u000a"');
    // JSON.stringify would escape nothing here either, but would write \n, not \u000a.
    expect(ccdToString('/\u007f\u00e9\u2028😀')).toBe('"/\u007f\u00e9\u2028😀"');
    for (const s of ['plain', 'a"b', 'back\\slash', 'ctl\u0001\t', 'ünï😀']) expect(JSON.parse(ccdToString(s))).toBe(s);
  });

  it('hashes clientDataJSON with SHA-256', async () => {
    const bytes = hex(VECTORS.noneGet.clientDataJSON);
    expect(await clientDataHash(bytes)).toEqual(sha256(bytes));
  });
});
