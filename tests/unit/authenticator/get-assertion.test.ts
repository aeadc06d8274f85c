import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { FLAG } from '../../../src/authenticator/authenticator-data';
import { decodeCoseKey } from '../../../src/authenticator/cose';
import { createAuthenticator } from '../../../src/authenticator/index';
import { COSE_ALG, type MakeCredentialParams } from '../../../src/authenticator/types';
import { concatBytes } from '../../../src/crypto/bytes';
import { verify } from '../../../src/crypto/signature';
import { buf, toHex } from '../crypto/hex';
import { FakeCredentialStore, ScriptedUser, approveCreate, chooseCandidate, decline, steppingClock, createParams, getParams } from './fakes';

const te = new TextEncoder();
const EXAMPLE_COM_HASH = 'a379a6f6eeafb9a55e378c118034e2751e682fab9f2d30ab13d2125586ce1947';



function setup() {
  const store = new FakeCredentialStore();
  const user = new ScriptedUser();
  const authenticator = createAuthenticator(store, user, steppingClock());
  async function register(overrides: Partial<MakeCredentialParams> = {}) {
    user.onCreate(approveCreate());
    const outcome = await authenticator.makeCredential(createParams(overrides));
    if (outcome.kind !== 'ok') throw new Error('registration failed');
    return outcome.value;
  }
  return { store, user, authenticator, register };
}

async function asserted(outcome: Awaited<ReturnType<ReturnType<typeof createAuthenticator>['getAssertion']>>) {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}

describe('getAssertion', () => {
  it('signs authData || clientDataHash with the chosen credential; noble and WebCrypto verify it', async () => {
    const { user, authenticator, register } = setup();
    const credential = await register();
    user.onChoose(chooseCandidate(0));
    const p = getParams();
    const result = await asserted(await authenticator.getAssertion(p));

    expect(result.credentialId).toEqual(credential.credentialId);
    expect(result.userHandle).toEqual(te.encode('user-1'));
    expect(toHex(result.authenticatorData)).toBe(EXAMPLE_COM_HASH + '09' + '00000000'); // UP|BE, no AT, no UV

    const signed = concatBytes(result.authenticatorData, p.clientDataHash);
    const publicKey = decodeCoseKey(credential.authenticatorData.subarray(71));
    if (publicKey.algorithm !== 'ES256') throw new Error('wrong key type');
    expect(p256.verify(result.signature, signed, Uint8Array.of(4, ...publicKey.x, ...publicKey.y), { format: 'der' })).toBe(true);

    const key = await crypto.subtle.importKey('spki', buf(credential.publicKeySpki), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const rs = p256.Signature.fromBytes(result.signature, 'der').toBytes('compact');
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, buf(rs), buf(signed))).toBe(true);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, buf(rs), buf(result.authenticatorData))).toBe(false);
  });

  it('signs with EdDSA keys that WebCrypto Ed25519 verifies', async () => {
    const { user, authenticator, register } = setup();
    const credential = await register({ algorithms: [COSE_ALG.EdDSA] });
    user.onChoose(chooseCandidate(0));
    const p = getParams();
    const result = await asserted(await authenticator.getAssertion(p));
    const key = await crypto.subtle.importKey('spki', buf(credential.publicKeySpki), { name: 'Ed25519' }, false, ['verify']);
    const signed = buf(concatBytes(result.authenticatorData, p.clientDataHash));
    expect(await crypto.subtle.verify({ name: 'Ed25519' }, key, buf(result.signature), signed)).toBe(true);
  });

  it('offers the RP\'s credentials with the RP name from the record, and records the sign-in', async () => {
    const { store, user, authenticator, register } = setup();
    const a = await register();
    const b = await register({ user: { id: te.encode('user-2'), name: 'bob', displayName: 'Bob' } });
    await register({ rp: { id: 'other.example', name: 'Other' } });
    user.onChoose(chooseCandidate(1));
    const result = await asserted(await authenticator.getAssertion(getParams()));

    const request = user.chooseRequests[0]!;
    expect(request.rp).toEqual({ id: 'example.com', name: 'Example' });
    expect(request.candidates.map((c) => toHex(c.credentialId)).sort()).toEqual([toHex(a.credentialId), toHex(b.credentialId)].sort());
    expect(result.credentialId).toEqual(request.candidates[1]!.credentialId);
    expect(store.signIns).toHaveLength(1);
    expect(store.signIns[0]!.credentialId).toEqual(result.credentialId);
    expect(store.record(result.credentialId).lastUsedAt).toBe(store.signIns[0]!.at);
  });

  it('sets BS from the record\'s backup state', async () => {
    const { store, user, authenticator, register } = setup();
    const credential = await register();
    store.record(credential.credentialId).backupState = true;
    user.onChoose(chooseCandidate(0));
    const result = await asserted(await authenticator.getAssertion(getParams()));
    expect(result.authenticatorData[32]).toBe(FLAG.UP | FLAG.BE | FLAG.BS);
  });

  it('answers NoCredentials before any UI when the allow list names none of ours', async () => {
    const { user, authenticator, register } = setup();
    const elsewhere = await register({ rp: { id: 'other.example', name: 'Other' } });
    const outcome = await authenticator.getAssertion(getParams({ allowCredentialIds: [Uint8Array.of(1, 2, 3), elsewhere.credentialId] }));
    expect(outcome).toMatchObject({ kind: 'error', code: 'NoCredentials' });
    expect(user.chooseRequests).toHaveLength(0);
  });

  it('answers NoCredentials before any UI for a discoverable get on an RP with no passkeys', async () => {
    const { user, authenticator } = setup();
    expect(await authenticator.getAssertion(getParams())).toMatchObject({ kind: 'error', code: 'NoCredentials' });
    expect(user.promptCount).toBe(0);
  });

  it('answers a conditional get that names none of ours only after the user acts: the UI is asked with no candidates (L3 §14.5.2)', async () => {
    const { user, authenticator, register } = setup();
    await register();
    user.onChoose(decline('cancel'), decline('other-device'));
    const unknown = getParams({ allowCredentialIds: [Uint8Array.of(1, 2, 3)], conditional: true });
    expect(await authenticator.getAssertion(unknown)).toMatchObject({ kind: 'error', code: 'OperationDenied' });
    expect(await authenticator.getAssertion({ ...unknown, rpId: 'empty.example' })).toEqual({ kind: 'fallback', hint: 'hybrid' });
    expect(user.chooseRequests.map((r) => ({ rp: r.rp.id, candidates: r.candidates.length }))).toEqual([
      { rp: 'example.com', candidates: 0 },
      { rp: 'empty.example', candidates: 0 },
    ]);
  });

  it('offers only the allowed credentials when allowCredentials is given', async () => {
    const { user, authenticator, register } = setup();
    await register();
    const b = await register({ user: { id: te.encode('user-2'), name: 'bob', displayName: 'Bob' } });
    user.onChoose(chooseCandidate(0));
    await asserted(await authenticator.getAssertion(getParams({ allowCredentialIds: [b.credentialId, b.credentialId] })));
    expect(user.chooseRequests[0]!.candidates.map((c) => c.credentialId)).toEqual([b.credentialId]);
  });

  it('answers UnsupportedOption without any UI when user verification is required', async () => {
    const { user, authenticator, register } = setup();
    await register();
    expect(await authenticator.getAssertion(getParams({ requireUserVerification: true }))).toMatchObject({
      kind: 'error',
      code: 'UnsupportedOption',
    });
    expect(user.chooseRequests).toHaveLength(0);
  });

  it('answers OperationDenied on cancel and falls back on another device, without signing in', async () => {
    const { store, user, authenticator, register } = setup();
    await register();
    user.onChoose(decline('cancel'), decline('other-device'));
    expect(await authenticator.getAssertion(getParams())).toMatchObject({ kind: 'error', code: 'OperationDenied' });
    expect(await authenticator.getAssertion(getParams())).toEqual({ kind: 'fallback', hint: 'hybrid' });
    expect(store.signIns).toHaveLength(0);
  });

  it('refuses a chosen credential that was not among the candidates', async () => {
    const { store, user, authenticator, register } = setup();
    await register();
    const elsewhere = await register({ rp: { id: 'other.example', name: 'Other' } });
    user.onChoose({ kind: 'approve', credentialId: elsewhere.credentialId, userVerified: false });
    expect(await authenticator.getAssertion(getParams())).toMatchObject({ kind: 'error', code: 'Other' });
    expect(store.signIns).toHaveLength(0);
  });

  it('wipes the unwrapped private key after signing', async () => {
    const { store, user, authenticator, register } = setup();
    await register();
    user.onChoose(chooseCandidate(0));
    await asserted(await authenticator.getAssertion(getParams()));
    expect(store.lentKeys).toHaveLength(1);
    expect(store.lentKeys[0]!.every((b) => b === 0)).toBe(true);
  });

  describe('after a second create for the same rpId and user', () => {
    async function superseded() {
      const ctx = setup();
      const first = await ctx.register();
      const second = await ctx.register();
      return { ...ctx, first, second };
    }

    it('offers the account once as the newer passkey first, with the earlier one still offered after it', async () => {
      const { user, authenticator, first, second } = await superseded();
      user.onChoose(chooseCandidate(0));
      const result = await asserted(await authenticator.getAssertion(getParams()));
      expect(user.chooseRequests[0]!.candidates.map((c) => toHex(c.credentialId))).toEqual([toHex(second.credentialId), toHex(first.credentialId)]);
      expect(user.chooseRequests[0]!.candidates[1]!.supersededBy).toEqual(second.credentialId);
      expect(result.credentialId).toEqual(second.credentialId);
    });

    it('still signs with the first one when allowCredentials names it, and keeps it', async () => {
      const { store, user, authenticator, first, second } = await superseded();
      user.onChoose(chooseCandidate(0));
      const p = getParams({ allowCredentialIds: [first.credentialId] });
      const result = await asserted(await authenticator.getAssertion(p));
      expect(result.credentialId).toEqual(first.credentialId);
      const publicKey = decodeCoseKey(first.authenticatorData.subarray(71));
      expect(await verify(publicKey, concatBytes(result.authenticatorData, p.clientDataHash), result.signature)).toBe(true);
      expect(store.has(first.credentialId)).toBe(true);
      expect(store.has(second.credentialId)).toBe(true);
      expect(store.record(first.credentialId).hidden).toBeUndefined();
    });

    it('a discoverable sign-in with the new one is no evidence: the first stays held, shown and usable', async () => {
      const { store, user, authenticator, first, second } = await superseded();
      user.onChoose(chooseCandidate(0));
      await asserted(await authenticator.getAssertion(getParams()));
      expect(store.signIns.map((s) => toHex(s.credentialId))).toEqual([toHex(second.credentialId)]);
      expect(store.has(first.credentialId)).toBe(true);
      expect(store.record(first.credentialId).hidden).toBeUndefined();
      user.onChoose(chooseCandidate(0));
      const again = await asserted(await authenticator.getAssertion(getParams({ allowCredentialIds: [first.credentialId] })));
      expect(again.credentialId).toEqual(first.credentialId);
    });

    it('allowCredentials naming the new one retires the first: kept in the store, hidden, offered no more', async () => {
      const { store, user, authenticator, first, second } = await superseded();
      user.onChoose(chooseCandidate(0));
      await asserted(await authenticator.getAssertion(getParams({ allowCredentialIds: [second.credentialId] })));
      expect(store.has(first.credentialId)).toBe(true);
      expect(store.record(first.credentialId).hidden).toBe('retired');
      user.onChoose(chooseCandidate(0));
      await asserted(await authenticator.getAssertion(getParams()));
      expect(user.chooseRequests[1]!.candidates.map((c) => toHex(c.credentialId))).toEqual([toHex(second.credentialId)]);
    });

    it('allowCredentials naming both is no evidence against the first', async () => {
      const { store, user, authenticator, first, second } = await superseded();
      user.onChoose(chooseCandidate(0));
      await asserted(await authenticator.getAssertion(getParams({ allowCredentialIds: [second.credentialId, first.credentialId] })));
      expect(store.record(first.credentialId).hidden).toBeUndefined();
      expect(store.record(first.credentialId).supersededBy).toEqual(second.credentialId);
    });

    it('the retired first one comes back as current when the new one is deleted', async () => {
      const { store, user, authenticator, first, second } = await superseded();
      user.onChoose(chooseCandidate(0));
      await asserted(await authenticator.getAssertion(getParams({ allowCredentialIds: [second.credentialId] })));
      store.delete(second.credentialId);
      expect(store.record(first.credentialId).hidden).toBeUndefined();
      expect(store.record(first.credentialId).supersededBy).toBeUndefined();
    });
  });

  describe('a passkey hidden by the site', () => {
    it('is not offered, and answers no get even when allowCredentials names it', async () => {
      const { store, user, authenticator, register } = setup();
      const hidden = await register();
      const other = await register({ user: { id: te.encode('user-2'), name: 'bob', displayName: 'Bob' } });
      await store.hideUnknown('example.com', hidden.credentialId);
      user.onChoose(chooseCandidate(0));
      await asserted(await authenticator.getAssertion(getParams()));
      expect(user.chooseRequests[0]!.candidates.map((c) => toHex(c.credentialId))).toEqual([toHex(other.credentialId)]);
      expect(await authenticator.getAssertion(getParams({ allowCredentialIds: [hidden.credentialId] }))).toMatchObject({
        kind: 'error',
        code: 'NoCredentials',
      });
      expect(user.chooseRequests).toHaveLength(1);
    });
  });

  it('replays the lock-out: a new passkey that never reached the site locks nobody out, and the old key stays until the site names the new one', async () => {
    const { store, user, authenticator, register } = setup();
    // The site has the first passkey (it signed in with it by name).
    const old = await register();
    user.onChoose(chooseCandidate(0));
    await asserted(await authenticator.getAssertion(getParams({ allowCredentialIds: [old.credentialId] })));
    // The user registers again; the new passkey never reaches the site.
    const lost = await register();
    // Sign-in from the username field: the new one is offered first; the site will reject it.
    user.onChoose(chooseCandidate(0));
    const rejected = await asserted(await authenticator.getAssertion(getParams()));
    expect(rejected.credentialId).toEqual(lost.credentialId);
    expect(store.has(old.credentialId)).toBe(true);
    // The user tries again with the earlier passkey of the account, and is signed in.
    user.onChoose(chooseCandidate(1));
    const p = getParams();
    const signedIn = await asserted(await authenticator.getAssertion(p));
    expect(signedIn.credentialId).toEqual(old.credentialId);
    const publicKey = decodeCoseKey(old.authenticatorData.subarray(71));
    expect(await verify(publicKey, concatBytes(signedIn.authenticatorData, p.clientDataHash), signedIn.signature)).toBe(true);
    // The site names only the old one: still no evidence for the new one.
    user.onChoose(chooseCandidate(0));
    await asserted(await authenticator.getAssertion(getParams({ allowCredentialIds: [old.credentialId] })));
    expect(store.record(old.credentialId).hidden).toBeUndefined();
    // Only once the site names the new one is the old one retired, and it is still held.
    user.onChoose(chooseCandidate(0));
    await asserted(await authenticator.getAssertion(getParams({ allowCredentialIds: [lost.credentialId] })));
    expect(store.record(old.credentialId).hidden).toBe('retired');
    expect(store.has(old.credentialId)).toBe(true);
  });
});
