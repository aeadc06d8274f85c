// Latchkey's pages may also ask over the service worker's own postMessage, with a MessagePort
// for the answer. That is a structured clone, where runtime.sendMessage serializes through the
// browser process: the passkey manager's list (1.3 MB at 10,000 passkeys) took 240–900 ms by
// runtime messaging and 13–90 ms this way on the benchmark's machine. Only same-origin clients
// (the extension's own pages) can post to the worker; the origin is checked anyway, and each
// request goes through the same validating handlers as runtime messages.

import type { PageHandler } from './router';

export interface WorkerMessageEvent {
  origin: string;
  data: unknown;
  ports: readonly MessagePort[];
}

export interface WorkerScope {
  location: { origin: string };
  addEventListener(type: 'message', listener: (event: WorkerMessageEvent) => void): void;
}

/** Register at the top level of the service worker, as every listener is. */
export function serveWorkerMessages(scope: WorkerScope, handlers: readonly PageHandler[]): void {
  scope.addEventListener('message', (event) => {
    const port = event.ports[0];
    if (!port || event.origin !== scope.location.origin) return;
    let answer: Promise<unknown> | undefined;
    for (const handle of handlers) {
      answer = handle(event.data);
      if (answer !== undefined) break;
    }
    void (answer ?? Promise.resolve(undefined)).then(
      (value) => port.postMessage(value),
      () => port.postMessage(undefined),
    );
  });
}
