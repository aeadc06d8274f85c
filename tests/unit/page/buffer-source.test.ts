import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { base64urlToArrayBuffer, bufferSourceToBase64url } from '../../../src/page/buffer-source';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('bufferSourceToBase64url', () => {
  it('encodes an ArrayBuffer without padding, in the URL-safe alphabet', () => {
    expect(bufferSourceToBase64url(bytes(0xfb, 0xff, 0xbf).buffer, 'x')).toBe('-_-_');
    expect(bufferSourceToBase64url(bytes(1, 2, 3, 4).buffer, 'x')).toBe('AQIDBA');
    expect(bufferSourceToBase64url(new ArrayBuffer(0), 'x')).toBe('');
  });

  it('encodes a Uint8Array', () => {
    expect(bufferSourceToBase64url(bytes(104, 105), 'x')).toBe('aGk');
  });

  it('encodes only the bytes of a subarray view, not its whole buffer', () => {
    const whole = bytes(0, 1, 2, 3, 4, 5, 6, 7);
    expect(bufferSourceToBase64url(whole.subarray(2, 5), 'x')).toBe('AgME');
  });

  it('encodes only the bytes of a DataView with an offset and a length', () => {
    const whole = bytes(9, 9, 0xff, 0xee, 9);
    expect(bufferSourceToBase64url(new DataView(whole.buffer, 2, 2), 'x')).toBe('_-4');
  });

  it('encodes other typed arrays by their bytes', () => {
    const words = new Uint16Array([0x0201, 0x0403]);
    expect(bufferSourceToBase64url(words.subarray(1), 'x')).toBe(bufferSourceToBase64url(bytes(3, 4), 'x'));
  });

  it('accepts an ArrayBuffer made in another realm (an iframe in the page)', () => {
    const foreign: unknown = runInNewContext('new Uint8Array([7, 8, 9]).buffer');
    expect(foreign instanceof ArrayBuffer).toBe(false);
    expect(bufferSourceToBase64url(foreign, 'x')).toBe('BwgJ');
  });

  it.each([
    ['a string', 'AQID'],
    ['an array of numbers', [1, 2, 3]],
    ['a plain object', { byteLength: 3 }],
    ['null', null],
    ['a SharedArrayBuffer', new SharedArrayBuffer(4)],
  ])('throws a TypeError naming the member for %s', (_, value) => {
    expect(() => bufferSourceToBase64url(value, 'publicKey.challenge')).toThrow(TypeError);
    expect(() => bufferSourceToBase64url(value, 'publicKey.challenge')).toThrow(/publicKey\.challenge/);
  });
});

describe('base64urlToArrayBuffer', () => {
  it('returns an ArrayBuffer of exactly the decoded bytes', () => {
    const buffer = base64urlToArrayBuffer('AQIDBA');
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(buffer)]).toEqual([1, 2, 3, 4]);
  });

  it('returns a fresh ArrayBuffer on every call', () => {
    expect(base64urlToArrayBuffer('AQ')).not.toBe(base64urlToArrayBuffer('AQ'));
  });

  it('decodes unpadded base64url with both URL-safe characters', () => {
    expect([...new Uint8Array(base64urlToArrayBuffer('-_8'))]).toEqual([0xfb, 0xff]);
  });
});

describe('base64url after the page changed the built-ins', () => {
  it('encodes and decodes with what it took at install, not String/RegExp methods, the length getter or Uint8Array the page replaced', () => {
    const typedArray = Object.getPrototypeOf(Uint8Array.prototype) as object;
    const saved = {
      replace: String.prototype.replace,
      charCodeAt: String.prototype.charCodeAt,
      symbolReplace: Object.getOwnPropertyDescriptor(RegExp.prototype, Symbol.replace)!,
      length: Object.getOwnPropertyDescriptor(typedArray, 'length')!,
      Uint8Array: globalThis.Uint8Array,
    };
    const poison = () => {
      throw new Error('a built-in the page changed');
    };
    let encoded: string | undefined;
    let decoded: ArrayBuffer | undefined;
    const input = bytes(0xfb, 0xff, 0xbf, 0x01);
    try {
      String.prototype.replace = poison;
      String.prototype.charCodeAt = poison;
      Object.defineProperty(RegExp.prototype, Symbol.replace, { value: poison, configurable: true });
      Object.defineProperty(typedArray, 'length', { get: () => 0, configurable: true });
      globalThis.Uint8Array = poison as unknown as Uint8ArrayConstructor;
      encoded = bufferSourceToBase64url(input, 'x');
      decoded = base64urlToArrayBuffer('-_-_AQ');
    } finally {
      String.prototype.replace = saved.replace;
      String.prototype.charCodeAt = saved.charCodeAt;
      Object.defineProperty(RegExp.prototype, Symbol.replace, saved.symbolReplace);
      Object.defineProperty(typedArray, 'length', saved.length);
      globalThis.Uint8Array = saved.Uint8Array;
    }
    // (Checked once the built-ins are back: the test runner needs them.)
    expect(encoded).toBe('-_-_AQ');
    expect([...new Uint8Array(decoded!)]).toEqual([0xfb, 0xff, 0xbf, 0x01]);
  });
});
