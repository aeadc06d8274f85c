// PublicKeyCredential.getClientCapabilities() (L3 §5.1.7) for Latchkey plus the browser.
//
// L3's ClientCapability keys are conditionalCreate, conditionalGet, hybridTransport,
// passkeyPlatformAuthenticator, userVerifyingPlatformAuthenticator, relatedOrigins,
// signalAllAcceptedCredentials, signalCurrentUserDetails and signalUnknownCredential, plus
// one "extension:<identifier>" key per supported client extension.
//  - hybridTransport and conditionalCreate: the browser's. Phones are reached through the
//    browser's dialog, and a conditional create goes to the browser untouched.
//  - Every other key is Latchkey's, because Latchkey serves those calls:
//    - true: conditionalGet (Latchkey's autofill, whose frame also offers another device, even
//      when Latchkey holds no passkey for the site), passkeyPlatformAuthenticator, userVerifyingPlatformAuthenticator
//      (the PIN), relatedOrigins (the service worker reads /.well-known/webauthn), the three
//      signal methods (L3 §5.1.10, ./signals.ts), extension:credProps (rk is reported
//      truthfully), extension:prf and extension:largeBlob;
//    - false: every other key the browser lists, such as the other extensions, which
//      Latchkey does not implement.

import { keys } from './realm';

export type ClientCapabilities = Record<string, boolean>;

const LATCHKEY =
  'conditionalGet passkeyPlatformAuthenticator userVerifyingPlatformAuthenticator relatedOrigins signalAllAcceptedCredentials signalCurrentUserDetails signalUnknownCredential extension:credProps extension:prf extension:largeBlob';

// (The parameter is not named `browser`: WXT would auto-import webextension-polyfill for it.)
export function mergeClientCapabilities(native: Readonly<ClientCapabilities>): ClientCapabilities {
  const merged: ClientCapabilities = {};
  for (const key of keys(native)) merged[key] = key === 'conditionalCreate' || key === 'hybridTransport' ? native[key]! : false;
  for (const key of LATCHKEY.split(' ')) merged[key] = true;
  return merged;
}
