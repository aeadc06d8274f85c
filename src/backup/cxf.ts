// The FIDO Alliance Credential Exchange Format (CXF) 1.0, passkeys only.
//
// Member names follow the CXF 1.0 data model (the Header, Account, Item, Credential and
// Passkey entities, and Extension), as Bitwarden's credential-exchange-format crate and
// Apple's ASImportableCredential implement them:
//   Header     version {major, minor}, exporterRpId, exporterDisplayName, timestamp (UNIX s), accounts
//   Account    id (b64url), username, email, collections, items (all required), extensions?
//   Item       id (b64url), title, credentials (required); creationAt, modifiedAt (UNIX s), extensions?
//   Passkey    type "passkey", credentialId (b64url), rpId, username, userDisplayName,
//              userHandle (b64url), key (b64url PKCS#8 DER), fido2Extensions?
//   Fido2Extensions  hmacCredentials? {algorithm "hmac-sha256", credWithUV, credWithoutUV (b64url)},
//              largeBlob? {size (uncompressed), alg "deflate", data (b64url)}
//   Extension  an object with a `name`; importers ignore names they don't know.
// CXF 1.0 Passkey: passkeys with a signature counter above 0 MUST be left out of an export,
// and importers MUST set the counter to 0 and never increment it.

import { toBase64url } from '../protocol/base64url';
import { formatError, itemPlace } from './errors';
import { array, base64url, boolean, integer, isObject, object, optionalInteger, rpId, string, type Json } from './fields';
import type { PrfSecrets } from '../authenticator/ports';
import type { CxfLargeBlob } from './large-blob';
import { LIMITS, type BackupPasskey, type LatchkeyState, type PasskeyAccount } from './model';

export const CXF_VERSION = { major: 1, minor: 0 } as const;
/** Latchkey's item extension: the state CXF has no member for. */
export const LATCHKEY_EXTENSION = 'latchkey-passkey-state';

/** One passkey as the exporter hands it over: metadata, its PKCS#8 key and its state. */
export interface ExportEntry extends PasskeyAccount {
  createdAt: number;
  pkcs8: Uint8Array;
  state: LatchkeyState;
  prf?: PrfSecrets;
  largeBlob?: CxfLargeBlob;
}

/** The Passkey's fido2Extensions, when it has any. */
function fido2Extensions(entry: ExportEntry): { fido2Extensions?: Record<string, unknown> } {
  const out: Record<string, unknown> = {};
  if (entry.prf) out.hmacCredentials = { algorithm: 'hmac-sha256', credWithUV: toBase64url(entry.prf.withUV), credWithoutUV: toBase64url(entry.prf.withoutUV) };
  if (entry.largeBlob) out.largeBlob = { size: entry.largeBlob.size, alg: entry.largeBlob.alg, data: toBase64url(entry.largeBlob.data) };
  return Object.keys(out).length ? { fido2Extensions: out } : {};
}

export interface CxfHeader {
  version: { major: number; minor: number };
  exporterRpId: string;
  exporterDisplayName: string;
  timestamp: number;
  accounts: CxfAccount[];
}

interface CxfAccount {
  id: string;
  username: string;
  email: string;
  collections: unknown[];
  items: CxfItem[];
}

interface CxfItem {
  id: string;
  creationAt: number;
  modifiedAt: number;
  title: string;
  credentials: Array<Record<string, unknown>>;
  extensions: Array<Record<string, unknown>>;
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const randomId = () => toBase64url(crypto.getRandomValues(new Uint8Array(16)));

/** The CXF document for `entries`: one account, one item per passkey. */
export function exportCxf(entries: readonly ExportEntry[], exporter: { rpId: string; displayName: string }, now: number): CxfHeader {
  const items = entries.map((entry): CxfItem => ({
    id: randomId(),
    creationAt: seconds(entry.createdAt),
    // Latchkey keeps no modification date: the passkey's key and ids never change after creation.
    modifiedAt: seconds(entry.createdAt),
    title: entry.friendlyName,
    credentials: [{
      type: 'passkey',
      credentialId: toBase64url(entry.credentialId),
      rpId: entry.rpId,
      username: entry.userName,
      userDisplayName: entry.userDisplayName,
      userHandle: toBase64url(entry.userHandle),
      key: toBase64url(entry.pkcs8),
      ...fido2Extensions(entry),
    }],
    extensions: [{
      name: LATCHKEY_EXTENSION,
      rpName: entry.rpName,
      lastUsedAt: entry.state.lastUsedAt === null ? null : seconds(entry.state.lastUsedAt),
      superseded: entry.state.superseded,
      hidden: entry.state.hidden,
      nameEdited: entry.state.nameEdited,
    }],
  }));
  return {
    version: { ...CXF_VERSION },
    exporterRpId: exporter.rpId,
    exporterDisplayName: exporter.displayName,
    timestamp: seconds(now),
    accounts: [{ id: randomId(), username: '', email: '', collections: [], items }],
  };
}

export function isCxf(value: unknown): boolean {
  return isObject(value) && 'accounts' in value && 'version' in value;
}

export interface CxfRead {
  passkeys: BackupPasskey[];
  /** Items without a passkey credential, by place and title. */
  noPasskey: Array<{ place: string; title: string }>;
}

/** Reads a CXF 1.x document; throws BackupFormatError with a sentence for anything malformed. */
export function readCxf(value: unknown): CxfRead {
  const header = object(value, 'The file');
  const version = object(header.version, 'The file’s version');
  const major = integer(version, 'major', 'The file’s version');
  integer(version, 'minor', 'The file’s version');
  if (major !== CXF_VERSION.major) throw formatError('The file', `is CXF version ${major}, and Latchkey reads version 1`);
  string(header, 'exporterRpId', 'The file', LIMITS.rpIdChars);
  string(header, 'exporterDisplayName', 'The file');
  integer(header, 'timestamp', 'The file');
  const accounts = array(header, 'accounts', 'The file');
  const read: CxfRead = { passkeys: [], noPasskey: [] };
  let index = 0;
  accounts.forEach((accountValue, a) => {
    const accountPlace = `Account ${a + 1}`;
    const account = object(accountValue, accountPlace);
    base64url(account, 'id', accountPlace, 64);
    string(account, 'username', accountPlace);
    string(account, 'email', accountPlace);
    array(account, 'collections', accountPlace);
    for (const itemValue of array(account, 'items', accountPlace)) {
      readItem(itemValue, index++, read);
    }
  });
  return read;
}

function readItem(value: unknown, index: number, read: CxfRead): void {
  const place = itemPlace(index);
  const item = object(value, place);
  base64url(item, 'id', place, 64);
  const title = string(item, 'title', place);
  const creationAt = optionalInteger(item, 'creationAt', place);
  optionalInteger(item, 'modifiedAt', place);
  const credentials = array(item, 'credentials', place, 64);
  const extensions = item.extensions === undefined ? [] : array(item, 'extensions', place, 64);
  const state = latchkeyState(extensions, place);
  let found = false;
  credentials.forEach((credentialValue, c) => {
    const credential = object(credentialValue, `${place}, credential ${c + 1}`);
    const type = string(credential, 'type', `${place}, credential ${c + 1}`, 64);
    if (type !== 'passkey') return;
    found = true;
    const where = itemPlace(index, credential.rpId);
    const passkey = readPasskey(credential, where);
    read.passkeys.push({
      ...passkey,
      rpName: state?.rpName ?? passkey.rpId,
      friendlyName: title,
      createdAt: creationAt === undefined ? null : creationAt * 1000,
      signCount: 0,
      ...(state ? { state: state.state } : {}),
      place: where,
    });
  });
  if (!found) read.noPasskey.push({ place, title });
}

/** fido2Extensions: hmacCredentials of another algorithm, or another largeBlob alg, are refused by name. */
function readFido2Extensions(credential: Json, place: string): { prf?: PrfSecrets; largeBlob?: CxfLargeBlob } {
  if (credential.fido2Extensions === undefined) return {};
  const where = `${place}, fido2Extensions`;
  const extensions = object(credential.fido2Extensions, where);
  const out: { prf?: PrfSecrets; largeBlob?: CxfLargeBlob } = {};
  if (extensions.hmacCredentials !== undefined) {
    const at = `${where}.hmacCredentials`;
    const hmac = object(extensions.hmacCredentials, at);
    if (string(hmac, 'algorithm', at, 64) !== 'hmac-sha256') throw formatError(at, 'algorithm is not "hmac-sha256"');
    const withUV = base64url(hmac, 'credWithUV', at, 32);
    const withoutUV = base64url(hmac, 'credWithoutUV', at, 32);
    if (withUV.length !== 32 || withoutUV.length !== 32) throw formatError(at, 'credWithUV and credWithoutUV are not 32 bytes each');
    out.prf = { withUV, withoutUV };
  }
  if (extensions.largeBlob !== undefined) {
    const at = `${where}.largeBlob`;
    const blob = object(extensions.largeBlob, at);
    if (string(blob, 'alg', at, 64) !== 'deflate') throw formatError(at, 'alg is not "deflate"');
    out.largeBlob = { size: integer(blob, 'size', at), alg: 'deflate', data: base64url(blob, 'data', at, LIMITS.keyBytes) };
  }
  return out;
}

function readPasskey(credential: Json, place: string) {
  return {
    ...readFido2Extensions(credential, place),
    credentialId: base64url(credential, 'credentialId', place, LIMITS.credentialIdBytes),
    rpId: rpId(credential, 'rpId', place),
    userName: string(credential, 'username', place),
    userDisplayName: string(credential, 'userDisplayName', place),
    userHandle: base64url(credential, 'userHandle', place, LIMITS.userHandleBytes),
    pkcs8: base64url(credential, 'key', place, LIMITS.keyBytes),
  };
}

function latchkeyState(extensions: unknown[], place: string): { state: LatchkeyState; rpName: string } | undefined {
  let found: { state: LatchkeyState; rpName: string } | undefined;
  extensions.forEach((value, e) => {
    const where = `${place}, extension ${e + 1}`;
    const extension = object(value, where);
    const name = string(extension, 'name', where, 256);
    if (name !== LATCHKEY_EXTENSION) return;
    const lastUsed = extension.lastUsedAt === null ? null : integer(extension, 'lastUsedAt', where);
    const hidden = extension.hidden;
    if (hidden !== null && hidden !== 'site' && hidden !== 'retired') throw formatError(where, 'hidden is not null, "site" or "retired"');
    found = {
      rpName: string(extension, 'rpName', where),
      state: {
        lastUsedAt: lastUsed === null ? null : lastUsed * 1000,
        superseded: boolean(extension, 'superseded', where),
        hidden,
        nameEdited: boolean(extension, 'nameEdited', where),
      },
    };
  });
  return found;
}
