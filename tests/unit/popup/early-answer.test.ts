import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

vi.mock('wxt/browser', () => ({ browser: fakeBrowser }));

const { earlyAnswer } = await import('../../../components/early-answer');

beforeEach(() => fakeBrowser.reset());

describe('earlyAnswer (the popup asks before it renders)', () => {
  it('hands the request made at start to the first reader only', () => {
    let made = 0;
    const early = earlyAnswer(() => ++made);
    expect(early.take()).toBeUndefined();
    early.start();
    expect(early.take()).toBe(1);
    expect(early.take()).toBeUndefined();
    expect(made).toBe(1);
  });

  it('lets the page look at the request without taking it from its reader', () => {
    const early = earlyAnswer(() => ({ id: 1 }));
    expect(early.peek()).toBeUndefined();
    early.start();
    const seen = early.peek();
    expect(seen).toEqual({ id: 1 });
    expect(early.take()).toBe(seen);
    expect(early.peek()).toBeUndefined();
  });

  it('drops the request when storage.session changes (the vault locked or unlocked), not for other areas', async () => {
    let made = 0;
    const early = earlyAnswer(() => ++made);
    early.start();
    await fakeBrowser.storage.local.set({ other: 1 });
    expect(early.take()).toBe(1);
    early.start();
    await fakeBrowser.storage.session.set({ 'latchkey.unlocked': 'x' });
    expect(early.take()).toBeUndefined();
  });
});
