// The popup's passkey list: one load of every passkey's metadata when the popup opens, an
// in-memory search index over it, and optimistic rename, delete and restore (the list changes
// at once; a failure puts it back and says why).
//
// The list arrives in display order (src/protocol/passkey-order.ts), in two answers: first its
// first FIRST_LINES lines with the whole list's counts, small enough to arrive and paint
// quickly; then, once those rows are painted, the whole list, which replaces them. Until then
// `pending` says how many rows and sites are still to come, so the list has its full height
// from the start; a change made meanwhile is made again to the whole list.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { firstPasskeyLines, unpackPasskeys, type PackedPasskeys } from '../../src/protocol/packed-list';
import { type PasskeySummary } from '../../src/protocol/passkey-summary';
import { earlyAnswer, settling } from '../early-answer';
import { afterPaint } from '../after-paint';
import { ask } from './manager-client';
import { PasskeyIndex, groupBySite, searchTexts, sortPasskeys, type ListItem } from './passkey-index';
import { readSavedHead } from '../../src/vault/saved-head';

/** Enough passkeys to fill the popup and its overscan at any zoom. */
export const FIRST_LINES = 60;

type Change = (list: PasskeySummary[]) => PasskeySummary[];

/** Benchmark mark: the whole list is in memory (bench/lib/popup.mjs types only after it). */
const LIST_COMPLETE = 'latchkey:list-complete';

/** The list as shown: `sorted`, and while it is only the list's start, what is still to come. */
export interface ListState {
  sorted: PasskeySummary[];
  /** The search texts of `sorted` (searchTexts), when it is the list as it arrived, unchanged. */
  texts?: readonly string[];
  /** The whole list's counts, and the changes made to the start, to make again to the whole. */
  rest?: { count: number; sites: number; changes: Change[] };
}

/** The list's start, from the first answer. */
export function startList(packed: PackedPasskeys): ListState {
  const sorted = unpackPasskeys(packed);
  const texts = searchTexts(packed);
  return sorted.length >= packed.count ? { sorted, texts } : { sorted, texts, rest: { count: packed.count, sites: packed.sites, changes: [] } };
}

/**
 * The whole list, with the changes made to its start meanwhile (the same state when it is
 * whole already). Its search texts are made now, as it arrives, not at the first keystroke.
 */
export function completeList(packed: PackedPasskeys): (state: ListState) => ListState {
  return (state) => {
    if (!state.rest) return state;
    const { changes } = state.rest;
    const whole = unpackPasskeys(packed);
    return changes.length === 0 ? { sorted: whole, texts: searchTexts(packed) } : { sorted: changes.reduce((list, change) => change(list), whole) };
  };
}

/** `change` made to the list, and remembered for the whole list while only its start is here. */
export function changeList(change: Change): (state: ListState) => ListState {
  return (state) => ({ sorted: change(state.sorted), rest: state.rest && { ...state.rest, changes: [...state.rest.changes, change] } });
}

/** The passkey and site rows still to come after `items` (groupBySite of the list's start). */
export function pendingRows(state: ListState, items: readonly ListItem[]): { passkeys: number; sites: number } | undefined {
  if (!state.rest) return undefined;
  const sitesShown = items.filter((item) => item.kind === 'site').length;
  return { passkeys: Math.max(0, state.rest.count - state.sorted.length), sites: Math.max(0, state.rest.sites - sitesShown) };
}

export type LoadState = { status: 'loading' } | { status: 'ready' } | { status: 'failed'; message: string };

const askList = (first?: number) => ask({ type: 'manager:list', ...(first ? { first } : {}) }).then((answer) => answer.packed);

/**
 * The list's start from whichever answers first: the service worker, or the head of the list
 * it last saved, when that is current (src/vault/saved-head.ts; a sleeping worker takes 70-100 ms to
 * start). The whole list always comes from the worker, after the first rows are painted.
 */
export function firstLines(asked: Promise<PackedPasskeys>, saved: Promise<PackedPasskeys | undefined>): Promise<PackedPasskeys> {
  return new Promise((resolve, reject) => {
    let askFailed: { error: unknown } | undefined;
    let savedMissing = false;
    asked.then(resolve, (error: unknown) => {
      askFailed = { error };
      if (savedMissing) reject(error);
    });
    saved.then((head) => {
      if (head) resolve(firstPasskeyLines(head, FIRST_LINES));
      else if (askFailed) reject(askFailed.error);
      else savedMissing = true;
    });
  });
}

// settling() observes a failure too: whoever takes the request sees it. Once the worker has
// answered, the saved head is not read on (readSavedHead's `stop`).
const early = earlyAnswer(() => {
  const asked = askList(FIRST_LINES);
  const stop = new AbortController();
  asked.then(() => stop.abort(), () => undefined);
  return settling(firstLines(asked, readSavedHead(undefined, stop.signal)));
});

/**
 * Asks for the list's start as the popup opens, beside the vault gate's lock status, so the
 * round trips to the service worker overlap instead of following each other. The list shows
 * only once the gate lets the manager in; if the vault locks or unlocks meanwhile
 * (storage.session changes) the early answer is dropped and the manager asks again.
 */
export function prefetchPasskeys(): void {
  early.start();
}

/** The prefetched list's start (undefined without a current prefetch), left for the manager. */
export function prefetchedPasskeys(): Promise<PackedPasskeys> | undefined {
  return early.peek()?.promise;
}

function loadFirst(): Promise<PackedPasskeys> {
  return early.take()?.promise ?? askList(FIRST_LINES);
}

/** The list's start, when the prefetch has it already (the popup waits for it before rendering). */
function arrivedStart(): ListState | undefined {
  const outcome = early.peek()?.outcome;
  if (outcome?.ok !== true) return undefined;
  early.take();
  return startList(outcome.value);
}

export function usePasskeys() {
  // With the list's start in already, the manager's first render shows its rows.
  const [arrived] = useState(arrivedStart);
  const [load, setLoad] = useState<LoadState>(arrived ? { status: 'ready' } : { status: 'loading' });
  const [list, setList] = useState<ListState>(arrived ?? { sorted: [] });
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);

  // A layout effect takes the answer as soon as the manager is committed, not a frame later.
  // The whole list is asked for once the first rows are painted (after their frame and its
  // benchmark mark, whose message is posted after this one): its answer, large at 10,000
  // passkeys, then never lands between the first answer and that paint.
  useLayoutEffect(() => {
    const wholeFailed = (e: unknown) => setError(`Latchkey couldn’t read all your passkeys: ${messageOf(e)}`);
    const started = (start: ListState) => {
      if (!start.rest) performance.mark(LIST_COMPLETE);
      else {
        afterPaint(() =>
          setTimeout(() =>
            askList().then((whole) => {
              setList(completeList(whole));
              performance.mark(LIST_COMPLETE);
            }, wholeFailed),
          ),
        );
      }
    };
    if (arrived) {
      started(arrived);
      return;
    }
    loadFirst().then(
      (packed) => {
        const start = startList(packed);
        setList(start);
        setLoad({ status: 'ready' });
        started(start);
      },
      () =>
        askList().then(
          (whole) => {
            setList(startList(whole));
            setLoad({ status: 'ready' });
            performance.mark(LIST_COMPLETE);
          },
          (e: unknown) => setLoad({ status: 'failed', message: messageOf(e) }),
        ),
    );
  }, []);

  const { sorted, texts, rest } = list;
  // A changed list (rename, delete, restore) keeps the search texts of the passkeys it kept.
  const previousIndex = useRef<PasskeyIndex | undefined>(undefined);
  const index = useMemo(() => new PasskeyIndex(sorted, texts, previousIndex.current), [sorted, texts]);
  previousIndex.current = index;
  // Texts not known from the packed list are made while the popup is idle, and the search run
  // once, so the next keystroke finds them ready and the scan compiled.
  useEffect(() => {
    if (rest) return;
    const idle = requestIdleCallback(() => index.warm());
    return () => cancelIdleCallback(idle);
  }, [index, rest]);
  const matches = useMemo(() => index.search(query), [index, query]);
  // The whole list's rows are kept, so clearing the search regroups nothing.
  const allItems = useMemo(() => groupBySite(index.all), [index]);
  const items = useMemo(() => (matches === index.all ? allItems : groupBySite(matches)), [matches, index, allItems]);
  const pending = useMemo(() => pendingRows(list, allItems), [list, allItems]);

  const setSorted = (change: Change) => setList(changeList(change));
  const replace = (credentialId: string, change: (p: PasskeySummary) => PasskeySummary) =>
    setSorted((list) => sortPasskeys(list.map((p) => (p.credentialId === credentialId ? change(p) : p))));

  // A restore or a deletion changes the other passkeys of its account too (which one is
  // current, docs/architecture.md#a-create-for-the-same-rpid-and-userid): the list is read again.
  const refresh = () => void askList().then((whole) => setList((state) => (state.rest ? state : startList(whole))), () => undefined);

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
      refresh();
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
      refresh();
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
