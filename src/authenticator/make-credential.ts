// authenticatorMakeCredential (L3 §6.3.2), for Latchkey's one software authenticator.

import { bytesEqual, wipe } from '../crypto/bytes';
import { randomBytes } from '../crypto/random';
import { generateKeyPair, sign } from '../crypto/signature';
import { encodeSpki } from '../crypto/spki';
import { LATCHKEY_AAGUID } from './aaguid';
import { chooseAlgorithm, coseAlgorithmOf } from './algorithms';
import { buildAttestationObject } from './attestation';
import { buildAuthenticatorData } from './authenticator-data';
import { encodeCoseKey } from './cose';
import type { AuthenticatorDeps } from './deps';
import { declined, fail, ok, unexpected } from './outcome';
import type { CredentialRecord } from './ports';
import { evaluatePrf, newPrfSecrets } from './prf';
import { truncateUtf8 } from './truncate';
import type { AuthenticatorOutcome, MakeCredentialParams, MakeCredentialResult } from './types';

/** docs/architecture.md#credentials: credential ids are 16 random bytes. */
const CREDENTIAL_ID_BYTES = 16;

/** What the prompt offers as the passkey's name until the user edits it. */
export function defaultFriendlyName(user: { name: string; displayName: string }, rpId: string): string {
  const who = user.name || user.displayName;
  return who ? `${who} on ${rpId}` : rpId;
}

function wellFormed(params: MakeCredentialParams): string | undefined {
  if (params.clientDataHash.length !== 32) return 'clientDataHash must be 32 bytes';
  if (params.rp.id.length === 0) return 'rp.id is empty';
  // L3 §5.4.3: user.id is at most 64 bytes; §5.1.3 has already rejected an empty one.
  if (params.user.id.length === 0 || params.user.id.length > 64) return 'user.id must be 1 to 64 bytes';
  return undefined;
}

export async function makeCredential(
  deps: AuthenticatorDeps,
  params: MakeCredentialParams,
): Promise<AuthenticatorOutcome<MakeCredentialResult>> {
  try {
    return await run(deps, params);
  } catch (cause) {
    // L3 §6.3.2 step 8: any error while creating the credential is "UnknownError".
    return unexpected(cause);
  }
}

async function run(deps: AuthenticatorDeps, given: MakeCredentialParams): Promise<AuthenticatorOutcome<MakeCredentialResult>> {
  const { store, ui } = deps;
  // L3 §6.4.1: the strings the page chose are cut to 64 bytes before they are shown or stored.
  const params: MakeCredentialParams = {
    ...given,
    rp: { ...given.rp, name: truncateUtf8(given.rp.name) },
    user: { ...given.user, name: truncateUtf8(given.user.name), displayName: truncateUtf8(given.user.displayName) },
  };
  const rp = params.rp;

  // L3 §6.3.2 step 1: parameters well formed, else "UnknownError".
  const malformed = wellFormed(params);
  if (malformed) return fail('Other', malformed);

  // L3 §6.3.2 step 2: the first supported algorithm in the RP's order, else "NotSupportedError".
  const algorithm = await chooseAlgorithm(params.algorithms);
  if (!algorithm) return fail('UnsupportedAlgorithm', 'None of the requested algorithms is supported');

  // L3 §6.3.2 step 5: UV is required and this authenticator cannot verify the user (its UI has
  // no PIN; docs/architecture.md#user-verification). Checked before step 3 so that no prompt shows for
  // a ceremony the client will hand to the browser.
  if (params.requireUserVerification && !deps.userVerification) {
    return fail('UnsupportedOption', 'This authenticator cannot verify the user');
  }

  // L3 §6.3.2 step 3: a credential in excludeCredentials that this authenticator holds for this
  // RP. The user acknowledges it (a test of user presence) before the RP learns of it.
  // The site names these, so it knows them: evidence that retires older passkeys of their account.
  if (params.excludeCredentialIds.length > 0) await store.siteKnows(rp.id, params.excludeCredentialIds);
  // The list is read at once (one transaction in the vault), whatever its length.
  const listed = params.excludeCredentialIds.length ? await store.getMany(params.excludeCredentialIds) : [];
  for (const existing of listed) {
    // A passkey the site's signal hid is one it said it no longer knows: not in the way.
    if (!existing || existing.rpId !== rp.id || existing.hidden !== undefined) continue;
    const answer = await ui.acknowledgeExcluded({ rp, existing });
    if (answer.kind !== 'approve') return declined(answer);
    return fail('CredentialExcluded', 'A credential in excludeCredentials is already here');
  }

  // L3 §6.3.2 step 4: requireResidentKey needs nothing: every credential is discoverable.

  // L3 §6.3.2 step 6: the user's consent, which is the test of user presence (UP), and the
  // authorization gesture that includes user verification when it is required.
  const suggested = defaultFriendlyName(params.user, rp.id);
  // The account's current passkey, if it never signed in: perhaps it never reached the site.
  const current = (await store.listByRpId(rp.id)).find(
    (earlier) => bytesEqual(earlier.userHandle, params.user.id) && earlier.hidden === undefined && earlier.supersededBy === undefined,
  );
  const consent = await ui.confirmCreate({
    rp,
    user: { name: params.user.name, displayName: params.user.displayName },
    defaultFriendlyName: suggested,
    userVerification: params.requireUserVerification,
    ...(current && current.lastUsedAt === null ? { replacing: current } : {}),
  });
  if (consent.kind !== 'approve') return declined(consent);
  // L3 §6.3.2 step 6: "If requireUserVerification is true, the authorization gesture MUST include user verification."
  if (params.requireUserVerification && !consent.userVerified) return fail('OperationDenied', 'The user was not verified');

  // L3 §6.3.2 step 7: the key pair, a new credential id, and credentials[(rpId, userHandle)]
  // set to the new source: earlier ones for the same rpId and user.id are superseded
  // (docs/architecture.md#a-create-for-the-same-rpid-and-userid).
  const { privateKey, publicKey } = await generateKeyPair(algorithm);
  try {
    const credentialId = randomBytes(CREDENTIAL_ID_BYTES);
    const credentialPublicKey = encodeCoseKey(publicKey);
    const alg = coseAlgorithmOf(algorithm);

    // L3 §6.3.2 steps 10-13: sign counter 0, attestedCredentialData, authenticatorData. UV is
    // what the UI verified in this ceremony, and nothing else; BS is 0 for a credential that
    // has never left this vault.
    const authenticatorData = buildAuthenticatorData({
      rpId: rp.id,
      userPresent: true,
      userVerified: consent.userVerified,
      backupState: false,
      attestedCredentialData: { aaguid: LATCHKEY_AAGUID, credentialId, credentialPublicKey },
    });

    // L3 §6.3.2 steps 12 and 14: the attestation object in the format the client chose.
    const attestationObject = await buildAttestationObject(params.attestationFormat, authenticatorData, params.clientDataHash, {
      alg,
      sign: (message) => sign(algorithm, privateKey, message),
    });

    const record = newRecord(deps, params, { credentialId, alg, credentialPublicKey, friendlyName: consent.friendlyName.trim() || suggested });
    const supersedes = (await store.listByRpId(rp.id))
      .filter((earlier) => bytesEqual(earlier.userHandle, params.user.id))
      .map((earlier) => earlier.credentialId);
    // CTAP2.1 §12.5 hmac-secret: every credential gets its two PRF secrets; eval at create
    // uses the one this ceremony's UV flag selects.
    const prfSecrets = newPrfSecrets();
    const evaluate = params.prf?.eval;
    const results = evaluate && (await evaluatePrf(consent.userVerified ? prfSecrets.withUV : prfSecrets.withoutUV, evaluate));
    // Stored last, so that nothing is kept when an earlier step failed.
    try {
      await store.create(record, privateKey, supersedes, { prf: prfSecrets });
    } finally {
      wipe(prfSecrets.withUV);
      wipe(prfSecrets.withoutUV);
    }

    return ok({
      credentialId,
      authenticatorData,
      attestationObject,
      publicKeySpki: encodeSpki(publicKey),
      alg,
      residentKey: true,
      transports: ['internal'],
      prf: results ? { enabled: true, results } : { enabled: true },
    });
  } finally {
    wipe(privateKey);
  }
}

function newRecord(
  deps: AuthenticatorDeps,
  params: MakeCredentialParams,
  made: { credentialId: Uint8Array; alg: number; credentialPublicKey: Uint8Array; friendlyName: string },
): CredentialRecord {
  return {
    credentialId: made.credentialId,
    rpId: params.rp.id,
    rpName: params.rp.name,
    userHandle: params.user.id.slice(),
    userName: params.user.name,
    userDisplayName: params.user.displayName,
    friendlyName: made.friendlyName,
    alg: made.alg,
    publicKey: made.credentialPublicKey,
    discoverable: true,
    backupState: false,
    createdAt: deps.now(),
    lastUsedAt: null,
  };
}
