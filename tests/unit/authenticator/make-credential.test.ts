import { describe, expect, it } from 'vitest';
import { LATCHKEY_AAGUID } from '../../../src/authenticator/aaguid';
import { FLAG } from '../../../src/authenticator/authenticator-data';
import { decodeCbor } from '../../../src/authenticator/cbor';
import { decodeCoseKey } from '../../../src/authenticator/cose';
import { createAuthenticator } from '../../../src/authenticator/index';
import { COSE_ALG, type MakeCredentialParams } from '../../../src/authenticator/types';
import { concatBytes } from '../../../src/crypto/bytes';
import { sha256 } from '../../../src/crypto/hash';
import { encodeSpki } from '../../../src/crypto/spki';
import { verify } from '../../../src/crypto/signature';
import { FakeCredentialStore, ScriptedUser, approveCreate, decline, steppingClock } from './fakes';

const te = new TextEncoder();

function params(overrides: Partial<MakeCredentialParams> = {}): MakeCredentialParams {
  return {
    clientDataHash: sha256(te.encode('{"type":"webauthn.create"}')),
    rp: { id: 'example.com', name: 'Example' },
    user: { id: te.encode('user-1'), name: 'ada@example.com', displayName: 'Ada' },
    algorithms: [COSE_ALG.ES256],
    excludeCredentialIds: [],
    requireResidentKey: false,
    requireUserVerification: false,
    attestationFormat: 'none',
    ...overrides,
  };
}

function setup() {
  const store = new FakeCredentialStore();
  const user = new ScriptedUser();
  const authenticator = createAuthenticator(store, user, steppingClock());
  return { store, user, authenticator };
}

async function created(outcome: Awaited<ReturnType<ReturnType<typeof createAuthenticator>['makeCredential']>>) {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}

describe('makeCredential', () => {
  it('creates a discoverable credential with a 16-byte id, UP|BE|AT flags and no UV', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(approveCreate('Work laptop'));
    const result = await created(await authenticator.makeCredential(params()));

    expect(result.credentialId).toHaveLength(16);
    expect(result.residentKey).toBe(true);
    expect(result.transports).toEqual(['internal']);
    expect(result.alg).toBe(COSE_ALG.ES256);
    const flags = result.authenticatorData[32]!;
    expect(flags).toBe(FLAG.UP | FLAG.BE | FLAG.AT);
    expect(flags & FLAG.UV).toBe(0);
    expect(result.authenticatorData.subarray(37, 53)).toEqual(LATCHKEY_AAGUID);
    expect(result.authenticatorData.subarray(55, 71)).toEqual(result.credentialId);

    const record = store.record(result.credentialId);
    expect(record).toMatchObject({
      rpId: 'example.com',
      rpName: 'Example',
      userName: 'ada@example.com',
      userDisplayName: 'Ada',
      friendlyName: 'Work laptop',
      alg: COSE_ALG.ES256,
      discoverable: true,
      backupState: false,
      lastUsedAt: null,
    });
    expect(record.userHandle).toEqual(te.encode('user-1'));
    expect(record.publicKey).toEqual(result.authenticatorData.subarray(71));
    expect(encodeSpki(decodeCoseKey(record.publicKey))).toEqual(result.publicKeySpki);
  });

  it('asks for consent with the RP, the user and a default name, and keeps that name when left empty', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(approveCreate('   '));
    const result = await created(await authenticator.makeCredential(params()));
    expect(user.createRequests).toEqual([
      {
        rp: { id: 'example.com', name: 'Example' },
        user: { name: 'ada@example.com', displayName: 'Ada' },
        defaultFriendlyName: 'ada@example.com on example.com',
        userVerification: false,
      },
    ]);
    expect(store.record(result.credentialId).friendlyName).toBe('ada@example.com on example.com');
  });

  it('writes a none attestation object {fmt: "none", attStmt: {}, authData}', async () => {
    const { user, authenticator } = setup();
    user.onCreate(approveCreate());
    const result = await created(await authenticator.makeCredential(params()));
    const attestation = decodeCbor(result.attestationObject) as Map<string, unknown>;
    expect([...attestation.keys()]).toEqual(['fmt', 'attStmt', 'authData']);
    expect(attestation.get('fmt')).toBe('none');
    expect(attestation.get('attStmt')).toEqual(new Map());
    expect(Uint8Array.from(attestation.get('authData') as Uint8Array)).toEqual(result.authenticatorData);
  });

  it('self-attests in packed format with the credential key over authData || clientDataHash', async () => {
    const { user, authenticator } = setup();
    user.onCreate(approveCreate());
    const p = params({ attestationFormat: 'packed', algorithms: [COSE_ALG.EdDSA] });
    const result = await created(await authenticator.makeCredential(p));
    const attestation = decodeCbor(result.attestationObject) as Map<string, unknown>;
    expect(attestation.get('fmt')).toBe('packed');
    const attStmt = attestation.get('attStmt') as Map<string, unknown>;
    expect([...attStmt.keys()]).toEqual(['alg', 'sig']);
    expect(attStmt.get('alg')).toBe(COSE_ALG.EdDSA);
    const sig = Uint8Array.from(attStmt.get('sig') as Uint8Array);
    const publicKey = decodeCoseKey(result.authenticatorData.subarray(71));
    expect(await verify(publicKey, concatBytes(result.authenticatorData, p.clientDataHash), sig)).toBe(true);
    expect(await verify(publicKey, result.authenticatorData, sig)).toBe(false);
  });

  it('picks the first algorithm the RP lists that it supports', async () => {
    const { user, authenticator } = setup();
    user.onCreate(approveCreate(), approveCreate());
    const eddsa = await created(await authenticator.makeCredential(params({ algorithms: [-36, COSE_ALG.EdDSA, COSE_ALG.ES256] })));
    expect(eddsa.alg).toBe(COSE_ALG.EdDSA);
    expect(decodeCoseKey(eddsa.authenticatorData.subarray(71)).algorithm).toBe('EdDSA');
    const rs = await created(await authenticator.makeCredential(params({ algorithms: [COSE_ALG.RS256, COSE_ALG.ES256] })));
    expect(rs.alg).toBe(COSE_ALG.RS256);
  });

  it('answers UnsupportedAlgorithm without any UI when it supports none of the algorithms', async () => {
    const { store, user, authenticator } = setup();
    const outcome = await authenticator.makeCredential(params({ algorithms: [-35, -36, -37] }));
    expect(outcome).toMatchObject({ kind: 'error', code: 'UnsupportedAlgorithm' });
    expect(user.promptCount).toBe(0);
    expect(store.createCalls).toHaveLength(0);
  });

  it('answers UnsupportedOption without any UI when user verification is required (no PIN yet)', async () => {
    const { store, user, authenticator } = setup();
    const outcome = await authenticator.makeCredential(params({ requireUserVerification: true }));
    expect(outcome).toMatchObject({ kind: 'error', code: 'UnsupportedOption' });
    expect(user.promptCount).toBe(0);
    expect(store.createCalls).toHaveLength(0);
  });

  it('has the user acknowledge an excluded credential, then answers CredentialExcluded', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(approveCreate());
    const first = await created(await authenticator.makeCredential(params()));
    user.onExcluded({ kind: 'approve' });
    const outcome = await authenticator.makeCredential(params({ excludeCredentialIds: [Uint8Array.of(1, 2, 3), first.credentialId] }));
    expect(outcome).toMatchObject({ kind: 'error', code: 'CredentialExcluded' });
    expect(user.excludedRequests).toHaveLength(1);
    expect(user.excludedRequests[0]!.existing.credentialId).toEqual(first.credentialId);
    expect(user.excludedRequests[0]!.rp).toEqual({ id: 'example.com', name: 'Example' });
    expect(user.createRequests).toHaveLength(1); // only the first create asked
    expect(store.createCalls).toHaveLength(1);
  });

  it('reads the whole excludeCredentials list at once, not one store read per id', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(approveCreate());
    const ids = Array.from({ length: 50 }, (_, i) => Uint8Array.of(i, 1, 2));
    const outcome = await authenticator.makeCredential(params({ excludeCredentialIds: ids }));
    expect(outcome.kind).toBe('ok');
    expect(store.reads).toEqual({ get: 0, getMany: 1 });
  });

  it('caps user.name, user.displayName and rp.name at 64 bytes of UTF-8 before they are shown or stored (L3 §6.4.1)', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(approveCreate(), approveCreate());
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // one grapheme, 18 bytes
    const long = {
      name: 'a'.repeat(60) + family, // 78 bytes: the family does not fit, and is not split
      displayName: 'é'.repeat(100), // 2 bytes each
      rpName: 'R'.repeat(63) + '\u{1F600}', // the emoji would end at byte 67
    };
    const made = await created(
      await authenticator.makeCredential(params({ rp: { id: 'example.com', name: long.rpName }, user: { id: te.encode('user-1'), name: long.name, displayName: long.displayName } })),
    );
    const record = store.record(made.credentialId);
    expect(record.userName).toBe('a'.repeat(60));
    expect(record.userDisplayName).toBe('é'.repeat(32));
    expect(record.rpName).toBe('R'.repeat(63));
    expect(user.createRequests[0]!.user).toEqual({ name: 'a'.repeat(60), displayName: 'é'.repeat(32) });
    expect(user.createRequests[0]!.rp.name).toBe('R'.repeat(63));
    const short = await created(await authenticator.makeCredential(params({ user: { id: te.encode('user-2'), name: 'ada', displayName: family } })));
    expect(store.record(short.credentialId).userDisplayName).toBe(family);
  });

  it('ignores an excluded id that belongs to another RP', async () => {
    const { user, authenticator } = setup();
    user.onCreate(approveCreate(), approveCreate());
    const other = await created(await authenticator.makeCredential(params({ rp: { id: 'other.example', name: 'Other' } })));
    const outcome = await authenticator.makeCredential(params({ excludeCredentialIds: [other.credentialId] }));
    expect(outcome.kind).toBe('ok');
    expect(user.excludedRequests).toHaveLength(0);
  });

  it('falls back when the user picks another device at the excluded-credential prompt', async () => {
    const { user, authenticator } = setup();
    user.onCreate(approveCreate());
    const first = await created(await authenticator.makeCredential(params()));
    user.onExcluded(decline('security-key'));
    expect(await authenticator.makeCredential(params({ excludeCredentialIds: [first.credentialId] }))).toEqual({
      kind: 'fallback',
      hint: 'security-key',
    });
  });

  it('answers OperationDenied when the user cancels, and stores nothing', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(decline('cancel'));
    expect(await authenticator.makeCredential(params())).toMatchObject({ kind: 'error', code: 'OperationDenied' });
    expect(store.createCalls).toHaveLength(0);
  });

  it('falls back with hint hybrid for a phone or tablet, and security-key for a security key', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(decline('other-device'), decline('security-key'));
    expect(await authenticator.makeCredential(params())).toEqual({ kind: 'fallback', hint: 'hybrid' });
    expect(await authenticator.makeCredential(params())).toEqual({ kind: 'fallback', hint: 'security-key' });
    expect(store.createCalls).toHaveLength(0);
  });

  it('supersedes earlier credentials for the same rpId and user.id, and only those', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(approveCreate(), approveCreate(), approveCreate(), approveCreate());
    const first = await created(await authenticator.makeCredential(params()));
    const otherUser = await created(await authenticator.makeCredential(params({ user: { id: te.encode('user-2'), name: 'b', displayName: 'B' } })));
    const otherRp = await created(await authenticator.makeCredential(params({ rp: { id: 'other.example', name: 'Other' } })));
    const second = await created(await authenticator.makeCredential(params()));

    expect(store.createCalls).toHaveLength(4);
    expect(store.createCalls[3]!.supersedes).toEqual([first.credentialId]);
    expect(store.record(first.credentialId).supersededBy).toEqual(second.credentialId);
    expect(store.record(otherUser.credentialId).supersededBy).toBeUndefined();
    expect(store.record(otherRp.credentialId).supersededBy).toBeUndefined();
    expect(store.record(second.credentialId).supersededBy).toBeUndefined();
  });

  it('excludeCredentials naming the newer passkey is evidence: it retires the earlier one, which stays held', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(approveCreate(), approveCreate());
    const first = await created(await authenticator.makeCredential(params()));
    const second = await created(await authenticator.makeCredential(params()));
    user.onExcluded({ kind: 'approve' });
    expect(await authenticator.makeCredential(params({ excludeCredentialIds: [second.credentialId] }))).toMatchObject({ code: 'CredentialExcluded' });
    expect(store.record(first.credentialId).hidden).toBe('retired');
    expect(store.has(first.credentialId)).toBe(true);
  });

  it('a passkey the site hid is not in the way of a new one', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(approveCreate(), approveCreate());
    const first = await created(await authenticator.makeCredential(params()));
    await store.hideUnknown('example.com', first.credentialId);
    await created(await authenticator.makeCredential(params({ excludeCredentialIds: [first.credentialId] })));
    expect(user.excludedRequests).toHaveLength(0);
  });

  it('tells the prompt which unused passkey of the account the new one will replace, and none once it has signed in', async () => {
    const { user, authenticator } = setup();
    user.onCreate(approveCreate(), approveCreate(), approveCreate());
    const first = await created(await authenticator.makeCredential(params()));
    await created(await authenticator.makeCredential(params()));
    expect(user.createRequests[0]!.replacing).toBeUndefined();
    expect(user.createRequests[1]!.replacing?.credentialId).toEqual(first.credentialId);
    await created(await authenticator.makeCredential(params({ user: { id: te.encode('user-2'), name: 'b', displayName: 'B' } })));
    expect(user.createRequests[2]!.replacing).toBeUndefined();
  });

  it('names no passkey to replace when the current one has signed in', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(approveCreate(), approveCreate());
    const first = await created(await authenticator.makeCredential(params()));
    await store.recordSignIn(first.credentialId, 5);
    await created(await authenticator.makeCredential(params()));
    expect(user.createRequests[1]!.replacing).toBeUndefined();
  });

  it('wipes the private key after handing it to the store', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(approveCreate(), approveCreate());
    await created(await authenticator.makeCredential(params()));
    await created(await authenticator.makeCredential(params({ algorithms: [COSE_ALG.EdDSA] })));
    expect(store.privateKeysHandedIn).toHaveLength(2);
    for (const handed of store.privateKeysHandedIn) {
      expect(handed).toHaveLength(32);
      expect(handed.every((b) => b === 0)).toBe(true);
    }
    // The store's own copies are real keys, not zeros.
    for (const entry of store.entries.values()) expect(entry.privateKey.some((b) => b !== 0)).toBe(true);
  });

  it('answers Other, and stores nothing, when the store fails: one write tried, the earlier passkey kept as it was, the key wiped', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(approveCreate(), approveCreate());
    const earlier = await created(await authenticator.makeCredential(params()));
    const before = structuredClone(store.record(earlier.credentialId));
    // The write fails once; a second write (a retry, or a write by another path) would succeed.
    const realCreate = store.create.bind(store);
    const handed: Uint8Array[] = [];
    let writes = 0;
    store.create = async (record, privateKey, supersedes) => {
      handed.push(privateKey);
      if (writes++ === 0) throw new Error('quota exceeded');
      return realCreate(record, privateKey, supersedes);
    };
    expect(await authenticator.makeCredential(params())).toEqual({ kind: 'error', code: 'Other', message: 'quota exceeded' });
    expect(writes).toBe(1);
    expect([...store.entries.keys()]).toHaveLength(1);
    expect(store.record(earlier.credentialId)).toEqual(before);
    expect(store.record(earlier.credentialId).supersededBy).toBeUndefined();
    expect(store.signIns).toHaveLength(0);
    expect(handed).toHaveLength(1);
    expect(handed[0]!.every((b) => b === 0)).toBe(true);
  });

  it('rejects a clientDataHash that is not 32 bytes as Other before any UI', async () => {
    const { user, authenticator } = setup();
    expect(await authenticator.makeCredential(params({ clientDataHash: new Uint8Array(31) }))).toMatchObject({ kind: 'error', code: 'Other' });
    expect(user.promptCount).toBe(0);
  });
});
