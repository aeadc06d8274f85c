// The service worker's side of the passkey manager (the toolbar popup): list, rename,
// delete and restore passkeys, read and change settings, and look up where a site lets the
// user manage its passkeys. Every request is validated (src/protocol/manager.ts) before use.

import type { CredentialRecord } from '../authenticator/ports';
import { fromBase64url, toBase64url } from '../protocol/base64url';
import {
  isManagerMessage,
  firstPasskeyLines,
  orderPasskeyLines,
  validateManagerRequest,
  type ManagerAnswer,
  type ManagerRequest,
  type ManagerRequestType,
  type PackedPasskeys,
  type PasskeySummary,
  type Settings,
} from '../protocol/manager';
import type { PageHandler } from './router';

/** The part of the vault the manager uses. */
export interface ManagedVault {
  /** Every passkey's summary line (packPasskey) and the catalog stamp they were read at. */
  listCatalog(): Promise<{ stamp: string; lines: string[] }>;
  /** Changes with every write to the vault, from any connection. */
  catalogStamp(): Promise<string>;
  /** The ordered list saved by saveCatalogSnapshot, only if it was read at the current stamp. */
  currentCatalogSnapshot(): Promise<OrderedList | undefined>;
  /** Keeps the ordered list for the next service worker, unless the vault was written since. */
  saveCatalogSnapshot(list: OrderedList): Promise<boolean>;
  rename(credentialId: Uint8Array, friendlyName: string): Promise<void>;
  delete(credentialId: Uint8Array): Promise<void>;
  restore(credentialId: Uint8Array): Promise<void>;
}

/** The list in display order, and the catalog stamp it was read at. */
export interface OrderedList {
  stamp: string;
  packed: PackedPasskeys;
}

export interface ManagerDeps {
  vault: () => Promise<ManagedVault>;
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
    hidden: record.supersededBy !== undefined,
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
 * this worker has the list in memory; a worker that has not (the worker stops about 30 s after
 * its last event, so the popup usually finds a new one) reads the snapshot the last one saved
 * (src/vault/catalog.ts) instead of every line. Any write, through this worker or another
 * connection, changes the stamp and so drops both; after a write made here, `refreshSoon`
 * orders the list again and saves it while nobody waits for it.
 */
export class PasskeyList {
  #last: OrderedList | undefined;
  #refresh: ReturnType<typeof setTimeout> | undefined;
  readonly #vault: () => Promise<ManagedVault>;
  readonly #refreshDelayMs: number;

  /**
   * `refreshDelayMs`: how long after the last write the list is read again. Each write pushes
   * it back, so a run of sign-ins is followed by one read of the whole catalog, away from the
   * ceremonies (at 10,000 passkeys that read and sort take the worker 100 ms or more).
   */
  constructor(vault: () => Promise<ManagedVault>, { refreshDelayMs = 10_000 }: { refreshDelayMs?: number } = {}) {
    this.#vault = vault;
    this.#refreshDelayMs = refreshDelayMs;
  }

  async list(): Promise<PackedPasskeys> {
    const vault = await this.#vault();
    const last = this.#last;
    if (last && last.stamp === (await vault.catalogStamp())) return last.packed;
    const saved = await vault.currentCatalogSnapshot();
    if (saved) {
      this.#last = saved;
      return saved.packed;
    }
    const { stamp, lines } = await vault.listCatalog();
    const ordered = { stamp, packed: orderPasskeyLines(lines) };
    this.#last = ordered;
    void vault.saveCatalogSnapshot(ordered).catch(() => false);
    return ordered.packed;
  }

  /** After a write to the vault: the list is read, ordered and saved again once writes pause. */
  refreshSoon(): void {
    if (this.#refresh !== undefined) clearTimeout(this.#refresh);
    this.#refresh = setTimeout(() => {
      this.#refresh = undefined;
      void this.list().catch(() => undefined);
    }, this.#refreshDelayMs);
  }
}

/** The page handler for the manager's messages (register it in background.ts's pageHandlers). */
export function managerHandler(deps: ManagerDeps): PageHandler {
  const passkeys = deps.passkeys ?? new PasskeyList(deps.vault);
  return (message) => {
    if (!isManagerMessage(message)) return undefined;
    const checked = validateManagerRequest(message);
    if (!checked.ok) return Promise.resolve({ ok: false, message: `Latchkey refused a malformed request (${checked.reason}).` });
    return answer(deps, passkeys, checked.value).catch((error: unknown) => ({ ok: false, message: describe(error) }));
  };
}

async function answer(deps: ManagerDeps, passkeys: PasskeyList, request: ManagerRequest): Promise<ManagerAnswer<ManagerRequestType>> {
  switch (request.type) {
    case 'manager:list': {
      const packed = await passkeys.list();
      return { ok: true, packed: request.first === undefined ? packed : firstPasskeyLines(packed, request.first) };
    }
    case 'manager:rename':
      await (await deps.vault()).rename(idBytes(request.credentialId), request.friendlyName);
      passkeys.refreshSoon();
      return { ok: true, friendlyName: request.friendlyName };
    case 'manager:delete':
      await (await deps.vault()).delete(idBytes(request.credentialId));
      passkeys.refreshSoon();
      return { ok: true, credentialId: request.credentialId };
    case 'manager:restore':
      await (await deps.vault()).restore(idBytes(request.credentialId));
      passkeys.refreshSoon();
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
