// The popup's passkey list: one load of every passkey's metadata when the popup opens, an
// in-memory search index over it, and optimistic rename, delete and restore (the list changes
// at once; a failure puts it back and says why).
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { unpackPasskeys, type PackedPasskeys, type PasskeySummary } from '../../src/protocol/manager';
import { ask } from './manager-client';
import { PasskeyIndex, groupBySite, sortPasskeys } from './passkey-index';

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
  const [sorted, setSorted] = useState<PasskeySummary[]>([]);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    loadPacked().then(
      (packed) => {
        setSorted(sortPasskeys(unpackPasskeys(packed)));
        setLoad({ status: 'ready' });
      },
      (e: unknown) => setLoad({ status: 'failed', message: messageOf(e) }),
    );
  }, []);

  const index = useMemo(() => new PasskeyIndex(sorted), [sorted]);
  const matches = useMemo(() => index.search(query), [index, query]);
  // The whole list's rows are kept, so clearing the search regroups nothing.
  const allItems = useMemo(() => groupBySite(index.all), [index]);
  const items = useMemo(() => (matches === index.all ? allItems : groupBySite(matches)), [matches, index, allItems]);

  const replace = (credentialId: string, change: (p: PasskeySummary) => PasskeySummary) =>
    setSorted((list) => sortPasskeys(list.map((p) => (p.credentialId === credentialId ? change(p) : p))));

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

  return { load, total: sorted.length, matches, items, query, setQuery, error, setError, rename, remove, restore, find };
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
