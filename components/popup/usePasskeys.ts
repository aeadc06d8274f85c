// The popup's passkey list: one load of every passkey's metadata when the popup opens, an
// in-memory search index over it, and optimistic rename, delete and restore (the list changes
// at once; a failure puts it back and says why).
//
// The list arrives in display order (src/protocol/manager.ts). The first rows are painted from
// its first FIRST_LINES lines; the rest are unpacked in the task after that paint, or at once
// when the user searches or changes the list first. Until then `pending` says how many rows
// and sites are still to come, so the list has its full height from the start.
import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { splitPasskeyLines, unpackPasskey, type PackedPasskeys, type PasskeySummary } from '../../src/protocol/manager';
import { afterPaint } from './after-paint';
import { ask } from './manager-client';
import { PasskeyIndex, groupBySite, sortPasskeys, type ListItem } from './passkey-index';

/** Enough passkeys to fill the popup and its overscan at any zoom, before the rest is unpacked. */
export const FIRST_LINES = 60;

/** The list as shown: `sorted`, and while only its start is unpacked, the lines still to read. */
export interface ListState {
  sorted: PasskeySummary[];
  rest?: { lines: string[]; count: number; sites: number };
}

/** The list with every line unpacked (the same state when it already is). */
export function completeList(state: ListState): ListState {
  if (!state.rest) return state;
  const { lines } = state.rest;
  const sorted = state.sorted.slice();
  for (let i = sorted.length; i < lines.length; i++) sorted.push(unpackPasskey(lines[i]!));
  return { sorted };
}

/** The passkey and site rows still to come after `items` (groupBySite of the unpacked start). */
export function pendingRows(state: ListState, items: readonly ListItem[]): { passkeys: number; sites: number } | undefined {
  if (!state.rest) return undefined;
  const sitesShown = items.length - state.sorted.length;
  return { passkeys: state.rest.count - state.sorted.length, sites: state.rest.sites - sitesShown };
}

/** The list's first lines only, and what remains of it. */
export function startList(packed: PackedPasskeys, first = FIRST_LINES): ListState {
  const lines = splitPasskeyLines(packed);
  const sorted = lines.slice(0, first).map(unpackPasskey);
  return sorted.length === lines.length ? { sorted } : { sorted, rest: { lines, count: packed.count, sites: packed.sites } };
}

export type LoadState = { status: 'loading' } | { status: 'ready' } | { status: 'failed'; message: string };

let prefetched: Promise<PackedPasskeys> | undefined;

/**
 * Asks for the list as the popup opens, beside the vault gate's lock status, so the two round
 * trips to the service worker overlap instead of following each other. The list shows only
 * once the gate lets the manager in; if the vault locks or unlocks meanwhile (storage.session
 * changes) the early answer is dropped and the manager asks again.
 */
export function prefetchPasskeys(): void {
  const request = ask({ type: 'manager:list' }).then((answer) => answer.packed);
  request.catch(() => undefined); // observed by whoever takes it
  prefetched = request;
  const drop = (_changes: unknown, area: string) => {
    if (area !== 'session') return;
    if (prefetched === request) prefetched = undefined;
    browser.storage.onChanged.removeListener(drop);
  };
  browser.storage.onChanged.addListener(drop);
}

function loadPacked(): Promise<PackedPasskeys> {
  const early = prefetched;
  prefetched = undefined;
  return early ?? ask({ type: 'manager:list' }).then((answer) => answer.packed);
}

export function usePasskeys() {
  const [load, setLoad] = useState<LoadState>({ status: 'loading' });
  const [list, setList] = useState<ListState>({ sorted: [] });
  const [query, setQueryState] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);

  // A layout effect takes the list as soon as the manager is committed, not a frame later.
  useLayoutEffect(() => {
    loadPacked().then(
      (packed) => {
        setList(startList(packed));
        setLoad({ status: 'ready' });
        // After the first rows' frame and its benchmark mark (whose message is posted
        // after this one), not in between.
        afterPaint(() => setTimeout(() => setList(completeList)));
      },
      (e: unknown) => setLoad({ status: 'failed', message: messageOf(e) }),
    );
  }, []);

  const { sorted, rest } = list;
  const index = useMemo(() => new PasskeyIndex(sorted), [sorted]);
  // The search texts are made while the popup is idle, so the first keystroke finds them ready.
  useEffect(() => {
    if (rest) return;
    const idle = requestIdleCallback(() => index.prepare());
    return () => cancelIdleCallback(idle);
  }, [index, rest]);
  const matches = useMemo(() => index.search(query), [index, query]);
  // The whole list's rows are kept, so clearing the search regroups nothing.
  const allItems = useMemo(() => groupBySite(index.all), [index]);
  const items = useMemo(() => (matches === index.all ? allItems : groupBySite(matches)), [matches, index, allItems]);
  const pending = useMemo(() => pendingRows(list, allItems), [list, allItems]);

  /** Every change to the list, and every search, works on the whole list. */
  const setSorted = (change: (list: PasskeySummary[]) => PasskeySummary[]) =>
    setList((state) => ({ sorted: change(completeList(state).sorted) }));
  const replace = (credentialId: string, change: (p: PasskeySummary) => PasskeySummary) =>
    setSorted((list) => sortPasskeys(list.map((p) => (p.credentialId === credentialId ? change(p) : p))));
  const setQuery = useCallback((next: string) => {
    setList(completeList);
    setQueryState(next);
  }, []);

  const rename = useCallback(async (passkey: PasskeySummary, friendlyName: string) => {
    setError(undefined);
    replace(passkey.credentialId, (p) => ({ ...p, friendlyName }));
    try {
      const saved = await ask({ type: 'manager:rename', credentialId: passkey.credentialId, friendlyName });
      replace(passkey.credentialId, (p) => ({ ...p, friendlyName: saved.friendlyName }));
    } catch (e) {
      replace(passkey.credentialId, (p) => ({ ...p, friendlyName: passkey.friendlyName }));
      setError(`Couldn’t rename “${passkey.friendlyName}”: ${messageOf(e)}`);
    }
  }, []);

  const remove = useCallback(async (passkey: PasskeySummary) => {
    setError(undefined);
    setSorted((list) => list.filter((p) => p.credentialId !== passkey.credentialId));
    try {
      await ask({ type: 'manager:delete', credentialId: passkey.credentialId });
      return true;
    } catch (e) {
      setSorted((list) => sortPasskeys([...list.filter((p) => p.credentialId !== passkey.credentialId), passkey]));
      setError(`Couldn’t delete “${passkey.friendlyName}”: ${messageOf(e)}`);
      return false;
    }
  }, []);

  const restore = useCallback(async (passkey: PasskeySummary) => {
    setError(undefined);
    replace(passkey.credentialId, (p) => ({ ...p, hidden: false }));
    try {
      await ask({ type: 'manager:restore', credentialId: passkey.credentialId });
    } catch (e) {
      replace(passkey.credentialId, (p) => ({ ...p, hidden: passkey.hidden }));
      setError(`Couldn’t restore “${passkey.friendlyName}”: ${messageOf(e)}`);
    }
  }, []);

  const find = useCallback((credentialId: string) => sorted.find((p) => p.credentialId === credentialId), [sorted]);

  return { load, total: rest ? rest.count : sorted.length, matches, items, pending, query, setQuery, error, setError, rename, remove, restore, find };
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
