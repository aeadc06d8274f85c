// One signing interface over the three credential algorithms Latchkey offers (docs/architecture.md
// "Algorithms"). Names are the JOSE ones; src/authenticator maps them to COSE ids.

import type { KeyPair, PublicKey, SignatureAlgorithm } from './key-types';
import { rs256Available, rs256GenerateKeyPair, rs256Sign, rs256Verify } from './rs256';

// The curves are evaluated at the first key made or signature, not as the service worker
// starts: @noble/curves is a sixth of the worker's script, and a ceremony signs only after the
// user has answered its prompt (docs/performance.md).
const es256 = () => import('./es256');
const ed25519 = () => import('./ed25519');

/** ES256 and EdDSA are always there; RS256 only where WebCrypto can generate the key. */
export async function isAlgorithmAvailable(algorithm: SignatureAlgorithm): Promise<boolean> {
  return algorithm === 'RS256' ? rs256Available() : true;
}

export async function generateKeyPair(algorithm: SignatureAlgorithm): Promise<KeyPair> {
  switch (algorithm) {
    case 'ES256': {
      const { privateKey, x, y } = (await es256()).es256GenerateKeyPair();
      return { privateKey, publicKey: { algorithm, x, y } };
    }
    case 'EdDSA': {
      const { privateKey, x } = (await ed25519()).ed25519GenerateKeyPair();
      return { privateKey, publicKey: { algorithm, x } };
    }
    case 'RS256': {
      const { privateKey, n, e } = await rs256GenerateKeyPair();
      return { privateKey, publicKey: { algorithm, n, e } };
    }
  }
}

/**
 * Signs `message` whole: every algorithm here hashes it itself (ES256 and RS256 with SHA-256,
 * Ed25519 with SHA-512 inside), so the WebAuthn caller passes authenticatorData || clientDataHash.
 * ES256 signatures are DER, EdDSA 64 raw bytes, RS256 the modulus length.
 */
export async function sign(algorithm: SignatureAlgorithm, privateKey: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  switch (algorithm) {
    case 'ES256':
      return (await es256()).es256Sign(privateKey, message);
    case 'EdDSA':
      return (await ed25519()).ed25519Sign(privateKey, message);
    case 'RS256':
      return rs256Sign(privateKey, message);
  }
}

export async function verify(publicKey: PublicKey, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  switch (publicKey.algorithm) {
    case 'ES256':
      return (await es256()).es256Verify(publicKey.x, publicKey.y, message, signature);
    case 'EdDSA':
      return (await ed25519()).ed25519Verify(publicKey.x, message, signature);
    case 'RS256':
      return rs256Verify(publicKey.n, publicKey.e, message, signature);
  }
}
