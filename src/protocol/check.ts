// The one way Latchkey checks what it receives: a validator is written as plain code that
// throws Invalid (through `invalid` or `refuse`) at the first bad member, and `run` turns that
// into a Validation, the reason naming the member's path.

import { isBase64url } from './base64url';

export type Validation<T> = { ok: true; value: T } | { ok: false; reason: string };

export class Invalid extends Error {}

/** Throws Invalid with the member's path; caught once per validator, in `run`. */
export function invalid(path: string, expected: string): never {
  throw new Invalid(`${path}: expected ${expected}`);
}

export function run<T>(check: () => T): Validation<T> {
  try {
    return { ok: true, value: check() };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    throw e;
  }
}

export type Obj = Record<string, unknown>;

export function object(x: unknown, path: string): Obj {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) invalid(path, 'an object');
  return x as Obj;
}

export function string(x: unknown, path: string): string {
  if (typeof x !== 'string') invalid(path, 'a string');
  return x;
}

export function boolean(x: unknown, path: string): boolean {
  if (typeof x !== 'boolean') invalid(path, 'a boolean');
  return x;
}

export function number(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) invalid(path, 'a finite number');
  return x;
}

export function base64url(x: unknown, path: string): string {
  if (!isBase64url(x)) invalid(path, 'a base64url string');
  return x;
}

export function array<T>(x: unknown, path: string, item: (v: unknown, path: string) => T): T[] {
  if (!Array.isArray(x)) invalid(path, 'an array');
  // Not x.map: a structured clone keeps an array's own `constructor`, which map would call.
  const out: T[] = [];
  for (let i = 0; i < x.length; i++) out.push(item(x[i], `${path}[${i}]`));
  return out;
}

export function literal<T extends string>(x: unknown, path: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === x);
  if (found === undefined) invalid(path, allowed.map((a) => `'${a}'`).join(' or '));
  return found;
}

/** Copies `key` from `from` into `to` when present (undefined counts as absent). */
export function optional<T>(to: object, from: Obj, key: string, path: string, check: (v: unknown, path: string) => T): void {
  const v = from[key];
  if (v !== undefined) (to as Obj)[key] = check(v, `${path}.${key}`);
}

/** Throws Invalid with `reason` as it is (a rule that is not a member's type). */
export function refuse(reason: string): never {
  throw new Invalid(reason);
}

/** A failed Validation, for checks that return rather than throw. */
export function fail<T>(reason: string): Validation<T> {
  return { ok: false, reason };
}
