// Counterexamples the property suites found (shrunk by fast-check), kept as plain tests.

import { describe, expect, it } from 'vitest';
import { validateRelayRequest } from '../../../src/protocol/validate';

const frame = { createAllowed: false, getAllowed: false, transientActivation: false, policyKnown: true, secureContext: true };

describe('property counterexamples', () => {
  // Structured clone (window.postMessage, Firefox's runtime ports) keeps an array's own
  // non-index members: a page can send an array whose own `constructor` is not one.
  it('the worker validator answers, and does not throw, for an array member that has its own constructor', () => {
    const hints = Object.defineProperty([], 'constructor', { value: false, enumerable: true });
    const message = structuredClone({
      type: 'create',
      options: { rp: { name: '' }, user: { id: 'AA', name: '', displayName: '' }, challenge: '', pubKeyCredParams: [], hints },
      frame,
    });
    const validation = validateRelayRequest(message);
    expect(validation).toMatchObject({ ok: true, value: { options: { hints: [] } } });
    if (validation.ok && validation.value.type === 'create') expect(Object.keys(validation.value.options.hints ?? {})).toEqual([]);
  });
});
