import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AutofillNotice } from '../../../src/protocol/autofill';
import { HEARTBEAT_MS, PAGE_HANDSHAKE, type CeremonyResponse, type FrameFacts, type PageRequest } from '../../../src/protocol/messages';
import { connectWorker, handshakePort, relayCeremony, toPage, type WorkerPort } from '../../../src/relay/ceremony';

const self = { name: 'this frame’s window' };
const child = { name: 'a child frame’s window' };
const port = {} as MessagePort;

describe('the relay takes a handshake only from its own window', () => {
  it("takes the page's port from a handshake its own window posted", () => {
    expect(handshakePort({ source: self, ports: [port], data: { type: PAGE_HANDSHAKE } }, self)).toBe(port);
  });

  it('ignores a handshake from a child frame (event.source is not this window)', () => {
    expect(handshakePort({ source: child, ports: [port], data: { type: PAGE_HANDSHAKE } }, self)).toBeUndefined();
    expect(handshakePort({ source: null, ports: [port], data: { type: PAGE_HANDSHAKE } }, self)).toBeUndefined();
  });

  it('ignores a message without a port, or of another type', () => {
    expect(handshakePort({ source: self, ports: [], data: { type: PAGE_HANDSHAKE } }, self)).toBeUndefined();
    expect(handshakePort({ source: self, ports: [port], data: { type: 'other' } }, self)).toBeUndefined();
    expect(handshakePort({ source: self, ports: [port], data: null }, self)).toBeUndefined();
  });
});

/** The relay's truthful facts in these tests: nothing allowed, no activation, insecure. */
const FACTS: FrameFacts = { createAllowed: false, getAllowed: false, transientActivation: false, secureContext: false, policyKnown: true, ancestorOrigins: ['https://top.example'] };

function harness() {
  const toWorker: unknown[] = [];
  const onMessage: ((m: CeremonyResponse | AutofillNotice | { type: 'heartbeat' }) => void)[] = [];
  const onDisconnect: (() => void)[] = [];
  const worker = {
    disconnects: 0,
    postMessage: (m: unknown) => void toWorker.push(m),
    disconnect() {
      this.disconnects++;
    },
    onMessage: { addListener: (l: (typeof onMessage)[number]) => void onMessage.push(l) },
    onDisconnect: { addListener: (l: () => void) => void onDisconnect.push(l) },
  } satisfies WorkerPort & { disconnects: number };
  const toPage: unknown[] = [];
  const page = { closes: 0, onmessage: null as ((e: { data: unknown }) => void) | null, postMessage: (m: unknown) => void toPage.push(m), close() { this.closes++; } };
  const notices: (AutofillNotice | undefined)[] = [];
  const factsAsked: boolean[] = [];
  const startWith = (request: PageRequest, port: WorkerPort | undefined) =>
    relayCeremony(
      page as unknown as MessagePort,
      request,
      port,
      (create) => (factsAsked.push(create), FACTS),
      () => (notice) => void notices.push(notice),
      (r) => ({ ...r }),
    );
  return {
    start: (request: PageRequest) => startWith(request, worker),
    startWith,
    worker,
    toWorker,
    page,
    toPage,
    notices,
    factsAsked,
    fromWorker: (m: CeremonyResponse | AutofillNotice | { type: 'heartbeat' }) => onMessage.forEach((l) => l(m)),
    workerGone: () => onDisconnect.forEach((l) => l()),
    pageSends: (data: unknown) => page.onmessage?.({ data }),
  };
}

const get: PageRequest = { type: 'get', options: { challenge: 'AAAA' }, mediation: 'optional' };
const create: PageRequest = {
  type: 'create',
  options: { challenge: 'AAAA', rp: { name: 'R' }, user: { id: 'AQ', name: 'u', displayName: 'U' }, pubKeyCredParams: [{ type: 'public-key', alg: -7 }] },
};

describe('the relay forwards a ceremony with its own frame facts', () => {
  it("overwrites a page-supplied `frame` with the relay's own facts", () => {
    const h = harness();
    const lying = { createAllowed: true, getAllowed: true, transientActivation: true, secureContext: true, policyKnown: true, ancestorOrigins: [] };
    h.start({ ...create, frame: lying } as PageRequest);
    expect(h.toWorker).toEqual([{ ...create, frame: FACTS }]);
    expect(h.factsAsked).toEqual([true]);
  });

  it('asks for the facts of a get as a get (no activation taken for a create)', () => {
    const h = harness();
    h.start(get);
    expect(h.toWorker).toEqual([{ ...get, frame: FACTS }]);
    expect(h.factsAsked).toEqual([false]);
  });
});

describe("the relay's lifecycle", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives the page NotAllowedError when the service worker disconnects mid-ceremony, and closes both ports', () => {
    const h = harness();
    h.start(get);
    h.workerGone();
    expect(h.toPage).toEqual([{ type: 'error', name: 'NotAllowedError', message: 'The passkey request was interrupted.' }]);
    expect(h.page.closes).toBe(1);
    expect(h.worker.disconnects).toBe(1);
    expect(h.notices).toEqual([undefined]); // the autofill stopped
  });

  it("disconnects the worker's port on the page's abort, and answers nothing", () => {
    const h = harness();
    h.start(get);
    h.pageSends({ type: 'abort' });
    expect(h.worker.disconnects).toBe(1);
    expect(h.page.closes).toBe(1);
    expect(h.toPage).toEqual([]);
    expect(h.notices).toEqual([undefined]);
    // Nothing more: not a late answer, not a second disconnect, not a heartbeat.
    h.fromWorker({ type: 'error', name: 'NotAllowedError', message: 'late' });
    h.workerGone();
    vi.advanceTimersByTime(60_000);
    expect(h.toPage).toEqual([]);
    expect(h.worker.disconnects).toBe(1);
    expect(h.toWorker).toHaveLength(1);
  });

  it('ignores any other message from the page', () => {
    const h = harness();
    h.start(get);
    h.pageSends({ type: 'cancel' });
    h.pageSends(null);
    expect(h.worker.disconnects).toBe(0);
    expect(h.page.closes).toBe(0);
  });

  it("forwards the worker's answer once, then closes both ports; a later disconnect adds nothing", () => {
    const h = harness();
    h.start(get);
    h.fromWorker({ type: 'heartbeat' });
    h.fromWorker({ type: 'autofill', state: 'armed', key: 'k' } as AutofillNotice);
    expect(h.toPage).toEqual([]);
    expect(h.notices).toEqual([{ type: 'autofill', state: 'armed', key: 'k' }]);
    h.fromWorker({ type: 'fallback', hints: [] });
    h.workerGone();
    expect(h.toPage).toEqual([{ type: 'fallback', hints: [] }]);
    expect(h.page.closes).toBe(1);
    expect(h.worker.disconnects).toBe(1);
  });

  it('sends a heartbeat every HEARTBEAT_MS while the ceremony is open, and none after', () => {
    const h = harness();
    h.start(get);
    vi.advanceTimersByTime(2 * HEARTBEAT_MS);
    expect(h.toWorker.slice(1)).toEqual([{ type: 'heartbeat' }, { type: 'heartbeat' }]);
    h.fromWorker({ type: 'fallback', hints: [] });
    vi.advanceTimersByTime(3 * HEARTBEAT_MS);
    expect(h.toWorker).toHaveLength(3);
  });
});

describe('an orphaned relay (its extension disabled, removed, updated or reloaded)', () => {
  it("answers 'fallback' at once, with no hints, and closes the page's port", () => {
    const h = harness();
    h.startWith(create, connectWorker(() => false, () => h.worker));
    expect(h.toPage).toEqual([{ type: 'fallback', hints: [] }]);
    expect(h.page.closes).toBe(1);
    expect(h.toWorker).toEqual([]);
    expect(h.factsAsked).toEqual([]);
  });

  it("answers 'fallback' when connecting throws (“Extension context invalidated”)", () => {
    const h = harness();
    const port = connectWorker(
      () => true,
      () => {
        throw new Error('Extension context invalidated.');
      },
    );
    expect(port).toBeUndefined();
    h.startWith(get, port);
    expect(h.toPage).toEqual([{ type: 'fallback', hints: [] }]);
    expect(h.page.closes).toBe(1);
  });

  it('connects while its extension is there', () => {
    const h = harness();
    expect(connectWorker(() => true, () => h.worker)).toBe(h.worker);
  });
});

describe('the answer as the page takes it', () => {
  it('carries an error other than TypeError also as a DOMException of that name and message', () => {
    const answer = toPage({ type: 'error', name: 'InvalidStateError', message: 'excluded' });
    expect(answer).toMatchObject({ type: 'error', name: 'InvalidStateError', message: 'excluded' });
    const exception = (answer as { exception?: unknown }).exception;
    expect(exception).toBeInstanceOf(DOMException);
    expect(exception).toMatchObject({ name: 'InvalidStateError', message: 'excluded' });
  });

  it('leaves a TypeError, and any other answer, as it is', () => {
    const typeError = { type: 'error', name: 'TypeError', message: 'bad' } as const;
    expect(toPage(typeError)).toBe(typeError);
    const fallback: CeremonyResponse = { type: 'fallback', hints: ['hybrid'] };
    expect(toPage(fallback)).toBe(fallback);
  });
});
