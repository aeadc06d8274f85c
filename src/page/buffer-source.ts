// BufferSource <-> base64url at the page's JSON edge (docs/development.md#conventions: binary is converted in
// exactly one place; the bytes themselves are encoded by src/protocol/base64url.ts).

import { decodeBase64url, toBase64url } from '../protocol/base64url';
import { $TypeError, $Uint8Array, arrayBufferByteLength, isView, typedArrayBuffer } from './realm';

/**
 * WebIDL `BufferSource` (an ArrayBuffer or an ArrayBufferView, from any realm, not shared)
 * to base64url. A view encodes only its own bytes, not its whole buffer. Anything else
 * throws a TypeError naming `member`. (A view's buffer/byteOffset/byteLength are read as
 * properties: a page that redefines those breaks only its own calls. Resizable buffers,
 * which WebIDL also refuses here, are let through.)
 */
export function bufferSourceToBase64url(value: unknown, member: string): string {
  const view = isView(value) ? value : undefined;
  const buffer = view ? view.buffer : value;
  let total = -1;
  try {
    total = arrayBufferByteLength(buffer); // the brand check: throws unless an ArrayBuffer
  } catch {
    // stays -1
  }
  if (total < 0) throw new $TypeError(`${member} is not a BufferSource`);
  return toBase64url(new $Uint8Array(buffer as ArrayBuffer, view?.byteOffset, view ? view.byteLength : total));
}

/** A fresh ArrayBuffer holding the bytes of `text`, base64url from the service worker. */
export const base64urlToArrayBuffer = (text: string): ArrayBuffer => typedArrayBuffer(decodeBase64url(text));
