// Cryptographically secure random bytes (WebCrypto's CSPRNG, present in the service worker,
// extension pages and Node).

/** getRandomValues fills at most 65536 bytes per call. */
const MAX_CHUNK = 65536;

export function randomBytes(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`randomBytes: bad length ${length}`);
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += MAX_CHUNK) {
    crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + MAX_CHUNK)));
  }
  return out;
}
