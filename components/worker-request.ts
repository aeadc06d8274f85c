// A request from one of Latchkey's pages to the service worker over the worker's own
// postMessage, answered on a MessagePort (src/background/worker-messages.ts). It needs no
// extension API, whose bindings Chromium builds on a page's first use, and its answer is a
// structured clone, which carries a large list many times faster than runtime messaging. It
// works only while the worker controls the page (navigator.serviceWorker.controller).

/** The service worker as a page it controls reaches it. */
export interface ControllingWorker {
  postMessage(message: unknown, transfer: Transferable[]): void;
}

/** The worker controlling this page; undefined without one (it is being replaced, or not a page). */
export function controllingWorker(): ControllingWorker | undefined {
  return (typeof navigator !== 'undefined' && navigator.serviceWorker?.controller) || undefined;
}

/** One request to `worker`, resolved with its answer. */
export function askWorker(worker: ControllingWorker, request: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent) => {
      channel.port1.close();
      resolve(event.data);
    };
    worker.postMessage(request, [channel.port2]);
  });
}
