// navigator.credentials.create/get arguments -> the L3 JSON forms the service worker reads
// (PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON). Members
// are read in WebIDL's order, each once, so a page that watches its getters sees what a
// native call would show it.

import type { CredentialMediationRequirementName, PageRequest } from '../protocol/messages';
import type {
  AuthenticationExtensionsClientInputsJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '../protocol/webauthn-json';
import { create, keys, signalAborted } from './realm';
import {
  boolean,
  bufferSource,
  type Convert,
  dictionary,
  domString,
  isObject,
  jsonScalar,
  long,
  type Members,
  members,
  optional,
  record,
  required,
  sequence,
  unsignedLong,
} from './webidl';

/** A call Latchkey serves: the request for the relay, and what a fallback needs again. */
export interface LatchkeyCall {
  request: PageRequest;
  signal: AbortSignal | undefined;
  /** The page's own `publicKey` object, which a fallback overlays with hints (./fallback.ts). */
  publicKey: unknown;
}

/**
 * The two option tables, built on the first call Latchkey reads rather than at
 * document_start: install then makes none of their converters.
 */
function optionTables() {
  const string = optional(domString);
  const strings = optional(sequence(domString));
  const requiredString = required(domString);
  const requiredBytes = required(bufferSource);

  const descriptors = optional(
    sequence(
      dictionary<PublicKeyCredentialDescriptorJSON>({ id: requiredBytes, transports: strings, type: requiredString }),
    ),
  );

  // L3 §10.1.4 AuthenticationExtensionsPRFValues; its BufferSources as the challenge's.
  const bytes = optional(bufferSource);
  const prfValues = optional(dictionary({ first: requiredBytes, second: bytes }));

  /**
   * credProps, prf and largeBlob are converted as WebIDL says; every other input passes as a
   * JSON scalar only.
   */
  const extensions = optional<AuthenticationExtensionsClientInputsJSON>((value, what) => {
    const inputs = members(value, what);
    const out = create(null) as AuthenticationExtensionsClientInputsJSON;
    for (const name of keys(inputs)) out[name] = jsonScalar(inputs[name], name);
    out.credProps = optional(boolean)(inputs.credProps, `${what}.credProps`);
    out.largeBlob = optional(dictionary({ read: optional(boolean), support: string, write: bytes }))(inputs.largeBlob, `${what}.largeBlob`);
    out.prf = optional(dictionary({ eval: prfValues, evalByCredential: optional(record(prfValues)) }))(inputs.prf, `${what}.prf`);
    return out;
  });

  const creationOptionsToJSON = dictionary<PublicKeyCredentialCreationOptionsJSON>({
    attestation: string,
    attestationFormats: strings,
    authenticatorSelection: optional(
      dictionary({
        authenticatorAttachment: string,
        requireResidentKey: optional(boolean),
        residentKey: string,
        userVerification: string,
      }),
    ),
    challenge: requiredBytes,
    excludeCredentials: descriptors,
    extensions,
    hints: strings,
    pubKeyCredParams: required(sequence(dictionary({ alg: required(long), type: requiredString }))),
    // PublicKeyCredentialEntity's `name` comes before the members of the derived dictionaries.
    rp: required(dictionary({ name: requiredString, id: string })),
    timeout: optional(unsignedLong),
    user: required(dictionary({ name: requiredString, displayName: requiredString, id: requiredBytes })),
  });

  const requestOptionsToJSON = dictionary<PublicKeyCredentialRequestOptionsJSON>({
    allowCredentials: descriptors,
    challenge: requiredBytes,
    extensions,
    hints: strings,
    rpId: string,
    timeout: optional(unsignedLong),
    userVerification: string,
  });
  return { create: creationOptionsToJSON, get: requestOptionsToJSON };
}

interface OptionsJSON {
  create: PublicKeyCredentialCreationOptionsJSON;
  get: PublicKeyCredentialRequestOptionsJSON;
}

let tables: ReturnType<typeof optionTables> | undefined;

/**
 * A call's `publicKey` member converted: L3 §5.4 PublicKeyCredentialCreationOptions for
 * create, §5.5 PublicKeyCredentialRequestOptions for get. Throws a TypeError on a bad member.
 */
export const optionsToJSON = <K extends keyof OptionsJSON>(kind: K, publicKey: unknown): OptionsJSON[K] =>
  ((tables ??= optionTables())[kind] as Convert<OptionsJSON[K]>)(publicKey, 'publicKey');

/** Credential types that are not WebAuthn's; a call naming any of them is the browser's. */
const OTHER_CREDENTIAL_TYPES = ['digital', 'federated', 'identity', 'otp', 'password'];

/**
 * Decides whether Latchkey serves a create/get call and, if so, converts its arguments.
 * Returns undefined for a call that goes to the browser untouched: no `publicKey`, another
 * credential type, a conditional create, a silent mediation, or a mediation
 * value Latchkey does not know (the browser rejects it, or knows better). Throws a TypeError
 * when a member has the wrong type, as the native binding would.
 */
export function readCall(kind: 'create' | 'get', options: unknown): LatchkeyCall | undefined {
  if (!isObject(options)) return undefined;
  const o = options as Members;
  for (const name of OTHER_CREDENTIAL_TYPES) if (o[name] !== undefined) return undefined;
  // DOMString conversion (./webidl.ts domString) of the enum member.
  const mediation = o.mediation === undefined ? 'optional' : `${o.mediation as string}`;
  // A conditional get is Latchkey's autofill, or the browser's when the service worker says
  // so; a conditional create (passkey upgrade) is the browser's: Latchkey is not a password
  // manager and has no recent password sign-in to vouch for.
  // A silent one is the browser's too: a passkey always needs the user's presence.
  if (!` optional required ${kind === 'get' ? 'conditional ' : ''}`.includes(` ${mediation} `)) return undefined;
  const publicKey = o.publicKey;
  if (publicKey === undefined) return undefined;
  const request: PageRequest =
    kind === 'create'
      ? { type: 'create', options: optionsToJSON('create', publicKey) }
      : {
          type: 'get',
          options: optionsToJSON('get', publicKey),
          mediation: mediation as CredentialMediationRequirementName,
        };
  const signal = o.signal;
  // AbortSignal's own `aborted` getter is the brand check: it throws a TypeError for anything else.
  if (signal !== undefined) signalAborted(signal);
  return { request, signal: signal as AbortSignal | undefined, publicKey };
}
