export { Vault, type VaultKeySource } from './vault';
export { VaultError, type VaultErrorCode } from './errors';
export { VaultKeys } from './key-hierarchy';
export type { PinClock, PinTime } from './vault-key';
export { importPinCheckKey, pinCheck, pinMatches } from './pin-check';
export { importVaultKey } from './wrap';
export { ARGON2ID_COST, measureUnlock, type Argon2idCost, type UnlockMeasurement } from './kdf';
