// The JSON forms of WebAuthn options and credentials, as L3 §5.1.8–5.1.9 and §5.10 define
// them (PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON, ...). These are
// what crosses from the page to the service worker and back: every binary member is a
// base64url string.

export type Base64URLString = string;

export interface PublicKeyCredentialRpEntityJSON {
  id?: string;
  name: string;
}

export interface PublicKeyCredentialUserEntityJSON {
  id: Base64URLString;
  name: string;
  displayName: string;
}

export interface PublicKeyCredentialParametersJSON {
  type: string;
  /** Numbers; a KeycloakJS-style string alg is coerced by the client (src/client). */
  alg: number | string;
}

export interface PublicKeyCredentialDescriptorJSON {
  type: string;
  id: Base64URLString;
  transports?: string[];
}

export interface AuthenticatorSelectionCriteriaJSON {
  authenticatorAttachment?: string;
  residentKey?: string;
  requireResidentKey?: boolean;
  userVerification?: string;
}

/** Client extension inputs, with binary members as base64url. Unknown keys are ignored. */
export interface AuthenticationExtensionsClientInputsJSON {
  credProps?: boolean;
  [name: string]: unknown;
}

export interface PublicKeyCredentialCreationOptionsJSON {
  rp: PublicKeyCredentialRpEntityJSON;
  user: PublicKeyCredentialUserEntityJSON;
  challenge: Base64URLString;
  pubKeyCredParams: PublicKeyCredentialParametersJSON[];
  timeout?: number;
  excludeCredentials?: PublicKeyCredentialDescriptorJSON[];
  authenticatorSelection?: AuthenticatorSelectionCriteriaJSON;
  hints?: string[];
  attestation?: string;
  attestationFormats?: string[];
  extensions?: AuthenticationExtensionsClientInputsJSON;
}

export interface PublicKeyCredentialRequestOptionsJSON {
  challenge: Base64URLString;
  timeout?: number;
  rpId?: string;
  allowCredentials?: PublicKeyCredentialDescriptorJSON[];
  userVerification?: string;
  hints?: string[];
  extensions?: AuthenticationExtensionsClientInputsJSON;
}

export interface CredentialPropertiesOutput {
  rk?: boolean;
}

/** AuthenticationExtensionsPRFValues with its members as base64url. */
export interface PrfValuesJSON {
  first: Base64URLString;
  second?: Base64URLString;
}

export interface AuthenticationExtensionsClientOutputsJSON {
  credProps?: CredentialPropertiesOutput;
  appid?: boolean;
  appidExclude?: boolean;
  /** L3 §10.1.4: enabled at create; results when evaluated */
  prf?: { enabled?: boolean; results?: PrfValuesJSON };
  /** L3 §10.1.5: supported at create; blob or written at get */
  largeBlob?: { supported?: boolean; blob?: Base64URLString; written?: boolean };
}

export interface AuthenticatorAttestationResponseJSON {
  clientDataJSON: Base64URLString;
  authenticatorData: Base64URLString;
  transports: string[];
  /** SPKI DER; absent only when the algorithm has no SPKI form (not the case for ours). */
  publicKey?: Base64URLString;
  publicKeyAlgorithm: number;
  attestationObject: Base64URLString;
}

export interface AuthenticatorAssertionResponseJSON {
  clientDataJSON: Base64URLString;
  authenticatorData: Base64URLString;
  signature: Base64URLString;
  userHandle?: Base64URLString;
}

export interface RegistrationResponseJSON {
  id: Base64URLString;
  rawId: Base64URLString;
  response: AuthenticatorAttestationResponseJSON;
  authenticatorAttachment?: 'platform' | 'cross-platform';
  clientExtensionResults: AuthenticationExtensionsClientOutputsJSON;
  type: 'public-key';
}

export interface AuthenticationResponseJSON {
  id: Base64URLString;
  rawId: Base64URLString;
  response: AuthenticatorAssertionResponseJSON;
  authenticatorAttachment?: 'platform' | 'cross-platform';
  clientExtensionResults: AuthenticationExtensionsClientOutputsJSON;
  type: 'public-key';
}
