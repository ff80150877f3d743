import { z } from 'zod';
import { Cursor, IsoDate, Limit, Money, pageOf } from './common.js';
import { DealerRef } from './dealer.js';
import { PeriodKey } from './assessment.js';
import { TierDefinition } from './policy.js';

// ---- Benefit library (PRODUCT §4, issue 6 item 1) -------------------------------------------

export const BenefitKind = z
  .enum([
    'rebate_rate',
    'market_fund',
    'training',
    'logistics_priority',
    'credit_limit',
    'priority_supply',
    'custom',
  ])
  .describe('What the benefit is: 返利, 市场费用, 培训, 物流优先, 信用额度, 优先供货, or custom');
export type BenefitKind = z.infer<typeof BenefitKind>;

export const BenefitUnit = z
  .enum(['basis_points', 'money', 'count', 'level', 'flag', 'text'])
  .describe(
    'How its value is written: basis_points (integer 0–10000, 150 = 1.5 %), money (integer minor units ≥ 0), count (integer ≥ 0), level (a short label such as A), flag (true/false), text',
  );
export type BenefitUnit = z.infer<typeof BenefitUnit>;

const BenefitCode = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _, starting with a letter')
  .describe('Unique per tenant, e.g. rebate_rate');

export const Benefit = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  kind: BenefitKind,
  unit: BenefitUnit,
  description: z.string(),
  archived: z.boolean().describe('Archived benefits are not offered any more'),
  createdAt: z.string(),
});
export type Benefit = z.infer<typeof Benefit>;

export const BenefitList = z.object({ items: z.array(Benefit) });
export type BenefitList = z.infer<typeof BenefitList>;

export const BenefitListQuery = z.object({
  archived: z
    .enum(['include', 'exclude', 'only'])
    .default('include')
    .describe('Whether archived benefits are listed'),
});

export const NewBenefit = z.strictObject({
  code: BenefitCode,
  name: z.string().trim().min(1).max(100),
  kind: BenefitKind,
  unit: BenefitUnit,
  description: z.string().max(500).default(''),
});
export type NewBenefit = z.input<typeof NewBenefit>;

export const BenefitPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    kind: BenefitKind.optional(),
    description: z.string().max(500).optional(),
    archived: z.boolean().optional().describe('true archives, false restores'),
  })
  .describe('The unit cannot change: the values saved for it are written in it');
export type BenefitPatch = z.infer<typeof BenefitPatch>;

/** A benefit's value for one tier, typed by the benefit's unit. */
export const BenefitValue = z
  .union([z.number(), z.string(), z.boolean()])
  .describe(
    'A number for basis_points, money and count; a string for level and text; a boolean for flag',
  );
export type BenefitValue = z.infer<typeof BenefitValue>;

const PolicyName = z.string().min(1).max(64).describe('Policy name');
const PolicyVersionNumber = z.coerce.number().int().positive().max(1_000_000);

export const BenefitMatrixQuery = z.object({
  policy: PolicyName,
  version: PolicyVersionNumber.optional().describe('Policy version; the latest when absent'),
});

export const PolicyVersionRef = z.object({
  id: z.number().int(),
  name: z.string(),
  version: z.number().int(),
});
export type PolicyVersionRef = z.infer<typeof PolicyVersionRef>;

export const BenefitMatrix = z.object({
  policy: PolicyVersionRef,
  tiers: z.array(TierDefinition).describe("The policy version's tiers, best first"),
  rows: z
    .array(
      z.object({
        benefit: Benefit,
        values: z
          .record(z.string(), BenefitValue)
          .describe('Value by tier code; a tier without a value does not get the benefit'),
      }),
    )
    .describe('Every benefit not archived, and archived ones that have values here'),
  updatedAt: z.string().nullable().describe('When the values were last saved'),
});
export type BenefitMatrix = z.infer<typeof BenefitMatrix>;

export const SaveBenefitValues = z.strictObject({
  policy: PolicyName,
  version: z.number().int().positive(),
  values: z
    .record(BenefitCode, z.record(z.string().max(32), BenefitValue.nullable()))
    .describe(
      'The whole matrix: benefit code → tier code → value (null or absent: no value). Replaces what was saved for the version.',
    ),
});
export type SaveBenefitValues = z.infer<typeof SaveBenefitValues>;

// ---- A dealer's package ----------------------------------------------------------------------

export const PackageQuery = z.object({
  on: IsoDate.optional().describe(
    'The package in force on this date; the latest published one when absent (which may take effect later)',
  ),
});

export const PackageBenefit = z.object({
  benefit: Benefit.omit({ archived: true, createdAt: true }),
  value: BenefitValue,
});
export type PackageBenefit = z.infer<typeof PackageBenefit>;

export const PackageChange = z.object({
  runId: z.number().int(),
  period: PeriodKey.describe('The assessment period that decided the tier'),
  tier: z.string(),
  policy: PolicyVersionRef,
  effectiveFrom: IsoDate.describe('The first day after the period'),
});
export type PackageChange = z.infer<typeof PackageChange>;

export const DealerPackage = z.object({
  dealer: DealerRef,
  current: PackageChange.extend({
    benefits: z.array(PackageBenefit).describe('Each benefit with its value for the tier'),
  })
    .nullable()
    .describe('The package of the published tier; null before any published tier'),
  history: z
    .array(PackageChange)
    .describe('Each published run where the tier or the policy version changed, oldest first'),
  tiers: z.array(TierDefinition),
});
export type DealerPackage = z.infer<typeof DealerPackage>;

// ---- Budget allocation (issue 6 item 2) ------------------------------------------------------

export const AllocationPurpose = z
  .enum(['general', 'market_fund'])
  .describe('general: a resource budget; market_fund: credited to each dealer’s market fund');
export type AllocationPurpose = z.infer<typeof AllocationPurpose>;

export const AllocationStatus = z
  .enum(['draft', 'published', 'discarded'])
  .describe('draft → published (final; one per period and purpose) or discarded');
export type AllocationStatus = z.infer<typeof AllocationStatus>;

export const AllocationRule = z
  .enum(['equal', 'sales', 'score', 'target'])
  .describe(
    "Within a tier: equally, or in proportion to the reference period's sales, the assessment score, or the period's sales target",
  );
export type AllocationRule = z.infer<typeof AllocationRule>;

export const ShareUnit = z
  .enum(['percent', 'basis_points'])
  .describe('40 = 40 % with percent; 4000 = 40 % with basis_points');
export type ShareUnit = z.infer<typeof ShareUnit>;

const Amount = Money.min(0).max(Number.MAX_SAFE_INTEGER);
const Factor = z.number().min(0).max(1).describe('Multiplies the weight: 0.5 halves it');

export const AllocationTierConfig = z.strictObject({
  tier: z.string().min(1).max(32),
  share: z.number().min(0).describe('In shareUnit; all shares add up to exactly 100 %'),
  rule: AllocationRule,
  floor: Amount.optional().describe('Least amount for each dealer of the tier, minor units'),
  cap: Amount.optional().describe('Most amount for each dealer of the tier, minor units'),
});
export type AllocationTierConfig = z.infer<typeof AllocationTierConfig>;

export const AllocationAdjustments = z.strictObject({
  probationFactor: Factor.optional().describe('For a dealer on probation (考察期)'),
  missedTarget: z
    .strictObject({
      periods: z.number().int().min(1).max(120),
      factor: Factor,
    })
    .optional()
    .describe('For a dealer that missed its monthly target this many months running'),
});
export type AllocationAdjustments = z.infer<typeof AllocationAdjustments>;

export const AllocationConfig = z.strictObject({
  shareUnit: ShareUnit.default('percent'),
  tiers: z.array(AllocationTierConfig).min(1).max(20).describe('Best tier first'),
  dealerLimits: z
    .array(
      z.strictObject({
        dealerId: z.number().int().positive(),
        floor: Amount.optional(),
        cap: Amount.optional(),
      }),
    )
    .max(10_000)
    .optional()
    .describe("One dealer's own floor or cap, instead of its tier's"),
  adjustments: AllocationAdjustments.optional(),
  whenTierFull: z
    .enum(['redistribute', 'unallocated'])
    .optional()
    .describe(
      'What caps leave over in a full tier: carried to the other tiers (default), or left unallocated',
    ),
});
export type AllocationConfig = z.infer<typeof AllocationConfig>;

export const CreateAllocation = z.strictObject({
  period: PeriodKey.describe('The period the budget is for: 2026-10, 2026-Q4, 2026-H2 or 2026'),
  pool: Amount.describe('The budget pool, minor units'),
  purpose: AllocationPurpose.default('general'),
  claimDeadline: IsoDate.optional().describe('Required for market_fund: the last day to claim'),
  name: z.string().trim().max(100).optional(),
  config: AllocationConfig.optional().describe(
    "Omitted: the last published allocation's of the same purpose, else 40/30/20/10 by sales",
  ),
  dryRun: z.boolean().default(false).describe('Compute and return the plan, write nothing'),
});
export type CreateAllocation = z.input<typeof CreateAllocation>;

export const AllocationTierTotal = z.object({
  tier: z.string(),
  share: z.number(),
  rule: AllocationRule,
  effectiveRule: AllocationRule.describe('equal when every weight of the rule was 0'),
  fallback: z.string().nullable(),
  dealerCount: z.number().int(),
  shareAmount: Money.describe("The tier's share of the pool"),
  carried: Money.describe('Received from (> 0) or passed to (< 0) other tiers'),
  amount: Money.describe("Allocated to the tier's dealers"),
  unallocated: Money,
  full: z.enum(['no_dealers', 'no_weight', 'all_capped']).nullable(),
});
export type AllocationTierTotal = z.infer<typeof AllocationTierTotal>;

export const AllocationMethod = z.object({
  rounding: z.literal('largest_remainder'),
  ties: z.literal('tier_order_then_dealer_id'),
  whenTierFull: z.enum(['redistribute', 'unallocated']),
  shareUnit: ShareUnit,
  adjustments: AllocationAdjustments,
});
export type AllocationMethod = z.infer<typeof AllocationMethod>;

export const AllocationRunRef = z.object({
  id: z.number().int(),
  period: PeriodKey,
  policy: PolicyVersionRef,
});

export const AllocationSummary = z.object({
  id: z.number().int(),
  period: PeriodKey,
  periodFrom: z.string().describe('First month, YYYY-MM'),
  periodTo: z.string().describe('Last month, YYYY-MM'),
  purpose: AllocationPurpose,
  name: z.string(),
  status: AllocationStatus,
  pool: Money,
  allocated: Money,
  unallocated: Money,
  dealerCount: z.number().int().describe('Dealers the caller sees'),
  visibleAmount: Money.describe('Allocated to the dealers the caller sees'),
  claimDeadline: IsoDate.nullable(),
  run: AllocationRunRef.describe('The published assessment whose tiers it used'),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  publishedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
export type AllocationSummary = z.infer<typeof AllocationSummary>;

export const AllocationListQuery = z.object({
  period: PeriodKey.optional(),
  purpose: AllocationPurpose.optional(),
  status: AllocationStatus.optional(),
});

export const AllocationComparison = z.object({
  previous: z
    .object({ id: z.number().int(), period: PeriodKey, pool: Money, allocated: Money })
    .nullable()
    .describe('The latest published allocation of the same purpose before this period'),
  tiers: z
    .array(
      z.object({
        tier: z.string(),
        amount: Money,
        previousAmount: Money,
        delta: Money,
        dealerCount: z.number().int(),
        previousDealerCount: z.number().int(),
      }),
    )
    .nullable()
    .describe('Tenant-wide figures: withheld (null) from callers who see fewer dealers'),
  newDealers: z.number().int().describe('Dealers (that the caller sees) not in the previous one'),
  goneDealers: z.number().int().describe('Dealers in the previous one and not in this one'),
  tierChanges: z.number().int().describe('Dealers in both, in another tier'),
  gone: z
    .array(z.object({ dealer: DealerRef, previousTier: z.string(), previousAmount: Money }))
    .describe('The first 100 gone dealers'),
});
export type AllocationComparison = z.infer<typeof AllocationComparison>;

export const AllocationDetail = AllocationSummary.extend({
  config: AllocationConfig,
  method: AllocationMethod,
  tiers: z
    .array(AllocationTierTotal)
    .nullable()
    .describe('Tier totals: tenant-wide, withheld (null) from callers who see fewer dealers'),
  tierDefinitions: z.array(TierDefinition),
  notes: z
    .array(z.string())
    .describe('Fallbacks, carries, unallocated money (whole-tenant callers)'),
  comparison: AllocationComparison,
});
export type AllocationDetail = z.infer<typeof AllocationDetail>;

export const AllocationPreview = z.object({
  period: PeriodKey,
  purpose: AllocationPurpose,
  pool: Money,
  allocated: Money,
  unallocated: Money,
  dealerCount: z.number().int(),
  run: AllocationRunRef,
  config: AllocationConfig,
  configSource: z
    .enum(['request', 'last_published', 'default'])
    .describe('Where the configuration came from'),
  method: AllocationMethod,
  tiers: z.array(AllocationTierTotal),
  tierDefinitions: z.array(TierDefinition),
  notes: z.array(z.string()),
});
export type AllocationPreview = z.infer<typeof AllocationPreview>;

export const AllocationAdjustment = z.object({
  reason: z.enum(['probation', 'missed_target']),
  factor: z.number(),
  detail: z
    .string()
    .describe('e.g. Missed target 3 periods running (rule: 2 or more): weight × 0.5'),
});

export const AllocationDealerLine = z.object({
  dealer: DealerRef,
  region: z.string().describe('Region name'),
  tier: z.string(),
  rule: AllocationRule.describe('The rule used'),
  sales: Money.nullable().describe('Sales in the reference (assessment) period'),
  score: z.number().nullable(),
  target: Money.nullable(),
  baseWeight: z.number(),
  weight: z.number().describe('After adjustments'),
  adjustments: z.array(AllocationAdjustment),
  amount: Money,
  floor: Money,
  cap: Money.nullable(),
  capped: z.boolean(),
  floored: z.boolean(),
  previousTier: z.string().nullable().describe('In the previous published allocation'),
  previousAmount: Money.nullable(),
  delta: Money.describe('amount − previousAmount (the whole amount for a new dealer)'),
});
export type AllocationDealerLine = z.infer<typeof AllocationDealerLine>;

export const AllocationLineQuery = z.object({
  q: z.string().max(100).optional().describe('Dealer code prefix or name substring'),
  tier: z.string().max(32).optional(),
  cursor: Cursor,
  limit: Limit,
});

export const AllocationLinePage = pageOf(AllocationDealerLine);
export type AllocationLinePage = z.infer<typeof AllocationLinePage>;

// ---- Resource ROI (issue 6 item 5) -----------------------------------------------------------

export const RoiQuery = z.object({
  from: PeriodKey.describe('First period (or month) to include'),
  to: PeriodKey.describe('Last period (or month) to include'),
  tier: z.string().max(32).optional().describe('Only this tier in the dealer list'),
  q: z.string().max(100).optional().describe('Dealer code prefix or name substring'),
  limit: Limit.describe('How many dealers, by resources received (1-500, default 50)'),
});

export const RoiFigures = z.object({
  dealerCount: z.number().int(),
  resources: Money.describe('Allocated amounts, every purpose'),
  sales: Money.describe('Sales in the period'),
  previousSales: Money.describe('Sales in the equally long period just before'),
  lift: Money.describe('sales − previousSales'),
  roi: z.number().nullable().describe('lift / resources; null when resources are 0'),
  roiChange: z
    .number()
    .nullable()
    .describe('roi − the roi of the period before (in this list); null when either is null'),
});
export type RoiFigures = z.infer<typeof RoiFigures>;

export const ResourceRoi = z.object({
  from: PeriodKey,
  to: PeriodKey,
  tiers: z.array(TierDefinition),
  periods: z.array(
    z.object({
      period: PeriodKey,
      periodFrom: z.string(),
      periodTo: z.string(),
      previousFrom: z.string(),
      previousTo: z.string(),
      total: RoiFigures,
      tiers: z.array(RoiFigures.extend({ tier: z.string() })),
    }),
  ),
  dealers: z
    .array(
      z.object({
        dealer: DealerRef,
        tier: z.string().describe('Its tier in the latest period listed'),
        resources: Money,
        lift: Money,
        roi: z.number().nullable(),
        periods: z.array(
          RoiFigures.omit({ dealerCount: true }).extend({ period: PeriodKey, tier: z.string() }),
        ),
      }),
    )
    .describe('The dealers (in the caller’s scope) that received the most'),
  dealerCount: z.number().int().describe('Dealers that match, over all of them'),
});
export type ResourceRoi = z.infer<typeof ResourceRoi>;
