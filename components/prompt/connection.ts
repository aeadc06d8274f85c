// The prompt window's link to the service worker. The question is asked for the moment
// prompt.html's script runs, before Preact renders anything (a hook's effect would only run
// after the first, empty paint), over the worker's own postMessage when this page has the
// worker as its controller: that needs no extension API, whose bindings Chromium builds on a
// page's first use (runtime's took 1–5 ms of the script's start in a trace). The runtime port,
// which carries the answer, later questions and the heartbeat, opens once that question has
// painted, or at once without a controller or without a question to show. The question comes
// with the vault's lock state (ceremonies.ts, withLockState), so nothing else is asked before
// it can paint; a service worker that sends no lock state is asked for it. What arrives is
// kept until the view subscribes.
import { browser } from 'wxt/browser';
import type { LockStatus } from '../../src/protocol/lock';
import {
  HEARTBEAT_MS,
  PROMPT_PORT,
  type PromptAnswer,
  type PromptMessage,
  type PromptQuestionRequest,
  type PromptRequest,
  type PromptShow,
} from '../../src/protocol/messages';
import { afterPaint } from '../after-paint';
import { sendLock } from '../vault/useLockStatus';
import { askWorker, controllingWorker, type ControllingWorker } from '../worker-request';

export type PromptState =
  | { phase: 'connecting' }
  /** `error`: why the service worker did not take the last answer (a wrong PIN, say). */
  | { phase: 'asking'; request: PromptRequest; error?: string }
  | { phase: 'answered'; request: PromptRequest }
  | { phase: 'failed'; message: string };

/**
 * The lock state as the service worker last gave it: 'unlocked', or another state, or
 * 'unknown' when the vault is not unlocked or asking failed (VaultGate then asks for all of it).
 */
export type EarlyLock = LockStatus['state'] | 'unknown' | undefined;

export interface PromptConnection {
  state(): PromptState;
  lock(): EarlyLock;
  /** Calls `listener` on every change of state or lock; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  answer(reply: PromptAnswer): void;
}

/** How long after the early question the port opens at the latest, painted or not. */
const PORT_LATEST_MS = 250;

export function openPromptConnection(ceremonyId: string, worker: ControllingWorker | undefined = controllingWorker()): PromptConnection {
  let state: PromptState = { phase: 'connecting' };
  let lock: EarlyLock;
  /** The question shown from the worker's postMessage, which the port's hello shows again. */
  let early: PromptShow | undefined;
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());

  function show(message: PromptShow) {
    if (message.type === 'show') {
      state = { phase: 'asking', request: message.request, error: message.error };
      if (message.unlocked !== undefined) lock = message.unlocked ? 'unlocked' : 'unknown';
      else if (lock === undefined) askLock();
    } else if (message.type === 'failed') state = { phase: 'failed', message: message.message };
    else if (message.type === 'close') window.close();
    changed();
  }

  let port: ReturnType<typeof browser.runtime.connect> | undefined;
  function connect() {
    if (port) return port;
    const opened = (port = browser.runtime.connect({ name: PROMPT_PORT }));
    opened.onMessage.addListener((message: unknown) => {
      const received = message as PromptShow;
      const again = early;
      early = undefined;
      // The same question, shown again on hello: already on screen (and maybe answered).
      if (again && sameShow(again, received)) return;
      show(received);
    });
    opened.onDisconnect.addListener(() => window.close());
    opened.postMessage({ type: 'hello', ceremonyId } satisfies PromptMessage);
    setInterval(() => opened.postMessage({ type: 'heartbeat' } satisfies PromptMessage), HEARTBEAT_MS);
    return opened;
  }
  const send = (message: PromptMessage) => connect().postMessage(message);

  if (worker) {
    askWorker(worker, { type: 'prompt:question', ceremonyId } satisfies PromptQuestionRequest).then(
      (answer) => {
        const message = answer as PromptShow | undefined;
        if (!message || message.type !== 'show' || port) return void connect();
        early = message;
        show(message);
        afterPaint(connect);
        // A window that is not painting (hidden, say) runs no frame: the port opens anyway.
        setTimeout(connect, PORT_LATEST_MS);
      },
      connect,
    );
  } else connect();

  function askLock() {
    sendLock({ type: 'lock:status' }).then(
      (reply) => (lock = reply.status.state),
      () => (lock = 'unknown'),
    ).then(changed);
  }

  return {
    state: () => state,
    lock: () => lock,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    answer(reply) {
      if (state.phase === 'asking') {
        state = { phase: 'answered', request: state.request };
        changed();
      }
      send({ type: 'answer', answer: reply });
    },
  };
}

function sameShow(a: PromptShow, b: PromptShow): boolean {
  return a.type === 'show' && b.type === 'show' && a.error === b.error && JSON.stringify(a.request) === JSON.stringify(b.request);
}
