// The index's search against the plainest reading of its rule: a passkey matches when every
// word of the query occurs in its search text. Lists, renames and typed queries are random.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PasskeyIndex, queryTerms, searchText, searchTexts, sortPasskeys } from '../../../components/popup/passkey-index';
import type { PasskeySummary } from '../../../src/protocol/passkey-summary';
import { packPasskeys, unpackPasskeys } from '../../../src/protocol/packed-list';
import { passkey } from './fixtures';

function plainSearch(list: readonly PasskeySummary[], query: string): PasskeySummary[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [...list];
  return list.filter((p) => terms.every((t) => searchText(p).includes(t)));
}

// Few letters, so words recur across passkeys and across the US that joins their fields.
const letters = ['a', 'b', 'A', 'é', '9', '.', '-', ' ', '\u001f', '\u001e', 'İ'];
const text = fc.array(fc.constantFrom(...letters), { maxLength: 6 }).map((cs) => cs.join(''));
const fields = fc.record({ rpId: text, rpName: text, userName: text, userDisplayName: text, friendlyName: text, lastUsedAt: fc.nat(5) });
const list = fc.array(fields, { maxLength: 25 }).map((fs) => sortPasskeys(fs.map((f) => passkey(f))));
const query = fc.array(fc.constantFrom(...letters), { maxLength: 5 }).map((cs) => cs.join(''));

describe('PasskeyIndex.search, for any list and any queries', () => {
  it('finds what a plain filter of every passkey finds, keystroke after keystroke', () => {
    fc.assert(
      fc.property(list, fc.array(query, { minLength: 1, maxLength: 8 }), fc.boolean(), (sorted, queries, packed) => {
        const index = packed ? new PasskeyIndex(unpackPasskeys(packPasskeys(sorted)), searchTexts(packPasskeys(sorted))) : new PasskeyIndex(sorted);
        const all = index.all;
        for (const q of queries) expect(index.search(q), JSON.stringify(q)).toEqual(plainSearch(all, q));
      }),
      { numRuns: 400 },
    );
  });

  it('finds what a plain filter finds after a rename or delete replaced the index', () => {
    fc.assert(
      fc.property(list, fc.nat(), text, fc.boolean(), query, (sorted, at, name, remove, q) => {
        const before = new PasskeyIndex(sorted);
        before.search(q);
        const i = sorted.length === 0 ? -1 : at % sorted.length;
        const after = remove
          ? sorted.filter((_, k) => k !== i)
          : sorted.map((p, k) => (k === i ? { ...p, friendlyName: name } : p));
        const index = new PasskeyIndex(after, undefined, before);
        expect(index.search(q)).toEqual(plainSearch(after, q));
        expect(index.search(`${q}a`)).toEqual(plainSearch(after, `${q}a`));
      }),
      { numRuns: 300 },
    );
  });
});
