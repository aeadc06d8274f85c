// Test doubles for the authenticator's ports: an in-memory CredentialStore with the semantics
// ports.ts describes, and a UserInterface that plays back scripted answers and records requests.

import type { CredentialRecord, CredentialSecrets, CredentialStore, UserDeclined, UserDetails, UserInterface } from '../../../src/authenticator/ports';
import { acceptOnly, retireForEvidence, settleAccount, type AccountPasskey } from '../../../src/vault/accounts';
import { COSE_ALG, type GetAssertionParams, type MakeCredentialParams } from '../../../src/authenticator/types';
import { sha256 } from '../../../src/crypto/hash';

function key(id: Uint8Array): string {
  return Array.from(id, (b) => b.toString(16).padStart(2, '0')).join('');
}

interface Entry {
  record: CredentialRecord;
  privateKey: Uint8Array;
  secrets: CredentialSecrets;
}

export class FakeCredentialStore implements CredentialStore {
  readonly entries = new Map<string, Entry>();
  /** the exact privateKey arrays create() was handed, to check that the caller wiped them */
  readonly privateKeysHandedIn: Uint8Array[] = [];
  readonly createCalls: { record: CredentialRecord; supersedes: Uint8Array[] }[] = [];
  readonly signIns: { credentialId: Uint8Array; at: number }[] = [];
  /** copies lent to withPrivateKey's callback, to check that they were wiped after */
  readonly lentKeys: Uint8Array[] = [];

  async listByRpId(rpId: string): Promise<CredentialRecord[]> {
    return [...this.entries.values()].filter((e) => e.record.rpId === rpId).map((e) => structuredClone(e.record));
  }

  /** How many reads each method made: a list is read in one go (one transaction in the vault). */
  readonly reads = { get: 0, getMany: 0 };

  async get(credentialId: Uint8Array): Promise<CredentialRecord | undefined> {
    this.reads.get++;
    const entry = this.entries.get(key(credentialId));
    return entry ? structuredClone(entry.record) : undefined;
  }

  async getMany(credentialIds: readonly Uint8Array[]): Promise<(CredentialRecord | undefined)[]> {
    this.reads.getMany++;
    return credentialIds.map((id) => {
      const entry = this.entries.get(key(id));
      return entry ? structuredClone(entry.record) : undefined;
    });
  }

  async create(record: CredentialRecord, privateKey: Uint8Array, supersedes: Uint8Array[], secrets: CredentialSecrets = {}): Promise<void> {
    this.createCalls.push({ record: structuredClone(record), supersedes: supersedes.map((id) => id.slice()) });
    this.privateKeysHandedIn.push(privateKey);
    if (this.entries.has(key(record.credentialId))) throw new Error('duplicate credential id');
    for (const id of supersedes) {
      const earlier = this.entries.get(key(id));
      if (!earlier) throw new Error('supersedes an unknown credential');
    }
    this.entries.set(key(record.credentialId), { record: structuredClone(record), privateKey: privateKey.slice(), secrets: structuredClone(secrets) });
    this.#account(record.rpId, record.userHandle, settleAccount);
  }

  async withPrfSecret<T>(credentialId: Uint8Array, userVerified: boolean, use: (secret: Uint8Array) => Promise<T> | T): Promise<T | undefined> {
    const entry = this.entries.get(key(credentialId));
    if (!entry) throw new Error('no such credential');
    if (!entry.secrets.prf) return undefined;
    const copy = (userVerified ? entry.secrets.prf.withUV : entry.secrets.prf.withoutUV).slice();
    this.lentKeys.push(copy);
    try {
      return await use(copy);
    } finally {
      copy.fill(0);
    }
  }

  async readLargeBlob(credentialId: Uint8Array): Promise<Uint8Array | undefined> {
    const entry = this.entries.get(key(credentialId));
    if (!entry) throw new Error('no such credential');
    return entry.secrets.largeBlob?.slice();
  }

  async writeLargeBlob(credentialId: Uint8Array, blob: Uint8Array): Promise<void> {
    const entry = this.entries.get(key(credentialId));
    if (!entry) throw new Error('no such credential');
    entry.secrets.largeBlob = blob.slice();
  }

  /** The secrets kept for a credential (test inspection). */
  secrets(credentialId: Uint8Array): CredentialSecrets {
    const entry = this.entries.get(key(credentialId));
    if (!entry) throw new Error('no such credential');
    return entry.secrets;
  }

  async withPrivateKey<T>(credentialId: Uint8Array, use: (privateKey: Uint8Array) => Promise<T> | T): Promise<T> {
    const entry = this.entries.get(key(credentialId));
    if (!entry) throw new Error('no such credential');
    const copy = entry.privateKey.slice();
    this.lentKeys.push(copy);
    try {
      return await use(copy);
    } finally {
      copy.fill(0);
    }
  }

  async recordSignIn(credentialId: Uint8Array, at: number): Promise<void> {
    const entry = this.entries.get(key(credentialId));
    if (!entry) throw new Error('no such credential');
    this.signIns.push({ credentialId: credentialId.slice(), at });
    entry.record.lastUsedAt = at;
  }

  /** The evidence calls, in order (hex ids), to check what counted as evidence. */
  readonly evidence: string[][] = [];

  async siteKnows(rpId: string, credentialIds: readonly Uint8Array[]): Promise<void> {
    this.evidence.push(credentialIds.map(key));
    const known = new Set(credentialIds.map(key));
    for (const id of credentialIds) {
      const entry = this.entries.get(key(id));
      if (!entry || entry.record.rpId !== rpId) continue;
      this.#account(rpId, entry.record.userHandle, (passkeys) => retireForEvidence(passkeys, known, known));
    }
  }

  async hideUnknown(rpId: string, credentialId: Uint8Array): Promise<void> {
    const entry = this.entries.get(key(credentialId));
    if (!entry || entry.record.rpId !== rpId) return;
    entry.record.hidden = 'site';
    this.#account(rpId, entry.record.userHandle, settleAccount);
  }

  async acceptOnly(rpId: string, userHandle: Uint8Array, credentialIds: readonly Uint8Array[]): Promise<void> {
    const accepted = new Set(credentialIds.map(key));
    this.#account(rpId, userHandle, (passkeys) => acceptOnly(passkeys, accepted));
  }

  async updateUser(rpId: string, userHandle: Uint8Array, details: UserDetails, friendlyName: (before: CredentialRecord) => string): Promise<void> {
    for (const { record } of this.#accountEntries(rpId, userHandle)) {
      record.friendlyName = friendlyName(structuredClone(record));
      record.userName = details.name;
      record.userDisplayName = details.displayName;
    }
  }

  /** Deletes a credential as the user does in the popup: its account is settled again. */
  delete(credentialId: Uint8Array): void {
    const entry = this.entries.get(key(credentialId));
    if (!entry) throw new Error('no such credential');
    this.entries.delete(key(credentialId));
    this.#account(entry.record.rpId, entry.record.userHandle, settleAccount);
  }

  #accountEntries(rpId: string, userHandle: Uint8Array): Entry[] {
    return [...this.entries.values()].filter((e) => e.record.rpId === rpId && key(e.record.userHandle) === key(userHandle));
  }

  /** Runs one of the account rules (src/vault/accounts.ts) over the account's records. */
  #account(rpId: string, userHandle: Uint8Array, rule: (passkeys: AccountPasskey[]) => unknown): void {
    const entries = this.#accountEntries(rpId, userHandle);
    const views: AccountPasskey[] = entries.map(({ record }) => ({
      id: key(record.credentialId),
      createdAt: record.createdAt,
      ...(record.hidden ? { hidden: record.hidden } : {}),
      ...(record.supersededBy ? { supersededBy: key(record.supersededBy) } : {}),
    }));
    rule(views);
    entries.forEach(({ record }, i) => {
      const view = views[i]!;
      if (view.hidden) record.hidden = view.hidden;
      else delete record.hidden;
      const newer = view.supersededBy && this.entries.get(view.supersededBy);
      if (newer) record.supersededBy = newer.record.credentialId.slice();
      else delete record.supersededBy;
    });
  }

  async countSignIn(credentialId: Uint8Array, at: number): Promise<{ signCount: number }> {
    const entry = this.entries.get(key(credentialId));
    if (!entry || entry.record.signCount === undefined) throw new Error('no such counting credential');
    await this.recordSignIn(credentialId, at);
    entry.record.signCount += 1;
    return { signCount: entry.record.signCount };
  }

  has(credentialId: Uint8Array): boolean {
    return this.entries.has(key(credentialId));
  }

  record(credentialId: Uint8Array): CredentialRecord {
    const entry = this.entries.get(key(credentialId));
    if (!entry) throw new Error('no such credential');
    return entry.record;
  }
}

type ConfirmCreate = UserInterface['confirmCreate'];
type AcknowledgeExcluded = UserInterface['acknowledgeExcluded'];
type ChooseCredential = UserInterface['chooseCredential'];
type Answer<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>> | ((request: Parameters<F>[0]) => Awaited<ReturnType<F>>);

/**
 * Plays back the answers queued for each prompt, in order, and records every request. A prompt
 * with no answer queued fails the test: the authenticator asked for UI it should not have.
 */
export class ScriptedUser implements UserInterface {
  readonly createRequests: Parameters<ConfirmCreate>[0][] = [];
  readonly excludedRequests: Parameters<AcknowledgeExcluded>[0][] = [];
  readonly chooseRequests: Parameters<ChooseCredential>[0][] = [];
  private readonly createAnswers: Answer<ConfirmCreate>[] = [];
  private readonly excludedAnswers: Answer<AcknowledgeExcluded>[] = [];
  private readonly chooseAnswers: Answer<ChooseCredential>[] = [];

  onCreate(...answers: Answer<ConfirmCreate>[]): this {
    this.createAnswers.push(...answers);
    return this;
  }

  onExcluded(...answers: Answer<AcknowledgeExcluded>[]): this {
    this.excludedAnswers.push(...answers);
    return this;
  }

  onChoose(...answers: Answer<ChooseCredential>[]): this {
    this.chooseAnswers.push(...answers);
    return this;
  }

  get promptCount(): number {
    return this.createRequests.length + this.excludedRequests.length + this.chooseRequests.length;
  }

  async confirmCreate(request: Parameters<ConfirmCreate>[0]): ReturnType<ConfirmCreate> {
    this.createRequests.push(request);
    return play(this.createAnswers.shift(), request, 'confirmCreate');
  }

  async acknowledgeExcluded(request: Parameters<AcknowledgeExcluded>[0]): ReturnType<AcknowledgeExcluded> {
    this.excludedRequests.push(request);
    return play(this.excludedAnswers.shift(), request, 'acknowledgeExcluded');
  }

  async chooseCredential(request: Parameters<ChooseCredential>[0]): ReturnType<ChooseCredential> {
    this.chooseRequests.push(request);
    return play(this.chooseAnswers.shift(), request, 'chooseCredential');
  }
}

function play<R, T>(answer: T | ((request: R) => T) | undefined, request: R, prompt: string): T {
  if (answer === undefined) throw new Error(`unexpected prompt: ${prompt}`);
  return typeof answer === 'function' ? (answer as (request: R) => T)(request) : answer;
}

export const approveCreate = (friendlyName = '', userVerified = false) => ({ kind: 'approve', friendlyName, userVerified }) as const;
export const decline = (kind: UserDeclined['kind']): UserDeclined => ({ kind });
/** Chooses the candidate at `index` of what the prompt was shown (and says whether it verified the user). */
export const chooseCandidate =
  (index = 0, userVerified = false) =>
  (request: Parameters<ChooseCredential>[0]) => {
    const candidate = request.candidates[index];
    if (!candidate) throw new Error(`no candidate ${index}`);
    return { kind: 'approve', credentialId: candidate.credentialId, userVerified } as const;
  };

/** A clock that advances one second per reading. */
export function steppingClock(start = 1_700_000_000_000): { now(): number } {
  let t = start;
  return { now: () => (t += 1000) };
}

const te = new TextEncoder();

/** makeCredential parameters for ada at example.com (ES256, no attestation), with overrides. */
export function createParams(overrides: Partial<MakeCredentialParams> = {}): MakeCredentialParams {
  return {
    clientDataHash: sha256(te.encode('create')),
    rp: { id: 'example.com', name: 'Example' },
    user: { id: te.encode('user-1'), name: 'ada', displayName: 'Ada' },
    algorithms: [COSE_ALG.ES256],
    excludeCredentialIds: [],
    requireResidentKey: true,
    requireUserVerification: false,
    attestationFormat: 'none',
    ...overrides,
  };
}

/** getAssertion parameters for a discoverable sign-in at example.com, with overrides. */
export function getParams(overrides: Partial<GetAssertionParams> = {}): GetAssertionParams {
  return { rpId: 'example.com', clientDataHash: sha256(te.encode('get')), allowCredentialIds: [], requireUserVerification: false, ...overrides };
}
