import { describe, expect, it } from 'vitest';
import { type CborKey, type CborValue, compareCanonicalKeys, decodeCbor, encodeCbor } from '../../../src/authenticator/cbor';
import { hex, toHex } from '../crypto/hex';

describe('CTAP2 canonical CBOR', () => {
  it('orders map keys as the RFC 7049 §3.9 / CTAP2 example does: 10, 100, -1, "z", "aa"', () => {
    const scrambled = new Map<CborKey, CborValue>([
      ['aa', 5],
      [-1, 3],
      ['z', 4],
      [100, 2],
      [10, 1],
    ]);
    // a5 | 0a 01 | 18 64 02 | 20 03 | 61 7a 04 | 62 61 61 05
    expect(toHex(encodeCbor(scrambled))).toBe('a5' + '0a01' + '186402' + '2003' + '617a04' + '62616105');
  });

  it('writes a COSE EC2 key byte for byte like the L3 §6.5.1.1 example, whatever the insertion order', () => {
    const x = new Uint8Array(32).fill(0xaa);
    const y = new Uint8Array(32).fill(0xbb);
    const key = new Map<CborKey, CborValue>([
      [-3, y],
      [1, 2],
      [-2, x],
      [3, -7],
      [-1, 1],
    ]);
    expect(toHex(encodeCbor(key))).toBe('a5' + '0102' + '0326' + '2001' + '215820' + 'aa'.repeat(32) + '225820' + 'bb'.repeat(32));
  });

  it('puts a shorter key of the same major type first, then compares bytes', () => {
    expect(compareCanonicalKeys(hex('18 18'), hex('17'))).toBeGreaterThan(0); // 24 after 23
    expect(compareCanonicalKeys(hex('20'), hex('17'))).toBeGreaterThan(0); // -1 after 23: major type 1 > 0
    expect(compareCanonicalKeys(hex('38 18'), hex('20'))).toBeGreaterThan(0); // -25 after -1
    expect(compareCanonicalKeys(hex('63 66 6d 74'), hex('67 61 74 74 53 74 6d 74'))).toBeLessThan(0); // "fmt" before "attStmt"
  });

  it('sorts maps nested in maps and arrays, and never tags byte strings or maps', () => {
    const value = new Map<CborKey, CborValue>([
      ['list', [new Map<CborKey, CborValue>([['b', 1], ['a', Uint8Array.of(1, 2)]])]],
      ['fmt', 'none'],
    ]);
    // a2 | 63 "fmt" 64 "none" | 64 "list" 81 a2 61 "a" 42 01 02 61 "b" 01
    expect(toHex(encodeCbor(value))).toBe('a2' + '63666d74' + '646e6f6e65' + '646c697374' + '81a2' + '6161' + '420102' + '6162' + '01');
  });

  it('writes an empty map as a0 and a 16-bit negative integer minimally', () => {
    expect(toHex(encodeCbor(new Map()))).toBe('a0');
    expect(toHex(encodeCbor(-257))).toBe('390100');
  });

  it('refuses floats, integers past 32 bits and duplicate keys', () => {
    expect(() => encodeCbor(1.5)).toThrow(RangeError);
    expect(() => encodeCbor(2 ** 40)).toThrow(RangeError);
    expect(() => encodeCbor(new Map<CborKey, CborValue>([[1.5, 1]]))).toThrow(RangeError);
  });

  it('returns bytes of its own, not a view that the next encoding overwrites', () => {
    const first = encodeCbor('first');
    const copy = first.slice();
    encodeCbor('a much longer second value that would reuse the buffer');
    expect(first).toEqual(copy);
    expect(first.byteOffset).toBe(0);
    expect(first.buffer.byteLength).toBe(first.length);
  });

  it('decodes maps as Maps with integer keys intact', () => {
    const decoded = decodeCbor(encodeCbor(new Map<CborKey, CborValue>([[-2, Uint8Array.of(9)], [1, 2]])));
    expect(decoded).toBeInstanceOf(Map);
    const map = decoded as Map<unknown, unknown>;
    expect([...map.keys()]).toEqual([1, -2]);
    expect(Uint8Array.from(map.get(-2) as Uint8Array)).toEqual(Uint8Array.of(9));
  });
});
