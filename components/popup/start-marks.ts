// Benchmark marks of the popup's start (performance.mark, from the page's timeOrigin), which
// bench/lib/popup.mjs reports beside the same moments of the floor's static copy
// (bench/chromium-floor-extension/painted.js), to show where the first rows wait:
//   latchkey:popup-script    popup-app.js starts
//   latchkey:popup-list      the list's start is in (main.tsx)
//   latchkey:popup-rendered  the first render is done (main.tsx)
//   latchkey:popup-shown     Chromium shows the popup: the page becomes visible
//   latchkey:popup-frame     the page's first animation frame
// The load event is the page's own navigation timing.

export function markPopupStart(): void {
  performance.mark('latchkey:popup-script');
  if (document.visibilityState === 'visible') performance.mark('latchkey:popup-shown');
  else document.addEventListener('visibilitychange', () => performance.mark('latchkey:popup-shown'), { once: true });
  requestAnimationFrame(() => performance.mark('latchkey:popup-frame'));
}
