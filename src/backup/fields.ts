// Reading one member of an untrusted JSON object, with a sentence naming the place and the
// member when it is missing or wrong (BackupFormatError).

import { formatError } from './errors';
import { LIMITS } from './model';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, place: string): Json {
  if (!isObject(value)) throw formatError(place, 'is not a JSON object');
  return value;
}

export function string(o: Json, key: string, place: string, maxChars: number = LIMITS.textChars): string {
  const value = o[key];
  if (value === undefined) throw formatError(place, `${key} is missing`);
  if (typeof value !== 'string') throw formatError(place, `${key} is not a string`);
  if (value.length > maxChars) throw formatError(place, `${key} is longer than ${maxChars} characters`);
  return value;
}

export function optionalString(o: Json, key: string, place: string, maxChars: number = LIMITS.textChars): string | undefined {
  return o[key] === undefined || o[key] === null ? undefined : string(o, key, place, maxChars);
}

export function array(o: Json, key: string, place: string, maxItems: number = LIMITS.items): unknown[] {
  const value = o[key];
  if (value === undefined) throw formatError(place, `${key} is missing`);
  if (!Array.isArray(value)) throw formatError(place, `${key} is not a list`);
  if (value.length > maxItems) throw formatError(place, `${key} has more than ${maxItems} entries`);
  return value;
}

/** A non-negative integer (UNIX seconds, counters). */
export function integer(o: Json, key: string, place: string): number {
  const value = o[key];
  if (value === undefined) throw formatError(place, `${key} is missing`);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw formatError(place, `${key} is not a whole number of 0 or more`);
  return value;
}

export function optionalInteger(o: Json, key: string, place: string): number | undefined {
  return o[key] === undefined || o[key] === null ? undefined : integer(o, key, place);
}

export function boolean(o: Json, key: string, place: string): boolean {
  const value = o[key];
  if (typeof value !== 'boolean') throw formatError(place, `${key} is ${value === undefined ? 'missing' : 'not true or false'}`);
  return value;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Unpadded base64url (CXF's encoding, RFC 4648 §5), decoded. */
export function base64url(o: Json, key: string, place: string, maxBytes: number, minBytes = 1): Uint8Array {
  const text = string(o, key, place, Math.ceil((maxBytes * 4) / 3) + 4);
  return decode(text, BASE64URL.test(text), key, place, maxBytes, minBytes, 'base64url');
}

/** Base64 or base64url, padded or not (Bitwarden and KeePassXC write either). */
export function base64Either(o: Json, key: string, place: string, maxBytes: number, minBytes = 1): Uint8Array {
  const text = string(o, key, place, Math.ceil((maxBytes * 4) / 3) + 4);
  const ok = BASE64URL.test(text.replace(/={1,2}$/, '')) || BASE64.test(text);
  return decode(text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'), ok, key, place, maxBytes, minBytes, 'base64');
}

function decode(text: string, ok: boolean, key: string, place: string, maxBytes: number, minBytes: number, what: string): Uint8Array {
  if (!ok || text.length % 4 === 1) throw formatError(place, `${key} is not ${what}`);
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  if (binary.length > maxBytes) throw formatError(place, `${key} is longer than ${maxBytes} bytes`);
  if (binary.length < minBytes) throw formatError(place, `${key} is empty`);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** An RP ID: a lower-case host name (L3 §5.1.3 uses the effective domain). */
export function rpId(o: Json, key: string, place: string): string {
  const value = string(o, key, place, LIMITS.rpIdChars);
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(value)) {
    throw formatError(place, `${key} is not a site's domain name`);
  }
  return value;
}
