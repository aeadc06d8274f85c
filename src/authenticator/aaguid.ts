// Latchkey's published AAGUID (L3 §6.1.1 "aaguid"): one fixed value for every installation,
// so RPs can name the provider without telling users apart. Drawn once from a CSPRNG
// (Node's crypto.randomBytes) with the RFC 4122 version-4 and variant bits set.
// Do not change it: RPs and passkey-provider AAGUID lists key on it.

export const LATCHKEY_AAGUID_STRING = '570fcc2e-b36e-4bb4-bac7-9d52fee7f348';

export const LATCHKEY_AAGUID: Uint8Array = Uint8Array.of(
  0x57, 0x0f, 0xcc, 0x2e, 0xb3, 0x6e, 0x4b, 0xb4, 0xba, 0xc7, 0x9d, 0x52, 0xfe, 0xe7, 0xf3, 0x48,
);
