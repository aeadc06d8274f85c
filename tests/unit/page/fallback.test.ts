import { describe, expect, it } from 'vitest';
import { withFallback } from '../../../src/page/fallback';

function pageOptions(mediation = 'optional') {
  const signal = new AbortController().signal;
  const publicKey = { challenge: new Uint8Array([1]).buffer, rpId: 'example.com', hints: ['client-device'] };
  return { options: { publicKey, signal, mediation }, publicKey, signal };
}

type Options = { publicKey: { hints?: string[]; rpId?: string; challenge?: ArrayBuffer }; signal?: AbortSignal; mediation?: string };

describe('withFallback', () => {
  it("replaces publicKey.hints with the response's hints", () => {
    const { options, publicKey } = pageOptions();
    const native = withFallback(options, publicKey, { type: 'fallback', hints: ['hybrid'] }) as Options;
    expect(native.publicKey.hints).toEqual(['hybrid']);
  });

  it('overlays hints and mediation when the page gave Object.prototype a `get` and a `set`', () => {
    const { options, publicKey } = pageOptions('conditional');
    let seen: unknown;
    try {
      // (Null-prototype descriptors: the first member defined would spoil an ordinary one.)
      for (const name of ['get', 'set']) Object.defineProperty(Object.prototype, name, { __proto__: null, value: () => undefined, configurable: true, writable: true } as PropertyDescriptor);
      const native = withFallback(options, publicKey, { type: 'fallback', hints: ['hybrid'], modal: true }) as Options;
      seen = [native.publicKey.hints, native.mediation];
    } catch (e) {
      seen = e;
    } finally {
      for (const name of ['get', 'set']) delete (Object.prototype as Record<string, unknown>)[name];
    }
    expect(seen).toEqual([['hybrid'], 'optional']);
  });

  it("keeps every other member of the page's options: signal, mediation, challenge, rpId", () => {
    const { options, publicKey, signal } = pageOptions();
    const native = withFallback(options, publicKey, { type: 'fallback', hints: ['security-key'] }) as Options;
    expect(native.signal).toBe(signal);
    expect(native.mediation).toBe('optional');
    expect(native.publicKey.challenge).toBe(publicKey.challenge);
    expect(native.publicKey.rpId).toBe('example.com');
  });

  it("does not mutate the caller's options", () => {
    const { options, publicKey } = pageOptions('conditional');
    withFallback(options, publicKey, { type: 'fallback', hints: ['hybrid'], modal: true });
    expect(options.publicKey).toBe(publicKey);
    expect(options.mediation).toBe('conditional');
    expect(publicKey.hints).toEqual(['client-device']);
  });

  it('keeps members the page defined as getters or inherited from a prototype', () => {
    const publicKey = Object.create({ rpId: 'inherited.example' }, {
      timeout: { get: () => 1234, enumerable: false },
    }) as object;
    const native = withFallback({ publicKey }, publicKey, { type: 'fallback', hints: ['hybrid'] }) as Options & { publicKey: { timeout: number } };
    expect(native.publicKey.rpId).toBe('inherited.example');
    expect(native.publicKey.timeout).toBe(1234);
  });

  it("passes the page's own options object when there are no hints: a conditional get stays conditional", () => {
    const { options, publicKey } = pageOptions('conditional');
    expect(withFallback(options, publicKey, { type: 'fallback', hints: [] })).toBe(options);
  });

  it("makes an owned conditional get the browser's modal get, keeping the signal and publicKey", () => {
    const { options, publicKey, signal } = pageOptions('conditional');
    const native = withFallback(options, publicKey, { type: 'fallback', hints: [], modal: true }) as Options;
    expect(native.mediation).toBe('optional');
    expect(native.signal).toBe(signal);
    expect(native.publicKey).toBe(publicKey);
  });
});
