// A virtualized list: only the items near the visible part of the scroll box are in the DOM,
// so 10,000 passkeys scroll like 10. Item heights are given in em (so text zoom and font
// size keep them right) and converted with the list's own font size. The item that has focus
// is always kept rendered, so scrolling never drops keyboard focus.
//
// A new list (the first rows, or a new search) first renders only what is visible; the rows
// past it (the overscan) follow in a task after that frame, so the frame that shows the first
// rows or a search's result builds and lays out half as many rows.
//
// Items are keyed by kind and position (the n-th item of its kind), not by identity: the rows
// of a new search take over the elements of the rows they replace, whose text and attributes
// are patched, instead of every row's elements being removed and built again. The rendered
// items flow inside one window placed at the first one's offset, so a row's element has no
// position of its own to update; an item's height depends only on its kind.
import type { ComponentChildren, Ref, VNode } from 'preact';
import { useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { afterPaint } from '../after-paint';
import { ListLayout } from './list-layout';
import { rememberedViewport, rememberViewport, type Viewport } from './viewport-memory';

export interface VirtualListHandle {
  /** Scrolls item `index` into view and focuses its element matching `selector` (default: its [data-focus-target]). */
  focusItem(index: number, selector?: string): void;
}

interface Props<T> {
  items: readonly T[];
  /** Height of an item in em. */
  heightEm: (item: T) => number;
  /** The item's kind: items of one kind render the same elements (see above). */
  kindOf: (item: T) => string;
  render: (item: T, index: number) => VNode;
  label: string;
  handle?: Ref<VirtualListHandle>;
  /** How far past the visible part to render, in px. */
  overscanPx?: number;
  onKeyDown?: (event: KeyboardEvent) => void;
  /** When this changes (a new search), the list scrolls back to the top. */
  resetKey?: string;
  /** Height in em of items still to come after `items` (the rest of a list being unpacked). */
  tailEm?: number;
  /** Shown in the scroll box while there are no items. */
  empty?: ComponentChildren;
  /** The box's size until it is measured, when none is remembered. */
  guess?: Viewport;
  /** Where the box's first measured size is remembered, for the next list's first render (viewport-memory.ts). */
  remember?: string;
}

const GUESS: Viewport = { height: 600, emPx: 15 };

export function VirtualList<T>({ items, heightEm, kindOf, render, label, handle, overscanPx = 600, onKeyDown, resetKey, tailEm = 0, empty, guess = GUESS, remember }: Props<T>) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  // Until measured: the size the box had the last time (a new size found by the observer in
  // the first frame re-renders and lays out the rows again before that frame), else a guess.
  const [viewport, setViewport] = useState(() => (remember && rememberedViewport(remember)) || guess);
  // The resetKey whose list has had its first frame: only then are the overscan's rows rendered.
  const [widened, setWidened] = useState<string | undefined | null>(null);
  const [focused, setFocused] = useState<number | undefined>(undefined);
  const pendingFocus = useRef<{ index: number; selector: string } | undefined>(undefined);

  // Where each item sits, worked out only as far down as the rendering asks (list-layout.ts).
  const layout = useMemo(() => new ListLayout(items, heightEm, kindOf), [items, heightEm, kindOf]);

  // Measured by the observer alone: its first report comes with the first frame, after that
  // frame's layout. Reading the size here would force a layout of every new row before it
  // (a trace of the popup's first rows found that forced layout to be 14 ms of 60).
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    let first = true;
    const observer = new ResizeObserver(() => {
      const height = el.clientHeight;
      const emPx = parseFloat(getComputedStyle(el).fontSize) || 15;
      // The first frame's size: the next list's first render starts from it.
      if (first && remember) rememberViewport(remember, { height, emPx });
      first = false;
      setViewport((old) => (old.height === height && old.emPx === emPx ? old : { height, emPx }));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A new search starts at the top, and its overscan follows its first frame. Whether the box
  // is scrolled comes from its last scroll event: reading scrollTop here would force a layout
  // of the rows just rendered, ahead of the frame.
  useLayoutEffect(() => {
    if (box.current && scrollTop !== 0) box.current.scrollTop = 0;
    setScrollTop(0);
    setFocused(undefined);
    let live = true;
    // After the tasks queued behind that frame (the popup's "painted" marks among them).
    afterPaint(() => setTimeout(() => live && setWidened(resetKey)));
    return () => {
      live = false;
    };
  }, [resetKey]);

  useLayoutEffect(() => {
    const pending = pendingFocus.current;
    if (!pending) return;
    pendingFocus.current = undefined;
    box.current?.querySelector<HTMLElement>(`[data-index="${pending.index}"] ${pending.selector}`)?.focus();
  });

  const px = viewport.emPx;
  const overscan = widened === resetKey ? overscanPx : 0;
  const first = Math.max(0, layout.upperBound((scrollTop - overscan) / px) - 1);
  const end = Math.min(items.length, layout.upperBound((scrollTop + viewport.height + overscan) / px));
  const shown: number[] = [];
  if (focused !== undefined && focused < first && focused < items.length) shown.push(focused);
  for (let i = first; i < end; i++) shown.push(i);
  if (focused !== undefined && focused >= end && focused < items.length) shown.push(focused);

  useImperativeHandle(handle ?? null, () => ({
    focusItem(index, selector = '[data-focus-target]') {
      const el = box.current;
      if (!el || index < 0 || index >= items.length) return;
      const top = layout.top(index) * px;
      const bottom = layout.top(index + 1) * px;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (bottom > el.scrollTop + el.clientHeight) el.scrollTop = bottom - el.clientHeight;
      pendingFocus.current = { index, selector };
      setScrollTop(el.scrollTop);
      setFocused(index);
    },
  }), [items, layout, px]);

  return (
    <div
      ref={box}
      class="vlist"
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
      onFocusIn={(event) => {
        const index = (event.target as HTMLElement).closest<HTMLElement>('[data-index]')?.dataset.index;
        if (index !== undefined) setFocused(Number(index));
      }}
    >
      {items.length === 0 && empty}
      <div role="list" aria-label={label} class="vlist-inner" style={{ height: `${layout.totalEm + tailEm}em` }}>
        <div role="none" class="vlist-window" style={{ top: `${layout.top(first)}em` }}>
          {shown.map((i) => {
            // The focused item kept while scrolled out of view is placed on its own.
            const apart = i < first || i >= end;
            return (
              <div
                role="listitem"
                key={`${kindOf(items[i]!)}${layout.ordinal(i)}`}
                data-index={i}
                class={apart ? 'vlist-item apart' : 'vlist-item'}
                style={apart ? { top: `${layout.top(i) - layout.top(first)}em`, height: `${heightEm(items[i]!)}em` } : { height: `${heightEm(items[i]!)}em` }}
              >
                {render(items[i]!, i)}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
