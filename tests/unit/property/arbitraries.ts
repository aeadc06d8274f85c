// Options as a page would send them: valid ones, in the page's form (BufferSources) or the JSON
// form (base64url strings, what reaches the worker), then mutated: members dropped, wrong
// types, huge values, odd algorithms, odd rp ids, bad challenges, junk descriptors and
// extensions.

import fc from 'fast-check';
import { fromBase64url, toBase64url } from '../../../src/protocol/base64url';
import { seeded } from './harness';

export type Form = 'page' | 'json';

/** Bytes in a form: base64url text for JSON, a BufferSource of some kind for the page. */
interface Bytes {
  readonly bytes: Uint8Array;
  readonly view: number;
}

/** A seeded credential's id, resolved when the case is rendered (the seed exists by then). */
interface SeedRef {
  readonly seed: 'current' | 'all' | 'other';
  readonly index: number;
  readonly view: number;
}

const bytes = (min: number, max: number): fc.Arbitrary<Bytes> =>
  fc.record({ bytes: fc.uint8Array({ minLength: min, maxLength: max }), view: fc.nat(4) });

/** Held credential ids (seeded) or random ones. */
const credentialId: fc.Arbitrary<Bytes | SeedRef> = fc.oneof(
  fc.record({ seed: fc.constantFrom<SeedRef['seed']>('current', 'all', 'other'), index: fc.nat(7), view: fc.nat(4) }),
  bytes(0, 40),
);

function resolve(ref: SeedRef): Bytes {
  const list = seeded[ref.seed];
  const id = list[ref.index % list.length];
  return { bytes: id === undefined ? new Uint8Array(16) : fromBase64url(id)!, view: ref.view };
}

function isSeedRef(x: unknown): x is SeedRef {
  return typeof x === 'object' && x !== null && typeof (x as SeedRef).seed === 'string' && typeof (x as SeedRef).index === 'number';
}

/** A dictionary key that stands for a seeded credential's base64url id. */
const SEED_KEY = '\u0000seed:';

const RP_IDS = [
  'example.com',
  'login.example.com',
  'EXAMPLE.COM',
  'example.com.',
  'com',
  '',
  '.',
  'other.example',
  'localhost',
  '127.0.0.1',
  '[::1]',
  'xn--bcher-kva.example',
  'exämple.com',
  ' example.com',
  'example.com:443',
  'https://example.com',
  'example..com',
  'a'.repeat(300),
];

/** Present in about one case in `1 + absent` (a record's optional keys are there half the time). */
const sometimes = <T>(arb: fc.Arbitrary<T>, absent = 3): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary: arb, weight: 1 });

/** Mostly the RP ID the callers may use, else anything odd. */
const rpId = fc.oneof({ arbitrary: fc.constant('example.com'), weight: 3 }, { arbitrary: fc.constantFrom(...RP_IDS), weight: 2 });

const ALGS: readonly (number | string)[] = [-7, -8, -257, -35, -36, -37, -65000, 0, 1, -7.5, '-7', '-257', ' -8 ', 'ES256', '', 2 ** 31, -(2 ** 31) - 7];

const word = fc.oneof(
  { arbitrary: fc.constantFrom('required', 'preferred', 'discouraged', 'platform', 'none'), weight: 3 },
  fc.constantFrom('required', 'preferred', 'discouraged', 'platform', 'cross-platform', 'none', 'direct', 'indirect', 'enterprise', 'security-key', 'client-device', 'hybrid', 'REQUIRED', ''),
  fc.string({ maxLength: 12 }),
);

const descriptor = fc.record(
  {
    type: fc.constantFrom('public-key', 'public-key', 'public-key', 'password', ''),
    id: credentialId,
    transports: fc.array(fc.constantFrom('internal', 'hybrid', 'usb', 'nfc', 'ble', 'smart-card', 'x'), { maxLength: 4 }),
  },
  { requiredKeys: ['type', 'id'] },
);

const prfValues = fc.record({ first: bytes(0, 64), second: bytes(0, 64) }, { requiredKeys: ['first'] });

const creationExtensions = fc.record(
  {
    credProps: fc.boolean(),
    prf: fc.record({ eval: prfValues, evalByCredential: fc.dictionary(fc.string({ maxLength: 24 }), prfValues, { maxKeys: 2 }) }, { requiredKeys: [] }),
    largeBlob: fc.record({ support: word, read: fc.boolean(), write: bytes(0, 8) }, { requiredKeys: [] }),
    appidExclude: fc.constantFrom('https://example.com/appid.json', ''),
    uvm: fc.boolean(),
    minPinLength: fc.boolean(),
  },
  { requiredKeys: [] },
);

const evalByCredentialKey = fc.oneof(
  fc.record({ seed: fc.constantFrom<SeedRef['seed']>('current', 'all'), index: fc.nat(7) }).map((r) => `${SEED_KEY}${r.seed}:${r.index}`),
  fc.string({ maxLength: 24 }),
);

const requestExtensions = fc.record(
  {
    prf: fc.record(
      { eval: prfValues, evalByCredential: fc.dictionary(evalByCredentialKey, prfValues, { maxKeys: 3 }) },
      { requiredKeys: [] },
    ),
    largeBlob: fc.record({ read: fc.boolean(), write: bytes(0, 40), support: word }, { requiredKeys: [] }),
    appid: fc.constantFrom('https://example.com/appid.json', ''),
    credProps: fc.boolean(),
    getCredBlob: fc.boolean(),
  },
  { requiredKeys: [] },
);

export const creationModel = fc.record(
  {
    rp: fc.record({ name: fc.string({ maxLength: 40 }), id: rpId }, { requiredKeys: ['name'] }),
    user: fc.record({ id: bytes(1, 64), name: fc.string({ maxLength: 40 }), displayName: fc.string({ maxLength: 40 }) }),
    challenge: bytes(0, 64),
    pubKeyCredParams: fc.array(
      fc.record({
        type: fc.constantFrom('public-key', 'public-key', 'public-key', 'junk'),
        // RS256 first is rare: generating its key is the slow part of a case.
        alg: fc.oneof({ arbitrary: fc.constantFrom(-7, -8, -7, -8, '-7'), weight: 6 }, { arbitrary: fc.constantFrom(...ALGS), weight: 2 }),
      }),
      { maxLength: 4 },
    ),
    timeout: fc.nat(),
    excludeCredentials: sometimes(fc.array(descriptor, { maxLength: 4 }), 1),
    authenticatorSelection: sometimes(fc.record(
      { authenticatorAttachment: word, residentKey: word, requireResidentKey: fc.boolean(), userVerification: word },
      { requiredKeys: [] },
    ), 1),
    hints: sometimes(fc.array(word, { maxLength: 3 }), 3),
    attestation: word,
    attestationFormats: fc.array(fc.constantFrom('packed', 'none', 'tpm', 'x'), { maxLength: 3 }),
    extensions: sometimes(creationExtensions, 3),
  },
  { requiredKeys: ['rp', 'user', 'challenge', 'pubKeyCredParams'] },
);

export const requestModel = fc.record(
  {
    challenge: bytes(0, 64),
    timeout: fc.nat(),
    rpId,
    allowCredentials: sometimes(fc.array(descriptor, { maxLength: 4 }), 1),
    userVerification: word,
    hints: sometimes(fc.array(word, { maxLength: 3 }), 3),
    extensions: sometimes(requestExtensions, 3),
  },
  { requiredKeys: ['challenge'] },
);

// ---------------------------------------------------------------------------------------
// Rendering a model in a form

function bufferSource(b: Bytes): unknown {
  const { bytes: u8 } = b;
  switch (b.view) {
    case 0:
      return u8.slice();
    case 1:
      return u8.slice().buffer;
    case 2: {
      // A view into the middle of a larger buffer.
      const big = new Uint8Array(u8.length + 6);
      big.set(u8, 3);
      return new DataView(big.buffer, 3, u8.length);
    }
    case 3:
      return u8.length % 2 === 0 ? new Uint16Array(u8.slice().buffer) : u8.slice();
    default:
      return Buffer.from(u8);
  }
}

function isBytes(x: unknown): x is Bytes {
  return typeof x === 'object' && x !== null && (x as Bytes).bytes instanceof Uint8Array && typeof (x as Bytes).view === 'number';
}

/** The model with every Bytes as the form has it. */
export function render(model: unknown, form: Form): unknown {
  if (isSeedRef(model)) return render(resolve(model), form);
  if (typeof model === 'string' && model.startsWith(SEED_KEY)) {
    const [seed, index] = model.slice(SEED_KEY.length).split(':');
    return toBase64url(resolve({ seed: seed as SeedRef['seed'], index: Number(index), view: 0 }).bytes);
  }
  if (isBytes(model)) return form === 'json' ? toBase64url(model.bytes) : bufferSource(model);
  if (Array.isArray(model)) return model.map((m) => render(m, form));
  if (typeof model === 'object' && model !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(model)) out[render(k, form) as string] = render(v, form);
    return out;
  }
  return model;
}

// ---------------------------------------------------------------------------------------
// Mutations

const HUGE_STRING = 'A'.repeat(200_000);
const HUGE_ARRAY = Array.from({ length: 5_000 }, () => ({ type: 'public-key', id: 'AAAA' }));

export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    undefined,
    null,
    true,
    false,
    0,
    -0,
    -1,
    NaN,
    Infinity,
    -Infinity,
    2 ** 53,
    1e308,
    '',
    '=',
    'AAAA=',
    '+/+/',
    'not base64url!',
    '\u{d800}',
    HUGE_STRING,
    HUGE_ARRAY,
    [],
    [null],
    {},
    { length: 3 },
    new Uint8Array(0),
    new ArrayBuffer(65),
    -7,
    '-7',
    'public-key',
    'example.com',
  ),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 }),
  fc.uint8Array({ maxLength: 70 }).map((u) => toBase64url(u)),
);

export interface Mutation {
  at: number;
  op: 'delete' | 'set' | 'add';
  key: string;
  value: unknown;
}

const someMutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.record({
    at: fc.nat(),
    op: fc.constantFrom<Mutation['op']>('delete', 'set', 'set', 'add'),
    key: fc.constantFrom('id', 'alg', 'type', 'name', 'challenge', 'extensions', 'prf', 'eval', 'first', '__proto__', 'constructor', 'toJSON', 'x'),
    value: junk,
  }),
  { minLength: 1, maxLength: 3 },
);

/** Half the cases keep their valid options: those must reach the authenticator and succeed. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.oneof(fc.constant<Mutation[]>([]), someMutations);

type Container = Record<string, unknown> | unknown[];

/** Every object or array in `value` (not inside binary data), with the keys they hold. */
function containers(value: unknown, out: Container[] = []): Container[] {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return out;
  if (value === HUGE_ARRAY) return out;
  out.push(value as Container);
  for (const v of Object.values(value)) containers(v, out);
  return out;
}

/** Applies the mutations in place (the rendered options are the case's own). */
export function mutate(options: unknown, list: readonly Mutation[]): unknown {
  for (const m of list) {
    const all = containers(options);
    if (all.length === 0) return options;
    const target = all[m.at % all.length]!;
    const keys = Object.keys(target);
    if (m.op === 'add' || keys.length === 0) {
      Object.defineProperty(target, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
      continue;
    }
    const key = keys[m.at % keys.length]!;
    if (m.op === 'delete') {
      // Not splice: a mutation may have given the array its own `constructor`.
      const index = Number(key);
      if (Array.isArray(target) && Number.isInteger(index)) {
        for (let i = index; i < target.length - 1; i++) target[i] = target[i + 1];
        target.length -= 1;
      } else delete (target as Record<string, unknown>)[key];
    } else (target as Record<string, unknown>)[key] = m.value;
  }
  return options;
}
