// Marks the popup's first painted frame the way Latchkey's popup marks its first rows
// (components/after-paint.ts): a message posted from the next frame's animation
// callback runs once that frame's style, layout and paint are done. And the moments
// Latchkey's popup marks as it starts (components/popup/start-marks.ts): the script, the
// popup shown, the first animation frame.
performance.mark('floor:popup-script');
if (document.visibilityState === 'visible') performance.mark('floor:popup-shown');
else document.addEventListener('visibilitychange', () => performance.mark('floor:popup-shown'), { once: true });
requestAnimationFrame(() => {
  performance.mark('floor:popup-frame');
  const channel = new MessageChannel();
  channel.port1.onmessage = () => performance.mark('floor:first-paint');
  channel.port2.postMessage(null);
});
