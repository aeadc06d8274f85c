// DESIGN.md step 5: the PublicKeyCredential a Latchkey ceremony resolves with. The objects
// are made with the browser's own prototypes and have no own properties, like native ones.
// Each answers from the JSON the service worker sent, kept in a private WeakMap, and the
// prototypes' accessors and methods are replaced once by versions that read it for
// Latchkey's objects and call the original for everything else, so the browser's own
// credentials keep working.

import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../protocol/webauthn-json';
import { base64urlToArrayBuffer } from './buffer-source';
import {
  $structuredClone,
  $WeakMap,
  apply,
  create,
  defineProperty,
  getOwnPropertyDescriptor,
  uncurry,
} from './realm';

/**
 * The members our objects answer, per interface. Attribute `x` is the JSON's member `x`;
 * method `getX()` is member `x` as a fresh copy; toJSON() is the whole JSON. A string
 * member is base64url, made an ArrayBuffer, except the TEXT ones; an absent one is null.
 */
const MEMBERS = {
  Credential: 'id type',
  PublicKeyCredential: 'rawId authenticatorAttachment response getClientExtensionResults toJSON',
  AuthenticatorResponse: 'clientDataJSON',
  AuthenticatorAttestationResponse: 'attestationObject getTransports getAuthenticatorData getPublicKey getPublicKeyAlgorithm',
  AuthenticatorAssertionResponse: 'authenticatorData signature userHandle',
};

const TEXT = ' id type authenticatorAttachment ';

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


export type BuildCredential = (
  json: RegistrationResponseJSON | AuthenticationResponseJSON,
  kind: 'created' | 'asserted',
) => PublicKeyCredential;

/**
 * Takes the interfaces' prototypes now (document_start) and returns the builder of
 * credentials on them. The first credential built patches the prototypes, each member in
 * place with its descriptor's flags and its function's name ("get rawId", "toJSON") and
 * length; a member the browser lacks stays absent. Until then no object of ours exists and
 * the browser's accessors answer every credential, so install does not pay for the patch.
 * The name arithmetic runs now, with built-ins the page cannot have changed yet; the patch
 * itself uses only saved ones.
 */
export function installCredentials(realm: CredentialInterfaces): BuildCredential {
  // In MEMBERS' order: the indexes are PUBLIC_KEY_CREDENTIAL, ATTESTATION and ASSERTION.
  const prototypes: object[] = [];
  const patches: (() => void)[] = [];
  for (const [iface, names] of Object.entries(MEMBERS)) {
    const proto = realm[iface as keyof typeof MEMBERS].prototype;
    prototypes.push(proto);
    for (const name of names.split(' ')) {
      const method = name[0] === 'g'; // getX(): no attribute starts with a g
      const member = method ? name[3]!.toLowerCase() + name.slice(4) : name;
      const text = TEXT.includes(` ${member} `);
      patches.push(() => {
        const read = (json: Record<string, unknown>) => {
          const value = name === 'toJSON' ? json : json[member];
          if (value === undefined) return null;
          return typeof value === 'string' && !text ? base64urlToArrayBuffer(value) : $structuredClone(value);
        };
        const answer = ({ json, attributes }: State): unknown =>
          method ? read(json) : (attributes[member] ??= read(json));
        const descriptor = getOwnPropertyDescriptor(proto, name);
        if (!descriptor) return;
        const native = (descriptor.get ?? descriptor.value) as Method;
        const replacement = descriptor.get
          ? getOwnPropertyDescriptor(
              {
                get [name]() {
                  const state = stateOf(states, this);
                  return state ? answer(state) : apply(native, this, []);
                },
              },
              name,
            )!.get
          : {
              [name](...args: unknown[]) {
                const state = stateOf(states, this);
                return state ? answer(state) : apply(native, this, args);
              },
            }[name];
        // Only the function is given: defineProperty keeps the member's other flags. The
        // descriptor has no prototype, since the page may have given Object.prototype a `get`.
        defineProperty(proto, name, { __proto__: null, [descriptor.get ? 'get' : 'value']: replacement } as PropertyDescriptor);
      });
    }
  }

  const make = (iface: number, json: object, attributes: Record<string, unknown>) => {
    const object = create(prototypes[iface]!) as object;
    setState(states, object, { json: json as Record<string, unknown>, attributes });
    return object;
  };

  return (json, kind) => {
    // The first credential patches the prototypes (an index loop: the page may own the array iterator).
    for (let i = 0; i < patches.length; i++) patches[i]!();
    patches.length = 0;
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
