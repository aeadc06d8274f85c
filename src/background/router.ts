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
