// SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7) for the credential public key, which the
// page's getPublicKey() returns: EC P-256 (RFC 5480), Ed25519 (RFC 8410), RSA (RFC 3279).

import { bytesEqual, concatBytes } from './bytes';
import { DER_NULL, DER_TAG, derBitString, derOid, derSequence, derUnsignedInteger, readDer, readDerChildren } from './der';
import type { PublicKey } from './key-types';

/** Encoded OBJECT IDENTIFIER contents. */
const OID = {
  /** 1.2.840.10045.2.1 id-ecPublicKey */
  ecPublicKey: Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01),
  /** 1.2.840.10045.3.1.7 prime256v1 (secp256r1) */
  prime256v1: Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07),
  /** 1.3.101.112 id-Ed25519 */
  ed25519: Uint8Array.of(0x2b, 0x65, 0x70),
  /** 1.2.840.113549.1.1.1 rsaEncryption */
  rsaEncryption: Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01),
} as const;

export function encodeSpki(publicKey: PublicKey): Uint8Array {
  switch (publicKey.algorithm) {
    case 'ES256':
      // RFC 5480 §2: the point is the uncompressed SEC1 encoding 04 || x || y.
      return derSequence(
        derSequence(derOid(OID.ecPublicKey), derOid(OID.prime256v1)),
        derBitString(concatBytes(Uint8Array.of(0x04), publicKey.x, publicKey.y)),
      );
    case 'EdDSA':
      // RFC 8410 §4: no parameters, the 32-byte key itself in the BIT STRING.
      return derSequence(derSequence(derOid(OID.ed25519)), derBitString(publicKey.x));
    case 'RS256':
      // RFC 3279 §2.3.1: parameters NULL, BIT STRING holds RSAPublicKey ::= SEQUENCE { n, e }.
      return derSequence(
        derSequence(derOid(OID.rsaEncryption), DER_NULL),
        derBitString(derSequence(derUnsignedInteger(publicKey.n), derUnsignedInteger(publicKey.e))),
      );
  }
}

function stripIntegerSign(content: Uint8Array): Uint8Array {
  return content.length > 1 && content[0] === 0 ? content.subarray(1) : content;
}

/** Reads modulus and exponent (unsigned big-endian) from an RSA SubjectPublicKeyInfo. */
export function rsaPublicKeyFromSpki(spki: Uint8Array): { n: Uint8Array; e: Uint8Array } {
  const outer = readDer(spki);
  if (outer.tag !== DER_TAG.SEQUENCE) throw new Error('SPKI: not a SEQUENCE');
  const [algorithm, bitString] = readDerChildren(outer.content);
  if (!algorithm || !bitString || bitString.tag !== DER_TAG.BIT_STRING) throw new Error('SPKI: bad layout');
  const [oid] = readDerChildren(algorithm.content);
  if (!oid || oid.tag !== DER_TAG.OID || !bytesEqual(oid.content, OID.rsaEncryption)) throw new Error('SPKI: not rsaEncryption');
  if (bitString.content[0] !== 0) throw new Error('SPKI: BIT STRING with unused bits');
  const rsaPublicKey = readDer(bitString.content, 1);
  const [n, e] = readDerChildren(rsaPublicKey.content);
  if (!n || !e || n.tag !== DER_TAG.INTEGER || e.tag !== DER_TAG.INTEGER) throw new Error('SPKI: bad RSAPublicKey');
  return { n: stripIntegerSign(n.content).slice(), e: stripIntegerSign(e.content).slice() };
}
