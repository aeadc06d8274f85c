import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const frames: (() => void)[] = [];

beforeAll(() => {
  const { window, document } = parseHTML('<!doctype html><html><body><div id="app"></div></body></html>');
  vi.stubGlobal('window', window);
  vi.stubGlobal('document', document);
  vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback));
  vi.stubGlobal('cancelAnimationFrame', () => undefined);
  vi.stubGlobal('ResizeObserver', class { observe() {} disconnect() {} unobserve() {} });
});
afterAll(() => vi.unstubAllGlobals());

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('VirtualList', () => {
  it('starts every new list with its visible rows only, even one whose key was shown before (a search typed, then erased)', async () => {
    const { h, render } = await import('preact');
    const { VirtualList } = await import('../../../components/popup/VirtualList');
    const app = document.getElementById('app')!;
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const show = (resetKey: string) =>
      render(h(VirtualList<number>, { items, heightEm: () => 1, kindOf: () => 'row', label: 'rows', resetKey, render: (i: number) => h('span', null, String(i)) }), app);
    const rows = () => app.querySelectorAll('[role="listitem"]').length;
    const paint = async () => {
      frames.splice(0).forEach((callback) => callback());
      for (let i = 0; i < 5; i++) await tick();
    };

    show('');
    const visible = rows();
    await paint();
    const widened = rows();
    expect(widened).toBeGreaterThan(visible); // the overscan follows the first frame

    show('9'); // a keystroke
    expect(rows()).toBe(visible);
    show(''); // erased before that list's first frame painted
    expect(rows()).toBe(visible);
    await paint();
    expect(rows()).toBe(widened);
  });
});
