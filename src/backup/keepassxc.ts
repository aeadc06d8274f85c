// KeePassXC's exported .passkey file: one passkey as JSON,
//   { credentialId (base64url), privateKey (PEM "PRIVATE KEY", PKCS#8), relyingParty,
//     url?, userHandle (base64url), username }
// It has no dates and no counter (KeePassXC's passkeys count from 0 and stay there).

import { formatError, itemPlace } from './errors';
import { base64Either, isObject, object, rpId, string } from './fields';
import { LIMITS, type BackupPasskey } from './model';

export function isKeePassXC(value: unknown): boolean {
  return isObject(value) && 'relyingParty' in value && 'privateKey' in value;
}

const PEM = /^-----BEGIN PRIVATE KEY-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END PRIVATE KEY-----\s*$/;

export function readKeePassXC(value: unknown): BackupPasskey {
  const place = itemPlace(0, isObject(value) ? value.relyingParty : undefined);
  const file = object(value, 'The file');
  const site = rpId(file, 'relyingParty', place);
  const pem = string(file, 'privateKey', place, LIMITS.keyBytes * 2);
  const body = PEM.exec(pem.trim())?.[1];
  if (body === undefined) throw formatError(place, 'privateKey is not a PEM “PRIVATE KEY” block');
  const userName = string(file, 'username', place);
  return {
    credentialId: base64Either(file, 'credentialId', place, LIMITS.credentialIdBytes),
    rpId: site,
    rpName: site,
    userHandle: base64Either(file, 'userHandle', place, LIMITS.userHandleBytes),
    userName,
    userDisplayName: userName,
    friendlyName: `${userName || 'Passkey'} on ${site}`,
    createdAt: null,
    pkcs8: base64Either({ privateKey: body.replace(/\s+/g, '') }, 'privateKey', place, LIMITS.keyBytes),
    signCount: 0,
    place,
  };
}
