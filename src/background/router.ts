// One-shot requests from Latchkey's own pages (popup, prompt, autofill frame) to the service
// worker, over runtime.sendMessage. Each feature contributes a handler that answers the
// messages it knows (after validating them) and returns undefined for the rest.
// Content scripts share the extension id, so the sender's URL is what tells an extension
// page from a web page: only pages under the extension's own origin are answered.

export type PageHandler = (message: unknown) => Promise<unknown> | undefined;

export function extensionPageRouter(extensionBaseUrl: string, handlers: readonly PageHandler[]) {
  return (message: unknown, sender: { url?: string; tab?: unknown }): Promise<unknown> | undefined => {
    if (!sender.url?.startsWith(extensionBaseUrl)) return undefined;
    for (const handle of handlers) {
      const answer = handle(message);
      if (answer !== undefined) return answer;
    }
    return undefined;
  };
}

/**
 * A handler whose code is loaded with the first message it takes (`accepts` tells which, as the
 * handler's own first check does), so a feature used rarely adds nothing to the service
 * worker's start (docs/performance.md). A failed load is tried again at the next message.
 */
export function lazyPageHandler(accepts: (message: unknown) => boolean, load: () => Promise<PageHandler>): PageHandler {
  let loading: Promise<PageHandler> | undefined;
  return (message) => {
    if (!accepts(message)) return undefined;
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading.then((handle) => handle(message));
  };
}
