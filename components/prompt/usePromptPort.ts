// The prompt window's side of its runtime port (connection.ts): says hello with the ceremony
// id, keeps the service worker awake while the user reads (docs/architecture.md#a-ceremony-end-to-end step 4), and hands on
// what to show, with the vault's lock state.
//
// It subscribes in a layout effect, which Preact runs as the first render commits. A plain
// effect waits for the next animation frame and a timer after it: a question that arrived
// meanwhile (it usually does) waited ~10 ms more before it rendered.
import { useLayoutEffect, useState } from 'preact/hooks';
import type { PromptAnswer } from '../../src/protocol/messages';
import type { EarlyLock, PromptConnection, PromptState } from './connection';

export type { PromptState } from './connection';

export function usePromptPort(connection: PromptConnection): {
  state: PromptState;
  lock: EarlyLock;
  answer: (reply: PromptAnswer) => void;
} {
  const snapshot = () => ({ state: connection.state(), lock: connection.lock() });
  const [current, setCurrent] = useState(snapshot);
  useLayoutEffect(() => {
    const update = () => setCurrent(snapshot());
    const unsubscribe = connection.subscribe(update);
    update(); // whatever arrived between the first render and this effect
    return unsubscribe;
  }, [connection]);
  return { ...current, answer: (reply) => connection.answer(reply) };
}
