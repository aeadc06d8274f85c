// Where each item of a virtualized list (VirtualList.tsx) sits, worked out only as far down as
// it is asked for. A search's first frame shows its first screenful; the offsets of the
// 12,500 rows behind it are made when the user scrolls there, not at the keystroke (a CPU
// profile of search keystrokes at 10,000 passkeys found the whole pass, with each item's
// ordinal, at about 1 ms a keystroke). Only the total height needs every item, and summing
// the heights alone is some 50 times cheaper than that pass.

export class ListLayout<T> {
  readonly items: readonly T[];
  /** The list's height in em. */
  readonly totalEm: number;
  readonly #heightEm: (item: T) => number;
  readonly #kindOf: (item: T) => string;
  /** offsets[i] is the top of item i in em; known for i ≤ #known. Grown as it is filled. */
  #offsets: Float64Array;
  /** ordinals[i] is item i's position among the items of its kind; known for i < #known. */
  #ordinals: Int32Array;
  readonly #seen = new Map<string, number>();
  #known = 0;

  constructor(items: readonly T[], heightEm: (item: T) => number, kindOf: (item: T) => string) {
    this.items = items;
    this.#heightEm = heightEm;
    this.#kindOf = kindOf;
    // A screenful to start with, not room for every item: a keystroke's list needs only that.
    this.#offsets = new Float64Array(Math.min(items.length, 64) + 1);
    this.#ordinals = new Int32Array(Math.min(items.length, 64));
    let total = 0;
    for (let i = 0; i < items.length; i++) total += heightEm(items[i]!);
    this.totalEm = total;
  }

  /** The top of item `i` in em (`items.length`: the bottom of the last). */
  top(i: number): number {
    this.#extendTo(i);
    return this.#offsets[i]!;
  }

  /** Item `i`'s position among the items of its kind (the n-th site header, the n-th row). */
  ordinal(i: number): number {
    this.#extendTo(i + 1);
    return this.#ordinals[i]!;
  }

  /** The first index whose top is greater than `em` (`items.length + 1` when none is). */
  upperBound(em: number): number {
    while (this.#known < this.items.length && this.#offsets[this.#known]! <= em) this.#extendTo(this.#known + 1);
    return upperBound(this.#offsets.subarray(0, this.#known + 1), em);
  }

  #extendTo(end: number): void {
    if (end > this.#ordinals.length) this.#grow(end);
    const offsets = this.#offsets;
    for (let i = this.#known; i < end; i++) {
      const item = this.items[i]!;
      offsets[i + 1] = offsets[i]! + this.#heightEm(item);
      const kind = this.#kindOf(item);
      const n = this.#seen.get(kind) ?? 0;
      this.#seen.set(kind, n + 1);
      this.#ordinals[i] = n;
    }
    if (end > this.#known) this.#known = end;
  }

  /** Room for at least `end` items (doubling, at most all of them), keeping what is known. */
  #grow(end: number): void {
    const size = Math.min(this.items.length, Math.max(end, this.#ordinals.length * 2));
    const offsets = new Float64Array(size + 1);
    offsets.set(this.#offsets.subarray(0, this.#known + 1));
    const ordinals = new Int32Array(size);
    ordinals.set(this.#ordinals.subarray(0, this.#known));
    this.#offsets = offsets;
    this.#ordinals = ordinals;
  }
}

/** The first index i with offsets[i] > value (offsets ascending). */
export function upperBound(offsets: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (offsets[mid]! > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
