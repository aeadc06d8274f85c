// End to end against an independent relying party: @simplewebauthn/server verifies what the
// authenticator makes, with clientDataJSON built here as src/client would.

import {
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { LATCHKEY_AAGUID_STRING } from '../../../src/authenticator/aaguid';
import { createAuthenticator } from '../../../src/authenticator/index';
import { COSE_ALG } from '../../../src/authenticator/types';
import { randomBytes } from '../../../src/crypto/random';
import { sha256 } from '../../../src/crypto/hash';
import { toBase64url } from '../../../src/protocol/base64url';
import { FakeCredentialStore, ScriptedUser, approveCreate, chooseCandidate, steppingClock } from './fakes';

const ORIGIN = 'https://example.com';
const RP_ID = 'example.com';

function clientDataJSON(type: 'webauthn.create' | 'webauthn.get', challenge: Uint8Array): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({ type, challenge: toBase64url(challenge), origin: ORIGIN, crossOrigin: false }),
  );
}

const cases = [
  { name: 'ES256', alg: COSE_ALG.ES256 },
  { name: 'EdDSA', alg: COSE_ALG.EdDSA },
  { name: 'RS256', alg: COSE_ALG.RS256 },
] as const;

describe('registration and sign-in verified by @simplewebauthn/server', () => {
  for (const { name, alg } of cases) {
    for (const attestationFormat of ['none', 'packed'] as const) {
      it(`registers with ${name} and ${attestationFormat} attestation, then signs in`, async () => {
        const store = new FakeCredentialStore();
        const user = new ScriptedUser().onCreate(approveCreate()).onChoose(chooseCandidate(0));
        const authenticator = createAuthenticator(store, user, steppingClock());
        const userId = randomBytes(32);

        const createChallenge = randomBytes(32);
        const createClientData = clientDataJSON('webauthn.create', createChallenge);
        const made = await authenticator.makeCredential({
          clientDataHash: sha256(createClientData),
          rp: { id: RP_ID, name: 'Example' },
          user: { id: userId, name: 'ada@example.com', displayName: 'Ada' },
          algorithms: [alg],
          excludeCredentialIds: [],
          requireResidentKey: true,
          requireUserVerification: false,
          attestationFormat,
        });
        if (made.kind !== 'ok') throw new Error(`makeCredential: ${JSON.stringify(made)}`);
        const id = toBase64url(made.value.credentialId);
        const registration: RegistrationResponseJSON = {
          id,
          rawId: id,
          type: 'public-key',
          authenticatorAttachment: 'platform',
          clientExtensionResults: {},
          response: {
            clientDataJSON: toBase64url(createClientData),
            attestationObject: toBase64url(made.value.attestationObject),
            authenticatorData: toBase64url(made.value.authenticatorData),
            publicKey: toBase64url(made.value.publicKeySpki),
            publicKeyAlgorithm: made.value.alg,
            transports: ['internal'],
          },
        };
        const registered = await verifyRegistrationResponse({
          response: registration,
          expectedChallenge: toBase64url(createChallenge),
          expectedOrigin: ORIGIN,
          expectedRPID: RP_ID,
          requireUserVerification: false,
          supportedAlgorithmIDs: [alg],
        });
        expect(registered.verified).toBe(true);
        if (!registered.verified) return;
        const info = registered.registrationInfo;
        expect(info.fmt).toBe(attestationFormat);
        expect(info.aaguid).toBe(LATCHKEY_AAGUID_STRING);
        expect(info.userVerified).toBe(false);
        expect(info.credentialDeviceType).toBe('multiDevice');
        expect(info.credentialBackedUp).toBe(false);
        expect(info.credential.id).toBe(id);
        expect(info.credential.counter).toBe(0);

        const getChallenge = randomBytes(32);
        const getClientData = clientDataJSON('webauthn.get', getChallenge);
        const got = await authenticator.getAssertion({
          rpId: RP_ID,
          clientDataHash: sha256(getClientData),
          allowCredentialIds: [],
          requireUserVerification: false,
        });
        if (got.kind !== 'ok') throw new Error(`getAssertion: ${JSON.stringify(got)}`);
        const assertion: AuthenticationResponseJSON = {
          id: toBase64url(got.value.credentialId),
          rawId: toBase64url(got.value.credentialId),
          type: 'public-key',
          authenticatorAttachment: 'platform',
          clientExtensionResults: {},
          response: {
            clientDataJSON: toBase64url(getClientData),
            authenticatorData: toBase64url(got.value.authenticatorData),
            signature: toBase64url(got.value.signature),
            userHandle: toBase64url(got.value.userHandle),
          },
        };
        const authenticated = await verifyAuthenticationResponse({
          response: assertion,
          expectedChallenge: toBase64url(getChallenge),
          expectedOrigin: ORIGIN,
          expectedRPID: RP_ID,
          credential: info.credential,
          requireUserVerification: false,
        });
        expect(authenticated.verified).toBe(true);
        expect(got.value.userHandle).toEqual(userId);

        // The same response with a different challenge must not verify.
        await expect(
          verifyAuthenticationResponse({
            response: assertion,
            expectedChallenge: toBase64url(randomBytes(32)),
            expectedOrigin: ORIGIN,
            expectedRPID: RP_ID,
            credential: info.credential,
            requireUserVerification: false,
          }),
        ).rejects.toThrow();
      });
    }
  }
});
