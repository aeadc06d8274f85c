// What the relay sees truthfully of its frame, in a world the page cannot reach (docs/architecture.md
// "A ceremony, end to end", step 2). The service worker takes these over anything the page sent.

import type { FrameFacts } from '../protocol/messages';
import type { ActivationTracker } from './activation';

interface PolicyLike {
  allowsFeature(feature: string): boolean;
}

/** What of the relay's window the facts are read from. */
export interface FrameScope {
  document: { permissionsPolicy?: PolicyLike; featurePolicy?: PolicyLike };
  location: { ancestorOrigins?: ArrayLike<string> };
  navigator: { userActivation?: { isActive: boolean } };
  isSecureContext: boolean;
}

/** The frame's facts for a request; `create` says whether it is a create (which uses the activation up). */
export const frameFacts =
  (scope: FrameScope, activation: ActivationTracker) =>
  (create: boolean): FrameFacts => {
    const { document: doc, location, navigator } = scope;
    const policy = doc.permissionsPolicy ?? doc.featurePolicy;
    const ancestors = location.ancestorOrigins;
    // Without a policy object (Firefox) nothing here can be read: the default allowlist of both
    // features is 'self', which the service worker checks by origin, and a frame that is not
    // same-origin with its ancestors goes to the browser's own WebAuthn (client/ceremony.ts).
    return {
      createAllowed: policy ? policy.allowsFeature('publickey-credentials-create') : true,
      getAllowed: policy ? policy.allowsFeature('publickey-credentials-get') : true,
      transientActivation: activation.take(navigator.userActivation?.isActive ?? false, create),
      policyKnown: policy !== undefined,
      secureContext: scope.isSecureContext,
      // Without ancestorOrigins (older Firefox) the service worker knows no ancestor's origin.
      ...(ancestors ? { ancestorOrigins: Array.from(ancestors) } : {}),
    };
  };
