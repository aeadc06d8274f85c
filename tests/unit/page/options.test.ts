import { describe, expect, it } from 'vitest';
import { optionsToJSON, readCall } from '../../../src/page/options';

const bytes = (...values: number[]) => new Uint8Array(values);

function creation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    rp: { name: 'Example', id: 'example.com' },
    user: { id: bytes(1, 2, 3), name: 'ada', displayName: 'Ada' },
    challenge: bytes(0xfb, 0xff, 0xbf).buffer,
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    ...overrides,
  };
}

const toCreateJSON = (publicKey: unknown) => optionsToJSON('create', publicKey);
const toGetJSON = (publicKey: unknown) => optionsToJSON('get', publicKey);

describe("optionsToJSON('create')", () => {
  it('converts the required members, binary ones to base64url', () => {
    expect(toCreateJSON(creation())).toEqual({
      rp: { name: 'Example', id: 'example.com' },
      user: { id: 'AQID', name: 'ada', displayName: 'Ada' },
      challenge: '-_-_',
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    });
  });

  it('converts the optional members', () => {
    const whole = bytes(0, 0, 5, 6, 0);
    const json = toCreateJSON(
      creation({
        timeout: 60000,
        excludeCredentials: [{ type: 'public-key', id: new DataView(whole.buffer, 2, 2), transports: ['internal', 'hybrid'] }],
        authenticatorSelection: { residentKey: 'required', requireResidentKey: 1, userVerification: 'preferred' },
        hints: ['client-device'],
        attestation: 'none',
        attestationFormats: ['packed'],
        extensions: { credProps: true },
      }),
    );
    expect(json).toMatchObject({
      timeout: 60000,
      excludeCredentials: [{ type: 'public-key', id: 'BQY', transports: ['internal', 'hybrid'] }],
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
      hints: ['client-device'],
      attestation: 'none',
      attestationFormats: ['packed'],
      extensions: { credProps: true },
    });
  });

  it('leaves absent optional members out of the JSON', () => {
    const json = JSON.parse(JSON.stringify(toCreateJSON(creation()))) as object;
    expect(Object.keys(json).sort()).toEqual(['challenge', 'pubKeyCredParams', 'rp', 'user']);
  });

  it('converts DOMString members with ToString, as WebIDL does', () => {
    const json = toCreateJSON(creation({ rp: { name: 42 }, user: { id: bytes(1), name: true, displayName: null } }));
    expect(json.rp.name).toBe('42');
    expect(json.user.name).toBe('true');
    expect(json.user.displayName).toBe('null');
  });

  it('converts alg as a WebIDL long, so a KeycloakJS string alg becomes a number', () => {
    const json = toCreateJSON(creation({ pubKeyCredParams: [{ type: 'public-key', alg: '-257' }, { type: 'public-key', alg: 'ES256' }] }));
    // (The converted sequences have no prototype: they only go to postMessage.)
    expect(Array.from(json.pubKeyCredParams, (p) => p.alg)).toEqual([-257, 0]);
  });

  it('converts timeout as an unsigned long', () => {
    expect(toCreateJSON(creation({ timeout: '30000' })).timeout).toBe(30000);
    expect(toCreateJSON(creation({ timeout: -1 })).timeout).toBe(4294967295);
  });

  it('accepts any iterable as a sequence', () => {
    const params = new Set([{ type: 'public-key', alg: -8 }]);
    expect(toCreateJSON(creation({ pubKeyCredParams: params })).pubKeyCredParams).toEqual([{ type: 'public-key', alg: -8 }]);
  });

  it("reads every entry of a sequence when the page gave Object.prototype accessors for '0' and '1'", () => {
    const poison = () => {
      throw new Error('read from Object.prototype');
    };
    for (const index of ['0', '1']) Object.defineProperty(Object.prototype, index, { get: poison, configurable: true });
    try {
      const json = toCreateJSON(creation({ pubKeyCredParams: [{ type: 'public-key', alg: -8 }, { type: 'public-key', alg: -7 }], hints: ['security-key'] }));
      expect(Object.getOwnPropertyDescriptors(json.pubKeyCredParams)).toMatchObject({ 0: { value: { type: 'public-key', alg: -8 } }, 1: { value: { type: 'public-key', alg: -7 } } });
      expect(Array.isArray(json.pubKeyCredParams) && json.pubKeyCredParams.length).toBe(2);
      expect(Object.getOwnPropertyDescriptor(json.hints, '0')?.value).toBe('security-key');
    } finally {
      for (const index of ['0', '1']) delete (Object.prototype as Record<string, unknown>)[index];
    }
  });

  it.each([
    ['rp is missing', { rp: undefined }, /publicKey\.rp is required/],
    ['user is missing', { user: undefined }, /publicKey\.user is required/],
    ['challenge is missing', { challenge: undefined }, /publicKey\.challenge is required/],
    ['pubKeyCredParams is missing', { pubKeyCredParams: undefined }, /publicKey\.pubKeyCredParams is required/],
    ['rp.name is missing', { rp: { id: 'example.com' } }, /publicKey\.rp\.name is required/],
    ['user.name is missing', { user: { id: bytes(1), displayName: 'Ada' } }, /publicKey\.user\.name is required/],
    ['user.displayName is missing', { user: { id: bytes(1), name: 'ada' } }, /publicKey\.user\.displayName is required/],
    ['user.id is missing', { user: { name: 'ada', displayName: 'Ada' } }, /publicKey\.user\.id is required/],
    ['challenge is a string', { challenge: 'AQID' }, /publicKey\.challenge is not a BufferSource/],
    ['challenge is an array', { challenge: [1, 2, 3] }, /publicKey\.challenge is not a BufferSource/],
    ['user.id is a string', { user: { id: 'AQID', name: 'ada', displayName: 'Ada' } }, /publicKey\.user\.id is not a BufferSource/],
    ['pubKeyCredParams is a string', { pubKeyCredParams: 'public-key' }, /publicKey\.pubKeyCredParams is not a sequence/],
    ['a pubKeyCredParams entry lacks alg', { pubKeyCredParams: [{ type: 'public-key' }] }, /pubKeyCredParams\[0\]\.alg is required/],
    ['rp is a string', { rp: 'example.com' }, /publicKey\.rp is not an object/],
    [
      'an excludeCredentials id is a string',
      { excludeCredentials: [{ type: 'public-key', id: 'AQID' }] },
      /publicKey\.excludeCredentials\[0\]\.id is not a BufferSource/,
    ],
    ['excludeCredentials is not iterable', { excludeCredentials: { length: 0 } }, TypeError],
    ['rp.name is a Symbol', { rp: { name: Symbol('x') } }, TypeError],
  ])('throws a TypeError when %s', (_, overrides, message) => {
    expect(() => toCreateJSON(creation(overrides))).toThrow(TypeError);
    expect(() => toCreateJSON(creation(overrides))).toThrow(message);
  });

  it('throws a TypeError when publicKey itself is not an object', () => {
    expect(() => toCreateJSON(5)).toThrow(TypeError);
  });

  it('reads each member once, in WebIDL order (inherited first, then lexicographic)', () => {
    const read: string[] = [];
    const watched = <T extends object>(path: string, target: T): T =>
      new Proxy(target, {
        get(object, name, receiver) {
          if (typeof name === 'string') read.push(`${path}${name}`);
          return Reflect.get(object, name, receiver) as unknown;
        },
      });
    toCreateJSON(
      watched('', creation({ rp: watched('rp.', { name: 'Example', id: 'example.com' }), user: watched('user.', { id: bytes(1), name: 'ada', displayName: 'Ada' }) })),
    );
    expect(read).toEqual([
      'attestation',
      'attestationFormats',
      'authenticatorSelection',
      'challenge',
      'excludeCredentials',
      'extensions',
      'hints',
      'pubKeyCredParams',
      'rp',
      'rp.name',
      'rp.id',
      'timeout',
      'user',
      'user.name',
      'user.displayName',
      'user.id',
    ]);
  });
});

describe('extension inputs', () => {
  const extensionsOf = (extensions: unknown) => toCreateJSON(creation({ extensions })).extensions;

  it('converts credProps to a boolean', () => {
    expect(extensionsOf({ credProps: 1 })?.credProps).toBe(true);
    expect(extensionsOf({ credProps: '' })?.credProps).toBe(false);
  });

  it('passes other inputs only as JSON scalars', () => {
    const json = JSON.parse(
      JSON.stringify(extensionsOf({ appid: 'https://example.com', uvm: true, minPinLength: 4, credBlob: bytes(1), f: () => 1, n: Number.NaN })),
    ) as unknown;
    expect(json).toEqual({ appid: 'https://example.com', uvm: true, minPinLength: 4 });
  });
});

describe("optionsToJSON('get')", () => {
  it('converts challenge, allowCredentials and the optional members', () => {
    const whole = bytes(9, 1, 2, 9);
    const json = toGetJSON({
      challenge: bytes(1, 2, 3, 4),
      rpId: 'example.com',
      timeout: 5000,
      userVerification: 'discouraged',
      hints: ['security-key'],
      allowCredentials: [{ type: 'public-key', id: whole.subarray(1, 3), transports: ['usb'] }],
      extensions: { credProps: true },
    });
    expect(json).toEqual({
      challenge: 'AQIDBA',
      rpId: 'example.com',
      timeout: 5000,
      userVerification: 'discouraged',
      hints: ['security-key'],
      allowCredentials: [{ type: 'public-key', id: 'AQI', transports: ['usb'] }],
      extensions: { credProps: true },
    });
  });

  it('throws a TypeError when challenge is missing', () => {
    expect(() => toGetJSON({ rpId: 'example.com' })).toThrow(/publicKey\.challenge is required/);
  });

  it('throws a TypeError when an allowCredentials id is not a BufferSource', () => {
    expect(() => toGetJSON({ challenge: bytes(1), allowCredentials: [{ type: 'public-key', id: [1] }] })).toThrow(TypeError);
  });
});

describe('readCall', () => {
  const publicKey = creation();
  const getKey = { challenge: bytes(1) };

  it('serves a create with publicKey', () => {
    const call = readCall('create', { publicKey });
    expect(call?.request).toEqual({ type: 'create', options: toCreateJSON(publicKey) });
    expect(call?.publicKey).toBe(publicKey);
  });

  it("serves a get with publicKey, with mediation 'optional' by default", () => {
    expect(readCall('get', { publicKey: getKey })?.request).toEqual({ type: 'get', options: { challenge: 'AQ' }, mediation: 'optional' });
    expect(readCall('get', { publicKey: getKey, mediation: 'required' })?.request).toMatchObject({ mediation: 'required' });
  });

  it('takes a conditional get to the service worker, which owns the autofill or hands it back', () => {
    expect(readCall('get', { publicKey: getKey, mediation: 'conditional' })?.request).toEqual({
      type: 'get',
      options: { challenge: 'AQ' },
      mediation: 'conditional',
    });
  });

  it.each([
    ['no options', undefined],
    ['options without publicKey', {}],
    ['a password credential', { password: { id: 'a', password: 'b' } }],
    ['a federated credential', { federated: { providers: [] } }],
    ['publicKey together with another credential type', { publicKey: getKey, otp: { transport: ['sms'] } }],
    ['an identity credential', { identity: { providers: [] } }],
    ['a mediation value Latchkey does not know', { publicKey: getKey, mediation: 'immediate' }],
  ])('leaves a get with %s to the browser', (_, options) => {
    expect(readCall('get', options)).toBeUndefined();
  });

  it("leaves mediation 'silent' to the browser untouched, since a passkey needs the user's presence", () => {
    expect(readCall('get', { publicKey: getKey, mediation: 'silent' })).toBeUndefined();
    expect(readCall('create', { publicKey, mediation: 'silent' })).toBeUndefined();
  });

  it('leaves a conditional create to the browser', () => {
    expect(readCall('create', { publicKey, mediation: 'conditional' })).toBeUndefined();
  });

  it('throws a TypeError for a bad publicKey member, rather than leaving it to the browser', () => {
    expect(() => readCall('create', { publicKey: creation({ challenge: 'AQID' }) })).toThrow(TypeError);
  });

  it('throws a TypeError when signal is not an AbortSignal', () => {
    expect(() => readCall('get', { publicKey: getKey, signal: { aborted: false } })).toThrow(TypeError);
  });

  it("carries the page's AbortSignal, aborted or not", () => {
    const controller = new AbortController();
    controller.abort();
    expect(readCall('get', { publicKey: getKey, signal: controller.signal })?.signal).toBe(controller.signal);
  });
});

describe('prf and largeBlob inputs', () => {
  it('converts prf eval, evalByCredential and largeBlob write from any BufferSource, views by their own bytes', () => {
    const whole = bytes(9, 1, 2, 9);
    const json = toGetJSON({
      challenge: bytes(1),
      extensions: {
        prf: { eval: { first: new DataView(whole.buffer, 1, 2), second: bytes(3).buffer }, evalByCredential: { AQID: { first: new Uint16Array([0x0201]) } } },
        largeBlob: { write: whole.subarray(3) },
      },
    });
    expect(JSON.parse(JSON.stringify(json.extensions))).toEqual({
      prf: { eval: { first: 'AQI', second: 'Aw' }, evalByCredential: { AQID: { first: 'AQI' } } },
      largeBlob: { write: 'CQ' },
    });
  });

  it('takes BufferSources made in another realm (an iframe\'s)', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext('({ view: new Uint8Array([5, 6]), buffer: new Uint8Array([7]).buffer })') as { view: Uint8Array; buffer: ArrayBuffer };
    const json = toGetJSON({ challenge: bytes(1), extensions: { prf: { eval: { first: foreign.view, second: foreign.buffer } }, largeBlob: { write: foreign.view } } });
    expect(JSON.parse(JSON.stringify(json.extensions))).toEqual({ prf: { eval: { first: 'BQY', second: 'Bw' } }, largeBlob: { write: 'BQY' } });
  });

  it('throws a TypeError for a prf input that is not a BufferSource, or a missing first', () => {
    expect(() => toGetJSON({ challenge: bytes(1), extensions: { prf: { eval: { first: 'text' } } } })).toThrow(TypeError);
    expect(() => toGetJSON({ challenge: bytes(1), extensions: { prf: { eval: {} } } })).toThrow(TypeError);
    expect(() => toGetJSON({ challenge: bytes(1), extensions: { prf: { evalByCredential: { AQID: { first: [1] } } } } })).toThrow(TypeError);
    expect(() => toGetJSON({ challenge: bytes(1), extensions: { largeBlob: { write: new SharedArrayBuffer(1) } } })).toThrow(TypeError);
  });

  it('converts largeBlob support as a DOMString and read as a boolean, at create', () => {
    const json = toCreateJSON(creation({ extensions: { largeBlob: { support: { toString: () => 'required' } } } }));
    expect(JSON.parse(JSON.stringify(json.extensions))).toEqual({ largeBlob: { support: 'required' } });
  });
});
