// The prompt window's runtime port, opened the moment prompt.html's script runs, before
// Preact renders anything (a hook's effect would only run after the first, empty paint). The
// question comes with the vault's lock state (ceremonies.ts, withLockState), so nothing else
// is asked before the question can paint; a service worker that sends no lock state is asked
// for it. What arrives is kept until the view subscribes.
import { browser } from 'wxt/browser';
import type { LockStatus } from '../../src/protocol/lock';
import {
  HEARTBEAT_MS,
  PROMPT_PORT,
  type PromptAnswer,
  type PromptMessage,
  type PromptRequest,
  type PromptShow,
} from '../../src/protocol/messages';
import { sendLock } from '../vault/useLockStatus';

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

export function openPromptConnection(ceremonyId: string): PromptConnection {
  let state: PromptState = { phase: 'connecting' };
  let lock: EarlyLock;
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());

  const port = browser.runtime.connect({ name: PROMPT_PORT });
  const send = (message: PromptMessage) => port.postMessage(message);
  port.onMessage.addListener((message: unknown) => {
    const show = message as PromptShow;
    if (show.type === 'show') {
      state = { phase: 'asking', request: show.request, error: show.error };
      if (show.unlocked !== undefined) lock = show.unlocked ? 'unlocked' : 'unknown';
      else if (lock === undefined) askLock();
    } else if (show.type === 'failed') state = { phase: 'failed', message: show.message };
    else if (show.type === 'close') window.close();
    changed();
  });
  port.onDisconnect.addListener(() => window.close());
  send({ type: 'hello', ceremonyId });
  setInterval(() => send({ type: 'heartbeat' }), HEARTBEAT_MS);

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
