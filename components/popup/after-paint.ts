/**
 * Runs `then` in the first task after the next frame has been painted: a message posted from
 * that frame's requestAnimationFrame callback runs once its style, layout and paint are done,
 * without setTimeout's extra wait. One channel serves every call, made outside any frame: a
 * new MessageChannel in the callback cost 1–3.5 ms of the frame itself in a trace of a search
 * keystroke (its pipe and ports), ahead of the style, layout and paint it was waiting for.
 */
let channel: MessageChannel | undefined;
const waiting: (() => void)[] = [];

export function afterPaint(then: () => void): void {
  if (!channel) {
    channel = new MessageChannel();
    // Messages arrive in the order they were posted: one callback each, first in first out.
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  const port = channel.port2;
  requestAnimationFrame(() => {
    waiting.push(then);
    port.postMessage(null);
  });
}
