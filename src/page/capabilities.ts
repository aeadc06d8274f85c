// PublicKeyCredential.getClientCapabilities() (L3 §5.1.7): the browser's own answer, with
// the keys Latchkey now answers for set to what Latchkey really does.
//
// L3's ClientCapability keys are conditionalCreate, conditionalGet, hybridTransport,
// passkeyPlatformAuthenticator, userVerifyingPlatformAuthenticator, relatedOrigins,
// signalAllAcceptedCredentials, signalCurrentUserDetails and signalUnknownCredential, plus
// one "extension:<identifier>" key per supported client extension.
//  - passkeyPlatformAuthenticator: true. Latchkey is a passkey provider on this platform.
//  - extension:credProps: true. Latchkey reports credProps.rk truthfully.
//  - relatedOrigins: false. Latchkey serves the modal calls and does not fetch
//    /.well-known/webauthn yet, so a related-origin request would fail with it.
//  - userVerifyingPlatformAuthenticator: the browser's value. Latchkey has no PIN yet, and a
//    ceremony that requires UV goes to the browser, so the browser's answer stays true.
//  - hybridTransport, conditionalGet, conditionalCreate and signal*: the browser's. Those
//    calls go to the browser untouched, or the browser's dialog is the fallback.
//  - Every other key, extension:* included, is the browser's as well.

// (The parameter is not named `browser`: WXT would auto-import webextension-polyfill for it.)
export type ClientCapabilities = Record<string, boolean>;

export function mergeClientCapabilities(native: Readonly<ClientCapabilities>): ClientCapabilities {
  return { ...native, passkeyPlatformAuthenticator: true, 'extension:credProps': true, relatedOrigins: false };
}
