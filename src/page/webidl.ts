// The few WebIDL conversions (WebIDL §3.2) that WebAuthn's option dictionaries need. A
// failed conversion throws a TypeError of the page's realm; the caller turns it into a
// rejection, as WebIDL does for promise-returning operations.
//
// A dictionary is described by a table of member converters in WebIDL's reading order
// (inherited members first, then lexicographic); each converter gets the member's value,
// undefined when absent, and returns undefined for an absent member.

import { bufferSourceToBase64url } from './buffer-source';
import { $TypeError, create, keys, setPrototypeOf } from './realm';

export type Convert<T = unknown> = (value: unknown, what: string) => T;

/** A page object seen as a dictionary: members are read with [[Get]], once each. */
export type Members = Readonly<Record<string, unknown>>;

export const typeError = (message: string) => new $TypeError(message);

export const isObject = (value: unknown): value is object =>
  (typeof value === 'object' && value !== null) || typeof value === 'function';

/** §3.2.18: undefined and null are an empty dictionary, other non-objects throw. */
export function members(value: unknown, what: string): Members {
  if (value === undefined || value === null) return create(null) as Members;
  if (!isObject(value)) throw typeError(`${what} is not an object`);
  return value as Members;
}

/** A dictionary type, from its member table. */
export const dictionary =
  <T>(table: Record<string, Convert>): Convert<T> =>
  (value, what) => {
    const source = members(value, what);
    const out = create(null) as Record<string, unknown>;
    // An absent member comes out undefined, which structured clone keeps and the service
    // worker's validator (src/protocol/validate.ts) reads as absent, as JSON.stringify does.
    for (const name of keys(table)) out[name] = table[name]!(source[name], `${what}.${name}`);
    return out as T;
  };

/** An optional member: absent stays absent. */
export const optional =
  <T>(convert: Convert<T>): Convert<T | undefined> =>
  (value, what) =>
    value === undefined ? undefined : convert(value, what);

/** A `required` member: absent throws. */
export const required =
  <T>(convert: Convert<T>): Convert<T> =>
  (value, what) => {
    if (value === undefined) throw typeError(`${what} is required`);
    return convert(value, what);
  };

/** §3.2.10 DOMString: ToString, which throws for a Symbol. */
export const domString: Convert<string> = (value) => `${value as string}`;

export const boolean: Convert<boolean> = (value) => !!value;

/** §3.2.4 long (no [EnforceRange]): ToNumber, then modulo 2^32 as a signed integer. */
export const long: Convert<number> = (value) => +(value as number) | 0;

/** §3.2.4 unsigned long. */
export const unsignedLong: Convert<number> = (value) => +(value as number) >>> 0;

export const bufferSource: Convert<string> = bufferSourceToBase64url;

/** §3.2.20 sequence<T>: any iterable object; strings and other primitives throw. */
export const sequence =
  <T>(convert: Convert<T>): Convert<T[]> =>
  (value, what) => {
    if (!isObject(value)) throw typeError(`${what} is not a sequence`);
    // No prototype: an index the page defined on Object.prototype must not take the entries.
    const out = setPrototypeOf([], null) as T[];
    let i = 0;
    for (const item of value as Iterable<unknown>) out[i] = convert(item, `${what}[${i++}]`);
    return out;
  };

/** §3.2.22 record<DOMString, T>: the object's own enumerable string keys, each read once. */
export const record =
  <T>(convert: Convert<T>): Convert<Record<string, T>> =>
  (value, what) => {
    const source = members(value, what);
    const out = create(null) as Record<string, T>;
    for (const key of keys(source)) out[key] = convert(source[key], `${what}.${key}`);
    return out;
  };

/**
 * An extension input that Latchkey has no table for passes only as a JSON scalar: a string,
 * a boolean or a finite number. Anything else is left out; an extension Latchkey
 * implements gets its own WebIDL table in ./options.ts.
 */
export const jsonScalar: Convert = (value) => {
  const type = typeof value;
  return type === 'string' || type === 'boolean' || (type === 'number' && (value as number) - (value as number) === 0)
    ? value
    : undefined;
};
