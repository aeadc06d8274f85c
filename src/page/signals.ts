// The Signal API's options (L3 §5.1.10) -> the request the service worker reads. Only the
// WebIDL conversion happens here (a TypeError of the page's realm); base64url and the RP ID
// are the worker's to check (src/client/signals.ts), to keep the page script small.

import { SIGNAL_MEMBERS, type SignalMethod, type SignalRequest } from '../protocol/messages';
import { type Convert, dictionary, domString, required, sequence } from './webidl';

export function readSignal(method: SignalMethod, options: unknown): SignalRequest {
  const table: Record<string, Convert> = {};
  // Every member is required: a DOMString (Base64URLString), or a sequence of them.
  for (const name of SIGNAL_MEMBERS[method]) table[name] = name[0] === 'a' ? required(sequence(domString)) : required(domString);
  return { type: 'signal', method, options: dictionary<SignalRequest['options']>(table)(options, 'options') };
}
