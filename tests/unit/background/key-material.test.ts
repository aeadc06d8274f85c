// Key material never leaves the worker: a create and a get run through the worker's ceremonies,
// over the real vault (fake IndexedDB), with the prompt answered on its port. Nothing the page's
// relay or the prompt is sent, and nothing written to the console, carries 16 bytes in a row of
// the private key, its wrapped form, or the vault key (DEK), raw or in base64url, base64 or hex.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuthenticator } from '../../../src/authenticator';
import { Ceremonies } from '../../../src/background/ceremonies';
import { fromBase64url } from '../../../src/protocol/base64url';
import { importVaultKey, Vault } from '../../../src/vault';
import { dumpDatabase, freshName, randomBytes } from '../vault/fixtures';
import { FakePort } from './fixtures';

const PROMPT_URL = 'chrome-extension://latchkey/prompt.html';
const top = { origin: 'https://example.com', frameId: 0, tab: { id: 7, windowId: 3 } };
const frame = { createAllowed: false, getAllowed: false, transientActivation: false, policyKnown: true, secureContext: true };
const WINDOW = 16;


/** Every byte string a value could carry: binary members as they are, strings as text and as base64url, base64 or hex. */
function byteStrings(value: unknown, out: Uint8Array[] = []): Uint8Array[] {
  if (value instanceof Uint8Array) out.push(value);
  else if (value instanceof ArrayBuffer) out.push(new Uint8Array(value));
  else if (ArrayBuffer.isView(value)) out.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  else if (typeof value === 'string') {
    out.push(new TextEncoder().encode(value));
    for (const token of value.split(/[^A-Za-z0-9_\-+/=]+/)) {
      if (token.length < 20) continue;
      const url = fromBase64url(token.replace(/=+$/, ''));
      if (url) out.push(url);
      if (/^[A-Za-z0-9+/]+={0,2}$/.test(token)) out.push(Uint8Array.from(atob(token.padEnd(Math.ceil(token.length / 4) * 4, '=')), (c) => c.charCodeAt(0)));
      if (/^([0-9a-f]{2})+$/i.test(token)) out.push(Uint8Array.from(token.match(/../g) ?? [], (h) => parseInt(h, 16)));
    }
  } else if (Array.isArray(value)) for (const item of value) byteStrings(item, out);
  else if (value instanceof Error) byteStrings([value.message, value.stack], out);
  else if (value !== null && typeof value === 'object') for (const member of Object.values(value)) byteStrings(member, out);
  return out;
}

/** Whether `haystack` holds WINDOW bytes in a row of `secret`. */
function carries(haystack: Uint8Array, secret: Uint8Array): boolean {
  const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const text = hex(haystack);
  for (let i = 0; i + WINDOW <= secret.length; i++) {
    const at = text.indexOf(hex(secret.subarray(i, i + WINDOW)));
    if (at >= 0 && at % 2 === 0) return true;
  }
  return false;
}

/** The names of the secrets that `values` carry. */
function leaked(values: unknown[], secrets: Record<string, Uint8Array>): string[] {
  const found = new Set<string>();
  for (const bytes of byteStrings(values)) for (const [name, secret] of Object.entries(secrets)) if (carries(bytes, secret)) found.add(name);
  return [...found];
}

const opened: Vault[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const vault of opened.splice(0)) vault.close();
});

describe('key material never reaches a page, the prompt or a log', () => {
  it('a create and a get: no message to the relay or the prompt, and no console output, carries the private key, its wrapped form or the vault key', async () => {
    const logged: unknown[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) vi.spyOn(console, method).mockImplementation((...args) => void logged.push(args));

    const dek = randomBytes(32);
    const key = importVaultKey(dek);
    const name = freshName();
    const vault = await Vault.open({ vaultKey: () => key }, name);
    opened.push(vault);
    let ids = 0;
    const windowsFor: string[] = [];
    const ceremonies = new Ceremonies({
      promptUrl: PROMPT_URL,
      randomId: () => `id${++ids}`,
      frames: async () => [],
      windows: { open: async (ceremonyId) => (windowsFor.push(ceremonyId), 1), close: async () => undefined, focusTab: async () => undefined },
      authenticator: async (ui) => createAuthenticator(vault, ui),
    });
    const toPage: unknown[] = [];
    const toPrompt: unknown[] = [];

    /** Runs one ceremony: the relay asks, the prompt says hello and answers what it is shown. */
    async function ceremony(request: unknown, answer: (shown: unknown) => unknown) {
      const relay = new FakePort('latchkey-ceremony', top);
      ceremonies.acceptRelay(relay);
      const windowsBefore = windowsFor.length;
      relay.send(request);
      // The prompt window opens, its page says hello and is shown the question.
      await vi.waitFor(() => expect(windowsFor.length).toBe(windowsBefore + 1), { timeout: 10_000 });
      const ceremonyId = windowsFor.at(-1);
      const prompt = new FakePort('latchkey-prompt', { id: 'latchkey', url: `${PROMPT_URL}?id=${ceremonyId}` });
      ceremonies.acceptPrompt(prompt);
      prompt.send({ type: 'hello', ceremonyId });
      await vi.waitFor(() => expect(prompt.posted).toContainEqual(expect.objectContaining({ type: 'show' })), { timeout: 10_000 });
      prompt.send({ type: 'answer', answer: answer(prompt.posted.at(-1)) });
      await vi.waitFor(() => expect(relay.posted).not.toEqual([]), { timeout: 10_000 });
      toPage.push(...relay.posted);
      toPrompt.push(...prompt.posted);
      return relay.posted[0] as { type: string; credential?: { id: string } };
    }

    const created = await ceremony(
      {
        type: 'create',
        options: {
          rp: { id: 'example.com', name: 'Example' },
          user: { id: 'AQIDBA', name: 'ada', displayName: 'Ada' },
          challenge: 'AAECAwQFBgcICQoLDA0ODw',
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          authenticatorSelection: { residentKey: 'required', userVerification: 'discouraged' },
          extensions: { credProps: true },
        },
        frame,
      },
      () => ({ kind: 'approve', friendlyName: 'Laptop' }),
    );
    expect(created.type).toBe('created');
    const asserted = await ceremony(
      { type: 'get', options: { challenge: 'EBESExQVFhcYGRobHB0eHw', rpId: 'example.com', userVerification: 'discouraged' }, mediation: 'optional', frame },
      (shown) => ({ kind: 'approve', credentialId: (shown as { request: { accounts: { credentialId: string }[] } }).request.accounts[0]?.credentialId }),
    );
    expect(asserted.type).toBe('asserted');

    // The secrets, as the worker holds them: the private key, and what IndexedDB holds of it.
    const credentialId = fromBase64url(created.credential?.id ?? '') ?? new Uint8Array();
    const privateKey = await vault.withPrivateKey(credentialId, (k) => k.slice());
    const rows = (await dumpDatabase(name)).credentials as { wrappedKey: { iv: Uint8Array; ciphertext: Uint8Array } }[];
    expect(rows).toHaveLength(1);
    const secrets = { 'the private key': privateKey, 'the wrapped private key': rows[0]!.wrappedKey.ciphertext, 'the vault key': dek };
    for (const secret of Object.values(secrets)) expect(secret.length).toBeGreaterThanOrEqual(WINDOW);

    // The check itself finds a key where there is one, whatever the encoding.
    expect(leaked([{ raw: privateKey }, Buffer.from(privateKey).toString('base64url'), `k=${Buffer.from(privateKey).toString('hex')}`], secrets)).toEqual(['the private key']);

    expect(toPage.map((m) => (m as { type: string }).type)).toEqual(['created', 'asserted']);
    expect(leaked(toPage, secrets), 'messages to the page').toEqual([]);
    expect(leaked(toPrompt, secrets), 'messages to the prompt').toEqual([]);
    expect(leaked(logged, secrets), 'console output').toEqual([]);
  });
});
