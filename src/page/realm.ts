// Private references to the built-ins src/page uses, taken when this module is evaluated.
// The MAIN-world script runs at document_start, before any page script, so these are the
// originals even if the page later replaces a global or patches a prototype (docs/architecture.md
// "Layers": src/page keeps its own references). Only ECMAScript built-ins and ones Node
// also has live here, so the conversion code can be unit-tested; the DOM's are taken in
// ./ceremony.ts and ./install.ts, which only the browser runs.

const { call } = Function.prototype;
const { getOwnPropertyDescriptor, getPrototypeOf } = Object;

/** `method.call(self, ...args)` that no later change to Function.prototype.call can reach. */
export const uncurry = <T, A extends unknown[], R>(fn: (this: T, ...args: A) => R) =>
  call.bind(fn) as (self: T, ...args: A) => R;

/** The original getter of `proto[name]`, as a function of the receiver. */
export const getter = <T, R>(proto: object, name: string) =>
  uncurry(getOwnPropertyDescriptor(proto, name)?.get as (this: T) => R);

export const $TypeError = TypeError;
export const $Promise = Promise;
// (Taken where base64url takes it: the page script then holds it once.)
export { $Uint8Array } from '../protocol/base64url';
export const $WeakMap = WeakMap;
export const $structuredClone = structuredClone;
export const { apply } = Reflect;
export const { create, defineProperty, hasOwn, keys, setPrototypeOf } = Object;
export { getOwnPropertyDescriptor };
export const { isView } = ArrayBuffer;
export const toLowerCase = uncurry(String.prototype.toLowerCase);
export const slice = uncurry(String.prototype.slice);

/** Throws for anything that is not an ArrayBuffer of this or another realm (a SharedArrayBuffer too). */
export const arrayBufferByteLength = getter<unknown, number>(ArrayBuffer.prototype, 'byteLength');
export const typedArrayBuffer = getter<Uint8Array, ArrayBuffer>(getPrototypeOf(Uint8Array.prototype) as object, 'buffer');

/** Throw a TypeError unless `signal` is an AbortSignal, whose `aborted` flag it returns. */
export const signalAborted = getter<unknown, boolean>(AbortSignal.prototype, 'aborted');
export const signalReason = getter<AbortSignal, unknown>(AbortSignal.prototype, 'reason');
export const addEventListener = uncurry(EventTarget.prototype.addEventListener);
export const removeEventListener = uncurry(EventTarget.prototype.removeEventListener);
