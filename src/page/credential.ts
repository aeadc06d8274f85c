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
 * Patches the interfaces' prototypes, each member in place with its descriptor's flags and
 * its function's name ("get rawId", "toJSON") and length; a member the browser lacks stays
 * absent. Returns the builder of credentials on those prototypes. Runs at document_start,
 * so the name arithmetic here uses built-ins the page cannot have changed yet.
 */
export function installCredentials(realm: CredentialInterfaces): BuildCredential {
  const prototypes = create(null) as Record<string, object>;
  for (const [iface, names] of Object.entries(MEMBERS)) {
    const proto = (prototypes[iface] = realm[iface as keyof typeof MEMBERS].prototype);
    for (const name of names.split(' ')) {
      const method = name.startsWith('get');
      const member = method ? name[3]!.toLowerCase() + name.slice(4) : name;
      const text = TEXT.includes(` ${member} `);
      const read = (json: Record<string, unknown>) => {
        const value = name === 'toJSON' ? json : json[member];
        if (value === undefined) return null;
        return typeof value === 'string' && !text ? base64urlToArrayBuffer(value) : $structuredClone(value);
      };
      const answer = ({ json, attributes }: State): unknown =>
        method ? read(json) : (attributes[member] ??= read(json));
      const descriptor = getOwnPropertyDescriptor(proto, name);
      if (!descriptor) continue;
      const native = (descriptor.get ?? descriptor.value) as Method;
      if (descriptor.get) {
        descriptor.get = getOwnPropertyDescriptor(
          {
            get [name]() {
              const state = stateOf(states, this);
              return state ? answer(state) : apply(native, this, []);
            },
          },
          name,
        )?.get;
      } else {
        descriptor.value = {
          [name](...args: unknown[]) {
            const state = stateOf(states, this);
            return state ? answer(state) : apply(native, this, args);
          },
        }[name];
      }
      defineProperty(proto, name, descriptor);
    }
  }

  const make = (iface: string, json: object, attributes: Record<string, unknown>) => {
    const object = create(prototypes[iface]!) as object;
    setState(states, object, { json: json as Record<string, unknown>, attributes });
    return object;
  };

  return (json, kind) => {
    // authenticatorAttachment is 'platform' in the JSON the service worker sends
    // (src/client/response-json.ts), so the attribute and toJSON() agree on it.
    const response = make(
      kind === 'created' ? 'AuthenticatorAttestationResponse' : 'AuthenticatorAssertionResponse',
      json.response,
      create(null) as Record<string, unknown>,
    );
    const attributes = create(null) as Record<string, unknown>;
    attributes.response = response;
    return make('PublicKeyCredential', json, attributes) as PublicKeyCredential;
  };
}
