// Wrong PINs back off exponentially (docs/security.md#key-hierarchy). The count lives in the vault's
// meta store, so closing the popup, the prompt or the service worker, or quitting the
// browser, does not reset it. Latchkey never wipes the vault by itself.

/** After this many wrong PINs in a row, every further try waits an hour. */
export const FAILURES_BEFORE_HOUR = 10;
const HOUR_MS = 60 * 60 * 1000;
/** Typos are free: the first two wrong PINs cost nothing. */
const FREE_FAILURES = 2;

export interface PinFailures {
  /** Wrong PINs in a row since the last right one. */
  count: number;
  /** When the last one was entered (ms since the epoch). */
  lastFailureAt: number;
}

/** How long after the last wrong PIN the next try must wait: 1 s, 2 s, 4 s … 128 s, then 1 h. */
export function waitAfter(count: number): number {
  if (count >= FAILURES_BEFORE_HOUR) return HOUR_MS;
  if (count <= FREE_FAILURES) return 0;
  return 1000 * 2 ** (count - FREE_FAILURES - 1);
}

/**
 * When a PIN may be tried again, or null when it may be tried now. The wait counts from the
 * last wrong PIN; one stamped in the future (the clock was set back) counts from now, never
 * from the future. `monotonicElapsed`, the time since that wrong PIN by a clock no one can
 * set (known within the worker's life that recorded it), caps the wall clock's: a clock set
 * forward does not shorten the wait either.
 */
export function retryAt(failures: PinFailures | undefined, now: number, monotonicElapsed?: number): number | null {
  if (!failures || failures.count === 0) return null;
  const wait = waitAfter(failures.count);
  let elapsed = Math.max(0, now - failures.lastFailureAt);
  if (monotonicElapsed !== undefined) elapsed = Math.min(elapsed, Math.max(0, monotonicElapsed));
  return elapsed < wait ? now + (wait - elapsed) : null;
}
