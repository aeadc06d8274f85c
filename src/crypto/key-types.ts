// The key types of the signing interface (signature.ts), apart so that the encoders (spki.ts)
// can name them without importing the signers.

export type SignatureAlgorithm = 'ES256' | 'EdDSA' | 'RS256';

export type PublicKey =
  /** P-256 affine coordinates, 32 bytes each */
  | { algorithm: 'ES256'; x: Uint8Array; y: Uint8Array }
  /** the 32-byte Ed25519 public key */
  | { algorithm: 'EdDSA'; x: Uint8Array }
  /** modulus and exponent, unsigned big-endian */
  | { algorithm: 'RS256'; n: Uint8Array; e: Uint8Array };

export interface KeyPair {
  /** ES256: 32-byte scalar. EdDSA: 32-byte seed. RS256: PKCS#8 DER. The caller wipes it. */
  privateKey: Uint8Array;
  publicKey: PublicKey;
}
