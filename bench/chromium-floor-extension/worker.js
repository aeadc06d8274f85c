// Evaluated into by the bench (bench/lib/ceremony.mjs, popup.mjs). Opens prompt.html in the
// same kind of window as Latchkey's prompt (src/background/windows.ts, entrypoints/
// background.ts) and returns the epoch time of the windows.create call.
globalThis.openFloorWindow = async (size) => {
  const calledAt = performance.timeOrigin + performance.now();
  const created = await chrome.windows.create({ url: chrome.runtime.getURL('prompt.html'), type: 'popup', focused: true, ...size });
  return { calledAt, windowId: created.id };
};
globalThis.closeFloorWindow = (windowId) => chrome.windows.remove(windowId);
// Opens the toolbar popup, as Latchkey's is opened by the bench (bench/lib/popup.mjs), and
// returns the epoch time of the call.
globalThis.openFloorPopup = async () => {
  const calledAt = performance.timeOrigin + performance.now();
  await chrome.action.openPopup();
  return calledAt;
};
