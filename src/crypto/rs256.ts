// RS256: RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2, COSE -257), by WebCrypto, which
// hashes the message itself. The private key leaves WebCrypto only as PKCS#8 DER bytes.

import { ownedCopy, wipe } from './bytes';
import { encodeSpki, rsaPublicKeyFromSpki } from './spki';

const RSA_PARAMS = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const MODULUS_BITS = 2048;

export interface Rs256KeyPair {
  /** PKCS#8 PrivateKeyInfo DER */
  privateKey: Uint8Array;
  /** modulus, unsigned big-endian */
  n: Uint8Array;
  /** public exponent, unsigned big-endian */
  e: Uint8Array;
}

let availability: Promise<boolean> | undefined;

/**
 * Whether this runtime's WebCrypto can make an RS256 key. Probed once (by generating a key) and
 * remembered, because a browser may ship `crypto.subtle` without RSA key generation.
 */
export function rs256Available(): Promise<boolean> {
  availability ??= (async () => {
    if (typeof crypto === 'undefined' || typeof crypto.subtle?.generateKey !== 'function') return false;
    try {
      await generate();
      return true;
    } catch {
      return false;
    }
  })();
  return availability;
}

function generate(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(
    { ...RSA_PARAMS, modulusLength: MODULUS_BITS, publicExponent: Uint8Array.of(0x01, 0x00, 0x01) },
    true,
    ['sign', 'verify'],
  );
}

export async function rs256GenerateKeyPair(): Promise<Rs256KeyPair> {
  const pair = await generate();
  const privateKey = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  return { privateKey, ...rsaPublicKeyFromSpki(spki) };
}

export async function rs256Sign(privateKeyPkcs8: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const copy = ownedCopy(privateKeyPkcs8);
  try {
    const key = await crypto.subtle.importKey('pkcs8', copy, RSA_PARAMS, false, ['sign']);
    return new Uint8Array(await crypto.subtle.sign(RSA_PARAMS, key, ownedCopy(message)));
  } finally {
    wipe(copy);
  }
}

export async function rs256Verify(n: Uint8Array, e: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    const spki = ownedCopy(encodeSpki({ algorithm: 'RS256', n, e }));
    const key = await crypto.subtle.importKey('spki', spki, RSA_PARAMS, false, ['verify']);
    return await crypto.subtle.verify(RSA_PARAMS, key, ownedCopy(signature), ownedCopy(message));
  } catch {
    return false;
  }
}
