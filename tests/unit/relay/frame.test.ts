import { describe, expect, it } from 'vitest';
import { activationTracker } from '../../../src/relay/activation';
import { frameFacts, type FrameScope } from '../../../src/relay/frame';

const scope = (over: Partial<FrameScope> = {}): FrameScope => ({
  document: { permissionsPolicy: { allowsFeature: (feature) => feature === 'publickey-credentials-get' } },
  location: { ancestorOrigins: ['https://top.example'] },
  navigator: { userActivation: { isActive: true } },
  isSecureContext: true,
  ...over,
});

describe("the relay's facts about its frame", () => {
  it('reads the permissions policy, the secure context and the ancestors from its own world', () => {
    expect(frameFacts(scope(), activationTracker())(false)).toEqual({
      createAllowed: false,
      getAllowed: true,
      transientActivation: true,
      policyKnown: true,
      secureContext: true,
      ancestorOrigins: ['https://top.example'],
    });
  });

  it('says the policy is unknown without a policy object (Firefox), and leaves out ancestors it cannot read', () => {
    const facts = frameFacts(scope({ document: {}, location: {}, navigator: {} }), activationTracker())(false);
    expect(facts).toEqual({ createAllowed: true, getAllowed: true, transientActivation: false, policyKnown: false, secureContext: true });
  });

  it('lets one create use the activation up, but not a get', () => {
    const facts = frameFacts(scope(), activationTracker());
    expect(facts(false).transientActivation).toBe(true);
    expect(facts(true).transientActivation).toBe(true);
    expect(facts(true).transientActivation).toBe(false);
  });
});
