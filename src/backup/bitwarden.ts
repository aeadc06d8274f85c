// Bitwarden's unencrypted JSON export: items[].login.fido2Credentials[] with
//   credentialId  a GUID (16 bytes) or "b64." + base64url for other ids
//   keyType "public-key", keyAlgorithm "ECDSA", keyCurve "P-256", keyValue (base64url PKCS#8)
//   rpId, rpName, userHandle (base64url), userName, userDisplayName, counter (a decimal
//   string), discoverable ("true"/"false"), creationDate (ISO 8601)
// Strings where numbers or booleans would do are Bitwarden's; numbers are accepted too.

import { formatError, itemPlace } from './errors';
import { array, base64Either, isObject, object, optionalString, rpId, string, type Json } from './fields';
import { LIMITS, type BackupPasskey } from './model';

export function isBitwarden(value: unknown): boolean {
  return isObject(value) && (value.encrypted === true || (Array.isArray(value.items) && ('encrypted' in value || 'folders' in value)));
}

export interface BitwardenRead {
  passkeys: BackupPasskey[];
  /** Bitwarden passkeys that are not ECDSA P-256, by place and name. */
  unsupported: Array<{ place: string; keyType: string }>;
}

export function readBitwarden(value: unknown): BitwardenRead {
  const file = object(value, 'The file');
  if (file.encrypted === true) {
    throw formatError('The file', 'is an encrypted Bitwarden export; export from Bitwarden again as “.json” (not encrypted)');
  }
  if (file.encrypted !== undefined && typeof file.encrypted !== 'boolean') throw formatError('The file', 'encrypted is not true or false');
  const read: BitwardenRead = { passkeys: [], unsupported: [] };
  let index = 0;
  array(file, 'items', 'The file').forEach((itemValue, i) => {
    const item = object(itemValue, `Bitwarden item ${i + 1}`);
    if (item.login === undefined || item.login === null) return;
    const login = object(item.login, `Bitwarden item ${i + 1}, login`);
    if (login.fido2Credentials === undefined || login.fido2Credentials === null) return;
    const name = optionalString(item, 'name', `Bitwarden item ${i + 1}`) ?? '';
    for (const credentialValue of array(login, 'fido2Credentials', `Bitwarden item ${i + 1}, login`, 64)) {
      const place = itemPlace(index++, isObject(credentialValue) ? credentialValue.rpId : undefined);
      const credential = object(credentialValue, place);
      const algorithm = string(credential, 'keyAlgorithm', place, 64);
      const curve = optionalString(credential, 'keyCurve', place, 64) ?? '';
      if (algorithm !== 'ECDSA' || curve !== 'P-256') {
        read.unsupported.push({ place, keyType: `${algorithm} ${curve}`.trim() });
        continue;
      }
      read.passkeys.push(readCredential(credential, place, name));
    }
  });
  return read;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function credentialId(credential: Json, place: string): Uint8Array {
  const text = string(credential, 'credentialId', place, 2048);
  if (text.startsWith('b64.')) return base64Either({ credentialId: text.slice(4) }, 'credentialId', place, LIMITS.credentialIdBytes);
  if (!GUID.test(text)) throw formatError(place, 'credentialId is neither a GUID nor “b64.” and base64url');
  const hex = text.replace(/-/g, '');
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

function counter(credential: Json, place: string): number {
  const value = credential.counter;
  const number = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0 || number > 0xffffffff) {
    throw formatError(place, 'counter is not a whole number from 0 to 4294967295');
  }
  return number;
}

function creationDate(credential: Json, place: string): number | null {
  const text = optionalString(credential, 'creationDate', place, 64);
  if (text === undefined) return null;
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) throw formatError(place, 'creationDate is not an ISO 8601 date');
  return ms;
}

function readCredential(credential: Json, place: string, itemName: string): BackupPasskey {
  const site = rpId(credential, 'rpId', place);
  const userName = optionalString(credential, 'userName', place) ?? '';
  return {
    credentialId: credentialId(credential, place),
    rpId: site,
    rpName: optionalString(credential, 'rpName', place) || site,
    userHandle: base64Either(credential, 'userHandle', place, LIMITS.userHandleBytes),
    userName,
    userDisplayName: optionalString(credential, 'userDisplayName', place) ?? '',
    friendlyName: itemName.trim() || `${userName || 'Passkey'} on ${site}`,
    createdAt: creationDate(credential, place),
    pkcs8: base64Either(credential, 'keyValue', place, LIMITS.keyBytes),
    signCount: counter(credential, place),
    place,
  };
}
