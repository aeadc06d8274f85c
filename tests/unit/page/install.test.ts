// installLatchkey in a stand-in page: which container it serves, where it installs nothing,
// what the replaced methods look like, and what a fallback hands the browser.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PageRequest } from '../../../src/protocol/messages';
import { FakeMessageChannel, FakeMessageEvent, FakeMessagePort, fakeWindow } from './fake-messaging';

type Native = ((this: unknown, ...args: unknown[]) => Promise<unknown>) & { calls: { self: unknown; args: unknown[] }[] };

/** A browser's method: records each call, answers 'native'; length 0 as create/get are. */
function native(name: string): Native {
  const calls: Native['calls'] = [];
  const fn = { [name](this: unknown, ...args: unknown[]) { calls.push({ self: this, args }); return Promise.resolve('native'); } }[name]! as Native;
  fn.calls = calls;
  return fn;
}

/** A stand-in page; `answer` is the relay's (and so the service worker's) answer. */
async function page({ secure = true, answer = (_: PageRequest): unknown => ({ type: 'fallback', hints: [] }) } = {}) {
  class CredentialsContainer {}
  const create = native('create');
  const get = native('get');
  for (const [name, fn] of [['create', create], ['get', get]] as const) {
    Object.defineProperty(CredentialsContainer.prototype, name, { value: fn, writable: true, enumerable: true, configurable: true });
  }
  const container = new CredentialsContainer();
  const navigator = { credentials: container };
  const relay = fakeWindow(answer);
  const iface = () => class {};
  const window = {
    isSecureContext: secure,
    postMessage: relay.window.postMessage,
    Credential: iface(),
    PublicKeyCredential: iface(),
    AuthenticatorResponse: iface(),
    AuthenticatorAttestationResponse: iface(),
    AuthenticatorAssertionResponse: iface(),
  };
  Object.defineProperty(window, 'navigator', { get: () => navigator, configurable: true });
  vi.stubGlobal('window', window);
  vi.stubGlobal('CredentialsContainer', CredentialsContainer);
  vi.stubGlobal('PublicKeyCredential', window.PublicKeyCredential);
  vi.stubGlobal('MessageChannel', FakeMessageChannel);
  vi.stubGlobal('MessagePort', FakeMessagePort);
  vi.stubGlobal('MessageEvent', FakeMessageEvent);
  vi.resetModules();
  const { installLatchkey } = await import('../../../src/page/install');
  installLatchkey();
  const proto = CredentialsContainer.prototype as { create: (o?: unknown) => Promise<unknown>; get: (o?: unknown) => Promise<unknown> };
  return { proto, container, create, get, relay, CredentialsContainer };
}

const getOptions = () => ({ publicKey: { challenge: new Uint8Array(32), rpId: 'example.com' } });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('installLatchkey', () => {
  it('installs nothing in an insecure context', async () => {
    const { proto, create, get } = await page({ secure: false });
    expect(proto.create).toBe(create);
    expect(proto.get).toBe(get);
  });

  it('replaces create and get with methods of the native name and length, and the same property flags', async () => {
    const { proto, create, get } = await page();
    for (const [name, original] of [['create', create], ['get', get]] as const) {
      const replaced = proto[name];
      expect(replaced).not.toBe(original);
      expect(replaced.name).toBe(name);
      expect(replaced.length).toBe(original.length);
      expect(Object.getOwnPropertyDescriptor(proto, name)).toEqual({ value: replaced, writable: true, enumerable: true, configurable: true });
    }
  });

  it("serves only the page's own container: another container, or another object, goes to the browser's method with its own arguments and nothing reaches the relay", async () => {
    const { proto, get, relay, CredentialsContainer } = await page();
    const other = new CredentialsContainer();
    const options = getOptions();
    await expect(proto.get.call(other, options)).resolves.toBe('native');
    await expect((proto.get as (...args: unknown[]) => Promise<unknown>).call({}, options, 'extra')).resolves.toBe('native');
    expect(get.calls).toEqual([{ self: other, args: [options] }, { self: expect.any(Object), args: [options, 'extra'] }]);
    await new Promise((r) => setTimeout(r, 10));
    expect(relay.requests).toEqual([]);
  });

  it("serves the page's own container through the relay", async () => {
    const { container, proto, get, relay } = await page({ answer: () => ({ type: 'error', name: 'TypeError', message: 'from the worker' }) });
    await expect(proto.get.call(container, getOptions())).rejects.toThrow(new TypeError('from the worker'));
    expect(relay.requests).toEqual([expect.objectContaining({ type: 'get' })]);
    expect(get.calls).toEqual([]);
  });

  it("hands a fallback the page's own options object, on the page's own container", async () => {
    const { container, proto, get } = await page({ answer: () => ({ type: 'fallback', hints: [] }) });
    const options = getOptions();
    await expect(proto.get.call(container, options)).resolves.toBe('native');
    expect(get.calls).toHaveLength(1);
    expect(get.calls[0]!.self).toBe(container);
    expect(get.calls[0]!.args).toHaveLength(1);
    expect(get.calls[0]!.args[0]).toBe(options);
  });
});
