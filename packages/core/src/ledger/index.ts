export { HASH_SIZE, type LedgerErrorReason } from './bytes.js';
export * from './merkle.js';
export * from './stored-hashes.js';
export * from './tiles.js';
export * from './keys.js';
export * from './note.js';
export * from './checkpoint.js';
export * from './commitment.js';
