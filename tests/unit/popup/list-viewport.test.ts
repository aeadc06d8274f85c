// The virtual list's first render sizes itself from the box's size remembered from the last
// list shown (viewport-memory.ts), so the first frame builds just the rows that fit, and the
// resize observer's first report, in that frame, re-renders nothing when the size is the same.
// Rendered with Preact into linkedom; the observer and the box's size are driven by the test.
import { parseHTML } from 'linkedom';
import { h, render } from 'preact';
import { beforeEach, describe, expect, it } from 'vitest';

const KEY = 'test:list-viewport';
const store = new Map<string, string>();
let observed: { report: (height: number, emPx: number) => void }[] = [];

class FakeResizeObserver {
  private el: Element | undefined;
  constructor(private readonly callback: () => void) {}
  observe(el: Element) {
    this.el = el;
    observed.push({
      report: (height, emPx) => {
        Object.defineProperty(this.el, 'clientHeight', { value: height, configurable: true });
        (this.el as HTMLElement).style.fontSize = `${emPx}px`;
        this.callback();
      },
    });
  }
  disconnect() {}
  unobserve() {}
}

const { window, document } = parseHTML('<!doctype html><html><body></body></html>');
Object.assign(globalThis, {
  window,
  document,
  ResizeObserver: FakeResizeObserver,
  getComputedStyle: (el: HTMLElement) => ({ fontSize: el.style.fontSize }),
  requestAnimationFrame: () => 0,
  localStorage: {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
  },
});

const ITEMS = Array.from({ length: 200 }, (_, i) => i);
/** Each item is 3 em high. */
async function mount(props: Record<string, unknown> = {}) {
  const { VirtualList } = await import('../../../components/popup/VirtualList');
  const calls: number[] = [];
  const root = document.createElement('div');
  document.body.append(root);
  render(
    h(VirtualList<number>, {
      items: ITEMS, heightEm: () => 3, kindOf: () => 'n', label: 'test',
      render: (item: number) => (calls.push(item), h('span', null, String(item))),
      ...props,
    }),
    root,
  );
  const rows = () => root.querySelectorAll('[role="listitem"]').length;
  return { calls, rows, settle: () => new Promise((r) => setTimeout(r, 0)) };
}

describe("the virtual list's first viewport", () => {
  beforeEach(() => {
    store.clear();
    observed = [];
  });

  it('renders first the rows that fit the remembered box, and nothing again when the observer reports that size', async () => {
    // 290 px at 10 px: 29 em, where ten items of 3 em start.
    store.set(KEY, JSON.stringify({ height: 290, emPx: 10 }));
    const { calls, rows, settle } = await mount({ remember: KEY, guess: { height: 600, emPx: 15 } });
    expect(rows()).toBe(10);
    const rendered = calls.length;
    observed[0]!.report(290, 10);
    await settle();
    expect(calls.length, 'no re-render for the same size').toBe(rendered);
    expect(rows()).toBe(10);
  });

  it('starts from the guess when nothing is remembered, and remembers the first measured size', async () => {
    const { rows, settle } = await mount({ remember: 'test:new', guess: { height: 435, emPx: 15 } });
    expect(rows()).toBe(10);
    observed[0]!.report(230, 10);
    await settle();
    expect(rows(), 'the measured box').toBe(8);
    expect(JSON.parse(store.get('test:new')!)).toEqual({ height: 230, emPx: 10 });
  });

  it('ignores a remembered value that is not a size', async () => {
    store.set('test:bad', '{"height":"tall","emPx":-1}');
    const { rows } = await mount({ remember: 'test:bad', guess: { height: 435, emPx: 15 } });
    expect(rows()).toBe(10);
  });
});
