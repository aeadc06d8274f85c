import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ceremonyOpener, type OpenCeremony } from '../../../src/page/ceremony';
import { withFallback } from '../../../src/page/fallback';
import { PAGE_HANDSHAKE, type PageRequest, type PageResponse } from '../../../src/protocol/messages';
import { FakeMessageChannel, FakeMessageEvent, FakeMessagePort, fakeWindow } from './fake-messaging';

const request: PageRequest = {
  type: 'get',
  options: { challenge: 'AQID', rpId: 'example.com' },
  mediation: 'conditional',
};

/** Runs `tamper` (the page, after install), then one ceremony; restores what it changed. */
async function ceremonyAfter(open: OpenCeremony, tamper: () => () => void): Promise<PageResponse> {
  const restore = tamper();
  try {
    return await open(request, undefined);
  } finally {
    restore();
  }
}

/** Redefines `proto[name]` as the page would; returns the undo. */
/** A ceremony the relay answers with a hybrid fallback, opened at install and run after `tamper`. */
async function hybridAfter(tamper: () => () => void) {
  const relay = fakeWindow(() => ({ type: 'fallback', hints: ['hybrid'] }));
  const response = await ceremonyAfter(ceremonyOpener(relay.window), tamper);
  return { requests: relay.requests, response };
}

function redefine(proto: object, name: string, descriptor: PropertyDescriptor): () => void {
  const saved = Object.getOwnPropertyDescriptor(proto, name);
  Object.defineProperty(proto, name, { configurable: true, ...descriptor });
  return () => (saved ? Object.defineProperty(proto, name, saved) : delete (proto as Record<string, unknown>)[name]);
}

const forged: PageResponse = { type: 'fallback', hints: ['security-key'] };
const fails = () => {
  throw new Error('an accessor the page redefined');
};

beforeAll(() => {
  vi.stubGlobal('MessageChannel', FakeMessageChannel);
  vi.stubGlobal('MessagePort', FakeMessagePort);
  vi.stubGlobal('MessageEvent', FakeMessageEvent);
});
afterAll(() => {
  vi.unstubAllGlobals();
});

describe('a ceremony over a MessageChannel', () => {
  it("posts the request to the relay and resolves with the relay's response", async () => {
    const relay = fakeWindow(() => ({ type: 'fallback', hints: ['hybrid'] }));
    const response = await ceremonyOpener(relay.window)(request, undefined);
    expect(relay.requests).toEqual([request]);
    expect(response).toEqual({ type: 'fallback', hints: ['hybrid'] });
  });

  it("uses the channel's port1/port2 getters taken at install, not the ones the page set later", async () => {
    const { requests, response } = await hybridAfter(() => {
      const undo1 = redefine(FakeMessageChannel.prototype, 'port1', { get: fails });
      const undo2 = redefine(FakeMessageChannel.prototype, 'port2', { get: fails });
      return () => (undo1(), undo2());
    });
    expect(requests).toEqual([request]);
    expect(response).toEqual({ type: 'fallback', hints: ['hybrid'] });
  });

  it("listens to its port with the addEventListener and start taken at install, not the page's onmessage or methods", async () => {
    const { response } = await hybridAfter(() => {
      const undo = [
        redefine(FakeMessagePort.prototype, 'onmessage', { set: fails }),
        redefine(FakeMessagePort.prototype, 'addEventListener', { value: fails }),
        redefine(FakeMessagePort.prototype, 'start', { value: fails }),
      ];
      return () => undo.forEach((u) => u());
    });
    expect(response).toEqual({ type: 'fallback', hints: ['hybrid'] });
  });

  it("reads the message event's data with the getter taken at install, not one that forges a response", async () => {
    const { response } = await hybridAfter(() => redefine(FakeMessageEvent.prototype, 'data', { get: () => forged }));
    expect(response).toEqual({ type: 'fallback', hints: ['hybrid'] });
  });

  it("reads only the response's own members: a `modal` on Object.prototype does not make a fallback modal", async () => {
    const relay = fakeWindow(() => ({ type: 'fallback', hints: [] }));
    const response = (await ceremonyOpener(relay.window)(request, undefined)) as Extract<PageResponse, { type: 'fallback' }>;
    const options = { mediation: 'conditional', publicKey: {} };
    let modal: unknown;
    let native: unknown;
    const undo = redefine(Object.prototype, 'modal', { value: true, writable: true });
    try {
      modal = response.modal;
      native = withFallback(options, options.publicKey, response);
    } finally {
      undo();
    }
    expect(modal).toBeUndefined();
    // A conditional get stays conditional: the page's own options, untouched.
    expect(native).toBe(options);
  });
});

describe('aborts', () => {
  it('rejects at once with the reason of an already-aborted signal, and sends nothing: no handshake, no request', async () => {
    const handshakes: unknown[] = [];
    const relay = fakeWindow(() => ({ type: 'fallback', hints: [] }));
    const window = { postMessage: (...args: unknown[]) => void handshakes.push(args) } as unknown as Window;
    const reason = new Error('the page changed its mind');
    const controller = new AbortController();
    controller.abort(reason);
    await expect(ceremonyOpener(window)(request, controller.signal)).rejects.toBe(reason);
    await new Promise((r) => setTimeout(r, 10));
    expect(handshakes).toEqual([]);
    expect(relay.requests).toEqual([]);
  });

  it("rejects with the signal's reason when the page aborts mid-ceremony, and tells the relay 'abort'", async () => {
    const seen: unknown[] = [];
    // A relay that never answers: it only records what the page sends.
    const postMessage = (message: { type: string }, _origin: string, [port]: FakeMessagePort[]) => {
      if (message.type === PAGE_HANDSHAKE && port) FakeMessagePort.listen(port, (data) => seen.push(data));
    };
    const controller = new AbortController();
    const pending = ceremonyOpener({ postMessage } as unknown as Window)(request, controller.signal);
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([request]);
    const reason = new DOMException('stop', 'AbortError');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([request, { type: 'abort' }]);
  });
});
