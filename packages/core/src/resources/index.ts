export * from './allocation.js';
export * from './rebates.js';
export type { ResourceIssue } from './issues.js';
