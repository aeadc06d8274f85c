import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Authenticator } from '../../../src/client/authenticator-api';
import { createCredential, getAssertion, type Caller } from '../../../src/client/ceremony';
import { NOT_ALLOWED_MESSAGE } from '../../../src/client/errors';
import type {
  AuthenticatorOutcome,
  GetAssertionParams,
  GetAssertionResult,
  MakeCredentialParams,
  MakeCredentialResult,
} from '../../../src/authenticator/types';
import { fromBase64url, toBase64url } from '../../../src/protocol/base64url';
import type { CeremonyResponse } from '../../../src/protocol/messages';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '../../../src/protocol/webauthn-json';
import { hex, VECTORS } from './vectors';

const bytes = (...b: number[]) => new Uint8Array(b);

const MADE: MakeCredentialResult = {
  credentialId: bytes(0xf9, 0x1f, 0x39, 0x1d),
  authenticatorData: bytes(1, 2, 3, 4),
  attestationObject: bytes(0xa3, 5, 6),
  publicKeySpki: bytes(0x30, 0x59, 7),
  alg: -7,
  residentKey: true,
  transports: ['internal', 'hybrid', 'internal'],
};

const ASSERTED: GetAssertionResult = {
  credentialId: bytes(0xf9, 0x1f, 0x39, 0x1d),
  authenticatorData: bytes(9, 8, 7),
  signature: bytes(0x30, 0x45, 1),
  userHandle: bytes(0x75, 0x69, 0x64),
};

/** A scripted authenticator that records what it was asked. */
function fakeAuthenticator(script: {
  make?: AuthenticatorOutcome<MakeCredentialResult> | Promise<AuthenticatorOutcome<MakeCredentialResult>>;
  get?: AuthenticatorOutcome<GetAssertionResult> | Promise<AuthenticatorOutcome<GetAssertionResult>>;
}) {
  const calls: { make: MakeCredentialParams[]; get: GetAssertionParams[] } = { make: [], get: [] };
  const authenticator: Authenticator = {
    signal: async () => undefined,
    async makeCredential(p) {
      calls.make.push(p);
      return script.make ?? { kind: 'ok', value: MADE };
    },
    async getAssertion(p) {
      calls.get.push(p);
      return script.get ?? { kind: 'ok', value: ASSERTED };
    },
  };
  return { authenticator, calls };
}

const frame = { createAllowed: false, getAllowed: false, transientActivation: false, policyKnown: true, secureContext: true };
const topLevel: Caller = { origin: 'https://example.org', topOrigin: 'https://example.org', sameOriginWithAncestors: true, frame };
const crossOrigin: Caller = { origin: 'https://example.org', topOrigin: 'https://example.com', sameOriginWithAncestors: false, frame };
const live = () => new AbortController().signal;

function creationOptions(overrides: Partial<PublicKeyCredentialCreationOptionsJSON> = {}): PublicKeyCredentialCreationOptionsJSON {
  return {
    rp: { id: 'example.org', name: 'Example' },
    user: { id: toBase64url(bytes(1, 2, 3, 4)), name: 'alice@example.org', displayName: 'Alice' },
    challenge: toBase64url(hex(VECTORS.topOriginCreate.challenge)),
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    ...overrides,
  };
}

function requestOptions(overrides: Partial<PublicKeyCredentialRequestOptionsJSON> = {}): PublicKeyCredentialRequestOptionsJSON {
  return { challenge: toBase64url(hex(VECTORS.noneGet.challenge)), rpId: 'example.org', ...overrides };
}

function errorOf(r: CeremonyResponse): string {
  return r.type === 'error' ? r.name : r.type;
}

describe('createCredential (L3 §5.1.3)', () => {
  it('returns the full RegistrationResponseJSON', async () => {
    const { authenticator } = fakeAuthenticator({});
    const r = await createCredential({ options: creationOptions({ extensions: { credProps: true } }) }, topLevel, { authenticator, signal: live() });
    expect(r.type).toBe('created');
    if (r.type !== 'created') return;
    const clientDataJSON = r.credential.response.clientDataJSON;
    expect(r).toEqual({
      type: 'created',
      credential: {
        id: '-R85HQ',
        rawId: '-R85HQ',
        response: {
          clientDataJSON,
          authenticatorData: 'AQIDBA',
          transports: ['hybrid', 'internal'],
          publicKey: 'MFkH',
          publicKeyAlgorithm: -7,
          attestationObject: 'owUG',
        },
        authenticatorAttachment: 'platform',
        clientExtensionResults: { credProps: { rk: true } },
        type: 'public-key',
      },
    });
    expect(JSON.parse(new TextDecoder().decode(fromBase64url(clientDataJSON)))).toEqual({
      type: 'webauthn.create',
      challenge: toBase64url(hex(VECTORS.topOriginCreate.challenge)),
      origin: 'https://example.org',
      crossOrigin: false,
    });
  });

  it('hands the authenticator SHA-256 of clientDataJSON and the converted options', async () => {
    const { authenticator, calls } = fakeAuthenticator({});
    const r = await createCredential(
      {
        options: creationOptions({
          rp: { name: 'Example' },
          pubKeyCredParams: [{ type: 'public-key', alg: '-257' }, { type: 'public-key', alg: -7 }],
          excludeCredentials: [{ type: 'public-key', id: toBase64url(bytes(7, 7)) }],
          attestation: 'direct',
          authenticatorSelection: { residentKey: 'discouraged' },
        }),
      },
      { ...topLevel, origin: 'https://login.example.org', topOrigin: 'https://login.example.org' },
      { authenticator, signal: live() },
    );
    if (r.type !== 'created') throw new Error(`expected created, got ${r.type}`);
    const p = calls.make[0]!;
    expect(p.clientDataHash).toEqual(sha256(fromBase64url(r.credential.response.clientDataJSON)!));
    expect(p.rp).toEqual({ id: 'login.example.org', name: 'Example' });
    expect(p.user).toEqual({ id: bytes(1, 2, 3, 4), name: 'alice@example.org', displayName: 'Alice' });
    expect(p.algorithms).toEqual([-257, -7]);
    expect(p.excludeCredentialIds).toEqual([bytes(7, 7)]);
    expect(p.requireResidentKey).toBe(false);
    expect(p.requireUserVerification).toBe(false);
    expect(p.attestationFormat).toBe('packed');
    expect(r.credential.clientExtensionResults).toEqual({});
  });

  it('writes the §16.5 cross-origin clientDataJSON for a permitted, activated cross-origin frame', async () => {
    const { authenticator } = fakeAuthenticator({});
    const caller: Caller = { ...crossOrigin, frame: { ...frame, createAllowed: true, transientActivation: true } };
    const r = await createCredential({ options: creationOptions() }, caller, { authenticator, signal: live() });
    if (r.type !== 'created') throw new Error(`expected created, got ${r.type}`);
    expect(fromBase64url(r.credential.response.clientDataJSON)).toEqual(hex(VECTORS.topOriginCreate.clientDataJSON));
  });

  it.each([
    [{ createAllowed: false, getAllowed: true, transientActivation: true, policyKnown: true, secureContext: true }],
    [{ createAllowed: true, getAllowed: true, transientActivation: false, policyKnown: true, secureContext: true }],
  ])('refuses a cross-origin create without both permission and activation (%j) with NotAllowedError', async (facts) => {
    const { authenticator, calls } = fakeAuthenticator({});
    const r = await createCredential({ options: creationOptions() }, { ...crossOrigin, frame: facts }, { authenticator, signal: live() });
    expect(errorOf(r)).toBe('NotAllowedError');
    expect(calls.make).toHaveLength(0);
  });

  it('answers the spec error names for bad input, in step order', async () => {
    const { authenticator, calls } = fakeAuthenticator({});
    const deps = { authenticator, signal: live() };
    const userId65 = { id: toBase64url(new Uint8Array(65)), name: 'a', displayName: 'A' };
    // step 5 (TypeError) comes before step 6 (opaque origin)
    expect(errorOf(await createCredential({ options: creationOptions({ user: userId65 }) }, { ...topLevel, origin: 'null' }, deps))).toBe('TypeError');
    expect(errorOf(await createCredential({ options: creationOptions() }, { ...topLevel, origin: 'null' }, deps))).toBe('NotAllowedError');
    expect(errorOf(await createCredential({ options: creationOptions({ rp: { id: 'org', name: 'x' } }) }, topLevel, deps))).toBe('SecurityError');
    expect(errorOf(await createCredential({ options: creationOptions({ rp: { id: 'other.org', name: 'x' } }) }, topLevel, deps))).toBe('SecurityError');
    expect(calls.make).toHaveLength(0);
  });

  it.each([
    ['ES384', [{ type: 'public-key', alg: -35 }]],
    ['ES512', [{ type: 'public-key', alg: -36 }]],
    ['an unknown algorithm', [{ type: 'public-key', alg: -65000 }]],
  ])('hands a create whose pubKeyCredParams lists only %s to the browser untouched, before any UI (not NotSupportedError)', async (_, pubKeyCredParams) => {
    const { authenticator, calls } = fakeAuthenticator({});
    const r = await createCredential({ options: creationOptions({ pubKeyCredParams }) }, topLevel, { authenticator, signal: live() });
    expect(r).toEqual({ type: 'fallback', hints: [] });
    expect(calls.make).toHaveLength(0);
  });

  it('serves a create with an empty pubKeyCredParams (the defaults ES256 and RS256)', async () => {
    const { authenticator, calls } = fakeAuthenticator({});
    const r = await createCredential({ options: creationOptions({ pubKeyCredParams: [] }) }, topLevel, { authenticator, signal: live() });
    expect(r.type).toBe('created');
    expect(calls.make[0]?.algorithms).toEqual([-7, -257]);
  });

  it('answers appidExclude with the output false (L3 §10.1.2), which Latchkey never uses', async () => {
    const { authenticator } = fakeAuthenticator({});
    const r = await createCredential({ options: creationOptions({ extensions: { appidExclude: 'https://example.org/appid.json' } }) }, topLevel, { authenticator, signal: live() });
    if (r.type !== 'created') throw new Error(`expected created, got ${r.type}`);
    expect(r.credential.clientExtensionResults).toEqual({ appidExclude: false });
  });

  it('answers appid with the output false (L3 §10.1.1): the assertion was made for the RP ID', async () => {
    const { authenticator } = fakeAuthenticator({});
    const r = await getAssertion({ options: requestOptions({ extensions: { appid: 'https://example.org/appid.json' } }), mediation: 'optional' }, topLevel, { authenticator, signal: live() });
    if (r.type !== 'asserted') throw new Error(`expected asserted, got ${r.type}`);
    expect(r.credential.clientExtensionResults).toEqual({ appid: false });
  });

  it('falls back before asking the authenticator when the RP prefers a security key', async () => {
    const { authenticator, calls } = fakeAuthenticator({});
    const r = await createCredential({ options: creationOptions({ hints: ['security-key'] }) }, topLevel, { authenticator, signal: live() });
    expect(r).toEqual({ type: 'fallback', hints: [] });
    expect(calls.make).toHaveLength(0);
  });

  it('falls back for cross-platform attachment, required UV and never-listed sites', async () => {
    const { authenticator, calls } = fakeAuthenticator({});
    const deps = { authenticator, signal: live() };
    const cp = creationOptions({ authenticatorSelection: { authenticatorAttachment: 'cross-platform' } });
    const uv = creationOptions({ authenticatorSelection: { userVerification: 'required' } });
    expect((await createCredential({ options: cp }, topLevel, deps)).type).toBe('fallback');
    expect((await createCredential({ options: uv }, topLevel, deps)).type).toBe('fallback');
    expect((await createCredential({ options: creationOptions() }, topLevel, { ...deps, neverList: ['example.org'] })).type).toBe('fallback');
    expect(calls.make).toHaveLength(0);
  });

  it('hands a create to the browser when the user offers the browser first, and still serves a get', async () => {
    const { authenticator, calls } = fakeAuthenticator({});
    const deps = { authenticator, signal: live(), browserFirst: true };
    expect(await createCredential({ options: creationOptions() }, topLevel, deps)).toEqual({ type: 'fallback', hints: [] });
    expect(calls.make).toHaveLength(0);
    await getAssertion({ options: requestOptions(), mediation: 'optional' }, topLevel, deps);
    expect(calls.get).toHaveLength(1);
  });

  it("falls back with the user's device choice from the prompt", async () => {
    const { authenticator } = fakeAuthenticator({ make: { kind: 'fallback', hint: 'hybrid' } });
    expect(await createCredential({ options: creationOptions() }, topLevel, { authenticator, signal: live() })).toEqual({ type: 'fallback', hints: ['hybrid'] });
  });

  it('answers InvalidStateError for an excluded credential', async () => {
    const { authenticator } = fakeAuthenticator({ make: { kind: 'error', code: 'CredentialExcluded', message: 'internal detail' } });
    const r = await createCredential({ options: creationOptions() }, topLevel, { authenticator, signal: live() });
    expect(errorOf(r)).toBe('InvalidStateError');
    expect(r.type === 'error' && r.message).not.toContain('internal detail');
  });

  it('answers NotAllowedError when the user cancels', async () => {
    const { authenticator } = fakeAuthenticator({ make: { kind: 'error', code: 'OperationDenied', message: '' } });
    expect(await createCredential({ options: creationOptions() }, topLevel, { authenticator, signal: live() })).toEqual({
      type: 'error',
      name: 'NotAllowedError',
      message: NOT_ALLOWED_MESSAGE,
    });
  });

  it('answers UnknownError when the authenticator throws', async () => {
    const authenticator: Authenticator = {
      signal: () => Promise.reject(new Error('boom')),
      makeCredential: () => Promise.reject(new Error('boom')),
      getAssertion: () => Promise.reject(new Error('boom')),
    };
    expect(errorOf(await createCredential({ options: creationOptions() }, topLevel, { authenticator, signal: live() }))).toBe('UnknownError');
  });

  it('resolves NotAllowedError when the signal aborts while the prompt is open', async () => {
    const never = new Promise<AuthenticatorOutcome<MakeCredentialResult>>(() => {});
    const { authenticator } = fakeAuthenticator({ make: never });
    const controller = new AbortController();
    const pending = createCredential({ options: creationOptions() }, topLevel, { authenticator, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 0));
    controller.abort(new Error('timer'));
    expect(await pending).toEqual({ type: 'error', name: 'NotAllowedError', message: NOT_ALLOWED_MESSAGE });
  });

  it('does not ask the authenticator when the signal is already aborted', async () => {
    const { authenticator, calls } = fakeAuthenticator({});
    const r = await createCredential({ options: creationOptions() }, topLevel, { authenticator, signal: AbortSignal.abort() });
    expect(errorOf(r)).toBe('NotAllowedError');
    expect(calls.make).toHaveLength(0);
  });
});

describe('getAssertion (L3 §5.1.4)', () => {
  it('returns the full AuthenticationResponseJSON with the §16.2 clientDataJSON', async () => {
    const { authenticator, calls } = fakeAuthenticator({});
    const r = await getAssertion({ options: requestOptions({ extensions: { credProps: true, somethingElse: 1 } }), mediation: 'optional' }, topLevel, {
      authenticator,
      signal: live(),
    });
    expect(r).toEqual({
      type: 'asserted',
      credential: {
        id: '-R85HQ',
        rawId: '-R85HQ',
        response: {
          clientDataJSON: toBase64url(hex(VECTORS.noneGet.clientDataJSON)),
          authenticatorData: 'CQgH',
          signature: 'MEUB',
          userHandle: 'dWlk',
        },
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
        type: 'public-key',
      },
    });
    expect(calls.get[0]).toEqual({
      rpId: 'example.org',
      clientDataHash: sha256(hex(VECTORS.noneGet.clientDataJSON)),
      allowCredentialIds: [],
      requireUserVerification: false,
    });
  });

  it("defaults rpId to the caller's effective domain and passes allowCredentials ids", async () => {
    const { authenticator, calls } = fakeAuthenticator({});
    await getAssertion(
      { options: requestOptions({ rpId: undefined, allowCredentials: [{ type: 'public-key', id: 'AQID' }] }), mediation: 'optional' },
      { ...topLevel, origin: 'https://www.example.org', topOrigin: 'https://www.example.org' },
      { authenticator, signal: live() },
    );
    expect(calls.get[0]?.rpId).toBe('www.example.org');
    expect(calls.get[0]?.allowCredentialIds).toEqual([bytes(1, 2, 3)]);
  });

  it('omits userHandle when the authenticator returns none', async () => {
    const { authenticator } = fakeAuthenticator({ get: { kind: 'ok', value: { ...ASSERTED, userHandle: new Uint8Array() } } });
    const r = await getAssertion({ options: requestOptions(), mediation: 'optional' }, topLevel, { authenticator, signal: live() });
    expect(r.type === 'asserted' && 'userHandle' in r.credential.response).toBe(false);
  });

  it('refuses a cross-origin get without publickey-credentials-get, and allows it with', async () => {
    const { authenticator } = fakeAuthenticator({});
    const denied = await getAssertion({ options: requestOptions(), mediation: 'optional' }, crossOrigin, { authenticator, signal: live() });
    expect(errorOf(denied)).toBe('NotAllowedError');
    const allowed = await getAssertion({ options: requestOptions(), mediation: 'optional' }, { ...crossOrigin, frame: { ...frame, getAllowed: true } }, { authenticator, signal: live() });
    if (allowed.type !== 'asserted') throw new Error(`expected asserted, got ${allowed.type}`);
    const data = JSON.parse(new TextDecoder().decode(fromBase64url(allowed.credential.response.clientDataJSON)));
    expect(data).toMatchObject({ crossOrigin: true, topOrigin: 'https://example.com' });
  });

  it.each(['create', 'get'] as const)(
    'hands a %s from a cross-origin frame whose permissions policy the relay cannot read (Firefox) to the browser, which enforces it',
    async (kind) => {
      const { authenticator, calls } = fakeAuthenticator({});
      const deps = { authenticator, signal: live() };
      // What Firefox's relay reports: no policy object, so "allowed" says nothing.
      const unread: Caller = { ...crossOrigin, frame: { createAllowed: true, getAllowed: true, transientActivation: true, policyKnown: false, secureContext: true } };
      const r =
        kind === 'create'
          ? await createCredential({ options: creationOptions() }, unread, deps)
          : await getAssertion({ options: requestOptions(), mediation: 'optional' }, unread, deps);
      expect(r).toEqual({ type: 'fallback', hints: [] });
      expect(calls.make).toHaveLength(0);
      expect(calls.get).toHaveLength(0);
    },
  );

  it('serves a top-level caller whose permissions policy cannot be read: the default allowlist is self', async () => {
    const { authenticator } = fakeAuthenticator({});
    const r = await createCredential({ options: creationOptions() }, { ...topLevel, frame: { ...frame, policyKnown: false } }, { authenticator, signal: live() });
    expect(r.type).toBe('created');
  });

  it('falls back when no credential matches, before any UI', async () => {
    const { authenticator } = fakeAuthenticator({ get: { kind: 'error', code: 'NoCredentials', message: '' } });
    const r = await getAssertion({ options: requestOptions({ allowCredentials: [{ type: 'public-key', id: 'AQID' }] }), mediation: 'optional' }, topLevel, {
      authenticator,
      signal: live(),
    });
    expect(r).toEqual({ type: 'fallback', hints: [] });
  });

  it('asks the authenticator to wait for the user under conditional mediation, whatever allowCredentials names (L3 §14.5.2)', async () => {
    const { authenticator, calls } = fakeAuthenticator({});
    await getAssertion({ options: requestOptions({ allowCredentials: [{ type: 'public-key', id: 'AQID' }] }), mediation: 'conditional' }, topLevel, { authenticator, signal: live() });
    await getAssertion({ options: requestOptions(), mediation: 'optional' }, topLevel, { authenticator, signal: live() });
    expect(calls.get.map((p) => p.conditional)).toEqual([true, undefined]);
  });

  it('falls back for required user verification and for hybrid-first hints', async () => {
    const { authenticator, calls } = fakeAuthenticator({});
    const deps = { authenticator, signal: live() };
    expect((await getAssertion({ options: requestOptions({ userVerification: 'required' }), mediation: 'optional' }, topLevel, deps)).type).toBe('fallback');
    expect((await getAssertion({ options: requestOptions({ hints: ['hybrid', 'client-device'] }), mediation: 'optional' }, topLevel, deps)).type).toBe('fallback');
    expect(calls.get).toHaveLength(0);
  });

  it('answers SecurityError for an rpId that is not a suffix of the origin', async () => {
    const { authenticator } = fakeAuthenticator({});
    const r = await getAssertion({ options: requestOptions({ rpId: 'example.com' }), mediation: 'optional' }, topLevel, { authenticator, signal: live() });
    expect(errorOf(r)).toBe('SecurityError');
  });

  it('resolves NotAllowedError when the port closes during a conditional get', async () => {
    const { authenticator } = fakeAuthenticator({ get: new Promise(() => {}) });
    const port = new AbortController();
    const pending = getAssertion({ options: requestOptions(), mediation: 'conditional' }, topLevel, { authenticator, signal: port.signal });
    await new Promise((r) => setTimeout(r, 0));
    port.abort();
    expect(errorOf(await pending)).toBe('NotAllowedError');
  });
});
