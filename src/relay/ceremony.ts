// The relay's part of a ceremony that needs no DOM: which handshake it takes, and the life
// of one ceremony between the page's MessagePort and a runtime port to the service worker
// (docs/architecture.md#a-ceremony-end-to-end, step 2). entrypoints/relay.ts supplies the browser.

import { INTERRUPTED_ERROR } from '../client/errors';
import type { AutofillNotice } from '../protocol/autofill';
import {
  HEARTBEAT_MS,
  PAGE_HANDSHAKE,
  type CeremonyResponse,
  type FrameFacts,
  type PageRequest,
  type PageResponse,
} from '../protocol/messages';

/** The page's port of a handshake this frame's own window posted; undefined for any other. */
export function handshakePort(event: { source: unknown; ports: readonly MessagePort[]; data: unknown }, self: unknown): MessagePort | undefined {
  // A child frame's window (or any other) can post here too: only this window's page speaks for it.
  if (event.source !== self) return undefined;
  const pagePort = event.ports[0];
  if (!pagePort || (event.data as { type?: unknown } | null)?.type !== PAGE_HANDSHAKE) return undefined;
  return pagePort;
}

/**
 * The answer of a relay whose extension is gone (disabled, removed, updated or reloaded): the
 * browser's own WebAuthn, with the page's own options.
 */
export const ORPHAN_ANSWER: CeremonyResponse = { type: 'fallback', hints: [] };

/**
 * A runtime port to the service worker, or none when this relay's extension is gone: then
 * `alive` is false, or connect throws ("Extension context invalidated").
 */
export function connectWorker(alive: () => boolean, connect: () => WorkerPort): WorkerPort | undefined {
  try {
    return alive() ? connect() : undefined;
  } catch {
    return undefined;
  }
}

/** The answer as the page takes it: an error named for a DOMException comes as one too. */
export const toPage = (response: CeremonyResponse): PageResponse =>
  response.type === 'error' && response.name !== 'TypeError'
    ? { ...response, exception: new DOMException(response.message, response.name) }
    : response;

/** What of a runtime port the relay uses. */
export interface WorkerPort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: CeremonyResponse | AutofillNotice | { type: 'heartbeat' }) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/**
 * Carries one ceremony from `pagePort` to the service worker (`port`) and its answer back;
 * without a port (an orphaned relay) it answers ORPHAN_ANSWER at once.
 * `frameFacts`: what this world sees truthfully of the frame, over anything the page sent.
 * `autofill`: the ceremony's autofill, which takes the notices and stops when called with none.
 * `toPage`: the answer as the page takes it. (Positional, so that the minifier shortens them.)
 */
export function relayCeremony(
  pagePort: MessagePort,
  request: PageRequest,
  port: WorkerPort | undefined,
  frameFacts: (create: boolean) => FrameFacts,
  autofill: () => (notice?: AutofillNotice) => void,
  toPage: (response: CeremonyResponse) => PageResponse,
): void {
  if (!port) {
    pagePort.postMessage(toPage(ORPHAN_ANSWER));
    pagePort.close();
    return;
  }
  let done = false;
  // Every ceremony watches for the press in the field that may come before Latchkey owns it.
  const setAutofill = autofill();
  const heartbeat = setInterval(() => port.postMessage({ type: 'heartbeat' }), HEARTBEAT_MS);
  const finish = (response?: CeremonyResponse) => {
    if (done) return;
    done = true;
    clearInterval(heartbeat);
    setAutofill();
    if (response) pagePort.postMessage(toPage(response));
    pagePort.close();
    port.disconnect();
  };
  port.onMessage.addListener((message) => {
    if (message.type === 'autofill') setAutofill(message);
    else if (message.type !== 'heartbeat') finish(message);
  });
  // The service worker went away mid-ceremony (extension reloaded or crashed).
  port.onDisconnect.addListener(() => finish(INTERRUPTED_ERROR));
  pagePort.onmessage = (event) => {
    if ((event.data as { type?: unknown } | null)?.type === 'abort') finish();
  };
  // The frame facts come last, over whatever `frame` the page put in its request.
  port.postMessage({ ...request, frame: frameFacts(request.type === 'create') });
}
