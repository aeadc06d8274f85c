import { describe, expect, it } from 'vitest';
import { decodeCoseKey, encodeCoseKey } from '../../../src/authenticator/cose';
import { generateKeyPair } from '../../../src/crypto/signature';
import { toHex } from '../crypto/hex';

const x = new Uint8Array(32).fill(0x11);
const y = new Uint8Array(32).fill(0x22);

describe('COSE_Key', () => {
  it('lays out an EC2 P-256 key as {1: 2, 3: -7, -1: 1, -2: x, -3: y}', () => {
    expect(toHex(encodeCoseKey({ algorithm: 'ES256', x, y }))).toBe(
      'a5' + '01' + '02' + '03' + '26' + '20' + '01' + '21' + '5820' + '11'.repeat(32) + '22' + '5820' + '22'.repeat(32),
    );
  });

  it('lays out an OKP Ed25519 key as {1: 1, 3: -8, -1: 6, -2: x}', () => {
    expect(toHex(encodeCoseKey({ algorithm: 'EdDSA', x }))).toBe('a4' + '0101' + '0327' + '2006' + '215820' + '11'.repeat(32));
  });

  it('lays out an RSA key as {1: 3, 3: -257, -1: n, -2: e}', () => {
    const n = new Uint8Array(256).fill(0xc3);
    const e = Uint8Array.of(1, 0, 1);
    expect(toHex(encodeCoseKey({ algorithm: 'RS256', n, e }))).toBe(
      'a4' + '0103' + '03390100' + '20590100' + 'c3'.repeat(256) + '21' + '43010001',
    );
  });

  it('reads back every key it writes', async () => {
    for (const algorithm of ['ES256', 'EdDSA', 'RS256'] as const) {
      const { publicKey } = await generateKeyPair(algorithm);
      expect(decodeCoseKey(encodeCoseKey(publicKey))).toEqual(publicKey);
    }
  });
});
