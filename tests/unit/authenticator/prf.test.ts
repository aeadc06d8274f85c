// The authenticator's PRF (hmac-secret semantics, L3 §10.1.4) and largeBlob (L3 §10.1.5),
// checked against an independent computation with @noble/hashes.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { FLAG } from '../../../src/authenticator/authenticator-data';
import { createAuthenticator } from '../../../src/authenticator/index';
import { LARGE_BLOB_MAX_BYTES, type GetAssertionParams, type MakeCredentialParams } from '../../../src/authenticator/types';
import { toBase64url } from '../../../src/protocol/base64url';
import { FakeCredentialStore, ScriptedUser, approveCreate, chooseCandidate, createParams, getParams, steppingClock } from './fakes';

const salt = (n: number) => sha256(Uint8Array.of(n));

function setup() {
  const store = new FakeCredentialStore();
  const user = new ScriptedUser();
  const authenticator = createAuthenticator(store, user, steppingClock(), { userVerification: true });
  async function register(overrides: Partial<MakeCredentialParams> = {}, userVerified = false) {
    user.onCreate(approveCreate('', userVerified));
    const outcome = await authenticator.makeCredential(createParams(overrides));
    if (outcome.kind !== 'ok') throw new Error('registration failed');
    return outcome.value;
  }
  async function assert(overrides: Partial<GetAssertionParams>, userVerified = false) {
    user.onChoose(chooseCandidate(0, userVerified));
    const outcome = await authenticator.getAssertion(getParams(overrides));
    if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
    return outcome.value;
  }
  return { store, user, authenticator, register, assert };
}

describe('prf in the authenticator', () => {
  it('gives every new credential two distinct 32-byte PRF secrets', async () => {
    const { store, register } = setup();
    const a = await register();
    const b = await register({ user: { id: Uint8Array.of(9), name: 'b', displayName: 'B' } });
    const [sa, sb] = [store.secrets(a.credentialId).prf!, store.secrets(b.credentialId).prf!];
    expect(sa.withUV).toHaveLength(32);
    expect(sa.withoutUV).toHaveLength(32);
    expect(sa.withUV).not.toEqual(sa.withoutUV);
    expect(sa.withUV).not.toEqual(sb.withUV);
  });

  it('outputs HMAC-SHA-256(secret chosen by the UV flag, salt), matching @noble/hashes', async () => {
    const { store, register, assert } = setup();
    const credential = await register();
    const secrets = store.secrets(credential.credentialId).prf!;

    const without = await assert({ prf: { eval: { first: salt(1), second: salt(2) } } }, false);
    expect(without.authenticatorData[32]! & FLAG.UV).toBe(0);
    expect(without.prf).toEqual({ first: hmac(sha256, secrets.withoutUV, salt(1)), second: hmac(sha256, secrets.withoutUV, salt(2)) });

    const verified = await assert({ prf: { eval: { first: salt(1) } } }, true);
    expect(verified.authenticatorData[32]! & FLAG.UV).toBe(FLAG.UV);
    expect(verified.prf).toEqual({ first: hmac(sha256, secrets.withUV, salt(1)) });
    expect(verified.prf!.first).not.toEqual(without.prf!.first);
  });

  it('uses the UV secret when a get that did not require UV was unlocked with the PIN (UV=1)', async () => {
    const { store, register, assert } = setup();
    const credential = await register();
    // requireUserVerification false: the RP said discouraged; the prompt still verified the PIN.
    const result = await assert({ requireUserVerification: false, prf: { eval: { first: salt(3) } } }, true);
    expect(result.authenticatorData[32]! & FLAG.UV).toBe(FLAG.UV);
    expect(result.prf!.first).toEqual(hmac(sha256, store.secrets(credential.credentialId).prf!.withUV, salt(3)));
  });

  it('gives the same output for the same salt, credential and UV state every time', async () => {
    const { register, assert } = setup();
    await register();
    const one = await assert({ prf: { eval: { first: salt(4) } } });
    const two = await assert({ prf: { eval: { first: salt(4) } } });
    expect(two.prf).toEqual(one.prf);
  });

  it('takes the salts of evalByCredential for the asserted credential over eval', async () => {
    const { store, register, assert } = setup();
    const credential = await register();
    const id = toBase64url(credential.credentialId);
    const result = await assert({
      allowCredentialIds: [credential.credentialId],
      prf: { eval: { first: salt(5) }, evalByCredential: { [id]: { first: salt(6) } } },
    });
    expect(result.prf!.first).toEqual(hmac(sha256, store.secrets(credential.credentialId).prf!.withoutUV, salt(6)));
  });

  it('evaluates eval at create with the secret of the create\'s UV flag', async () => {
    const { store, register } = setup();
    const credential = await register({ prf: { eval: { first: salt(7) } } }, true);
    expect(credential.authenticatorData[32]! & FLAG.UV).toBe(FLAG.UV);
    expect(credential.prf).toEqual({ enabled: true, results: { first: hmac(sha256, store.secrets(credential.credentialId).prf!.withUV, salt(7)) } });
  });

  it('reports no PRF output for a passkey made before PRF, never a made-up one', async () => {
    const { store, register, assert } = setup();
    const credential = await register();
    delete store.secrets(credential.credentialId).prf;
    const result = await assert({ prf: { eval: { first: salt(8) } } });
    expect(result.prf).toBeUndefined();
  });

  it('keeps PRF outputs out of the signed authenticator data (no ED flag, no extensions)', async () => {
    const { register, assert } = setup();
    await register();
    const result = await assert({ prf: { eval: { first: salt(9) } } });
    expect(result.authenticatorData).toHaveLength(37);
    expect(result.authenticatorData[32]! & FLAG.ED).toBe(0);
  });

  it('wipes the lent PRF secret after use', async () => {
    const { store, register, assert } = setup();
    await register();
    await assert({ prf: { eval: { first: salt(10) } } });
    const lent = store.lentKeys.at(-1)!;
    expect(lent.every((b) => b === 0)).toBe(true);
  });
});

describe('largeBlob in the authenticator', () => {
  it('reads no blob until one is written, then reads the one written', async () => {
    const { register, assert } = setup();
    const credential = await register();
    const only = { allowCredentialIds: [credential.credentialId] };
    expect((await assert({ largeBlob: { read: true } })).largeBlob).toEqual({});
    expect((await assert({ ...only, largeBlob: { write: Uint8Array.of(1, 2, 3) } })).largeBlob).toEqual({ written: true });
    expect((await assert({ largeBlob: { read: true } })).largeBlob).toEqual({ blob: Uint8Array.of(1, 2, 3) });
  });

  it(`writes up to ${LARGE_BLOB_MAX_BYTES} bytes; a larger blob is written: false and the old one stays`, async () => {
    const { register, assert } = setup();
    const credential = await register();
    const only = { allowCredentialIds: [credential.credentialId] };
    const max = new Uint8Array(LARGE_BLOB_MAX_BYTES).fill(1);
    expect((await assert({ ...only, largeBlob: { write: max } })).largeBlob).toEqual({ written: true });
    expect((await assert({ ...only, largeBlob: { write: new Uint8Array(LARGE_BLOB_MAX_BYTES + 1) } })).largeBlob).toEqual({ written: false });
    expect((await assert({ largeBlob: { read: true } })).largeBlob).toEqual({ blob: max });
  });
});

describe('prf evalByCredential lookups', () => {
  it('does not take an Object.prototype member for a credential whose id is "toString" in base64url', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(approveCreate());
    const made = await authenticator.makeCredential(createParams());
    if (made.kind !== 'ok') throw new Error('create failed');
    // Re-key the stored credential under the id that base64url-encodes to "toString".
    const id = Uint8Array.from(Buffer.from('toString', 'base64url'));
    const entry = store.entries.values().next().value!;
    store.entries.clear();
    entry.record.credentialId = id;
    store.entries.set(Array.from(id, (b) => b.toString(16).padStart(2, '0')).join(''), entry);
    user.onChoose(chooseCandidate(0));
    const outcome = await authenticator.getAssertion(getParams({ allowCredentialIds: [id], prf: { eval: { first: salt(1) }, evalByCredential: {} } }));
    if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
    expect(outcome.value.prf!.first).toEqual(hmac(sha256, entry.secrets.prf!.withoutUV, salt(1)));
  });
});
