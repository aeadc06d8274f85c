import { describe, expect, it } from 'vitest';
import { orderPasskeyLines, packPasskey, packPasskeys, takePasskeyLines, unpackPasskey, unpackPasskeys } from '../../../src/protocol/packed-list';
import { replacePasskeyLines } from '../../../src/protocol/packed-list-splice';
import { sortPasskeys } from '../../../src/protocol/passkey-order';

describe('packPasskeys / unpackPasskeys', () => {
  const base = {
    credentialId: 'AAECAwQFBgcICQoLDA0ODw',
    rpId: 'example.com',
    rpName: 'Example',
    userName: 'ada@example.com',
    userDisplayName: 'Ada Lovelace',
    friendlyName: 'Work laptop',
    alg: -7,
    discoverable: true,
    backupState: false,
    createdAt: 1_700_000_000_000,
    lastUsedAt: null,
    hidden: false,
    superseded: false,
  };

  it('round-trips every field', () => {
    const list = [
      base,
      { ...base, credentialId: 'EBESExQVFhcYGRobHB0eHw', friendlyName: '', userDisplayName: '', lastUsedAt: 1_700_000_500_123, backupState: true, hidden: true, alg: -8 },
      { ...base, credentialId: 'MDEyMzQ1Njc4OTo7PD0-Pw', superseded: true },
      { ...base, credentialId: 'ICEiIyQlJicoKSorLC0uLw', rpId: 'other.example', rpName: 'Other, “quoted” 🔑', discoverable: false, alg: -257 },
    ];
    const packed = packPasskeys(list);
    expect(unpackPasskeys(JSON.parse(JSON.stringify(packed)))).toEqual(sortPasskeys(list));
  });

  it('carries the list in display order, with how many passkeys and sites it holds', () => {
    const old = { ...base, credentialId: 'b1', rpId: 'b.example', createdAt: 1 };
    const recent = { ...base, credentialId: 'b2', rpId: 'b.example', lastUsedAt: 1_800_000_000_000 };
    const packed = packPasskeys([base, old, recent]);
    expect(unpackPasskeys(packed).map((p) => p.credentialId)).toEqual(['b2', 'b1', base.credentialId]);
    expect(packed).toMatchObject({ count: 3, sites: 2 });
    expect(packPasskeys([])).toEqual({ text: '', count: 0, sites: 0 });
  });

  it('takes the first lines without splitting the rest, which unpacks to the remaining passkeys', () => {
    const list = sortPasskeys(Array.from({ length: 5 }, (_, i) => ({ ...base, credentialId: `id${i}`, createdAt: i })));
    const packed = packPasskeys(list);
    for (const n of [0, 1, 4, 5, 9]) {
      const { first, rest } = takePasskeyLines(packed, n);
      expect(first.map(unpackPasskey), `first ${n}`).toEqual(list.slice(0, n));
      expect(unpackPasskeys({ ...packed, text: rest }), `rest after ${n}`).toEqual(list.slice(n));
    }
    expect(takePasskeyLines(packPasskeys([]), 3)).toEqual({ first: [], rest: '' });
  });

  it('puts the passkeys the site removed after the shown ones of their site, and orders sites by their shown passkeys', () => {
    const removed = { ...base, credentialId: 'r', rpId: 'a.example', hidden: true, lastUsedAt: 1_900_000_000_000 };
    const shown = { ...base, credentialId: 's', rpId: 'a.example', lastUsedAt: 1_700_000_000_000 };
    const other = { ...base, credentialId: 'o', rpId: 'b.example', lastUsedAt: 1_800_000_000_000 };
    expect(sortPasskeys([removed, shown, other]).map((p) => p.credentialId)).toEqual(['o', 's', 'r']);
    // A site with only removed passkeys is ordered by them.
    expect(sortPasskeys([removed, other]).map((p) => p.credentialId)).toEqual(['r', 'o']);
  });

  it('packs nothing as nothing', () => {
    expect(unpackPasskeys(packPasskeys([]))).toEqual([]);
  });

  it('replaces the separator characters in names rather than letting them split a line', () => {
    const odd = { ...base, friendlyName: 'a\u001eb\u001fc' };
    expect(unpackPasskeys(packPasskeys([odd, base]))).toEqual(sortPasskeys([{ ...odd, friendlyName: 'a\ufffdb\ufffdc' }, base]));
  });
});

describe('replacePasskeyLines', () => {
  /** A small deterministic generator, so a failing case can be run again. */
  function random(seed: number) {
    return (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
  }
  const line = (i: number, pick: (n: number) => number) =>
    packPasskey({
      credentialId: `id${i}`,
      rpId: `site${pick(6)}.example`,
      // Names that read like another passkey's id or site must not be taken for them.
      rpName: `site${pick(6)}.example`,
      userName: `user${i}`,
      userDisplayName: `id${pick(50)}`,
      friendlyName: pick(2) ? `name ${pick(3)}` : `id${pick(50)}`,
      alg: -7,
      discoverable: true,
      backupState: false,
      // Few distinct times, so that ties between sites and between passkeys are common.
      createdAt: pick(5),
      lastUsedAt: pick(2) ? null : 5 + pick(5),
      hidden: pick(4) === 0,
      superseded: pick(4) === 0,
    });

  it('gives the order that ordering the whole new set gives, for sign-ins, renames, saves and deletions', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const pick = random(seed);
      const lines = new Map<string, string>(Array.from({ length: pick(40) }, (_, i) => [`id${i}`, line(i, pick)]));
      const changed = new Map<string, string | null>();
      for (let c = 1 + pick(4); c > 0; c--) {
        const i = pick(50); // an existing passkey, or a new one
        changed.set(`id${i}`, pick(4) === 0 ? null : line(i, pick));
      }
      const after = new Map(lines);
      for (const [id, next] of changed) {
        if (next === null) after.delete(id);
        else after.set(id, next);
      }
      expect(replacePasskeyLines(orderPasskeyLines([...lines.values()]), changed), `seed ${seed}`).toEqual(orderPasskeyLines([...after.values()]));
    }
  });

  it('moves a site to the top when one of its passkeys signs in', () => {
    const old = packPasskeys([
      { ...unpackPasskey(line(1, () => 0)), rpId: 'a.example', createdAt: 3 },
      { ...unpackPasskey(line(2, () => 0)), rpId: 'b.example', createdAt: 2 },
      { ...unpackPasskey(line(3, () => 0)), rpId: 'b.example', createdAt: 1 },
    ]);
    const signedIn = packPasskey({ ...unpackPasskey(line(3, () => 0)), rpId: 'b.example', createdAt: 1, lastUsedAt: 9 });
    const next = replacePasskeyLines(old, new Map([['id3', signedIn]]));
    expect(unpackPasskeys(next).map((p) => p.credentialId)).toEqual(['id3', 'id2', 'id1']);
    expect(next).toMatchObject({ count: 3, sites: 2 });
    expect(replacePasskeyLines(next, new Map([['id1', null]]))).toMatchObject({ count: 2, sites: 1 });
  });
});
