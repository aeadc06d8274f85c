/**
 * Runs `then` in the first task after the next frame has been painted: a message posted from
 * that frame's requestAnimationFrame callback runs once its style, layout and paint are done,
 * without setTimeout's extra wait.
 */
export function afterPaint(then: () => void): void {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      then();
    };
    channel.port2.postMessage(null);
  });
}
