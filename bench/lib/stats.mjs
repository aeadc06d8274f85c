// @ts-check
// Small statistics for benchmark samples: medians, not means (2 shared cores are noisy).

/**
 * @typedef {{ n: number, median: number, min: number, max: number, p90: number }} Summary
 */

/** @param {number[]} samples @returns {Summary} */
export function summarize(samples) {
  const s = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return { n: 0, median: NaN, min: NaN, max: NaN, p90: NaN };
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  const p90 = s[Math.min(s.length - 1, Math.ceil(0.9 * s.length) - 1)];
  return { n: s.length, median: round(median), min: round(s[0]), max: round(s[s.length - 1]), p90: round(p90) };
}

/** @param {number} x @param {number} [digits] */
export function round(x, digits = 3) {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Fisher–Yates, in place. @template T @param {T[]} a @returns {T[]} */
export function shuffle(a) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** ms, with sensible precision. @param {number} x */
export function ms(x) {
  if (!Number.isFinite(x)) return '—';
  if (x < 1) return `${x.toFixed(2)} ms`;
  if (x < 100) return `${x.toFixed(1)} ms`;
  return `${Math.round(x)} ms`;
}
