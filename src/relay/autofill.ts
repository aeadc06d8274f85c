// The relay's passkey autofill (docs/architecture.md#passkey-autofill): for a conditional get that
// Latchkey owns, the service worker arms the suggestion frame (autofill.html, an extension
// page), which is shown under a username field only after the user's trusted press or key
// there, whatever the vault holds (src/protocol/autofill.ts). The accounts exist only inside
// that frame, and the frame sits in a closed shadow root: the page sees a host element of fixed
// size, never the frame or its URL.

import { AUTOFILL_MOVED, AUTOFILL_PAGE, AUTOFILL_ROW_PX, AUTOFILL_ROWS, type AutofillNotice } from '../protocol/autofill';

type Field = HTMLInputElement | HTMLTextAreaElement;

/** A field that asks for passkey autofill: its autocomplete tokens end in "webauthn" (HTML §4.10.18.7.1). */
const isWebauthnField = (element: unknown): element is Field =>
  (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) &&
  /(^|\s)webauthn$/i.test(element.getAttribute('autocomplete')?.trim() ?? '');

/**
 * The webauthn field the user last pressed or typed in (a trusted event). Watched from the
 * start, so that a press made before the page's conditional get still counts.
 */
let activated: Field | undefined;

export const watchFields = () => {
  for (const type of ['pointerdown', 'keydown']) {
    addEventListener(type, (event) => event.isTrusted && (activated = isWebauthnField(event.target) ? event.target : undefined), true);
  }
};

/**
 * The suggestion frame for one ceremony. It shows under a webauthn field only while armed, and
 * only after a trusted press or key in that field: a script's focus() fires trusted focus
 * events too, so focus never shows it (L3 §14.5.2). Returns what takes the notices; called
 * with none, it stops for good.
 */
export function autofill(): (notice?: AutofillNotice) => void {
  let armed = false;
  let key = '';
  let host: HTMLElement | undefined;
  let frame: HTMLIFrameElement | undefined;
  let field: Field | undefined;
  let box = '';
  let tick = 0;

  const place = () => {
    if (!host || !field) return;
    const at = field.getBoundingClientRect();
    // One size whatever the vault holds; the page's styles reach the host, so each is !important.
    host.style.cssText = `all:initial!important;position:absolute!important;z-index:2147483647!important;left:${at.left + scrollX}px!important;top:${at.bottom + scrollY + 4}px!important;width:${Math.max(at.width, 280)}px!important;height:${AUTOFILL_ROWS * AUTOFILL_ROW_PX + 8}px!important`;
  };
  // Every change of the host's box, whoever made it (a scroll, the page sliding it under the
  // pointer), makes the frame wait before it takes a pick.
  const watch = () => {
    const r = host?.getBoundingClientRect();
    if (!r) return;
    const now = `${r.x} ${r.y} ${r.width} ${r.height}`;
    if (now !== box) frame?.contentWindow?.postMessage(AUTOFILL_MOVED, '*');
    box = now;
    tick = requestAnimationFrame(watch);
  };
  const hide = () => {
    cancelAnimationFrame(tick);
    host?.remove();
    host = frame = field = activated = undefined;
  };
  const show = (target: Field) => {
    field = target;
    // One frame at a time; the page may have removed the last one.
    if (!host?.isConnected) {
      host = document.createElement('div');
      frame = document.createElement('iframe');
      // The key in the fragment tells the worker this is the frame the relay made.
      frame.src = `${chrome.runtime.getURL(AUTOFILL_PAGE)}#${key}`;
      frame.style.cssText = 'border:0;width:100%;height:100%;color-scheme:normal';
      host.attachShadow({ mode: 'closed' }).append(frame);
      document.documentElement.append(host);
      box = '';
      watch();
    }
    place();
  };
  // The frame goes when the user moves on in the page: focus lands on another element, or a
  // press lands anywhere but the field (a press inside the frame reaches the frame's own
  // document, not this one). Blur is no signal: pressing in the out-of-process frame blurs
  // the field and only later makes the frame the active element.
  const onFocusIn = (event: Event) => {
    if (host && event.target !== field && event.target !== host) hide();
  };
  const onPointerDown = (event: Event) => {
    const target = event.target;
    if (!event.isTrusted || !isWebauthnField(target)) {
      if (target !== field) hide();
      return;
    }
    if (armed) show(target);
  };
  const onKey = (event: KeyboardEvent) => {
    const target = event.target;
    if (!event.isTrusted || !isWebauthnField(target)) return;
    if (event.key === 'Escape') hide();
    // Down arrow takes the keyboard into the list, as in the browser's own autofill.
    else if (event.key === 'ArrowDown' && frame && target === field) {
      event.preventDefault();
      frame.contentWindow?.focus();
    } else if (armed) show(target);
  };
  const listeners: [EventTarget, string, EventListener][] = [
    [document, 'focusin', onFocusIn],
    [document, 'pointerdown', onPointerDown],
    [document, 'keydown', onKey as EventListener],
    [window, 'scroll', place],
    [window, 'resize', place],
  ];
  for (const [target, type, listener] of listeners) target.addEventListener(type, listener, true);
  return (notice) => {
    const pressed = activated;
    hide();
    // Hidden stays armed: the next press or key in the field shows the frame again.
    if (notice?.state !== 'hidden') armed = notice?.state === 'armed';
    key = notice?.key ?? '';
    if (armed && pressed === document.activeElement) show(pressed!);
    if (!notice) for (const [target, type, listener] of listeners) target.removeEventListener(type, listener, true);
  };
}
