import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../src/authenticator/index';
import type { MakeCredentialParams } from '../../../src/authenticator/types';
import { toHex } from '../crypto/hex';
import { FakeCredentialStore, ScriptedUser, approveCreate, chooseCandidate, createParams, getParams, steppingClock } from './fakes';

const te = new TextEncoder();
const ADA = te.encode('user-1');

function setup() {
  const store = new FakeCredentialStore();
  const user = new ScriptedUser();
  const authenticator = createAuthenticator(store, user, steppingClock());
  async function register(overrides: Partial<MakeCredentialParams> = {}, friendlyName = '') {
    user.onCreate(approveCreate(friendlyName));
    const outcome = await authenticator.makeCredential(createParams(overrides));
    if (outcome.kind !== 'ok') throw new Error('registration failed');
    return outcome.value.credentialId;
  }
  /** The ids a discoverable get offers, in order (hex). */
  async function offered(): Promise<string[]> {
    user.onChoose(chooseCandidate(0));
    const before = user.chooseRequests.length;
    await authenticator.getAssertion(getParams());
    return user.chooseRequests[before]?.candidates.map((c) => toHex(c.credentialId)) ?? [];
  }
  return { store, user, authenticator, register, offered };
}

describe('signals (L3 §5.1.10)', () => {
  it('unknown credential: hides it, never erases it; the earlier passkey of its account is current again', async () => {
    const { store, authenticator, register, offered } = setup();
    const older = await register();
    const newer = await register();
    await authenticator.signal({ kind: 'unknown', rpId: 'example.com', credentialId: newer });
    expect(store.has(newer)).toBe(true);
    expect(store.record(newer).hidden).toBe('site');
    expect(store.record(older).supersededBy).toBeUndefined();
    expect(await offered()).toEqual([toHex(older)]);
  });

  it('unknown credential from another RP ID changes nothing', async () => {
    const { store, authenticator, register } = setup();
    const id = await register();
    await authenticator.signal({ kind: 'unknown', rpId: 'other.example', credentialId: id });
    expect(store.record(id).hidden).toBeUndefined();
  });

  it("all accepted: this user's passkeys not listed are hidden, other users' are not, and a later list brings them back", async () => {
    const { store, authenticator, register, offered } = setup();
    const a = await register();
    const b = await register();
    const bob = await register({ user: { id: te.encode('user-2'), name: 'bob', displayName: 'Bob' } });
    await authenticator.signal({ kind: 'accepted', rpId: 'example.com', userHandle: ADA, credentialIds: [a] });
    expect(store.record(b).hidden).toBe('site');
    expect(store.record(a).hidden).toBeUndefined();
    expect(store.record(bob).hidden).toBeUndefined();
    expect((await offered()).sort()).toEqual([toHex(a), toHex(bob)].sort());
    await authenticator.signal({ kind: 'accepted', rpId: 'example.com', userHandle: ADA, credentialIds: [a, b] });
    expect(store.record(b).hidden).toBeUndefined();
    expect(store.record(a).supersededBy).toEqual(b);
    expect([...store.entries.keys()]).toHaveLength(3);
  });

  it('all accepted listing the newer one only retires the older one; listing both keeps both', async () => {
    const { store, authenticator, register } = setup();
    const older = await register();
    const newer = await register();
    await authenticator.signal({ kind: 'accepted', rpId: 'example.com', userHandle: ADA, credentialIds: [older, newer] });
    expect(store.record(older).hidden).toBeUndefined();
    await authenticator.signal({ kind: 'accepted', rpId: 'example.com', userHandle: ADA, credentialIds: [newer] });
    expect(store.record(older).hidden).toBeDefined();
    expect(store.has(older)).toBe(true);
  });

  it('current user details: new names, and the friendly name only where the user never edited it', async () => {
    const { store, authenticator, register } = setup();
    const auto = await register();
    const named = await register({}, 'Work laptop');
    await authenticator.signal({ kind: 'details', rpId: 'example.com', userHandle: ADA, name: 'ada@new.example', displayName: 'Ada L.' });
    expect(store.record(auto)).toMatchObject({ userName: 'ada@new.example', userDisplayName: 'Ada L.', friendlyName: 'ada@new.example on example.com' });
    expect(store.record(named)).toMatchObject({ userName: 'ada@new.example', userDisplayName: 'Ada L.', friendlyName: 'Work laptop' });
  });

  it('current user details keep a name the user renamed to the very name suggested', async () => {
    const { store, authenticator, register } = setup();
    const renamed = await register();
    store.record(renamed).nameEdited = true;
    await authenticator.signal({ kind: 'details', rpId: 'example.com', userHandle: ADA, name: 'ada@new.example', displayName: 'Ada L.' });
    expect(store.record(renamed).friendlyName).toBe('ada on example.com');
  });
});
