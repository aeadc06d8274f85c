// The service worker's side of the passkey manager (the toolbar popup): list, rename,
// delete and restore passkeys, read and change settings, and look up where a site lets the
// user manage its passkeys. Every request is validated (src/protocol/manager.ts) before use.

import type { CredentialRecord } from '../authenticator/ports';
import { fromBase64url, toBase64url } from '../protocol/base64url';
import {
  isManagerMessage,
  firstPasskeyLines,
  orderPasskeyLines,
  replacePasskeyLines,
  validateManagerRequest,
  type ManagerAnswer,
  type ManagerRequest,
  type ManagerRequestType,
  type PackedPasskeys,
  type PasskeySummary,
  type Settings,
} from '../protocol/manager';
import type { CatalogChange } from '../vault/catalog';
import type { PageHandler } from './router';

/** The part of the vault the manager uses. */
export interface ManagedVault {
  /** Every passkey's summary line (packPasskey) and the catalog stamp they were read at. */
  listCatalog(): Promise<{ stamp: string; lines: string[] }>;
  /** Changes with every write to the vault, from any connection. */
  catalogStamp(): Promise<string>;
  /** The ordered list saved by saveCatalogSnapshot (whatever its stamp), and the stamp now. */
  catalogSnapshot(): Promise<{ stamp: string; snapshot: OrderedList | undefined }>;
  /** Keeps the ordered list for the next service worker, unless the vault was written since. */
  saveCatalogSnapshot(list: OrderedList): Promise<boolean>;
  rename(credentialId: Uint8Array, friendlyName: string): Promise<CatalogChange>;
  delete(credentialId: Uint8Array): Promise<CatalogChange>;
  restore(credentialId: Uint8Array): Promise<CatalogChange>;
}

/** The list in display order, and the catalog stamp it was read at. */
export interface OrderedList {
  stamp: string;
  packed: PackedPasskeys;
}

export interface ManagerDeps {
  vault: () => Promise<ManagedVault>;
  /**
   * Whether the vault is unlocked. The manager answers nothing while it is not: the popup
   * shows it only once unlocked, and a locked browser must not let its passkeys be listed,
   * renamed or deleted, nor its settings changed, by any other way in.
   */
  isUnlocked: () => Promise<boolean>;
  /** The ordered list, shared with what else writes the vault (ceremonies); one of its own if absent. */
  passkeys?: PasskeyList;
  getSettings: () => Promise<Settings>;
  updateSettings: (patch: Partial<Settings>) => Promise<Settings>;
  /** Whether the user granted Latchkey this origin (`https://<rpId>/*`). */
  hasOriginPermission: (origin: string) => Promise<boolean>;
  fetch: typeof fetch;
  /** How long the passkey-endpoints fetch may take, in ms. */
  endpointsTimeoutMs?: number;
}

export function summarize(record: CredentialRecord): PasskeySummary {
  return {
    credentialId: toBase64url(record.credentialId),
    rpId: record.rpId,
    rpName: record.rpName,
    userName: record.userName,
    userDisplayName: record.userDisplayName,
    friendlyName: record.friendlyName,
    alg: record.alg,
    discoverable: record.discoverable,
    backupState: record.backupState,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    hidden: record.hidden !== undefined,
    superseded: record.hidden === undefined && record.supersededBy !== undefined,
  };
}

/** The `manage` URL a site publishes in /.well-known/passkey-endpoints, when it is an https URL. */
export function parsePasskeyEndpoints(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('manage' in body) || typeof body.manage !== 'string') return null;
  try {
    const url = new URL(body.manage);
    return url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function passkeyEndpointsUrl(rpId: string): string {
  return `https://${rpId}/.well-known/passkey-endpoints`;
}

/**
 * The list in display order. Reopening the popup costs one read of the catalog's stamp while
 * this worker has the list in memory. A write made through this worker (a ceremony's save or
 * sign-in, a rename, a deletion) is reported with what it changed (`follow`), and the list
 * follows it: only the sites it touched are ordered again (replacePasskeyLines), instead of
 * every line being read and sorted at the next open, which took about half a second at
 * 10,000 passkeys right after a sign-in. A worker that has no list in memory (the worker
 * stops about 30 s after its last event, so the popup usually finds a new one) starts from
 * the snapshot the last one saved (src/vault/catalog.ts), brought up to date the same way
 * when the writes since it were made here. A write it was not told of (another connection)
 * leaves the stamps unchained, and the whole catalog is read again.
 */
export class PasskeyList {
  #last: OrderedList | undefined;
  /** Whether #last is the vault's saved snapshot. */
  #saved = false;
  /** Writes reported since #last, each from its stamp before to its stamp after. */
  #changes: CatalogChange[] = [];
  #save: ReturnType<typeof setTimeout> | undefined;
  readonly #vault: () => Promise<ManagedVault>;
  readonly #saveDelayMs: number;

  /**
   * `saveDelayMs`: how long after the last write the list is saved as the snapshot. Each write
   * pushes it back, so a run of sign-ins is followed by one save, away from the ceremonies.
   */
  constructor(vault: () => Promise<ManagedVault>, { saveDelayMs = 10_000 }: { saveDelayMs?: number } = {}) {
    this.#vault = vault;
    this.#saveDelayMs = saveDelayMs;
  }

  async list(): Promise<PackedPasskeys> {
    const vault = await this.#vault();
    const last = this.#last;
    const followed = last && this.#followed(last, await vault.catalogStamp());
    if (followed) return this.#keep(followed, followed === last && this.#saved).packed;
    const { stamp, snapshot } = await vault.catalogSnapshot();
    const fromSnapshot = snapshot && this.#followed(snapshot, stamp);
    if (fromSnapshot) return this.#keep(fromSnapshot, fromSnapshot === snapshot).packed;
    const { stamp: read, lines } = await vault.listCatalog();
    const ordered = this.#keep({ stamp: read, packed: orderPasskeyLines(lines) }, false);
    void this.#saveNow(ordered);
    return ordered.packed;
  }

  /** A write made through this worker, with what it changed: the list follows it, and is saved once writes pause. */
  follow(change: CatalogChange): void {
    this.#changes.push(change);
    if (this.#save !== undefined) clearTimeout(this.#save);
    this.#save = setTimeout(() => {
      this.#save = undefined;
      void this.list().then(
        () => (this.#last && !this.#saved ? this.#saveNow(this.#last) : undefined),
        () => undefined,
      );
    }, this.#saveDelayMs);
  }

  /** `from` brought to `stamp` by the reported writes, when they lead there; else undefined. */
  #followed(from: OrderedList, stamp: string): OrderedList | undefined {
    if (from.stamp === stamp) return from;
    const chain = this.#chainFrom(from.stamp);
    const last = chain.findIndex((change) => change.after === stamp);
    if (last === -1) return undefined;
    const lines = new Map<string, string | null>();
    for (const change of chain.slice(0, last + 1)) for (const [id, line] of change.lines) lines.set(id, line);
    return { stamp, packed: replacePasskeyLines(from.packed, lines) };
  }

  /** Makes `list` the one in memory; reported writes it already holds are forgotten. */
  #keep(list: OrderedList, saved: boolean): OrderedList {
    this.#last = list;
    this.#saved = saved;
    // Stamps are never reused, so only writes from `list.stamp` on can still be followed.
    this.#changes = this.#chainFrom(list.stamp);
    return list;
  }

  /** The reported writes that follow one another from `stamp` on, in order. */
  #chainFrom(stamp: string): CatalogChange[] {
    const next = new Map(this.#changes.map((change) => [change.before, change]));
    const chain: CatalogChange[] = [];
    for (let change = next.get(stamp); change; change = next.get(change.after)) chain.push(change);
    return chain;
  }

  async #saveNow(list: OrderedList): Promise<void> {
    const kept = await (await this.#vault()).saveCatalogSnapshot(list).catch(() => false);
    if (kept && this.#last === list) this.#saved = true;
  }
}

/** The page handler for the manager's messages (register it in background.ts's pageHandlers). */
export function managerHandler(deps: ManagerDeps): PageHandler {
  const passkeys = deps.passkeys ?? new PasskeyList(deps.vault);
  return (message) => {
    if (!isManagerMessage(message)) return undefined;
    const checked = validateManagerRequest(message);
    if (!checked.ok) return Promise.resolve({ ok: false, message: `Latchkey refused a malformed request (${checked.reason}).` });
    return answerUnlocked(deps, passkeys, checked.value).catch((error: unknown) => ({ ok: false, message: describe(error) }));
  };
}

/** The sentence for any manager request while the vault is locked (or not set up yet). */
export const LOCKED_MESSAGE = 'Latchkey is locked. Unlock it to see and change your passkeys and settings.';

async function answerUnlocked(deps: ManagerDeps, passkeys: PasskeyList, request: ManagerRequest): Promise<ManagerAnswer<ManagerRequestType>> {
  if (!(await deps.isUnlocked())) return { ok: false, message: LOCKED_MESSAGE };
  return answer(deps, passkeys, request);
}

async function answer(deps: ManagerDeps, passkeys: PasskeyList, request: ManagerRequest): Promise<ManagerAnswer<ManagerRequestType>> {
  switch (request.type) {
    case 'manager:list': {
      const packed = await passkeys.list();
      return { ok: true, packed: request.first === undefined ? packed : firstPasskeyLines(packed, request.first) };
    }
    case 'manager:rename':
      passkeys.follow(await (await deps.vault()).rename(idBytes(request.credentialId), request.friendlyName));
      return { ok: true, friendlyName: request.friendlyName };
    case 'manager:delete':
      passkeys.follow(await (await deps.vault()).delete(idBytes(request.credentialId)));
      return { ok: true, credentialId: request.credentialId };
    case 'manager:restore':
      passkeys.follow(await (await deps.vault()).restore(idBytes(request.credentialId)));
      return { ok: true, credentialId: request.credentialId };
    case 'manager:endpoints':
      return { ok: true, manage: await fetchManageUrl(deps, request.rpId) };
    case 'manager:get-settings':
      return { ok: true, settings: await deps.getSettings() };
    case 'manager:update-settings':
      return { ok: true, settings: await deps.updateSettings(request.patch) };
  }
}

/**
 * Reads https://<rpId>/.well-known/passkey-endpoints, only once the user granted that origin
 * (the popup asks on the user's click). Without cookies; a missing or malformed file is null.
 */
async function fetchManageUrl(deps: ManagerDeps, rpId: string): Promise<string | null> {
  if (!(await deps.hasOriginPermission(`https://${rpId}/*`))) {
    throw new Error(`Latchkey may not read ${rpId} until you allow it.`);
  }
  let response: Response;
  try {
    response = await deps.fetch(passkeyEndpointsUrl(rpId), {
      credentials: 'omit',
      cache: 'no-store',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(deps.endpointsTimeoutMs ?? 5000),
    });
  } catch {
    throw new Error(`Latchkey could not reach ${rpId}.`);
  }
  if (!response.ok) return null;
  try {
    return parsePasskeyEndpoints(await response.json());
  } catch {
    return null;
  }
}

function idBytes(credentialId: string): Uint8Array {
  const bytes = fromBase64url(credentialId);
  // validateManagerRequest checked it already.
  if (!bytes) throw new Error('credentialId is not base64url');
  return bytes;
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'not-found') {
    return 'That passkey is no longer in Latchkey.';
  }
  return error instanceof Error ? error.message : String(error);
}
