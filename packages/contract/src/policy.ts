import { z } from 'zod';
import { IsoMonth } from './common.js';

const Key = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'use lower-case letters, digits and _ , starting with a letter');

export const Cycle = z
  .enum(['monthly', 'quarterly', 'semiannual', 'annual'])
  .describe('Length of an assessment period');
export type Cycle = z.infer<typeof Cycle>;

export const Normalisation = z
  .enum(['minmax', 'zscore', 'percentile'])
  .describe('minmax: (x − min)/(max − min); zscore: Φ((x − mean)/sd); percentile: mid-rank');
export type Normalisation = z.infer<typeof Normalisation>;

export const MissingRule = z
  .enum(['zero', 'neutral', 'exclude'])
  .describe('Missing value: zero = worst (0), neutral = middle (0.5), exclude = drop and reweight');
export type MissingRule = z.infer<typeof MissingRule>;

export const Direction = z.enum(['higher', 'lower']).describe('higher or lower is better');
export const MetricUnit = z.enum(['money', 'percent', 'count', 'days', 'times', 'points']);
export type MetricUnit = z.infer<typeof MetricUnit>;

export const TierDefinition = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ or -, at most 32'),
  name: z.string().min(1).max(40).describe('Shown to people, e.g. 战略'),
  color: z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'a colour as #RRGGBB'),
});
export type TierDefinition = z.infer<typeof TierDefinition>;

export const PolicyMetric = z.strictObject({
  metric: z.string().min(1).max(64).describe('A built-in metric key or a custom metric key'),
  missing: MissingRule.optional().describe("Overrides the metric's default missing-data rule"),
  cap: z.number().nullable().optional().describe('At most this many score points (0–100]'),
  normalisation: Normalisation.optional().describe("Overrides the policy's normalisation"),
});

export const CustomMetric = z.strictObject({
  key: Key,
  name: z.string().min(1).max(80),
  formula: z
    .string()
    .min(1)
    .max(1000)
    .describe('Arithmetic over base measures, metrics and custom.<measure>; see docs/scoring.md'),
  direction: Direction,
  unit: MetricUnit,
  definition: z.string().max(500).default(''),
  missing: MissingRule.default('neutral'),
});

export const Weights = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('manual'),
    total: z.number().positive().default(100).describe('What the weights add up to'),
    values: z.record(z.string(), z.number().min(0)).describe('Weight by metric key'),
  }),
  z.strictObject({
    method: z.literal('ahp'),
    matrix: z
      .array(z.array(z.number()))
      .describe('Pairwise comparisons a[i][j] (Saaty 1–9 scale), rows in the order of metrics'),
  }),
  z.strictObject({ method: z.literal('entropy') }),
]);

const Operator = z.enum(['>=', '>', '<=', '<', '=', '!=']);
export const GateCondition = z.strictObject({
  metric: z.string().min(1).max(64),
  op: Operator,
  value: z.number(),
});
export type GateCondition = z.infer<typeof GateCondition>;
export type Gate = GateCondition | { all: Gate[] } | { any: Gate[] };
export const Gate: z.ZodType<Gate> = z.lazy(() =>
  z.union([
    GateCondition,
    z.strictObject({ all: z.array(Gate).min(1) }),
    z.strictObject({ any: z.array(Gate).min(1) }),
  ]),
);

export const Assignment = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('thresholds'),
    minScores: z
      .record(z.string(), z.number())
      .describe('Lowest score by tier code, all but the bottom tier'),
  }),
  z.strictObject({
    method: z.literal('quotas'),
    percents: z
      .record(z.string(), z.number())
      .describe('Percent of dealers by tier code; add up to 100'),
  }),
  z.strictObject({ method: z.literal('natural_breaks') }),
]);

export const Lifecycle = z.strictObject({
  promotion: z.enum(['immediate', 'review']).default('immediate'),
  maxStepUp: z.number().int().nullable().default(1).describe('1 = no skipping levels; null = any'),
  demotion: z.enum(['never', 'automatic', 'consecutive', 'review']).default('consecutive'),
  demotionAfter: z.number().int().default(2).describe('Periods in a row below, for consecutive'),
  maxStepDown: z.number().int().default(1),
  probationAfter: z.number().int().nullable().default(null),
  eliminationAfter: z.number().int().nullable().default(null),
});

export const CampaignOverlay = z.strictObject({
  code: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  from: IsoMonth,
  to: IsoMonth,
  metric: z.string().min(1).max(64),
  weight: z.number().describe('Share of the score, above 0 and below 1'),
  allowImmediateUpgrade: z.boolean().default(false),
});

/** A tier policy document. Its meaning is checked beyond this shape (see docs/policy.md). */
export const TierPolicy = z
  .strictObject({
    name: Key.describe('Policy name; versions share it'),
    description: z.string().max(2000).default(''),
    tiers: z.array(TierDefinition).min(2).max(12).describe('Tiers, best first'),
    cycle: Cycle,
    window: z
      .number()
      .int()
      .nullable()
      .default(null)
      .describe(
        'Measure over the trailing N months ending with each period (12 = rolling year); null = the period',
      ),
    reviewMonths: z
      .array(z.number().int())
      .max(12)
      .default([])
      .describe('Months 1–12 that end a review'),
    normalisation: Normalisation.default('percentile'),
    metrics: z.array(PolicyMetric).min(1).max(40),
    customMetrics: z.array(CustomMetric).max(40).default([]),
    weights: Weights,
    timeDecay: z
      .strictObject({ periods: z.number().int(), factor: z.number() })
      .nullable()
      .default(null)
      .describe('Average each metric over trailing periods with weights factor^k'),
    assignment: Assignment,
    gates: z.record(z.string(), Gate).default({}).describe('Hard gate by tier code'),
    lifecycle: Lifecycle.default({
      promotion: 'immediate',
      maxStepUp: 1,
      demotion: 'consecutive',
      demotionAfter: 2,
      maxStepDown: 1,
      probationAfter: null,
      eliminationAfter: null,
    }),
    campaigns: z.array(CampaignOverlay).max(20).default([]),
    effectiveFrom: IsoMonth,
    effectiveTo: IsoMonth.nullable().default(null),
  })
  .describe('A tier policy: scheme, metrics, weights, assignment, gates, lifecycle, cycle');
export type TierPolicy = z.infer<typeof TierPolicy>;
export type TierPolicyInput = z.input<typeof TierPolicy>;

export const PolicyIssue = z.object({
  path: z.string().describe('JSON path of the problem, e.g. weights.values.sales_amount'),
  message: z.string(),
});
export type PolicyIssue = z.infer<typeof PolicyIssue>;

export const PolicyValidation = z.object({
  valid: z.boolean(),
  issues: z.array(PolicyIssue),
  weights: z
    .record(z.string(), z.number())
    .nullable()
    .describe('Derived weights (share 0–1) when fixed; null for entropy or an invalid policy'),
  consistencyRatio: z.number().nullable().describe('AHP consistency ratio, when AHP'),
});
export type PolicyValidation = z.infer<typeof PolicyValidation>;

export const PolicyVersion = z.object({
  id: z.number().int(),
  name: z.string(),
  version: z.number().int(),
  note: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  document: TierPolicy,
});
export type PolicyVersion = z.infer<typeof PolicyVersion>;

export const PolicySummary = z.object({
  name: z.string(),
  description: z.string(),
  latestVersion: z.number().int(),
  latestId: z.number().int(),
  cycle: Cycle,
  tiers: z.array(TierDefinition),
  effectiveFrom: IsoMonth,
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});
export type PolicySummary = z.infer<typeof PolicySummary>;

export const PolicyVersionSummary = PolicyVersion.omit({ document: true });

export const CreatePolicyVersion = z.strictObject({
  document: z.unknown().describe('The policy document (checked against TierPolicy)'),
  note: z.string().max(500).default('').describe('What changed and why'),
});

export const PolicyChange = z.object({
  path: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export const PolicyComparison = z.object({
  name: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  changes: z.array(PolicyChange),
});
export type PolicyComparison = z.infer<typeof PolicyComparison>;

export const MetricCatalogueEntry = z.object({
  key: z.string(),
  name: z.object({ zh: z.string(), en: z.string() }),
  unit: MetricUnit,
  direction: Direction,
  definition: z.string(),
  missing: MissingRule,
});
export const MetricCatalogue = z.object({
  metrics: z.array(MetricCatalogueEntry),
  measures: z.array(z.object({ key: z.string(), unit: z.string(), definition: z.string() })),
  schemes: z.record(z.string(), z.array(TierDefinition)),
});
export type MetricCatalogue = z.infer<typeof MetricCatalogue>;
