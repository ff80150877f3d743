import type { Direction } from './normalise.js';

/** How a metric's value is shown. Rates are percentages (86.1 means 86.1 %), money is fen. */
export type MetricUnit = 'money' | 'percent' | 'count' | 'days' | 'times' | 'points';

/**
 * What to do when a dealer has no value for a metric (no invoices, so no collection rate):
 * `zero` scores it as the worst normalised value (0), `neutral` as the middle (0.5), and
 * `exclude` drops the metric for that dealer and spreads its weight over the others in
 * proportion. Whichever applies is named in the dealer's explanation.
 */
export type MissingRule = 'zero' | 'neutral' | 'exclude';

/** Which period a measure is read from, relative to the assessed one. */
export type MeasureLag = 'current' | 'previous' | 'year_ago';

export interface MeasureNeed {
  measure: string;
  lag: MeasureLag;
}

/** Reads one dealer's base measure; NaN when missing. */
export type MeasureGetter = (measure: string, lag?: MeasureLag) => number;

/** A metric of the library: how it is computed from base measures and how it is read. */
export interface MetricDefinition {
  key: string;
  name: { zh: string; en: string };
  unit: MetricUnit;
  direction: Direction;
  definition: string;
  /** The rule used when a policy names the metric without its own. */
  missing: MissingRule;
  needs: readonly MeasureNeed[];
  /** The values the metric can take, [min, max]: a target outside it is not offered. */
  range: readonly [number, number];
  /** The value for one dealer; NaN when it cannot be computed (then `missing` applies). */
  compute: (get: MeasureGetter) => number;
}

const cur = (...measures: string[]): MeasureNeed[] =>
  measures.map((measure) => ({ measure, lag: 'current' }));

/** a / b, or NaN when b is not a positive number. */
function ratio(a: number, b: number): number {
  return b > 0 ? a / b : Number.NaN;
}

/** Shares of a whole: at most 100 %. */
const AT_MOST_100 = new Set([
  'new_product_rate',
  'compliance_score',
  'qualification_validity',
  'near_expiry_ratio',
  'batch_traceability',
]);
/** Growth can fall to −100 % (no sales); every other built-in metric is at least 0. */
const GROWTH = new Set(['sales_growth_mom', 'sales_growth_yoy']);

function withRange(metric: Omit<MetricDefinition, 'range'>): MetricDefinition {
  const min = GROWTH.has(metric.key) ? -100 : 0;
  const max = AT_MOST_100.has(metric.key) ? 100 : Number.POSITIVE_INFINITY;
  return { ...metric, range: [min, max] };
}

/** Every built-in metric (PRODUCT §2), keyed by `key`. */
export const BUILT_IN_METRICS: readonly MetricDefinition[] = (
  [
    {
      key: 'sales_amount',
      name: { zh: '销售额', en: 'Sales' },
      unit: 'money',
      direction: 'higher',
      definition: 'Order-line amounts in the period.',
      missing: 'zero',
      needs: cur('sales_amount'),
      compute: (get) => get('sales_amount'),
    },
    {
      key: 'sales_growth_mom',
      name: { zh: '销售环比增长', en: 'Sales growth on previous period' },
      unit: 'percent',
      direction: 'higher',
      definition:
        '(sales ÷ sales of the previous period − 1) × 100; missing when the previous period had no sales.',
      missing: 'neutral',
      needs: [...cur('sales_amount'), { measure: 'sales_amount', lag: 'previous' }],
      compute: (get) => (ratio(get('sales_amount'), get('sales_amount', 'previous')) - 1) * 100,
    },
    {
      key: 'sales_growth_yoy',
      name: { zh: '销售同比增长', en: 'Sales growth year on year' },
      unit: 'percent',
      direction: 'higher',
      definition:
        '(sales ÷ sales of the same period a year earlier − 1) × 100; missing when that period had no sales.',
      missing: 'neutral',
      needs: [...cur('sales_amount'), { measure: 'sales_amount', lag: 'year_ago' }],
      compute: (get) => (ratio(get('sales_amount'), get('sales_amount', 'year_ago')) - 1) * 100,
    },
    {
      key: 'target_achievement',
      name: { zh: '目标达成率', en: 'Target achievement' },
      unit: 'percent',
      direction: 'higher',
      definition: 'Sales ÷ sales target × 100; missing when the period has no target.',
      missing: 'neutral',
      needs: cur('sales_amount', 'target_amount'),
      compute: (get) => ratio(get('sales_amount'), get('target_amount')) * 100,
    },
    {
      key: 'collection_rate',
      name: { zh: '回款率', en: 'Collection rate' },
      unit: 'percent',
      direction: 'higher',
      definition:
        'Payments ÷ invoiced amount × 100 in the period (above 100 when older invoices are paid); missing without invoices.',
      missing: 'neutral',
      needs: cur('payment_amount', 'invoice_amount'),
      compute: (get) => ratio(get('payment_amount'), get('invoice_amount')) * 100,
    },
    {
      key: 'days_sales_outstanding',
      name: { zh: '应收账款周转天数', en: 'Days sales outstanding' },
      unit: 'days',
      direction: 'lower',
      definition:
        'Receivable (invoices less payments over the 12 months to the period end) ÷ invoiced amount per day of the period; missing without invoices.',
      missing: 'neutral',
      needs: cur('receivable_amount', 'invoice_amount', 'period_days'),
      compute: (get) => ratio(get('receivable_amount'), get('invoice_amount') / get('period_days')),
    },
    {
      key: 'outlet_coverage',
      name: { zh: '终端覆盖率', en: 'Outlet coverage' },
      unit: 'percent',
      direction: 'higher',
      definition:
        'Outlets ordering per month (average) ÷ active outlets served × 100; missing when the dealer serves no outlet.',
      missing: 'zero',
      needs: cur('ordering_outlet_count', 'outlet_count'),
      compute: (get) => ratio(get('ordering_outlet_count'), get('outlet_count')) * 100,
    },
    {
      key: 'active_outlets',
      name: { zh: '活跃终端数', en: 'Active outlets' },
      unit: 'count',
      direction: 'higher',
      definition: 'Outlets that ordered, per month, averaged over the period.',
      missing: 'zero',
      needs: cur('ordering_outlet_count'),
      compute: (get) => get('ordering_outlet_count'),
    },
    {
      key: 'region_coverage',
      name: { zh: '区域覆盖', en: 'Region coverage' },
      unit: 'count',
      direction: 'higher',
      definition: 'Distinct regions in which the dealer serves active outlets.',
      missing: 'zero',
      needs: cur('outlet_region_count'),
      compute: (get) => get('outlet_region_count'),
    },
    {
      key: 'sku_breadth',
      name: { zh: 'SKU 宽度', en: 'SKU breadth' },
      unit: 'count',
      direction: 'higher',
      definition: 'Distinct SKUs ordered per month, averaged over the period.',
      missing: 'zero',
      needs: cur('sku_count'),
      compute: (get) => get('sku_count'),
    },
    {
      key: 'new_product_rate',
      name: { zh: '新品推广率', en: 'New-product push rate' },
      unit: 'percent',
      direction: 'higher',
      definition:
        'Sales of products launched in the previous 12 months ÷ sales × 100; missing without sales.',
      missing: 'zero',
      needs: cur('new_product_amount', 'sales_amount'),
      compute: (get) => ratio(get('new_product_amount'), get('sales_amount')) * 100,
    },
    {
      key: 'complaint_rate',
      name: { zh: '客诉率', en: 'Complaint rate' },
      unit: 'percent',
      direction: 'lower',
      definition: 'Complaints per 100 orders in the period; missing without orders.',
      missing: 'neutral',
      needs: cur('complaint_count', 'order_count'),
      compute: (get) => ratio(get('complaint_count'), get('order_count')) * 100,
    },
    {
      key: 'compliance_score',
      name: { zh: '合规分', en: 'Compliance score' },
      unit: 'points',
      direction: 'higher',
      definition:
        '100 less the severity points of the compliance events in the period, at least 0.',
      missing: 'neutral',
      needs: cur('compliance_severity_points'),
      compute: (get) => Math.max(0, 100 - get('compliance_severity_points')),
    },
    {
      key: 'compliance_events',
      name: { zh: '违规次数', en: 'Compliance events' },
      unit: 'count',
      direction: 'lower',
      definition: 'Compliance events (窜货, price violations, …) in the period. Useful as a gate.',
      missing: 'neutral',
      needs: cur('compliance_event_count'),
      compute: (get) => get('compliance_event_count'),
    },
    {
      key: 'qualification_validity',
      name: { zh: '资质有效率', en: 'Qualification validity' },
      unit: 'percent',
      direction: 'higher',
      definition:
        'Qualifications valid at the period end ÷ qualifications held × 100; missing when none is on file.',
      missing: 'zero',
      needs: cur('qualification_valid_count', 'qualification_count'),
      compute: (get) => ratio(get('qualification_valid_count'), get('qualification_count')) * 100,
    },
    {
      key: 'near_expiry_ratio',
      name: { zh: '临期库存占比', en: 'Near-expiry stock ratio' },
      unit: 'percent',
      direction: 'lower',
      definition:
        'Stock with at most a third of its shelf life left ÷ stock, at list price, at the last snapshot × 100; missing without a snapshot.',
      missing: 'neutral',
      needs: cur('near_expiry_value', 'inventory_value'),
      compute: (get) => ratio(get('near_expiry_value'), get('inventory_value')) * 100,
    },
    {
      key: 'batch_traceability',
      name: { zh: '批号追溯完整率', en: 'Batch traceability' },
      unit: 'percent',
      direction: 'higher',
      definition:
        'Units in stock with a batch number ÷ units in stock at the last snapshot × 100; missing without a snapshot.',
      missing: 'neutral',
      needs: cur('batch_tracked_quantity', 'inventory_quantity'),
      compute: (get) => ratio(get('batch_tracked_quantity'), get('inventory_quantity')) * 100,
    },
    {
      key: 'inventory_turnover',
      name: { zh: '库存周转', en: 'Inventory turnover' },
      unit: 'times',
      direction: 'higher',
      definition:
        'Sales ÷ average month-end stock at list price, in the period; missing without a snapshot.',
      missing: 'neutral',
      needs: cur('sales_amount', 'inventory_value_avg'),
      compute: (get) => ratio(get('sales_amount'), get('inventory_value_avg')),
    },
    {
      key: 'campaign_execution',
      name: { zh: '活动执行率', en: 'Campaign execution rate' },
      unit: 'percent',
      direction: 'higher',
      definition: 'Campaign tasks completed ÷ tasks planned × 100; missing when none was planned.',
      missing: 'neutral',
      needs: cur('campaign_tasks_completed', 'campaign_tasks_planned'),
      compute: (get) => ratio(get('campaign_tasks_completed'), get('campaign_tasks_planned')) * 100,
    },
  ] satisfies Omit<MetricDefinition, 'range'>[]
).map(withRange);

/** The built-in metrics by key. */
export const BUILT_IN_METRIC_MAP: ReadonlyMap<string, MetricDefinition> = new Map(
  BUILT_IN_METRICS.map((d) => [d.key, d]),
);
