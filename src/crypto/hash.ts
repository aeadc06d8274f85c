// SHA-256, synchronous (@noble/hashes), for rpIdHash and clientDataHash.

import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** SHA-256 of the UTF-8 encoding of `text`. */
export function sha256Utf8(text: string): Uint8Array {
  return nobleSha256(new TextEncoder().encode(text));
}
