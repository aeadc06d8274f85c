// A save IndexedDB refuses after the user approved, through the service worker's ceremony:
// the page gets UnknownError, the prompt stays open with a sentence saying nothing was
// stored, and the vault is as it was.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuthenticator } from '../../../src/authenticator';
import { Ceremonies } from '../../../src/background/ceremonies';
import { toBase64url } from '../../../src/protocol/base64url';
import { Vault } from '../../../src/vault';
import { dumpDatabase, freshName, unlockedKeys } from '../vault/fixtures';
import { FakePort, tick } from './fixtures';

const PROMPT_URL = 'chrome-extension://latchkey/prompt.html';
const frame = { createAllowed: true, getAllowed: true, transientActivation: false, policyKnown: true, secureContext: true };


const settle = async () => {
  for (let i = 0; i < 20; i++) await tick();
};

const add = IDBObjectStore.prototype.add;
afterEach(() => {
  IDBObjectStore.prototype.add = add;
});

describe('a save IndexedDB refuses after the user approved', () => {
  it('answers the page UnknownError, keeps the prompt open with a sentence that nothing was stored, and stores nothing', async () => {
    const name = freshName();
    const vault = await Vault.open(unlockedKeys(), name);
    const before = await dumpDatabase(name);
    const windows = { opened: 0, closed: 0 };
    const ceremonies = new Ceremonies({
      promptUrl: PROMPT_URL,
      randomId: () => 'ceremony-1',
      frames: async () => [],
      windows: {
        open: async () => (windows.opened++, 41),
        close: async () => void windows.closed++,
        focusTab: async () => undefined,
      },
      authenticator: async (ui) => createAuthenticator(vault, ui),
    });
    IDBObjectStore.prototype.add = function () {
      throw new DOMException('The write does not fit in the quota.', 'QuotaExceededError');
    };

    const relay = new FakePort('latchkey-ceremony', { origin: 'https://example.com', frameId: 0, tab: { id: 7, windowId: 3 } });
    ceremonies.acceptRelay(relay);
    relay.send({
      type: 'create',
      options: {
        rp: { id: 'example.com', name: 'Example' },
        user: { id: toBase64url(new Uint8Array([1, 2, 3])), name: 'ada', displayName: 'Ada' },
        challenge: 'AAECAwQFBgcICQoLDA0ODw',
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      },
      frame,
    });
    await settle();
    const prompt = new FakePort('latchkey-prompt', { url: `${PROMPT_URL}?ceremony=ceremony-1` });
    ceremonies.acceptPrompt(prompt);
    prompt.send({ type: 'hello', ceremonyId: 'ceremony-1' });
    await settle();
    expect(prompt.posted).toEqual([expect.objectContaining({ type: 'show' })]);
    prompt.send({ type: 'answer', answer: { kind: 'approve' } });
    // The failed write comes back through fake-indexeddb's timers: a fixed number of ticks is
    // not always enough on a loaded machine.
    await vi.waitFor(() => expect([relay.posted.length, prompt.posted.length]).toEqual([1, 2]));

    expect(relay.posted).toEqual([{ type: 'error', name: 'UnknownError', message: 'The authenticator failed.' }]);
    expect(prompt.posted.slice(1)).toEqual([{ type: 'failed', message: expect.stringMatching(/^Latchkey could not save this passkey, and nothing was stored\./) }]);
    expect(windows).toEqual({ opened: 1, closed: 0 });
    expect(await dumpDatabase(name)).toEqual(before);
    vault.close();
  });
});
