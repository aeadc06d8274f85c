import { describe, expect, it } from 'vitest';
import { mergeClientCapabilities } from '../../../src/page/capabilities';

const chromium = {
  conditionalCreate: true,
  conditionalGet: true,
  hybridTransport: false,
  passkeyPlatformAuthenticator: false,
  userVerifyingPlatformAuthenticator: false,
  relatedOrigins: true,
  signalAllAcceptedCredentials: true,
  signalCurrentUserDetails: true,
  signalUnknownCredential: true,
  'extension:credProps': false,
  'extension:prf': true,
};

describe('mergeClientCapabilities', () => {
  it('reports a passkey platform authenticator, because Latchkey is one', () => {
    expect(mergeClientCapabilities(chromium).passkeyPlatformAuthenticator).toBe(true);
  });

  it('reports the credProps extension, which Latchkey answers truthfully', () => {
    expect(mergeClientCapabilities(chromium)['extension:credProps']).toBe(true);
  });

  it('reports no related origins, which Latchkey does not support yet', () => {
    expect(mergeClientCapabilities(chromium).relatedOrigins).toBe(false);
  });

  it("keeps the browser's user-verifying platform authenticator, true or false", () => {
    expect(mergeClientCapabilities(chromium).userVerifyingPlatformAuthenticator).toBe(false);
    expect(mergeClientCapabilities({ ...chromium, userVerifyingPlatformAuthenticator: true }).userVerifyingPlatformAuthenticator).toBe(true);
  });

  it("keeps the browser's answers for hybrid, conditional mediation, signals and other extensions", () => {
    const merged = mergeClientCapabilities(chromium);
    for (const key of [
      'conditionalCreate',
      'conditionalGet',
      'hybridTransport',
      'signalAllAcceptedCredentials',
      'signalCurrentUserDetails',
      'signalUnknownCredential',
      'extension:prf',
    ] as const) {
      expect(merged[key], key).toBe(chromium[key]);
    }
  });

  it("does not change the browser's object", () => {
    const browser = { ...chromium };
    mergeClientCapabilities(browser);
    expect(browser).toEqual(chromium);
  });
});
