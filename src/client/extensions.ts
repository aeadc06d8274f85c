// Client extension processing for prf (L3 §10.1.4) and largeBlob (L3 §10.1.5): the inputs
// checked and made into the authenticator's, and its outputs made into the JSON the page
// turns into ArrayBuffers (src/page/credential.ts). Binary members are base64url here.

import type { GetAssertionParams, GetAssertionResult, MakeCredentialResult, PrfOutputs, PrfSalts } from '../authenticator/types';
import { bytesEqual, concatBytes } from '../crypto/bytes';
import { sha256 } from '../crypto/hash';
import { fromBase64url, toBase64url } from '../protocol/base64url';
import type { AuthenticationExtensionsClientInputsJSON, AuthenticationExtensionsClientOutputsJSON, PrfValuesJSON } from '../protocol/webauthn-json';
import { fail, ok, type Checked } from './errors';

/** What a create asks of the two extensions. */
export interface CreationExtensions {
  /** prf was given; `eval` hashed into salts */
  prf?: { eval?: PrfSalts };
  /** largeBlob was given (with neither read nor write) */
  largeBlob?: true;
}

/** What a get asks of the two extensions, as the authenticator takes it. */
export type RequestExtensions = Pick<GetAssertionParams, 'prf' | 'largeBlob'>;

const PRF_LABEL = new TextEncoder().encode('WebAuthn PRF');

/** L3 §10.1.4: salt = SHA-256(UTF8Encode("WebAuthn PRF") || 0x00 || input). */
export function prfSalt(input: Uint8Array): Uint8Array {
  return sha256(concatBytes(PRF_LABEL, Uint8Array.of(0), input));
}

type Input = Record<string, unknown>;
const isRecord = (x: unknown): x is Input => typeof x === 'object' && x !== null && !Array.isArray(x);

/** AuthenticationExtensionsPRFValues (base64url members) to salts; undefined when malformed. */
function salts(values: unknown): PrfSalts | undefined {
  if (!isRecord(values) || typeof values.first !== 'string') return undefined;
  const first = fromBase64url(values.first);
  if (!first) return undefined;
  if (values.second === undefined) return { first: prfSalt(first) };
  const second = typeof values.second === 'string' ? fromBase64url(values.second) : undefined;
  return second ? { first: prfSalt(first), second: prfSalt(second) } : undefined;
}

/** A member that is present must be an object (the page's converter makes it one). */
function member(inputs: AuthenticationExtensionsClientInputsJSON | undefined, name: 'prf' | 'largeBlob'): Checked<Input | undefined> {
  const value = inputs?.[name];
  if (value === undefined) return ok(undefined);
  return isRecord(value) ? ok(value) : fail('InvalidOptions', `extensions.${name} is not a dictionary.`);
}

/** L3 §5.1.3 step 11-12, for prf and largeBlob at create. */
export function creationExtensions(inputs: AuthenticationExtensionsClientInputsJSON | undefined): Checked<CreationExtensions> {
  const prf = member(inputs, 'prf');
  if (!prf.ok) return prf;
  const largeBlob = member(inputs, 'largeBlob');
  if (!largeBlob.ok) return largeBlob;
  const out: CreationExtensions = {};
  if (prf.value) {
    // L3 §10.1.4 registration step 1: evalByCredential makes no sense before a credential exists.
    if (prf.value.evalByCredential !== undefined) return fail('ExtensionNotSupported');
    // L3 §10.1.4 registration steps 3-4: eval at create, hashed as at get.
    if (prf.value.eval !== undefined) {
      const evaluate = salts(prf.value.eval);
      if (!evaluate) return fail('InvalidOptions', 'extensions.prf.eval is not valid.');
      out.prf = { eval: evaluate };
    } else {
      out.prf = {};
    }
  }
  if (largeBlob.value) {
    // L3 §10.1.5 registration: read or write at create is NotSupportedError.
    if (largeBlob.value.read !== undefined || largeBlob.value.write !== undefined) return fail('ExtensionNotSupported');
    out.largeBlob = true;
  }
  return ok(out);
}

/** L3 §5.1.4.1 step 8-9, for prf and largeBlob at get. */
export function requestExtensions(
  inputs: AuthenticationExtensionsClientInputsJSON | undefined,
  allowCredentialIds: readonly Uint8Array[],
): Checked<RequestExtensions> {
  const prf = member(inputs, 'prf');
  if (!prf.ok) return prf;
  const largeBlob = member(inputs, 'largeBlob');
  if (!largeBlob.ok) return largeBlob;
  const out: RequestExtensions = {};
  if (prf.value) {
    const parsed = prfAtGet(prf.value, allowCredentialIds);
    if (!parsed.ok) return parsed;
    if (parsed.value) out.prf = parsed.value;
  }
  if (largeBlob.value) {
    const { support, read, write } = largeBlob.value;
    // L3 §10.1.5 authentication: support is for create; read and write together is ambiguous.
    if (support !== undefined) return fail('ExtensionNotSupported');
    if (read !== undefined && read !== false && write !== undefined) return fail('ExtensionNotSupported');
    if (write !== undefined) {
      const blob = typeof write === 'string' ? fromBase64url(write) : undefined;
      if (!blob) return fail('InvalidOptions', 'extensions.largeBlob.write is not valid.');
      // L3 §10.1.5: a write names exactly one credential.
      if (allowCredentialIds.length !== 1) return fail('ExtensionNotSupported');
      out.largeBlob = { write: blob };
    } else if (read === true) {
      out.largeBlob = { read: true };
    }
  }
  return ok(out);
}

function prfAtGet(input: Input, allowCredentialIds: readonly Uint8Array[]): Checked<RequestExtensions['prf']> {
  const byCredential: Record<string, PrfSalts> = {};
  const given = input.evalByCredential;
  if (given !== undefined) {
    if (!isRecord(given)) return fail('InvalidOptions', 'extensions.prf.evalByCredential is not a record.');
    const keys = Object.keys(given);
    // L3 §10.1.4 authentication step 1.
    if (keys.length > 0 && allowCredentialIds.length === 0) return fail('ExtensionNotSupported');
    for (const key of keys) {
      // L3 §10.1.4 authentication step 2: empty, not base64url, or not in allowCredentials.
      const id = key === '' ? undefined : fromBase64url(key);
      if (!id || !allowCredentialIds.some((allowed) => bytesEqual(allowed, id))) return fail('InvalidExtensionCredentialId');
      const evaluate = salts(given[key]);
      if (!evaluate) return fail('InvalidOptions', 'extensions.prf.evalByCredential has a value that is not valid.');
      // Keyed by the id re-encoded, as the authenticator looks it up.
      byCredential[toBase64url(id)] = evaluate;
    }
  }
  let evaluate: PrfSalts | undefined;
  if (input.eval !== undefined) {
    evaluate = salts(input.eval);
    if (!evaluate) return fail('InvalidOptions', 'extensions.prf.eval is not valid.');
  }
  const hasByCredential = Object.keys(byCredential).length > 0;
  if (!evaluate && !hasByCredential) return ok(undefined);
  return ok({ ...(evaluate ? { eval: evaluate } : {}), ...(hasByCredential ? { evalByCredential: byCredential } : {}) });
}

function prfResults(outputs: PrfOutputs): PrfValuesJSON {
  const results: PrfValuesJSON = { first: toBase64url(outputs.first) };
  if (outputs.second) results.second = toBase64url(outputs.second);
  return results;
}

/** The create's outputs: prf.enabled (and results), largeBlob.supported. */
export function creationOutputs(asked: CreationExtensions, result: MakeCredentialResult, out: AuthenticationExtensionsClientOutputsJSON): void {
  if (asked.prf && result.prf) {
    out.prf = result.prf.results ? { enabled: true, results: prfResults(result.prf.results) } : { enabled: true };
  }
  // L3 §10.1.5: every Latchkey credential can keep a blob.
  if (asked.largeBlob) out.largeBlob = { supported: true };
}

/** The get's outputs: prf.results only when evaluated; largeBlob.blob (absent when none) or .written. */
export function requestOutputs(result: GetAssertionResult, out: AuthenticationExtensionsClientOutputsJSON): void {
  if (result.prf) out.prf = { results: prfResults(result.prf) };
  const largeBlob = result.largeBlob;
  if (largeBlob && 'written' in largeBlob) out.largeBlob = { written: largeBlob.written };
  else if (largeBlob) out.largeBlob = largeBlob.blob ? { blob: toBase64url(largeBlob.blob) } : {};
}
