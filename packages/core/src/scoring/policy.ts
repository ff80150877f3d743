import type { Cycle } from './period.js';
import type { Direction, Normalisation } from './normalise.js';
import type { MetricUnit, MissingRule } from './metrics.js';

/**
 * A tier policy: the versioned document that says how dealers are scored and tiered. The
 * HTTP contract (`@tierline/contract` `TierPolicy`) checks its shape; `policyIssues` checks
 * its meaning. Tiers are listed best first.
 */
export interface Policy {
  name: string;
  description: string;
  /** Ordered tiers, best first (战略, 核心, 潜力, 基础). */
  tiers: TierDefinition[];
  cycle: Cycle;
  /**
   * Measure each period over the trailing N months that end with it (12: a rolling year,
   * assessed every period); null measures the period itself.
   */
  window: number | null;
  /** Months (1–12) whose period end is a review date (for `review` promotion and demotion). */
  reviewMonths: number[];
  normalisation: Normalisation;
  metrics: PolicyMetric[];
  customMetrics: CustomMetric[];
  weights: Weights;
  /** Score each metric as a decayed average over trailing periods: weight factor^k, k periods back. */
  timeDecay: { periods: number; factor: number } | null;
  assignment: Assignment;
  /** Hard gates by tier code: a dealer must pass its tier's gate or it falls to the next tier. */
  gates: Record<string, Gate>;
  lifecycle: Lifecycle;
  campaigns: CampaignOverlay[];
  /** First month the policy applies to, 'YYYY-MM'. */
  effectiveFrom: string;
  /** Last month it applies to, or null for open-ended. */
  effectiveTo: string | null;
}

export interface TierDefinition {
  code: string;
  name: string;
  /** CSS colour, '#RRGGBB'. */
  color: string;
}

export interface PolicyMetric {
  metric: string;
  /** Missing-data rule; the metric's own default when absent. */
  missing?: MissingRule | undefined;
  /** At most this many score points from this metric, so that no single metric carries the tier. */
  cap?: number | null | undefined;
  /** Overrides the policy's normalisation for this metric. */
  normalisation?: Normalisation | undefined;
}

export interface CustomMetric {
  key: string;
  name: string;
  formula: string;
  direction: Direction;
  unit: MetricUnit;
  definition: string;
  missing: MissingRule;
}

export type Weights =
  /** By hand: one number per metric; they must add up to `total` (e.g. 100 or 1). */
  | { method: 'manual'; total: number; values: Record<string, number> }
  /** AHP: a pairwise comparison matrix over `metrics` in their order; CR must be below 0.1. */
  | { method: 'ahp'; matrix: number[][] }
  /** Entropy weight method (熵权法), from the spread of each metric in the assessed period. */
  | { method: 'entropy' };

export type ComparisonOperator = '>=' | '>' | '<=' | '<' | '=' | '!=';

/** A condition on a metric's raw value (a missing value fails every condition). */
export interface GateCondition {
  metric: string;
  op: ComparisonOperator;
  value: number;
}

/** A condition, or all / any of several gates. */
export type Gate = GateCondition | { all: Gate[] } | { any: Gate[] };

export type Assignment =
  /** Lowest score of each tier but the last, by tier code. */
  | { method: 'thresholds'; minScores: Record<string, number> }
  /** Share of dealers (percent) in each tier, by code; they add up to 100. */
  | { method: 'quotas'; percents: Record<string, number> }
  /** Jenks natural breaks of the scores, one class per tier. */
  | { method: 'natural_breaks' };

export interface Lifecycle {
  /** `immediate`, or only at a review date (campaign overlays may allow it earlier). */
  promotion: 'immediate' | 'review';
  /** At most this many tiers up per period (1 = no skipping levels); null = no limit. */
  maxStepUp: number | null;
  /**
   * `never`; `automatic` as soon as the score says so; `consecutive`, after `demotionAfter`
   * periods in a row below the tier; `review`, at a review date. Until then the dealer is
   * "at risk" and told what it needs to stay.
   */
  demotion: 'never' | 'automatic' | 'consecutive' | 'review';
  demotionAfter: number;
  /** At most this many tiers down per period. */
  maxStepDown: number;
  /** Periods in a row in the bottom tier before probation; null = never. */
  probationAfter: number | null;
  /** Periods in a row in the bottom tier before elimination (淘汰) is proposed; null = never. */
  eliminationAfter: number | null;
}

/** A time-boxed extra metric (e.g. promotion execution during Double 11). */
export interface CampaignOverlay {
  code: string;
  name: string;
  /** First and last month, 'YYYY-MM'. */
  from: string;
  to: string;
  metric: string;
  /** Share of the score (0–1) the metric takes; the policy's weights shrink to make room. */
  weight: number;
  /** Allow promotion outside review dates while the overlay runs. */
  allowImmediateUpgrade: boolean;
}

/** One problem with a policy: where (a JSON path like `weights.values.sales_amount`) and why. */
export interface PolicyIssue {
  path: string;
  message: string;
}
