export * from './domain-error.js';
export * from './month.js';
export * from './demo/index.js';
export * from './scoring/index.js';
export * from './ledger/index.js';
export * from './resources/index.js';
export * from './alerts/index.js';
