import { describe, expect, it } from 'vitest';
import { validateAutofillMessage } from '../../../src/protocol/autofill';

describe('validateAutofillMessage', () => {
  it('accepts hello, other, dismiss, heartbeat and a pick with a base64url id, keeping known members only', () => {
    expect(validateAutofillMessage({ type: 'hello', key: 'a-B_9', extra: 1 })).toEqual({ ok: true, value: { type: 'hello', key: 'a-B_9' } });
    expect(validateAutofillMessage({ type: 'another-device' })).toEqual({ ok: true, value: { type: 'another-device' } });
    expect(validateAutofillMessage({ type: 'heartbeat' })).toEqual({ ok: true, value: { type: 'heartbeat' } });
    expect(validateAutofillMessage({ type: 'hello', key: '' })).toEqual({ ok: true, value: { type: 'hello', key: '' } });
    expect(validateAutofillMessage({ type: 'dismiss' })).toEqual({ ok: true, value: { type: 'dismiss' } });
    expect(validateAutofillMessage({ type: 'pick', credentialId: 'AQID-_', seen: true, x: 2 })).toEqual({ ok: true, value: { type: 'pick', credentialId: 'AQID-_', seen: true } });
  });

  it('takes a pick that does not say seen: true as one the frame could not prove visible', () => {
    expect(validateAutofillMessage({ type: 'pick', credentialId: 'AQID', seen: 'yes' })).toEqual({ ok: true, value: { type: 'pick', credentialId: 'AQID', seen: false } });
    expect(validateAutofillMessage({ type: 'pick', credentialId: 'AQID' })).toEqual({ ok: true, value: { type: 'pick', credentialId: 'AQID', seen: false } });
  });

  it.each([
    ['null', null],
    ['an array', [{ type: 'hello' }]],
    ['an unknown type', { type: 'approve' }],
    ['a hello without a key', { type: 'hello' }],
    ['a hello with a key that is not base64url', { type: 'hello', key: 'a b' }],
    ['a pick without an id', { type: 'pick' }],
    ['a pick with a non-base64url id', { type: 'pick', credentialId: 'a+b/' }],
    ['a pick with an empty id', { type: 'pick', credentialId: '' }],
  ])('refuses %s', (_, message) => {
    expect(validateAutofillMessage(message).ok).toBe(false);
  });
});
