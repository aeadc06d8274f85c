import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { Authenticator } from '../../../src/authenticator';
import type { UserInterface } from '../../../src/authenticator/ports';
import { Ceremonies } from '../../../src/background/ceremonies';
import { VaultLock, type SessionArea } from '../../../src/background/lock';
import { lockPageHandler } from '../../../src/background/lock-handler';
import { autoLockActivity, pageActivityHandler } from '../../../src/background/user-activity';
import { extensionPageRouter } from '../../../src/background/router';
import { toBase64url } from '../../../src/protocol/base64url';
import { VaultKeys } from '../../../src/vault';
import { freshName } from '../vault/fixtures';
import { FakePort, record, rp, tick } from './fixtures';

const PIN = '13572468';
const PROMPT_URL = 'chrome-extension://latchkey/prompt.html';
const EXTENSION = 'chrome-extension://latchkey/';
const FRAME = { createAllowed: false, getAllowed: false, transientActivation: false, policyKnown: true, secureContext: true };
const GET_OPTIONS = { challenge: 'AAECAwQFBgc', rpId: 'example.com', allowCredentials: [], userVerification: 'discouraged' };
const PASSKEY = record(1, 'alice');

class FakeSession implements SessionArea {
  readonly items = new Map<string, unknown>();
  async get(key: string) {
    return structuredClone(this.items.get(key));
  }
  async set(key: string, value: unknown) {
    this.items.set(key, structuredClone(value));
  }
  async remove(key: string) {
    this.items.delete(key);
  }
}

/**
 * An unlocked vault lock whose auto-lock alarm is a list of the schedules asked for, and the
 * worker's ceremonies wired to it as entrypoints/background.ts wires them. The authenticator
 * offers one passkey and asks the user interface to choose.
 */
async function worker() {
  const scheduled: number[] = [];
  const name = freshName();
  let keys: Promise<VaultKeys> | undefined;
  const lock = new VaultLock({
    keys: () => (keys ??= VaultKeys.open(name, { memoryKiB: 256, iterations: 1, parallelism: 1 })),
    session: new FakeSession(),
    alarm: { schedule: async (minutes) => void scheduled.push(minutes), clear: async () => undefined },
    autoLockMinutes: async () => 15,
  });
  const activity = autoLockActivity(lock);
  const prompts: string[] = [];
  let ids = 0;
  const authenticator = (ui: UserInterface): Authenticator => ({
    signal: async () => undefined,
    makeCredential: async () => ({ kind: 'error', code: 'Other', message: 'unused' }),
    getAssertion: async () => {
      await ui.chooseCredential({ rp, candidates: [PASSKEY], userVerification: false });
      return { kind: 'error', code: 'NoCredentials', message: 'the test ends here' };
    },
  });
  const ceremonies = new Ceremonies({
    promptUrl: PROMPT_URL,
    randomId: () => `c${++ids}`,
    frames: async () => [],
    windows: {
      open: async (ceremonyId) => {
        prompts.push(ceremonyId);
        return prompts.length;
      },
      close: async () => undefined,
      focusTab: async () => undefined,
    },
    authenticator: async (ui) => authenticator(ui),
    lock,
    isAutofillFrame: () => true,
    activity,
  });
  await lock.setUp(PIN);
  await vi.waitFor(() => expect(scheduled).toEqual([15])); // set-up arms it
  const pageRequests = extensionPageRouter(EXTENSION, [pageActivityHandler(activity), lockPageHandler(lock)]);
  return {
    lock,
    ceremonies,
    scheduled,
    prompts,
    /** The page calls get(); the relay opens the ceremony port. */
    get(mediation: 'optional' | 'conditional') {
      const relay = new FakePort('latchkey-ceremony', { origin: 'https://example.com', frameId: 0, tab: { id: 7, windowId: 3 } });
      ceremonies.acceptRelay(relay);
      relay.send({ type: 'heartbeat' });
      relay.send({ type: 'get', options: GET_OPTIONS, mediation, frame: FRAME });
      relay.send({ type: 'heartbeat' });
      return relay;
    },
    /** The prompt window of `ceremonyId` connects and says hello. */
    prompt(ceremonyId: string) {
      const port = new FakePort('latchkey-prompt', { url: `${PROMPT_URL}?ceremony=${ceremonyId}` });
      ceremonies.acceptPrompt(port);
      port.send({ type: 'hello', ceremonyId });
      port.send({ type: 'heartbeat' });
      return port;
    },
    /** The suggestion frame in tab 7 connects and says hello with the key the relay was given. */
    frame(relay: FakePort) {
      const notice = relay.posted.find((m) => (m as { type?: string }).type === 'autofill') as { key: string };
      const port = new FakePort('latchkey-autofill', { id: 'latchkey', url: `${EXTENSION}autofill.html`, tab: { id: 7, windowId: 3 } });
      ceremonies.acceptAutofill(port);
      port.send({ type: 'hello', key: notice.key });
      port.send({ type: 'heartbeat' });
      return port;
    },
    page: (message: unknown) => pageRequests(message, { url: `${EXTENSION}popup.html` }),
    close: async () => (await keys)?.close(),
  };
}

/** Lets the ceremony, the lock's storage and the alarm calls settle. */
async function settle() {
  for (let i = 0; i < 20; i++) await tick();
}

describe('what re-arms the auto-lock', () => {
  it('a page that keeps asking, with the prompt or the autofill, does not re-arm the lock', async () => {
    const w = await worker();
    for (let i = 0; i < 5; i++) {
      // A background tab restarts a conditional get: the frame connects, nobody picks.
      const conditional = w.get('conditional');
      await vi.waitFor(() => expect(conditional.posted).toContainEqual(expect.objectContaining({ type: 'autofill', state: 'armed' })));
      w.frame(conditional);
      await settle();
      conditional.close(); // the page aborts and starts over
      // A modal get: its prompt opens and connects, nobody answers, the page aborts.
      const modal = w.get('optional');
      await vi.waitFor(() => expect(w.prompts).toHaveLength(i + 1));
      w.prompt(w.prompts.at(-1)!);
      await settle();
      modal.close();
      await settle();
    }
    expect(w.prompts).toHaveLength(5);
    expect(w.scheduled).toEqual([15]);
    expect(await w.lock.isUnlocked()).toBe(true);
    await w.close();
  });

  it("a user's approval in the prompt re-arms it", async () => {
    const w = await worker();
    w.get('optional');
    await settle();
    const prompt = w.prompt(w.prompts[0]!);
    await settle();
    const before = w.scheduled.length;
    prompt.send({ type: 'answer', answer: { kind: 'approve', credentialId: toBase64url(PASSKEY.credentialId) } });
    await settle();
    expect(w.scheduled.length).toBe(before + 1);
    await w.close();
  });

  it("a user's pick in the autofill frame re-arms it; the frame's hello and heartbeats don't", async () => {
    const w = await worker();
    const conditional = w.get('conditional');
    await settle();
    const frame = w.frame(conditional);
    await settle();
    const before = w.scheduled.length;
    frame.send({ type: 'heartbeat' });
    await settle();
    expect(w.scheduled.length).toBe(before);
    frame.send({ type: 'pick', credentialId: toBase64url(PASSKEY.credentialId), seen: true });
    await settle();
    expect(w.scheduled.length).toBe(before + 1);
    await w.close();
  });

  it("the popup's requests re-arm it; a status read, a lock and the keep-ready page's don't", async () => {
    const w = await worker();
    await w.page({ type: 'lock:status' });
    await w.page({ type: 'keep-ready:color-scheme', dark: true });
    await settle();
    expect(w.scheduled).toEqual([15]);
    await w.page({ type: 'lock:lock' });
    await settle();
    expect(w.scheduled).toEqual([15]); // no alarm armed for a locked vault
    await w.page({ type: 'lock:unlock', pin: PIN });
    await settle();
    expect(w.scheduled).toEqual([15, 15]);
    await w.page({ type: 'manager:list' });
    await settle();
    expect(w.scheduled).toEqual([15, 15, 15]);
    await w.close();
  });
});
