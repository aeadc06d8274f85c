// The prompt window's side of its runtime port: says hello with the ceremony id, keeps the
// service worker awake while the user reads (DESIGN.md step 4), and hands on what to show.
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import {
  HEARTBEAT_MS,
  PROMPT_PORT,
  type PromptAnswer,
  type PromptMessage,
  type PromptRequest,
  type PromptShow,
} from '../../src/protocol/messages';

export type PromptState =
  | { phase: 'connecting' }
  /** `error`: why the service worker did not take the last answer (a wrong PIN, say). */
  | { phase: 'asking'; request: PromptRequest; error?: string }
  | { phase: 'answered'; request: PromptRequest }
  | { phase: 'failed'; message: string };

export function usePromptPort(ceremonyId: string) {
  const [state, setState] = useState<PromptState>({ phase: 'connecting' });
  const portRef = useRef<ReturnType<typeof browser.runtime.connect>>();

  useEffect(() => {
    const port = browser.runtime.connect({ name: PROMPT_PORT });
    portRef.current = port;
    const send = (message: PromptMessage) => port.postMessage(message);
    port.onMessage.addListener((message: unknown) => {
      const show = message as PromptShow;
      if (show.type === 'show') setState({ phase: 'asking', request: show.request, error: show.error });
      else if (show.type === 'error') setState({ phase: 'failed', message: show.message });
      else if (show.type === 'close') window.close();
    });
    port.onDisconnect.addListener(() => window.close());
    send({ type: 'hello', ceremonyId });
    const heartbeat = setInterval(() => send({ type: 'heartbeat' }), HEARTBEAT_MS);
    return () => {
      clearInterval(heartbeat);
      port.disconnect();
    };
  }, [ceremonyId]);

  const answer = (reply: PromptAnswer) => {
    setState((current) => (current.phase === 'asking' ? { phase: 'answered', request: current.request } : current));
    portRef.current?.postMessage({ type: 'answer', answer: reply } satisfies PromptMessage);
  };

  return { state, answer };
}
