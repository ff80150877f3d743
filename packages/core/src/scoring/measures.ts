/**
 * Base measures: what the database hands the scoring engine for one dealer and one period,
 * aggregated from the monthly rollups (never from raw facts). Metrics and custom formulas are
 * written over these names.
 */

/** How a base measure is aggregated over the months of a period. */
export type MeasureAggregate =
  /** Sum over the period's months. */
  | 'sum'
  /** Sum over the period's months divided by the number of months (a monthly average). */
  | 'monthly_mean'
  /** The value of the last month in the period that has an inventory snapshot. */
  | 'period_end'
  /** Mean over the months of the period that have an inventory snapshot. */
  | 'snapshot_mean'
  /** Invoices less payments over the 12 months that end with the period, at least 0. */
  | 'receivable'
  /** A property of the dealer as of the period's end (outlets, qualifications). */
  | 'as_of_end'
  /** A property of the period itself (its days and months), filled in by the engine. */
  | 'calendar';

export interface BaseMeasure {
  key: string;
  aggregate: MeasureAggregate;
  /** The dealer_month column it comes from, when it does. */
  column?: string;
  unit: 'money' | 'count' | 'quantity' | 'points' | 'days';
  definition: string;
}

/** Every base measure, in the order the database reader returns them. */
export const BASE_MEASURES: readonly BaseMeasure[] = [
  m('sales_amount', 'sum', 'money', 'Order-line amounts in the period.'),
  m('sales_quantity', 'sum', 'quantity', 'Units ordered in the period.'),
  m('order_count', 'sum', 'count', 'Distinct orders in the period (summed per month).'),
  m('order_line_count', 'sum', 'count', 'Order lines in the period.'),
  m(
    'new_product_amount',
    'sum',
    'money',
    'Sales of products launched in the 12 months before each month.',
  ),
  m('visit_count', 'sum', 'count', 'Outlet visits in the period.'),
  m('invoice_amount', 'sum', 'money', 'Invoiced amount in the period.'),
  m('payment_amount', 'sum', 'money', 'Payments received in the period.'),
  m('target_amount', 'sum', 'money', 'Sales target of the period; missing when no month has one.'),
  m('complaint_count', 'sum', 'count', 'Complaints received in the period.'),
  m(
    'compliance_event_count',
    'sum',
    'count',
    'Compliance events (窜货, price violations, …) in the period.',
  ),
  m('compliance_severity_points', 'sum', 'points', 'Sum of the severities of those events.'),
  m('campaign_tasks_planned', 'sum', 'count', 'Campaign tasks planned in the period.'),
  m('campaign_tasks_completed', 'sum', 'count', 'Campaign tasks completed in the period.'),
  m(
    'sku_count',
    'monthly_mean',
    'count',
    'Distinct SKUs ordered per month, averaged over the period.',
  ),
  m(
    'ordering_outlet_count',
    'monthly_mean',
    'count',
    'Outlets that ordered per month, averaged over the period.',
  ),
  m(
    'visited_outlet_count',
    'monthly_mean',
    'count',
    'Outlets visited per month, averaged over the period.',
  ),
  m(
    'inventory_quantity',
    'period_end',
    'quantity',
    'Units in stock at the last snapshot of the period.',
  ),
  m(
    'inventory_value',
    'period_end',
    'money',
    'Stock at list price at the last snapshot of the period.',
  ),
  m(
    'near_expiry_value',
    'period_end',
    'money',
    'Part of that stock with at most a third of its shelf life left.',
  ),
  m('batch_tracked_quantity', 'period_end', 'quantity', 'Units of that stock with a batch number.'),
  {
    key: 'inventory_value_avg',
    aggregate: 'snapshot_mean',
    column: 'inventory_value',
    unit: 'money',
    definition: 'Month-end stock at list price, averaged over the months with a snapshot.',
  },
  {
    key: 'receivable_amount',
    aggregate: 'receivable',
    unit: 'money',
    definition: 'Invoices less payments over the 12 months ending with the period (at least 0).',
  },
  {
    key: 'outlet_count',
    aggregate: 'as_of_end',
    unit: 'count',
    definition: 'Active outlets (终端) the dealer serves.',
  },
  {
    key: 'outlet_region_count',
    aggregate: 'as_of_end',
    unit: 'count',
    definition: 'Distinct regions of those outlets.',
  },
  {
    key: 'qualification_count',
    aggregate: 'as_of_end',
    unit: 'count',
    definition: 'Qualifications (licences) issued by the end of the period.',
  },
  {
    key: 'qualification_valid_count',
    aggregate: 'as_of_end',
    unit: 'count',
    definition: 'Of those, the ones not expired at the end of the period.',
  },
  {
    key: 'period_days',
    aggregate: 'calendar',
    unit: 'days',
    definition: 'Days in the period.',
  },
  {
    key: 'period_months',
    aggregate: 'calendar',
    unit: 'count',
    definition: 'Months in the period.',
  },
];

function m(
  key: string,
  aggregate: MeasureAggregate,
  unit: BaseMeasure['unit'],
  definition: string,
): BaseMeasure {
  return { key, aggregate, column: key, unit, definition };
}

/** Base measure keys, for look-ups. */
export const BASE_MEASURE_KEYS: ReadonlySet<string> = new Set(BASE_MEASURES.map((b) => b.key));

/**
 * Prefix of custom measures (the `custom_measure` fact, e.g. an NPS survey) in formulas:
 * `custom.nps` is the mean of the dealer's `nps` values measured in the period.
 */
export const CUSTOM_MEASURE_PREFIX = 'custom.';
