import { BASE_MEASURES } from '../scoring/measures.js';
import type { AlertRule, AlertRuleKind, AlertSeverity } from './types.js';

/** Severities from least to most urgent. */
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

/** Every rule kind, in the order the rule editor lists them. */
export const ALERT_RULE_KINDS: readonly AlertRuleKind[] = [
  'missed_target',
  'decline',
  'threshold',
  'anomaly',
  'licence_expiry',
  'near_expiry_inventory',
  'stockout_risk',
  'collection_overdue',
];

/** Kinds judged from the monthly rollups; the others count days from the evaluation day. */
export const MONTHLY_RULE_KINDS: ReadonlySet<AlertRuleKind> = new Set([
  'missed_target',
  'decline',
  'threshold',
  'anomaly',
  'near_expiry_inventory',
]);

/** 1 for warning over info, … : compare severities. */
export function severityRank(severity: AlertSeverity): number {
  return ALERT_SEVERITIES.indexOf(severity);
}

/** The more urgent of two severities. */
export function maxSeverity(a: AlertSeverity, b: AlertSeverity): AlertSeverity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

/** A measure a monthly rule can read: a dealer_month column or a ratio of two. */
export interface AlertMeasure {
  readonly key: string;
  readonly name: { readonly zh: string; readonly en: string };
  readonly unit: 'money' | 'count' | 'quantity' | 'points' | 'ratio';
  /** Summable over months (a flow): what decline and anomaly rules may use. */
  readonly flow: boolean;
  /** For ratios: numerator / denominator columns; undefined when the denominator is 0. */
  readonly ratio?: { readonly of: string; readonly to: string } | undefined;
  readonly definition: string;
}

const NAMES: Readonly<Record<string, readonly [string, string]>> = {
  sales_amount: ['销售额', 'sales'],
  sales_quantity: ['销量', 'units sold'],
  order_count: ['订单数', 'orders'],
  order_line_count: ['订单行数', 'order lines'],
  new_product_amount: ['新品销售额', 'new-product sales'],
  visit_count: ['拜访次数', 'visits'],
  invoice_amount: ['开票金额', 'invoiced'],
  payment_amount: ['回款金额', 'payments'],
  target_amount: ['销售目标', 'target'],
  complaint_count: ['投诉数', 'complaints'],
  compliance_event_count: ['违规事件数', 'compliance events'],
  compliance_severity_points: ['违规严重度', 'compliance severity'],
  campaign_tasks_planned: ['活动计划任务', 'campaign tasks planned'],
  campaign_tasks_completed: ['活动完成任务', 'campaign tasks done'],
  sku_count: ['动销SKU数', 'SKUs ordered'],
  ordering_outlet_count: ['进货终端数', 'ordering outlets'],
  visited_outlet_count: ['拜访终端数', 'outlets visited'],
  inventory_quantity: ['库存数量', 'stock units'],
  inventory_value: ['库存金额', 'stock value'],
  near_expiry_value: ['临期库存金额', 'near-expiry stock'],
  batch_tracked_quantity: ['可追溯库存数量', 'batch-tracked units'],
};

/**
 * The measures of monthly rules: every base measure the tiering code reads from `dealer_month`
 * (scoring/measures.ts) plus four monthly ratios. Flow measures (sums) may be used by decline and
 * anomaly rules; stock measures (month-end values) and ratios only by thresholds.
 */
export const ALERT_MEASURES: readonly AlertMeasure[] = [
  ...BASE_MEASURES.filter((m) => m.column === m.key && m.key in NAMES).map((m): AlertMeasure => ({
    key: m.key,
    name: { zh: NAMES[m.key]?.[0] ?? m.key, en: NAMES[m.key]?.[1] ?? m.key },
    unit: m.unit === 'days' ? 'count' : m.unit,
    flow: m.aggregate === 'sum' && m.key !== 'target_amount',
    definition: m.definition,
  })),
  ratio('target_achievement', '目标达成率', 'target achievement', 'sales_amount', 'target_amount'),
  ratio('collection_ratio', '回款率', 'collection ratio', 'payment_amount', 'invoice_amount'),
  ratio(
    'near_expiry_share',
    '临期库存占比',
    'near-expiry share',
    'near_expiry_value',
    'inventory_value',
  ),
  ratio(
    'campaign_completion',
    '活动执行率',
    'campaign completion',
    'campaign_tasks_completed',
    'campaign_tasks_planned',
  ),
];

function ratio(key: string, zh: string, en: string, of: string, to: string): AlertMeasure {
  return {
    key,
    name: { zh, en },
    unit: 'ratio',
    flow: false,
    ratio: { of, to },
    definition: `${of} / ${to} of the month (undefined when ${to} is 0).`,
  };
}

const MEASURE_BY_KEY: ReadonlyMap<string, AlertMeasure> = new Map(
  ALERT_MEASURES.map((m) => [m.key, m]),
);

/** A measure by key, or undefined. */
export function alertMeasure(key: string): AlertMeasure | undefined {
  return MEASURE_BY_KEY.get(key);
}

/** Measures whose changes get a sales diagnosis (categories, outlets, volume/price/mix). */
export const SALES_MEASURES: ReadonlySet<string> = new Set([
  'sales_amount',
  'sales_quantity',
  'target_achievement',
]);

/** Whether a rule watches sales, so that its alerts carry a diagnostic report. */
export function isSalesRule(rule: AlertRule): boolean {
  switch (rule.kind) {
    case 'missed_target':
      return true;
    case 'decline':
    case 'anomaly':
    case 'threshold':
      return SALES_MEASURES.has(rule.params.measure);
    case 'licence_expiry':
    case 'near_expiry_inventory':
    case 'stockout_risk':
    case 'collection_overdue':
      return false;
  }
}

/** A problem with a rule document, with its JSON path (as the policy checker reports them). */
export interface AlertRuleIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Check what a rule means, once its shape is known to be right (the contract's zod schema checks
 * types and ranges): measures exist and suit the kind. Returns every issue; empty when valid.
 */
export function checkAlertRule(rule: AlertRule): AlertRuleIssue[] {
  const issues: AlertRuleIssue[] = [];
  const known = (key: string, flowOnly: boolean) => {
    const measure = alertMeasure(key);
    if (!measure) {
      issues.push({
        path: 'params.measure',
        message: `Unknown measure "${key}"; use one of ${ALERT_MEASURES.map((m) => m.key).join(', ')}.`,
      });
    } else if (flowOnly && !measure.flow) {
      issues.push({
        path: 'params.measure',
        message: `"${key}" is not a monthly flow (a sum over the month); ${rule.kind} rules compare flows such as sales_amount.`,
      });
    }
  };
  switch (rule.kind) {
    case 'decline': {
      known(rule.params.measure, true);
      const { compare, window, baseline, swing } = rule.params;
      if (compare === 'baseline' && window !== 1) {
        issues.push({
          path: 'params.window',
          message: `A baseline decline compares single months with the dealer's level; window must be 1 (it is ${window}).`,
        });
      }
      if (compare !== 'baseline') {
        for (const [key, value] of [
          ['baseline', baseline],
          ['swing', swing],
        ] as const) {
          if (value !== undefined) {
            issues.push({
              path: `params.${key}`,
              message: `${key} applies to compare "baseline" only; this rule compares "${compare}".`,
            });
          }
        }
      }
      break;
    }
    case 'anomaly':
      known(rule.params.measure, true);
      break;
    case 'threshold':
      known(rule.params.measure, false);
      break;
    case 'missed_target':
    case 'licence_expiry':
    case 'near_expiry_inventory':
    case 'stockout_risk':
    case 'collection_overdue':
      break;
  }
  return issues;
}

/**
 * The rules a new tenant starts with (PRODUCT §5, the seed's examples): sales down 20 % two
 * months running (against the dealer's own seasonally adjusted level of the six months before,
 * and beyond its usual monthly swing) and missed target three months running
 * raise warnings; a slide of 15 % against last year over rolling half-years two months running, a sudden break
 * with the dealer's own history, licences about to expire, near-expiry stock, stock-outs and
 * overdue collections complete the set. Their parameters were measured on the demo channel
 * (docs/alerts.md, "False positives").
 */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = [
  {
    code: 'sales_decline',
    name: '销售额连续下滑',
    description:
      '销售额（经季节调整）连续2个月比前6个月平均水平低20%以上，且跌幅超出该经销商平时的月度波动。',
    kind: 'decline',
    severity: 'warning',
    enabled: true,
    params: {
      measure: 'sales_amount',
      percent: 20,
      periods: 2,
      compare: 'baseline',
      window: 1,
      baseline: 6,
      swing: 1,
      seasonal: true,
    },
  },
  {
    code: 'sales_decline_yoy',
    name: '销售额同比持续下滑',
    description: '滚动6个月销售额同比下降15%以上，连续2个月。',
    kind: 'decline',
    severity: 'warning',
    enabled: true,
    params: {
      measure: 'sales_amount',
      percent: 15,
      periods: 2,
      compare: 'yoy',
      window: 6,
      seasonal: false,
    },
  },
  {
    code: 'missed_target',
    name: '连续未达成销售目标',
    description:
      '连续3个月销售额低于目标的85%，3个月合计也低于85%；全渠道普遍未达标的月份（如春节）按渠道达成率折算目标。',
    kind: 'missed_target',
    severity: 'warning',
    enabled: true,
    params: { periods: 3, below: 0.85, overall: 0.85, seasonal: true },
  },
  {
    code: 'sales_drop_anomaly',
    name: '销售额异常下跌',
    description:
      '连续2个月销售额比自身近12个月水平（经渠道季节指数调整）低30%以上且偏离超过2个稳健标准差。',
    kind: 'anomaly',
    severity: 'critical',
    enabled: true,
    params: { measure: 'sales_amount', k: 2, periods: 2, baseline: 12, minDrop: 30 },
  },
  {
    code: 'no_orders',
    name: '当月无进货',
    description: '当月没有任何订单。',
    kind: 'threshold',
    severity: 'warning',
    enabled: true,
    params: { measure: 'order_count', op: '<=', value: 0, periods: 1 },
  },
  {
    code: 'licence_expiry',
    name: '资质即将到期',
    description: '营业执照或食品经营许可证30天内到期；已过期的升级为严重。',
    kind: 'licence_expiry',
    severity: 'warning',
    enabled: true,
    params: { days: 30 },
  },
  {
    code: 'near_expiry_inventory',
    name: '临期库存偏高',
    description: '连续2个月临期库存（剩余保质期不足1/3）占月末库存金额30%以上。',
    kind: 'near_expiry_inventory',
    severity: 'warning',
    enabled: true,
    params: { share: 0.3, periods: 2, minValue: 100_000 },
  },
  {
    code: 'stockout_risk',
    name: '断货风险',
    description: '主销SKU库存不足3天销量（按近30天进货量计）。',
    kind: 'stockout_risk',
    severity: 'info',
    enabled: true,
    params: { days: 3, minQuantity: 10 },
  },
  {
    code: 'collection_overdue',
    name: '回款逾期',
    description: '超过到期日60天仍未回款的金额达到1万元。',
    kind: 'collection_overdue',
    severity: 'warning',
    enabled: true,
    params: { days: 60, minAmount: 1_000_000 },
  },
];
