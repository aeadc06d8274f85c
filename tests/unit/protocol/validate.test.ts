import { describe, expect, it } from 'vitest';
import {
  validateCreationOptionsJSON,
  validateHeartbeat,
  validatePageAbort,
  validatePageRequest,
  validatePromptMessage,
  validateRelayMessage,
  validateRelayRequest,
  validateRequestOptionsJSON,
} from '../../../src/protocol/validate';

const creation = () => ({
  rp: { id: 'example.com', name: 'Example' },
  user: { id: 'AQID', name: 'alice', displayName: 'Alice' },
  challenge: 'AAECAwQFBgc',
  pubKeyCredParams: [
    { type: 'public-key', alg: -7 },
    { type: 'public-key', alg: '-257' },
  ],
  timeout: 60000,
  excludeCredentials: [{ type: 'public-key', id: 'AQID', transports: ['internal'] }],
  authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred', authenticatorAttachment: 'platform' },
  hints: ['client-device'],
  attestation: 'none',
  attestationFormats: ['packed'],
  extensions: { credProps: true },
});

const request = () => ({
  challenge: 'AAECAwQFBgc',
  timeout: 60000,
  rpId: 'example.com',
  allowCredentials: [{ type: 'public-key', id: 'AQID' }],
  userVerification: 'preferred',
  hints: ['security-key'],
  extensions: {},
});

const frame = { createAllowed: true, getAllowed: true, transientActivation: false, policyKnown: true, secureContext: true };

function set(o: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  let at: Record<string, unknown> = o;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  if (value === undefined) delete at[keys[keys.length - 1]!];
  else at[keys[keys.length - 1]!] = value;
  return o;
}

describe('creation options JSON', () => {
  it('accepts a complete, well-typed options object unchanged', () => {
    expect(validateCreationOptionsJSON(creation())).toEqual({ ok: true, value: creation() });
  });

  it('accepts the minimal required members', () => {
    const minimal = { rp: { name: 'x' }, user: { id: 'AQ', name: 'a', displayName: 'A' }, challenge: 'AQ', pubKeyCredParams: [] };
    expect(validateCreationOptionsJSON(minimal)).toEqual({ ok: true, value: minimal });
  });

  it('drops members it does not know', () => {
    const r = validateCreationOptionsJSON({ ...creation(), __proto__evil: 1, rp: { name: 'x', icon: 'y' } });
    expect(r.ok && Object.keys(r.value)).not.toContain('__proto__evil');
    expect(r.ok && r.value.rp).toEqual({ name: 'x' });
  });

  it.each<[string, unknown]>([
    ['rp', undefined],
    ['rp.name', undefined],
    ['rp.name', 5],
    ['rp.id', null],
    ['user.id', 'not base64url!'],
    ['user.id', undefined],
    ['user.name', ['alice']],
    ['user.displayName', undefined],
    ['challenge', 'a'],
    ['challenge', 12],
    ['pubKeyCredParams', { type: 'public-key', alg: -7 }],
    ['pubKeyCredParams', [{ type: 'public-key', alg: null }]],
    ['pubKeyCredParams', [{ type: 'public-key', alg: Number.NaN }]],
    ['pubKeyCredParams', [{ alg: -7 }]],
    ['timeout', '60000'],
    ['timeout', Number.POSITIVE_INFINITY],
    ['excludeCredentials', [{ type: 'public-key', id: '%%' }]],
    ['excludeCredentials', [{ type: 'public-key', id: 'AQID', transports: 'usb' }]],
    ['authenticatorSelection', 'platform'],
    ['authenticatorSelection.requireResidentKey', 'true'],
    ['authenticatorSelection.residentKey', 1],
    ['hints', 'security-key'],
    ['hints', [1]],
    ['attestation', true],
    ['attestationFormats', [null]],
    ['extensions', []],
    ['extensions.credProps', 'yes'],
  ])('rejects %s = %j', (path, value) => {
    const r = validateCreationOptionsJSON(set(creation(), path, value));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(path.split('.')[0]);
  });

  it('rejects something that is not an object', () => {
    for (const x of [null, undefined, 'options', 42, []]) expect(validateCreationOptionsJSON(x).ok).toBe(false);
  });

  it('keeps unknown enum strings: the client ignores them, not the validator', () => {
    const r = validateCreationOptionsJSON(set(creation(), 'attestation', 'galactic'));
    expect(r.ok && r.value.attestation).toBe('galactic');
  });
});

describe('request options JSON', () => {
  it('accepts a complete options object unchanged', () => {
    expect(validateRequestOptionsJSON(request())).toEqual({ ok: true, value: request() });
  });

  it.each<[string, unknown]>([
    ['challenge', undefined],
    ['rpId', 3],
    ['allowCredentials', [{ type: 'public-key' }]],
    ['allowCredentials', [{ type: 'public-key', id: 'a' }]],
    ['userVerification', false],
    ['timeout', -Infinity],
    ['extensions', 'credProps'],
  ])('rejects %s = %j', (path, value) => {
    expect(validateRequestOptionsJSON(set(request(), path, value)).ok).toBe(false);
  });
});

describe('relay request', () => {
  it('accepts a create with frame facts', () => {
    const msg = { type: 'create', options: creation(), frame };
    expect(validateRelayRequest(msg)).toEqual({ ok: true, value: msg });
  });

  it('accepts a get with its mediation', () => {
    const msg = { type: 'get', options: request(), mediation: 'conditional', frame };
    expect(validateRelayRequest(msg)).toEqual({ ok: true, value: msg });
  });

  it('rejects a get without a known mediation', () => {
    expect(validateRelayRequest({ type: 'get', options: request(), frame }).ok).toBe(false);
    expect(validateRelayRequest({ type: 'get', options: request(), mediation: 'loud', frame }).ok).toBe(false);
  });

  it('rejects missing or mistyped frame facts', () => {
    expect(validateRelayRequest({ type: 'create', options: creation() }).ok).toBe(false);
    expect(validateRelayRequest({ type: 'create', options: creation(), frame: { ...frame, transientActivation: 'yes' } }).ok).toBe(false);
  });

  it("carries the frame's secure-context fact and ancestor origins, and rejects them mistyped", () => {
    const msg = { type: 'get', options: request(), mediation: 'optional', frame: { ...frame, ancestorOrigins: ['null', 'https://top.test'] } };
    expect(validateRelayRequest(msg)).toEqual({ ok: true, value: msg });
    const { secureContext: _, ...noSecureContext } = frame;
    expect(validateRelayRequest({ ...msg, frame: noSecureContext }).ok).toBe(false);
    expect(validateRelayRequest({ ...msg, frame: { ...frame, ancestorOrigins: [1] } }).ok).toBe(false);
    expect(validateRelayRequest({ ...msg, frame: { ...frame, ancestorOrigins: 'https://top.test' } }).ok).toBe(false);
  });

  it("accepts a statics question, which carries no options", () => {
    expect(validateRelayRequest({ type: 'statics', frame })).toEqual({ ok: true, value: { type: 'statics', frame } });
  });

  it('accepts a signal with exactly its members as strings (base64url is the client\'s to check), and rejects other shapes', () => {
    const msg = { type: 'signal', method: 'signalAllAcceptedCredentials', options: { allAcceptedCredentialIds: ['Ag', 'x y'], rpId: 'example.com', userId: 'AQ' }, frame };
    expect(validateRelayRequest(msg)).toEqual({ ok: true, value: msg });
    const details = { type: 'signal', method: 'signalCurrentUserDetails', options: { displayName: 'A', name: 'a', rpId: 'example.com', userId: 'AQ', extra: 1 }, frame };
    expect(validateRelayRequest(details)).toEqual({ ok: true, value: { ...details, options: { displayName: 'A', name: 'a', rpId: 'example.com', userId: 'AQ' } } });
    for (const bad of [
      { type: 'signal', method: 'signalEverything', options: { rpId: 'example.com' }, frame },
      { type: 'signal', method: 'signalUnknownCredential', options: { rpId: 'example.com' }, frame },
      { type: 'signal', method: 'signalUnknownCredential', options: { rpId: 'example.com', credentialId: 5 }, frame },
      { type: 'signal', method: 'signalAllAcceptedCredentials', options: { rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: 'Ag' }, frame },
    ]) {
      expect(validateRelayRequest(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('rejects an unknown type and get options under create', () => {
    expect(validateRelayRequest({ type: 'store', options: creation(), frame }).ok).toBe(false);
    expect(validateRelayRequest({ type: 'create', options: request(), frame }).ok).toBe(false);
  });

  it('validates a page request without frame facts', () => {
    expect(validatePageRequest({ type: 'create', options: creation() }).ok).toBe(true);
  });

  it('tells apart heartbeats, aborts and requests on the ceremony port', () => {
    expect(validateRelayMessage({ type: 'heartbeat' })).toEqual({ ok: true, value: { type: 'heartbeat' } });
    expect(validateRelayMessage({ type: 'abort' })).toEqual({ ok: true, value: { type: 'abort' } });
    expect(validateRelayMessage({ type: 'get', options: request(), mediation: 'optional', frame }).ok).toBe(true);
    expect(validateRelayMessage({ type: 'ping' }).ok).toBe(false);
    expect(validateRelayMessage(null).ok).toBe(false);
  });
});

describe('heartbeat and abort', () => {
  it('accepts only their own type', () => {
    expect(validateHeartbeat({ type: 'heartbeat', extra: 1 })).toEqual({ ok: true, value: { type: 'heartbeat' } });
    expect(validateHeartbeat({ type: 'abort' }).ok).toBe(false);
    expect(validatePageAbort({ type: 'abort' })).toEqual({ ok: true, value: { type: 'abort' } });
    expect(validatePageAbort('abort').ok).toBe(false);
  });
});

describe('prompt messages', () => {
  it.each([
    { type: 'hello', ceremonyId: 'c-123' },
    { type: 'heartbeat' },
    { type: 'answer', answer: { kind: 'cancel' } },
    { type: 'answer', answer: { kind: 'other-device' } },
    { type: 'answer', answer: { kind: 'security-key' } },
    { type: 'answer', answer: { kind: 'approve' } },
    { type: 'answer', answer: { kind: 'approve', friendlyName: 'Work laptop', credentialId: 'AQID' } },
  ])('accepts %j', (msg) => {
    expect(validatePromptMessage(msg)).toEqual({ ok: true, value: msg });
  });

  it.each([
    { type: 'hello' },
    { type: 'hello', ceremonyId: 7 },
    { type: 'answer' },
    { type: 'answer', answer: { kind: 'maybe' } },
    { type: 'answer', answer: { kind: 'approve', credentialId: '!!' } },
    { type: 'answer', answer: { kind: 'approve', friendlyName: 3 } },
    { type: 'show' },
    'hello',
  ])('rejects %j', (msg) => {
    expect(validatePromptMessage(msg).ok).toBe(false);
  });

  it('drops approve-only members from other answers', () => {
    expect(validatePromptMessage({ type: 'answer', answer: { kind: 'cancel', credentialId: 'AQID' } })).toEqual({
      ok: true,
      value: { type: 'answer', answer: { kind: 'cancel' } },
    });
  });
});
