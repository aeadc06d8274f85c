import { describe, expect, it } from 'vitest';
import type { UserInterface } from '../../../src/authenticator/ports';
import { AutofillSession, type AutofillFrame } from '../../../src/background/autofill-session';
import { toBase64url } from '../../../src/protocol/base64url';
import type { AutofillShow, AutofillState } from '../../../src/protocol/autofill';
import { record, rp, tick } from './fixtures';



function setup(options: { unlocked?: boolean; promptAnswers?: ('approve' | 'cancel' | 'other-device')[] } = {}) {
  const states: AutofillState[] = [];
  const log: string[] = [];
  const promptCalls: Parameters<UserInterface['chooseCredential']>[0][] = [];
  const answers = [...(options.promptAnswers ?? [])];
  const prompt: UserInterface & { dismiss(): Promise<void> } = {
    confirmCreate: async () => ({ kind: 'cancel' }),
    acknowledgeExcluded: async () => ({ kind: 'cancel' }),
    chooseCredential: async (request) => {
      promptCalls.push(request);
      const kind = answers.shift() ?? 'approve';
      return kind === 'approve' ? { kind, credentialId: request.candidates[0]!.credentialId, userVerified: true } : { kind };
    },
    dismiss: async () => void log.push('prompt dismissed'),
  };
  const session = new AutofillSession({
    prompt,
    caller: { origin: 'https://example.com' },
    showFrame: (state) => states.push(state),
    useAnotherDevice: () => log.push('another device'),
    ...(options.unlocked === undefined ? {} : { isUnlocked: async () => options.unlocked! }),
  });
  const shown: AutofillShow[] = [];
  const frame: AutofillFrame = { post: (message) => shown.push(message) };
  return { session, states, log, promptCalls, shown, frame };
}

describe('AutofillSession', () => {
  it('arms the frame once the authenticator asks, and sends the passkeys to offer to the frame only', async () => {
    const { session, states, shown, frame } = setup();
    session.attachFrame(frame);
    expect(states).toEqual([]);
    expect(shown).toEqual([]);
    void session.chooseCredential({ rp, candidates: [record(1, 'alice'), record(2, 'bob')], userVerification: false });
    expect(states).toEqual(['armed']);
    expect(shown).toHaveLength(1);
    const offer = shown[0] as Extract<AutofillShow, { type: 'show' }>;
    expect(offer.site).toEqual({ rpId: 'example.com', rpName: 'Example', origin: 'https://example.com' });
    expect(offer.accounts.map((a) => a.userName)).toEqual(['alice', 'bob']);
  });

  it('arms the frame just the same with no passkey to offer, which then offers only "another device" (L3 §14.5.2)', async () => {
    const { session, states, shown, frame, log } = setup();
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [], userVerification: false });
    expect(states).toEqual(['armed']);
    expect(shown).toEqual([{ type: 'show', site: { rpId: 'example.com', rpName: 'Example', origin: 'https://example.com' }, accounts: [] }]);
    let settled = false;
    void answer.then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    session.pick(frame, { kind: 'another-device' });
    expect(await answer).toEqual({ kind: 'cancel' });
    expect(log).toEqual(['another device']);
  });

  it('a pick the frame could not prove visible (Firefox has no trackVisibility) is confirmed in the prompt, even without UV', async () => {
    const { session, frame, promptCalls } = setup({ unlocked: true });
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice'), record(2, 'bob')], userVerification: false });
    session.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(2, 'bob').credentialId), seen: false });
    expect(await answer).toEqual({ kind: 'approve', credentialId: record(2, 'bob').credentialId, userVerified: true });
    expect(promptCalls.map((c) => c.candidates.map((r) => r.userName))).toEqual([['bob']]);
  });

  it('a press in the frame outside any entry hides the frame; the offer stays, and a pick still counts', async () => {
    const { session, frame, states } = setup({ unlocked: true });
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    session.dismiss(frame);
    expect(states).toEqual(['armed', 'hidden']);
    session.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(1, 'alice').credentialId), seen: true });
    expect(await answer).toMatchObject({ kind: 'approve' });
  });

  it('shows the offer to a frame that connects later (each focus makes a new frame)', async () => {
    const { session, shown, frame } = setup();
    void session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    session.attachFrame(frame);
    expect(shown.map((s) => s.type)).toEqual(['show']);
  });

  it('approves the picked passkey without UV when none is asked: the click in the frame is the consent', async () => {
    const { session, states, shown, frame, promptCalls } = setup({ unlocked: true });
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice'), record(2, 'bob')], userVerification: false });
    session.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(2, 'bob').credentialId), seen: true });
    expect(await answer).toEqual({ kind: 'approve', credentialId: record(2, 'bob').credentialId, userVerified: false });
    expect(states).toEqual(['armed', 'off']);
    expect(shown.at(-1)).toEqual({ type: 'close' });
    expect(promptCalls).toEqual([]);
  });

  it('hands the one picked passkey to the prompt when user verification is needed', async () => {
    const { session, frame, promptCalls } = setup({ unlocked: true });
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice'), record(2, 'bob')], userVerification: true });
    session.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(1, 'alice').credentialId), seen: true });
    expect(await answer).toEqual({ kind: 'approve', credentialId: record(1, 'alice').credentialId, userVerified: true });
    expect(promptCalls).toHaveLength(1);
    expect(promptCalls[0]!.candidates.map((c) => c.userName)).toEqual(['alice']);
    expect(promptCalls[0]!.userVerification).toBe(true);
  });

  it('hands the pick to the prompt when the vault is locked, so it can be unlocked', async () => {
    const { session, frame, promptCalls } = setup({ unlocked: false });
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    session.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(1, 'alice').credentialId), seen: true });
    await answer;
    expect(promptCalls).toHaveLength(1);
  });

  it('cancelling the PIN prompt after a pick offers the passkeys again, and the get waits for the next pick', async () => {
    const { session, frame, states, log, shown, promptCalls } = setup({ unlocked: true, promptAnswers: ['cancel', 'approve'] });
    session.attachFrame(frame);
    const alice = toBase64url(record(1, 'alice').credentialId);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice'), record(2, 'bob')], userVerification: true });
    let settled = false;
    void answer.then(() => (settled = true));
    session.pick(frame, { kind: 'passkey', credentialId: alice, seen: true });
    await tick();
    await tick();
    expect(settled).toBe(false);
    expect(log).toEqual(['prompt dismissed']);
    expect(states).toEqual(['armed', 'off', 'armed']);
    expect(shown.filter((m) => m.type === 'show')).toHaveLength(2);
    session.pick(frame, { kind: 'passkey', credentialId: alice, seen: true });
    expect(await answer).toEqual({ kind: 'approve', credentialId: record(1, 'alice').credentialId, userVerified: true });
    expect(promptCalls).toHaveLength(2);
  });

  it('passes "use a phone or tablet" from the PIN prompt on, and stops offering once the ceremony is closed', async () => {
    const other = setup({ unlocked: true, promptAnswers: ['other-device'] });
    other.session.attachFrame(other.frame);
    const handed = other.session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: true });
    other.session.pick(other.frame, { kind: 'passkey', credentialId: toBase64url(record(1, 'alice').credentialId), seen: true });
    expect(await handed).toEqual({ kind: 'other-device' });

    const { session, frame, log } = setup({ unlocked: true, promptAnswers: ['cancel'] });
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: true });
    session.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(1, 'alice').credentialId), seen: true });
    await tick();
    session.close();
    expect(await answer).toEqual({ kind: 'cancel' });
    expect(log).toEqual(['prompt dismissed']);
  });

  it('"Use another device" hands the ceremony to the browser and answers cancel to the authenticator', async () => {
    const { session, frame, log } = setup();
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    session.pick(frame, { kind: 'another-device' });
    expect(await answer).toEqual({ kind: 'cancel' });
    expect(log).toEqual(['another device']);
  });

  it('ignores picks from a frame that is not the one on screen, and ids that were not offered', async () => {
    const { session, frame } = setup();
    const stale: AutofillFrame = { post: () => undefined };
    session.attachFrame(stale);
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    let settled = false;
    void answer.then(() => (settled = true));
    session.pick(stale, { kind: 'passkey', credentialId: toBase64url(record(1, 'alice').credentialId), seen: true });
    await tick();
    expect(settled).toBe(false);
    session.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(9, 'mallory').credentialId), seen: true });
    expect(await answer).toEqual({ kind: 'cancel' });
  });

  it('close() (abort, page gone) answers cancel and tells the frame to close; a later frame is closed at once', async () => {
    const { session, shown, frame } = setup();
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    session.close();
    expect(await answer).toEqual({ kind: 'cancel' });
    expect(shown.at(-1)).toEqual({ type: 'close' });
    const late: AutofillShow[] = [];
    session.attachFrame({ post: (m) => late.push(m) });
    expect(late).toEqual([{ type: 'close' }]);
    expect(await session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false })).toEqual({ kind: 'cancel' });
  });
});
