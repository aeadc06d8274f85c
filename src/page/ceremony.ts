// One ceremony over a fresh MessageChannel to the relay (ISOLATED world): the handshake
// hands the relay port2 through window.postMessage, the request and a later abort go down
// port1, and exactly one PageResponse comes back (DESIGN.md steps 1 and 5).

import { PAGE_HANDSHAKE, type PageAbort, type PageRequest, type PageResponse } from '../protocol/messages';
import {
  addEventListener,
  $Promise,
  removeEventListener,
  signalAborted,
  signalReason,
  uncurry,
} from './realm';

export type OpenCeremony = (request: PageRequest, signal: AbortSignal | undefined) => Promise<PageResponse>;

/** Takes the DOM's messaging built-ins now (document_start) and returns the opener. */
export function ceremonyOpener(window: Window): OpenCeremony {
  const $MessageChannel = MessageChannel;
  const send = uncurry(MessagePort.prototype.postMessage as (this: MessagePort, message: unknown) => void);
  const close = uncurry(MessagePort.prototype.close);
  const handshake = uncurry(
    window.postMessage as (this: Window, message: unknown, targetOrigin: string, transfer: Transferable[]) => void,
  );

  return (request, signal) =>
    new $Promise<PageResponse>((resolve, reject) => {
      // Credential Management's create()/get(): an already aborted signal rejects with its reason.
      if (signal && signalAborted(signal)) return reject(signalReason(signal));
      const { port1: port, port2 } = new $MessageChannel();
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
      // stay between it and the service worker).
      port.onmessage = ({ data }: MessageEvent<PageResponse>) => {
        finish();
        resolve(data);
      };
      if (signal) addEventListener(signal, 'abort', onAbort);
      handshake(window, { type: PAGE_HANDSHAKE }, '*', [port2]);
      send(port, request);
    });
}
