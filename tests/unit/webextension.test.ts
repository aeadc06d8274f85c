import { afterEach, describe, expect, it, vi } from 'vitest';

describe('src/webextension', () => {
  afterEach(() => {
    delete (globalThis as { browser?: unknown }).browser;
    vi.resetModules();
  });

  it("gives the browser's own APIs, not copies of them, and reads none until one is used", async () => {
    const built: string[] = [];
    const windows = {};
    const runtime = { id: 'latchkey' };
    const own = {
      // Chromium builds an API's bindings when its property is first read.
      get runtime() {
        built.push('runtime');
        return runtime;
      },
      get windows() {
        built.push('windows');
        return windows;
      },
    };
    (globalThis as { browser?: unknown }).browser = own;
    const { default: browser } = await import('../../src/webextension');
    expect(built).toEqual([]);
    expect((browser as unknown as typeof own).windows).toBe(windows);
    expect(built).toEqual(['runtime', 'windows']);
    expect((browser as unknown as typeof own).runtime).toBe(runtime);
  });
});
