// The PRF behind WebAuthn's prf extension (L3 §10.1.4): CTAP2.1 hmac-secret's semantics
// without its transport encryption. Each credential has two random 32-byte secrets; an
// output is HMAC-SHA-256(secret, salt), with the secret chosen by the UV bit of the
// authenticator data it goes with. Salts arrive already hashed by the client
// (SHA-256("WebAuthn PRF" || 0x00 || input), src/client/extensions.ts).

import { randomBytes } from '../crypto/random';
import type { PrfSecrets } from './ports';

export const PRF_SECRET_BYTES = 32;

/** The client's hashed inputs: 32 bytes each. */
export interface PrfSalts {
  first: Uint8Array;
  second?: Uint8Array;
}

export interface PrfOutputs {
  first: Uint8Array;
  second?: Uint8Array;
}

/** CTAP2.1 §12.5: CredRandomWithUV and CredRandomWithoutUV, made with the credential. */
export function newPrfSecrets(): PrfSecrets {
  return { withUV: randomBytes(PRF_SECRET_BYTES), withoutUV: randomBytes(PRF_SECRET_BYTES) };
}

/** HMAC-SHA-256(secret, salt) for each salt (WebCrypto, so the secret is copied into a key once). */
export async function evaluatePrf(secret: Uint8Array, salts: PrfSalts): Promise<PrfOutputs> {
  const raw = Uint8Array.from(secret);
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  } finally {
    raw.fill(0);
  }
  const mac = async (salt: Uint8Array) => new Uint8Array(await crypto.subtle.sign('HMAC', key, Uint8Array.from(salt)));
  const [first, second] = await Promise.all([mac(salts.first), salts.second && mac(salts.second)]);
  return second ? { first, second } : { first };
}
