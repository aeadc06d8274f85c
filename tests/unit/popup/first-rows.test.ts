import { describe, expect, it } from 'vitest';
import { groupBySite } from '../../../components/popup/passkey-index';
import { completeList, pendingRows, startList } from '../../../components/popup/usePasskeys';
import { packPasskeys, sortPasskeys, type PasskeySummary } from '../../../src/protocol/manager';

function passkey(i: number): PasskeySummary {
  return {
    credentialId: `id${i}`,
    rpId: `site${(i * 7) % 37}.example`,
    rpName: `Site ${(i * 7) % 37}`,
    userName: `user${i}@example.com`,
    userDisplayName: `User ${i}`,
    friendlyName: `Passkey ${i}`,
    alg: -7,
    discoverable: true,
    backupState: false,
    createdAt: 1000 + i,
    lastUsedAt: i % 3 ? null : 5000 + ((i * 13) % 101),
    hidden: false,
  };
}

describe('the popup paints the list from its first lines', () => {
  const all = Array.from({ length: 500 }, (_, i) => passkey(i));
  const packed = packPasskeys(all);

  it('unpacks only the first lines, in display order, and the rest later to the same list', () => {
    const start = startList(packed, 60);
    expect(start.sorted).toEqual(sortPasskeys(all).slice(0, 60));
    expect(start.rest?.count).toBe(500);
    const done = completeList(start);
    expect(done.rest).toBeUndefined();
    expect(done.sorted).toEqual(sortPasskeys(all));
    expect(completeList(done)).toBe(done);
  });

  it('counts the rows still to come, so the list has its whole height before they are unpacked', () => {
    for (const first of [1, 59, 60, 61, 499]) {
      const start = startList(packed, first);
      const shown = groupBySite(start.sorted);
      const whole = groupBySite(completeList(start).sorted);
      const pending = pendingRows(start, shown)!;
      const count = (items: typeof whole, kind: 'site' | 'passkey') => items.filter((item) => item.kind === kind).length;
      expect(count(shown, 'passkey') + pending.passkeys, `first ${first}`).toBe(count(whole, 'passkey'));
      expect(count(shown, 'site') + pending.sites, `first ${first}`).toBe(count(whole, 'site'));
    }
  });

  it('takes a short list whole', () => {
    const start = startList(packPasskeys(all.slice(0, 10)), 60);
    expect(start.rest).toBeUndefined();
    expect(pendingRows(start, groupBySite(start.sorted))).toBeUndefined();
    expect(startList(packPasskeys([]))).toEqual({ sorted: [] });
  });
});
