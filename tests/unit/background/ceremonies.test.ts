import { describe, expect, it } from 'vitest';
import { withLockState } from '../../../src/background/ceremonies';
import type { UserVerifier } from '../../../src/background/prompt-session';
import type { PromptRequest } from '../../../src/protocol/messages';
import { tick } from './fixtures';

const request: PromptRequest = {
  kind: 'excluded',
  site: { rpId: 'example.com', rpName: 'Example', origin: 'https://example.com' },
  existing: { credentialId: 'AQ', userName: 'alice', userDisplayName: 'Alice', friendlyName: 'alice on example.com', createdAt: 1, lastUsedAt: null },
};

function verifier(isUnlocked: () => Promise<boolean>): UserVerifier {
  return { isUnlocked, verifyUser: async () => ({ ok: true }) };
}

describe('withLockState', () => {
  it('sends each question with the lock state, so the prompt does not ask for it', async () => {
    const posted: unknown[] = [];
    let unlocked = true;
    const connection = withLockState({ postMessage: (m) => posted.push(m) }, verifier(async () => unlocked));
    connection.post({ type: 'show', request });
    await tick();
    unlocked = false;
    connection.post({ type: 'show', request, error: 'Latchkey is locked.' });
    await tick();
    expect(posted).toEqual([
      { type: 'show', request, unlocked: true },
      { type: 'show', request, error: 'Latchkey is locked.', unlocked: false },
    ]);
  });

  it('keeps the order of what the session posts', async () => {
    const posted: unknown[] = [];
    const connection = withLockState({ postMessage: (m) => posted.push(m) }, verifier(async () => true));
    connection.post({ type: 'show', request });
    connection.post({ type: 'close' });
    await tick();
    expect(posted).toEqual([{ type: 'show', request, unlocked: true }, { type: 'close' }]);
  });

  it('says locked when the lock state cannot be read, and sends nothing more once the port is gone', async () => {
    const posted: unknown[] = [];
    let open = true;
    const port = {
      postMessage(m: unknown) {
        if (!open) throw new Error('Attempting to use a disconnected port object');
        posted.push(m);
      },
    };
    const connection = withLockState(port, verifier(() => Promise.reject(new Error('storage.session'))));
    connection.post({ type: 'show', request });
    await tick();
    open = false;
    connection.post({ type: 'show', request });
    await tick();
    open = true;
    connection.post({ type: 'close' });
    await tick();
    // The question lost to the closed port does not stop what follows it.
    expect(posted).toEqual([{ type: 'show', request, unlocked: false }, { type: 'close' }]);
  });

  it('passes questions on as they are without a lock', async () => {
    const posted: unknown[] = [];
    withLockState({ postMessage: (m) => posted.push(m) }, undefined).post({ type: 'show', request });
    await tick();
    expect(posted).toEqual([{ type: 'show', request }]);
  });
});
