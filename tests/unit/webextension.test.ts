import { afterEach, describe, expect, it, vi } from 'vitest';

describe('src/webextension', () => {
  afterEach(() => {
    delete (globalThis as { browser?: unknown }).browser;
    vi.resetModules();
  });

  it("is the browser's own `browser` object itself, not a copy of its properties", async () => {
    let built = 0;
    const own = {
      runtime: { id: 'latchkey' },
      get windows() {
        built += 1; // Chromium builds an API's bindings when its property is first read
        return {};
      },
    };
    (globalThis as { browser?: unknown }).browser = own;
    const { default: browser } = await import('../../src/webextension');
    expect(browser).toBe(own);
    expect(built).toBe(0);
  });
});
