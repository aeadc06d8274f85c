import { describe, expect, it } from 'vitest';
import { LATCHKEY_AAGUID, LATCHKEY_AAGUID_STRING } from '../../../src/authenticator/aaguid';
import { FLAG, buildAuthenticatorData } from '../../../src/authenticator/authenticator-data';
import { toHex } from '../crypto/hex';

// SHA-256("example.com"), as in the L3 examples.
const EXAMPLE_COM_HASH = 'a379a6f6eeafb9a55e378c118034e2751e682fab9f2d30ab13d2125586ce1947';

describe('authenticator data', () => {
  it('is rpIdHash | flags | signCount 0 for an assertion, with UP and BE (0x09)', () => {
    const data = buildAuthenticatorData({ rpId: 'example.com', userPresent: true, userVerified: false, backupState: false });
    expect(toHex(data)).toBe(EXAMPLE_COM_HASH + '09' + '00000000');
  });

  it('sets BS (0x10) from the credential backup state', () => {
    const data = buildAuthenticatorData({ rpId: 'example.com', userPresent: true, userVerified: false, backupState: true });
    expect(data[32]).toBe(FLAG.UP | FLAG.BE | FLAG.BS);
  });

  it('appends aaguid | credentialIdLength | credentialId | COSE key with AT (0x49) on registration', () => {
    const credentialId = Uint8Array.from({ length: 16 }, (_, i) => i);
    const credentialPublicKey = Uint8Array.of(0xa1, 0x01, 0x02);
    const data = buildAuthenticatorData({
      rpId: 'example.com',
      userPresent: true,
      userVerified: false,
      backupState: false,
      attestedCredentialData: { aaguid: LATCHKEY_AAGUID, credentialId, credentialPublicKey },
    });
    expect(toHex(data)).toBe(
      EXAMPLE_COM_HASH + '49' + '00000000' + LATCHKEY_AAGUID_STRING.replace(/-/g, '') + '0010' + '000102030405060708090a0b0c0d0e0f' + 'a10102',
    );
  });

  it('never sets ED: the authenticator outputs no extensions', () => {
    const data = buildAuthenticatorData({ rpId: 'a.example', userPresent: true, userVerified: true, backupState: true });
    expect(data[32]! & FLAG.ED).toBe(0);
    expect(data).toHaveLength(37);
  });

  it('publishes one fixed version-4 AAGUID', () => {
    expect(LATCHKEY_AAGUID).toHaveLength(16);
    expect(toHex(LATCHKEY_AAGUID)).toBe(LATCHKEY_AAGUID_STRING.replace(/-/g, ''));
    expect(LATCHKEY_AAGUID[6]! >> 4).toBe(4);
    expect(LATCHKEY_AAGUID[8]! >> 6).toBe(0b10);
  });
});
