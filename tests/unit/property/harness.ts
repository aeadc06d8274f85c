// The property suites' world: the real client (src/client) and authenticator over the real
// vault on fake-indexeddb, a user whose answers are part of each case, and the checks every
// case must pass: the outcome is a spec error, a step aside to the browser, or a credential an
// independent relying party (@simplewebauthn/server) verifies; a failed ceremony changes
// nothing a user could lose.

import 'fake-indexeddb/auto';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import fc from 'fast-check';
import { openDB } from 'idb';
import { createAuthenticator } from '../../../src/authenticator';
import type { CredentialRecord, CredentialStore, UserDeclined, UserInterface } from '../../../src/authenticator/ports';
import { createCredential, getAssertion, type Caller } from '../../../src/client';
import { fromBase64url, toBase64url } from '../../../src/protocol/base64url';
import type { CeremonyResponse, FrameFacts } from '../../../src/protocol/messages';
import { Vault, type VaultKeySource } from '../../../src/vault';
import { dumpDatabase, freshName, unlockedKeys } from '../vault/fixtures';

/** Cases per property: a few hundred in `npm test`, 10,000 in `npm run soak` (LATCHKEY_FUZZ_RUNS). */
export const RUNS = Math.max(1, Number(process.env.LATCHKEY_FUZZ_RUNS ?? '') || 200);

/** The error names a page may see (L3 §5.1.3, §5.1.4; Credential Management). */
export const SPEC_ERRORS: readonly string[] = [
  'TypeError',
  'SecurityError',
  'NotAllowedError',
  'InvalidStateError',
  'NotSupportedError',
  'SyntaxError',
  'AbortError',
];

// ---------------------------------------------------------------------------------------
// Unhandled rejections, counted for the whole run

export const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => {
  unhandled.push(reason);
});

// ---------------------------------------------------------------------------------------
// Callers

const frame: FrameFacts = { createAllowed: false, getAllowed: false, transientActivation: false, policyKnown: true, secureContext: true };

export const CALLERS: readonly Caller[] = [
  { origin: 'https://example.com', topOrigin: 'https://example.com', sameOriginWithAncestors: true, frame },
  { origin: 'https://login.example.com', topOrigin: 'https://login.example.com', sameOriginWithAncestors: true, frame },
  { origin: 'https://example.com:8443', topOrigin: 'https://example.com:8443', sameOriginWithAncestors: true, frame },
  { origin: 'http://localhost:3000', topOrigin: 'http://localhost:3000', sameOriginWithAncestors: true, frame },
  // A permitted, activated cross-origin frame (clientDataJSON carries topOrigin).
  {
    origin: 'https://example.com',
    topOrigin: 'https://shop.example.net',
    sameOriginWithAncestors: false,
    frame: { ...frame, createAllowed: true, getAllowed: true, transientActivation: true },
  },
  // One without the permissions.
  { origin: 'https://example.com', topOrigin: 'https://evil.example.net', sameOriginWithAncestors: false, frame },
  { origin: 'null', topOrigin: 'null', sameOriginWithAncestors: true, frame },
];

// ---------------------------------------------------------------------------------------
// The user: what they answer is part of the case

export type Answer = 'approve' | UserDeclined['kind'];

export interface UserScript {
  /** answers to the prompts in order; the last repeats */
  answers: Answer[];
  /** the user typed the PIN (only when the UI can verify) */
  verifies: boolean;
  /** which candidate is chosen, modulo their number */
  pick: number;
  friendlyName: string;
}

export const userScript: fc.Arbitrary<UserScript> = fc.record({
  answers: fc.array(fc.constantFrom<Answer>('approve', 'approve', 'approve', 'cancel', 'other-device', 'security-key'), { minLength: 1, maxLength: 3 }),
  verifies: fc.boolean(),
  pick: fc.nat(7),
  friendlyName: fc.oneof(fc.constant(''), fc.string({ maxLength: 80 })),
});

class User implements UserInterface {
  prompts = 0;
  constructor(
    private readonly script: UserScript,
    private readonly canVerify: boolean,
  ) {}

  private next(): Answer {
    const { answers } = this.script;
    return answers[Math.min(this.prompts++, answers.length - 1)]!;
  }

  private get verified(): boolean {
    return this.canVerify && this.script.verifies;
  }

  async confirmCreate(): ReturnType<UserInterface['confirmCreate']> {
    const answer = this.next();
    return answer === 'approve' ? { kind: 'approve', friendlyName: this.script.friendlyName, userVerified: this.verified } : { kind: answer };
  }

  async acknowledgeExcluded(): ReturnType<UserInterface['acknowledgeExcluded']> {
    const answer = this.next();
    return answer === 'approve' ? { kind: 'approve' } : { kind: answer };
  }

  async chooseCredential(request: { candidates: CredentialRecord[] }): ReturnType<UserInterface['chooseCredential']> {
    const answer = this.next();
    if (answer !== 'approve') return { kind: answer };
    // A conditional get with nothing to offer: the user can only leave (or use another device).
    if (request.candidates.length === 0) return { kind: 'cancel' };
    const chosen = request.candidates[this.script.pick % request.candidates.length]!;
    return { kind: 'approve', credentialId: chosen.credentialId, userVerified: this.verified };
  }
}

// ---------------------------------------------------------------------------------------
// Vaults: every case gets a fresh copy of one seeded template

const keys: VaultKeySource = unlockedKeys();
let template: Record<string, { key: IDBValidKey; value: unknown }[]> | undefined;

/** Ids of the seeded credentials, base64url, by what they are. */
export const seeded: { current: string[]; all: string[]; other: string[] } = { current: [], all: [], other: [] };

const te = new TextEncoder();

/** Seeds the template through the real authenticator: two accounts at example.com (one with a superseded passkey) and one elsewhere. */
export async function seedTemplate(): Promise<void> {
  if (template) return;
  const name = freshName();
  const vault = await Vault.open(keys, name);
  const approve: UserInterface = {
    confirmCreate: async () => ({ kind: 'approve', friendlyName: '', userVerified: false }),
    acknowledgeExcluded: async () => ({ kind: 'approve' }),
    chooseCredential: async (r) => ({ kind: 'approve', credentialId: r.candidates[0]!.credentialId, userVerified: false }),
  };
  const authenticator = createAuthenticator(vault, approve);
  const seeds = [
    { rp: 'example.com', user: 'ada', alg: -7 },
    { rp: 'example.com', user: 'ada', alg: -8 },
    { rp: 'example.com', user: 'bob', alg: -257 },
    { rp: 'other.example', user: 'ada', alg: -7 },
  ];
  for (const s of seeds) {
    const made = await authenticator.makeCredential({
      clientDataHash: new Uint8Array(32),
      rp: { id: s.rp, name: s.rp },
      user: { id: te.encode(s.user), name: s.user, displayName: s.user },
      algorithms: [s.alg],
      excludeCredentialIds: [],
      requireResidentKey: true,
      requireUserVerification: false,
      attestationFormat: 'none',
    });
    if (made.kind !== 'ok') throw new Error(`seed: ${JSON.stringify(made)}`);
    const id = toBase64url(made.value.credentialId);
    seeded.all.push(id);
    if (s.rp !== 'example.com') seeded.other.push(id);
  }
  for (const r of await vault.listByRpId('example.com')) if (!r.supersededBy) seeded.current.push(toBase64url(r.credentialId));
  vault.close();
  const db = await openDB(name);
  template = {};
  for (const store of db.objectStoreNames) {
    const tx = db.transaction(store);
    const rows: { key: IDBValidKey; value: unknown }[] = [];
    for (let c = await tx.store.openCursor(); c; c = await c.continue()) rows.push({ key: c.primaryKey, value: c.value });
    template[store] = rows;
  }
  db.close();
  indexedDB.deleteDatabase(name);
}

async function freshVault(): Promise<{ vault: Vault; name: string }> {
  if (!template) throw new Error('seedTemplate() first');
  const name = freshName();
  const vault = await Vault.open(keys, name);
  const db = await openDB(name);
  for (const [store, rows] of Object.entries(template)) {
    const tx = db.transaction(store, 'readwrite');
    const inline = tx.store.keyPath !== null;
    for (const row of rows) await (inline ? tx.store.put(structuredClone(row.value)) : tx.store.put(structuredClone(row.value), row.key));
    await tx.done;
  }
  db.close();
  return { vault, name };
}

// ---------------------------------------------------------------------------------------
// The ceremony, as the service worker runs it

export type Outcome =
  /** the page script threw (a TypeError) or the worker dropped a message it could not read */
  | { type: 'page-error'; name: string }
  | { type: 'dropped' }
  /** the call is the browser's before it reaches Latchkey (no publicKey, another mediation, ...) */
  | { type: 'browser' }
  | CeremonyResponse;

export interface Ceremony {
  kind: 'create' | 'get';
  caller: Caller;
  user: UserScript;
  uvAvailable: boolean;
  /** the page-facing input's path to the worker's request; returns the worker's options or a page outcome */
  request: () =>
    | { ok: true; options: unknown; mediation?: 'optional' | 'required' | 'conditional' | 'silent' }
    | { ok: false; outcome: Outcome };
}

export interface Result {
  outcome: Outcome;
  before: Snapshot;
  after: Snapshot;
  prompts: number;
}

export type Snapshot = Record<string, unknown[]>;

/**
 * Runs `work` against a store that is a fresh copy of the template, opened when the
 * authenticator first reaches for it: a case refused before that cannot have changed it, and
 * costs no database. Returns what `work` returned and the store before and after.
 */
export async function withLazyVault<T>(work: (store: CredentialStore) => Promise<T>): Promise<{ value: T; before: Snapshot; after: Snapshot }> {
  let opened: Promise<{ vault: Vault; name: string; before: Snapshot }> | undefined;
  const open = () =>
    (opened ??= freshVault().then(async ({ vault, name }) => ({ vault, name, before: await dumpDatabase(name) })));
  const store = new Proxy({} as CredentialStore, {
    get: (_, method: keyof CredentialStore) =>
      async (...args: unknown[]) => {
        const { vault } = await open();
        return (vault[method] as (...a: unknown[]) => unknown).apply(vault, args);
      },
  });
  try {
    const value = await work(store);
    // Let anything the work left running settle before the store is read again.
    await new Promise((r) => setTimeout(r, 0));
    if (!opened) return { value, before: UNTOUCHED, after: UNTOUCHED };
    const { name, before } = await opened;
    return { value, before, after: await dumpDatabase(name) };
  } finally {
    if (opened) {
      const { vault, name } = await opened;
      vault.close();
      indexedDB.deleteDatabase(name);
    }
  }
}

/** A scripted user for the authenticator's UI port, and how many prompts it answered. */
export function scriptedUser(script: UserScript, canVerify: boolean): UserInterface & { prompts: number } {
  return new User(script, canVerify);
}

/** Runs one ceremony and returns what the page saw and the store before and after. */
export async function runCeremony(c: Ceremony): Promise<Result> {
  const user = new User(c.user, c.uvAvailable);
  const { value: outcome, before, after } = await withLazyVault(async (store): Promise<Outcome> => {
    const authenticator = createAuthenticator(store, user, undefined, { userVerification: c.uvAvailable });
    const deps = { authenticator, signal: new AbortController().signal, userVerificationAvailable: c.uvAvailable };
    const request = c.request();
    if (!request.ok) return request.outcome;
    if (c.kind === 'create') return createCredential({ options: request.options as never }, c.caller, deps);
    return getAssertion({ options: request.options as never, mediation: request.mediation ?? 'optional' }, c.caller, deps);
  });
  return { outcome, before, after, prompts: user.prompts };
}

/** The snapshot of a vault the ceremony never opened. */
const UNTOUCHED: Snapshot = { credentials: [], catalog: [], meta: [] };

// ---------------------------------------------------------------------------------------
// The checks

type Row = Record<string, unknown> & { credentialId: string; rpId: string; publicKey: Uint8Array; signCount?: number };

export function rows(s: Snapshot): Map<string, Row> {
  return new Map((s.credentials as Row[]).map((r) => [r.credentialId, r]));
}

function strip(row: Row, fields: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...row };
  for (const f of fields) delete copy[f];
  return copy;
}

/** Throws with `why` unless `a` and `b` are deep-equal. */
export function same(a: unknown, b: unknown, why: string): void {
  if (!deepEqual(a, b)) throw new Error(`${why}\nbefore: ${fc.stringify(a)}\nafter:  ${fc.stringify(b)}`);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((v, i) => v === b[i]);
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) return false;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * What a ceremony may leave changed besides its own result: passkeys the options named
 * (excludeCredentials, allowCredentials) are the site's evidence that retires older passkeys of
 * their account (docs/architecture.md#a-create-for-the-same-rpid-and-userid): `hidden: 'retired'` and
 * `supersededBy` on those, and the catalog lines that mirror them. Nothing else, ever.
 */
export function checkOnlyRetired(before: Snapshot, after: Snapshot, exceptNew: ReadonlySet<string>, signedIn?: string): void {
  const b = rows(before);
  const a = rows(after);
  for (const [id, row] of b) {
    const now = a.get(id);
    if (!now) throw new Error(`credential ${id} was lost`);
    const volatile = ['hidden', 'supersededBy', ...(id === signedIn ? ['lastUsedAt', 'signCount', 'wrappedLargeBlob'] : [])];
    same(strip(row, volatile), strip(now, volatile), `credential ${id} changed`);
    if (now.hidden !== row.hidden && now.hidden !== 'retired' && row.hidden !== 'retired') {
      throw new Error(`credential ${id}: hidden ${String(row.hidden)} -> ${String(now.hidden)}`);
    }
  }
  for (const id of a.keys()) if (!b.has(id) && !exceptNew.has(id)) throw new Error(`credential ${id} appeared`);
  same(before.meta, after.meta, 'meta changed');
}

function namedIds(options: unknown, kind: 'create' | 'get'): unknown[] {
  const list = (options as Record<string, unknown> | undefined)?.[kind === 'create' ? 'excludeCredentials' : 'allowCredentials'];
  return Array.isArray(list) ? list.filter((d) => (d as { type?: unknown }).type === 'public-key').map((d) => (d as { id?: unknown }).id) : [];
}

/** Whether the options named a seeded passkey: evidence the vault may act on. */
function namedHeld(options: unknown, kind: 'create' | 'get'): boolean {
  return namedIds(options, kind).some((id) => seeded.all.includes(id as string));
}

const STAMP = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The snapshot without the catalog's stamp, a cache token for the passkey manager (no user
 * data): a ceremony that names credential ids commits its evidence write, which renews it.
 */
export function withoutStamp(s: Snapshot): Snapshot {
  return { ...s, catalog: (s.catalog ?? []).filter((v) => !(typeof v === 'string' && STAMP.test(v))) };
}

/** A failed ceremony leaves the store as it was (the stamp aside when the options named ids). */
function unchanged(before: Snapshot, after: Snapshot, e: Expectation, why: string): void {
  if (namedHeld(e.options, e.kind)) return checkOnlyRetired(before, after, new Set());
  if (namedIds(e.options, e.kind).length > 0) return same(withoutStamp(before), withoutStamp(after), why);
  same(before, after, why);
}

/** A cross-origin caller's clientDataJSON carries its top origin (L3 §5.10.1). */
function topOrigin(caller: Caller): { expectedTopOrigin?: string } {
  return caller.sameOriginWithAncestors ? {} : { expectedTopOrigin: caller.topOrigin };
}

export interface Expectation {
  kind: 'create' | 'get';
  caller: Caller;
  /** the worker's options, when the request got that far */
  options: unknown;
}

/**
 * The property every case must hold. Returns the outcome's label (for the statistics).
 */
export async function check(result: Result, e: Expectation): Promise<string> {
  const { outcome, before, after } = result;
  const before1 = rows(before);
  switch (outcome.type) {
    case 'page-error':
      if (outcome.name !== 'TypeError') throw new Error(`the page script threw ${outcome.name}`);
      same(before, after, 'the vault changed after the page script threw');
      return 'page TypeError';
    case 'dropped':
      same(before, after, 'the vault changed after a dropped message');
      return 'dropped by the worker';
    case 'browser':
    case 'fallback':
    case 'error': {
      if (outcome.type === 'error' && !SPEC_ERRORS.includes(outcome.name)) throw new Error(`not a spec error: ${outcome.name}: ${outcome.message}`);
      unchanged(before, after, e, `the vault changed after ${outcome.type}`);
      return outcome.type === 'error' ? outcome.name : outcome.type;
    }
    case 'created': {
      const o = e.options as { challenge: string; rp: { id?: string } };
      const rpID = o.rp.id ?? new URL(e.caller.origin).hostname;
      const credential = outcome.credential;
      const verified = await verifyRegistrationResponse({
        response: credential as never,
        expectedChallenge: toBase64url(fromBase64url(o.challenge)!),
        expectedOrigin: e.caller.origin,
        expectedRPID: rpID,
        ...topOrigin(e.caller),
        requireUserVerification: false,
        supportedAlgorithmIDs: [-7, -8, -257],
      });
      if (!verified.verified) throw new Error('the registration does not verify');
      const added = [...rows(after).keys()].filter((id) => !before1.has(id));
      if (added.length !== 1 || added[0] !== credential.id) throw new Error(`created ${credential.id}, the vault added ${added.join(',')}`);
      const stored = rows(after).get(credential.id)!;
      same(stored.publicKey, verified.registrationInfo.credential.publicKey, 'the stored public key is not the attested one');
      // Older passkeys of the same account are superseded, never lost or changed otherwise.
      checkOnlyRetired(before, after, new Set(added));
      return 'created';
    }
    case 'asserted': {
      const o = e.options as { challenge: string; rpId?: string };
      const rpID = o.rpId ?? new URL(e.caller.origin).hostname;
      const credential = outcome.credential;
      const row = before1.get(credential.id);
      if (!row) throw new Error(`asserted with ${credential.id}, which the vault did not hold`);
      if (row.rpId !== rpID) throw new Error(`asserted for ${rpID} with a passkey of ${row.rpId}`);
      const verified = await verifyAuthenticationResponse({
        response: credential as never,
        expectedChallenge: toBase64url(fromBase64url(o.challenge)!),
        expectedOrigin: e.caller.origin,
        expectedRPID: rpID,
        ...topOrigin(e.caller),
        credential: { id: row.credentialId, publicKey: new Uint8Array(row.publicKey), counter: row.signCount ?? 0 },
        requireUserVerification: false,
      });
      if (!verified.verified) throw new Error('the assertion does not verify');
      checkOnlyRetired(before, after, new Set(), credential.id);
      return 'asserted';
    }
    default:
      throw new Error(`unexpected outcome ${fc.stringify(outcome)}`);
  }
}

// ---------------------------------------------------------------------------------------
// Running a property, with its figures

export interface Figures {
  property: string;
  runs: number;
  failures: number;
  seconds: number;
  outcomes: Record<string, number>;
}

/** Runs `property` RUNS times (with fast-check's shrinking on failure); records the figures for `npm run soak`. */
export async function runProperty<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  body: (value: T) => Promise<string>,
): Promise<Figures> {
  const outcomes: Record<string, number> = {};
  const started = performance.now();
  const unhandledBefore = unhandled.length;
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      const label = await body(value);
      outcomes[label] = (outcomes[label] ?? 0) + 1;
    }),
    { numRuns: RUNS, ...(process.env.LATCHKEY_FUZZ_SEED ? { seed: Number(process.env.LATCHKEY_FUZZ_SEED) } : {}) },
  );
  // Give a rejection nobody handled a turn to surface.
  await new Promise((r) => setTimeout(r, 10));
  const figures: Figures = {
    property: name,
    runs: details.numRuns,
    failures: (details.failed ? 1 : 0) + (unhandled.length - unhandledBefore),
    seconds: Math.round((performance.now() - started) / 10) / 100,
    outcomes,
  };
  await recordFigures(figures);
  if (details.failed) throw new Error(`${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}`);
  if (unhandled.length > unhandledBefore) throw new Error(`unhandled rejection: ${String(unhandled[unhandledBefore])}`);
  return figures;
}

async function recordFigures(figures: Figures): Promise<void> {
  const file = process.env.LATCHKEY_FUZZ_FIGURES;
  if (!file) return;
  const { appendFile } = await import('node:fs/promises');
  await appendFile(file, `${JSON.stringify(figures)}\n`);
}
