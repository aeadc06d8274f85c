// The service worker's answers to the passkey manager (the toolbar popup): list, rename,
// delete and restore passkeys, read and change settings, and look up where a site lets the
// user manage its passkeys. Every request is validated (src/protocol/popup-messages.ts) before use.

import { fromBase64url } from '../protocol/base64url';
import { firstPasskeyLines } from '../protocol/packed-list';
import { isManagerMessage, validateManagerRequest, type ManagerAnswer, type ManagerRequest, type ManagerRequestType } from '../protocol/popup-messages';
import type { Settings } from '../protocol/settings';
import { fetchManageUrl, type EndpointsDeps } from './passkey-endpoints';
import { PasskeyList, type ManagedVault } from './passkey-list';
import type { PageHandler } from './router';
import { VAULT_SENTENCES } from './vault-sentences';

export interface ManagerDeps extends EndpointsDeps {
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
export const LOCKED_MESSAGE = VAULT_SENTENCES.lockedManager;

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

function idBytes(credentialId: string): Uint8Array {
  const bytes = fromBase64url(credentialId);
  // validateManagerRequest checked it already.
  if (!bytes) throw new Error('credentialId is not base64url');
  return bytes;
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'not-found') {
    return VAULT_SENTENCES.gone;
  }
  return error instanceof Error ? error.message : String(error);
}
