// CBOR (RFC 8949) in CTAP2 canonical form, for COSE keys and attestation objects.
//
// cbor-x's defaults are wrong for WebAuthn: it tags Maps (259) and byte
// arrays (64) and may write 16-bit map headers. The options below turn that off, and the
// map keys are put in CTAP2 canonical order here, before cbor-x writes them in insertion order.

import { Decoder, Encoder } from 'cbor-x';

export type CborKey = number | string;
export type CborValue = number | string | boolean | null | Uint8Array | readonly CborValue[] | CborMap;
export type CborMap = ReadonlyMap<CborKey, CborValue>;

const OPTIONS = { mapsAsObjects: false, useRecords: false, tagUint8Array: false, variableMapSize: true } as const;
const encoder = new Encoder(OPTIONS);
const decoder = new Decoder(OPTIONS);

/** cbor-x may hand back a view on its reusable buffer: take our own copy. */
function encodeRaw(value: unknown): Uint8Array {
  const encoded = encoder.encode(value);
  const out = new Uint8Array(encoded.length);
  out.set(encoded);
  return out;
}

/**
 * CTAP2 §8 "Ctap2 canonical CBOR encoding form": keys sort by the major type of their encoding,
 * then shorter encodings first, then byte-wise lexical order of the encodings.
 */
export function compareCanonicalKeys(a: Uint8Array, b: Uint8Array): number {
  const majorA = (a[0] ?? 0) >> 5;
  const majorB = (b[0] ?? 0) >> 5;
  if (majorA !== majorB) return majorA - majorB;
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function isCborMap(value: CborValue): value is CborMap {
  return value instanceof Map;
}

/** CTAP2 allows integers only, no floats; cbor-x would write a float64 past 32 bits. */
function checkInteger(value: number): void {
  if (!Number.isInteger(value) || value > 0xffffffff || value < -0x100000000) {
    throw new RangeError(`CBOR: ${value} is not an integer CTAP2 can carry here`);
  }
}

/** Rebuilds the value with every map's entries in canonical order. */
function canonicalize(value: CborValue): unknown {
  if (typeof value === 'number') {
    checkInteger(value);
    return value;
  }
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((item: CborValue) => canonicalize(item));
  if (isCborMap(value)) {
    const entries = [...value.entries()].map(([key, item]) => {
      if (typeof key === 'number') checkInteger(key);
      return { encodedKey: encodeRaw(key), key, item: canonicalize(item) };
    });
    entries.sort((a, b) => compareCanonicalKeys(a.encodedKey, b.encodedKey));
    for (let i = 1; i < entries.length; i++) {
      if (compareCanonicalKeys(entries[i - 1]!.encodedKey, entries[i]!.encodedKey) === 0) {
        throw new Error('CBOR: duplicate map key');
      }
    }
    return new Map(entries.map(({ key, item }) => [key, item]));
  }
  return value;
}

/** Encodes `value` in CTAP2 canonical CBOR. Maps must be `Map`s (plain objects are not accepted). */
export function encodeCbor(value: CborValue): Uint8Array {
  return encodeRaw(canonicalize(value));
}

/**
 * Decodes one CBOR item: maps come back as `Map`, byte strings as Uint8Array (a Buffer under Node).
 * For tests and for reading our own stored COSE keys; never for untrusted input from a page.
 */
export function decodeCbor(bytes: Uint8Array): unknown {
  return decoder.decode(bytes);
}
