// Building AuthenticatorOutcome values in one place, so that a code is never a string typed at a
// call site and every way the user can leave the prompt maps the same way.

import { isUnusableCredential, type UserDeclined } from './ports';
import type { AuthenticatorErrorCode, AuthenticatorOutcome } from './types';

export function ok<T>(value: T): AuthenticatorOutcome<T> {
  return { kind: 'ok', value };
}

export function fail<T>(code: AuthenticatorErrorCode, message: string): AuthenticatorOutcome<T> {
  return { kind: 'error', code, message };
}

/**
 * The user left the prompt without approving: cancel is CTAP2_ERR_OPERATION_DENIED (L3:
 * "If the user does not consent ... NotAllowedError"); choosing another device hands the
 * ceremony to the browser with the matching hint (docs/architecture.md#a-ceremony-end-to-end step 6).
 */
export function declined<T>(answer: UserDeclined): AuthenticatorOutcome<T> {
  switch (answer.kind) {
    case 'cancel':
      return fail('OperationDenied', 'The user cancelled');
    case 'other-device':
      return { kind: 'fallback', hint: 'hybrid' };
    case 'security-key':
      return { kind: 'fallback', hint: 'security-key' };
  }
}

/**
 * L3 §6.3.2 step 8 / §6.3.3 step 12: "If any error occurred ... return UnknownError"; a
 * credential the store cannot use is answered as no matching credential instead.
 */
export function unexpected<T>(cause: unknown): AuthenticatorOutcome<T> {
  const message = cause instanceof Error ? cause.message : String(cause);
  return fail(isUnusableCredential(cause) ? 'InvalidCredential' : 'Other', message);
}
