// One ceremony over a fresh MessageChannel to the relay (ISOLATED world): the handshake
// hands the relay port2 through window.postMessage, the request and a later abort go down
// port1, and exactly one PageResponse comes back (docs/architecture.md#a-ceremony-end-to-end steps 1 and 5).

import { PAGE_HANDSHAKE, type PageAbort, type PageRequest, type PageResponse } from '../protocol/messages';
import {
  addEventListener,
  getter,
  $Promise,
  removeEventListener,
  setPrototypeOf,
  signalAborted,
  signalReason,
  uncurry,
} from './realm';

export type OpenCeremony = (request: PageRequest, signal: AbortSignal | undefined) => Promise<PageResponse>;

/** Takes the DOM's messaging built-ins now (document_start) and returns the opener. */
export function ceremonyOpener(window: Window): OpenCeremony {
  const $MessageChannel = MessageChannel;
  const portPrototype = MessagePort.prototype;
  // A channel's ports and an event's data are accessors on the prototypes, which the page
  // may redefine later: the originals are called instead, and the port is listened to with
  // EventTarget's addEventListener and its own start() rather than its onmessage setter.
  const port1 = getter<MessageChannel, MessagePort>($MessageChannel.prototype, 'port1');
  const port2 = getter<MessageChannel, MessagePort>($MessageChannel.prototype, 'port2');
  const messageData = getter<MessageEvent, PageResponse>(MessageEvent.prototype, 'data');
  const send = uncurry(portPrototype.postMessage as (this: MessagePort, message: unknown) => void);
  const start = uncurry(portPrototype.start);
  const close = uncurry(portPrototype.close);
  const handshake = uncurry(
    window.postMessage as (this: Window, message: unknown, targetOrigin: string, transfer: Transferable[]) => void,
  );

  return (request, signal) =>
    new $Promise<PageResponse>((resolve, reject) => {
      // Credential Management's create()/get(): an already aborted signal rejects with its reason.
      if (signal && signalAborted(signal)) return reject(signalReason(signal));
      const channel = new $MessageChannel();
      const port = port1(channel);
      const finish = () => {
        close(port);
        if (signal) removeEventListener(signal, 'abort', onAbort);
      };
      // The page's AbortSignal rejects at once; the relay closes the prompt when told.
      const onAbort = (): void => {
        send(port, { type: 'abort' } satisfies PageAbort);
        finish();
        reject(signal && signalReason(signal));
      };
      // The relay posts exactly one message: the response (heartbeats and autofill notices
      // stay between it and the service worker). Only its own members count: with no
      // prototype, a member it leaves out (`modal`, `exception`) or a `then` is not read
      // from the page's Object.prototype.
      addEventListener(port, 'message', (event) => {
        finish();
        resolve(setPrototypeOf(messageData(event as MessageEvent), null) as PageResponse);
      });
      start(port);
      if (signal) addEventListener(signal, 'abort', onAbort);
      handshake(window, { type: PAGE_HANDSHAKE }, '*', [port2(channel)]);
      send(port, request);
    });
}
