// Marks the popup's first painted frame the way Latchkey's popup marks its first rows
// (components/after-paint.ts): a message posted from the next frame's animation
// callback runs once that frame's style, layout and paint are done.
requestAnimationFrame(() => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => performance.mark('floor:first-paint');
  channel.port2.postMessage(null);
});
