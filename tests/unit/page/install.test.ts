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

/** A stand-in window's interfaces: a container with the browser's create and get, and the rest. */
function realmOf(extra: Record<string, unknown> = {}) {
  class CredentialsContainer {}
  const create = native('create');
  const get = native('get');
  for (const [name, fn] of [['create', create], ['get', get]] as const) {
    Object.defineProperty(CredentialsContainer.prototype, name, { value: fn, writable: true, enumerable: true, configurable: true });
  }
  const container = new CredentialsContainer();
  const navigator = { credentials: container };
  const iface = () => class {};
  // An iframe element answers its frame's window and document, or null for a cross-origin document.
  class HTMLIFrameElement {
    /** The browser's getters each read asked, in order. */
    static reads: string[] = [];
    constructor(readonly frameWindow: unknown, readonly sameOrigin: boolean) {}
  }
  for (const name of ['contentWindow', 'contentDocument']) {
    Object.defineProperty(HTMLIFrameElement.prototype, name, {
      get(this: HTMLIFrameElement) {
        if (!(this instanceof HTMLIFrameElement)) throw new TypeError('Illegal invocation');
        HTMLIFrameElement.reads.push(name);
        return name === 'contentWindow' ? this.frameWindow : this.sameOrigin ? {} : null;
      },
      enumerable: true,
      configurable: true,
    });
  }
  const opened: unknown[] = [];
  const window = {
    isSecureContext: true,
    CredentialsContainer,
    Credential: iface(),
    PublicKeyCredential: iface(),
    AuthenticatorResponse: iface(),
    AuthenticatorAttestationResponse: iface(),
    AuthenticatorAssertionResponse: iface(),
    HTMLIFrameElement,
    open: { open: (..._: unknown[]) => opened.shift() ?? null }.open,
    opened,
    ...extra,
  };
  Object.defineProperty(window, 'navigator', { get: () => navigator, configurable: true });
  type Proto = { create: (o?: unknown) => Promise<unknown>; get: (o?: unknown) => Promise<unknown> };
  return { window, proto: CredentialsContainer.prototype as Proto, container, create, get, CredentialsContainer };
}

/** A stand-in page; `answer` is the relay's (and so the service worker's) answer. */
async function page({ secure = true, answer = (_: PageRequest): unknown => ({ type: 'fallback', hints: [] }) } = {}) {
  const relay = fakeWindow(answer);
  const top = realmOf({ isSecureContext: secure, postMessage: relay.window.postMessage });
  vi.stubGlobal('window', top.window);
  vi.stubGlobal('CredentialsContainer', top.CredentialsContainer);
  vi.stubGlobal('PublicKeyCredential', top.window.PublicKeyCredential);
  vi.stubGlobal('MessageChannel', FakeMessageChannel);
  vi.stubGlobal('MessagePort', FakeMessagePort);
  vi.stubGlobal('MessageEvent', FakeMessageEvent);
  vi.resetModules();
  const { installLatchkey } = await import('../../../src/page/install');
  installLatchkey();
  return { ...top, relay };
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

  it("serves only containers it knows: another container, or another object, goes to the browser's method with its own arguments and nothing reaches the relay", async () => {
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

describe('a new same-origin realm the page reaches', () => {
  const served = { type: 'error', name: 'TypeError', message: 'from the worker' } as const;
  const frameOf = (top: Awaited<ReturnType<typeof page>>, child: ReturnType<typeof realmOf>, sameOrigin = true) =>
    new (top.window.HTMLIFrameElement as new (w: unknown, s: boolean) => object)(child.window, sameOrigin);
  const contentWindow = (element: object) => (element as { contentWindow: unknown }).contentWindow;

  it("through an iframe's contentWindow gets Latchkey's create and get, served through this window's relay", async () => {
    const top = await page({ answer: () => served });
    const child = realmOf();
    expect(contentWindow(frameOf(top, child))).toBe(child.window);
    expect(child.proto.get).not.toBe(child.get);
    await expect(child.proto.get.call(child.container, getOptions())).rejects.toThrow(new TypeError('from the worker'));
    expect(top.relay.requests).toEqual([expect.objectContaining({ type: 'get' })]);
    expect(child.get.calls).toEqual([]);
  });

  it("through contentDocument, or window.open's answer, too; and its PublicKeyCredential prototypes and statics", async () => {
    const top = await page({ answer: () => served });
    const viaDocument = realmOf();
    (frameOf(top, viaDocument) as { contentDocument: unknown }).contentDocument;
    expect(viaDocument.proto.create).not.toBe(viaDocument.create);
    const opened = realmOf();
    const toJSON = native('toJSON');
    Object.defineProperty(opened.window.PublicKeyCredential.prototype, 'toJSON', { value: toJSON, writable: true, configurable: true });
    const isConditional = native('isConditionalMediationAvailable');
    Object.defineProperty(opened.window.PublicKeyCredential, 'isConditionalMediationAvailable', { value: isConditional, writable: true, configurable: true });
    top.window.opened.push(opened.window);
    expect((top.window.open as (url: string) => unknown)('/next')).toBe(opened.window);
    expect(opened.proto.create).not.toBe(opened.create);
    expect((opened.window.PublicKeyCredential.prototype as { toJSON: unknown }).toJSON).not.toBe(toJSON);
    expect((opened.window.PublicKeyCredential as unknown as { isConditionalMediationAvailable: unknown }).isConditionalMediationAvailable).not.toBe(isConditional);
  });

  it("serves its method called on the top container, and the top's method called on its container", async () => {
    const top = await page({ answer: () => served });
    const child = realmOf();
    contentWindow(frameOf(top, child));
    await expect(child.proto.get.call(top.container, getOptions())).rejects.toThrow(new TypeError("from the worker"));
    await expect(top.proto.get.call(child.container, getOptions())).rejects.toThrow(new TypeError("from the worker"));
    expect(top.relay.requests).toHaveLength(2);
    expect([child.get.calls, top.get.calls]).toEqual([[], []]);
  });

  it('asks the browser for each of contentWindow and contentDocument at most once on a read of either, same-origin or not', async () => {
    const top = await page();
    const reads = (top.window.HTMLIFrameElement as unknown as { reads: string[] }).reads;
    for (const sameOrigin of [true, false]) {
      const child = realmOf();
      const element = frameOf(top, child, sameOrigin);
      for (const name of ['contentWindow', 'contentDocument']) {
        reads.length = 0;
        const value = (element as Record<string, unknown>)[name];
        if (name === 'contentWindow') expect(value).toBe(child.window);
        else expect(value === null).toBe(!sameOrigin);
        expect(reads).toContain(name);
        expect(new Set(reads).size).toBe(reads.length);
      }
    }
  });

  it('leaves a cross-origin frame (no contentDocument) alone, and adopts a realm once', async () => {
    const top = await page();
    const foreign = realmOf();
    contentWindow(frameOf(top, foreign, false));
    expect(foreign.proto.get).toBe(foreign.get);
    const child = realmOf();
    const element = frameOf(top, child);
    contentWindow(element);
    const first = child.proto.get;
    contentWindow(element);
    expect(child.proto.get).toBe(first);
  });
});
