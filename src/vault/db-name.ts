// The vault's IndexedDB name, apart from the schema (which imports idb), for the popup's own
// read of the saved list's head (saved-head.ts).
export const DB_NAME = 'latchkey';
