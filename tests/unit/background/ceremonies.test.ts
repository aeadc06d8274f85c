import { describe, expect, it, vi } from 'vitest';
import { createAuthenticator, type Authenticator } from '../../../src/authenticator';
import { FakeCredentialStore } from '../authenticator/fakes';
import { Ceremonies, withLockState } from '../../../src/background/ceremonies';
import type { UserVerifier } from '../../../src/background/prompt-session';
import type { PromptRequest } from '../../../src/protocol/messages';
import type { RuntimePort } from '../../../src/background/runtime-port';
import { tick } from './fixtures';
import { setPublicSuffixSource } from '../../../src/client/public-suffix';
import { publicSuffixListText } from '../../../scripts/public-suffix-list.mjs';

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

describe('Ceremonies', () => {
  it('reads the settings and the Public Suffix List while the vault opens, not after it', async () => {
    const reads: string[] = [];
    setPublicSuffixSource(async () => {
      reads.push('suffixes');
      return publicSuffixListText();
    });
    let openVault!: (authenticator: Authenticator) => void;
    const ceremonies = new Ceremonies({
      promptUrl: 'chrome-extension://latchkey/prompt.html',
      randomId: () => 'c1',
      frames: async () => [],
      windows: { open: async () => 1, close: async () => undefined, focusTab: async () => undefined },
      authenticator: () => {
        reads.push('vault');
        return new Promise((resolve) => (openVault = resolve));
      },
      ceremonySettings: async () => {
        reads.push('settings');
        return { neverSites: [], browserFirst: false };
      },
    });
    const listeners: ((message: unknown) => void)[] = [];
    const port: RuntimePort = {
      name: 'latchkey-ceremony',
      sender: { origin: 'https://example.com', frameId: 0, tab: { id: 7, windowId: 3 } },
      postMessage: () => undefined,
      disconnect: () => undefined,
      onMessage: { addListener: (listener) => listeners.push(listener) },
      onDisconnect: { addListener: () => undefined },
    };
    ceremonies.acceptRelay(port);
    const options = { challenge: 'AAECAwQFBgc', rpId: 'example.com', allowCredentials: [], userVerification: 'preferred' };
    listeners.forEach((listener) => listener({ type: 'get', options, mediation: 'optional', frame: { createAllowed: false, getAllowed: false, transientActivation: false, policyKnown: true, secureContext: true } }));
    await tick();
    expect(reads).toEqual(['vault', 'settings', 'suffixes']);
    openVault({
      makeCredential: async () => ({ kind: 'error', code: 'Other', message: 'unused' }),
      getAssertion: async () => ({ kind: 'error', code: 'NoCredentials', message: 'none' }),
      signal: async () => undefined,
    });
    await tick();
  });

  /** A relay's port from `origin` with what it posts and whether it was disconnected. */
  function relayPort(origin: string) {
    const listeners: ((message: unknown) => void)[] = [];
    const seen = { posted: [] as unknown[], disconnected: false };
    const port: RuntimePort = {
      name: 'latchkey-ceremony',
      sender: { origin, frameId: 0, tab: { id: 7, windowId: 3 } },
      postMessage: (m) => seen.posted.push(m),
      disconnect: () => {
        seen.disconnected = true;
      },
      onMessage: { addListener: (listener) => listeners.push(listener) },
      onDisconnect: { addListener: () => undefined },
    };
    return { port, seen, send: (m: unknown) => listeners.forEach((l) => l(m)) };
  }

  function ceremoniesWith(neverSites: string[], calls: string[]) {
    return new Ceremonies({
      promptUrl: 'chrome-extension://latchkey/prompt.html',
      randomId: () => 'c1',
      frames: async () => [],
      windows: {
        open: async () => {
          calls.push('prompt');
          return 1;
        },
        close: async () => undefined,
        focusTab: async () => undefined,
      },
      authenticator: async () => {
        calls.push('vault');
        return {
          makeCredential: async () => ({ kind: 'error', code: 'Other', message: 'unused' }),
          getAssertion: async () => ({ kind: 'error', code: 'Other', message: 'unused' }),
          signal: async () => undefined,
        };
      },
      ceremonySettings: async () => ({ neverSites, browserFirst: false }),
    });
  }

  const facts = (secureContext: boolean) => ({ createAllowed: true, getAllowed: true, transientActivation: true, policyKnown: true, secureContext });
  const getOptions = { challenge: 'AAECAwQFBgc', rpId: 'bank.com' };

  it('refuses an http: page whose relay did not see a secure context: no answer, no vault read, no prompt', async () => {
    const calls: string[] = [];
    const relay = relayPort('http://x.bank.com');
    ceremoniesWith([], calls).acceptRelay(relay.port);
    relay.send({ type: 'get', options: getOptions, mediation: 'optional', frame: facts(false) });
    await tick();
    expect(relay.seen).toEqual({ posted: [], disconnected: true });
    expect(calls).toEqual([]);
  });

  it('refuses a request without the secure-context fact', async () => {
    const calls: string[] = [];
    const relay = relayPort('http://x.bank.com');
    ceremoniesWith([], calls).acceptRelay(relay.port);
    const { secureContext: _, ...withoutFact } = facts(true);
    relay.send({ type: 'get', options: getOptions, mediation: 'optional', frame: withoutFact });
    await tick();
    expect(relay.seen.posted).toEqual([]);
    expect(calls).toEqual([]);
  });

  it.each([
    ['https://login.bank.com', ['bank.com'], 'fallback'],
    ['https://bank.com', ['bank.com'], 'fallback'],
    ['https://bank.com', ['https://bank.com'], 'fallback'],
    ['https://notbank.com', ['bank.com'], 'serve'],
    ['https://bank.com', ['login.bank.com'], 'serve'],
  ])("answers the PublicKeyCredential statics of %s with never list %j: '%s'", async (origin, never, type) => {
    const calls: string[] = [];
    const relay = relayPort(origin);
    ceremoniesWith(never, calls).acceptRelay(relay.port);
    relay.send({ type: 'statics', frame: facts(true) });
    await tick();
    expect(relay.seen.posted).toEqual([type === 'fallback' ? { type, hints: [] } : { type }]);
    expect(calls).toEqual([]);
  });
});

describe('Ceremonies: a prompt window closed before it connects', () => {
  const creation = {
    rp: { id: 'example.com', name: 'Example' },
    user: { id: 'AQID', name: 'alice', displayName: 'Alice' },
    challenge: 'AAECAwQFBgc',
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
  };
  const frame = { createAllowed: true, getAllowed: true, transientActivation: false, policyKnown: true, secureContext: true };

  /** A relay port in tab 7, and what the worker posted back on it. */
  function relayPort() {
    const listeners: ((message: unknown) => void)[] = [];
    const posted: unknown[] = [];
    const port: RuntimePort = {
      name: 'latchkey-ceremony',
      sender: { origin: 'https://example.com', frameId: 0, tab: { id: 7, windowId: 3 } },
      postMessage: (message) => posted.push(message),
      disconnect: () => undefined,
      onMessage: { addListener: (listener) => listeners.push(listener) },
      onDisconnect: { addListener: () => undefined },
    };
    const send = (message: unknown) => listeners.forEach((listener) => listener(message));
    return { port, posted, send };
  }

  it('ends the ceremony with NotAllowedError at once and frees the tab for the next call', async () => {
    const opened: number[] = [];
    let nextWindow = 40;
    const ceremonies = new Ceremonies({
      promptUrl: 'chrome-extension://latchkey/prompt.html',
      randomId: (() => {
        let n = 0;
        return () => `c${++n}`;
      })(),
      frames: async () => [],
      windows: {
        open: async () => {
          opened.push(nextWindow);
          return nextWindow++;
        },
        close: async () => undefined,
        focusTab: async () => undefined,
      },
      authenticator: async (ui) => createAuthenticator(new FakeCredentialStore(), ui),
    });
    const first = relayPort();
    ceremonies.acceptRelay(first.port);
    first.send({ type: 'create', options: creation, frame });
    await vi.waitFor(() => {
      if (opened.length === 0) throw new Error('not yet');
    });
    expect(opened).toEqual([40]);
    // The user closes the window before the prompt's script said hello.
    ceremonies.windowRemoved(40);
    await vi.waitFor(() => {
      if (first.posted.length === 0) throw new Error('not yet');
    });
    expect(first.posted).toEqual([expect.objectContaining({ type: 'error', name: 'NotAllowedError' })]);

    const second = relayPort();
    ceremonies.acceptRelay(second.port);
    second.send({ type: 'create', options: creation, frame });
    await vi.waitFor(() => {
      if (opened.length === 1) throw new Error('not yet');
    });
    expect(second.posted).toEqual([]);
    expect(opened).toEqual([40, 41]);
  });

  describe('a signal (L3 §5.1.10)', () => {
    const frame = { createAllowed: false, getAllowed: false, transientActivation: false, policyKnown: true, secureContext: true };
    function relay(authenticator: () => Promise<Authenticator>, origin = 'https://example.com', neverSites: string[] = []) {
      const events: string[] = [];
      const posted: unknown[] = [];
      const ceremonies = new Ceremonies({
        promptUrl: 'chrome-extension://latchkey/prompt.html',
        randomId: () => 'c1',
        frames: async () => [],
        windows: { open: async () => 1, close: async () => undefined, focusTab: async () => undefined },
        authenticator: async () => {
          events.push('vault');
          return authenticator();
        },
        ceremonySettings: async () => ({ neverSites, browserFirst: false }),
      });
      const send = (message: unknown) => {
        const listeners: ((message: unknown) => void)[] = [];
        ceremonies.acceptRelay({
          name: 'latchkey-ceremony',
          sender: { origin, frameId: 0, tab: { id: 7, windowId: 3 } },
          postMessage: (m) => {
            events.push('reply');
            posted.push(m);
          },
          disconnect: () => undefined,
          onMessage: { addListener: (listener) => listeners.push(listener) },
          onDisconnect: { addListener: () => undefined },
        });
        listeners.forEach((listener) => listener({ ...(message as object), frame }));
      };
      return { events, posted, send };
    }

    it('answers the page before the vault is opened, then hides the passkey in the vault', async () => {
      const store = new FakeCredentialStore();
      const authenticator = createAuthenticator(store, { confirmCreate: async () => ({ kind: 'cancel' }), acknowledgeExcluded: async () => ({ kind: 'cancel' }), chooseCredential: async () => ({ kind: 'cancel' }) });
      const { events, posted, send } = relay(async () => authenticator);
      send({ type: 'signal', method: 'signalUnknownCredential', options: { rpId: 'example.com', credentialId: 'AQIDBA' } });
      await tick();
      await tick();
      expect(posted).toEqual([{ type: 'signaled' }]);
      expect(events).toEqual(['reply', 'vault']);
    });

    it('answers the same for a held and an unknown credential, and SecurityError for another site without opening the vault', async () => {
      const signals: unknown[] = [];
      const authenticator: Authenticator = {
        makeCredential: async () => ({ kind: 'error', code: 'Other', message: 'unused' }),
        getAssertion: async () => ({ kind: 'error', code: 'Other', message: 'unused' }),
        signal: async (s) => void signals.push(s),
      };
      const { events, posted, send } = relay(async () => authenticator);
      send({ type: 'signal', method: 'signalUnknownCredential', options: { rpId: 'other.example', credentialId: 'AQIDBA' } });
      await tick();
      expect(posted).toEqual([expect.objectContaining({ type: 'error', name: 'SecurityError' })]);
      expect(events).toEqual(['reply']);
      expect(signals).toEqual([]);
      send({ type: 'signal', method: 'signalAllAcceptedCredentials', options: { rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: ['Ag'] } });
      await tick();
      await tick();
      expect(posted[1]).toEqual({ type: 'signaled' });
      expect(signals).toEqual([{ kind: 'accepted', rpId: 'example.com', userHandle: Uint8Array.of(1), credentialIds: [Uint8Array.of(2)] }]);
    });

    it("hands a signal on a site on the never list to the browser's own method, and applies nothing", async () => {
      const { events, posted, send } = relay(async () => Promise.reject(new Error('no vault')), 'https://login.example.com', ['example.com']);
      send({ type: 'signal', method: 'signalUnknownCredential', options: { rpId: 'example.com', credentialId: 'AQIDBA' } });
      await tick();
      await tick();
      expect(posted).toEqual([{ type: 'fallback', hints: [] }]);
      expect(events).toEqual(['reply']);
    });
  });
});

describe('Ceremonies.acceptAutofill', () => {
  /** A port whose messages and disconnection the test reads. */
  function fakePort(name: string, sender: RuntimePort['sender']) {
    const posted: unknown[] = [];
    const listeners: ((message: unknown) => void)[] = [];
    let disconnected = false;
    const port: RuntimePort = {
      name,
      sender,
      postMessage: (m) => posted.push(m),
      disconnect: () => void (disconnected = true),
      onMessage: { addListener: (listener) => listeners.push(listener) },
      onDisconnect: { addListener: () => undefined },
    };
    return { port, posted, send: (m: unknown) => listeners.forEach((l) => l(m)), isDisconnected: () => disconnected };
  }

  it('turns away an autofill frame that does not say the key the relay was given (a frame of the page that loads autofill.html itself)', async () => {
    let ids = 0;
    const ceremonies = new Ceremonies({
      promptUrl: 'chrome-extension://latchkey/prompt.html',
      randomId: () => `id${++ids}`,
      frames: async () => [],
      windows: { open: async () => 1, close: async () => undefined, focusTab: async () => undefined },
      isAutofillFrame: () => true,
      authenticator: async (ui) => ({
        signal: async () => undefined,
        makeCredential: async () => ({ kind: 'error', code: 'Other', message: 'unused' }),
        getAssertion: async (params) => {
          await ui.chooseCredential({ rp: { id: params.rpId, name: params.rpId }, candidates: [], userVerification: false });
          return { kind: 'error', code: 'OperationDenied', message: 'cancelled' };
        },
      }),
    });
    const relay = fakePort('latchkey-ceremony', { origin: 'https://example.com', frameId: 0, tab: { id: 7, windowId: 3 } });
    ceremonies.acceptRelay(relay.port);
    const options = { challenge: 'AAECAwQFBgc', rpId: 'example.com', allowCredentials: [] };
    relay.send({ type: 'get', options, mediation: 'conditional', frame: { createAllowed: false, getAllowed: true, transientActivation: false, policyKnown: true, secureContext: true } });
    for (let i = 0; i < 10; i++) await tick();

    const notice = relay.posted.find((m) => (m as { type?: string }).type === 'autofill') as { state: string; key: string };
    expect(notice).toMatchObject({ state: 'armed' });

    const hijack = fakePort('latchkey-autofill', { id: 'latchkey', url: 'chrome-extension://latchkey/autofill.html', frameId: 6, tab: { id: 7 } });
    ceremonies.acceptAutofill(hijack.port);
    hijack.send({ type: 'hello', key: 'guessed' });
    hijack.send({ type: 'another-device' });
    const real = fakePort('latchkey-autofill', { id: 'latchkey', url: 'chrome-extension://latchkey/autofill.html', frameId: 5, tab: { id: 7 } });
    ceremonies.acceptAutofill(real.port);
    real.send({ type: 'hello', key: notice.key });
    for (let i = 0; i < 5; i++) await tick();

    expect(hijack.posted).toEqual([{ type: 'close' }]);
    expect(hijack.isDisconnected()).toBe(true);
    expect(real.posted).toMatchObject([{ type: 'show', accounts: [] }]);
    expect(real.isDisconnected()).toBe(false);
    expect(relay.posted.filter((m) => (m as { type?: string }).type !== 'autofill')).toEqual([]);
  });
});
