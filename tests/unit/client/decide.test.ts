import { describe, expect, it } from 'vitest';
import { decideAfterAuthenticator, decideBeforeUi, isNeverSite } from '../../../src/client/decide';
import type { PublicKeyCredentialHint } from '../../../src/client/options';

const site = { rpId: 'example.com', origin: 'https://login.example.com' };
const base = { site, hints: [] as PublicKeyCredentialHint[], userVerification: 'preferred' as const, userVerificationAvailable: false };

describe('serve or fall back, before any UI', () => {
  it('serves a plain request', () => {
    expect(decideBeforeUi(base)).toEqual({ kind: 'serve' });
  });

  it.each<[PublicKeyCredentialHint[], string]>([
    [['security-key'], 'fallback'],
    [['hybrid'], 'fallback'],
    [['security-key', 'client-device'], 'fallback'],
    [['hybrid', 'client-device'], 'fallback'],
    [['client-device', 'security-key'], 'serve'],
    [['client-device', 'hybrid'], 'serve'],
    [['client-device'], 'serve'],
  ])('with hints %j it decides %s', (hints, kind) => {
    expect(decideBeforeUi({ ...base, hints }).kind).toBe(kind);
  });

  it('falls back for a cross-platform attachment and serves a platform one', () => {
    expect(decideBeforeUi({ ...base, authenticatorAttachment: 'cross-platform' })).toEqual({ kind: 'fallback', hints: [] });
    expect(decideBeforeUi({ ...base, authenticatorAttachment: 'platform' }).kind).toBe('serve');
  });

  it('falls back when user verification is required and Latchkey has no PIN', () => {
    expect(decideBeforeUi({ ...base, userVerification: 'required' })).toEqual({ kind: 'fallback', hints: [] });
    expect(decideBeforeUi({ ...base, userVerification: 'required', userVerificationAvailable: true }).kind).toBe('serve');
    expect(decideBeforeUi({ ...base, userVerification: 'discouraged' }).kind).toBe('serve');
  });

  it('falls back when the user offers the browser first', () => {
    expect(decideBeforeUi({ ...base, browserFirst: true })).toEqual({ kind: 'fallback', hints: [] });
    expect(decideBeforeUi({ ...base, browserFirst: false }).kind).toBe('serve');
  });

  it('falls back for a site on the never list, by RP ID, origin or predicate', () => {
    expect(decideBeforeUi({ ...base, never: ['example.com'] }).kind).toBe('fallback');
    expect(decideBeforeUi({ ...base, never: ['https://login.example.com'] }).kind).toBe('fallback');
    expect(decideBeforeUi({ ...base, never: ['other.example'] }).kind).toBe('serve');
    expect(decideBeforeUi({ ...base, never: (s) => s.rpId.endsWith('example.com') }).kind).toBe('fallback');
    expect(isNeverSite(undefined, site)).toBe(false);
    expect(isNeverSite([], site)).toBe(false);
  });
});

describe('serve or fall back, after the authenticator', () => {
  it('falls back without hints when there is no credential or an unsupported option', () => {
    expect(decideAfterAuthenticator({ kind: 'error', code: 'NoCredentials', message: '' })).toEqual({ kind: 'fallback', hints: [] });
    expect(decideAfterAuthenticator({ kind: 'error', code: 'UnsupportedOption', message: '' })).toEqual({ kind: 'fallback', hints: [] });
  });

  it('falls back, rather than NotSupportedError, when the authenticator can make a key for none of the algorithms (RS256 only, without WebCrypto RSA)', () => {
    expect(decideAfterAuthenticator({ kind: 'error', code: 'UnsupportedAlgorithm', message: '' })).toEqual({ kind: 'fallback', hints: [] });
  });

  it("falls back with the user's choice of device as the hint", () => {
    expect(decideAfterAuthenticator({ kind: 'fallback', hint: 'hybrid' })).toEqual({ kind: 'fallback', hints: ['hybrid'] });
    expect(decideAfterAuthenticator({ kind: 'fallback', hint: 'security-key' })).toEqual({ kind: 'fallback', hints: ['security-key'] });
  });

  it('leaves success and other errors to the ceremony', () => {
    expect(decideAfterAuthenticator({ kind: 'ok', value: 1 })).toBeUndefined();
    expect(decideAfterAuthenticator({ kind: 'error', code: 'OperationDenied', message: '' })).toBeUndefined();
    expect(decideAfterAuthenticator({ kind: 'error', code: 'CredentialExcluded', message: '' })).toBeUndefined();
  });
});
