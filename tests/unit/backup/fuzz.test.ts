// Mutations of valid files (truncated, reordered, wrong types, huge strings, bad base64url,
// bad PKCS#8): every one is rejected with a sentence that names where, and nothing is written.
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { importBackup } from '../../../src/background/backup';
import { exportCxf } from '../../../src/backup/cxf';
import { BackupFormatError } from '../../../src/backup/errors';
import { Vault } from '../../../src/vault';
import { freshName, makeRecord, unlockedKeys } from '../vault/fixtures';
import { entry, EXPORTER } from './fixtures';
import { bitwardenCredential, bitwardenFile, keepassxcFile, madeKey } from './formats';

type Path = Array<string | number>;
interface Sample {
  name: string;
  value: unknown;
  /** Members Latchkey reads, which a wrong type must make it refuse. */
  typed: Path[];
  /** String members with a length limit. */
  strings: Path[];
  /** base64 / base64url members. */
  encoded: Path[];
  /** The PKCS#8 key member and how it is written. */
  key: { path: Path; pem: boolean };
}

const get = (value: unknown, path: Path): unknown => path.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)[key], value);
function set(value: unknown, path: Path, to: unknown): unknown {
  const copy = structuredClone(value);
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = to;
  return copy;
}

const samples: Sample[] = [];
let vault: Vault;

beforeAll(async () => {
  vault = await Vault.open(unlockedKeys(), freshName());
  await vault.create(makeRecord(), new Uint8Array(32).fill(7), []);

  const cxf = exportCxf([await entry('ES256'), await entry('EdDSA', { rpId: 'github.com' })], EXPORTER, Date.now());
  const item = ['accounts', 0, 'items', 1];
  const credential = [...item, 'credentials', 0];
  const extension = [...item, 'extensions', 0];
  samples.push({
    name: 'CXF',
    value: cxf,
    typed: [
      ['version'], ['version', 'major'], ['version', 'minor'], ['exporterRpId'], ['exporterDisplayName'], ['timestamp'], ['accounts'],
      ['accounts', 0], ['accounts', 0, 'id'], ['accounts', 0, 'username'], ['accounts', 0, 'email'], ['accounts', 0, 'collections'], ['accounts', 0, 'items'],
      item, [...item, 'id'], [...item, 'title'], [...item, 'credentials'], [...item, 'creationAt'], [...item, 'modifiedAt'], [...item, 'extensions'],
      credential, [...credential, 'type'], [...credential, 'credentialId'], [...credential, 'rpId'], [...credential, 'username'],
      [...credential, 'userDisplayName'], [...credential, 'userHandle'], [...credential, 'key'],
      extension, [...extension, 'name'], [...extension, 'rpName'], [...extension, 'superseded'], [...extension, 'nameEdited'], [...extension, 'lastUsedAt'], [...extension, 'hidden'],
    ],
    strings: [['exporterRpId'], ['exporterDisplayName'], ['accounts', 0, 'username'], [...item, 'title'], [...credential, 'credentialId'], [...credential, 'rpId'],
      [...credential, 'username'], [...credential, 'userDisplayName'], [...credential, 'userHandle'], [...credential, 'key'], [...extension, 'rpName']],
    encoded: [['accounts', 0, 'id'], [...item, 'id'], [...credential, 'credentialId'], [...credential, 'userHandle'], [...credential, 'key']],
    key: { path: [...credential, 'key'], pem: false },
  });

  const bw = JSON.parse(bitwardenFile([bitwardenCredential(await madeKey(), { counter: '3' })]));
  const fido = ['items', 1, 'login', 'fido2Credentials', 0];
  samples.push({
    name: 'Bitwarden',
    value: bw,
    typed: [['encrypted'], ['items'], ['items', 1], ['items', 1, 'login'], ['items', 1, 'name'], ['items', 1, 'login', 'fido2Credentials'], fido,
      ...['credentialId', 'keyAlgorithm', 'keyCurve', 'keyValue', 'rpId', 'userHandle', 'userName', 'counter', 'rpName', 'userDisplayName', 'creationDate'].map((k) => [...fido, k])],
    strings: [['items', 1, 'name'], ...['credentialId', 'keyAlgorithm', 'keyValue', 'rpId', 'userHandle', 'userName', 'rpName', 'userDisplayName', 'creationDate'].map((k) => [...fido, k])],
    encoded: ['credentialId', 'keyValue', 'userHandle'].map((k) => [...fido, k]),
    key: { path: [...fido, 'keyValue'], pem: false },
  });

  const kp = JSON.parse(keepassxcFile(await madeKey('EdDSA')));
  samples.push({
    name: 'KeePassXC',
    value: kp,
    typed: [['credentialId'], ['privateKey'], ['relyingParty'], ['userHandle'], ['username']],
    strings: [['credentialId'], ['privateKey'], ['relyingParty'], ['userHandle'], ['username']],
    encoded: [['credentialId'], ['privateKey'], ['userHandle']],
    key: { path: ['privateKey'], pem: true },
  });
});

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const b64url = (bytes: Uint8Array) => b64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
function decodeKey(text: string, pem: boolean): Uint8Array {
  const body = pem ? text.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '') : text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(body + '='.repeat((4 - (body.length % 4)) % 4)), (c) => c.charCodeAt(0));
}
function encodeKey(bytes: Uint8Array, pem: boolean): string {
  return pem ? `-----BEGIN PRIVATE KEY-----\n${b64(bytes)}\n-----END PRIVATE KEY-----\n` : b64url(bytes);
}

const wrongValues = ['text', 42.5, true, [], {}] as const;
const typeOf = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/** A mutation, as (sample) -> file text. Each is invalid by construction. */
type Mutation = { kind: string; apply: (s: Sample) => string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }).map((at) => ({
    kind: 'truncated',
    apply: (s: Sample) => { const text = JSON.stringify(s.value); return text.slice(0, Math.floor(at * (text.length - 1))); },
  })),
  fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }).map((at) => ({
    kind: 'reordered',
    apply: (s: Sample) => { const text = JSON.stringify(s.value); const cut = 1 + Math.floor(at * (text.length - 2)); return text.slice(cut) + text.slice(0, cut); },
  })),
  fc.tuple(fc.nat(), fc.nat()).map(([p, w]) => ({
    kind: 'wrong type',
    apply: (s: Sample) => {
      const path = s.typed[p % s.typed.length]!;
      const original = get(s.value, path);
      const choices = wrongValues.filter((v) => typeOf(v) !== typeOf(original));
      return JSON.stringify(set(s.value, path, structuredClone(choices[w % choices.length])));
    },
  })),
  fc.tuple(fc.nat(), fc.integer({ min: 70_000, max: 400_000 })).map(([p, length]) => ({
    kind: 'huge string',
    apply: (s: Sample) => JSON.stringify(set(s.value, s.strings[p % s.strings.length]!, 'A'.repeat(length))),
  })),
  fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.constantFrom('!', '*', '#', '%', '~')).map(([p, at, bad]) => ({
    kind: 'bad base64url',
    apply: (s: Sample) => {
      const path = s.encoded[p % s.encoded.length]!;
      const text = get(s.value, path) as string;
      const i = Math.floor(at * text.length);
      return JSON.stringify(set(s.value, path, text.slice(0, i) + bad + text.slice(i)));
    },
  })),
  fc.tuple(fc.constantFrom('truncate', 'append', 'tag'), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })).map(([how, at]) => ({
    kind: `bad PKCS#8 (${how})`,
    apply: (s: Sample) => {
      const der = decodeKey(get(s.value, s.key.path) as string, s.key.pem);
      const bad = how === 'truncate' ? der.slice(0, 1 + Math.floor(at * (der.length - 2)))
        : how === 'append' ? Uint8Array.from([...der, 0x05, 0x00])
        : Uint8Array.from([0x31, ...der.subarray(1)]);
      return JSON.stringify(set(s.value, s.key.path, encodeKey(bad, s.key.pem)));
    },
  })),
);

const SENTENCE = /^(The file|The decrypted file|Item \d+( \([a-z0-9.-]+\))?(, (credential|extension) \d+)?|Account \d+|Bitwarden item \d+(, login)?|The file’s version): .+\.$/;

describe('fuzz: mutated files', () => {
  it('every mutation of a valid CXF, Bitwarden or KeePassXC file is rejected with a sentence, and nothing is written', async () => {
    const deps = {
      vault: async () => vault,
      isUnlocked: async () => true,
      verifyPin: async () => ({ ok: true as const }),
      storage: { get: async () => undefined, set: async () => undefined },
      exporter: EXPORTER,
    };
    const stampBefore = await vault.catalogStamp();
    await fc.assert(
      fc.asyncProperty(fc.nat(), mutation, async (which, m) => {
        const sample = samples[which % samples.length]!;
        const text = m.apply(sample);
        let error: unknown;
        try {
          await importBackup(deps, text, null);
        } catch (caught) {
          error = caught;
        }
        expect(error, `${sample.name}, ${m.kind}: accepted`).toBeInstanceOf(BackupFormatError);
        expect((error as Error).message, `${sample.name}, ${m.kind}`).toMatch(SENTENCE);
        expect(await vault.count()).toBe(1);
      }),
      { numRuns: 300 },
    );
    expect(await vault.catalogStamp()).toBe(stampBefore);
  }, 60_000);

  it('the unmutated samples import (so the mutations, not the samples, are what is refused)', async () => {
    for (const sample of samples) {
      const fresh = await Vault.open(unlockedKeys(), freshName());
      const result = await importBackup({ vault: async () => fresh, isUnlocked: async () => true, verifyPin: async () => ({ ok: true }), storage: { get: async () => undefined, set: async () => undefined }, exporter: EXPORTER }, JSON.stringify(sample.value), null);
      expect(result.added, sample.name).toBeGreaterThan(0);
      fresh.close();
    }
  });
});
