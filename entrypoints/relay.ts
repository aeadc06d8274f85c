// ISOLATED world, document_start, every frame (registered in wxt.config.ts). Carries one
// ceremony at a time from the page's MessagePort to a runtime port, adding what only this
// world sees truthfully (DESIGN.md "A ceremony, end to end", step 2). Uses chrome.* directly:
// the relay runs in every frame and must stay small (budget 4 KB minified).

import {
  CEREMONY_PORT,
  HEARTBEAT_MS,
  PAGE_HANDSHAKE,
  type CeremonyResponse,
  type FrameFacts,
  type PageRequest,
} from '../src/protocol/messages';

interface PolicyLike {
  allowsFeature(feature: string): boolean;
}

function allows(feature: string): boolean {
  const doc = document as Document & { permissionsPolicy?: PolicyLike; featurePolicy?: PolicyLike };
  const policy = doc.permissionsPolicy ?? doc.featurePolicy;
  // Without a policy object the browser enforces nothing we can read: the default
  // allowlist of both features is 'self', which the service worker checks by origin.
  return policy ? policy.allowsFeature(feature) : true;
}

function frameFacts(): FrameFacts {
  return {
    createAllowed: allows('publickey-credentials-create'),
    getAllowed: allows('publickey-credentials-get'),
    transientActivation: navigator.userActivation?.isActive ?? false,
  };
}

function relay(pagePort: MessagePort, request: PageRequest): void {
  const port = chrome.runtime.connect({ name: CEREMONY_PORT });
  let done = false;
  const heartbeat = setInterval(() => port.postMessage({ type: 'heartbeat' }), HEARTBEAT_MS);
  const finish = (response?: CeremonyResponse) => {
    if (done) return;
    done = true;
    clearInterval(heartbeat);
    if (response) pagePort.postMessage(response);
    pagePort.close();
    port.disconnect();
  };
  port.onMessage.addListener((message: CeremonyResponse | { type: 'heartbeat' }) => {
    if (message.type !== 'heartbeat') finish(message);
  });
  // The service worker went away mid-ceremony (extension reloaded or crashed).
  port.onDisconnect.addListener(() =>
    finish({ type: 'error', name: 'NotAllowedError', message: 'The passkey request was interrupted.' }),
  );
  pagePort.onmessage = (event) => {
    if ((event.data as { type?: unknown } | null)?.type === 'abort') finish();
  };
  port.postMessage({ ...request, frame: frameFacts() });
}

export default defineUnlistedScript(() => {
  window.addEventListener('message', (event) => {
    const pagePort = event.ports[0];
    if (event.source !== window || !pagePort) return;
    if ((event.data as { type?: unknown } | null)?.type !== PAGE_HANDSHAKE) return;
    // The first message on the port is the request; anything else is dropped by the
    // service worker's validator, so no shape check is needed here.
    pagePort.onmessage = (first) => relay(pagePort, first.data as PageRequest);
  });
});
