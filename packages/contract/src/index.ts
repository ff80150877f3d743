export * from './common.js';
export * from './system.js';
export * from './region.js';
export * from './product.js';
export * from './dealer.js';
export * from './identity.js';
export * from './imports.js';
