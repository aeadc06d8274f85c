// The credentials as L3's toJSON() gives them (RegistrationResponseJSON,
// AuthenticationResponseJSON, §5.1.8-5.1.9): the one place where the authenticator's bytes
// become base64url for the page.

import type { GetAssertionResult, MakeCredentialResult } from '../authenticator/types';
import { toBase64url } from '../protocol/base64url';
import type {
  AuthenticationExtensionsClientOutputsJSON,
  AuthenticationResponseJSON,
  RegistrationResponseJSON,
} from '../protocol/webauthn-json';

/** L3 §5.2.1 [[transports]]: unique values in lexicographical order. */
function sortedTransports(transports: readonly string[]): string[] {
  return [...new Set(transports)].sort();
}

export function registrationResponseJSON(
  result: MakeCredentialResult,
  clientDataJSON: Uint8Array,
  clientExtensionResults: AuthenticationExtensionsClientOutputsJSON,
): RegistrationResponseJSON {
  const id = toBase64url(result.credentialId);
  return {
    id,
    rawId: id,
    response: {
      clientDataJSON: toBase64url(clientDataJSON),
      authenticatorData: toBase64url(result.authenticatorData),
      transports: sortedTransports(result.transports),
      publicKey: toBase64url(result.publicKeySpki),
      publicKeyAlgorithm: result.alg,
      attestationObject: toBase64url(result.attestationObject),
    },
    authenticatorAttachment: 'platform',
    clientExtensionResults,
    type: 'public-key',
  };
}

export function authenticationResponseJSON(
  result: GetAssertionResult,
  clientDataJSON: Uint8Array,
  clientExtensionResults: AuthenticationExtensionsClientOutputsJSON,
): AuthenticationResponseJSON {
  const id = toBase64url(result.credentialId);
  const json: AuthenticationResponseJSON = {
    id,
    rawId: id,
    response: {
      clientDataJSON: toBase64url(clientDataJSON),
      authenticatorData: toBase64url(result.authenticatorData),
      signature: toBase64url(result.signature),
    },
    authenticatorAttachment: 'platform',
    clientExtensionResults,
    type: 'public-key',
  };
  // userHandle is null (absent in JSON) when the authenticator returned none.
  if (result.userHandle.length > 0) json.response.userHandle = toBase64url(result.userHandle);
  return json;
}
