import { describe, expect, it } from 'vitest';
import { ListLayout, upperBound } from '../../../components/popup/list-layout';

type Item = { kind: 'site' | 'passkey' };
const heightEm = (item: Item) => (item.kind === 'site' ? 2.25 : 3.5);
const kindOf = (item: Item) => item.kind;

/** A list of sites with 1–4 passkeys each, from a fixed seed. */
function list(sites: number): Item[] {
  const items: Item[] = [];
  let seed = 7;
  for (let s = 0; s < sites; s++) {
    items.push({ kind: 'site' });
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    for (let n = 0; n <= seed % 4; n++) items.push({ kind: 'passkey' });
  }
  return items;
}

/** Every offset and ordinal worked out at once, as the list did before its layout was lazy. */
function eager(items: readonly Item[]) {
  const offsets = [0];
  const ordinals: number[] = [];
  const seen = { site: 0, passkey: 0 };
  for (const item of items) {
    offsets.push(offsets[offsets.length - 1]! + heightEm(item));
    ordinals.push(seen[item.kind]++);
  }
  return { offsets, ordinals };
}

describe('upperBound (virtual list offsets)', () => {
  const offsets = [0, 2, 4.9, 9.8, 12.7];
  it('finds the first offset above a value', () => {
    expect(upperBound(offsets, -1)).toBe(0);
    expect(upperBound(offsets, 0)).toBe(1);
    expect(upperBound(offsets, 3)).toBe(2);
    expect(upperBound(offsets, 9.8)).toBe(4);
    expect(upperBound(offsets, 100)).toBe(5);
  });
});

describe('ListLayout: offsets worked out only as far as they are asked for', () => {
  const items = list(400);
  const { offsets, ordinals } = eager(items);

  it('knows the total height at once, equal to the last offset', () => {
    const layout = new ListLayout(items, heightEm, kindOf);
    expect(layout.totalEm).toBe(offsets[items.length]);
    expect(new ListLayout([], heightEm, kindOf).totalEm).toBe(0);
  });

  it('answers as the eager pass does, whatever order the questions come in', () => {
    const probes = [items.length, 0, 17, 3, items.length - 1, 250, 251, 1];
    const layout = new ListLayout(items, heightEm, kindOf);
    for (const i of probes) {
      expect(layout.top(i), `top(${i})`).toBe(offsets[i]);
      if (i < items.length) expect(layout.ordinal(i), `ordinal(${i})`).toBe(ordinals[i]);
    }
    const fresh = new ListLayout(items, heightEm, kindOf);
    for (const em of [-1, 0, 2.25, 2.3, 100, 100.1, 731.75, offsets[items.length]! - 0.01, offsets[items.length]!, 1e9]) {
      expect(fresh.upperBound(em), `upperBound(${em})`).toBe(upperBound(offsets, em));
    }
  });

  it('looks at no item past the one it needs for the first screenful', () => {
    let asked = 0;
    const layout = new ListLayout(items, heightEm, (item) => (asked++, kindOf(item)));
    const end = layout.upperBound(40);
    expect(end).toBe(upperBound(offsets, 40));
    expect(asked).toBe(end);
    expect(layout.ordinal(end - 1)).toBe(ordinals[end - 1]);
    expect(asked).toBe(end);
  });
});
