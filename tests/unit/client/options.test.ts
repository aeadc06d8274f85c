import { describe, expect, it } from 'vitest';
import {
  attestationFormat,
  coerceAlg,
  effectiveResidentKey,
  effectiveUserVerification,
  parseCreationOptions,
  parseRequestOptions,
  selectAlgorithms,
  type CreationOptions,
} from '../../../src/client/options';
import { toCeremonyError } from '../../../src/client/errors';
import { toBase64url } from '../../../src/protocol/base64url';
import type { PublicKeyCredentialCreationOptionsJSON } from '../../../src/protocol/webauthn-json';

function creation(overrides: Partial<PublicKeyCredentialCreationOptionsJSON> = {}): PublicKeyCredentialCreationOptionsJSON {
  return {
    rp: { name: 'Example' },
    user: { id: toBase64url(new Uint8Array([1, 2, 3])), name: 'alice', displayName: 'Alice' },
    challenge: toBase64url(new Uint8Array(32).fill(7)),
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    ...overrides,
  };
}

function parsed(json: PublicKeyCredentialCreationOptionsJSON): CreationOptions {
  const r = parseCreationOptions(json);
  if (!r.ok) throw new Error(`unexpected failure ${r.failure.code}`);
  return r.value;
}

function errorName(json: PublicKeyCredentialCreationOptionsJSON): string | undefined {
  const r = parseCreationOptions(json);
  return r.ok ? undefined : toCeremonyError(r.failure).name;
}

describe('creation options', () => {
  it('decodes the binary members', () => {
    const o = parsed(creation());
    expect(o.user.id).toEqual(new Uint8Array([1, 2, 3]));
    expect(o.challenge).toEqual(new Uint8Array(32).fill(7));
  });

  it.each([0, 65])('rejects a user.id of %i bytes with TypeError', (n) => {
    expect(errorName(creation({ user: { id: toBase64url(new Uint8Array(n)), name: 'a', displayName: 'A' } }))).toBe('TypeError');
  });

  it.each([1, 64])('accepts a user.id of %i bytes', (n) => {
    expect(parsed(creation({ user: { id: toBase64url(new Uint8Array(n)), name: 'a', displayName: 'A' } })).user.id.length).toBe(n);
  });

  it('rejects a missing rp.name with TypeError', () => {
    const json = creation();
    const { name: _dropped, ...rp } = json.rp;
    expect(errorName({ ...json, rp: rp as PublicKeyCredentialCreationOptionsJSON['rp'] })).toBe('TypeError');
  });

  it('rejects a challenge that is not base64url with TypeError', () => {
    expect(errorName(creation({ challenge: 'not base64url!' }))).toBe('TypeError');
  });

  it('keeps rp.id absent when the RP gives none, for the caller to default', () => {
    expect(parsed(creation()).rpId).toBeUndefined();
    expect(parsed(creation({ rp: { id: 'example.com', name: 'Example' } })).rpId).toBe('example.com');
  });

  it('defaults empty pubKeyCredParams to ES256 then RS256', () => {
    expect(selectAlgorithms([])).toEqual([-7, -257]);
  });

  it("keeps the RP's order of the algorithms Latchkey supports", () => {
    expect(
      selectAlgorithms([
        { type: 'public-key', alg: -257 },
        { type: 'public-key', alg: -35 },
        { type: 'public-key', alg: -8 },
        { type: 'public-key', alg: -7 },
      ]),
    ).toEqual([-257, -8, -7]);
  });

  it("ignores entries whose type is not 'public-key'", () => {
    expect(selectAlgorithms([{ type: 'password', alg: -7 }, { type: 'public-key', alg: -8 }])).toEqual([-8]);
    expect(selectAlgorithms([{ type: 'password', alg: -7 }])).toEqual([]);
  });

  it('coerces KeycloakJS-style string algorithms to numbers', () => {
    expect(selectAlgorithms([{ type: 'public-key', alg: '-7' }, { type: 'public-key', alg: '-257' }])).toEqual([-7, -257]);
    expect(coerceAlg('-8')).toBe(-8);
    expect(coerceAlg('ES256')).toBeUndefined();
    expect(coerceAlg('')).toBeUndefined();
  });

  it('leaves no algorithm when none is supported (the ceremony answers NotSupportedError)', () => {
    expect(parsed(creation({ pubKeyCredParams: [{ type: 'public-key', alg: -35 }] })).algorithms).toEqual([]);
  });

  it('treats unknown enum strings as absent', () => {
    const o = parsed(
      creation({
        attestation: 'everything',
        hints: ['quantum', 'client-device'],
        authenticatorSelection: { residentKey: 'maybe', userVerification: 'sometimes', authenticatorAttachment: 'glued', requireResidentKey: true },
      }),
    );
    expect(o.attestation).toBe('none');
    expect(o.hints).toEqual(['client-device']);
    expect(o.residentKey).toBeUndefined();
    expect(o.userVerification).toBe('preferred');
    expect(o.authenticatorAttachment).toBeUndefined();
    // with residentKey unknown, requireResidentKey decides
    expect(effectiveResidentKey(o)).toBe(true);
  });

  it('falls back to requireResidentKey only when residentKey is absent', () => {
    expect(effectiveResidentKey({ residentKey: undefined, requireResidentKey: false })).toBe(false);
    expect(effectiveResidentKey({ residentKey: undefined, requireResidentKey: true })).toBe(true);
    expect(effectiveResidentKey({ residentKey: 'discouraged', requireResidentKey: true })).toBe(false);
    expect(effectiveResidentKey({ residentKey: 'preferred', requireResidentKey: false })).toBe(true);
    expect(effectiveResidentKey({ residentKey: 'required', requireResidentKey: false })).toBe(true);
  });

  it('asks for packed attestation only for direct or enterprise', () => {
    expect(attestationFormat('direct')).toBe('packed');
    expect(attestationFormat('enterprise')).toBe('packed');
    expect(attestationFormat('indirect')).toBe('none');
    expect(attestationFormat('none')).toBe('none');
  });

  it('requires user verification for preferred only when the authenticator can verify', () => {
    expect(effectiveUserVerification('preferred', false)).toBe(false);
    expect(effectiveUserVerification('preferred', true)).toBe(true);
    expect(effectiveUserVerification('required', false)).toBe(true);
    expect(effectiveUserVerification('discouraged', true)).toBe(false);
  });

  it('decodes excludeCredentials ids of type public-key only', () => {
    const o = parsed(
      creation({
        excludeCredentials: [
          { type: 'public-key', id: toBase64url(new Uint8Array([9])) },
          { type: 'other', id: toBase64url(new Uint8Array([8])) },
        ],
      }),
    );
    expect(o.excludeCredentialIds).toEqual([new Uint8Array([9])]);
  });

  it('reads credProps only when it is true', () => {
    expect(parsed(creation({ extensions: { credProps: true } })).credProps).toBe(true);
    expect(parsed(creation({ extensions: { credProps: false, unknownExt: 1 } })).credProps).toBe(false);
    expect(parsed(creation()).credProps).toBe(false);
  });
});

describe('request options', () => {
  it('defaults userVerification to preferred and decodes allowCredentials', () => {
    const r = parseRequestOptions({
      challenge: toBase64url(new Uint8Array([1, 2])),
      allowCredentials: [{ type: 'public-key', id: toBase64url(new Uint8Array([5, 6])) }],
    });
    expect(r).toEqual({
      ok: true,
      value: {
        rpId: undefined,
        challenge: new Uint8Array([1, 2]),
        allowCredentialIds: [new Uint8Array([5, 6])],
        userVerification: 'preferred',
        hints: [],
        timeout: undefined,
        appid: false,
      },
    });
  });

  it('accepts padded base64url as L3 parseRequestOptionsFromJSON does', () => {
    const r = parseRequestOptions({ challenge: 'AQI=' });
    expect(r.ok && r.value.challenge).toEqual(new Uint8Array([1, 2]));
  });

  it('rejects an allowCredentials id that is not base64url with TypeError', () => {
    const r = parseRequestOptions({ challenge: 'AQI', allowCredentials: [{ type: 'public-key', id: '***' }] });
    expect(r.ok ? undefined : toCeremonyError(r.failure).name).toBe('TypeError');
  });
});
