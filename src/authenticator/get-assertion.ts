// authenticatorGetAssertion (L3 §6.3.3), for Latchkey's one software authenticator.

import { bytesEqual, concatBytes } from '../crypto/bytes';
import { sign } from '../crypto/signature';
import { signatureAlgorithmFromCose } from './algorithms';
import { buildAuthenticatorData } from './authenticator-data';
import type { AuthenticatorDeps } from './deps';
import { declined, fail, ok, unexpected } from './outcome';
import type { CredentialRecord, CredentialStore } from './ports';
import { toBase64url } from '../protocol/base64url';
import { evaluatePrf } from './prf';
import { LARGE_BLOB_MAX_BYTES, type AuthenticatorOutcome, type PrfSalts, type GetAssertionParams, type GetAssertionResult } from './types';

export async function getAssertion(
  deps: AuthenticatorDeps,
  params: GetAssertionParams,
): Promise<AuthenticatorOutcome<GetAssertionResult>> {
  try {
    return await run(deps, params);
  } catch (cause) {
    // L3 §6.3.3 step 12: any error while generating the assertion is "UnknownError".
    return unexpected(cause);
  }
}

/**
 * L3 §6.3.3 steps 2-5: the credential options for this RP, never one a site's signal hid.
 * Named in allowCredentials: every one found, superseded ones included (a registration that
 * never reached the site must not lock the user out). Discoverable: all of this RP's shown
 * credentials, each account's current passkey before its earlier ones (the chooser shows the
 * account once, the earlier one reachable).
 */
async function credentialOptions(store: CredentialStore, params: GetAssertionParams): Promise<CredentialRecord[]> {
  if (params.allowCredentialIds.length === 0) {
    // L3 §6.3.3 step 4, then step 5 (listByRpId is already this RP's only).
    const shown = (await store.listByRpId(params.rpId)).filter((record) => record.hidden === undefined);
    return [...shown.filter((record) => !record.supersededBy), ...shown.filter((record) => record.supersededBy)];
  }
  // L3 §6.3.3 step 3, then step 5: drop what belongs to another RP.
  const options: CredentialRecord[] = [];
  for (const id of params.allowCredentialIds) {
    const record = await store.get(id);
    if (!record || record.rpId !== params.rpId || record.hidden !== undefined) continue;
    if (options.some((option) => bytesEqual(option.credentialId, record.credentialId))) continue;
    options.push(record);
  }
  return options;
}

async function run(deps: AuthenticatorDeps, params: GetAssertionParams): Promise<AuthenticatorOutcome<GetAssertionResult>> {
  const { store, ui } = deps;

  // L3 §6.3.3 step 1: parameters well formed, else "UnknownError".
  if (params.clientDataHash.length !== 32) return fail('Other', 'clientDataHash must be 32 bytes');
  if (params.rpId.length === 0) return fail('Other', 'rpId is empty');

  // L3 §6.3.3 step 7 requires UV when asked; a UI without a PIN cannot give it (docs/architecture.md#user-verification), so the ceremony goes to the browser before any prompt shows, whatever the
  // vault holds.
  if (params.requireUserVerification && !deps.userVerification) {
    return fail('UnsupportedOption', 'This authenticator cannot verify the user');
  }

  // L3 §6.3.3 steps 2-5.
  const candidates = await credentialOptions(store, params);
  const first = candidates[0];
  if (!first) {
    // L3 §6.3.3 step 6: nothing to offer, found before any UI (the client falls back)...
    if (!params.conditional) return fail('NoCredentials', 'No credential for this RP');
    // ...except under conditional mediation, where the autofill shows alike whatever the vault
    // holds, and only the user's choice ends the wait (L3 §14.5.2).
    const answer = await ui.chooseCredential({ rp: { id: params.rpId, name: params.rpId }, candidates, userVerification: params.requireUserVerification });
    return answer.kind === 'approve' ? fail('Other', 'The prompt chose a credential that was not offered') : declined(answer);
  }
  // docs/architecture.md#a-create-for-the-same-rpid-and-userid: the site, at an origin the client found
  // valid for this RP ID, names these credentials, so it knows them. An empty list is no evidence.
  if (params.allowCredentialIds.length > 0) await store.siteKnows(params.rpId, params.allowCredentialIds);

  // L3 §6.3.3 step 7: the user selects a credential, and that click is the test of user
  // presence; the same gesture includes user verification when it is required.
  const rp = { id: params.rpId, name: first.rpName };
  const answer = await ui.chooseCredential({ rp, candidates, userVerification: params.requireUserVerification });
  if (answer.kind !== 'approve') return declined(answer);
  if (params.requireUserVerification && !answer.userVerified) return fail('OperationDenied', 'The user was not verified');
  const selected = candidates.find((candidate) => bytesEqual(candidate.credentialId, answer.credentialId));
  if (!selected) return fail('Other', 'The prompt chose a credential that was not offered');

  const algorithm = signatureAlgorithmFromCose(selected.alg);
  if (!algorithm) return fail('Other', `Stored credential has unsupported alg ${selected.alg}`);

  // L3 §6.1.1: a credential that keeps a counter (an imported passkey that counted) gets the
  // next value, written with lastUsedAt in one transaction before it is used, so that no two
  // assertions carry the same value.
  const counted = selected.signCount !== undefined ? await store.countSignIn(selected.credentialId, deps.now()) : undefined;

  // L3 §6.3.3 steps 8-10: no extensions, sign counter 0 (or the kept counter),
  // authenticatorData without attestedCredentialData. UV is what the UI verified in this
  // ceremony, and nothing else; BS is what the vault knows of this credential.
  const authenticatorData = buildAuthenticatorData({
    rpId: params.rpId,
    userPresent: true,
    userVerified: answer.userVerified,
    backupState: selected.backupState,
    ...(counted ? { signCount: counted.signCount } : {}),
  });

  // L3 §6.3.3 step 11: the assertion signature over authenticatorData || clientDataHash, with
  // the private key unwrapped for this one operation.
  const message = concatBytes(authenticatorData, params.clientDataHash);
  const signature = await store.withPrivateKey(selected.credentialId, (privateKey) => sign(algorithm, privateKey, message));

  // A sign-in deletes nothing: the site may still reject this credential.
  if (!counted) await store.recordSignIn(selected.credentialId, deps.now());

  const result: GetAssertionResult = {
    credentialId: selected.credentialId,
    authenticatorData,
    signature,
    userHandle: selected.userHandle,
  };
  // L3 §10.1.4 (hmac-secret): the salts for the selected credential, under the secret that the
  // UV flag of THIS authenticatorData selects. Unsigned outputs; a credential made before PRF
  // has no secrets and gives none.
  const prf = params.prf && (ownSalts(params.prf.evalByCredential, toBase64url(selected.credentialId)) ?? params.prf.eval);
  if (prf) {
    const outputs = await store.withPrfSecret(selected.credentialId, answer.userVerified, (secret) => evaluatePrf(secret, prf));
    if (outputs) result.prf = outputs;
  }
  // L3 §10.1.5: largeBlob read or write, for the selected credential.
  const largeBlob = params.largeBlob;
  if (largeBlob && 'read' in largeBlob) {
    const blob = await store.readLargeBlob(selected.credentialId);
    result.largeBlob = blob ? { blob } : {};
  } else if (largeBlob) {
    result.largeBlob = { written: await writeLargeBlob(store, selected.credentialId, largeBlob.write) };
  }

  // L3 §6.3.3 step 13.
  return ok(result);
}

/** evalByCredential's own entry for `id`: an id such as "toString" must not find Object.prototype's. */
function ownSalts(byCredential: Record<string, PrfSalts> | undefined, id: string): PrfSalts | undefined {
  return byCredential && Object.hasOwn(byCredential, id) ? byCredential[id] : undefined;
}

/** A write larger than Latchkey keeps, or one the vault refused, is written: false, not an error. */
async function writeLargeBlob(store: CredentialStore, credentialId: Uint8Array, blob: Uint8Array): Promise<boolean> {
  if (blob.length > LARGE_BLOB_MAX_BYTES) return false;
  try {
    await store.writeLargeBlob(credentialId, blob);
    return true;
  } catch {
    return false;
  }
}
