import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../../src/crypto/random';

describe('randomBytes', () => {
  it('returns exactly the requested number of bytes', () => {
    expect(randomBytes(0)).toHaveLength(0);
    expect(randomBytes(16)).toHaveLength(16);
  });

  it('fills buffers larger than one getRandomValues call (64 KiB) all the way to the end', () => {
    const bytes = randomBytes(200_000);
    expect(bytes).toHaveLength(200_000);
    // The last 64 KiB being all zero would mean the tail was never filled.
    expect(bytes.subarray(150_000).some((b) => b !== 0)).toBe(true);
  });

  it('never repeats a 16-byte value', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(Array.from(randomBytes(16)).join(','));
    expect(seen.size).toBe(1000);
  });

  it('rejects a negative or fractional length', () => {
    expect(() => randomBytes(-1)).toThrow(RangeError);
    expect(() => randomBytes(1.5)).toThrow(RangeError);
  });
});
