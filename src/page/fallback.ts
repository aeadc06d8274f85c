// docs/architecture.md#a-ceremony-end-to-end step 6: a ceremony Latchkey hands back goes to the browser's own create/get
// with the page's original options, plus the hints for what the user picked, and as a modal
// get when it was a conditional get Latchkey owned ("Use another device").

import type { CeremonyResponse } from '../protocol/messages';
import { create } from './realm';

/**
 * The browser reads dictionary members with [[Get]], which sees inherited ones. The descriptor
 * has no prototype: a `get` or `set` the page put on Object.prototype would make it invalid.
 */
const overlay = (base: unknown, name: string, member: unknown): unknown =>
  create(base as object, { [name]: { __proto__: null, value: member } as PropertyDescriptor });

/**
 * The options for the native call. With no hints and no `modal` it is the page's own object
 * (a conditional get stays conditional). Otherwise it is an overlay that inherits every member
 * from the page's object (getters and signal included) and shadows only `publicKey.hints`
 * and `mediation`, so the caller's object is never mutated and nothing the page set is lost
 * in a copy.
 */
export function withFallback(
  options: unknown,
  publicKey: unknown,
  { hints, modal }: Extract<CeremonyResponse, { type: 'fallback' }>,
): unknown {
  if (modal) options = overlay(options, 'mediation', 'optional');
  return hints.length ? overlay(options, 'publicKey', overlay(publicKey, 'hints', hints)) : options;
}
