import { describe, expect, it } from 'vitest';
import type { UserInterface } from '../../../src/authenticator/ports';
import { AutofillSession, type AutofillFrame } from '../../../src/background/autofill-session';
import { toBase64url } from '../../../src/protocol/base64url';
import { AUTOFILL_MAX_ROWS, type AutofillShow } from '../../../src/protocol/autofill';
import { record, rp, tick } from './fixtures';



function setup(options: { unlocked?: boolean; promptAnswers?: ('approve' | 'cancel' | 'other-device')[] } = {}) {
  const rows: number[] = [];
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
    showFrame: (n) => rows.push(n),
    useAnotherDevice: () => log.push('another device'),
    ...(options.unlocked === undefined ? {} : { isUnlocked: async () => options.unlocked! }),
  });
  const shown: AutofillShow[] = [];
  const frame: AutofillFrame = { post: (message) => shown.push(message) };
  return { session, rows, log, promptCalls, shown, frame };
}

describe('AutofillSession', () => {
  it('asks the relay for the frame only once there are passkeys to offer, with a row each plus "another device"', async () => {
    const { session, rows, shown, frame } = setup();
    session.attachFrame(frame);
    expect(rows).toEqual([]);
    expect(shown).toEqual([]);
    void session.chooseCredential({ rp, candidates: [record(1, 'alice'), record(2, 'bob')], userVerification: false });
    expect(rows).toEqual([3]);
    expect(shown).toHaveLength(1);
    const offer = shown[0] as Extract<AutofillShow, { type: 'show' }>;
    expect(offer.site).toEqual({ rpId: 'example.com', rpName: 'Example', origin: 'https://example.com' });
    expect(offer.accounts.map((a) => a.userName)).toEqual(['alice', 'bob']);
  });

  it(`sizes the frame for at most ${AUTOFILL_MAX_ROWS} passkeys (the rest scroll)`, () => {
    const { session, rows } = setup();
    const many = Array.from({ length: 9 }, (_, i) => record(i + 1, `user${i}`));
    void session.chooseCredential({ rp, candidates: many, userVerification: false });
    expect(rows).toEqual([AUTOFILL_MAX_ROWS + 1]);
  });

  it('shows the offer to a frame that connects later (each focus makes a new frame)', async () => {
    const { session, shown, frame } = setup();
    void session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    session.attachFrame(frame);
    expect(shown.map((s) => s.type)).toEqual(['show']);
  });

  it('approves the picked passkey without UV when none is asked: the click in the frame is the consent', async () => {
    const { session, rows, shown, frame, promptCalls } = setup({ unlocked: true });
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice'), record(2, 'bob')], userVerification: false });
    session.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(2, 'bob').credentialId) });
    expect(await answer).toEqual({ kind: 'approve', credentialId: record(2, 'bob').credentialId, userVerified: false });
    expect(rows).toEqual([3, 0]);
    expect(shown.at(-1)).toEqual({ type: 'close' });
    expect(promptCalls).toEqual([]);
  });

  it('hands the one picked passkey to the prompt when user verification is needed', async () => {
    const { session, frame, promptCalls } = setup({ unlocked: true });
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice'), record(2, 'bob')], userVerification: true });
    session.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(1, 'alice').credentialId) });
    expect(await answer).toEqual({ kind: 'approve', credentialId: record(1, 'alice').credentialId, userVerified: true });
    expect(promptCalls).toHaveLength(1);
    expect(promptCalls[0]!.candidates.map((c) => c.userName)).toEqual(['alice']);
    expect(promptCalls[0]!.userVerification).toBe(true);
  });

  it('hands the pick to the prompt when the vault is locked, so it can be unlocked', async () => {
    const { session, frame, promptCalls } = setup({ unlocked: false });
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    session.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(1, 'alice').credentialId) });
    await answer;
    expect(promptCalls).toHaveLength(1);
  });

  it('cancelling the PIN prompt after a pick offers the passkeys again, and the get waits for the next pick', async () => {
    const { session, frame, rows, log, shown, promptCalls } = setup({ unlocked: true, promptAnswers: ['cancel', 'approve'] });
    session.attachFrame(frame);
    const alice = toBase64url(record(1, 'alice').credentialId);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice'), record(2, 'bob')], userVerification: true });
    let settled = false;
    void answer.then(() => (settled = true));
    session.pick(frame, { kind: 'passkey', credentialId: alice });
    await tick();
    await tick();
    expect(settled).toBe(false);
    expect(log).toEqual(['prompt dismissed']);
    expect(rows).toEqual([3, 0, 3]);
    expect(shown.filter((m) => m.type === 'show')).toHaveLength(2);
    session.pick(frame, { kind: 'passkey', credentialId: alice });
    expect(await answer).toEqual({ kind: 'approve', credentialId: record(1, 'alice').credentialId, userVerified: true });
    expect(promptCalls).toHaveLength(2);
  });

  it('passes "use a phone or tablet" from the PIN prompt on, and stops offering once the ceremony is closed', async () => {
    const other = setup({ unlocked: true, promptAnswers: ['other-device'] });
    other.session.attachFrame(other.frame);
    const handed = other.session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: true });
    other.session.pick(other.frame, { kind: 'passkey', credentialId: toBase64url(record(1, 'alice').credentialId) });
    expect(await handed).toEqual({ kind: 'other-device' });

    const { session, frame, log } = setup({ unlocked: true, promptAnswers: ['cancel'] });
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: true });
    session.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(1, 'alice').credentialId) });
    await tick();
    session.close();
    expect(await answer).toEqual({ kind: 'cancel' });
    expect(log).toEqual(['prompt dismissed']);
  });

  it('"Use another device" hands the ceremony to the browser and answers cancel to the authenticator', async () => {
    const { session, frame, log } = setup();
    session.attachFrame(frame);
    const answer = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    session.pick(frame, { kind: 'other' });
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
    session.pick(stale, { kind: 'passkey', credentialId: toBase64url(record(1, 'alice').credentialId) });
    await tick();
    expect(settled).toBe(false);
    session.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(9, 'mallory').credentialId) });
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
