export { buildApp, type AppDeps } from './app.js';
export { startServer, defaultWebRoot, PortInUseError, type ServeOptions } from './server.js';
export {
  openStore,
  StoreError,
  type Store,
  type StoreConfig,
  type BulkSession,
  type Engine,
  type CopyValue,
} from './db/connection.js';
export { migrateToLatest } from './db/migrate.js';
export type { Database } from './db/database.js';
export {
  createTenant,
  findTenantBySlug,
  getTenantBySlug,
  listTenants,
} from './tenants/tenant.repository.js';
export { seedChinaRegions, chinaRegions } from './regions/region.seed.js';
export { refreshRollups } from './rollups/rollup.repository.js';
export {
  loadDemo,
  type DemoProgress,
  type LoadDemoOptions,
  type LoadDemoResult,
} from './demo/demo.service.js';
export {
  ensureDemoUsers,
  signInHint,
  DEMO_PASSWORD,
  type DemoCredential,
} from './demo/demo-users.js';
export { withTenant, APP_ROLE } from './db/tenant-scope.js';
export { hashPassword } from './auth/secrets.js';
export { createUser, updateUser } from './users/user.service.js';
export { listUsers, findUserByLogin } from './users/user.repository.js';
export { recordAudit, type AuditOrigin } from './audit/audit.repository.js';
export { runImport, type ImportRequest } from './imports/import.service.js';
export { importTemplate } from './imports/template.js';
export { KINDS as IMPORT_KINDS } from './imports/kinds.js';
export { exportTable, type Cell } from './export/table-export.js';
export { getTenantById } from './tenants/tenant.repository.js';
export {
  validatePolicyDocument,
  requireValidPolicy,
  createPolicyVersion,
} from './tiering/policy.service.js';
export { listPolicies, getPolicyVersion } from './tiering/policy.repository.js';
export {
  createRun,
  approveRun,
  publishRun,
  runDetail,
  computeAssessment,
} from './tiering/assessment.service.js';
export { listRuns, toRunSummary } from './tiering/assessment.repository.js';
export { simulate } from './tiering/simulation.service.js';
export { decisionExport } from './tiering/decision-export.js';
export { loadMeasureFrames } from './tiering/measure.repository.js';
export { policyJsonSchema } from './tiering/policy.routes.js';
export {
  ensureLedger,
  ensureLedgers,
  ledgerOrigin,
  newLedgerKey,
  writeKeyFile,
} from './ledger/ledger-keys.js';
export {
  appendRecords,
  checkLedger,
  checkpointAll,
  ensureCheckpoint,
  findLedgerEntry,
  issueCheckpoint,
  dealerResume,
  inclusionProof,
  visibleEntry,
} from './ledger/ledger.service.js';
export { replayDecision } from './ledger/replay.service.js';
export { findLog } from './ledger/ledger.repository.js';
export * from './resources/index.js';
export * from './rebates/index.js';
export * from './funds/index.js';
export * from './notifications/index.js';
export * from './alerts/index.js';
