// User verification (docs/architecture.md#user-verification): the UV flag is set only when the UI says
// it verified the user in this ceremony; a UI that cannot verify gets UnsupportedOption.
import { describe, expect, it } from 'vitest';
import { FLAG } from '../../../src/authenticator/authenticator-data';
import { createAuthenticator } from '../../../src/authenticator/index';
import { FakeCredentialStore, ScriptedUser, approveCreate, chooseCandidate, steppingClock, createParams, getParams } from './fakes';

function setup(userVerification = true) {
  const store = new FakeCredentialStore();
  const user = new ScriptedUser();
  const authenticator = createAuthenticator(store, user, steppingClock(), { userVerification });
  return { store, user, authenticator };
}

const flags = (authenticatorData: Uint8Array) => authenticatorData[32]!;

describe('user verification', () => {
  it('asks the UI to verify the user when UV is required, and sets UV only when it did', async () => {
    const { user, authenticator } = setup();
    user.onCreate(approveCreate('', true));
    const outcome = await authenticator.makeCredential(createParams({ requireUserVerification: true }));
    expect(user.createRequests[0]!.userVerification).toBe(true);
    if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
    expect(flags(outcome.value.authenticatorData) & FLAG.UV).toBe(FLAG.UV);
    expect(flags(outcome.value.authenticatorData) & FLAG.UP).toBe(FLAG.UP);

    user.onChoose(chooseCandidate(0, true));
    const asserted = await authenticator.getAssertion(getParams({ requireUserVerification: true }));
    expect(user.chooseRequests[0]!.userVerification).toBe(true);
    if (asserted.kind !== 'ok') throw new Error(JSON.stringify(asserted));
    expect(flags(asserted.value.authenticatorData) & FLAG.UV).toBe(FLAG.UV);
  });

  it('refuses with OperationDenied when UV is required and the UI approved without verifying', async () => {
    const { store, user, authenticator } = setup();
    user.onCreate(approveCreate('', false));
    expect(await authenticator.makeCredential(createParams({ requireUserVerification: true }))).toMatchObject({
      kind: 'error',
      code: 'OperationDenied',
    });
    expect(store.createCalls).toHaveLength(0);

    user.onCreate(approveCreate());
    await authenticator.makeCredential(createParams());
    user.onChoose(chooseCandidate(0, false));
    expect(await authenticator.getAssertion(getParams({ requireUserVerification: true }))).toMatchObject({
      kind: 'error',
      code: 'OperationDenied',
    });
    expect(store.signIns).toHaveLength(0);
  });

  it('leaves UV at 0 when not asked for (discouraged): one click, no PIN', async () => {
    const { user, authenticator } = setup();
    user.onCreate(approveCreate());
    const outcome = await authenticator.makeCredential(createParams());
    expect(user.createRequests[0]!.userVerification).toBe(false);
    if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
    expect(flags(outcome.value.authenticatorData) & FLAG.UV).toBe(0);
    user.onChoose(chooseCandidate());
    const asserted = await authenticator.getAssertion(getParams());
    if (asserted.kind !== 'ok') throw new Error(JSON.stringify(asserted));
    expect(flags(asserted.value.authenticatorData) & FLAG.UV).toBe(0);
  });

  it('answers UnsupportedOption before any UI when its UI cannot verify the user', async () => {
    const { user, authenticator } = setup(false);
    expect(await authenticator.makeCredential(createParams({ requireUserVerification: true }))).toMatchObject({ code: 'UnsupportedOption' });
    expect(user.promptCount).toBe(0);
  });
});
