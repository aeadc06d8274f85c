import { describe, expect, it } from 'vitest';
import { PasskeyIndex, groupBySite, queryTerms, recency, searchText, searchTexts, sortPasskeys } from '../../../components/popup/passkey-index';
import { packPasskeys, unpackPasskeys } from '../../../src/protocol/packed-list';
import { passkey } from './fixtures';

describe('sortPasskeys', () => {
  it('puts the site used most recently first, and within a site the passkey used most recently', () => {
    const oldA = passkey({ rpId: 'a.example', lastUsedAt: 5000 });
    const newA = passkey({ rpId: 'a.example', lastUsedAt: 9000 });
    const b = passkey({ rpId: 'b.example', lastUsedAt: 7000 });
    const c = passkey({ rpId: 'c.example', lastUsedAt: 9500 });
    expect(sortPasskeys([oldA, b, newA, c])).toEqual([c, newA, oldA, b]);
  });

  it('counts a passkey never used from when it was saved', () => {
    const saved = passkey({ createdAt: 8000, lastUsedAt: null });
    const used = passkey({ rpId: 'z.example', createdAt: 1000, lastUsedAt: 6000 });
    expect(recency(saved)).toBe(8000);
    expect(sortPasskeys([used, saved])).toEqual([saved, used]);
  });

  it('orders sites of equal recency by rpId, then passkeys by name, so the order is stable', () => {
    const b = passkey({ rpId: 'b.example', lastUsedAt: 100, friendlyName: 'B' });
    const a2 = passkey({ rpId: 'a.example', lastUsedAt: 100, friendlyName: 'Zed' });
    const a1 = passkey({ rpId: 'a.example', lastUsedAt: 100, friendlyName: 'Alpha' });
    expect(sortPasskeys([b, a2, a1])).toEqual([a1, a2, b]);
  });

  it('returns a new array and leaves its input alone', () => {
    const list = [passkey({ lastUsedAt: 1 }), passkey({ lastUsedAt: 2 })];
    const copy = [...list];
    expect(sortPasskeys(list)).not.toBe(list);
    expect(list).toEqual(copy);
  });
});

describe('groupBySite', () => {
  it('heads each run of one site with its name and count', () => {
    const a1 = passkey({ rpId: 'a.example', rpName: 'A' });
    const a2 = passkey({ rpId: 'a.example', rpName: 'A' });
    const b1 = passkey({ rpId: 'b.example', rpName: 'B' });
    expect(groupBySite([a1, a2, b1])).toEqual([
      { kind: 'site', rpId: 'a.example', rpName: 'A', count: 2 },
      { kind: 'passkey', passkey: a1 },
      { kind: 'passkey', passkey: a2 },
      { kind: 'site', rpId: 'b.example', rpName: 'B', count: 1 },
      { kind: 'passkey', passkey: b1 },
    ]);
  });

  it('heads the passkeys a site removed with "Removed by the site", after its shown ones', () => {
    const shown = passkey({ rpId: 'a.example', rpName: 'A' });
    const removed = passkey({ rpId: 'a.example', rpName: 'A', hidden: true });
    const onlyRemoved = passkey({ rpId: 'b.example', rpName: 'B', hidden: true });
    expect(groupBySite([shown, removed, onlyRemoved])).toEqual([
      { kind: 'site', rpId: 'a.example', rpName: 'A', count: 2 },
      { kind: 'passkey', passkey: shown },
      { kind: 'removed', rpId: 'a.example' },
      { kind: 'passkey', passkey: removed },
      { kind: 'site', rpId: 'b.example', rpName: 'B', count: 1 },
      { kind: 'removed', rpId: 'b.example' },
      { kind: 'passkey', passkey: onlyRemoved },
    ]);
  });

  it('groups nothing into nothing', () => {
    expect(groupBySite([])).toEqual([]);
  });
});

describe('PasskeyIndex', () => {
  const ada = passkey({ rpId: 'github.com', rpName: 'GitHub', userName: 'ada', userDisplayName: 'Ada Lovelace', friendlyName: 'Work laptop' });
  const alan = passkey({ rpId: 'google.com', rpName: 'Google', userName: 'alan@gmail.com', userDisplayName: 'Alan Turing', friendlyName: 'Personal' });
  const grace = passkey({ rpId: 'bank.example', rpName: 'First Bank', userName: 'ghopper', userDisplayName: 'Grace Hopper', friendlyName: 'Laptop at home' });
  const index = new PasskeyIndex([ada, alan, grace]);

  it('finds by site, site name, user name, display name and friendly name, ignoring case', () => {
    expect(index.search('GITHUB.com')).toEqual([ada]);
    expect(index.search('first bank')).toEqual([grace]);
    expect(index.search('alan@')).toEqual([alan]);
    expect(index.search('hopper')).toEqual([grace]);
    expect(index.search('laptop')).toEqual([ada, grace]);
  });

  it('needs every word to match, in any field and any order', () => {
    expect(index.search('laptop ada')).toEqual([ada]);
    expect(index.search('  home   grace ')).toEqual([grace]);
    expect(index.search('laptop alan')).toEqual([]);
  });

  it('returns everything, in order, for an empty or blank query', () => {
    expect(index.search('')).toBe(index.all);
    expect(index.search('   ')).toBe(index.all);
  });

  it('gives the same answers when typing on, going back, and starting over', () => {
    const typed = ['l', 'la', 'lap', 'lapt', 'lap', 'la', 'g', 'go', 'goo', ''];
    const fresh = typed.map((q) => new PasskeyIndex([ada, alan, grace]).search(q));
    expect(typed.map((q) => index.search(q))).toEqual(fresh);
  });

  it('answers the same query twice with the same array, so nothing downstream redoes its work', () => {
    const fresh = new PasskeyIndex([ada, alan, grace]);
    const first = fresh.search('laptop');
    expect(fresh.search(' LAPTOP ')).toBe(first);
    expect(fresh.search('laptop first')).toEqual([grace]);
  });

  it('keeps nothing from warming up: the searches around it answer as without it', () => {
    const warmed = new PasskeyIndex([ada, alan, grace]);
    warmed.warm();
    const first = warmed.search('laptop');
    expect(first).toEqual([ada, grace]);
    warmed.warm();
    expect(warmed.search('laptop')).toBe(first);
    expect(warmed.search('laptop home')).toEqual([grace]);
  });

  it('keeps the sorted order it was built with', () => {
    const sorted = sortPasskeys([passkey({ lastUsedAt: 1, friendlyName: 'x old' }), passkey({ lastUsedAt: 9, friendlyName: 'x new' })]);
    expect(new PasskeyIndex(sorted).search('x').map((p) => p.friendlyName)).toEqual(['x new', 'x old']);
  });

  it('finds the same passkeys as a plain filter while typing over 10,000 of them', () => {
    // Speed is the benchmark's business (npm run bench, popup search); this pins the result
    // of the narrowing shortcut, which tests only the previous keystroke's matches.
    const many = Array.from({ length: 10_000 }, (_, i) => passkey({ rpId: `site${i % 900}.example`, friendlyName: `Device-${i}` }));
    const sorted = sortPasskeys(many);
    const big = new PasskeyIndex(sorted);
    for (const q of ['d', 'de', 'dev', 'devi', 'device-9', 'device-99', 'device-999', 'device-9999', 'device-99', 'site1 device-1']) {
      const terms = queryTerms(q);
      const plain = sorted.filter((p) => terms.every((t) => `${p.rpId}\n${p.rpName}\n${p.userName}\n${p.userDisplayName}\n${p.friendlyName}`.toLowerCase().includes(t)));
      expect(big.search(q), q).toEqual(plain);
    }
    expect(big.search('device-9999')).toHaveLength(1);
  });
});

describe('search texts from the packed list', () => {
  const odd = [
    passkey({ rpId: 'istanbul.example', rpName: 'İstanbul Bankası', userName: 'ΣΟΦΙΑ', userDisplayName: '', friendlyName: 'Ünïcode Key' }),
    passkey({ rpName: 'Tab\tand\u001fseparators\u001e', userDisplayName: 'ADA', friendlyName: 'x' }),
    passkey({ rpName: '', userName: '', userDisplayName: '', friendlyName: '' }),
    passkey({ lastUsedAt: 99, friendlyName: 'Used' }),
  ];
  const packed = packPasskeys(odd);

  it('are each passkey’s search text, in the list’s order', () => {
    expect(searchTexts(packed)).toEqual(unpackPasskeys(packed).map(searchText));
    expect(searchTexts(packPasskeys([]))).toEqual([]);
  });

  it('find what texts made from the passkeys find', () => {
    const sorted = unpackPasskeys(packed);
    for (const q of ['istanbul', 'ΣΟΦΙΑ', 'σοφια', 'ünï', 'ada', 'separators', 'used', 'example', 'nothing']) {
      expect(new PasskeyIndex(sorted, searchTexts(packed)).search(q), q).toEqual(new PasskeyIndex(sorted).search(q));
    }
  });

  it('are not taken for a list they do not belong to', () => {
    const others = unpackPasskeys(packed).filter((p) => p.friendlyName !== 'Used');
    expect(new PasskeyIndex(others, searchTexts(packed)).search('used')).toEqual([]);
  });
});

describe('an index that replaces another (rename, delete)', () => {
  const a = passkey({ friendlyName: 'Old name' });
  const b = passkey({ friendlyName: 'Other' });
  const before = new PasskeyIndex([a, b]);
  before.prepare();

  it('finds a renamed passkey by its new name, not its old one', () => {
    const renamed = { ...a, friendlyName: 'New name' };
    const after = new PasskeyIndex([b, renamed], undefined, before);
    expect(after.search('new name')).toEqual([renamed]);
    expect(after.search('old name')).toEqual([]);
    expect(after.search('other')).toEqual([b]);
  });

  it('finds nothing that was deleted', () => {
    const after = new PasskeyIndex([b], undefined, before);
    expect(after.search('old')).toEqual([]);
    expect(after.search('')).toEqual([b]);
  });
});

describe('queryTerms', () => {
  it('splits on any whitespace and lower-cases', () => {
    expect(queryTerms(' Ada\tLOVELACE \n')).toEqual(['ada', 'lovelace']);
    expect(queryTerms('')).toEqual([]);
  });

  it('keeps no field separator in a word, so a word never spans two fields', () => {
    expect(queryTerms('a\u001fb')).toEqual(['a', 'b']);
  });
});
