import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../src/authenticator/index';
import { NOT_ALLOWED_MESSAGE, failure, toCeremonyError } from '../../../src/client/errors';
import { toBase64url } from '../../../src/protocol/base64url';
import { Vault } from '../../../src/vault';
import { ScriptedUser, chooseCandidate, getParams, steppingClock } from '../authenticator/fakes';
import { dumpDatabase, editRawRow, freshName, makeRecord, randomBytes, unlockedKeys } from './fixtures';

const opened: Vault[] = [];
afterEach(() => {
  for (const vault of opened.splice(0)) vault.close();
});

describe('a passkey whose key does not unwrap', () => {
  it('is answered as "no matching credential" (NotAllowedError), not UnknownError', async () => {
    const name = freshName();
    const vault = await Vault.open(unlockedKeys(), name);
    opened.push(vault);
    const victim = makeRecord();
    const other = makeRecord({ rpId: 'other.example' });
    for (const record of [victim, other]) await vault.create(record, randomBytes(32), []);
    const otherRow = (await dumpDatabase(name))['credentials']!.find(
      (row) => (row as { credentialId: string }).credentialId === toBase64url(other.credentialId),
    ) as { wrappedKey: unknown };
    await editRawRow(name, toBase64url(victim.credentialId), (row) => ({ ...row, wrappedKey: otherRow.wrappedKey }));

    const user = new ScriptedUser().onChoose(chooseCandidate(0));
    const outcome = await createAuthenticator(vault, user, steppingClock()).getAssertion(getParams({ rpId: 'example.com' }));
    if (outcome.kind !== 'error') throw new Error(`expected an error, got ${outcome.kind}`);
    expect(toCeremonyError(failure(outcome.code))).toEqual({ type: 'error', name: 'NotAllowedError', message: NOT_ALLOWED_MESSAGE });
  });
});
