export { Vault } from './vault';
export { VaultError, type VaultErrorCode } from './errors';
