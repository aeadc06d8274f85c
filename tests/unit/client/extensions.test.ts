// prf (L3 §10.1.4) and largeBlob (L3 §10.1.5) through the client algorithm and the real
// authenticator over a fake store: the input checks, and outputs against an independent
// computation (WebCrypto here; the authenticator's own test checks the HMAC with @noble/hashes).
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../src/authenticator/index';
import { LARGE_BLOB_MAX_BYTES } from '../../../src/authenticator/types';
import { createCredential, getAssertion, type Caller } from '../../../src/client/ceremony';
import { fromBase64url, toBase64url } from '../../../src/protocol/base64url';
import type { CeremonyResponse } from '../../../src/protocol/messages';
import type {
  AuthenticationExtensionsClientInputsJSON,
  AuthenticationExtensionsClientOutputsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '../../../src/protocol/webauthn-json';
import { FakeCredentialStore, ScriptedUser, approveCreate, chooseCandidate, steppingClock } from '../authenticator/fakes';

const frame = { createAllowed: false, getAllowed: false, transientActivation: false, policyKnown: true, secureContext: true };
const caller: Caller = { origin: 'https://example.org', topOrigin: 'https://example.org', sameOriginWithAncestors: true, frame };
const b64 = (...b: number[]) => toBase64url(Uint8Array.from(b));

/** WebCrypto: HMAC-SHA-256(secret, SHA-256("WebAuthn PRF" || 0x00 || input)). */
async function expectedPrf(secret: Uint8Array, input: Uint8Array): Promise<string> {
  const label = new TextEncoder().encode('WebAuthn PRF');
  const salt = new Uint8Array(await crypto.subtle.digest('SHA-256', Uint8Array.from([...label, 0, ...input])));
  const key = await crypto.subtle.importKey('raw', Uint8Array.from(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toBase64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, salt)));
}

function setup() {
  const store = new FakeCredentialStore();
  const user = new ScriptedUser();
  const authenticator = createAuthenticator(store, user, steppingClock(), { userVerification: true });
  const deps = () => ({ authenticator, signal: new AbortController().signal, userVerificationAvailable: true });

  async function create(extensions?: AuthenticationExtensionsClientInputsJSON, userVerified = false): Promise<CeremonyResponse> {
    user.onCreate(approveCreate('', userVerified));
    return createCredential({
      options: {
        rp: { id: 'example.org', name: 'Example' },
        user: { id: b64(1, 2, 3), name: 'ada', displayName: 'Ada' },
        challenge: b64(7, 7, 7, 7),
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        authenticatorSelection: { userVerification: 'discouraged' },
        ...(extensions ? { extensions } : {}),
      },
    }, caller, deps());
  }
  async function get(options: Partial<PublicKeyCredentialRequestOptionsJSON>, userVerified = false): Promise<CeremonyResponse> {
    user.onChoose(chooseCandidate(0, userVerified));
    return getAssertion({ options: { challenge: b64(8, 8, 8, 8), rpId: 'example.org', userVerification: 'discouraged', ...options }, mediation: 'optional' }, caller, deps());
  }
  async function registered() {
    const made = await create({ prf: {} });
    if (made.type !== 'created') throw new Error(`create failed: ${JSON.stringify(made)}`);
    return { id: made.credential.id, secrets: store.secrets(fromBase64url(made.credential.id)!).prf! };
  }
  return { store, user, create, get, registered };
}

function outputs(r: CeremonyResponse): AuthenticationExtensionsClientOutputsJSON {
  if (r.type !== 'created' && r.type !== 'asserted') throw new Error(`expected a credential, got ${JSON.stringify(r)}`);
  return r.credential.clientExtensionResults;
}

const errorName = (r: CeremonyResponse) => (r.type === 'error' ? r.name : r.type);

describe('prf through the client', () => {
  it('reports enabled at create, and results when eval is given', async () => {
    const { create, store } = setup();
    expect(outputs(await create({ prf: {} })).prf).toEqual({ enabled: true });
    const made = await create({ prf: { eval: { first: b64(1) } } }, true);
    const secret = store.secrets(fromBase64url(made.type === 'created' ? made.credential.id : '')!).prf!.withUV;
    expect(outputs(made).prf).toEqual({ enabled: true, results: { first: await expectedPrf(secret, Uint8Array.of(1)) } });
  });

  it('reports nothing for prf when the create did not ask for it', async () => {
    const { create } = setup();
    expect(outputs(await create()).prf).toBeUndefined();
  });

  it('derives first and second at get from the hashed inputs, 32 bytes each', async () => {
    const { get, registered } = setup();
    const { secrets } = await registered();
    const prf = outputs(await get({ extensions: { prf: { eval: { first: b64(1, 2), second: b64() } } } })).prf!;
    expect(prf.results).toEqual({ first: await expectedPrf(secrets.withoutUV, Uint8Array.of(1, 2)), second: await expectedPrf(secrets.withoutUV, new Uint8Array()) });
    expect(fromBase64url(prf.results!.first)).toHaveLength(32);
  });

  it('uses the UV secret for a discouraged get unlocked with the PIN in the prompt (UV=1)', async () => {
    const { get, registered } = setup();
    const { secrets } = await registered();
    const uv = outputs(await get({ extensions: { prf: { eval: { first: b64(5) } } } }, true)).prf!;
    const noUv = outputs(await get({ extensions: { prf: { eval: { first: b64(5) } } } }, false)).prf!;
    expect(uv.results!.first).toBe(await expectedPrf(secrets.withUV, Uint8Array.of(5)));
    expect(noUv.results!.first).toBe(await expectedPrf(secrets.withoutUV, Uint8Array.of(5)));
    expect(uv.results!.first).not.toBe(noUv.results!.first);
  });

  it('prefers evalByCredential for the credential asserted with', async () => {
    const { get, registered } = setup();
    const { id, secrets } = await registered();
    const prf = outputs(await get({
      allowCredentials: [{ type: 'public-key', id }],
      extensions: { prf: { eval: { first: b64(1) }, evalByCredential: { [id]: { first: b64(2) } } } },
    })).prf!;
    expect(prf.results!.first).toBe(await expectedPrf(secrets.withoutUV, Uint8Array.of(2)));
  });

  it('rejects evalByCredential at create with NotSupportedError', async () => {
    const { create, store } = setup();
    expect(errorName(await create({ prf: { evalByCredential: { AAAA: { first: b64(1) } } } }))).toBe('NotSupportedError');
    expect(store.entries.size).toBe(0);
  });

  it('rejects a non-empty evalByCredential with an empty allowCredentials with NotSupportedError', async () => {
    const { get, registered, user } = setup();
    const { id } = await registered();
    expect(errorName(await get({ extensions: { prf: { evalByCredential: { [id]: { first: b64(1) } } } } }))).toBe('NotSupportedError');
    // Nothing was shown: the queued answer is still there.
    expect(user.chooseRequests).toHaveLength(0);
  });

  it('rejects an evalByCredential key that is empty, not base64url, or not in allowCredentials with SyntaxError', async () => {
    const { get, registered } = setup();
    const { id } = await registered();
    const allowCredentials = [{ type: 'public-key', id }];
    for (const key of ['', 'not base64url!', b64(9, 9, 9)]) {
      const r = await get({ allowCredentials, extensions: { prf: { evalByCredential: { [key]: { first: b64(1) } } } } });
      expect(errorName(r), `key ${JSON.stringify(key)}`).toBe('SyntaxError');
    }
  });

  it('reports no prf results for a passkey made without PRF secrets', async () => {
    const { get, registered, store } = setup();
    const { id } = await registered();
    delete store.secrets(fromBase64url(id)!).prf;
    expect(outputs(await get({ extensions: { prf: { eval: { first: b64(1) } } } })).prf).toBeUndefined();
  });
});

describe('largeBlob through the client', () => {
  it('reports supported at create; read or write at create is NotSupportedError', async () => {
    const { create } = setup();
    expect(outputs(await create({ largeBlob: { support: 'required' } })).largeBlob).toEqual({ supported: true });
    expect(outputs(await create({ largeBlob: { support: 'preferred' } })).largeBlob).toEqual({ supported: true });
    expect(errorName(await create({ largeBlob: { read: true } }))).toBe('NotSupportedError');
    expect(errorName(await create({ largeBlob: { write: b64(1) } }))).toBe('NotSupportedError');
  });

  it('reads no blob member until a blob is written, then the blob', async () => {
    const { get, registered } = setup();
    const { id } = await registered();
    expect(outputs(await get({ extensions: { largeBlob: { read: true } } })).largeBlob).toEqual({});
    const write = await get({ allowCredentials: [{ type: 'public-key', id }], extensions: { largeBlob: { write: b64(1, 2, 3) } } });
    expect(outputs(write).largeBlob).toEqual({ written: true });
    expect(outputs(await get({ extensions: { largeBlob: { read: true } } })).largeBlob).toEqual({ blob: b64(1, 2, 3) });
  });

  it(`reports written: false for a blob over ${LARGE_BLOB_MAX_BYTES} bytes`, async () => {
    const { get, registered } = setup();
    const { id } = await registered();
    const write = await get({ allowCredentials: [{ type: 'public-key', id }], extensions: { largeBlob: { write: toBase64url(new Uint8Array(LARGE_BLOB_MAX_BYTES + 1)) } } });
    expect(outputs(write).largeBlob).toEqual({ written: false });
  });

  it('rejects a write without exactly one allowed credential, read with write, and support at get with NotSupportedError', async () => {
    const { get, registered } = setup();
    const { id } = await registered();
    const one = [{ type: 'public-key', id }];
    expect(errorName(await get({ extensions: { largeBlob: { write: b64(1) } } }))).toBe('NotSupportedError');
    expect(errorName(await get({ allowCredentials: [...one, { type: 'public-key', id: b64(4, 4) }], extensions: { largeBlob: { write: b64(1) } } }))).toBe('NotSupportedError');
    expect(errorName(await get({ allowCredentials: one, extensions: { largeBlob: { read: true, write: b64(1) } } }))).toBe('NotSupportedError');
    expect(errorName(await get({ allowCredentials: one, extensions: { largeBlob: { support: 'required' } } }))).toBe('NotSupportedError');
  });
});
