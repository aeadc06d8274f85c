import { describe, expect, it } from 'vitest';
import { failure, NOT_ALLOWED_MESSAGE, toCeremonyError, type FailureCode } from '../../../src/client/errors';
import type { CeremonyErrorName } from '../../../src/protocol/messages';

describe('the error table', () => {
  const rows: [FailureCode, CeremonyErrorName][] = [
    ['InvalidOptions', 'TypeError'],
    ['OpaqueOrigin', 'NotAllowedError'],
    ['InvalidOrigin', 'SecurityError'],
    ['InvalidRpId', 'SecurityError'],
    ['NoSupportedAlgorithm', 'NotSupportedError'],
    ['CrossOriginCreateDenied', 'NotAllowedError'],
    ['CrossOriginGetDenied', 'NotAllowedError'],
    ['Aborted', 'NotAllowedError'],
    ['UnknownCaller', 'NotAllowedError'],
    ['CredentialExcluded', 'InvalidStateError'],
    ['UnsupportedAlgorithm', 'NotSupportedError'],
    ['OperationDenied', 'NotAllowedError'],
    ['NoCredentials', 'NotAllowedError'],
    ['UnsupportedOption', 'NotAllowedError'],
    ['Other', 'UnknownError'],
  ];

  it.each(rows)('maps %s to %s', (code, name) => {
    const e = toCeremonyError(failure(code));
    expect(e.type).toBe('error');
    expect(e.name).toBe(name);
    expect(e.message.length).toBeGreaterThan(0);
  });

  it('makes "no matching credential" and "user cancelled" look the same to the page', () => {
    const noCredential = toCeremonyError(failure('NoCredentials'));
    const cancelled = toCeremonyError(failure('OperationDenied'));
    expect(noCredential).toEqual(cancelled);
    // and the same as a timeout, so timing the answer's text tells nothing either
    expect(toCeremonyError(failure('Aborted'))).toEqual(cancelled);
    expect(cancelled.message).toBe(NOT_ALLOWED_MESSAGE);
  });

  it('says which member is wrong in a TypeError, and nothing internal elsewhere', () => {
    expect(toCeremonyError(failure('InvalidOptions', 'user.id must be between 1 and 64 bytes.')).message).toBe(
      'user.id must be between 1 and 64 bytes.',
    );
    expect(toCeremonyError(failure('Other', 'IndexedDB exploded at /secret/path')).message).not.toContain('secret');
  });
});
