// ISOLATED world, document_start, every frame (registered in wxt.config.ts). Carries one
// ceremony at a time from the page's MessagePort to a runtime port, adding what only this
// world sees truthfully (DESIGN.md "A ceremony, end to end", step 2). Uses chrome.* directly:
// the relay runs in every frame and must stay small (budget 4 KB minified).
//
// For a conditional get that Latchkey owns, the service worker asks the relay to place the
// suggestion frame (autofill.html, an extension page) under the username field whenever an
// input whose autocomplete ends in "webauthn" has focus (src/protocol/autofill.ts). The
// accounts exist only inside that frame; the page sees an iframe it cannot read.

import { AUTOFILL_PAGE, type AutofillNotice } from '../src/protocol/autofill';
import { ACTIVATION_EVENTS, activationTracker } from '../src/relay/activation';
import {
  CEREMONY_PORT,
  HEARTBEAT_MS,
  PAGE_HANDSHAKE,
  type CeremonyResponse,
  type FrameFacts,
  type PageRequest,
  type PageResponse,
} from '../src/protocol/messages';

interface PolicyLike {
  allowsFeature(feature: string): boolean;
}

const activation = activationTracker();

function frameFacts(create: boolean): FrameFacts {
  const doc = document as Document & { permissionsPolicy?: PolicyLike; featurePolicy?: PolicyLike };
  const policy = doc.permissionsPolicy ?? doc.featurePolicy;
  const ancestors = location.ancestorOrigins as DOMStringList | undefined;
  // Without a policy object (Firefox) nothing here can be read: the default allowlist of both
  // features is 'self', which the service worker checks by origin, and a frame that is not
  // same-origin with its ancestors goes to the browser's own WebAuthn (client/ceremony.ts).
  return {
    createAllowed: policy ? policy.allowsFeature('publickey-credentials-create') : true,
    getAllowed: policy ? policy.allowsFeature('publickey-credentials-get') : true,
    transientActivation: activation.take(navigator.userActivation?.isActive ?? false, create),
    policyKnown: policy !== undefined,
    secureContext: isSecureContext,
    // Without ancestorOrigins (older Firefox) the service worker knows no ancestor's origin.
    ...(ancestors ? { ancestorOrigins: [...ancestors] } : {}),
  };
}

/** Height of one entry in the suggestion frame (components/autofill keeps to it), in px. */
const ROW_PX = 48;

/** A field that asks for passkey autofill: its autocomplete tokens end in "webauthn" (HTML §4.10.18.7.1). */
const isWebauthnField = (element: Element | null): element is HTMLInputElement | HTMLTextAreaElement =>
  (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) &&
  /(^|\s)webauthn$/i.test(element.getAttribute('autocomplete')?.trim() ?? '');

/**
 * Shows the suggestion frame under whichever webauthn field has focus, for as long as the
 * conditional get is owned. Returns the function that takes it all away.
 */
function autofill(rows: number): () => void {
  let frame: HTMLIFrameElement | undefined;
  let field: HTMLInputElement | HTMLTextAreaElement | undefined;

  const place = () => {
    if (!frame || !field) return;
    const box = field.getBoundingClientRect();
    frame.style.cssText =
      `all:initial;position:absolute;z-index:2147483647;border:0;color-scheme:normal;` +
      `left:${box.left + scrollX}px;top:${box.bottom + scrollY + 4}px;` +
      `width:${Math.max(box.width, 280)}px;height:${rows * ROW_PX + 8}px`;
  };
  const hide = () => {
    frame?.remove();
    frame = field = undefined;
  };
  const show = (target: HTMLInputElement | HTMLTextAreaElement) => {
    field = target;
    // One frame at a time; the page may have removed the last one.
    if (!frame?.isConnected) {
      frame = document.createElement('iframe');
      frame.src = chrome.runtime.getURL(AUTOFILL_PAGE);
      frame.setAttribute('allow', 'publickey-credentials-get');
      document.documentElement.append(frame);
    }
    place();
  };
  // The frame goes when the user moves on in the page: focus lands on another element, or a
  // press lands anywhere but the field (a press inside the frame reaches the frame's own
  // document, not this one). Blur is no signal: pressing in the out-of-process frame blurs
  // the field and only later makes the frame the active element, so hiding on blur could
  // take the frame away under the user's click.
  const onFocusIn = (event: Event) => {
    const target = event.target as Element;
    if (isWebauthnField(target)) show(target);
    else if (target !== frame) hide();
  };
  const onPointerDown = (event: Event) => {
    if (event.target !== field) hide();
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.target !== field) return;
    if (event.key === 'Escape') hide();
    // Down arrow takes the keyboard into the list, as in the browser's own autofill.
    else if (event.key === 'ArrowDown' && frame) {
      event.preventDefault();
      frame.contentWindow?.focus();
    }
  };
  const listeners: [EventTarget, string, EventListener][] = [
    [document, 'focusin', onFocusIn],
    [document, 'pointerdown', onPointerDown],
    [document, 'keydown', onKey as EventListener],
    [window, 'scroll', place],
    [window, 'resize', place],
  ];
  for (const [target, type, listener] of listeners) target.addEventListener(type, listener, true);
  if (isWebauthnField(document.activeElement)) show(document.activeElement);
  return () => {
    for (const [target, type, listener] of listeners) target.removeEventListener(type, listener, true);
    hide();
  };
}

/** The answer as the page takes it: an error named for a DOMException comes as one too. */
const toPage = (response: CeremonyResponse): PageResponse =>
  response.type === 'error' && response.name !== 'TypeError'
    ? { ...response, exception: new DOMException(response.message, response.name) }
    : response;

function relay(pagePort: MessagePort, request: PageRequest): void {
  const port = chrome.runtime.connect({ name: CEREMONY_PORT });
  let done = false;
  let stopAutofill = () => {};
  const heartbeat = setInterval(() => port.postMessage({ type: 'heartbeat' }), HEARTBEAT_MS);
  const finish = (response?: CeremonyResponse) => {
    if (done) return;
    done = true;
    clearInterval(heartbeat);
    stopAutofill();
    if (response) pagePort.postMessage(toPage(response));
    pagePort.close();
    port.disconnect();
  };
  port.onMessage.addListener((message: CeremonyResponse | AutofillNotice | { type: 'heartbeat' }) => {
    if (message.type === 'autofill') {
      stopAutofill();
      stopAutofill = message.rows > 0 ? autofill(message.rows) : () => {};
    } else if (message.type !== 'heartbeat') finish(message);
  });
  // The service worker went away mid-ceremony (extension reloaded or crashed).
  port.onDisconnect.addListener(() =>
    finish({ type: 'error', name: 'NotAllowedError', message: 'The passkey request was interrupted.' }),
  );
  pagePort.onmessage = (event) => {
    if ((event.data as { type?: unknown } | null)?.type === 'abort') finish();
  };
  port.postMessage({ ...request, frame: frameFacts(request.type === 'create') });
}

export default defineUnlistedScript(() => {
  // WebAuthn exists only in secure contexts. The page script checks too, but the page can post
  // the handshake itself: here, in a world the page cannot reach, is where it counts.
  if (!isSecureContext) return;
  for (const type of ACTIVATION_EVENTS) addEventListener(type, activation.onEvent as EventListener, true);
  window.addEventListener('message', (event) => {
    const pagePort = event.ports[0];
    if (event.source !== window || !pagePort) return;
    if ((event.data as { type?: unknown } | null)?.type !== PAGE_HANDSHAKE) return;
    // The first message on the port is the request; anything else is dropped by the
    // service worker's validator, so no shape check is needed here.
    pagePort.onmessage = (first) => relay(pagePort, first.data as PageRequest);
  });
});
