// From the options JSON (already structurally checked by src/protocol/validate.ts) to what the
// client algorithm and the authenticator need: binary members decoded, enums known or
// absent, defaults applied (L3 §5.4 PublicKeyCredentialCreationOptions, §5.5 ...RequestOptions).
//
// DOMString "enums" (attestation, residentKey, userVerification, authenticatorAttachment, hints)
// are DOMString in L3 precisely so that a client ignores values it does not know: an unknown
// value is treated as absent, and the spec default applies.

import { COSE_ALG } from '../authenticator/types';
import { fromBase64url, toBase64url } from '../protocol/base64url';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '../protocol/webauthn-json';
import { fail, ok, type Checked } from './errors';

export type UserVerificationRequirement = 'required' | 'preferred' | 'discouraged';
export type ResidentKeyRequirement = 'required' | 'preferred' | 'discouraged';
export type AuthenticatorAttachment = 'platform' | 'cross-platform';
export type PublicKeyCredentialHint = 'security-key' | 'client-device' | 'hybrid';
export type AttestationConveyancePreference = 'none' | 'indirect' | 'direct' | 'enterprise';

/** The algorithms Latchkey's authenticator can make keys for (docs/architecture.md#algorithms). */
export const SUPPORTED_ALGORITHMS: readonly number[] = [COSE_ALG.ES256, COSE_ALG.EdDSA, COSE_ALG.RS256];

export interface CreationOptions {
  /** absent: the caller's effective domain (L3 §5.1.3 step 8) */
  rpId: string | undefined;
  rpName: string;
  user: { id: Uint8Array; name: string; displayName: string };
  challenge: Uint8Array;
  /** credTypesAndPubKeyAlgs reduced to the algorithms Latchkey supports, in the RP's order */
  algorithms: number[];
  excludeCredentialIds: Uint8Array[];
  authenticatorAttachment: AuthenticatorAttachment | undefined;
  residentKey: ResidentKeyRequirement | undefined;
  requireResidentKey: boolean;
  userVerification: UserVerificationRequirement;
  attestation: AttestationConveyancePreference;
  hints: PublicKeyCredentialHint[];
  timeout: number | undefined;
  /** extensions.credProps === true */
  credProps: boolean;
  /** extensions.appidExclude was given (L3 §10.1.2) */
  appidExclude: boolean;
}

export interface RequestOptions {
  /** absent: the caller's effective domain (L3 §5.1.4.1 step 7) */
  rpId: string | undefined;
  challenge: Uint8Array;
  allowCredentialIds: Uint8Array[];
  userVerification: UserVerificationRequirement;
  hints: PublicKeyCredentialHint[];
  timeout: number | undefined;
  /** extensions.appid was given (L3 §10.1.1) */
  appid: boolean;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

const UV: readonly UserVerificationRequirement[] = ['required', 'preferred', 'discouraged'];
const RK: readonly ResidentKeyRequirement[] = ['required', 'preferred', 'discouraged'];
const ATTACHMENT: readonly AuthenticatorAttachment[] = ['platform', 'cross-platform'];
const HINTS: readonly PublicKeyCredentialHint[] = ['security-key', 'client-device', 'hybrid'];
const ATTESTATION: readonly AttestationConveyancePreference[] = ['none', 'indirect', 'direct', 'enterprise'];

function knownHints(hints: readonly string[] | undefined): PublicKeyCredentialHint[] {
  const out: PublicKeyCredentialHint[] = [];
  for (const h of hints ?? []) {
    const known = oneOf(h, HINTS);
    if (known !== undefined && !out.includes(known)) out.push(known);
  }
  return out;
}

/** Descriptor ids of type public-key; other types are for other credential kinds and are skipped. */
function descriptorIds(list: readonly PublicKeyCredentialDescriptorJSON[] | undefined, member: string): Checked<Uint8Array[]> {
  const ids: Uint8Array[] = [];
  for (const d of list ?? []) {
    if (d.type !== 'public-key') continue;
    const id = fromBase64url(d.id);
    if (id === undefined) return fail('InvalidOptions', `${member}[].id is not base64url.`);
    ids.push(id);
  }
  return ok(ids);
}

/**
 * A COSEAlgorithmIdentifier as WebIDL `long` would convert it: KeycloakJS and others send
 * strings such as "-7". Anything that is not a finite number is dropped.
 */
export function coerceAlg(alg: number | string): number | undefined {
  const n = typeof alg === 'number' ? alg : alg.trim() === '' ? NaN : Number(alg);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

/** L3 §5.1.3 step 9-10, narrowed to what Latchkey supports (docs/architecture.md#algorithms). */
export function selectAlgorithms(params: PublicKeyCredentialCreationOptionsJSON['pubKeyCredParams']): number[] {
  // step 10, "is zero": public-key with -7 (ES256) and -257 (RS256)
  if (params.length === 0) return [COSE_ALG.ES256, COSE_ALG.RS256];
  const algs: number[] = [];
  for (const current of params) {
    // step 10.1: a type this implementation does not support is skipped
    if (current.type !== 'public-key') continue;
    const alg = coerceAlg(current.alg);
    if (alg !== undefined && SUPPORTED_ALGORITHMS.includes(alg) && !algs.includes(alg)) algs.push(alg);
  }
  return algs;
}

export function parseCreationOptions(json: PublicKeyCredentialCreationOptionsJSON): Checked<CreationOptions> {
  // WebIDL: rp.name, user.{id,name,displayName} and challenge are required members.
  if (typeof json.rp?.name !== 'string') return fail('InvalidOptions', 'rp.name is required.');
  const challenge = fromBase64url(json.challenge);
  if (challenge === undefined) return fail('InvalidOptions', 'challenge is not base64url.');
  const userId = fromBase64url(json.user.id);
  if (userId === undefined) return fail('InvalidOptions', 'user.id is not base64url.');
  // L3 §5.1.3 step 5: "If the length of pkOptions.user.id is not between 1 and 64 bytes
  // (inclusive) then throw a TypeError."
  if (userId.length < 1 || userId.length > 64) return fail('InvalidOptions', 'user.id must be between 1 and 64 bytes.');
  const exclude = descriptorIds(json.excludeCredentials, 'excludeCredentials');
  if (!exclude.ok) return exclude;

  const selection = json.authenticatorSelection ?? {};
  const attestation = oneOf(json.attestation, ATTESTATION) ?? 'none';
  return ok({
    rpId: json.rp.id,
    rpName: json.rp.name,
    user: { id: userId, name: json.user.name, displayName: json.user.displayName },
    challenge,
    algorithms: selectAlgorithms(json.pubKeyCredParams),
    excludeCredentialIds: exclude.value,
    authenticatorAttachment: oneOf(selection.authenticatorAttachment, ATTACHMENT),
    residentKey: oneOf(selection.residentKey, RK),
    requireResidentKey: selection.requireResidentKey ?? false,
    userVerification: oneOf(selection.userVerification, UV) ?? 'preferred',
    attestation,
    hints: knownHints(json.hints),
    timeout: json.timeout,
    credProps: json.extensions?.credProps === true,
    appidExclude: json.extensions?.appidExclude !== undefined,
  });
}

export function parseRequestOptions(json: PublicKeyCredentialRequestOptionsJSON): Checked<RequestOptions> {
  const challenge = fromBase64url(json.challenge);
  if (challenge === undefined) return fail('InvalidOptions', 'challenge is not base64url.');
  const allow = descriptorIds(json.allowCredentials, 'allowCredentials');
  if (!allow.ok) return allow;
  return ok({
    rpId: json.rpId,
    challenge,
    allowCredentialIds: allow.value,
    userVerification: oneOf(json.userVerification, UV) ?? 'preferred',
    hints: knownHints(json.hints),
    timeout: json.timeout,
    appid: json.extensions?.appid !== undefined,
  });
}

/**
 * L3 §5.1.3 step 22 (for the candidate authenticator): the effective resident key requirement.
 * Latchkey stores every credential as discoverable, so it is capable of client-side storage
 * and `preferred` means true.
 */
export function effectiveResidentKey(o: Pick<CreationOptions, 'residentKey' | 'requireResidentKey'>): boolean {
  switch (o.residentKey) {
    case 'required':
    case 'preferred':
      return true;
    case 'discouraged':
      return false;
    case undefined:
      return o.requireResidentKey;
  }
}

/**
 * The effective user verification requirement (L3 §5.1.3 step 22, §5.1.4.2 step 2): `preferred`
 * means true only when the authenticator can verify the user.
 */
export function effectiveUserVerification(uv: UserVerificationRequirement, authenticatorCanVerify: boolean): boolean {
  return uv === 'required' || (uv === 'preferred' && authenticatorCanVerify);
}

/** docs/architecture.md#attestation: packed self-attestation for direct/enterprise, none otherwise. */
export function attestationFormat(attestation: AttestationConveyancePreference): 'none' | 'packed' {
  return attestation === 'direct' || attestation === 'enterprise' ? 'packed' : 'none';
}

/** The challenge as CollectedClientData carries it: base64url without padding, re-encoded from the bytes. */
export function challengeText(challenge: Uint8Array): string {
  return toBase64url(challenge);
}
