// Evaluated into by bench/run.mjs: opens prompt.html in the same kind of window as Latchkey's
// prompt (src/background/windows.ts, entrypoints/background.ts) and returns the epoch time of
// the windows.create call.
globalThis.openFloorWindow = async (size) => {
  const calledAt = performance.timeOrigin + performance.now();
  const created = await chrome.windows.create({ url: chrome.runtime.getURL('prompt.html'), type: 'popup', focused: true, ...size });
  return { calledAt, windowId: created.id };
};
globalThis.closeFloorWindow = (windowId) => chrome.windows.remove(windowId);
