// The toolbar popup's first view: with the vault unlocked, the manager is rendered once, with
// its rows, when both the lock state and the list's start are in; no frame shows the header
// and an empty (skeleton) list before the rows. Rendered with Preact into linkedom.
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { packPasskeys } from '../../../src/protocol/packed-list';
import { UNLOCKED_SESSION_KEY } from '../../../src/protocol/lock';
import { passkey } from './fixtures';

const PASSKEYS = Array.from({ length: 3 }, (_, i) => passkey({ credentialId: `cred${i}`, userName: `user${i}`, friendlyName: `user${i}` }));

/** The list's answer, held until the test lets it go. */
let releaseList: () => void = () => undefined;
vi.mock('../../../components/popup/manager-client', () => ({
  ask: (request: { type: string }) => {
    if (request.type !== 'manager:list') return Promise.reject(new Error(`not in this test: ${request.type}`));
    return new Promise((resolve) => {
      releaseList = () => resolve({ ok: true, packed: packPasskeys(PASSKEYS) });
    });
  },
}));
const noEvents = { addListener: () => undefined, removeListener: () => undefined };
vi.mock('wxt/browser', () => ({
  browser: {
    storage: { onChanged: noEvents, session: { getKeys: async () => [UNLOCKED_SESSION_KEY] } },
    // The worker's lock status never answers here: storage.session's word is what the popup goes by.
    runtime: { getURL: (p: string) => p, onMessage: noEvents, sendMessage: () => new Promise(() => undefined) },
  },
}));
vi.mock('../../../src/vault/saved-head', () => ({ readSavedHead: async () => undefined }));
vi.mock('../../../components/backup/backup-client', () => ({ askBackup: async () => ({ ok: true, show: false }), backupPageUrl: () => '' }));

/** Lets every pending promise callback run (answers, Preact's re-renders). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the toolbar popup's first view", () => {
  beforeAll(() => {
    const { window, document } = parseHTML('<!doctype html><html><body><div id="app"></div></body></html>');
    const globals: Record<string, unknown> = {
      window,
      document,
      location: { hash: '' },
      MutationObserver: (window as unknown as { MutationObserver: typeof MutationObserver }).MutationObserver,
      requestAnimationFrame: (fn: (t: number) => void) => setTimeout(() => fn(performance.now()), 0),
      cancelAnimationFrame: (id: ReturnType<typeof setTimeout>) => clearTimeout(id),
      requestIdleCallback: () => 0,
      cancelIdleCallback: () => undefined,
      ResizeObserver: class { observe() {} disconnect() {} unobserve() {} },
    };
    for (const [k, v] of Object.entries(globals)) (globalThis as Record<string, unknown>)[k] = v;
  });

  it('renders nothing until the list has arrived, then the manager with its rows in one render', async () => {
    const { startPopup } = await import('../../../entrypoints/popup/main');
    const app = document.getElementById('app')!;
    const seen: string[] = [];
    // Every element ever added, even if removed again before the observer is told.
    new MutationObserver((records) => {
      for (const node of records.flatMap((r) => [...r.addedNodes])) {
        const el = node as Element;
        if (el.nodeType !== 1) continue;
        if (el.matches('.skeleton') || el.querySelector('.skeleton')) seen.push('skeleton');
        if (el.matches('[aria-busy="true"]') || el.querySelector('[aria-busy="true"]')) seen.push('busy');
      }
    }).observe(app, { childList: true, subtree: true });
    startPopup();
    await settle();
    await settle();
    expect(app.innerHTML, 'nothing before the list is in').toBe('');
    releaseList();
    await settle();
    expect(app.querySelectorAll('[data-testid="passkey-row"]')).toHaveLength(3);
    expect(app.querySelector('[data-testid="passkey-search"]')).not.toBeNull();
    await settle();
    expect(seen, 'no skeleton or busy placeholder was ever rendered').toEqual([]);
  });

  it('shows the manager loading when the list has not arrived after a short wait', async () => {
    const { render } = await import('preact');
    const { startPopup, FIRST_VIEW_WAIT_MS } = await import('../../../entrypoints/popup/main');
    const app = document.getElementById('app')!;
    render(null, app);
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      startPopup();
      await vi.advanceTimersByTimeAsync(FIRST_VIEW_WAIT_MS - 1);
      expect(app.innerHTML, 'nothing yet').toBe('');
      await vi.advanceTimersByTimeAsync(1);
      expect(app.querySelector('[data-testid="passkey-search"]'), 'the header and search box').not.toBeNull();
      expect(app.querySelector('.skeleton'), 'a placeholder list').not.toBeNull();
      releaseList();
      await vi.advanceTimersByTimeAsync(10);
      expect(app.querySelectorAll('[data-testid="passkey-row"]')).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
