// Passkey autofill (conditional mediation, DESIGN.md "When Latchkey falls back"): the
// messages between the service worker, the relay that places the suggestion frame under
// the username field, and that frame (autofill.html, an extension page).
//
//   service worker -> relay (on the ceremony port, never forwarded to the page):
//     AutofillNotice   show the frame with room for `rows` entries, or hide it (rows 0)
//   autofill frame <-> service worker (runtime port AUTOFILL_PORT):
//     frame: hello, then one pick (a passkey or "another device")
//     worker: the suggestions to show, or close

import type { AccountSummary, PromptSite } from './messages';

export const AUTOFILL_PORT = 'latchkey-autofill';

/** The suggestion frame's page, as listed in web_accessible_resources. */
export const AUTOFILL_PAGE = '/autofill.html';

/** At most this many passkeys are offered under a field; the rest scroll. */
export const AUTOFILL_MAX_ROWS = 4;

/**
 * Service worker -> relay. Latchkey owns this conditional get: place the suggestion frame
 * under a focused `autocomplete="... webauthn"` field, sized for `rows` entries (passkeys plus
 * "Use another device"), or take it away for good with rows 0.
 */
export interface AutofillNotice {
  type: 'autofill';
  rows: number;
}

/** Frame -> service worker. */
export type AutofillMessage =
  | { type: 'hello' }
  | { type: 'pick'; credentialId: string }
  | { type: 'other' }
  | { type: 'heartbeat' };

/** Service worker -> frame. Account names exist only here, inside the extension's frame. */
export type AutofillShow =
  | { type: 'show'; site: PromptSite; accounts: AccountSummary[] }
  | { type: 'close' };

type Validation<T> = { ok: true; value: T } | { ok: false; reason: string };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** What the frame may send (DESIGN.md "Security model": every inbound message is checked). */
export function validateAutofillMessage(x: unknown): Validation<AutofillMessage> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return { ok: false, reason: 'message: expected an object' };
  const o = x as Record<string, unknown>;
  switch (o.type) {
    case 'hello':
    case 'other':
    case 'heartbeat':
      return { ok: true, value: { type: o.type } };
    case 'pick':
      if (typeof o.credentialId !== 'string' || !BASE64URL.test(o.credentialId)) {
        return { ok: false, reason: 'message.credentialId: expected base64url' };
      }
      return { ok: true, value: { type: 'pick', credentialId: o.credentialId } };
    default:
      return { ok: false, reason: 'message.type: expected hello, pick, other or heartbeat' };
  }
}
