/** The alerts engine's server side, for the CLI and the demo loader (docs/alerts.md). */
export {
  evaluateAlerts,
  evaluateAllTenants,
  type EvaluateOptions,
  type EvaluationTrigger,
} from './alert-evaluation.service.js';
export {
  ensureDefaultAlertRules,
  saveRule as saveAlertRule,
  setRuleEnabled as setAlertRuleEnabled,
  validateRuleDocument as validateAlertRuleDocument,
} from './alert-rule.service.js';
export {
  listLatestRules as listAlertRules,
  listRuleVersions as listAlertRuleVersions,
} from './alert-rule.repository.js';
export { listAlerts } from './alert.repository.js';
export { previewRule as previewAlertRule } from './alert-preview.service.js';
export { seedDemoAlerts } from './alert-seed.js';
