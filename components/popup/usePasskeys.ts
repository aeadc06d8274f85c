// The popup's passkey list: one load of every passkey's metadata when the popup opens, an
// in-memory search index over it, and optimistic rename, delete and restore (the list changes
// at once; a failure puts it back and says why).
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { unpackPasskeys, type PasskeySummary } from '../../src/protocol/manager';
import { ask } from './manager-client';
import { PasskeyIndex, groupBySite, sortPasskeys } from './passkey-index';

export type LoadState = { status: 'loading' } | { status: 'ready' } | { status: 'failed'; message: string };

export function usePasskeys() {
  const [load, setLoad] = useState<LoadState>({ status: 'loading' });
  const [sorted, setSorted] = useState<PasskeySummary[]>([]);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    ask({ type: 'manager:list' }).then(
      ({ packed }) => {
        setSorted(sortPasskeys(unpackPasskeys(packed)));
        setLoad({ status: 'ready' });
      },
      (e: unknown) => setLoad({ status: 'failed', message: messageOf(e) }),
    );
  }, []);

  const index = useMemo(() => new PasskeyIndex(sorted), [sorted]);
  const matches = useMemo(() => index.search(query), [index, query]);
  const items = useMemo(() => groupBySite(matches), [matches]);

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
