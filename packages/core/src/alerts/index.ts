/**
 * The alerts engine (issue 7, PRODUCT §5), pure: rules as data, their evaluation over a dealer's
 * monthly rollups and time facts, diagnostic reports of sales alerts and the dealer health band.
 * The server loads the data, persists alerts and runs their lifecycle (docs/alerts.md).
 */
export * from './types.js';
export {
  ALERT_MEASURES,
  ALERT_RULE_KINDS,
  ALERT_SEVERITIES,
  DEFAULT_ALERT_RULES,
  MONTHLY_RULE_KINDS,
  SALES_MEASURES,
  alertMeasure,
  checkAlertRule,
  isSalesRule,
  maxSeverity,
  severityRank,
  type AlertMeasure,
  type AlertRuleIssue,
} from './rules.js';
export { evaluateDealer, evaluateRule, ruleLookback, STOCK_SALES_DAYS } from './evaluate.js';
export { MIN_CHANNEL_DEALERS, median, monthlyValues, robustSd, seasonalIndex } from './series.js';
export {
  decompose,
  diagnoseSales,
  type AlertDiagnosis,
  type CategoryDriver,
  type DiagnosisInput,
  type OutletDriver,
  type SalesCell,
} from './diagnose.js';
export { healthBand, TREND_RED, TREND_YELLOW, type HealthBand } from './health.js';
export { formatMoney, formatPercent } from './text.js';
