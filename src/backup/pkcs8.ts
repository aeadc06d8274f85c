// Private keys as PKCS#8 DER (RFC 5208 §5, RFC 5958 §2), the form CXF, Bitwarden and
// KeePassXC carry them in, to and from the vault's own forms (src/crypto/signature.ts:
// ES256 a 32-byte scalar, EdDSA a 32-byte seed, RS256 PKCS#8 already):
//
//   ES256  RFC 5915 ECPrivateKey in id-ecPublicKey / prime256v1 (RFC 5480 §2.1.1)
//   EdDSA  RFC 8410 §7: CurvePrivateKey (OCTET STRING) in id-Ed25519
//   RS256  RFC 8017 A.1.2 RSAPrivateKey in rsaEncryption
//
// Reading checks the structure and derives the public key from the private one, so an
// imported passkey's COSE key is always the one its private key signs for.

import { p256 } from '@noble/curves/nist.js';
import { bytesEqual } from '../crypto/bytes';
import { DER_NULL, DER_TAG, derOid, derSequence, derTlv, derUnsignedInteger, readDer, readDerChildren } from '../crypto/der';
import { ed25519PublicKey } from '../crypto/ed25519';
import { es256PublicKey } from '../crypto/es256';
import type { PublicKey, SignatureAlgorithm } from '../crypto/key-types';

const OCTET_STRING = 0x04;

const OID = {
  ecPublicKey: Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01),
  prime256v1: Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07),
  ed25519: Uint8Array.of(0x2b, 0x65, 0x70),
  rsaEncryption: Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01),
} as const;

/** Names of key types Latchkey recognises but cannot use, for the import's "skipped" sentence. */
const OTHER_KEY_TYPES: ReadonlyArray<[Uint8Array, string]> = [
  [Uint8Array.of(0x2b, 0x65, 0x71), 'Ed448'],
  [Uint8Array.of(0x2b, 0x81, 0x04, 0x00, 0x22), 'ECDSA P-384'],
  [Uint8Array.of(0x2b, 0x81, 0x04, 0x00, 0x23), 'ECDSA P-521'],
  [Uint8Array.of(0x2b, 0x81, 0x04, 0x00, 0x0a), 'ECDSA secp256k1'],
];

/** A key whose type Latchkey does not offer (not ES256, EdDSA or RS256); `keyType` names it. */
export class UnsupportedKeyError extends Error {
  override readonly name = 'UnsupportedKeyError';
  constructor(readonly keyType: string) {
    super(`${keyType} keys are not supported`);
  }
}

export interface ParsedPrivateKey {
  algorithm: SignatureAlgorithm;
  /** The vault's form (see above). The caller wipes it. */
  privateKey: Uint8Array;
  publicKey: PublicKey;
}

/**
 * The vault's private key as PKCS#8 DER. `publicKey`, when given, is the key's own public key
 * (the vault stores it): ES256 then need not compute the point again (about 1 ms each).
 */
export function toPkcs8(algorithm: SignatureAlgorithm, privateKey: Uint8Array, publicKey?: PublicKey): Uint8Array {
  const version = derUnsignedInteger(Uint8Array.of(0));
  switch (algorithm) {
    case 'ES256': {
      const point = publicKey?.algorithm === 'ES256' ? Uint8Array.of(4, ...publicKey.x, ...publicKey.y) : p256.getPublicKey(privateKey, false);
      // RFC 5915 §3: version 1, the scalar, and the public key ([1] BIT STRING) so other tools need not derive it.
      const ecPrivateKey = derSequence(
        derUnsignedInteger(Uint8Array.of(1)),
        derTlv(OCTET_STRING, privateKey),
        derTlv(0xa1, derTlv(DER_TAG.BIT_STRING, Uint8Array.of(0, ...point))),
      );
      return derSequence(version, derSequence(derOid(OID.ecPublicKey), derOid(OID.prime256v1)), derTlv(OCTET_STRING, ecPrivateKey));
    }
    case 'EdDSA':
      return derSequence(version, derSequence(derOid(OID.ed25519)), derTlv(OCTET_STRING, derTlv(OCTET_STRING, privateKey)));
    case 'RS256':
      return Uint8Array.from(privateKey);
  }
}

/** Reads PKCS#8 DER; throws Error (malformed) or UnsupportedKeyError (a key type Latchkey can't use). */
export function fromPkcs8(der: Uint8Array): ParsedPrivateKey {
  const outer = readDer(der);
  if (outer.tag !== DER_TAG.SEQUENCE || outer.end !== der.length) throw new Error('not one DER SEQUENCE');
  const [version, algorithmId, privateKey] = readDerChildren(outer.content);
  if (!version || version.tag !== DER_TAG.INTEGER || version.content.length !== 1 || version.content[0]! > 1) throw new Error('bad version');
  if (!algorithmId || algorithmId.tag !== DER_TAG.SEQUENCE) throw new Error('no AlgorithmIdentifier');
  if (!privateKey || privateKey.tag !== OCTET_STRING) throw new Error('no privateKey OCTET STRING');
  const [oid, parameters] = readDerChildren(algorithmId.content);
  if (!oid || oid.tag !== DER_TAG.OID) throw new Error('no algorithm OID');

  if (bytesEqual(oid.content, OID.ecPublicKey)) {
    if (!parameters || parameters.tag !== DER_TAG.OID) throw new Error('EC key without a named curve');
    if (!bytesEqual(parameters.content, OID.prime256v1)) {
      throw new UnsupportedKeyError(OTHER_KEY_TYPES.find(([known]) => bytesEqual(known, parameters.content))?.[1] ?? 'ECDSA on another curve');
    }
    return readEcPrivateKey(privateKey.content);
  }
  if (bytesEqual(oid.content, OID.ed25519)) {
    const seed = readDer(privateKey.content);
    if (seed.tag !== OCTET_STRING || seed.content.length !== 32 || seed.end !== privateKey.content.length) throw new Error('Ed25519 key is not 32 bytes');
    const copy = Uint8Array.from(seed.content);
    return { algorithm: 'EdDSA', privateKey: copy, publicKey: { algorithm: 'EdDSA', x: ed25519PublicKey(copy) } };
  }
  if (bytesEqual(oid.content, OID.rsaEncryption)) {
    const rsa = readDer(privateKey.content);
    if (rsa.tag !== DER_TAG.SEQUENCE) throw new Error('RSAPrivateKey is not a SEQUENCE');
    const [, n, e, ...rest] = readDerChildren(rsa.content);
    if (!n || !e || n.tag !== DER_TAG.INTEGER || e.tag !== DER_TAG.INTEGER || rest.length < 6) throw new Error('bad RSAPrivateKey');
    const modulus = unsigned(n.content);
    if (modulus.length < 256) throw new UnsupportedKeyError(`RSA ${modulus.length * 8}-bit`);
    // Re-encoded with no parameters trailing, as WebCrypto exports it; the vault keeps PKCS#8.
    const clean = derSequence(derUnsignedInteger(Uint8Array.of(0)), derSequence(derOid(OID.rsaEncryption), DER_NULL), derTlv(OCTET_STRING, privateKey.content));
    return { algorithm: 'RS256', privateKey: clean, publicKey: { algorithm: 'RS256', n: modulus, e: unsigned(e.content) } };
  }
  throw new UnsupportedKeyError(OTHER_KEY_TYPES.find(([known]) => bytesEqual(known, oid.content))?.[1] ?? 'this type of');
}

function readEcPrivateKey(bytes: Uint8Array): ParsedPrivateKey {
  const ec = readDer(bytes);
  if (ec.tag !== DER_TAG.SEQUENCE || ec.end !== bytes.length) throw new Error('ECPrivateKey is not a SEQUENCE');
  const [version, scalar, ...optional] = readDerChildren(ec.content);
  if (!version || version.tag !== DER_TAG.INTEGER || version.content[0] !== 1) throw new Error('ECPrivateKey version is not 1');
  if (!scalar || scalar.tag !== OCTET_STRING || scalar.content.length !== 32) throw new Error('P-256 scalar is not 32 bytes');
  const privateKey = Uint8Array.from(scalar.content);
  let publicKey: { x: Uint8Array; y: Uint8Array };
  try {
    publicKey = es256PublicKey(privateKey);
  } catch {
    throw new Error('P-256 scalar is out of range');
  }
  // RFC 5915 [1] publicKey, when present, must be this key's.
  const stated = optional.find((element) => element.tag === 0xa1);
  if (stated) {
    const bits = readDer(stated.content);
    const point = bits.content.subarray(1);
    if (bits.tag !== DER_TAG.BIT_STRING || point.length !== 65 || !bytesEqual(point.subarray(1, 33), publicKey.x) || !bytesEqual(point.subarray(33), publicKey.y)) {
      throw new Error('the public key in the file is not the private key’s');
    }
  }
  return { algorithm: 'ES256', privateKey, publicKey: { algorithm: 'ES256', ...publicKey } };
}

function unsigned(content: Uint8Array): Uint8Array {
  let start = 0;
  while (start < content.length - 1 && content[start] === 0) start++;
  return content.slice(start);
}
