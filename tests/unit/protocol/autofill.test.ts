import { describe, expect, it } from 'vitest';
import { validateAutofillMessage } from '../../../src/protocol/autofill';

describe('validateAutofillMessage', () => {
  it('accepts hello, other, heartbeat and a pick with a base64url id, keeping known members only', () => {
    expect(validateAutofillMessage({ type: 'hello', extra: 1 })).toEqual({ ok: true, value: { type: 'hello' } });
    expect(validateAutofillMessage({ type: 'other' })).toEqual({ ok: true, value: { type: 'other' } });
    expect(validateAutofillMessage({ type: 'heartbeat' })).toEqual({ ok: true, value: { type: 'heartbeat' } });
    expect(validateAutofillMessage({ type: 'pick', credentialId: 'AQID-_', x: 2 })).toEqual({ ok: true, value: { type: 'pick', credentialId: 'AQID-_' } });
  });

  it.each([
    ['null', null],
    ['an array', [{ type: 'hello' }]],
    ['an unknown type', { type: 'approve' }],
    ['a pick without an id', { type: 'pick' }],
    ['a pick with a non-base64url id', { type: 'pick', credentialId: 'a+b/' }],
    ['a pick with an empty id', { type: 'pick', credentialId: '' }],
  ])('refuses %s', (_, message) => {
    expect(validateAutofillMessage(message).ok).toBe(false);
  });
});
