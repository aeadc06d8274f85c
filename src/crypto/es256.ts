// ES256: ECDSA over P-256 with SHA-256 (RFC 7518 §3.4, COSE -7), by @noble/curves.
// WebAuthn wants the signature DER-encoded (L3 §6.5.6 "Signature formats"), not raw r || s.

import { p256 } from '@noble/curves/nist.js';

export interface Es256KeyPair {
  /** 32-byte scalar */
  privateKey: Uint8Array;
  x: Uint8Array;
  y: Uint8Array;
}

export function es256GenerateKeyPair(): Es256KeyPair {
  const privateKey = p256.utils.randomSecretKey();
  const { x, y } = es256PublicKey(privateKey);
  return { privateKey, x, y };
}

/** Affine coordinates (32 bytes each) of the public key for `privateKey`. */
export function es256PublicKey(privateKey: Uint8Array): { x: Uint8Array; y: Uint8Array } {
  const point = p256.getPublicKey(privateKey, false); // 04 || x || y
  return { x: point.slice(1, 33), y: point.slice(33, 65) };
}

/**
 * Signs `message` (for WebAuthn: authenticatorData || clientDataHash). noble hashes it with
 * SHA-256 itself (`prehash: true`), so the caller must pass the message, never its hash.
 * Low-S and hedged (RFC 6979 plus fresh randomness).
 */
export function es256Sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return p256.sign(message, privateKey, { prehash: true, lowS: true, format: 'der', extraEntropy: true });
}

/** Verifies a DER signature over `message` (hashed here with SHA-256). Accepts high-S too, as RPs do. */
export function es256Verify(x: Uint8Array, y: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const point = new Uint8Array(65);
  point[0] = 0x04;
  point.set(x, 1);
  point.set(y, 33);
  try {
    return p256.verify(signature, message, point, { prehash: true, lowS: false, format: 'der' });
  } catch {
    return false;
  }
}
