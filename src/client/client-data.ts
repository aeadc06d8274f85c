// CollectedClientData and its JSON-compatible serialization (L3 §5.8.1, §5.8.1.1). The
// serialization is the one the limited verification algorithm (L3 §5.8.1.2) expects: fixed
// members first, in a fixed order, each string escaped by CCDToString.

export interface CollectedClientData {
  type: 'webauthn.create' | 'webauthn.get';
  /** base64url of the challenge */
  challenge: string;
  /** the ASCII serialization of the caller's origin */
  origin: string;
  crossOrigin: boolean;
  /** present only when crossOrigin is true */
  topOrigin?: string;
  /** Members a future client might add; serialized after the fixed ones, as JSON. */
  [other: string]: unknown;
}

const encoder = new TextEncoder();

/** L3 §5.8.1.1 CCDToString: a JSON string with only `"`, `\` and code points below U+0020 escaped. */
export function ccdToString(value: string): string {
  // step 1-2: an empty result, then U+0022 (")
  let encoded = '"';
  // step 3: for each code point of the string
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x22) encoded += '\\"';
    else if (cp === 0x5c) encoded += '\\\\';
    // U+0020, U+0021, U+0023-U+005B, U+005D-U+10FFFF: the code point itself (UTF-8 below)
    else if (cp >= 0x20) encoded += ch;
    // anything else: \u and four lower-case hex digits
    else encoded += '\\u' + cp.toString(16).padStart(4, '0');
  }
  // step 4: U+0022 (")
  return encoded + '"';
}

/** L3 §5.8.1.1 "Serialization": the clientDataJSON bytes for `data`. */
export function serializeClientData(data: CollectedClientData): Uint8Array {
  // step 1-7: {"type":..,"challenge":..,"origin":..
  let result = '{"type":' + ccdToString(data.type);
  result += ',"challenge":' + ccdToString(data.challenge);
  result += ',"origin":' + ccdToString(data.origin);
  // step 8-10: ,"crossOrigin": false unless it is present and true
  result += ',"crossOrigin":' + (data.crossOrigin ? 'true' : 'false');
  // step 11: ,"topOrigin": when topOrigin is present
  if (data.topOrigin !== undefined) result += ',"topOrigin":' + ccdToString(data.topOrigin);
  // step 12: a copy without the members already written
  const { type: _t, challenge: _c, origin: _o, crossOrigin: _x, topOrigin: _to, ...rest } = data;
  // step 13-14: } alone, or the remaining members as JSON after a comma
  const tail = JSON.stringify(rest);
  result += tail === '{}' ? '}' : ',' + tail.slice(1);
  // The string is converted to UTF-8 bytes once, here. Lone surrogates cannot occur in the
  // members Latchkey writes (a fixed type, base64url, ASCII origins).
  return encoder.encode(result);
}

/**
 * L3 §5.1.3 step 13 / §5.1.4.1 step 10: the CollectedClientData of a ceremony.
 * crossOrigin is the inverse of sameOriginWithAncestors; topOrigin is set only then.
 */
export function collectClientData(input: {
  type: CollectedClientData['type'];
  challenge: string;
  origin: string;
  topOrigin: string;
  sameOriginWithAncestors: boolean;
}): CollectedClientData {
  const data: CollectedClientData = {
    type: input.type,
    challenge: input.challenge,
    origin: input.origin,
    crossOrigin: !input.sameOriginWithAncestors,
  };
  if (!input.sameOriginWithAncestors) data.topOrigin = input.topOrigin;
  return data;
}

/** L3 §5.1.3 step 15: the hash of the serialized client data, SHA-256. */
export async function clientDataHash(clientDataJSON: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(clientDataJSON)));
}
