// Passkey autofill (conditional mediation, docs/architecture.md#when-latchkey-falls-back): the
// messages between the service worker, the relay that places the suggestion frame under
// the username field, and that frame (autofill.html, an extension page).
//
//   service worker -> relay (on the ceremony port, never forwarded to the page):
//     AutofillNotice   arm the frame, hide it, or take it away (nothing says what the vault
//                      holds), with the key the relay puts in the frame's URL fragment
//   relay -> frame (window.postMessage): AUTOFILL_MOVED, which can only ever disable a pick
//   autofill frame <-> service worker (runtime port AUTOFILL_PORT):
//     frame: hello with the key from its URL, then one pick (a passkey or "another device"),
//            or dismiss
//     worker: the suggestions to show, or close

import type { AccountSummary, PromptSite } from './messages';

export const AUTOFILL_PORT = 'latchkey-autofill';

/** The suggestion frame's page, as listed in web_accessible_resources. */
export const AUTOFILL_PAGE = '/autofill.html';

/** The frame is always this many entries tall, whatever the vault holds (L3 §14.5.2); the rest scroll. */
export const AUTOFILL_ROWS = 2;

/** Height of one entry in the suggestion frame, in px (components/autofill/autofill.css keeps to it). */
export const AUTOFILL_ROW_PX = 48;

/**
 * Relay -> frame: the frame's box moved or changed size. The page can send it too, so it may
 * only ever make the frame wait; nothing that enables a pick comes from outside the frame.
 */
export const AUTOFILL_MOVED = 'latchkey-autofill-moved';

/**
 * What the relay does with the suggestion frame for a conditional get Latchkey owns:
 * - armed: show it under a webauthn field after a trusted press or key there (any shown frame
 *   goes; a press or key made before this notice counts while the field keeps focus);
 * - hidden: take it away until the next trusted press or key (a press in it outside any entry);
 * - off: take it away for good (a pick is being answered).
 */
export type AutofillState = 'armed' | 'hidden' | 'off';

/** Service worker -> relay. Sent alike whatever the vault holds. */
export interface AutofillNotice {
  type: 'autofill';
  state: AutofillState;
  /**
   * The ceremony's frame key. The relay puts it in the frame's URL fragment, inside a closed
   * shadow root the page cannot read, and the worker accepts only a frame that says it: a
   * frame that any other frame of the tab loads from autofill.html is turned away.
   */
  key: string;
}

/** Frame -> service worker. */
export type AutofillMessage =
  | { type: 'hello'; key: string }
  /** `seen`: the frame proved itself visible and still (IntersectionObserver v2) before the pick. */
  | { type: 'pick'; credentialId: string; seen: boolean }
  | { type: 'another-device' }
  /** A press in the frame outside any entry. */
  | { type: 'dismiss' }
  | { type: 'heartbeat' };

/** Service worker -> frame. Account names exist only here, inside the extension's frame. */
export type AutofillShow =
  | { type: 'show'; site: PromptSite; accounts: AccountSummary[] }
  | { type: 'close' };

type Validation<T> = { ok: true; value: T } | { ok: false; reason: string };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** What the frame may send (docs/THREATS.md: every inbound message is checked). */
export function validateAutofillMessage(x: unknown): Validation<AutofillMessage> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return { ok: false, reason: 'message: expected an object' };
  const o = x as Record<string, unknown>;
  switch (o.type) {
    case 'hello':
      // A frame loaded without the relay's key says an empty one, and is turned away.
      if (typeof o.key !== 'string' || !/^[A-Za-z0-9_-]*$/.test(o.key)) return { ok: false, reason: 'message.key: expected base64url' };
      return { ok: true, value: { type: 'hello', key: o.key } };
    case 'another-device':
    case 'dismiss':
    case 'heartbeat':
      return { ok: true, value: { type: o.type } };
    case 'pick':
      if (typeof o.credentialId !== 'string' || !BASE64URL.test(o.credentialId)) {
        return { ok: false, reason: 'message.credentialId: expected base64url' };
      }
      // Anything but true is a pick the frame could not prove visible.
      return { ok: true, value: { type: 'pick', credentialId: o.credentialId, seen: o.seen === true } };
    default:
      return { ok: false, reason: 'message.type: expected hello, pick, another-device, dismiss or heartbeat' };
  }
}
