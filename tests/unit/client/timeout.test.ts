import { describe, expect, it } from 'vitest';
import { lifetimeSignal, lifetimeTimerMs, TIMEOUT_DEFAULT_MS, TIMEOUT_MAX_MS, TIMEOUT_MIN_MS } from '../../../src/client/timeout';

describe('lifetimeTimer', () => {
  it('defaults to 5 minutes', () => {
    expect(TIMEOUT_DEFAULT_MS).toBe(300_000);
    expect(lifetimeTimerMs(undefined)).toBe(300_000);
    expect(lifetimeTimerMs(undefined, 'optional')).toBe(300_000);
  });

  it.each([
    [0, 30_000],
    [1_000, 30_000],
    [29_999, 30_000],
    [30_000, 30_000],
    [120_000, 120_000],
    [600_000, 600_000],
    [600_001, 600_000],
    [86_400_000, 600_000],
    [-5, 30_000],
  ])('clamps a timeout of %i ms to %i ms', (timeout, expected) => {
    expect(lifetimeTimerMs(timeout)).toBe(expected);
  });

  it('has bounds of 30 s and 10 min', () => {
    expect([TIMEOUT_MIN_MS, TIMEOUT_MAX_MS]).toEqual([30_000, 600_000]);
  });

  it('sets no timer for a conditional get, whatever the RP asked', () => {
    expect(lifetimeTimerMs(60_000, 'conditional')).toBeUndefined();
    expect(lifetimeTimerMs(undefined, 'conditional')).toBeUndefined();
  });

  it('aborts the ceremony signal when the port aborts', () => {
    const port = new AbortController();
    const signal = lifetimeSignal(undefined, port.signal);
    expect(signal.aborted).toBe(false);
    port.abort();
    expect(signal.aborted).toBe(true);
  });

  it('aborts the ceremony signal when the timer expires', async () => {
    const signal = lifetimeSignal(5);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    expect(signal.aborted).toBe(true);
  });
});
