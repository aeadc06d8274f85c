// IndexedDB write failures (a full disk, the origin's quota, a transaction the browser aborts)
// at each write of a save, a rename, a delete and an import: the operation fails with the
// error, the database is exactly as it was, and the vault works afterwards. Then the same
// failure under a whole create ceremony: the page gets the client's error, nothing stored.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { createAuthenticator } from '../../../src/authenticator/index';
import { createCredential, type Caller } from '../../../src/client/ceremony';
import { toBase64url } from '../../../src/protocol/base64url';
import { Vault } from '../../../src/vault';
import { ScriptedUser, approveCreate, steppingClock } from '../authenticator/fakes';
import { dumpDatabase, freshName, makeRecord, randomBytes, unlockedKeys } from './fixtures';

/**
 * How the armed write fails:
 * - `quota`: its request fails with QuotaExceededError, and the transaction aborts with it
 *   (what IndexedDB does when a write does not fit);
 * - `abort`: it is written, then the transaction aborts before it commits (a commit the
 *   browser refuses, or the database closing under it).
 */
type FailureMode = 'quota' | 'abort';

/** The fake IndexedDB's object store and its internal request queue. */
type FakeStore = IDBObjectStore & {
  transaction: IDBTransaction & { _execRequestAsync(request: { operation: () => never; source: unknown }): IDBRequest };
};

const WRITES = ['add', 'put', 'delete'] as const;
const proto = IDBObjectStore.prototype as unknown as Record<(typeof WRITES)[number], (this: FakeStore, ...args: unknown[]) => IDBRequest>;
const original = Object.fromEntries(WRITES.map((name) => [name, proto[name]])) as typeof proto;

/**
 * From now on, counts the writes to the vault's stores and fails the `at`-th (1-based) as
 * `mode` says. Returns how many writes were seen.
 */
function failWrite(at: number, mode: FailureMode): { seen(): number; failed(): boolean } {
  let seen = 0;
  let failed = false;
  for (const name of WRITES) {
    proto[name] = function (this: FakeStore, ...args: unknown[]): IDBRequest {
      seen += 1;
      if (seen !== at) return original[name].apply(this, args);
      failed = true;
      if (mode === 'quota') {
        return this.transaction._execRequestAsync({
          operation: () => {
            throw new DOMException('The write does not fit in the quota.', 'QuotaExceededError');
          },
          source: this,
        });
      }
      const request = original[name].apply(this, args);
      request.addEventListener('success', () => this.transaction.abort());
      return request;
    };
  }
  return { seen: () => seen, failed: () => failed };
}

function restoreWrites(): void {
  for (const name of WRITES) proto[name] = original[name];
}

const opened: Vault[] = [];
afterEach(() => {
  restoreWrites();
  for (const vault of opened.splice(0)) vault.close();
});

/** A vault holding an account with an earlier and a current passkey, and another site's. */
async function seeded() {
  const name = freshName();
  const vault = await Vault.open(unlockedKeys(), name);
  opened.push(vault);
  const userHandle = randomBytes(8);
  const earlier = makeRecord({ userHandle, userName: 'ada', friendlyName: 'earlier', createdAt: 1 });
  const current = makeRecord({ userHandle, userName: 'ada', friendlyName: 'current', createdAt: 2 });
  const other = makeRecord({ rpId: 'other.example', userName: 'bob' });
  await vault.create(earlier, randomBytes(32), []);
  await vault.create(current, randomBytes(32), [earlier.credentialId]);
  await vault.create(other, randomBytes(32), []);
  return { name, vault, userHandle, earlier, current, other };
}

type Seeded = Awaited<ReturnType<typeof seeded>>;

/** The vault operations that write, each against a seeded vault. */
const OPERATIONS: Record<string, (s: Seeded) => Promise<unknown>> = {
  'a save (create, superseding the current passkey)': (s) =>
    s.vault.create(makeRecord({ userHandle: s.userHandle, userName: 'ada', friendlyName: 'newest', createdAt: 3 }), randomBytes(32), [s.earlier.credentialId, s.current.credentialId], {
      prf: { withUV: randomBytes(32), withoutUV: randomBytes(32) },
    }),
  'a rename': (s) => s.vault.rename(s.current.credentialId, 'Work laptop'),
  'a delete (the earlier passkey becomes current)': (s) => s.vault.delete(s.current.credentialId),
  'an import of two passkeys, one superseding': (s) => {
    const imported = makeRecord({ rpId: 'other.example', userHandle: s.other.userHandle, userName: 'bob', createdAt: 5 });
    return s.vault.importCredentials(
      [
        { record: imported, privateKey: randomBytes(32) },
        { record: makeRecord({ rpId: 'third.example' }), privateKey: randomBytes(32) },
      ],
      [{ credentialId: toBase64url(s.other.credentialId), by: toBase64url(imported.credentialId) }],
    );
  },
};

describe('an IndexedDB write that fails stores nothing', () => {
  for (const [what, operation] of Object.entries(OPERATIONS)) {
    for (const mode of ['quota', 'abort'] as const) {
      it(`${what}: failed (${mode}) at each of its writes, rejects with the error and leaves the database as it was; the vault works after`, async () => {
        // How many writes the operation makes, on a vault like the ones below.
        const count = await (async () => {
          const s = await seeded();
          const counter = failWrite(Infinity, mode);
          await operation(s);
          restoreWrites();
          return counter.seen();
        })();
        expect(count).toBeGreaterThanOrEqual(2);

        for (let at = 1; at <= count; at++) {
          const s = await seeded();
          const before = await dumpDatabase(s.name);
          const fault = failWrite(at, mode);
          const error: unknown = await operation(s).then(
            () => new Error(`write ${at} of ${count} failed and the operation still resolved`),
            (e: unknown) => e,
          );
          restoreWrites();
          expect(fault.failed(), `write ${at} was reached`).toBe(true);
          expect(error, `write ${at} of ${count}`).toBeInstanceOf(DOMException);
          expect((error as DOMException).name, `write ${at} of ${count}`).toBe(mode === 'quota' ? 'QuotaExceededError' : 'AbortError');
          expect(await dumpDatabase(s.name), `the database after write ${at} of ${count} failed`).toEqual(before);
          // The same vault (the same connection) writes again once the disk has room.
          await operation(s);
          expect(await dumpDatabase(s.name)).not.toEqual(before);
        }
      });
    }
  }
});

describe('a create ceremony whose save fails', () => {
  const caller: Caller = {
    origin: 'https://example.com',
    topOrigin: 'https://example.com',
    sameOriginWithAncestors: true,
    frame: { createAllowed: false, getAllowed: false, transientActivation: false, policyKnown: true, secureContext: true },
  };
  const options = {
    rp: { id: 'example.com', name: 'Example' },
    user: { id: toBase64url(randomBytes(8)), name: 'ada@example.com', displayName: 'Ada' },
    challenge: toBase64url(sha256(new TextEncoder().encode('challenge'))),
    pubKeyCredParams: [{ type: 'public-key' as const, alg: -7 }],
  };

  for (const mode of ['quota', 'abort'] as const) {
    it(`(${mode}) answers the page UnknownError with the client's sentence, naming no storage detail, and stores nothing; the next create saves`, async () => {
      const s = await seeded();
      const before = await dumpDatabase(s.name);
      const user = new ScriptedUser().onCreate(approveCreate(), approveCreate());
      const authenticator = createAuthenticator(s.vault, user, steppingClock());
      failWrite(1, mode);
      const response = await createCredential({ options }, caller, { authenticator, signal: new AbortController().signal });
      restoreWrites();
      expect(response).toEqual({ type: 'error', name: 'UnknownError', message: 'The authenticator failed.' });
      expect(user.createRequests).toHaveLength(1);
      expect(await dumpDatabase(s.name)).toEqual(before);

      const again = await createCredential({ options }, caller, { authenticator, signal: new AbortController().signal });
      expect(again.type).toBe('created');
      expect(await s.vault.count()).toBe(4);
    });
  }
});
