// The one place where binary data becomes base64url text and back (STYLE.md: binary is
// Uint8Array inside, base64url at the JSON edges). It runs in the page script too, so it is
// small: it leans on btoa/atob, taken when the module loads (document_start in the page),
// before a page could redefine them.

const $btoa = globalThis.btoa;
const $atob = globalThis.atob;
const $fromCharCode = String.fromCharCode;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

export function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += $fromCharCode(bytes[i]!);
  return $btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
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
  const binary = $atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function isBase64url(text: unknown): text is string {
  return typeof text === 'string' && fromBase64url(text) !== undefined;
}
