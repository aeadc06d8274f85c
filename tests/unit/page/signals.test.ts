import { describe, expect, it } from 'vitest';
import { readSignal } from '../../../src/page/signals';

describe('readSignal (L3 §5.1.10 WebIDL)', () => {
  it('converts each required member, in WebIDL order, reading each once', () => {
    const read: string[] = [];
    const options = new Proxy({ rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: new Set(['Ag', 3]) }, {
      get: (target, key: string) => (read.push(key), target[key as keyof typeof target]),
    });
    expect(readSignal('signalAllAcceptedCredentials', options)).toEqual({
      type: 'signal',
      method: 'signalAllAcceptedCredentials',
      options: { allAcceptedCredentialIds: ['Ag', '3'], rpId: 'example.com', userId: 'AQ' },
    });
    expect(read).toEqual(['allAcceptedCredentialIds', 'rpId', 'userId']);
    expect(readSignal('signalCurrentUserDetails', { rpId: 'a.example', userId: 'AQ', name: 7, displayName: 'Ada' }).options).toEqual({
      displayName: 'Ada', name: '7', rpId: 'a.example', userId: 'AQ',
    });
  });

  it('throws a TypeError for a missing member, a non-object, a symbol, or a list that is not a sequence', () => {
    for (const [method, options] of [
      ['signalUnknownCredential', { rpId: 'example.com' }],
      ['signalUnknownCredential', undefined],
      ['signalUnknownCredential', 'rpId'],
      ['signalUnknownCredential', { rpId: 'example.com', credentialId: Symbol('x') }],
      ['signalAllAcceptedCredentials', { rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: 'Ag' }],
      ['signalCurrentUserDetails', { rpId: 'example.com', userId: 'AQ', name: 'ada' }],
    ] as const) {
      expect(() => readSignal(method, options), `${method} ${String(options)}`).toThrow(TypeError);
    }
  });
});
