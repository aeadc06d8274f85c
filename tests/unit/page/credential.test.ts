import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../../../src/protocol/webauthn-json';
import { type BuildCredential, installCredentials } from '../../../src/page/credential';

// Stand-ins for the browser's interfaces: like WebIDL's, their accessors and methods live on
// the prototypes and throw a TypeError for any receiver the "browser" did not make.
const nativeSlots = new WeakMap<object, Record<string, unknown>>();
function slot(self: unknown, name: string): unknown {
  const slots = nativeSlots.get(self as object);
  if (!slots) throw new TypeError('Illegal invocation');
  return slots[name];
}
const accessor = (name: string) => ({ get: function (this: unknown) { return slot(this, name); }, enumerable: true, configurable: true });
const method = (name: string) => ({ value: function (this: unknown) { return slot(this, name); }, writable: true, enumerable: true, configurable: true });

function fakeInterface(parent: { prototype: object } | null, accessors: string[], methods: string[]) {
  const prototype = Object.create(parent?.prototype ?? Object.prototype) as object;
  for (const name of accessors) Object.defineProperty(prototype, name, accessor(name));
  for (const name of methods) Object.defineProperty(prototype, name, method(name));
  return { prototype };
}
const Credential = fakeInterface(null, ['id', 'type'], []);
const PublicKeyCredential = fakeInterface(Credential, ['rawId', 'authenticatorAttachment', 'response'], ['getClientExtensionResults', 'toJSON']);
const AuthenticatorResponse = fakeInterface(null, ['clientDataJSON'], []);
const AuthenticatorAttestationResponse = fakeInterface(AuthenticatorResponse, ['attestationObject'], [
  'getTransports',
  'getAuthenticatorData',
  'getPublicKey',
  'getPublicKeyAlgorithm',
]);
const AuthenticatorAssertionResponse = fakeInterface(AuthenticatorResponse, ['authenticatorData', 'signature', 'userHandle'], []);
const realm = { Credential, PublicKeyCredential, AuthenticatorResponse, AuthenticatorAttestationResponse, AuthenticatorAssertionResponse };

const registration = (): RegistrationResponseJSON => ({
  id: 'AQID',
  rawId: 'AQID',
  type: 'public-key',
  authenticatorAttachment: 'platform',
  response: {
    clientDataJSON: 'eyJ9',
    authenticatorData: 'BAUG',
    attestationObject: 'BwgJ',
    transports: ['internal', 'hybrid'],
    publicKey: 'MFkw',
    publicKeyAlgorithm: -7,
  },
  clientExtensionResults: { credProps: { rk: true } },
});

const assertion = (userHandle?: string): AuthenticationResponseJSON => ({
  id: 'AQID',
  rawId: 'AQID',
  type: 'public-key',
  authenticatorAttachment: 'platform',
  response: { clientDataJSON: 'eyJ9', authenticatorData: 'BAUG', signature: 'CgsM', ...(userHandle ? { userHandle } : {}) },
  clientExtensionResults: {},
});

const bytesOf = (buffer: unknown) => [...new Uint8Array(buffer as ArrayBuffer)];
type Loose = Record<string, unknown> & { response: Record<string, unknown> };

let build: BuildCredential;
beforeAll(() => {
  build = installCredentials(realm);
});

describe('a credential from a created response', () => {
  it("is made with the browser's prototypes", () => {
    const credential = build(registration(), 'created');
    expect(Object.getPrototypeOf(credential)).toBe(PublicKeyCredential.prototype);
    expect(Object.getPrototypeOf(credential.response)).toBe(AuthenticatorAttestationResponse.prototype);
  });

  it('has no own properties, like a native credential', () => {
    const credential = build(registration(), 'created');
    expect(Reflect.ownKeys(credential)).toEqual([]);
    expect(Reflect.ownKeys(credential.response)).toEqual([]);
  });

  it('answers id, type, authenticatorAttachment and rawId', () => {
    const credential = build(registration(), 'created');
    expect(credential.id).toBe('AQID');
    expect(credential.type).toBe('public-key');
    expect(credential.authenticatorAttachment).toBe('platform');
    expect(bytesOf(credential.rawId)).toEqual([1, 2, 3]);
  });

  it('returns the same ArrayBuffer on every read of an attribute ([SameObject])', () => {
    const credential = build(registration(), 'created');
    expect(credential.rawId).toBe(credential.rawId);
    expect(credential.response.clientDataJSON).toBe(credential.response.clientDataJSON);
    expect(credential.response).toBe(credential.response);
  });

  it('answers the attestation response members and methods', () => {
    const response = build(registration(), 'created').response as AuthenticatorAttestationResponse;
    expect(bytesOf(response.clientDataJSON)).toEqual([0x7b, 0x22, 0x7d]);
    expect(bytesOf(response.attestationObject)).toEqual([7, 8, 9]);
    expect(bytesOf(response.getAuthenticatorData())).toEqual([4, 5, 6]);
    expect(bytesOf(response.getPublicKey())).toEqual([0x30, 0x59, 0x30]);
    expect(response.getPublicKeyAlgorithm()).toBe(-7);
    expect(response.getTransports()).toEqual(['internal', 'hybrid']);
  });

  it('returns a fresh array from getTransports() on every call', () => {
    const response = build(registration(), 'created').response as AuthenticatorAttestationResponse;
    const first = response.getTransports();
    first.push('usb');
    expect(response.getTransports()).toEqual(['internal', 'hybrid']);
  });

  it('returns null from getPublicKey() when the JSON has no public key', () => {
    const json = registration();
    delete json.response.publicKey;
    expect((build(json, 'created').response as AuthenticatorAttestationResponse).getPublicKey()).toBeNull();
  });

  it('returns the credProps output from getClientExtensionResults(), a fresh object each call', () => {
    const credential = build(registration(), 'created');
    expect(credential.getClientExtensionResults()).toEqual({ credProps: { rk: true } });
    expect(credential.getClientExtensionResults()).not.toBe(credential.getClientExtensionResults());
  });

  it('returns the RegistrationResponseJSON from toJSON(), so JSON.stringify gives it too', () => {
    const credential = build(registration(), 'created');
    expect(credential.toJSON()).toEqual(registration());
    expect(JSON.parse(JSON.stringify(credential))).toEqual(registration());
  });

  it("answers the JSON's authenticatorAttachment, which the service worker always sets", () => {
    const credential = build(registration(), 'created');
    expect(credential.authenticatorAttachment).toBe('platform');
    expect((credential.toJSON() as RegistrationResponseJSON).authenticatorAttachment).toBe('platform');
  });
});

describe('a credential from an asserted response', () => {
  it('answers the assertion response members', () => {
    const response = build(assertion('dXNlcg'), 'asserted').response as AuthenticatorAssertionResponse;
    expect(Object.getPrototypeOf(response)).toBe(AuthenticatorAssertionResponse.prototype);
    expect(bytesOf(response.authenticatorData)).toEqual([4, 5, 6]);
    expect(bytesOf(response.signature)).toEqual([10, 11, 12]);
    expect(bytesOf(response.userHandle)).toEqual([...Buffer.from('user')]);
  });

  it('answers null for userHandle when the JSON has none', () => {
    expect((build(assertion(), 'asserted').response as AuthenticatorAssertionResponse).userHandle).toBeNull();
  });

  it('returns the AuthenticationResponseJSON from toJSON()', () => {
    expect(build(assertion('dXNlcg'), 'asserted').toJSON()).toEqual(assertion('dXNlcg'));
  });
});

describe('the patched prototypes', () => {
  it("still answer the browser's own credentials through the original accessors and methods", () => {
    const native = Object.create(PublicKeyCredential.prototype) as Loose;
    nativeSlots.set(native, { id: 'native-id', rawId: 'native-raw', toJSON: 'native-json' });
    expect(native.id).toBe('native-id');
    expect(native.rawId).toBe('native-raw');
    expect((native.toJSON as () => unknown)()).toBe('native-json');
  });

  it('still throw for a receiver that is neither ours nor native', () => {
    const stranger = Object.create(PublicKeyCredential.prototype) as Loose;
    expect(() => stranger.rawId).toThrow(TypeError);
    expect(() => (stranger.toJSON as () => unknown)()).toThrow(TypeError);
  });

  it('keep the names and lengths of the replaced functions', () => {
    const rawId = Object.getOwnPropertyDescriptor(PublicKeyCredential.prototype, 'rawId');
    const toJSON = Object.getOwnPropertyDescriptor(PublicKeyCredential.prototype, 'toJSON');
    expect(rawId?.get?.name).toBe('get rawId');
    expect(rawId?.enumerable).toBe(true);
    expect(toJSON?.value).toBeTypeOf('function');
    expect((toJSON?.value as () => unknown).name).toBe('toJSON');
    expect((toJSON?.value as () => unknown).length).toBe(0);
  });
});

describe('the prototypes, from install', () => {
  // A realm of its own for each test.
  const freshRealm = () => {
    const Credential = fakeInterface(null, ['id', 'type'], []);
    const AuthenticatorResponse = fakeInterface(null, ['clientDataJSON'], []);
    return {
      Credential,
      PublicKeyCredential: fakeInterface(Credential, ['rawId', 'authenticatorAttachment', 'response'], ['getClientExtensionResults', 'toJSON']),
      AuthenticatorResponse,
      AuthenticatorAttestationResponse: fakeInterface(AuthenticatorResponse, ['attestationObject'], ['getTransports', 'getAuthenticatorData', 'getPublicKey', 'getPublicKeyAlgorithm']),
      AuthenticatorAssertionResponse: fakeInterface(AuthenticatorResponse, ['authenticatorData', 'signature', 'userHandle'], []),
    };
  };
  const descriptors = (r: ReturnType<typeof freshRealm>) =>
    Object.values(r).map(({ prototype }) => Object.getOwnPropertyDescriptors(prototype));

  it('are patched at install: a member the page copied before Latchkey built its first credential answers that credential', () => {
    const fresh = freshRealm();
    const buildFresh = installCredentials(fresh);
    // What a page script saves before any ceremony.
    const copy = (proto: object, name: string) => {
      const d = Object.getOwnPropertyDescriptor(proto, name)!;
      return (d.get ?? d.value) as (this: unknown) => unknown;
    };
    const rawId = copy(fresh.PublicKeyCredential.prototype, 'rawId');
    const response = copy(fresh.PublicKeyCredential.prototype, 'response');
    const toJSON = copy(fresh.PublicKeyCredential.prototype, 'toJSON');
    const extensions = copy(fresh.PublicKeyCredential.prototype, 'getClientExtensionResults');
    const id = copy(fresh.Credential.prototype, 'id');
    const clientData = copy(fresh.AuthenticatorResponse.prototype, 'clientDataJSON');
    const transports = copy(fresh.AuthenticatorAttestationResponse.prototype, 'getTransports');
    const algorithm = copy(fresh.AuthenticatorAttestationResponse.prototype, 'getPublicKeyAlgorithm');
    const signature = copy(fresh.AuthenticatorAssertionResponse.prototype, 'signature');
    const created = buildFresh(registration(), 'created');
    expect(bytesOf(rawId.call(created))).toEqual([1, 2, 3]);
    expect(id.call(created)).toBe('AQID');
    expect(toJSON.call(created)).toEqual(registration());
    expect(extensions.call(created)).toEqual({ credProps: { rk: true } });
    expect(response.call(created)).toBe(created.response);
    expect(bytesOf(clientData.call(created.response))).toEqual([0x7b, 0x22, 0x7d]);
    expect(transports.call(created.response)).toEqual(['internal', 'hybrid']);
    expect(algorithm.call(created.response)).toBe(-7);
    expect(bytesOf(signature.call(buildFresh(assertion(), 'asserted').response))).toEqual([10, 11, 12]);
  });

  it('are patched once, in a realm adopted after the page changed the built-ins', () => {
    const fresh = freshRealm();
    let buildFresh: BuildCredential | undefined;
    const saved = {
      split: String.prototype.split,
      includes: String.prototype.includes,
      toLowerCase: String.prototype.toLowerCase,
      slice: String.prototype.slice,
      iterator: Array.prototype[Symbol.iterator],
      push: Array.prototype.push,
      map: Array.prototype.map,
    };
    const poison = () => {
      throw new Error('a built-in the page changed');
    };
    let credential: Loose | undefined;
    const getters: unknown[] = [];
    try {
      String.prototype.split = poison;
      String.prototype.includes = poison;
      String.prototype.toLowerCase = poison;
      String.prototype.slice = poison;
      Array.prototype[Symbol.iterator] = poison;
      Array.prototype.push = poison;
      Array.prototype.map = poison;
      // A `get` or `value` on Object.prototype would make an ordinary descriptor invalid.
      // (The second descriptor has no prototype for the same reason.)
      Object.defineProperty(Object.prototype, 'get', { value: poison, configurable: true });
      Object.defineProperty(Object.prototype, 'value', { __proto__: null, value: 1, configurable: true } as PropertyDescriptor);
      buildFresh = installCredentials(fresh);
      credential = buildFresh(assertion('dXNlcg'), 'asserted') as unknown as Loose;
      getters[0] = Object.getOwnPropertyDescriptor(fresh.PublicKeyCredential.prototype, 'rawId')?.get;
      getters[2] = Object.getOwnPropertyDescriptor(fresh.PublicKeyCredential.prototype, 'toJSON');
      buildFresh(assertion(), 'asserted');
      getters[1] = Object.getOwnPropertyDescriptor(fresh.PublicKeyCredential.prototype, 'rawId')?.get;
    } finally {
      String.prototype.split = saved.split;
      String.prototype.includes = saved.includes;
      String.prototype.toLowerCase = saved.toLowerCase;
      String.prototype.slice = saved.slice;
      Array.prototype[Symbol.iterator] = saved.iterator;
      Array.prototype.push = saved.push;
      Array.prototype.map = saved.map;
      delete (Object.prototype as Record<string, unknown>).get;
      delete (Object.prototype as Record<string, unknown>).value;
    }
    // (Checked once the built-ins are back: the test runner needs them.)
    expect(getters[1]).toBe(getters[0]);
    // A method stays a method: an inherited `get` is not taken for the original's getter.
    const toJSON = getters[2] as PropertyDescriptor | undefined;
    expect(toJSON?.get).toBeUndefined();
    expect(toJSON?.value).toBeTypeOf('function');
    expect(credential?.id).toBe('AQID');
    expect(bytesOf(credential?.response.authenticatorData)).toEqual([0x04, 0x05, 0x06]);
    expect(bytesOf(credential?.response.userHandle)).toEqual([0x75, 0x73, 0x65, 0x72]);
  });
});

describe('members the JSON leaves out', () => {
  it("stay absent when the page gives Object.prototype members of their names", () => {
    const members = ['userHandle', 'publicKey'];
    let userHandle: unknown;
    let publicKey: unknown;
    try {
      for (const name of members) Object.defineProperty(Object.prototype, name, { value: 'AQID', configurable: true, writable: true });
      userHandle = (build(assertion(), 'asserted').response as AuthenticatorAssertionResponse).userHandle;
      const created = registration();
      delete created.response.publicKey;
      publicKey = (build(created, 'created').response as AuthenticatorAttestationResponse).getPublicKey();
    } finally {
      for (const name of members) delete (Object.prototype as Record<string, unknown>)[name];
    }
    expect(userHandle).toBeNull();
    expect(publicKey).toBeNull();
  });
});

describe('prf and largeBlob outputs', () => {
  const withOutputs = (clientExtensionResults: AuthenticationResponseJSON['clientExtensionResults']) => ({ ...assertion(), clientExtensionResults });

  it('gives prf results and the largeBlob blob as ArrayBuffers from getClientExtensionResults(), base64url from toJSON()', () => {
    const outputs = { prf: { results: { first: 'AQID', second: 'BAU' } }, largeBlob: { blob: 'BgcI' } };
    const credential = build(withOutputs(outputs), 'asserted');
    const results = credential.getClientExtensionResults() as { prf: { results: { first: unknown; second: unknown } }; largeBlob: { blob: unknown } };
    expect(results.prf.results.first).toBeInstanceOf(ArrayBuffer);
    expect(bytesOf(results.prf.results.first)).toEqual([1, 2, 3]);
    expect(bytesOf(results.prf.results.second)).toEqual([4, 5]);
    expect(bytesOf(results.largeBlob.blob)).toEqual([6, 7, 8]);
    expect((credential.toJSON() as AuthenticationResponseJSON).clientExtensionResults).toEqual(outputs);
    // A fresh copy each call: the page cannot change what the next call returns.
    expect(credential.getClientExtensionResults()).not.toBe(results);
  });

  it('leaves prf.enabled, largeBlob.written and supported as booleans', () => {
    const credential = build(withOutputs({ prf: { enabled: true }, largeBlob: { written: false } }), 'asserted');
    expect(credential.getClientExtensionResults()).toEqual({ prf: { enabled: true }, largeBlob: { written: false } });
  });

  it('ignores a prf member the page put on Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.prf = { results: { first: 'AQID' } };
    try {
      const results = build(withOutputs({}), 'asserted').getClientExtensionResults() as Record<string, unknown>;
      expect(Object.keys(results)).toEqual([]);
      expect((proto.prf as { results: { first: unknown } }).results.first).toBe('AQID');
    } finally {
      delete proto.prf;
    }
  });
});
