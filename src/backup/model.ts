// What a backup carries of one passkey, whatever the file format (CXF, Bitwarden JSON,
// KeePassXC .passkey), before its key is read and checked (import.ts).

import type { CredentialRecord, PrfSecrets } from '../authenticator/ports';
import type { CxfLargeBlob } from './large-blob';

/** The state CXF has no member for; it travels in Latchkey's item extension (cxf.ts). */
export interface LatchkeyState {
  /** ms since the epoch, to the second */
  lastUsedAt: number | null;
  /** A newer passkey of the same rpId and user handle is current. */
  superseded: boolean;
  /** Hidden by a site's signal ('site') or retired ('retired'); null when shown. */
  hidden: 'site' | 'retired' | null;
  /** The user renamed it (the friendly name is not the default). */
  nameEdited: boolean;
}

export type BackupSource = 'cxf' | 'bitwarden' | 'keepassxc';

/**
 * Who a passkey signs in as, where, and under which name: the vault record's members that
 * every backup form carries (rpName: the site's name when the file has one, else the rpId).
 */
export type PasskeyAccount = Pick<
  CredentialRecord,
  'credentialId' | 'rpId' | 'rpName' | 'userHandle' | 'userName' | 'userDisplayName' | 'friendlyName'
>;

export interface BackupPasskey extends PasskeyAccount {
  /** ms since the epoch (CXF: to the second); null when the file has no date. */
  createdAt: number | null;
  /** PKCS#8 DER */
  pkcs8: Uint8Array;
  /** The signature counter: 0 from CXF, which requires exporters to leave out passkeys that count. */
  signCount: number;
  /** Present when a Latchkey export carried it. */
  state?: LatchkeyState;
  /** CXF fido2Extensions.hmacCredentials: the PRF secrets. */
  prf?: PrfSecrets;
  /** CXF fido2Extensions.largeBlob, still compressed. */
  largeBlob?: CxfLargeBlob;
  /** Where it is in the file, for sentences: "Item 3 (github.com)". */
  place: string;
}

/** Limits that keep a hostile file from making Latchkey hold or hash megabytes per field. */
export const LIMITS = {
  /** L3 §5.4.3 user.id: at most 64 bytes. */
  userHandleBytes: 64,
  /** L3 §6.5.2: credential ids are at most 1023 bytes. */
  credentialIdBytes: 1023,
  /** RFC 1035 §2.3.4: a domain name is at most 253 characters. */
  rpIdChars: 253,
  /** Names and titles: far more than any site uses. */
  textChars: 1024,
  /** An RSA-4096 PKCS#8 key is about 2.4 KB. */
  keyBytes: 8192,
  /** Items in one file. */
  items: 100_000,
} as const;
