import { describe, expect, it, vi } from 'vitest';
import { signal } from '../../../src/client/signals';
import type { SignalRequest } from '../../../src/protocol/messages';

const ORIGIN = 'https://login.example.com';
const ID = 'AQIDBA'; // bytes 1 2 3 4

function unknown(options: Partial<SignalRequest['options']> = {}): SignalRequest {
  return { type: 'signal', method: 'signalUnknownCredential', options: { rpId: 'example.com', credentialId: ID, ...options } };
}
function accepted(options: Partial<SignalRequest['options']> = {}): SignalRequest {
  return { type: 'signal', method: 'signalAllAcceptedCredentials', options: { rpId: 'example.com', userId: ID, allAcceptedCredentialIds: [ID], ...options } };
}
function details(options: Partial<SignalRequest['options']> = {}): SignalRequest {
  return { type: 'signal', method: 'signalCurrentUserDetails', options: { rpId: 'example.com', userId: ID, name: 'ada', displayName: 'Ada', ...options } };
}

describe('signal (L3 §5.1.10)', () => {
  it('takes a well-formed signal from an origin valid for its RP ID, and says what to apply', async () => {
    expect(await signal(unknown(), ORIGIN)).toEqual({
      response: { type: 'signaled' },
      signal: { kind: 'unknown', rpId: 'example.com', credentialId: Uint8Array.of(1, 2, 3, 4) },
    });
    expect((await signal(accepted({ allAcceptedCredentialIds: [ID, 'BQY'] }), ORIGIN)).signal).toEqual({
      kind: 'accepted', rpId: 'example.com', userHandle: Uint8Array.of(1, 2, 3, 4), credentialIds: [Uint8Array.of(1, 2, 3, 4), Uint8Array.of(5, 6)],
    });
    expect((await signal(details(), ORIGIN)).signal).toEqual({ kind: 'details', rpId: 'example.com', userHandle: Uint8Array.of(1, 2, 3, 4), name: 'ada', displayName: 'Ada' });
  });

  it('answers TypeError for an id that is not base64url, before the RP ID is looked at', async () => {
    for (const request of [
      unknown({ credentialId: 'not base64url!' }),
      accepted({ userId: '+/==' }),
      accepted({ allAcceptedCredentialIds: [ID, 'a*b'] }),
      details({ userId: 'é', rpId: 'elsewhere.example' }),
    ]) {
      const outcome = await signal(request, ORIGIN);
      expect(outcome.response).toMatchObject({ type: 'error', name: 'TypeError' });
      expect(outcome.signal).toBeUndefined();
    }
  });

  it('answers SecurityError for an RP ID not valid for the caller, as get() does', async () => {
    for (const rpId of ['other.example', 'com', 'evil-example.com', '', 'sub.login.example.com']) {
      const outcome = await signal(unknown({ rpId }), ORIGIN);
      expect(outcome.response, rpId).toMatchObject({ type: 'error', name: 'SecurityError' });
      expect(outcome.signal).toBeUndefined();
    }
  });

  it('takes an RP ID that lists the caller as a related origin', async () => {
    const related = vi.fn(async () => [ORIGIN]);
    expect((await signal(unknown({ rpId: 'example.org' }), ORIGIN, { relatedOrigins: related })).response).toEqual({ type: 'signaled' });
    expect(related).toHaveBeenCalledWith('example.org');
    const none = vi.fn(async () => ['https://else.example']);
    expect((await signal(unknown({ rpId: 'example.org' }), ORIGIN, { relatedOrigins: none })).response).toMatchObject({ name: 'SecurityError' });
  });

  it("hands a site on the never list to the browser's own method, applying nothing", async () => {
    expect(await signal(unknown(), ORIGIN, { neverList: ['example.com'] })).toEqual({ response: { type: 'fallback', hints: [] } });
  });
});
