// Files in other managers' formats, made from fresh keys, as those managers write them.

import { toPkcs8 } from '../../../src/backup/pkcs8';
import type { PublicKey, SignatureAlgorithm } from '../../../src/crypto/key-types';
import { generateKeyPair } from '../../../src/crypto/signature';
import { toBase64url } from '../../../src/protocol/base64url';

export interface MadeKey {
  credentialId: Uint8Array;
  userHandle: Uint8Array;
  publicKey: PublicKey;
  pkcs8: Uint8Array;
}

export async function madeKey(algorithm: SignatureAlgorithm = 'ES256'): Promise<MadeKey> {
  const pair = await generateKeyPair(algorithm);
  return { credentialId: crypto.getRandomValues(new Uint8Array(16)), userHandle: crypto.getRandomValues(new Uint8Array(16)), publicKey: pair.publicKey, pkcs8: toPkcs8(algorithm, pair.privateKey) };
}

function guid(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function bitwardenCredential(key: MadeKey, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    credentialId: guid(key.credentialId),
    keyType: 'public-key',
    keyAlgorithm: 'ECDSA',
    keyCurve: 'P-256',
    keyValue: toBase64url(key.pkcs8),
    rpId: 'example.com',
    userHandle: toBase64url(key.userHandle),
    userName: 'bob@example.com',
    counter: '0',
    rpName: 'Example',
    userDisplayName: 'Bob',
    discoverable: 'true',
    creationDate: '2025-03-04T05:06:07.890Z',
    ...overrides,
  };
}

export function bitwardenFile(credentials: Array<Record<string, unknown>>, name = 'example.com'): string {
  return JSON.stringify({
    encrypted: false,
    folders: [],
    items: [
      { id: crypto.randomUUID(), type: 2, name: 'A note', notes: 'not a login', secureNote: { type: 0 } },
      ...credentials.map((credential) => ({
        id: crypto.randomUUID(),
        organizationId: null,
        folderId: null,
        type: 1,
        name,
        favorite: false,
        login: { username: 'bob@example.com', password: null, totp: null, uris: [{ uri: 'https://example.com', match: null }], fido2Credentials: [credential] },
        collectionIds: null,
      })),
    ],
  });
}

export function keepassxcFile(key: MadeKey, overrides: Record<string, unknown> = {}): string {
  const base64 = btoa(String.fromCharCode(...key.pkcs8));
  const pem = `-----BEGIN PRIVATE KEY-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return JSON.stringify({
    credentialId: toBase64url(key.credentialId),
    privateKey: pem,
    relyingParty: 'example.com',
    url: 'https://example.com/login',
    userHandle: toBase64url(key.userHandle),
    username: 'carol',
    ...overrides,
  });
}
