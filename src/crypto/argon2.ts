// Argon2id (RFC 9106) from hash-wasm, in a module of its own: the vault's KEK (src/vault/kdf.ts)
// and encrypted backups (src/backup/envelope.ts) import it when they first derive a key, so
// its WebAssembly is not part of every start of the service worker (docs/performance.md).
export { argon2id } from 'hash-wasm';
