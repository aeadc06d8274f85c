// The few ASN.1 DER pieces that SubjectPublicKeyInfo needs (X.690 §8, §10): definite
// lengths, SEQUENCE, INTEGER, BIT STRING, OBJECT IDENTIFIER, NULL; and a reader for one TLV.

import { concatBytes } from './bytes';

export const DER_TAG = { INTEGER: 0x02, BIT_STRING: 0x03, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30 } as const;

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function derTlv(tag: number, content: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(tag), encodeLength(content.length), content);
}

export function derSequence(...items: Uint8Array[]): Uint8Array {
  return derTlv(DER_TAG.SEQUENCE, concatBytes(...items));
}

/** A non-negative INTEGER from big-endian magnitude bytes: minimal, with a 0x00 when the top bit is set. */
export function derUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const content = (trimmed[0] ?? 0) & 0x80 ? concatBytes(Uint8Array.of(0), trimmed) : trimmed.length ? trimmed : Uint8Array.of(0);
  return derTlv(DER_TAG.INTEGER, content);
}

/** A BIT STRING of whole bytes (no unused bits). */
export function derBitString(bytes: Uint8Array): Uint8Array {
  return derTlv(DER_TAG.BIT_STRING, concatBytes(Uint8Array.of(0), bytes));
}

/** An OBJECT IDENTIFIER from its already-encoded content bytes. */
export function derOid(content: Uint8Array): Uint8Array {
  return derTlv(DER_TAG.OID, content);
}

export const DER_NULL = Uint8Array.of(DER_TAG.NULL, 0);

export interface DerElement {
  tag: number;
  content: Uint8Array;
  /** offset just past this element */
  end: number;
}

/** Reads one TLV at `offset`. Throws on truncated or non-minimal-form-invalid input. */
export function readDer(bytes: Uint8Array, offset = 0): DerElement {
  const tag = bytes[offset];
  let lengthByte = bytes[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new Error('DER: truncated header');
  let cursor = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new Error('DER: unsupported length');
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = bytes[cursor++];
      if (lengthByte === undefined) throw new Error('DER: truncated length');
      length = length * 256 + lengthByte;
    }
  }
  const end = cursor + length;
  if (end > bytes.length) throw new Error('DER: truncated content');
  return { tag, content: bytes.subarray(cursor, end), end };
}

/** Reads every TLV inside a constructed element's content. */
export function readDerChildren(content: Uint8Array): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < content.length; ) {
    const child = readDer(content, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}
