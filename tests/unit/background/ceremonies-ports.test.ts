// Who may talk to the service worker's ceremonies, and what they are told: identity from the
// port's sender only, ports without a caller turned away, a caller missing from the frame tree
// and a failing ceremony answered with the spec's error; prompt and autofill ports from
// anywhere else, or for an unknown ceremony, turned away.
import { describe, expect, it } from 'vitest';
import type { Authenticator } from '../../../src/authenticator';
import type { GetAssertionParams } from '../../../src/authenticator/types';
import { Ceremonies, promptQuestionHandler, type CeremonyServices } from '../../../src/background/ceremonies';
import type { RuntimePort } from '../../../src/background/runtime-port';
import { tick } from './fixtures';

const PROMPT_URL = 'chrome-extension://latchkey/prompt.html';
const frame = { createAllowed: true, getAllowed: true, transientActivation: false, policyKnown: true, secureContext: true };

/** A port from `sender`, what the worker posted on it and whether it disconnected it. */
function fakePort(name: string, sender: RuntimePort['sender']) {
  const posted: unknown[] = [];
  const listeners: ((message: unknown) => void)[] = [];
  const seen = { posted, disconnected: false };
  const port: RuntimePort = {
    name,
    sender,
    postMessage: (m) => posted.push(m),
    disconnect: () => void (seen.disconnected = true),
    onMessage: { addListener: (listener) => listeners.push(listener) },
    onDisconnect: { addListener: () => undefined },
  };
  return { port, seen, send: (m: unknown) => listeners.forEach((l) => l(m)) };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await tick();
};

/** Ceremonies whose authenticator records the get it is asked for and then answers `answer`. */
function ceremonies(over: Partial<CeremonyServices> = {}, calls: string[] = [], gets: GetAssertionParams[] = []) {
  const authenticator: Authenticator = {
    makeCredential: async () => ({ kind: 'error', code: 'OperationDenied', message: 'no' }),
    getAssertion: async (params) => {
      gets.push(params);
      return { kind: 'error', code: 'OperationDenied', message: 'no' };
    },
    signal: async () => undefined,
  };
  let ids = 0;
  return new Ceremonies({
    promptUrl: PROMPT_URL,
    randomId: () => `id${++ids}`,
    frames: async () => {
      calls.push('frames');
      return [];
    },
    windows: { open: async () => (calls.push('window'), 1), close: async () => undefined, focusTab: async () => undefined },
    authenticator: async () => (calls.push('vault'), authenticator),
    ...over,
  });
}

const top = { origin: 'https://example.com', frameId: 0, tab: { id: 7, windowId: 3 } };

describe('Ceremonies: the caller comes from the port only', () => {
  it("takes the origin from port.sender, not from what the message claims", async () => {
    const gets: GetAssertionParams[] = [];
    const relay = fakePort('latchkey-ceremony', top);
    ceremonies({}, [], gets).acceptRelay(relay.port);
    // No rpId: it defaults to the caller's origin's host (L3 §5.1.4.1 step 8), which shows the origin used.
    relay.send({ type: 'get', options: { challenge: 'AAECAwQFBgc' }, mediation: 'optional', frame, origin: 'https://bank.com', sender: { origin: 'https://bank.com', tab: { id: 1 } }, tabId: 1 });
    await settle();
    expect(gets.map((g) => g.rpId)).toEqual(['example.com']);
  });

  it.each([
    ['no tab', { origin: 'https://example.com', frameId: 0 }],
    ['no window', { origin: 'https://example.com', frameId: 0, tab: { id: 7 } }],
    ['no frame id', { origin: 'https://example.com', tab: { id: 7, windowId: 3 } }],
    ['no origin', { frameId: 0, tab: { id: 7, windowId: 3 } }],
    ['no sender', undefined],
  ] as [string, RuntimePort['sender']][])('disconnects a relay port with %s, before reading anything', async (_, sender) => {
    const calls: string[] = [];
    const relay = fakePort('latchkey-ceremony', sender);
    ceremonies({}, calls).acceptRelay(relay.port);
    relay.send({ type: 'get', options: { challenge: 'AAECAwQFBgc' }, mediation: 'optional', frame });
    await settle();
    expect(relay.seen).toEqual({ posted: [], disconnected: true });
    expect(calls).toEqual([]);
  });

  it('answers NotAllowedError when the calling frame is not in the tab’s frame tree, with no prompt and no vault read', async () => {
    const calls: string[] = [];
    const relay = fakePort('latchkey-ceremony', { origin: 'https://example.com', frameId: 5, tab: { id: 7, windowId: 3 } });
    ceremonies({}, calls).acceptRelay(relay.port);
    relay.send({ type: 'get', options: { challenge: 'AAECAwQFBgc' }, mediation: 'optional', frame });
    await settle();
    expect(relay.seen.posted).toEqual([expect.objectContaining({ type: 'error', name: 'NotAllowedError' })]);
    expect(calls).toEqual(['frames']);
  });

  it('answers UnknownError when the ceremony throws, and frees the tab for the next call', async () => {
    let fail = true;
    const c = ceremonies({
      authenticator: async () => {
        if (fail) throw new Error('IndexedDB went away');
        return {
          makeCredential: async () => ({ kind: 'error', code: 'OperationDenied', message: 'no' }),
          getAssertion: async () => ({ kind: 'error', code: 'OperationDenied', message: 'no' }),
          signal: async () => undefined,
        };
      },
    });
    const first = fakePort('latchkey-ceremony', top);
    c.acceptRelay(first.port);
    first.send({ type: 'get', options: { challenge: 'AAECAwQFBgc' }, mediation: 'optional', frame });
    await settle();
    expect(first.seen.posted).toEqual([{ type: 'error', name: 'UnknownError', message: 'Latchkey failed to answer.' }]);
    fail = false;
    const second = fakePort('latchkey-ceremony', top);
    c.acceptRelay(second.port);
    second.send({ type: 'get', options: { challenge: 'AAECAwQFBgc' }, mediation: 'optional', frame });
    await settle();
    expect(second.seen.posted).toEqual([expect.objectContaining({ type: 'error', name: 'NotAllowedError' })]);
  });
});

describe('Ceremonies: prompt and autofill ports', () => {
  it.each([
    ['a web page', { url: 'https://evil.example/prompt.html', frameId: 0, tab: { id: 7 } }],
    ['another extension', { id: 'other', url: 'chrome-extension://other/prompt.html' }],
    ['another page of Latchkey', { id: 'latchkey', url: 'chrome-extension://latchkey/popup.html' }],
    ['no URL', { id: 'latchkey' }],
  ] as [string, RuntimePort['sender']][])('disconnects a prompt port from %s, which then gets nothing', async (_, sender) => {
    const prompt = fakePort('latchkey-prompt', sender);
    ceremonies().acceptPrompt(prompt.port);
    expect(prompt.seen.disconnected).toBe(true);
    prompt.send({ type: 'hello', ceremonyId: 'id1' });
    await settle();
    expect(prompt.seen.posted).toEqual([]);
  });

  /** Ceremonies with one get under way in tab 7 whose authenticator waits for the user's pick. */
  async function liveGet(mediation: 'optional' | 'conditional', isAutofillFrame: (sender: NonNullable<RuntimePort['sender']>) => boolean, over: Partial<CeremonyServices> = {}) {
    const windows: number[] = [];
    const c = ceremonies({
      ...over,
      isAutofillFrame,
      windows: { open: async () => (windows.push(1), 1), close: async () => undefined, focusTab: async () => undefined },
      authenticator: async (ui) => ({
        makeCredential: async () => ({ kind: 'error', code: 'Other', message: 'unused' }),
        getAssertion: async (params) => {
          await ui.chooseCredential({ rp: { id: params.rpId, name: params.rpId }, candidates: [], userVerification: false });
          return { kind: 'error', code: 'OperationDenied', message: 'cancelled' };
        },
        signal: async () => undefined,
      }),
    });
    const relay = fakePort('latchkey-ceremony', top);
    c.acceptRelay(relay.port);
    relay.send({ type: 'get', options: { challenge: 'AAECAwQFBgc', rpId: 'example.com' }, mediation, frame });
    await settle();
    return { c, relay, windows };
  }

  it('answers a prompt’s early question with the question waiting for its ceremony, and nothing for a guessed id', async () => {
    const { c } = await liveGet('optional', () => false);
    const handle = promptQuestionHandler(c);
    const show = await handle({ type: 'prompt:question', ceremonyId: 'id1' });
    expect(show).toMatchObject({ type: 'show', request: { kind: 'get', site: { rpId: 'example.com', origin: 'https://example.com' }, accounts: [] } });
    expect(await handle({ type: 'prompt:question', ceremonyId: 'guessed' })).toBeUndefined();
    expect(await handle({ type: 'prompt:question', ceremonyId: 7 })).toBeUndefined();
    expect(handle({ type: 'lock:status' })).toBeUndefined();
  });

  it('gives the early question with the lock state, as the port’s show does', async () => {
    const { c } = await liveGet('optional', () => false, { lock: { isUnlocked: async () => true, verifyUser: async () => ({ ok: true }) } });
    expect(await c.question('id1')).toMatchObject({ type: 'show', unlocked: true });
  });

  it('tells a prompt with an unknown ceremony id to close, while another ceremony waits, and takes no answer from it', async () => {
    const { c, relay, windows } = await liveGet('optional', () => false);
    expect(windows).toEqual([1]); // the live ceremony's prompt window (id1) is open
    const prompt = fakePort('latchkey-prompt', { id: 'latchkey', url: `${PROMPT_URL}?id=guessed` });
    c.acceptPrompt(prompt.port);
    prompt.send({ type: 'hello', ceremonyId: 'guessed' });
    prompt.send({ type: 'answer', answer: { kind: 'cancel' } });
    await settle();
    expect(prompt.seen.posted).toEqual([{ type: 'close' }]);
    expect(relay.seen.posted).toEqual([]); // the live ceremony is not answered by the guess
  });

  it('turns away an autofill port that is not Latchkey’s suggestion frame, even with a conditional get in its tab', async () => {
    const { c, relay } = await liveGet('conditional', (sender) => sender.url?.startsWith('chrome-extension://latchkey/autofill.html') ?? false);
    expect(relay.seen.posted).toEqual([expect.objectContaining({ type: 'autofill', state: 'armed' })]);
    const key = (relay.seen.posted[0] as { key: string }).key;
    const notOurs = fakePort('latchkey-autofill', { url: 'https://evil.example/autofill.html', frameId: 3, tab: { id: 7 } });
    c.acceptAutofill(notOurs.port);
    notOurs.send({ type: 'hello', key });
    await settle();
    expect(notOurs.seen).toEqual({ posted: [{ type: 'close' }], disconnected: true });
  });

  it('turns away an autofill port from a tab with no conditional get', async () => {
    const { c } = await liveGet('conditional', () => true);
    const otherTab = fakePort('latchkey-autofill', { id: 'latchkey', url: 'chrome-extension://latchkey/autofill.html', frameId: 3, tab: { id: 8 } });
    c.acceptAutofill(otherTab.port);
    expect(otherTab.seen).toEqual({ posted: [{ type: 'close' }], disconnected: true });
  });
});
