import { describe, expect, it } from 'vitest';
import { AutofillSession } from '../../../src/background/autofill-session';
import { PromptSession } from '../../../src/background/prompt-session';
import type { PromptWindows } from '../../../src/background/windows';
import { toBase64url } from '../../../src/protocol/base64url';
import type { PromptShow } from '../../../src/protocol/messages';
import { record, rp, tick } from './fixtures';

function fakeWindows() {
  const log: string[] = [];
  let next = 100;
  const windows: PromptWindows = {
    async open(ceremonyId) {
      log.push(`open ${ceremonyId}`);
      return next++;
    },
    async close(windowId) {
      log.push(`close ${windowId}`);
    },
    async focusTab({ tabId }) {
      log.push(`focus ${tabId}`);
    },
  };
  return { windows, log };
}


const caller = { origin: 'https://example.com' };

describe('PromptSession', () => {
  it('opens one window on the first question and shows it once the prompt connects', async () => {
    const { windows, log } = fakeWindows();
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    const shown: PromptShow[] = [];
    const reply = session.confirmCreate({ rp, user: { name: 'alice', displayName: 'Alice' }, defaultFriendlyName: 'alice on example.com', userVerification: false });
    await tick();
    expect(log).toEqual(['open c1']);
    session.attach({ post: (message) => shown.push(message) });
    expect(shown).toEqual([{
      type: 'show',
      request: {
        kind: 'create',
        site: { rpId: 'example.com', rpName: 'Example', origin: 'https://example.com', topOrigin: undefined },
        user: { name: 'alice', displayName: 'Alice' },
        defaultFriendlyName: 'alice on example.com',
        userVerification: false,
      },
    }]);
    session.answer({ kind: 'approve', friendlyName: '  Work laptop  ' });
    expect(await reply).toEqual({ kind: 'approve', friendlyName: 'Work laptop', userVerified: false });
  });

  it('keeps the default friendly name when the user empties the field', async () => {
    const { windows } = fakeWindows();
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    const reply = session.confirmCreate({ rp, user: { name: 'a', displayName: '' }, defaultFriendlyName: 'a on example.com', userVerification: false });
    session.attach({ post: () => undefined });
    session.answer({ kind: 'approve', friendlyName: '   ' });
    expect(await reply).toEqual({ kind: 'approve', friendlyName: 'a on example.com', userVerified: false });
  });

  it('answers cancel when the user closes the prompt window', async () => {
    const { windows } = fakeWindows();
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    const reply = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    const connection = { post: () => undefined };
    session.attach(connection);
    session.detach(connection);
    expect(await reply).toEqual({ kind: 'cancel' });
  });

  it('dismiss() closes the window but not the session: the next question opens a new window', async () => {
    const { windows, log } = fakeWindows();
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    const first = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    await tick();
    const old = { post: () => undefined };
    session.attach(old);
    session.answer({ kind: 'cancel' });
    expect(await first).toEqual({ kind: 'cancel' });
    await session.dismiss();
    expect(log).toEqual(['open c1', 'close 100']);

    const shown: PromptShow[] = [];
    const second = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    await tick();
    expect(log).toEqual(['open c1', 'close 100', 'open c1']);
    const fresh = { post: (message: PromptShow) => shown.push(message) };
    session.attach(fresh);
    expect(shown).toHaveLength(1);
    // The dismissed window's port closing late does not cancel the new question.
    session.detach(old);
    let settled = false;
    void second.then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    session.answer({ kind: 'approve' });
    expect(await second).toEqual({ kind: 'approve', credentialId: record(1, 'alice').credentialId, userVerified: false });
  });

  it('opens a new window for the next question after the user closed the last one', async () => {
    const { windows, log } = fakeWindows();
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    const first = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    await tick();
    const connection = { post: () => undefined };
    session.attach(connection);
    session.detach(connection);
    expect(await first).toEqual({ kind: 'cancel' });
    void session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    await tick();
    expect(log).toEqual(['open c1', 'open c1']);
  });

  it('returns the chosen candidate and refuses an id it never showed', async () => {
    const { windows } = fakeWindows();
    const candidates = [record(1, 'alice'), record(2, 'bob')];
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    const chosen = session.chooseCredential({ rp, candidates, userVerification: false });
    session.attach({ post: () => undefined });
    session.answer({ kind: 'approve', credentialId: toBase64url(candidates[1]!.credentialId) });
    expect(await chosen).toEqual({ kind: 'approve', credentialId: candidates[1]!.credentialId, userVerified: false });

    const forged = session.chooseCredential({ rp, candidates, userVerification: false });
    session.answer({ kind: 'approve', credentialId: toBase64url(new Uint8Array(16).fill(9)) });
    expect(await forged).toEqual({ kind: 'cancel' });
  });

  it('passes "use a phone or tablet" and "use a security key" on as themselves', async () => {
    const { windows } = fakeWindows();
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    const first = session.acknowledgeExcluded({ rp, existing: record(1, 'alice') });
    session.attach({ post: () => undefined });
    session.answer({ kind: 'other-device' });
    expect(await first).toEqual({ kind: 'other-device' });
    const second = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    session.answer({ kind: 'security-key' });
    expect(await second).toEqual({ kind: 'security-key' });
  });

  it('closes its window and cancels the open question when the ceremony aborts', async () => {
    const { windows, log } = fakeWindows();
    const abort = new AbortController();
    const session = new PromptSession('c1', caller, windows, abort.signal);
    const reply = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    await tick();
    abort.abort();
    expect(await reply).toEqual({ kind: 'cancel' });
    await tick();
    expect(log).toEqual(['open c1', 'close 100']);
  });

  it('answers cancel at once when its window is removed before the prompt connects', async () => {
    const { windows, log } = fakeWindows();
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    const reply = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    await tick();
    session.windowRemoved(999); // someone else's window: nothing happens
    session.windowRemoved(100);
    expect(await reply).toEqual({ kind: 'cancel' });
    void session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    await tick();
    expect(log).toEqual(['open c1', 'open c1']);
  });

  it('answers cancel when its window is removed before windows.create has even answered', async () => {
    let created!: (windowId: number) => void;
    const windows: PromptWindows = {
      open: () => new Promise((resolve) => (created = resolve)),
      close: async () => undefined,
      focusTab: async () => undefined,
    };
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    let settled = false;
    const reply = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    void reply.then(() => (settled = true));
    session.windowRemoved(100);
    await tick();
    expect(settled).toBe(false);
    created(100);
    expect(await reply).toEqual({ kind: 'cancel' });
  });

  it('tells a prompt that connects after the ceremony ended to close', async () => {
    const { windows } = fakeWindows();
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    await session.close();
    const shown: PromptShow[] = [];
    session.attach({ post: (message) => shown.push(message) });
    expect(shown).toEqual([{ type: 'close' }]);
  });
});

describe('PromptSession user verification', () => {
  function verifier(pin: string, unlocked = { value: true }) {
    const checked: string[] = [];
    return {
      checked,
      unlocked,
      isUnlocked: async () => unlocked.value,
      verifyUser: async (typed: string) => {
        checked.push(typed);
        return typed === pin ? ({ ok: true } as const) : ({ ok: false, message: 'That PIN is not right. Try again.' } as const);
      },
    };
  }

  it('asks for the PIN, shows a wrong one as an error and asks again, and says verified only for the right one', async () => {
    const { windows } = fakeWindows();
    const check = verifier('13572468');
    const session = new PromptSession('c1', caller, windows, new AbortController().signal, check);
    const shown: PromptShow[] = [];
    const reply = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: true });
    session.attach({ post: (message) => shown.push(message) });
    expect(shown[0]).toMatchObject({ type: 'show', request: { kind: 'get', userVerification: true } });

    session.answer({ kind: 'approve', credentialId: toBase64url(record(1, 'alice').credentialId), pin: '00000000' });
    await tick();
    expect(shown[1]).toMatchObject({ type: 'show', error: 'That PIN is not right. Try again.' });
    session.answer({ kind: 'approve', credentialId: toBase64url(record(1, 'alice').credentialId) });
    await tick();
    expect(shown[2]).toMatchObject({ type: 'show', error: 'Enter your Latchkey PIN to continue.' });
    session.answer({ kind: 'approve', credentialId: toBase64url(record(1, 'alice').credentialId), pin: '13572468' });
    expect(await reply).toEqual({ kind: 'approve', credentialId: record(1, 'alice').credentialId, userVerified: true });
    expect(check.checked).toEqual(['00000000', '13572468']);
  });

  it('does not verify (nor check a PIN) when the ceremony does not ask for it and no PIN was typed', async () => {
    const { windows } = fakeWindows();
    const check = verifier('13572468');
    const session = new PromptSession('c1', caller, windows, new AbortController().signal, check);
    const reply = session.confirmCreate({ rp, user: { name: 'a', displayName: '' }, defaultFriendlyName: 'a', userVerification: false });
    session.attach({ post: () => undefined });
    session.answer({ kind: 'approve' });
    expect(await reply).toEqual({ kind: 'approve', friendlyName: 'a', userVerified: false });
    expect(check.checked).toEqual([]);
  });

  it('counts the PIN typed to unlock in this ceremony as user verification, though the ceremony did not ask for it', async () => {
    const { windows } = fakeWindows();
    const check = verifier('13572468');
    const session = new PromptSession('c1', caller, windows, new AbortController().signal, check);
    const reply = session.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: false });
    session.attach({ post: () => undefined });
    session.answer({ kind: 'approve', pin: '13572468' });
    expect(await reply).toMatchObject({ kind: 'approve', userVerified: true });
    expect(check.checked).toEqual(['13572468']);
  });

  it('will not take an approval while the vault is locked, but still takes another device', async () => {
    const { windows } = fakeWindows();
    const unlocked = { value: false };
    const session = new PromptSession('c1', caller, windows, new AbortController().signal, verifier('13572468', unlocked));
    const shown: PromptShow[] = [];
    const reply = session.confirmCreate({ rp, user: { name: 'a', displayName: '' }, defaultFriendlyName: 'a', userVerification: false });
    session.attach({ post: (message) => shown.push(message) });
    session.answer({ kind: 'approve' });
    await tick();
    expect(shown[1]).toMatchObject({ type: 'show', error: expect.stringContaining('locked') });
    session.answer({ kind: 'other-device' });
    expect(await reply).toEqual({ kind: 'other-device' });
  });
});

describe('the autofill PIN prompt closed before it connects', () => {
  it('ends that pick at once: the passkeys are offered under the field again, and the next pick opens a new prompt', async () => {
    const { windows, log } = fakeWindows();
    const prompt = new PromptSession('c1', caller, windows, new AbortController().signal);
    const states: string[] = [];
    const autofill = new AutofillSession({
      prompt,
      caller,
      showFrame: (state) => states.push(state),
      useAnotherDevice: () => undefined,
      isUnlocked: async () => true,
    });
    const frame = { post: () => undefined };
    autofill.attachFrame(frame);
    let settled = false;
    const answer = autofill.chooseCredential({ rp, candidates: [record(1, 'alice')], userVerification: true });
    void answer.then(() => (settled = true));
    autofill.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(1, 'alice').credentialId), seen: true });
    await tick();
    expect(log).toEqual(['open c1']);
    prompt.windowRemoved(100);
    await tick();
    expect(states).toEqual(['armed', 'off', 'armed']);
    expect(settled).toBe(false);
    autofill.pick(frame, { kind: 'passkey', credentialId: toBase64url(record(1, 'alice').credentialId), seen: true });
    await tick();
    expect(log).toEqual(['open c1', 'open c1']);
  });

  it('marks an earlier passkey of an account with the current one it answers to, and shows the unused one a create replaces', async () => {
    const { windows } = fakeWindows();
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    const shown: PromptShow[] = [];
    session.attach({ post: (message) => shown.push(message) });
    const current = record(2, 'alice');
    const earlier = { ...record(1, 'alice'), supersededBy: current.credentialId };
    void session.chooseCredential({ rp, candidates: [current, earlier], userVerification: false });
    await tick();
    const get = shown.at(-1);
    expect(get?.type === 'show' && get.request.kind === 'get' && get.request.accounts.map((a) => a.earlierOf)).toEqual([undefined, toBase64url(current.credentialId)]);
    session.answer({ kind: 'cancel' });
    await tick();
    void session.confirmCreate({ rp, user: { name: 'alice', displayName: 'Alice' }, defaultFriendlyName: 'x', userVerification: false, replacing: current });
    await tick();
    const create = shown.at(-1);
    expect(create?.type === 'show' && create.request.kind === 'create' && create.request.replacing?.credentialId).toBe(toBase64url(current.credentialId));
  });
});
