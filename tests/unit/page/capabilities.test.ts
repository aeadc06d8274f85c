import { describe, expect, it } from 'vitest';
import { mergeClientCapabilities } from '../../../src/page/capabilities';

const chromium = {
  conditionalCreate: true,
  conditionalGet: false,
  hybridTransport: false,
  immediateGet: true,
  passkeyPlatformAuthenticator: false,
  userVerifyingPlatformAuthenticator: false,
  relatedOrigins: false,
  signalAllAcceptedCredentials: true,
  signalCurrentUserDetails: true,
  signalUnknownCredential: true,
  'extension:credProps': false,
  'extension:prf': false,
  'extension:credBlob': true,
};

describe('mergeClientCapabilities', () => {
  it("takes hybridTransport and conditionalCreate from the browser, which serves them", () => {
    expect(mergeClientCapabilities(chromium)).toMatchObject({ conditionalCreate: true, hybridTransport: false });
    expect(mergeClientCapabilities({ ...chromium, conditionalCreate: false, hybridTransport: true })).toMatchObject({
      conditionalCreate: false,
      hybridTransport: true,
    });
  });

  it('reports what Latchkey does: autofill, a passkey platform authenticator with a PIN, related origins, the three signals, credProps, prf, largeBlob', () => {
    const merged = mergeClientCapabilities({ ...chromium, signalAllAcceptedCredentials: false, signalCurrentUserDetails: false, signalUnknownCredential: false });
    for (const key of ['conditionalGet', 'passkeyPlatformAuthenticator', 'userVerifyingPlatformAuthenticator', 'relatedOrigins', 'signalAllAcceptedCredentials', 'signalCurrentUserDetails', 'signalUnknownCredential', 'extension:credProps', 'extension:prf', 'extension:largeBlob']) {
      expect(merged[key], key).toBe(true);
    }
  });

  it('answers false for what Latchkey does not implement, even where the browser would', () => {
    const merged = mergeClientCapabilities(chromium);
    for (const key of ['immediateGet', 'extension:credBlob']) {
      expect(merged[key], key).toBe(false);
    }
  });

  it("reports Latchkey's capabilities even when the browser lists none, and leaves out the browser's it lacks", () => {
    const merged = mergeClientCapabilities({});
    expect(merged).toEqual({
      conditionalGet: true,
      passkeyPlatformAuthenticator: true,
      userVerifyingPlatformAuthenticator: true,
      relatedOrigins: true,
      signalAllAcceptedCredentials: true,
      signalCurrentUserDetails: true,
      signalUnknownCredential: true,
      'extension:credProps': true,
      'extension:prf': true,
      'extension:largeBlob': true,
    });
  });

  it("does not change the browser's object", () => {
    const native = { ...chromium };
    mergeClientCapabilities(native);
    expect(native).toEqual(chromium);
  });
});
