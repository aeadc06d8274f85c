// Property-based tests of the client (src/client) and the authenticator over the real vault:
// random and mutated create/get options, as a page would pass them to navigator.credentials or
// post them in the JSON form, give a spec error, a step aside to the browser, or a credential
// @simplewebauthn/server verifies; never an unhandled rejection; never a vault change after a
// failed ceremony. LATCHKEY_FUZZ_RUNS sets the cases per property (npm run soak: 10,000).

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../../src/client';
import { readCall } from '../../../src/page/options';
import { validateRelayRequest } from '../../../src/protocol/validate';
import { creationModel, mutate, mutations, render, requestModel, type Form } from './arbitraries';
import { CALLERS, check, RUNS, runCeremony, runProperty, seedTemplate, unhandled, userScript, type Ceremony, type UserScript } from './harness';

// A soak runs 10,000 cases per property: allow it the time (a few seconds in `npm test`).
const TIMEOUT = Math.max(180_000, RUNS * 200);

beforeAll(seedTemplate, 120_000);

const MEDIATIONS = ['optional', 'required', 'conditional', 'silent', undefined, 'junk'] as const;
/** Mostly a mediation Latchkey serves. */
const mediation = fc.oneof({ arbitrary: fc.constantFrom(undefined, 'optional'), weight: 4 }, fc.constantFrom(...MEDIATIONS));

interface Case {
  model: unknown;
  form: Form;
  mutations: Parameters<typeof mutate>[1];
  caller: Caller;
  user: UserScript;
  uvAvailable: boolean;
  mediation: (typeof MEDIATIONS)[number];
}

const caseOf = (kind: 'create' | 'get', form: Form) =>
  fc.record({
    model: kind === 'create' ? creationModel : requestModel,
    form: fc.constant(form),
    mutations,
    // Mostly callers that may use example.com, so that cases reach the authenticator.
    caller: fc.oneof({ arbitrary: fc.constantFrom(...CALLERS.slice(0, 2)), weight: 3 }, fc.constantFrom(...CALLERS)),
    user: userScript,
    uvAvailable: fc.boolean(),
    mediation,
  });

const frameOf = (caller: Caller) => caller.frame;

/**
 * The page's path: navigator.credentials[kind]({ publicKey, mediation }) through the page
 * script's conversion (a TypeError, or the browser's call), the relay's structured clone and
 * the worker's validator, which must accept whatever the page script produced.
 */
function pagePath(kind: 'create' | 'get', c: Case): Ceremony['request'] {
  return () => {
    const publicKey = mutate(render(c.model, 'page'), c.mutations);
    let call;
    try {
      call = readCall(kind, { publicKey, ...(c.mediation === undefined ? {} : { mediation: c.mediation }) });
    } catch (e) {
      return { ok: false, outcome: { type: 'page-error', name: (e as Error).name ?? String(e) } };
    }
    if (call === undefined) return { ok: false, outcome: { type: 'browser' } };
    let message: unknown;
    try {
      message = structuredClone({ ...call.request, frame: frameOf(c.caller) });
    } catch (e) {
      return { ok: false, outcome: { type: 'page-error', name: (e as Error).name } };
    }
    const validation = validateRelayRequest(message);
    if (!validation.ok) throw new Error(`the worker drops what the page script sent: ${validation.reason}`);
    const request = validation.value;
    if (request.type !== kind) throw new Error(`sent ${request.type} for ${kind}`);
    return { ok: true, options: request.options, ...(request.type === 'get' ? { mediation: request.mediation } : {}) };
  };
}

/** A hostile page's path: the JSON form posted straight to the relay, checked by the worker's validator. */
function jsonPath(kind: 'create' | 'get', c: Case): Ceremony['request'] {
  return () => {
    const options = mutate(render(c.model, 'json'), c.mutations);
    const message = { type: kind, options, ...(kind === 'get' ? { mediation: c.mediation } : {}), frame: frameOf(c.caller) };
    const validation = validateRelayRequest(structuredClone(message));
    if (!validation.ok) return { ok: false, outcome: { type: 'dropped' } };
    const request = validation.value;
    if (request.type !== kind) throw new Error(`validated ${request.type} for ${kind}`);
    return { ok: true, options: request.options, ...(request.type === 'get' ? { mediation: request.mediation } : {}) };
  };
}

async function oneCase(kind: 'create' | 'get', c: Case): Promise<string> {
  let options: unknown;
  const path = c.form === 'page' ? pagePath(kind, c) : jsonPath(kind, c);
  const request: Ceremony['request'] = () => {
    const r = path();
    if (r.ok) options = r.options;
    return r;
  };
  const result = await runCeremony({ kind, caller: c.caller, user: c.user, uvAvailable: c.uvAvailable, request });
  return check(result, { kind, caller: c.caller, options });
}

function property(kind: 'create' | 'get', form: Form) {
  const name = `${kind} (${form === 'page' ? 'page options' : 'JSON form'})`;
  it(
    `${name}: every case gives a spec error, the browser's own call, or a response @simplewebauthn/server verifies; failures change nothing`,
    async () => {
      const figures = await runProperty(name, caseOf(kind, form), (c) => oneCase(kind, c));
      expect(figures.failures).toBe(0);
      // The generators reach every kind of outcome, not only the early refusals.
      expect(Object.keys(figures.outcomes)).toEqual(expect.arrayContaining(RUNS >= 100 ? [kind === 'create' ? 'created' : 'asserted'] : []));
      expect(unhandled).toEqual([]);
    },
    TIMEOUT,
  );
}

describe('client and authenticator properties (fast-check, real vault)', () => {
  property('create', 'page');
  property('create', 'json');
  property('get', 'page');
  property('get', 'json');
});

