// Byte helpers shared by the crypto wrappers and their callers.

/** Joins byte arrays into one new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Byte-for-byte equality. Not constant-time: use it for identifiers, never for secrets. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Overwrites secret bytes with zeros in place. */
export function wipe(bytes: Uint8Array): void {
  bytes.fill(0);
}

/**
 * A copy backed by its own ArrayBuffer, which is what WebCrypto's BufferSource wants under
 * TypeScript 5.9's generic typed arrays. Callers wipe copies of secrets after use.
 */
export function ownedCopy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}
