// The size a list's scroll box had when it was last shown, kept in the extension page's
// localStorage (synchronous, per profile, readable by no web page): a list's first render
// uses it, so its first frame builds the rows that fit and the box's first measurement, in
// that frame, finds nothing to change. Only a size, never anything of the vault.

export interface Viewport {
  /** The box's clientHeight, in CSS px. */
  height: number;
  /** The box's font size, in CSS px (item heights are in em). */
  emPx: number;
}

const cache = new Map<string, Viewport | undefined>();

function usable(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 && n < 100_000;
}

/** The size remembered under `key`; undefined when none is, or it is unreadable. */
export function rememberedViewport(key: string): Viewport | undefined {
  if (cache.has(key)) return cache.get(key);
  let found: Viewport | undefined;
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
    if (saved && typeof saved === 'object') {
      const { height, emPx } = saved as Record<string, unknown>;
      if (usable(height) && usable(emPx)) found = { height, emPx };
    }
  } catch {
    // No storage (or a value not written here): the caller's guess stands.
  }
  cache.set(key, found);
  return found;
}

/** Remembers `viewport` under `key`, when it is not what is remembered already. */
export function rememberViewport(key: string, viewport: Viewport): void {
  const old = rememberedViewport(key);
  if (old && old.height === viewport.height && old.emPx === viewport.emPx) return;
  cache.set(key, viewport);
  try {
    localStorage.setItem(key, JSON.stringify(viewport));
  } catch {
    // Storage full or refused: the next popup starts from the guess.
  }
}
