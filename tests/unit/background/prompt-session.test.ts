import { describe, expect, it } from 'vitest';
import type { CredentialRecord } from '../../../src/authenticator/ports';
import { PromptSession } from '../../../src/background/prompt-session';
import type { PromptWindows } from '../../../src/background/windows';
import { toBase64url } from '../../../src/protocol/base64url';
import type { PromptShow } from '../../../src/protocol/messages';

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

function record(id: number, userName: string): CredentialRecord {
  return {
    credentialId: new Uint8Array(16).fill(id),
    rpId: 'example.com',
    rpName: 'Example',
    userHandle: new Uint8Array([id]),
    userName,
    userDisplayName: userName.toUpperCase(),
    friendlyName: `${userName} on example.com`,
    alg: -7,
    publicKey: new Uint8Array([1, 2, 3]),
    discoverable: true,
    backupState: false,
    createdAt: 1000 + id,
    lastUsedAt: null,
  };
}

const rp = { id: 'example.com', name: 'Example' };
const caller = { origin: 'https://example.com' };
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PromptSession', () => {
  it('opens one window on the first question and shows it once the prompt connects', async () => {
    const { windows, log } = fakeWindows();
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    const shown: PromptShow[] = [];
    const reply = session.confirmCreate({ rp, user: { name: 'alice', displayName: 'Alice' }, defaultFriendlyName: 'alice on example.com' });
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
      },
    }]);
    session.answer({ kind: 'approve', friendlyName: '  Work laptop  ' });
    expect(await reply).toEqual({ kind: 'approve', friendlyName: 'Work laptop' });
  });

  it('keeps the default friendly name when the user empties the field', async () => {
    const { windows } = fakeWindows();
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    const reply = session.confirmCreate({ rp, user: { name: 'a', displayName: '' }, defaultFriendlyName: 'a on example.com' });
    session.attach({ post: () => undefined });
    session.answer({ kind: 'approve', friendlyName: '   ' });
    expect(await reply).toEqual({ kind: 'approve', friendlyName: 'a on example.com' });
  });

  it('answers cancel when the user closes the prompt window', async () => {
    const { windows } = fakeWindows();
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    const reply = session.chooseCredential({ rp, candidates: [record(1, 'alice')] });
    session.attach({ post: () => undefined });
    session.detach();
    expect(await reply).toEqual({ kind: 'cancel' });
  });

  it('returns the chosen candidate and refuses an id it never showed', async () => {
    const { windows } = fakeWindows();
    const candidates = [record(1, 'alice'), record(2, 'bob')];
    const session = new PromptSession('c1', caller, windows, new AbortController().signal);
    const chosen = session.chooseCredential({ rp, candidates });
    session.attach({ post: () => undefined });
    session.answer({ kind: 'approve', credentialId: toBase64url(candidates[1]!.credentialId) });
    expect(await chosen).toEqual({ kind: 'approve', credentialId: candidates[1]!.credentialId });

    const forged = session.chooseCredential({ rp, candidates });
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
    const second = session.chooseCredential({ rp, candidates: [record(1, 'alice')] });
    session.answer({ kind: 'security-key' });
    expect(await second).toEqual({ kind: 'security-key' });
  });

  it('closes its window and cancels the open question when the ceremony aborts', async () => {
    const { windows, log } = fakeWindows();
    const abort = new AbortController();
    const session = new PromptSession('c1', caller, windows, abort.signal);
    const reply = session.chooseCredential({ rp, candidates: [record(1, 'alice')] });
    await tick();
    abort.abort();
    expect(await reply).toEqual({ kind: 'cancel' });
    await tick();
    expect(log).toEqual(['open c1', 'close 100']);
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
