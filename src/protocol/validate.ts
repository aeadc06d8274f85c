// A validator for every inbound message shape (docs/THREATS.md: every inbound
// message is schema-checked). Structure and JSON types only: strings are strings, arrays are
// arrays, numbers are finite, base64url members decode. What the values mean is src/client's
// business. Each validator returns a fresh object with the known members only.

import { array, base64url, boolean, invalid, literal, number, object, optional, run, string, type Obj, type Validation } from './check';
import {
  SIGNAL_MEMBERS,
  type CredentialMediationRequirementName,
  type FrameFacts,
  type Heartbeat,
  type PageAbort,
  type PageRequest,
  type PromptAnswer,
  type PromptMessage,
  type RelayRequest,
  type SignalMethod,
  type SignalRequest,
} from './messages';
import type {
  AuthenticationExtensionsClientInputsJSON,
  AuthenticatorSelectionCriteriaJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialParametersJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from './webauthn-json';

export type { Validation } from './check';

// ---------------------------------------------------------------------------------------
// Options JSON (L3 §5.1.8-5.1.9 and the dictionaries they contain)

function descriptor(x: unknown, path: string): PublicKeyCredentialDescriptorJSON {
  const o = object(x, path);
  const out: PublicKeyCredentialDescriptorJSON = { type: string(o.type, `${path}.type`), id: base64url(o.id, `${path}.id`) };
  optional(out, o, 'transports', path, (v, p) => array(v, p, string));
  return out;
}

function pubKeyCredParam(x: unknown, path: string): PublicKeyCredentialParametersJSON {
  const o = object(x, path);
  // alg may be a string ("-7", KeycloakJS); src/client coerces it.
  const alg = typeof o.alg === 'string' ? o.alg : number(o.alg, `${path}.alg`);
  return { type: string(o.type, `${path}.type`), alg };
}

function authenticatorSelection(x: unknown, path: string): AuthenticatorSelectionCriteriaJSON {
  const o = object(x, path);
  const out: AuthenticatorSelectionCriteriaJSON = {};
  optional(out, o, 'authenticatorAttachment', path, string);
  optional(out, o, 'residentKey', path, string);
  optional(out, o, 'requireResidentKey', path, boolean);
  optional(out, o, 'userVerification', path, string);
  return out;
}

/** Extension inputs: an object; credProps, when present, a boolean. Other members pass as they are. */
function extensions(x: unknown, path: string): AuthenticationExtensionsClientInputsJSON {
  const o = object(x, path);
  if (o.credProps !== undefined) boolean(o.credProps, `${path}.credProps`);
  return { ...o };
}

export function validateCreationOptionsJSON(x: unknown, path = 'options'): Validation<PublicKeyCredentialCreationOptionsJSON> {
  return run(() => creationOptions(x, path));
}

function creationOptions(x: unknown, path: string): PublicKeyCredentialCreationOptionsJSON {
  const o = object(x, path);
  const rp = object(o.rp, `${path}.rp`);
  const user = object(o.user, `${path}.user`);
  const out: PublicKeyCredentialCreationOptionsJSON = {
    rp: { name: string(rp.name, `${path}.rp.name`) },
    user: {
      id: base64url(user.id, `${path}.user.id`),
      name: string(user.name, `${path}.user.name`),
      displayName: string(user.displayName, `${path}.user.displayName`),
    },
    challenge: base64url(o.challenge, `${path}.challenge`),
    pubKeyCredParams: array(o.pubKeyCredParams, `${path}.pubKeyCredParams`, pubKeyCredParam),
  };
  optional(out.rp, rp, 'id', `${path}.rp`, string);
  optional(out, o, 'timeout', path, number);
  optional(out, o, 'excludeCredentials', path, (v, p) => array(v, p, descriptor));
  optional(out, o, 'authenticatorSelection', path, authenticatorSelection);
  optional(out, o, 'hints', path, (v, p) => array(v, p, string));
  optional(out, o, 'attestation', path, string);
  optional(out, o, 'attestationFormats', path, (v, p) => array(v, p, string));
  optional(out, o, 'extensions', path, extensions);
  return out;
}

export function validateRequestOptionsJSON(x: unknown, path = 'options'): Validation<PublicKeyCredentialRequestOptionsJSON> {
  return run(() => requestOptions(x, path));
}

function requestOptions(x: unknown, path: string): PublicKeyCredentialRequestOptionsJSON {
  const o = object(x, path);
  const out: PublicKeyCredentialRequestOptionsJSON = { challenge: base64url(o.challenge, `${path}.challenge`) };
  optional(out, o, 'timeout', path, number);
  optional(out, o, 'rpId', path, string);
  optional(out, o, 'allowCredentials', path, (v, p) => array(v, p, descriptor));
  optional(out, o, 'userVerification', path, string);
  optional(out, o, 'hints', path, (v, p) => array(v, p, string));
  optional(out, o, 'extensions', path, extensions);
  return out;
}

// ---------------------------------------------------------------------------------------
// Page -> relay -> service worker

const MEDIATION: readonly CredentialMediationRequirementName[] = ['silent', 'optional', 'conditional', 'required'];

function frameFacts(x: unknown, path: string): FrameFacts {
  const o = object(x, path);
  return {
    createAllowed: boolean(o.createAllowed, `${path}.createAllowed`),
    getAllowed: boolean(o.getAllowed, `${path}.getAllowed`),
    transientActivation: boolean(o.transientActivation, `${path}.transientActivation`),
    policyKnown: boolean(o.policyKnown, `${path}.policyKnown`),
    secureContext: boolean(o.secureContext, `${path}.secureContext`),
    ...(o.ancestorOrigins === undefined ? {} : { ancestorOrigins: array(o.ancestorOrigins, `${path}.ancestorOrigins`, string) }),
  };
}

function signalRequest(o: Obj): SignalRequest {
  const method = literal(o.method, 'request.method', Object.keys(SIGNAL_MEMBERS) as SignalMethod[]);
  const given = object(o.options, 'request.options');
  const options: SignalRequest['options'] = { rpId: '' };
  for (const key of SIGNAL_MEMBERS[method]) {
    const path = `request.options.${key}`;
    if (key === 'allAcceptedCredentialIds') options[key] = array(given[key], path, string);
    else options[key] = string(given[key], path);
  }
  return { type: 'signal', method, options };
}

function pageRequest(x: unknown): PageRequest {
  const o = object(x, 'request');
  const type = literal(o.type, 'request.type', ['create', 'get', 'statics', 'signal'] as const);
  if (type === 'statics') return { type };
  if (type === 'signal') return signalRequest(o);
  if (type === 'create') return { type, options: creationOptions(o.options, 'request.options') };
  return { type, options: requestOptions(o.options, 'request.options'), mediation: literal(o.mediation, 'request.mediation', MEDIATION) };
}

/** What the page posts to the relay over its MessagePort. */
export function validatePageRequest(x: unknown): Validation<PageRequest> {
  return run(() => pageRequest(x));
}

/** What the relay sends the service worker to start a ceremony. */
export function validateRelayRequest(x: unknown): Validation<RelayRequest> {
  return run(() => ({ ...pageRequest(x), frame: frameFacts(object(x, 'request').frame, 'request.frame') }));
}

export function validateHeartbeat(x: unknown): Validation<Heartbeat> {
  return run(() => ({ type: literal(object(x, 'message').type, 'message.type', ['heartbeat'] as const) }));
}

export function validatePageAbort(x: unknown): Validation<PageAbort> {
  return run(() => ({ type: literal(object(x, 'message').type, 'message.type', ['abort'] as const) }));
}

/** Anything the relay may send on a ceremony port: the request, heartbeats, the page's abort. */
export function validateRelayMessage(x: unknown): Validation<RelayRequest | Heartbeat | PageAbort> {
  const type = typeof x === 'object' && x !== null ? (x as Obj).type : undefined;
  if (type === 'heartbeat') return validateHeartbeat(x);
  if (type === 'abort') return validatePageAbort(x);
  return validateRelayRequest(x);
}

// ---------------------------------------------------------------------------------------
// Prompt -> service worker

function promptAnswer(x: unknown, path: string): PromptAnswer {
  const o = object(x, path);
  const kind = literal(o.kind, `${path}.kind`, ['approve', 'cancel', 'other-device', 'security-key'] as const);
  if (kind !== 'approve') return { kind };
  const out: PromptAnswer = { kind };
  optional(out, o, 'friendlyName', path, string);
  optional(out, o, 'credentialId', path, base64url);
  optional(out, o, 'pin', path, string);
  return out;
}

export function validatePromptMessage(x: unknown): Validation<PromptMessage> {
  return run((): PromptMessage => {
    const o = object(x, 'message');
    const type = literal(o.type, 'message.type', ['hello', 'answer', 'heartbeat'] as const);
    switch (type) {
      case 'hello':
        return { type, ceremonyId: string(o.ceremonyId, 'message.ceremonyId') };
      case 'answer':
        return { type, answer: promptAnswer(o.answer, 'message.answer') };
      case 'heartbeat':
        return { type };
    }
  });
}
