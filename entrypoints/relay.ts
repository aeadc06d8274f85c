// ISOLATED world, document_start, every frame (registered in wxt.config.ts; injected into tabs
// open before an install or update by src/background/inject.ts). Carries one ceremony at a
// time from the page's MessagePort to a runtime port, adding what only this world sees
// truthfully (docs/architecture.md#a-ceremony-end-to-end, step 2). The logic is in src/relay; this file
// supplies the browser. Uses chrome.* directly: the relay runs in every frame and must stay
// small (budget 4 KB minified).

import { ACTIVATION_EVENTS, activationTracker } from '../src/relay/activation';
import { autofill, watchFields } from '../src/relay/autofill';
import { connectWorker, handshakePort, relayCeremony, toPage } from '../src/relay/ceremony';
import { frameFacts, type FrameScope } from '../src/relay/frame';
import { startRelay, type RelayScope } from '../src/relay/lifecycle';
import { CEREMONY_PORT, type PageRequest } from '../src/protocol/messages';

// No global: `var relay` would be the frame's (and WXT's trailing `relay;` would throw without it).
export default defineUnlistedScript({
  globalName: false,
  main() {
    // WebAuthn exists only in secure contexts. The page script checks too, but the page can post
    // the handshake itself: here, in a world the page cannot reach, is where it counts.
    if (!isSecureContext) return;
    // An orphan's chrome.runtime has no id (Chromium), or connect throws.
    const alive = () => !!chrome.runtime?.id;
    const activation = activationTracker();
    const facts = frameFacts(window as unknown as FrameScope, activation);
    const onMessage = (event: Event) => {
      const pagePort = handshakePort(event as MessageEvent, window);
      if (!pagePort) return;
      // The first message on the port is the request; anything else is dropped by the
      // service worker's validator, so no shape check is needed here.
      pagePort.onmessage = (first) =>
        relayCeremony(
          pagePort,
          first.data as PageRequest,
          connectWorker(alive, () => chrome.runtime.connect({ name: CEREMONY_PORT })),
          facts,
          autofill,
          toPage,
        );
    };
    if (!startRelay(globalThis as RelayScope, window, alive, onMessage)) return;
    for (const type of ACTIVATION_EVENTS) addEventListener(type, activation.onEvent as EventListener, true);
    watchFields();
  },
});
