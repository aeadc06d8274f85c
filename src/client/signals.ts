// The Signal API's client side (L3 §5.1.10): PublicKeyCredential.signalUnknownCredential,
// signalAllAcceptedCredentials and signalCurrentUserDetails, after the page's WebIDL
// conversion. The answer depends on the options and the caller's origin only, never on the
// vault (L3 §14.5.2): the service worker replies with it first, and the authenticator applies
// the signal after.

import type { AuthenticatorSignal } from '../authenticator/signals';
import { fromBase64url } from '../protocol/base64url';
import type { CeremonyResponse, SignalRequest } from '../protocol/messages';
import { isNeverSite, type NeverList } from './decide';
import { failure, toCeremonyError } from './errors';
import { resolveRpIdWithRelatedOrigins, type RelatedOriginsSource } from './rp-id';

export interface SignalDeps {
  neverList?: NeverList;
  relatedOrigins?: RelatedOriginsSource;
}

export interface SignalOutcome {
  response: CeremonyResponse;
  /** What the authenticator is to apply, once the page has its answer. */
  signal?: AuthenticatorSignal;
}

class NotBase64url extends Error {}

/** L3 §5.1.10 steps "base64url decode ...; if that fails, throw a TypeError". */
function decode(text: string | undefined): Uint8Array {
  const bytes = text === undefined ? undefined : fromBase64url(text);
  if (!bytes) throw new NotBase64url();
  return bytes;
}

function parse(request: SignalRequest): AuthenticatorSignal {
  const { rpId, credentialId, userId, allAcceptedCredentialIds, name, displayName } = request.options;
  switch (request.method) {
    case 'signalUnknownCredential':
      return { kind: 'unknown', rpId, credentialId: decode(credentialId) };
    case 'signalAllAcceptedCredentials':
      return { kind: 'accepted', rpId, userHandle: decode(userId), credentialIds: (allAcceptedCredentialIds ?? []).map(decode) };
    case 'signalCurrentUserDetails':
      return { kind: 'details', rpId, userHandle: decode(userId), name: name ?? '', displayName: displayName ?? '' };
  }
}

export async function signal(request: SignalRequest, origin: string, deps: SignalDeps = {}): Promise<SignalOutcome> {
  let parsed: AuthenticatorSignal;
  try {
    parsed = parse(request);
  } catch {
    return { response: toCeremonyError(failure('InvalidSignalId')) };
  }
  // The user's "never for this site" list: the browser's own method answers.
  if (isNeverSite(deps.neverList, { rpId: parsed.rpId, origin })) return { response: { type: 'fallback', hints: [] } };
  // L3 §5.1.10 "validate the RP ID" as get() does (L3 §5.1.4.1 step 7), related origins included:
  // SecurityError unless rpId is the origin's effective domain or a registrable suffix of it.
  const rpId = await resolveRpIdWithRelatedOrigins(origin, parsed.rpId, deps.relatedOrigins);
  if (!rpId.ok) return { response: toCeremonyError(rpId.failure) };
  return { response: { type: 'signaled' }, signal: parsed };
}

