/**
 * Data shapes of the alerts engine (PRODUCT §5): rules as plain JSON documents, the monthly
 * series and facts they are evaluated over, and the conditions, diagnoses and health bands they
 * produce. Money is integer minor units (fen), months 'YYYY-MM', days 'YYYY-MM-DD', shares and
 * changes plain ratios (−0.2 = −20 %) unless named otherwise.
 */

/** How urgent an alert is; ordered info < warning < critical. */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/** Where an alert is in its life: open → acknowledged → resolved, or dismissed with a reason. */
export type AlertStatus = 'open' | 'acknowledged' | 'resolved' | 'dismissed';

/** A text in both console languages. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/**
 * `mom`: against the window just before; `yoy`: against the same months a year earlier;
 * `baseline`: each month against the dealer's own level over the months before the run.
 */
export type DeclineCompare = 'mom' | 'yoy' | 'baseline';

/** Comparison of a threshold rule: the monthly value `op` the rule's value. */
export type ThresholdOp = '<' | '<=' | '>' | '>=';

/** Sales (or another flow measure) below target in each of the last `periods` months. */
export interface MissedTargetParams {
  /** Consecutive months, 1-12. */
  readonly periods: number;
  /** A month is missed when sales / target is below this (1 = 100 %), 0.1-2. */
  readonly below: number;
  /**
   * And the run as a whole: sales over target summed over the `periods` months must be below
   * this, so that a festival shifting sales between the run's months does not make a miss.
   */
  readonly overall: number;
  /**
   * Forgive what the whole channel missed: in a month where the other dealers together reached
   * only x < 1 of their targets (a holiday the targets did not foresee), each target counts × x.
   */
  readonly seasonal: boolean;
}

/** The measure fell by at least `percent` % at each of the last `periods` months. */
export interface DeclineParams {
  /** A flow measure of the dealer month (default sales_amount). */
  readonly measure: string;
  /** Fall that counts, in percent (20 = −20 %), 1-100. */
  readonly percent: number;
  /** Consecutive months that must each show the fall, 1-12. */
  readonly periods: number;
  readonly compare: DeclineCompare;
  /** Months summed per point (1 = single months; 3 = rolling quarters), 1-12; mom and yoy only. */
  readonly window: number;
  /**
   * `baseline` only: the dealer's level is the mean of this many months just before the run,
   * 3-24 (default 6).
   */
  readonly baseline?: number | undefined;
  /**
   * `baseline` only: the fall must also exceed this many times the dealer's usual swing (the
   * coefficient of variation of its months over the year before the run), so that a dealer who
   * orders in lumps is not flagged for an ordinary thin month. 0 (default) = percent alone.
   */
  readonly swing?: number | undefined;
  /**
   * Divide each month by the channel's seasonal index first, so that the month after the Spring
   * Festival is not read as a fall (mom), nor a festival that moved from January to February
   * as a fall against last year (yoy).
   */
  readonly seasonal: boolean;
}

/** A monthly measure or ratio crossing a fixed value in each of the last `periods` months. */
export interface ThresholdParams {
  /** A dealer-month measure ({@link ALERT_MEASURES}) or derived ratio. */
  readonly measure: string;
  readonly op: ThresholdOp;
  readonly value: number;
  /** Consecutive months, 1-12 (default 1). */
  readonly periods: number;
}

/**
 * The dealer's own seasonally adjusted history says this month is far too low: expected =
 * the dealer's baseline level × the channel's seasonal index of the month; flagged when the
 * log residual is below −k robust standard deviations and the shortfall is at least `minDrop` %.
 */
export interface AnomalyParams {
  readonly measure: string;
  /** Robust standard deviations, 1-10. */
  readonly k: number;
  /** Consecutive flagged months, 1-6. */
  readonly periods: number;
  /** Months of history before the flagged run that set the level and spread, 6-36. */
  readonly baseline: number;
  /** Minimum shortfall against expected, percent, 0-100. */
  readonly minDrop: number;
}

/** A licence (资质) that expires within `days` days, or has expired. */
export interface LicenceExpiryParams {
  readonly days: number;
}

/** Near-expiry stock (≤ ⅓ of shelf life left) is at least `share` of month-end stock. */
export interface NearExpiryParams {
  /** 0-1 (0.3 = 30 % of the stock's value). */
  readonly share: number;
  /** Consecutive months with a snapshot, 1-12. */
  readonly periods: number;
  /** Near-expiry value at least this (minor units). */
  readonly minValue: number;
}

/** A SKU's stock covers fewer than `days` days of its sales of the last 30 days. */
export interface StockoutParams {
  readonly days: number;
  /** SKUs must have sold at least this many units in those 30 days to count. */
  readonly minQuantity: number;
}

/** Invoices more than `days` days past their due date with `minAmount` or more unpaid. */
export interface CollectionOverdueParams {
  readonly days: number;
  /** Minor units. */
  readonly minAmount: number;
}

interface RuleBase {
  /** Stable key per tenant: lower case, digits and _, e.g. `sales_decline`. */
  readonly code: string;
  readonly name: string;
  readonly description?: string | undefined;
  readonly severity: AlertSeverity;
  readonly enabled: boolean;
}

/** An alert rule: a JSON document, versioned by the server, evaluated by core. */
export type AlertRule = RuleBase &
  (
    | { readonly kind: 'missed_target'; readonly params: MissedTargetParams }
    | { readonly kind: 'decline'; readonly params: DeclineParams }
    | { readonly kind: 'threshold'; readonly params: ThresholdParams }
    | { readonly kind: 'anomaly'; readonly params: AnomalyParams }
    | { readonly kind: 'licence_expiry'; readonly params: LicenceExpiryParams }
    | { readonly kind: 'near_expiry_inventory'; readonly params: NearExpiryParams }
    | { readonly kind: 'stockout_risk'; readonly params: StockoutParams }
    | { readonly kind: 'collection_overdue'; readonly params: CollectionOverdueParams }
  );

export type AlertRuleKind = AlertRule['kind'];

/** One month of a dealer's rollup: measure key → value (null = not known, e.g. no target). */
export interface DealerMonth {
  readonly month: string;
  readonly values: Readonly<Record<string, number | null>>;
}

/** The whole channel's sales of one month: what the seasonal index is made of. */
export interface ChannelMonth {
  readonly month: string;
  /** Sales of every dealer of the tenant, minor units. */
  readonly sales: number;
  /** Dealers with sales that month. */
  readonly dealers: number;
  /** Sales targets of every dealer that month (0 when none), and those dealers' sales. */
  readonly target?: number | undefined;
  readonly targetedSales?: number | undefined;
}

/** A licence of the dealer; expiresOn null = no expiry (长期). */
export interface LicenceFact {
  readonly kind: string;
  readonly number: string;
  readonly expiresOn: string | null;
}

/** An invoice with something still unpaid on the evaluation day. */
export interface OpenInvoiceFact {
  readonly invoiceNo: string;
  readonly dueOn: string;
  /** Invoice amount less the payments naming it up to the evaluation day, > 0. */
  readonly outstanding: number;
}

/** One SKU at the dealer's latest month-end snapshot and its sales of the 30 days before. */
export interface StockFact {
  readonly sku: string;
  readonly name: string;
  readonly snapshotOn: string;
  readonly quantity: number;
  /** Units ordered in the 30 days up to the snapshot. */
  readonly soldQuantity: number;
}

/** What one dealer is evaluated over. */
export interface DealerAlertInput {
  /** Monthly rollups; months without a row after the first one count as zero activity. */
  readonly months: readonly DealerMonth[];
  /** First month the dealer could have data (its onboarding month), if known. */
  readonly since?: string | null | undefined;
  readonly licences?: readonly LicenceFact[] | undefined;
  readonly openInvoices?: readonly OpenInvoiceFact[] | undefined;
  readonly stock?: readonly StockFact[] | undefined;
}

/** When and against what an evaluation runs. */
export interface AlertContext {
  /** Last month of data to judge, 'YYYY-MM'. */
  readonly asOf: string;
  /** Day that time rules (licences, collection, stock) count from, 'YYYY-MM-DD'. */
  readonly day: string;
  /** The tenant's monthly sales, for the seasonal index (may be empty: no adjustment). */
  readonly channel: readonly ChannelMonth[];
  /** Currency for texts; default CNY with 2 minor units. */
  readonly currency?: { readonly code: string; readonly minorUnits: number } | undefined;
}

/** One month behind a condition: the value, what it was held against, and the gap. */
export interface EvidencePoint {
  readonly month: string;
  readonly value: number;
  /** Target, previous window, year-ago window, expected value or threshold. */
  readonly reference: number | null;
  readonly referenceKind: 'target' | 'previous' | 'year_ago' | 'expected' | 'threshold';
  /** value / reference − 1, or null when the reference is 0 or absent. */
  readonly change: number | null;
  /** Change after seasonal adjustment, when the rule adjusts (decline mom). */
  readonly adjustedChange?: number | null | undefined;
  /** Robust z-score of the residual (anomaly). */
  readonly z?: number | null | undefined;
}

/** A fact behind a time rule: a licence, an invoice, a SKU. */
export interface EvidenceItem {
  readonly label: string;
  readonly date: string | null;
  /** Days left (negative: past), days overdue, or days of cover. */
  readonly days: number | null;
  readonly amount: number | null;
  readonly quantity: number | null;
}

/** The numbers that made a condition true. */
export interface AlertEvidence {
  readonly summary: Bilingual;
  readonly measure: string | null;
  readonly points: readonly EvidencePoint[];
  readonly items: readonly EvidenceItem[];
}

/** The months a sales condition compares, for its diagnosis: same length, current after baseline. */
export interface DiagnosisWindows {
  readonly current: readonly string[];
  readonly baseline: readonly string[];
}

/** A rule that holds for a dealer as of a month. */
export interface AlertCondition {
  readonly rule: string;
  readonly kind: AlertRuleKind;
  readonly severity: AlertSeverity;
  readonly month: string;
  readonly title: Bilingual;
  readonly evidence: AlertEvidence;
  /** Set for sales conditions, which get a diagnosis. */
  readonly windows: DiagnosisWindows | null;
}
