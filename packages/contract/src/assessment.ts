import { z } from 'zod';
import { Cursor, Limit, pageOf } from './common.js';
import { DealerRef } from './dealer.js';
import { MetricUnit, MissingRule, TierDefinition, TierPolicy } from './policy.js';

export const PeriodKey = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$/, 'a period: 2026-10, 2026-Q3, 2026-H1 or 2026')
  .describe('Assessment period: 2026-10 (month), 2026-Q3, 2026-H1 or 2026 (year)');

export const RunStatus = z
  .enum(['draft', 'approved', 'published', 'discarded'])
  .describe('draft → approved (by a second person) → published');
export type RunStatus = z.infer<typeof RunStatus>;

export const Standing = z
  .enum(['good', 'at_risk', 'probation', 'elimination'])
  .describe('at_risk: below its tier, demotion pending; elimination: 淘汰 proposed');
export type Standing = z.infer<typeof Standing>;

export const ReasonCode = z.enum([
  'entry',
  'unchanged',
  'promoted',
  'promotion_limited',
  'promotion_awaits_review',
  'campaign_upgrade',
  'demoted',
  'demotion_limited',
  'at_risk',
  'demotion_disabled',
  'gate_failed',
  'missing_data',
  'override_set',
  'override_floor',
  'probation',
  'elimination_proposed',
]);
export type ReasonCode = z.infer<typeof ReasonCode>;

export const OverrideKind = z
  .enum(['once', 'lock', 'until', 'floor'])
  .describe('once: this run; lock: until revoked; until: to a month; floor: not below a tier');
export type OverrideKind = z.infer<typeof OverrideKind>;

export const AssessedMetric = z.object({
  key: z.string(),
  name: z.string(),
  unit: MetricUnit,
  direction: z.enum(['higher', 'lower']),
  normalisation: z.string(),
  missing: MissingRule,
  cap: z.number().nullable(),
  weight: z.number().describe('Share of the score, 0–1'),
  campaign: z.string().nullable(),
  stats: z
    .object({
      count: z.number(),
      min: z.number().nullable(),
      max: z.number().nullable(),
      mean: z.number().nullable(),
      sd: z.number().nullable(),
    })
    .nullable()
    .describe('Over every dealer assessed; withheld (null) from callers who see fewer dealers'),
});
export type AssessedMetric = z.infer<typeof AssessedMetric>;

export const RunSummary = z.object({
  id: z.number().int(),
  period: PeriodKey,
  periodFrom: z.string(),
  periodTo: z.string(),
  policy: z.object({ id: z.number().int(), name: z.string(), version: z.number().int() }),
  status: RunStatus,
  dealerCount: z.number().int(),
  counts: z.record(z.string(), z.number().int()).describe('Dealers per decided tier'),
  changed: z.number().int().describe('Dealers whose tier differs from the previous one'),
  overrides: z.number().int(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunDetail = RunSummary.extend({
  tiers: z.array(TierDefinition),
  metrics: z.array(AssessedMetric),
  tierMinScores: z.record(z.string(), z.number().nullable()),
  review: z.boolean().describe('The period ends in a review month'),
  previousRunId: z.number().int().nullable(),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const Contribution = z.object({
  metric: z.string(),
  value: z.number().nullable(),
  normalised: z.number().nullable(),
  weight: z.number(),
  points: z.number(),
  missing: MissingRule.nullable(),
  capped: z.boolean(),
});
export type Contribution = z.infer<typeof Contribution>;

export const TierGap = z.object({
  tier: z.string(),
  minScore: z.number(),
  pointsNeeded: z.number(),
  metrics: z.array(
    z.object({
      metric: z.string(),
      from: z.number().nullable(),
      to: z.number(),
      exclusive: z.boolean(),
    }),
  ),
  gates: z.array(
    z.object({
      metric: z.string(),
      op: z.string(),
      value: z.number(),
      actual: z.number().nullable(),
    }),
  ),
});
export type TierGap = z.infer<typeof TierGap>;

export const Decision = z.object({
  runId: z.number().int(),
  period: PeriodKey,
  dealer: DealerRef,
  score: z.number(),
  rank: z.number().int(),
  scoreTier: z.string(),
  candidateTier: z.string(),
  previousTier: z.string().nullable(),
  tier: z.string(),
  standing: Standing,
  reasons: z.array(ReasonCode),
  override: z
    .object({ kind: OverrideKind, reason: z.string(), by: z.string().nullable() })
    .nullable(),
});
export type Decision = z.infer<typeof Decision>;

export const DecisionDetail = Decision.extend({
  contributions: z.array(Contribution),
  gap: TierGap.nullable().describe('What it takes to reach the next tier up'),
  hold: TierGap.nullable().describe('When at risk: what it takes to keep the tier'),
  periodsBelow: z.number().int(),
  periodsAtBottom: z.number().int(),
  metrics: z.array(AssessedMetric),
  tiers: z.array(TierDefinition),
});
export type DecisionDetail = z.infer<typeof DecisionDetail>;

export const DecisionPage = pageOf(Decision);
export type DecisionPage = z.infer<typeof DecisionPage>;

export const DecisionListQuery = z.object({
  tier: z.string().max(32).optional(),
  standing: Standing.optional(),
  changed: z
    .enum(['up', 'down', 'any'])
    .optional()
    .describe('Only dealers whose tier moved (up, down or either)'),
  overridden: z.coerce.boolean().optional(),
  q: z.string().max(100).optional().describe('Dealer code prefix or name substring'),
  cursor: Cursor.optional(),
  limit: Limit,
});

export const CreateRun = z.strictObject({
  period: PeriodKey,
  policy: z.string().default('default').describe('Policy name'),
  version: z.number().int().positive().optional().describe('Policy version; the latest if absent'),
});
export type CreateRun = z.infer<typeof CreateRun>;

export const CreateOverride = z.strictObject({
  dealerId: z.number().int().positive(),
  kind: OverrideKind,
  tier: z.string().min(1).max(32),
  reason: z.string().trim().min(5, 'say why, in at least 5 characters').max(500),
  until: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .nullable()
    .default(null)
    .describe('Last month, for until (required) and floor (optional)'),
});
export type CreateOverride = z.infer<typeof CreateOverride>;

export const TierHistoryEntry = z.object({
  runId: z.number().int(),
  period: PeriodKey,
  tier: z.string(),
  score: z.number(),
  standing: Standing,
  reasons: z.array(ReasonCode),
});
export const DealerTier = z.object({
  dealer: DealerRef,
  current: DecisionDetail.nullable().describe('The latest published decision'),
  history: z.array(TierHistoryEntry).describe('Published decisions, oldest first'),
  tiers: z.array(TierDefinition),
});
export type DealerTier = z.infer<typeof DealerTier>;

export const MigrationMatrix = z.object({
  tiers: z.array(z.string()),
  counts: z.array(z.array(z.number().int())).describe('counts[i][j]: from tier i to tier j'),
  entered: z.array(z.number().int()),
  left: z.array(z.number().int()),
  up: z.number().int(),
  down: z.number().int(),
  same: z.number().int(),
});
export type MigrationMatrix = z.infer<typeof MigrationMatrix>;

export const TierOverview = z.object({
  period: PeriodKey.nullable().describe('Latest published period'),
  tiers: z.array(TierDefinition),
  counts: z.record(z.string(), z.number().int()),
  standings: z.record(z.string(), z.number().int()),
  periods: z.array(PeriodKey).describe('Published periods, newest first'),
});
export type TierOverview = z.infer<typeof TierOverview>;

export const MigrationQuery = z.object({ from: PeriodKey, to: PeriodKey });
export const Migration = z.object({
  from: PeriodKey,
  to: PeriodKey,
  tiers: z.array(TierDefinition),
  matrix: MigrationMatrix,
});
export type Migration = z.infer<typeof Migration>;

export const SimulationRequest = z.strictObject({
  policy: z
    .union([
      z.strictObject({ name: z.string(), version: z.number().int().positive().optional() }),
      z.strictObject({ document: z.unknown() }),
    ])
    .describe('A saved policy (name, optional version) or an unsaved draft document'),
  from: PeriodKey,
  to: PeriodKey,
  movers: z.number().int().min(0).max(1000).default(100).describe('How many movers to list'),
});
export type SimulationRequest = z.infer<typeof SimulationRequest>;

export const SimulationPeriod = z.object({
  period: PeriodKey,
  counts: z.record(z.string(), z.number().int()),
  up: z.number().int(),
  down: z.number().int(),
});
export const SimulationMover = z.object({
  dealer: DealerRef,
  from: z.string().nullable().describe('Its tier published now'),
  to: z.string().describe('Its tier in the last simulated period'),
  previous: z
    .string()
    .nullable()
    .describe('Its tier in the simulated period before (what `reasons` compare with)'),
  score: z.number(),
  reasons: z.array(ReasonCode),
});
export const Simulation = z.object({
  policy: TierPolicy,
  tiers: z.array(TierDefinition),
  periods: z.array(SimulationPeriod),
  current: z
    .object({
      period: PeriodKey.nullable(),
      counts: z.record(z.string(), z.number().int()),
    })
    .describe('The published tiers the simulation starts from'),
  matrix: MigrationMatrix.describe('From the current published tiers to the last simulated period'),
  movers: z.array(SimulationMover),
  dealerCount: z.number().int(),
  elapsedMs: z.number(),
});
export type Simulation = z.infer<typeof Simulation>;
