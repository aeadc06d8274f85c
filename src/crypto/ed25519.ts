// EdDSA over Ed25519 (RFC 8032, COSE -8), by @noble/curves. The signature is the raw
// 64 bytes R || S; Ed25519 hashes internally, so the message goes in whole.

import { ed25519 } from '@noble/curves/ed25519.js';

export interface Ed25519KeyPair {
  /** 32-byte seed (RFC 8032 private key) */
  privateKey: Uint8Array;
  /** 32-byte public key */
  x: Uint8Array;
}

export function ed25519GenerateKeyPair(): Ed25519KeyPair {
  const { secretKey, publicKey } = ed25519.keygen();
  return { privateKey: secretKey, x: publicKey };
}

export function ed25519PublicKey(privateKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(privateKey);
}

export function ed25519Sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, privateKey);
}

export function ed25519Verify(x: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, x);
  } catch {
    return false;
  }
}
