// COSE_Key (RFC 9052 §7, RFC 9053 §7) for the credential public key in attested credential
// data (L3 §6.5.1.1). Labels and values from the IANA COSE registries.

import type { PublicKey } from '../crypto/key-types';
import { type CborKey, type CborMap, type CborValue, decodeCbor, encodeCbor } from './cbor';
import { COSE_ALG } from './types';

export const COSE_KEY_LABEL = {
  kty: 1,
  alg: 3,
  /** EC2 and OKP */
  crv: -1,
  /** EC2 and OKP: x coordinate / public key */
  x: -2,
  /** EC2 */
  y: -3,
  /** RSA modulus (RFC 8230 §4) */
  n: -1,
  /** RSA public exponent */
  e: -2,
} as const;

export const COSE_KTY = { OKP: 1, EC2: 2, RSA: 3 } as const;
export const COSE_CRV = { P256: 1, Ed25519: 6 } as const;

/** The public key as a COSE_Key in CTAP2 canonical CBOR. */
export function encodeCoseKey(publicKey: PublicKey): Uint8Array {
  const L = COSE_KEY_LABEL;
  let key: CborMap;
  switch (publicKey.algorithm) {
    case 'ES256':
      key = new Map<CborKey, CborValue>([[L.kty, COSE_KTY.EC2], [L.alg, COSE_ALG.ES256], [L.crv, COSE_CRV.P256], [L.x, publicKey.x], [L.y, publicKey.y]]);
      break;
    case 'EdDSA':
      key = new Map<CborKey, CborValue>([[L.kty, COSE_KTY.OKP], [L.alg, COSE_ALG.EdDSA], [L.crv, COSE_CRV.Ed25519], [L.x, publicKey.x]]);
      break;
    case 'RS256':
      key = new Map<CborKey, CborValue>([[L.kty, COSE_KTY.RSA], [L.alg, COSE_ALG.RS256], [L.n, publicKey.n], [L.e, publicKey.e]]);
      break;
  }
  return encodeCbor(key);
}

function bytesAt(map: Map<unknown, unknown>, label: number, length?: number): Uint8Array {
  const value = map.get(label);
  if (!(value instanceof Uint8Array) || (length !== undefined && value.length !== length)) {
    throw new Error(`COSE_Key: label ${label} is not a byte string${length === undefined ? '' : ` of ${length} bytes`}`);
  }
  return Uint8Array.from(value);
}

/** Reads back one of our own COSE keys (ES256, EdDSA or RS256). Throws on anything else. */
export function decodeCoseKey(bytes: Uint8Array): PublicKey {
  const map = decodeCbor(bytes);
  if (!(map instanceof Map)) throw new Error('COSE_Key: not a map');
  const L = COSE_KEY_LABEL;
  const kty = map.get(L.kty);
  const alg = map.get(L.alg);
  if (kty === COSE_KTY.EC2 && alg === COSE_ALG.ES256 && map.get(L.crv) === COSE_CRV.P256) {
    return { algorithm: 'ES256', x: bytesAt(map, L.x, 32), y: bytesAt(map, L.y, 32) };
  }
  if (kty === COSE_KTY.OKP && alg === COSE_ALG.EdDSA && map.get(L.crv) === COSE_CRV.Ed25519) {
    return { algorithm: 'EdDSA', x: bytesAt(map, L.x, 32) };
  }
  if (kty === COSE_KTY.RSA && alg === COSE_ALG.RS256) {
    return { algorithm: 'RS256', n: bytesAt(map, L.n), e: bytesAt(map, L.e) };
  }
  throw new Error(`COSE_Key: unsupported kty ${String(kty)} / alg ${String(alg)}`);
}
