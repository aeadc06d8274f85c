// The bench's floor pages (bench/chromium-floor-extension: prompt.html, popup.html) are static
// copies of what Latchkey's prompt and popup show first; Latchkey's share of each latency is
// measured against them. This renders Latchkey's first views with Preact into a DOM
// (linkedom) and checks that each floor page has the same skeleton: the same elements, classes,
// roles and test ids, in the same places. Texts, styles and the number of rows are the data,
// and may differ.
//
// When a first view changes on purpose, rewrite the floor pages' markup from this render:
//   LATCHKEY_WRITE_FLOOR=1 npx vitest run tests/unit/bench/floor-markup.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { packPasskeys } from '../../../src/protocol/packed-list';
import type { PasskeySummary } from '../../../src/protocol/passkey-summary';
import type { PromptRequest } from '../../../src/protocol/messages';
import { passkey } from '../popup/fixtures';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const FLOOR = path.join(ROOT, 'bench/chromium-floor-extension');

// The popup's first view with 10 passkeys over two sites, as the bench seeds them. One date for
// all: the sites' order must not depend on the clock ticking while they are made.
const SAVED_AT = Date.now() - 86_400_000;
const PASSKEYS: PasskeySummary[] = Array.from({ length: 10 }, (_, i) =>
  passkey({
    credentialId: `cred${i}`,
    rpId: i < 5 ? 'localhost' : 'popup.example',
    rpName: i < 5 ? 'Latchkey Demo' : 'popup.example',
    userName: `user${i}`,
    userDisplayName: `User ${i}`,
    friendlyName: `user${i} on ${i < 5 ? 'localhost' : 'popup.example'}`,
    createdAt: SAVED_AT,
  }),
);

vi.mock('../../../components/popup/manager-client', () => ({
  ask: async (request: { type: string }) => {
    if (request.type === 'manager:list') return { packed: packPasskeys(PASSKEYS) };
    throw new Error(`not in this test: ${request.type}`);
  },
}));
const noEvents = { addListener: () => undefined, removeListener: () => undefined };
vi.mock('wxt/browser', () => ({
  browser: { storage: { onChanged: noEvents, session: { get: async () => ({}) } }, runtime: { getURL: (p: string) => p, onMessage: noEvents } },
}));
vi.mock('../../../src/vault/saved-head', () => ({ readSavedHead: async () => undefined }));
vi.mock('../../../components/backup/backup-client', () => ({
  askBackup: async () => ({ ok: true, show: false }),
  backupPageUrl: () => '',
}));

/** Tag, classes, role, type and test id of each element, nested; repeated siblings once. */
function skeleton(el: Element): string {
  const classes = [...el.classList].sort().join('.');
  const attrs = ['role', 'type', 'data-testid'].flatMap((a) => (el.hasAttribute(a) ? [`${a}=${el.getAttribute(a)}`] : []));
  const self = `${el.tagName.toLowerCase()}${classes ? `.${classes}` : ''}${attrs.length ? `[${attrs.join(',')}]` : ''}`;
  const kids: string[] = [];
  for (const child of [...el.children]) {
    const s = skeleton(child);
    // Rows are data: a run of siblings with the same shape counts once.
    if (!kids.includes(s)) kids.push(s);
  }
  return kids.length ? `${self}(${kids.join(' ')})` : self;
}

/** With LATCHKEY_WRITE_FLOOR=1: puts `app`'s markup into the floor page's #app. */
function writeFloor(file: string, app: Element): void {
  if (!process.env.LATCHKEY_WRITE_FLOOR) return;
  const page = readFileSync(path.join(FLOOR, file), 'utf8');
  const start = page.indexOf('<div id="app">') + '<div id="app">'.length;
  const end = page.lastIndexOf('</div>', page.indexOf('</body>'));
  writeFileSync(path.join(FLOOR, file), `${page.slice(0, start)}${app.innerHTML}${page.slice(end)}`);
}

/** The skeleton of a floor page's #app. */
function floorSkeleton(file: string): string {
  const { document } = parseHTML(readFileSync(path.join(FLOOR, file), 'utf8'));
  return skeleton(document.getElementById('app')!);
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Renders `vnode` into a fresh #app and waits until `ready` holds in it. */
async function renderFirstView(vnode: import('preact').ComponentChild, ready: (app: Element) => boolean): Promise<Element> {
  const { render } = await import('preact');
  const app = document.getElementById('app')!;
  render(null, app);
  render(vnode, app);
  // A wait for the render, not a measure of it: a loaded machine may take long to get there.
  for (const deadline = Date.now() + 10_000; !ready(app) && Date.now() < deadline; ) await tick();
  expect(ready(app), 'the first view rendered').toBe(true);
  return app;
}

describe("the bench's floor pages are static copies of Latchkey's first views", () => {
  beforeAll(() => {
    const { window, document } = parseHTML('<!doctype html><html><body><div id="app"></div></body></html>');
    const globals: Record<string, unknown> = {
      window,
      document,
      requestAnimationFrame: (fn: (t: number) => void) => setTimeout(() => fn(performance.now()), 0),
      cancelAnimationFrame: (id: ReturnType<typeof setTimeout>) => clearTimeout(id),
      requestIdleCallback: () => 0,
      cancelIdleCallback: () => undefined,
      ResizeObserver: class { observe() {} disconnect() {} unobserve() {} },
    };
    // Left in place after the tests: Preact's hooks may still schedule a frame (vitest runs each
    // test file in its own context).
    for (const [k, v] of Object.entries(globals)) {
      (globalThis as Record<string, unknown>)[k] = v;
      if (k !== 'window' && k !== 'document') (window as unknown as Record<string, unknown>)[k] = v;
    }
  });

  it("the popup floor has the skeleton of the popup's list with its first rows", async () => {
    const { h } = await import('preact');
    const { PopupApp } = await import('../../../components/popup/PopupApp');
    const { LockNowButton } = await import('../../../components/vault/LockControls');
    const app = await renderFirstView(h(PopupApp, { headerActions: h(LockNowButton, {}) }), (a) => !!a.querySelector('[data-testid="passkey-row"]'));
    writeFloor('popup.html', app);
    expect(floorSkeleton('popup.html')).toBe(skeleton(app));
  });

  it("the prompt floor has the skeleton of a sign-in prompt's first view (one passkey, the PIN asked)", async () => {
    const { h } = await import('preact');
    const { PromptApp } = await import('../../../components/prompt/PromptApp');
    const request: PromptRequest = {
      kind: 'get',
      site: { rpId: 'localhost', rpName: 'Latchkey Demo', origin: 'http://localhost:8080' },
      accounts: [{ credentialId: 'cred0', userName: 'bench-latchkey', userDisplayName: 'bench-latchkey', friendlyName: 'bench-latchkey on localhost', createdAt: Date.now(), lastUsedAt: null }],
      userVerification: true,
    };
    const connection = {
      state: () => ({ phase: 'asking' as const, request }),
      lock: () => 'unlocked' as const,
      subscribe: () => () => undefined,
      answer: () => undefined,
    };
    const app = await renderFirstView(h(PromptApp, { connection }), (a) => !!a.querySelector('[data-testid="prompt-approve"]'));
    writeFloor('prompt.html', app);
    expect(floorSkeleton('prompt.html')).toBe(skeleton(app));
  });
});
