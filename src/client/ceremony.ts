// The WebAuthn client algorithm for one ceremony, as the service worker runs it: L3 §5.1.3
// [[Create]] and §5.1.4.1 [[DiscoverFromExternalSource]], for one platform authenticator.
// Step numbers follow the L3 Editor's Draft. Errors and fallbacks are values (CeremonyResponse),
// never exceptions.

import { unexpected } from '../authenticator/outcome';
import type { AuthenticatorOutcome } from '../authenticator/types';
import type { CeremonyResponse, CredentialMediationRequirementName, FrameFacts } from '../protocol/messages';
import type {
  AuthenticationExtensionsClientOutputsJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '../protocol/webauthn-json';
import type { Authenticator } from './authenticator-api';
import type { CallerContext } from './caller';
import { clientDataHash, collectClientData, serializeClientData } from './client-data';
import { decideAfterAuthenticator, decideBeforeUi, type NeverList } from './decide';
import { failure, toCeremonyError, type Failure } from './errors';
import {
  attestationFormat,
  challengeText,
  effectiveResidentKey,
  effectiveUserVerification,
  parseCreationOptions,
  parseRequestOptions,
} from './options';
import { creationExtensions, creationOutputs, requestExtensions, requestOutputs } from './extensions';
import { authenticationResponseJSON, registrationResponseJSON } from './response-json';
import { resolveRpIdWithRelatedOrigins, type RelatedOriginsSource } from './rp-id';

export type Caller = CallerContext & { frame: FrameFacts };

export interface CeremonyDeps {
  authenticator: Authenticator;
  /** Aborts on lifetimeTimer expiry or when the relay's port closes (see lifetimeSignal). */
  signal: AbortSignal;
  /** The user's "never for this site" list; empty by default. */
  neverList?: NeverList;
  /** The user chose "offer the browser first": a create goes to the browser's dialog. */
  browserFirst?: boolean;
  /** Whether the authenticator can verify the user: a PIN is set. */
  userVerificationAvailable?: boolean;
  /** Related origin requests (L3 §5.11): the origins an RP ID's well-known document lists. */
  relatedOrigins?: RelatedOriginsSource;
}

/** collectedClientData for this caller, its JSON serialization and that JSON's SHA-256. */
async function clientDataFor(type: 'webauthn.create' | 'webauthn.get', challenge: Uint8Array, caller: Caller) {
  const clientDataJSON = serializeClientData(
    collectClientData({
      type,
      challenge: challengeText(challenge),
      origin: caller.origin,
      topOrigin: caller.topOrigin,
      sameOriginWithAncestors: caller.sameOriginWithAncestors,
    }),
  );
  return { clientDataJSON, hash: await clientDataHash(clientDataJSON) };
}

function error(f: Failure): CeremonyResponse {
  return toCeremonyError(f);
}

/**
 * Waits for the authenticator unless the signal aborts first. The authenticator is not
 * cancelled from here: the service worker closes the prompt on the same signal.
 */
function untilAborted<T>(signal: AbortSignal, work: () => Promise<AuthenticatorOutcome<T>>): Promise<AuthenticatorOutcome<T> | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    work()
      .then(
        (outcome) => resolve(outcome),
        // An exception from the authenticator is a failure like any other (UnknownError).
        (e: unknown) => resolve(unexpected(e)),
      )
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * A caller that is not same-origin with its ancestors, in a frame whose permissions policy the
 * relay could not read (Firefox has no API for it): whether publickey-credentials-create or
 * -get was granted is unknown here, so the ceremony is the browser's, which enforces it. Where
 * the relay has no location.ancestorOrigins either (older Firefox), that is every framed
 * caller: no ancestor counts as same-origin (caller.ts).
 */
function policyUnknown(caller: Caller): boolean {
  return !caller.sameOriginWithAncestors && !caller.frame.policyKnown;
}

export async function createCredential(
  request: { options: PublicKeyCredentialCreationOptionsJSON },
  caller: Caller,
  deps: CeremonyDeps,
): Promise<CeremonyResponse> {
  // Where the frame's permissions policy cannot be read, the browser, which can, takes it.
  if (policyUnknown(caller)) return { type: 'fallback', hints: [] };
  // L3 §5.1.3 step 2 (and Credential Management's permissions policy check before it): a
  // caller that is not same-origin with its ancestors needs publickey-credentials-create and
  // transient activation, or NotAllowedError.
  if (!caller.sameOriginWithAncestors && !(caller.frame.createAllowed && caller.frame.transientActivation)) {
    return error(failure('CrossOriginCreateDenied'));
  }
  // L3 §5.1.3 step 3, 5: pkOptions, its WebIDL members and user.id's length (TypeError).
  // Step 4 (lifetimeTimer) is the service worker's: see timeout.ts and deps.signal.
  const parsed = parseCreationOptions(request.options);
  if (!parsed.ok) return error(parsed.failure);
  const pkOptions = parsed.value;

  // L3 §5.1.3 step 6-8: opaque origin -> NotAllowedError, effective domain and rp.id ->
  // SecurityError, unless the RP ID lists the caller as a related origin (L3 §5.11).
  const rpId = await resolveRpIdWithRelatedOrigins(caller.origin, pkOptions.rpId, deps.relatedOrigins);
  if (!rpId.ok) return error(rpId.failure);

  // L3 §5.1.3 step 9-10: credTypesAndPubKeyAlgs. None that Latchkey supports is a case it
  // cannot serve: the browser takes it, before any UI (a security key may support one).
  if (pkOptions.algorithms.length === 0) return { type: 'fallback', hints: [] };

  // Serve or fall back, before any UI (docs/architecture.md). The browser then runs the RP's own options.
  const before = decideBeforeUi({
    site: { rpId: rpId.value, origin: caller.origin },
    hints: pkOptions.hints,
    authenticatorAttachment: pkOptions.authenticatorAttachment,
    userVerification: pkOptions.userVerification,
    userVerificationAvailable: deps.userVerificationAvailable ?? false,
    ...(deps.neverList === undefined ? {} : { never: deps.neverList }),
    browserFirst: deps.browserFirst ?? false,
  });
  if (before.kind === 'fallback') return { type: 'fallback', hints: before.hints };

  // L3 §5.1.3 step 11-12: client extensions. Latchkey processes credProps (client-only, an
  // output after success), prf and largeBlob; unknown extensions are ignored.
  const extensions = creationExtensions(request.options.extensions);
  if (!extensions.ok) return error(extensions.failure);

  // L3 §5.1.3 step 13-15: collectedClientData, clientDataJSON, clientDataHash.
  const { clientDataJSON, hash } = await clientDataFor('webauthn.create', pkOptions.challenge, caller);

  // L3 §5.1.3 step 16: an aborted signal ends the ceremony before the authenticator is asked.
  // L3 §5.1.3 step 22 (the lifetimeTimer loop), for Latchkey's one platform authenticator:
  // the effective resident key and user verification requirements, then authenticatorMakeCredential.
  const outcome = await untilAborted(deps.signal, () =>
    deps.authenticator.makeCredential({
      clientDataHash: hash,
      rp: { id: rpId.value, name: pkOptions.rpName },
      user: pkOptions.user,
      algorithms: pkOptions.algorithms,
      excludeCredentialIds: pkOptions.excludeCredentialIds,
      requireResidentKey: effectiveResidentKey(pkOptions),
      requireUserVerification: effectiveUserVerification(pkOptions.userVerification, deps.userVerificationAvailable ?? false),
      attestationFormat: attestationFormat(pkOptions.attestation),
      ...(extensions.value.prf ? { prf: extensions.value.prf } : {}),
    }),
  );
  // The page rejects with its own signal's reason; an abort here is the timer or the port.
  if (outcome === 'aborted') return error(failure('Aborted'));

  const after = decideAfterAuthenticator(outcome);
  if (after !== undefined) return { type: 'fallback', hints: after.hints };
  // "InvalidStateError" (an excluded credential, with the user's consent) is told apart;
  // other errors map through the one table.
  if (outcome.kind === 'error') return error(failure(outcome.code));
  if (outcome.kind !== 'ok') return error(failure('Other'));

  // "If any authenticator indicates success": credentialCreationData, with the client
  // extension outputs (credProps, L3 §10.1.3: rk is the truth for Latchkey).
  const clientExtensionResults: AuthenticationExtensionsClientOutputsJSON = {};
  if (pkOptions.credProps) clientExtensionResults.credProps = { rk: outcome.value.residentKey };
  // L3 §10.1.2: appidExclude's output is true only when a FIDO U2F credential was excluded
  // by it; Latchkey holds none.
  if (pkOptions.appidExclude) clientExtensionResults.appidExclude = false;
  creationOutputs(extensions.value, outcome.value, clientExtensionResults);
  return { type: 'created', credential: registrationResponseJSON(outcome.value, clientDataJSON, clientExtensionResults) };
}

export async function getAssertion(
  request: { options: PublicKeyCredentialRequestOptionsJSON; mediation: CredentialMediationRequirementName },
  caller: Caller,
  deps: CeremonyDeps,
): Promise<CeremonyResponse> {
  if (policyUnknown(caller)) return { type: 'fallback', hints: [] };
  // Credential Management checks publickey-credentials-get before [[DiscoverFromExternalSource]];
  // a frame that is not same-origin with its ancestors must have been granted it.
  if (!caller.sameOriginWithAncestors && !caller.frame.getAllowed) return error(failure('CrossOriginGetDenied'));

  // L3 §5.1.4.1 step 2: pkOptions (its WebIDL members).
  const parsed = parseRequestOptions(request.options);
  if (!parsed.ok) return error(parsed.failure);
  const pkOptions = parsed.value;
  // L3 §5.1.4.1 step 3-4: under conditional mediation allowCredentials becomes the
  // credentialIdFilter and lifetimeTimer is infinite (the service worker sets no timer).
  // Every Latchkey credential is discoverable, so filtering discoverable credentials by the
  // filter is the same as asking for the listed ones: the ids are passed on either way.

  // L3 §5.1.4.1 step 5-7: opaque origin -> NotAllowedError, effective domain and rpId ->
  // SecurityError, unless the RP ID lists the caller as a related origin (L3 §5.11).
  const rpId = await resolveRpIdWithRelatedOrigins(caller.origin, pkOptions.rpId, deps.relatedOrigins);
  if (!rpId.ok) return error(rpId.failure);

  const before = decideBeforeUi({
    site: { rpId: rpId.value, origin: caller.origin },
    hints: pkOptions.hints,
    userVerification: pkOptions.userVerification,
    userVerificationAvailable: deps.userVerificationAvailable ?? false,
    ...(deps.neverList === undefined ? {} : { never: deps.neverList }),
  });
  if (before.kind === 'fallback') return { type: 'fallback', hints: before.hints };

  // L3 §5.1.4.1 step 8-9: client extensions. appid is answered after the assertion; prf and
  // largeBlob go to the authenticator; unknown ones are ignored.
  const extensions = requestExtensions(request.options.extensions, pkOptions.allowCredentialIds);
  if (!extensions.ok) return error(extensions.failure);

  // L3 §5.1.4.1 step 10-12: collectedClientData, clientDataJSON, clientDataHash.
  const { clientDataJSON, hash } = await clientDataFor('webauthn.get', pkOptions.challenge, caller);

  // L3 §5.1.4.1 step 13: an aborted signal ends the ceremony before the authenticator is asked.
  // L3 §5.1.4.2 (issuing a credential request): the effective user verification requirement,
  // then authenticatorGetAssertion with rpId, clientDataHash and the allowed credential ids.
  const outcome = await untilAborted(deps.signal, () =>
    deps.authenticator.getAssertion({
      rpId: rpId.value,
      clientDataHash: hash,
      allowCredentialIds: pkOptions.allowCredentialIds,
      requireUserVerification: effectiveUserVerification(pkOptions.userVerification, deps.userVerificationAvailable ?? false),
      // L3 §14.5.2: a conditional get waits for the user whatever the vault holds.
      ...(request.mediation === 'conditional' ? { conditional: true } : {}),
      ...extensions.value,
    }),
  );
  if (outcome === 'aborted') return error(failure('Aborted'));

  // No credential in the vault (before any UI), or the user chose another device.
  const after = decideAfterAuthenticator(outcome);
  if (after !== undefined) return { type: 'fallback', hints: after.hints };
  if (outcome.kind === 'error') return error(failure(outcome.code));
  if (outcome.kind !== 'ok') return error(failure('Other'));

  // L3 §10.1.1: appid's output is true only when the AppID was used as the RP ID; Latchkey
  // always asserts for the RP ID.
  const clientExtensionResults: AuthenticationExtensionsClientOutputsJSON = pkOptions.appid ? { appid: false } : {};
  requestOutputs(outcome.value, clientExtensionResults);
  return { type: 'asserted', credential: authenticationResponseJSON(outcome.value, clientDataJSON, clientExtensionResults) };
}
