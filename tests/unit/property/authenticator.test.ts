// Property-based tests of the authenticator (src/authenticator) over the real vault, with
// parameters the client would never pass as well as ones it would: the operation always
// resolves (never throws), "UnknownError" ('Other') only for parameters L3 §6.3.2 step 1 / §6.3.3
// step 1 call malformed, a success verifies with @simplewebauthn/server, and a failure changes
// nothing in the vault but the site's evidence (allowCredentials, excludeCredentials).

import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../src/authenticator';
import type { AuthenticatorOutcome, GetAssertionParams, GetAssertionResult, MakeCredentialParams, MakeCredentialResult } from '../../../src/authenticator/types';
import { sha256 } from '../../../src/crypto/hash';
import { fromBase64url, toBase64url } from '../../../src/protocol/base64url';
import { checkOnlyRetired, RUNS, rows, runProperty, same, scriptedUser, seeded, seedTemplate, unhandled, userScript, withLazyVault, type UserScript, withoutStamp, type Snapshot } from './harness';

const TIMEOUT = Math.max(180_000, RUNS * 200);
const ORIGIN = 'https://example.com';

beforeAll(seedTemplate, 120_000);

const te = new TextEncoder();

/** A seeded credential's id, or random bytes (a few of odd lengths). */
const credentialId = fc.oneof(
  fc.record({ seed: fc.constantFrom('current', 'all', 'other') as fc.Arbitrary<keyof typeof seeded>, index: fc.nat(7) }),
  fc.uint8Array({ minLength: 0, maxLength: 40 }),
);

function idOf(ref: Uint8Array | { seed: keyof typeof seeded; index: number }): Uint8Array {
  if (ref instanceof Uint8Array) return ref;
  const list = seeded[ref.seed];
  return fromBase64url(list[ref.index % list.length] ?? '') ?? new Uint8Array(16);
}

const rpId = fc.oneof(
  { arbitrary: fc.constantFrom('example.com', 'example.com', 'other.example'), weight: 3 },
  // ASCII only: the client turns any other RP ID away (SecurityError) before it gets here.
  fc.constantFrom('', 'EXAMPLE.COM', 'xn--exmple-cua.com', 'a'.repeat(300), 'example.com.', '\u0000'),
);

/** Strings the page chooses: short, long, multi-byte (cut to 64 bytes before they are stored). */
const pageString = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 90 }), fc.constant('é'.repeat(40)));

/** The clientDataHash: SHA-256 of a real clientDataJSON, or bytes of the wrong length. */
const clientData = fc.oneof(
  { arbitrary: fc.uint8Array({ minLength: 16, maxLength: 32 }).map((challenge) => ({ challenge, junk: undefined })), weight: 5 },
  fc.uint8Array({ maxLength: 40 }).filter((b) => b.length !== 32).map((junk) => ({ challenge: new Uint8Array(16), junk })),
);

const salts = fc.record({ first: fc.uint8Array({ minLength: 0, maxLength: 40 }), second: fc.uint8Array({ minLength: 32, maxLength: 32 }) }, { requiredKeys: ['first'] });

const makeCase = fc.record({
  clientData,
  rp: fc.record({ id: rpId, name: pageString }),
  user: fc.record({ id: fc.uint8Array({ minLength: 0, maxLength: 70 }), name: pageString, displayName: pageString }),
  algorithms: fc.array(fc.oneof({ arbitrary: fc.constantFrom(-7, -8), weight: 5 }, fc.constantFrom(-257, -35, 0, 1, -65000, 2 ** 31, NaN)), { maxLength: 4 }),
  exclude: fc.array(credentialId, { maxLength: 3 }),
  requireResidentKey: fc.boolean(),
  requireUserVerification: fc.boolean(),
  attestationFormat: fc.constantFrom<'none' | 'packed'>('none', 'packed'),
  prf: fc.option(salts, { nil: undefined }),
  user_: userScript,
  uvAvailable: fc.boolean(),
});

const getCase = fc.record({
  clientData,
  rpId,
  allow: fc.array(credentialId, { maxLength: 3 }),
  requireUserVerification: fc.boolean(),
  conditional: fc.boolean(),
  prf: fc.option(salts, { nil: undefined }),
  prfByCredential: fc.option(fc.array(fc.tuple(credentialId, salts), { maxLength: 2 }), { nil: undefined }),
  largeBlob: fc.option(fc.oneof(fc.constant<{ read: true }>({ read: true }), fc.uint8Array({ maxLength: 64 }).map((write) => ({ write }))), { nil: undefined }),
  user_: userScript,
  uvAvailable: fc.boolean(),
});

function clientDataJSON(type: 'webauthn.create' | 'webauthn.get', challenge: Uint8Array): Uint8Array {
  return te.encode(JSON.stringify({ type, challenge: toBase64url(challenge), origin: ORIGIN, crossOrigin: false }));
}

const CODES = ['CredentialExcluded', 'UnsupportedAlgorithm', 'OperationDenied', 'NoCredentials', 'UnsupportedOption', 'Other'];

/** A resolved outcome of a known kind; 'Other' only for malformed parameters. */
function checkKind(outcome: AuthenticatorOutcome<unknown>, malformed: boolean): string {
  if (outcome.kind === 'fallback') return `fallback ${outcome.hint}`;
  if (outcome.kind === 'error') {
    if (!CODES.includes(outcome.code)) throw new Error(`unknown code ${outcome.code}`);
    if (outcome.code === 'Other' && !malformed) throw new Error(`UnknownError for well-formed parameters: ${outcome.message}`);
    return outcome.code;
  }
  if (outcome.kind !== 'ok') throw new Error(`unknown outcome ${fc.stringify(outcome)}`);
  if (malformed) throw new Error('succeeded with malformed parameters');
  return 'ok';
}

/** After a failure: nothing changed, but the evidence the named ids are (stamp, retired passkeys). */
function unchangedBut(before: Snapshot, after: Snapshot, named: Uint8Array[]): void {
  if (named.some((id) => seeded.all.includes(toBase64url(id)))) checkOnlyRetired(before, after, new Set());
  else if (named.length > 0) same(withoutStamp(before), withoutStamp(after), 'the vault changed after a failure');
  else same(before, after, 'the vault changed after a failure');
}

/**
 * Runs one operation of an authenticator over a fresh copy of the seeded vault, the case's
 * scripted user answering; checks the outcome's kind and that a failure changed nothing but
 * the evidence the ids in `named` are.
 */
async function operate<T>(
  c: { user_: UserScript; uvAvailable: boolean },
  malformed: boolean,
  named: Uint8Array[],
  operation: (authenticator: ReturnType<typeof createAuthenticator>) => Promise<AuthenticatorOutcome<T>>,
): Promise<{ outcome: AuthenticatorOutcome<T>; before: Snapshot; after: Snapshot; label: string }> {
  const user = scriptedUser(c.user_, c.uvAvailable);
  const { value: outcome, before, after } = await withLazyVault((store) =>
    operation(createAuthenticator(store, user, undefined, { userVerification: c.uvAvailable })),
  );
  const label = checkKind(outcome, malformed);
  if (outcome.kind !== 'ok') unchangedBut(before, after, named);
  return { outcome, before, after, label };
}

describe('authenticator properties (fast-check, real vault)', () => {
  it(
    'makeCredential always resolves: UnknownError only for malformed parameters, a success verifies, a failure changes nothing',
    async () => {
      const figures = await runProperty('authenticatorMakeCredential', makeCase, async (c) => {
        const json = clientDataJSON('webauthn.create', c.clientData.challenge);
        const params: MakeCredentialParams = {
          clientDataHash: c.clientData.junk ?? sha256(json),
          rp: c.rp,
          user: c.user,
          algorithms: c.algorithms,
          excludeCredentialIds: c.exclude.map(idOf),
          requireResidentKey: c.requireResidentKey,
          requireUserVerification: c.requireUserVerification,
          attestationFormat: c.attestationFormat,
          ...(c.prf ? { prf: { eval: c.prf } } : {}),
        };
        const malformed = params.clientDataHash.length !== 32 || params.rp.id === '' || params.user.id.length < 1 || params.user.id.length > 64;
        const { outcome, before, after, label } = await operate(c, malformed, params.excludeCredentialIds, (a) => a.makeCredential(params));
        if (outcome.kind !== 'ok') return label;
        const made: MakeCredentialResult = outcome.value;
        const id = toBase64url(made.credentialId);
        const verified = await verifyRegistrationResponse({
          response: {
            id,
            rawId: id,
            type: 'public-key',
            clientExtensionResults: {},
            response: {
              clientDataJSON: toBase64url(json),
              attestationObject: toBase64url(made.attestationObject),
              authenticatorData: toBase64url(made.authenticatorData),
              publicKey: toBase64url(made.publicKeySpki),
              publicKeyAlgorithm: made.alg,
              transports: ['internal'],
            },
          },
          expectedChallenge: toBase64url(c.clientData.challenge),
          expectedOrigin: ORIGIN,
          expectedRPID: params.rp.id,
          requireUserVerification: params.requireUserVerification,
          supportedAlgorithmIDs: [-7, -8, -257],
        });
        if (!verified.verified) throw new Error('the registration does not verify');
        const added = [...rows(after).keys()].filter((k) => !rows(before).has(k));
        if (added.length !== 1 || added[0] !== id) throw new Error(`made ${id}, the vault added ${added.join(',')}`);
        checkOnlyRetired(before, after, new Set(added));
        return label;
      });
      expect(figures.failures).toBe(0);
      expect(unhandled).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'getAssertion always resolves: UnknownError only for malformed parameters, a success verifies, a failure changes nothing',
    async () => {
      const figures = await runProperty('authenticatorGetAssertion', getCase, async (c) => {
        const json = clientDataJSON('webauthn.get', c.clientData.challenge);
        const params: GetAssertionParams = {
          rpId: c.rpId,
          clientDataHash: c.clientData.junk ?? sha256(json),
          allowCredentialIds: c.allow.map(idOf),
          requireUserVerification: c.requireUserVerification,
          ...(c.conditional ? { conditional: true } : {}),
          ...(c.prf || c.prfByCredential
            ? { prf: { ...(c.prf ? { eval: c.prf } : {}), ...(c.prfByCredential ? { evalByCredential: Object.fromEntries(c.prfByCredential.map(([ref, s]) => [toBase64url(idOf(ref)), s])) } : {}) } }
            : {}),
          ...(c.largeBlob ? { largeBlob: c.largeBlob } : {}),
        };
        const malformed = params.clientDataHash.length !== 32 || params.rpId === '';
        const { outcome, before, after, label } = await operate(c, malformed, params.allowCredentialIds, (a) => a.getAssertion(params));
        if (outcome.kind !== 'ok') return label;
        const got: GetAssertionResult = outcome.value;
        const id = toBase64url(got.credentialId);
        const row = rows(before).get(id);
        if (!row) throw new Error(`asserted with ${id}, which the vault did not hold`);
        if (row.rpId !== params.rpId) throw new Error(`asserted for ${params.rpId} with a passkey of ${row.rpId}`);
        if (params.allowCredentialIds.length > 0 && !params.allowCredentialIds.some((a) => toBase64url(a) === id)) throw new Error('asserted with a passkey not allowed');
        const verified = await verifyAuthenticationResponse({
          response: {
            id,
            rawId: id,
            type: 'public-key',
            clientExtensionResults: {},
            response: {
              clientDataJSON: toBase64url(json),
              authenticatorData: toBase64url(got.authenticatorData),
              signature: toBase64url(got.signature),
              userHandle: toBase64url(got.userHandle),
            },
          },
          expectedChallenge: toBase64url(c.clientData.challenge),
          expectedOrigin: ORIGIN,
          expectedRPID: params.rpId,
          credential: { id, publicKey: new Uint8Array(row.publicKey), counter: row.signCount ?? 0 },
          requireUserVerification: params.requireUserVerification,
        });
        if (!verified.verified) throw new Error('the assertion does not verify');
        checkOnlyRetired(before, after, new Set(), id);
        return label;
      });
      expect(figures.failures).toBe(0);
      expect(unhandled).toEqual([]);
    },
    TIMEOUT,
  );
});
