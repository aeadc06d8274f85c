// docs/architecture.md#a-ceremony-end-to-end step 5: the PublicKeyCredential a Latchkey ceremony resolves with. The objects
// are made with the browser's own prototypes and have no own properties, like native ones.
// Each answers from the JSON the service worker sent, kept in a private WeakMap, and the
// prototypes' accessors and methods are replaced once by versions that read it for
// Latchkey's objects and call the original for everything else, so the browser's own
// credentials keep working. They are replaced at install, so a member a page saves is
// already Latchkey's.

import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../protocol/webauthn-json';
import { base64urlToArrayBuffer } from './buffer-source';
import {
  $structuredClone,
  $WeakMap,
  apply,
  create,
  defineProperty,
  getOwnPropertyDescriptor,
  hasOwn,
  keys,
  slice,
  toLowerCase,
  uncurry,
} from './realm';

/**
 * The members our objects answer, per interface. Attribute `x` is the JSON's member `x`;
 * method `getX()` is member `x` as a fresh copy; toJSON() is the whole JSON. A string
 * member is base64url, made an ArrayBuffer, except the text ones (isText); an absent one is null.
 */
const MEMBERS = {
  Credential: ['id', 'type'],
  PublicKeyCredential: ['rawId', 'authenticatorAttachment', 'response', 'getClientExtensionResults', 'toJSON'],
  AuthenticatorResponse: ['clientDataJSON'],
  AuthenticatorAttestationResponse: ['attestationObject', 'getTransports', 'getAuthenticatorData', 'getPublicKey', 'getPublicKeyAlgorithm'],
  AuthenticatorAssertionResponse: ['authenticatorData', 'signature', 'userHandle'],
};

const isText = (member: string) => member === 'id' || member === 'type' || member === 'authenticatorAttachment';

/** Indexes of MEMBERS' interfaces. */
const PUBLIC_KEY_CREDENTIAL = 1;
const ATTESTATION = 3;
const ASSERTION = 4;

/** The page's interface objects (window), or fakes in tests. */
export type CredentialInterfaces = Record<keyof typeof MEMBERS, { prototype: object }>;

/** One of our objects: the JSON it answers from, and its attribute values once read. */
interface State {
  json: Record<string, unknown>;
  /** [SameObject]: an attribute returns the same value on every read, as native does. */
  attributes: Record<string, unknown>;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

const states = new $WeakMap<object, State>();
const stateOf = uncurry(states.get as (this: WeakMap<object, State>, key: unknown) => State | undefined);
const setState = uncurry(states.set as (this: WeakMap<object, State>, key: object, value: State) => unknown);


/** A member of `o` that is its own: the page may have given Object.prototype one of that name. */
const own = (o: unknown, name: string) => (o && hasOwn(o as object, name) ? (o as Record<string, unknown>)[name] : undefined) as Record<string, unknown> | undefined;

/** A base64url member made an ArrayBuffer in place. */
const toBuffer = (o: Record<string, unknown> | undefined, name: string) => {
  const text = own(o, name) as unknown;
  if (typeof text === 'string') o![name] = base64urlToArrayBuffer(text);
};

/** getClientExtensionResults(): prf's results (L3 §10.1.4) and largeBlob's blob (§10.1.5) are ArrayBuffers; toJSON() keeps base64url. */
function binaryOutputs(outputs: Record<string, unknown>): void {
  const results = own(own(outputs, 'prf'), 'results');
  toBuffer(results, 'first');
  toBuffer(results, 'second');
  toBuffer(own(outputs, 'largeBlob'), 'blob');
}

export type BuildCredential = (
  json: RegistrationResponseJSON | AuthenticationResponseJSON,
  kind: 'created' | 'asserted',
) => PublicKeyCredential;

/** What member `name` of one of our objects answers, worked out at the call: install stays cheap. */
function answer(name: string, { json, attributes }: State): unknown {
  const method = name[0] === 'g'; // getX(): no attribute starts with a g
  const member = method ? toLowerCase(name[3]!) + slice(name, 4) : name;
  const read = () => {
    // Only the JSON's own members: one it leaves out (userHandle, publicKey) is absent even
    // when the page gives Object.prototype a member of that name.
    const value = name === 'toJSON' ? json : hasOwn(json, member) ? json[member] : undefined;
    if (value === undefined) return null;
    if (typeof value === 'string' && !isText(member)) return base64urlToArrayBuffer(value);
    const copy = $structuredClone(value);
    if (method && member === 'clientExtensionResults') binaryOutputs(copy as Record<string, unknown>);
    return copy;
  };
  return method ? read() : (attributes[member] ??= read());
}

/**
 * Replaces `proto[name]` with a version that answers our objects from their State and calls
 * the original for everything else: in place, with its descriptor's flags and its function's
 * name ("get rawId", "toJSON") and length. A member the browser lacks stays absent. In a realm
 * adopted late this runs after the page's scripts, so it uses only saved built-ins, string
 * indexing and `===`.
 */
function patchMember(proto: object, name: string): void {
  const descriptor = getOwnPropertyDescriptor(proto, name);
  if (!descriptor) return;
  // Only its own `get` and `value`: the page may have given Object.prototype either.
  const accessor = hasOwn(descriptor, 'get');
  const native = (accessor ? descriptor.get : descriptor.value) as Method;
  const replacement = accessor
    ? getOwnPropertyDescriptor(
        {
          get [name]() {
            const state = stateOf(states, this);
            return state ? answer(name, state) : apply(native, this, []);
          },
        },
        name,
      )!.get
    : {
        [name](...args: unknown[]) {
          const state = stateOf(states, this);
          return state ? answer(name, state) : apply(native, this, args);
        },
      }[name];
  // Only the function is given: defineProperty keeps the member's other flags. The
  // descriptor has no prototype, since the page may have given Object.prototype a `get`.
  defineProperty(proto, name, { __proto__: null, [accessor ? 'get' : 'value']: replacement } as PropertyDescriptor);
}

/**
 * Patches the interfaces' prototypes now (document_start, before any page script can copy a
 * member, or later for a realm Latchkey adopts) and returns the builder of credentials on them.
 * Index loops: the page may own the array iterator by then.
 */
export function installCredentials(realm: CredentialInterfaces): BuildCredential {
  // In MEMBERS' order: the indexes are PUBLIC_KEY_CREDENTIAL, ATTESTATION and ASSERTION.
  const interfaces = keys(MEMBERS) as (keyof typeof MEMBERS)[];
  const prototypes: object[] = [];
  for (let i = 0; i < interfaces.length; i++) {
    const names = MEMBERS[interfaces[i]!];
    prototypes[i] = realm[interfaces[i]!].prototype;
    for (let j = 0; j < names.length; j++) patchMember(prototypes[i]!, names[j]!);
  }

  const make = (iface: number, json: object, attributes: Record<string, unknown>) => {
    const object = create(prototypes[iface]!) as object;
    setState(states, object, { json: json as Record<string, unknown>, attributes });
    return object;
  };

  return (json, kind) => {
    // authenticatorAttachment is 'platform' in the JSON the service worker sends
    // (src/client/response-json.ts), so the attribute and toJSON() agree on it.
    const response = make(
      kind === 'created' ? ATTESTATION : ASSERTION,
      json.response,
      create(null) as Record<string, unknown>,
    );
    const attributes = create(null) as Record<string, unknown>;
    attributes.response = response;
    return make(PUBLIC_KEY_CREDENTIAL, json, attributes) as PublicKeyCredential;
  };
}
