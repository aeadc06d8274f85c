// DESIGN.md step 6: a ceremony Latchkey hands back goes to the browser's own create/get
// with the page's original options, plus the hints for what the user picked.

import type { FallbackHint } from '../protocol/messages';
import { create } from './realm';

/**
 * The options for the native call. With no hints it is the page's own object. Otherwise it
 * is an overlay that inherits every member from the page's object (getters, signal and
 * mediation included) and shadows only `publicKey.hints`, so the caller's object is never
 * mutated and nothing the page set is lost in a copy.
 */
export function withFallbackHints(options: unknown, publicKey: unknown, hints: readonly FallbackHint[]): unknown {
  if (hints.length === 0) return options;
  // The browser reads dictionary members with [[Get]], which sees inherited ones.
  const overlay = (base: unknown, name: string, member: unknown) => create(base as object, { [name]: { value: member } }) as unknown;
  return overlay(options, 'publicKey', overlay(publicKey, 'hints', hints));
}
