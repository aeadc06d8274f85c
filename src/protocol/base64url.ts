// The one place where binary data becomes base64url text and back (docs/development.md#conventions: binary is
// Uint8Array inside, base64url at the JSON edges). It runs in the page script too, so it is
// small: it leans on btoa/atob. toBase64url and decodeBase64url run there after the page's
// scripts, so they use only what is taken when the module loads (document_start in the
// page), string and typed-array indexing and `===`: no String.prototype method, no
// RegExp, no typed array's `length` getter, which a page could redefine.

const $btoa = btoa;
const $atob = atob;
const $fromCharCode = String.fromCharCode;
export const $Uint8Array = Uint8Array;
const charCodeAt = Function.prototype.call.bind(''.charCodeAt) as (text: string, index: number) => number;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** `text` up to its first `=`, with the characters `from[0]` and `from[1]` made `to[0]` and `to[1]`. */
function translate(text: string, from: string, to: string): string {
  let out = '';
  for (let i = 0, c; i < text.length && (c = text[i]) !== '='; i++) out += c === from[0] ? to[0] : c === from[1] ? to[1] : c;
  return out;
}

export function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  // Past the end a typed array reads undefined, without a prototype lookup.
  for (let i = 0, byte; (byte = bytes[i]) !== undefined; i++) binary += $fromCharCode(byte);
  return translate($btoa(binary), '+/', '-_');
}

/**
 * Decodes base64url, accepting and ignoring trailing `=` padding as L3's
 * parse*OptionsFromJSON does. Returns undefined for anything that is not base64url.
 */
export function fromBase64url(text: string): Uint8Array | undefined {
  const body = text.replace(/=+$/, '');
  if (!BASE64URL.test(text) || body.length % 4 === 1) return undefined;
  return decodeBase64url(body);
}

/**
 * Decodes unpadded base64url that is already known to be well formed: what the service
 * worker sends (the page script uses this one, and skips the check it does not need).
 */
export function decodeBase64url(text: string): Uint8Array {
  const binary = $atob(translate(text, '-_', '+/'));
  const out = new $Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = charCodeAt(binary, i);
  return out;
}

export function isBase64url(text: unknown): text is string {
  return typeof text === 'string' && fromBase64url(text) !== undefined;
}
