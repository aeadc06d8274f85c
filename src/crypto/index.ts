// src/crypto: thin wrappers over @noble/curves, @noble/hashes and WebCrypto. Imports nothing
// else of ours (docs/architecture.md#imports-that-must-never-exist).

export { bytesEqual, concatBytes, wipe } from './bytes';
export { randomBytes } from './random';
export { sha256, sha256Utf8 } from './hash';
export { generateKeyPair, isAlgorithmAvailable, sign, verify } from './signature';
export type { KeyPair, PublicKey, SignatureAlgorithm } from './key-types';
export { encodeSpki, rsaPublicKeyFromSpki } from './spki';
export { AES_GCM_IV_BYTES, AES_GCM_TAG_BYTES, aesGcmDecrypt, aesGcmEncrypt, importAesGcmKey } from './aead';
export type { AesGcmSealed } from './aead';
