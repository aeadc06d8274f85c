import { describe, expect, it } from 'vitest';
import { groupBySite } from '../../../components/popup/passkey-index';
import { changeList, completeList, pendingRows, startList } from '../../../components/popup/usePasskeys';
import { firstPasskeyLines, packPasskeys } from '../../../src/protocol/packed-list';
import { sortPasskeys } from '../../../src/protocol/passkey-order';
import { passkey } from './fixtures';

/** The i-th of many: spread over 37 sites, a third of them used. */
const nth = (i: number) =>
  passkey({
    credentialId: `id${i}`,
    rpId: `site${(i * 7) % 37}.example`,
    rpName: `Site ${(i * 7) % 37}`,
    createdAt: 1000 + i,
    lastUsedAt: i % 3 ? null : 5000 + ((i * 13) % 101),
  });

describe('the popup paints the list from its first lines, then takes the whole list', () => {
  const all = Array.from({ length: 500 }, (_, i) => nth(i));
  const whole = packPasskeys(all);

  it('shows the start, then the whole list in the same order', () => {
    const start = startList(firstPasskeyLines(whole, 60));
    expect(start.sorted).toEqual(sortPasskeys(all).slice(0, 60));
    expect(start.rest).toMatchObject({ count: 500 });
    const done = completeList(whole)(start);
    expect(done.rest).toBeUndefined();
    expect(done.sorted).toEqual(sortPasskeys(all));
    expect(completeList(whole)(done)).toBe(done);
  });

  it('counts the rows still to come, so the list has its whole height before they arrive', () => {
    for (const first of [1, 59, 60, 61, 499]) {
      const start = startList(firstPasskeyLines(whole, first));
      const shown = groupBySite(start.sorted);
      const complete = groupBySite(completeList(whole)(start).sorted);
      const pending = pendingRows(start, shown)!;
      const count = (items: typeof complete, kind: 'site' | 'passkey') => items.filter((item) => item.kind === kind).length;
      expect(count(shown, 'passkey') + pending.passkeys, `first ${first}`).toBe(count(complete, 'passkey'));
      expect(count(shown, 'site') + pending.sites, `first ${first}`).toBe(count(complete, 'site'));
    }
  });

  it('makes a change to the start again on the whole list when it arrives', () => {
    const start = startList(firstPasskeyLines(whole, 60));
    const gone = start.sorted[3]!.credentialId;
    const changed = changeList((list) => list.filter((p) => p.credentialId !== gone))(start);
    expect(changed.sorted.map((p) => p.credentialId)).not.toContain(gone);
    const done = completeList(whole)(changed);
    expect(done.sorted).toHaveLength(499);
    expect(done.sorted.map((p) => p.credentialId)).not.toContain(gone);
  });

  it('takes a short list whole from the first answer', () => {
    const start = startList(firstPasskeyLines(packPasskeys(all.slice(0, 10)), 60));
    expect(start.rest).toBeUndefined();
    expect(pendingRows(start, groupBySite(start.sorted))).toBeUndefined();
    expect(startList(packPasskeys([]))).toEqual({ sorted: [], texts: [] });
  });
});
