// Messages between the passkey manager (the toolbar popup) and the service worker, over
// runtime.sendMessage, and the validator the service worker runs on each request (every
// inbound message is schema-checked).

import { isBase64url } from './base64url';
import { invalid, object, refuse, run, type Obj, type Validation } from './check';
import type { PackedPasskeys } from './packed-list';
import { checkFriendlyName } from './passkey-summary';
import { normalizeSite, validateSettingsPatch, type Settings } from './settings';

export const MANAGER_PREFIX = 'manager:';

export type ManagerRequest =
  /** `first`: only the list's first lines (with the whole list's counts), for a quick first paint. */
  | { type: 'manager:list'; first?: number }
  | { type: 'manager:rename'; credentialId: string; friendlyName: string }
  | { type: 'manager:delete'; credentialId: string }
  | { type: 'manager:restore'; credentialId: string }
  /** Reads https://<rpId>/.well-known/passkey-endpoints; only after the user granted the origin. */
  | { type: 'manager:endpoints'; rpId: string }
  | { type: 'manager:get-settings' }
  | { type: 'manager:update-settings'; patch: Partial<Settings> };

export type ManagerRequestType = ManagerRequest['type'];

/** What each request answers when it succeeds. */
export interface ManagerResults {
  /** The passkeys in the packed wire format (packed-list.ts). */
  'manager:list': { packed: PackedPasskeys };
  'manager:rename': { friendlyName: string };
  'manager:delete': { credentialId: string };
  'manager:restore': { credentialId: string };
  'manager:endpoints': { manage: string | null };
  'manager:get-settings': { settings: Settings };
  'manager:update-settings': { settings: Settings };
}

export type ManagerAnswer<T extends ManagerRequestType> =
  | ({ ok: true } & ManagerResults[T])
  | { ok: false; message: string };

/** The most lines a `manager:list` with `first` asks for. */
export const LIST_FIRST_MAX = 1000;

/** Whether a runtime message is meant for the manager's handler (it then must validate). */
export function isManagerMessage(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as Obj).type === 'string' && ((x as Obj).type as string).startsWith(MANAGER_PREFIX);
}

export function validateManagerRequest(x: unknown): Validation<ManagerRequest> {
  return run(() => managerRequest(x));
}

function credentialIdOf(o: Obj): string {
  const id = o.credentialId;
  if (!isBase64url(id) || id.length === 0) invalid('credentialId', 'a base64url string');
  return id;
}

function managerRequest(x: unknown): ManagerRequest {
  const o = object(x, 'message');
  switch (o.type) {
    case 'manager:list': {
      if (o.first === undefined) return { type: o.type };
      if (typeof o.first !== 'number' || !Number.isInteger(o.first) || o.first < 1 || o.first > LIST_FIRST_MAX) {
        invalid('first', `a whole number from 1 to ${LIST_FIRST_MAX}`);
      }
      return { type: o.type, first: o.first };
    }
    case 'manager:get-settings':
      return { type: o.type };
    case 'manager:rename': {
      const credentialId = credentialIdOf(o);
      if (typeof o.friendlyName !== 'string') invalid('friendlyName', 'a string');
      const name = checkFriendlyName(o.friendlyName);
      if (!name.ok) refuse(name.reason);
      return { type: o.type, credentialId, friendlyName: name.value };
    }
    case 'manager:delete':
    case 'manager:restore':
      return { type: o.type, credentialId: credentialIdOf(o) };
    case 'manager:endpoints': {
      if (typeof o.rpId !== 'string') invalid('rpId', 'a string');
      const site = normalizeSite(o.rpId);
      if (!site.ok || site.value !== o.rpId) invalid('rpId', 'a host');
      return { type: o.type, rpId: site.value };
    }
    case 'manager:update-settings': {
      const patch = validateSettingsPatch(o.patch);
      if (!patch.ok) refuse(patch.reason);
      return { type: o.type, patch: patch.value };
    }
    default:
      refuse(`type: unknown manager message ${JSON.stringify(o.type)}`);
  }
}
