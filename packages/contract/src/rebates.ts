import { z } from 'zod';
import { Cursor, IsoMonth, Money } from './common.js';
import { DealerRef } from './dealer.js';
import { PeriodKey } from './assessment.js';

/** How long a rebate period is; its keys are those of assessments (2026-10, 2026-Q3, 2026-H1, 2026). */
export const RebatePeriodKind = z
  .enum(['monthly', 'quarterly', 'half_year', 'annual'])
  .describe(
    'Length of a rebate period: a month (2026-10), a quarter (2026-Q3), a half year (2026-H1) or a year (2026)',
  );
export type RebatePeriodKind = z.infer<typeof RebatePeriodKind>;

export const RebateBasis = z
  .enum(['sales', 'growth'])
  .describe(
    'sales: bracket bounds are sales in minor units; growth: bounds are growth in percent over the previous period of the same kind (10 = +10 %), the rebate still paid on sales',
  );
export type RebateBasis = z.infer<typeof RebateBasis>;

export const RebateMethod = z
  .enum(['retroactive', 'marginal'])
  .describe(
    'retroactive (全额累进): all sales at the rate of the highest bracket reached; marginal (超额累进): each bracket’s part of the sales at its own rate',
  );
export type RebateMethod = z.infer<typeof RebateMethod>;

export const RebateBracket = z
  .strictObject({
    from: z.number().describe('Where the bracket starts: minor units (sales) or percent (growth)'),
    to: z
      .number()
      .nullable()
      .describe('Where it ends (exclusive), the next bracket’s start; null for the last bracket'),
    rateBasisPoints: z.number().describe('Rate in basis points: 300 = 3 %, at most 10,000'),
  })
  .describe('A bracket [from, to) of a ladder');
export type RebateBracket = z.infer<typeof RebateBracket>;

const TierCode = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a tier code');

export const RebateLadders = z
  .strictObject({
    default: z
      .array(RebateBracket)
      .nullable()
      .describe(
        'The ladder of dealers whose tier has none of its own; null: they are not in the program',
      ),
    tiers: z
      .record(TierCode, z.array(RebateBracket))
      .default({})
      .describe('A ladder per published tier code'),
  })
  .describe(
    'A dealer uses the ladder of its published tier, else the default ladder, else is not in the program. Brackets sorted, contiguous, the last open.',
  );
export type RebateLadders = z.infer<typeof RebateLadders>;

const ProgramCode = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,39}$/,
    'lower-case letters, digits, _ or -, starting with a letter, at most 40',
  );

export const RebateProgram = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  periodKind: RebatePeriodKind,
  basis: RebateBasis,
  method: RebateMethod,
  ladders: RebateLadders,
  active: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  settlements: z
    .number()
    .int()
    .describe(
      'Settlements made so far; while above 0 the ladders, basis, method and period kind are fixed',
    ),
  closedPeriods: z.array(PeriodKey).describe('Periods with a final settlement, newest first'),
});
export type RebateProgram = z.infer<typeof RebateProgram>;

export const CreateRebateProgram = z.strictObject({
  code: ProgramCode.describe('Unique within the tenant, e.g. q-ladder-2026'),
  name: z.string().trim().min(1).max(100),
  periodKind: RebatePeriodKind,
  basis: RebateBasis,
  method: RebateMethod.describe('Chosen explicitly: there is no default'),
  ladders: RebateLadders,
  active: z.boolean().default(true),
});
export type CreateRebateProgram = z.infer<typeof CreateRebateProgram>;

export const UpdateRebateProgram = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    active: z.boolean().optional(),
    periodKind: RebatePeriodKind.optional(),
    basis: RebateBasis.optional(),
    method: RebateMethod.optional(),
    ladders: RebateLadders.optional(),
  })
  .describe(
    'Name and active may always change; ladders, basis, method and period kind only while the program has no settlement',
  );
export type UpdateRebateProgram = z.infer<typeof UpdateRebateProgram>;

export const RebatePreviewSort = z
  .enum(['code', 'projected_rebate', 'shortfall'])
  .describe(
    'code (default); projected_rebate: largest first; shortfall: closest to the next bracket first',
  );
export type RebatePreviewSort = z.infer<typeof RebatePreviewSort>;

export const RebatePreviewQuery = z.object({
  program: ProgramCode.describe('Program code'),
  period: PeriodKey,
  asOf: IsoMonth.optional().describe(
    'Count sales up to this month (default: the tenant’s latest month with data)',
  ),
  q: z.string().max(100).optional().describe('Dealer code prefix or part of its name'),
  sort: RebatePreviewSort.default('code'),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Page size (1-500)'),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0).describe('Lines to skip'),
});
export type RebatePreviewQuery = z.infer<typeof RebatePreviewQuery>;

export const RebateAmount = z.object({
  amount: Money,
  bracket: z
    .number()
    .int()
    .nullable()
    .describe('Index of the bracket reached; null below the first'),
  rateBasisPoints: z.number().describe('That bracket’s rate (0 when none is reached)'),
  salesFrom: Money.nullable().describe('Sales at which that bracket starts; null below the first'),
});
export type RebateAmount = z.infer<typeof RebateAmount>;

export const RebateNextBracket = z.object({
  bracket: z.number().int(),
  from: z.number().describe('Its start in the ladder’s units'),
  rateBasisPoints: z.number(),
  salesNeeded: Money.describe('Sales in the period at which it is reached'),
  shortfall: Money.describe('salesNeeded − projected sales'),
  rebateAtNext: Money,
  extraRebate: Money.describe('rebateAtNext − the projected rebate'),
});
export type RebateNextBracket = z.infer<typeof RebateNextBracket>;

export const RebateLine = z.object({
  dealer: DealerRef,
  tier: z.string().nullable().describe('The dealer’s published tier (null: none published)'),
  ladder: z.object({
    source: z.enum(['tier', 'default']),
    brackets: z.array(RebateBracket),
  }),
  eligible: z
    .boolean()
    .describe('False when a growth ladder has no previous-period sales to grow from'),
  note: z.string().nullable(),
  salesToDate: Money,
  projectedSales: Money,
  previousSales: Money.nullable().describe('Sales of the previous period of the same kind'),
  current: RebateAmount.describe('The rebate on sales to date'),
  projected: RebateAmount.describe('The rebate on projected sales'),
  next: RebateNextBracket.nullable().describe(
    'The next bracket from the projection; null at the top',
  ),
  alreadyPaid: Money.describe('What earlier settlements of this program and period paid, net'),
  due: Money.describe(
    'What a settlement now would pay: current rebate − already paid (negative: clawback)',
  ),
});
export type RebateLine = z.infer<typeof RebateLine>;

export const RebateTotals = z.object({
  dealers: z.number().int(),
  salesToDate: Money,
  projectedSales: Money,
  currentRebate: Money,
  projectedRebate: Money,
  alreadyPaid: Money,
  due: Money,
});
export type RebateTotals = z.infer<typeof RebateTotals>;

export const RebateProgramRef = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  periodKind: RebatePeriodKind,
  basis: RebateBasis,
  method: RebateMethod,
});
export type RebateProgramRef = z.infer<typeof RebateProgramRef>;

export const RebatePreview = z.object({
  program: RebateProgramRef,
  period: PeriodKey,
  periodFrom: IsoMonth,
  periodTo: IsoMonth,
  previousPeriod: PeriodKey.describe('The period growth is measured against'),
  asOf: IsoMonth.describe('Sales are counted up to this month'),
  monthsElapsed: z.number().int(),
  monthsTotal: z.number().int(),
  projection: z
    .literal('run_rate')
    .describe('Projected sales = sales to date × months in the period / months elapsed'),
  closed: z.boolean().describe('A final settlement closed this period of the program'),
  settlements: z.number().int().describe('Settlements of this program and period so far'),
  totals: RebateTotals.describe('Over every line that matches the filter, in the caller’s scope'),
  items: z.array(RebateLine),
  total: z.number().int().describe('Lines that match the filter'),
  nextOffset: z.number().int().nullable(),
});
export type RebatePreview = z.infer<typeof RebatePreview>;

export const SettleRebates = z.strictObject({
  program: ProgramCode,
  period: PeriodKey,
  final: z
    .boolean()
    .default(false)
    .describe(
      'A final settlement closes the period of the program; it needs the whole period’s data',
    ),
  asOf: IsoMonth.optional().describe(
    'Interim: count sales up to this month (default: latest data)',
  ),
});
export type SettleRebates = z.infer<typeof SettleRebates>;

export const RebateSettlementBatch = z.object({
  period: PeriodKey,
  seq: z.number().int().describe('1 for the first settlement of the program and period, then 2, …'),
  final: z.boolean(),
  asOf: IsoMonth,
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  dealers: z.number().int(),
  rebate: Money,
  alreadyPaid: Money,
  due: Money,
  clawbacks: z.number().int().describe('Dealers who were paid more than they earned'),
});
export type RebateSettlementBatch = z.infer<typeof RebateSettlementBatch>;

export const RebateSkippedDealer = z.object({ dealer: DealerRef, reason: z.string() });

export const RebateSettlementResult = z.object({
  program: RebateProgramRef,
  batch: RebateSettlementBatch,
  skipped: z.array(RebateSkippedDealer).describe('Dealers of the program not settled, and why'),
  ledger: z.object({ from: z.number().int(), count: z.number().int() }),
});
export type RebateSettlementResult = z.infer<typeof RebateSettlementResult>;

export const RebateSettlementLine = z.object({
  id: z.number().int(),
  period: PeriodKey,
  seq: z.number().int(),
  final: z.boolean(),
  asOf: IsoMonth,
  dealer: DealerRef,
  tier: z.string().nullable(),
  sales: Money,
  previousSales: Money.nullable(),
  bracket: z.number().int().nullable(),
  rateBasisPoints: z.number(),
  rebate: Money,
  alreadyPaid: Money,
  due: Money,
  clawback: z.boolean(),
});
export type RebateSettlementLine = z.infer<typeof RebateSettlementLine>;

export const RebateSettlementQuery = z.object({
  program: ProgramCode,
  period: PeriodKey.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Page size (1-500)'),
  cursor: Cursor,
});
export type RebateSettlementQuery = z.infer<typeof RebateSettlementQuery>;

export const RebateSettlementPage = z.object({
  program: RebateProgramRef,
  batches: z
    .array(RebateSettlementBatch)
    .describe('Each settlement, newest first, summed over the caller’s dealers'),
  items: z.array(RebateSettlementLine),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type RebateSettlementPage = z.infer<typeof RebateSettlementPage>;

export const PortalRebate = z.object({
  program: RebateProgramRef,
  period: PeriodKey,
  asOf: IsoMonth,
  monthsElapsed: z.number().int(),
  monthsTotal: z.number().int(),
  projection: z.literal('run_rate'),
  line: RebateLine.omit({ dealer: true }),
});
export type PortalRebate = z.infer<typeof PortalRebate>;

export const PortalRebates = z.object({
  asOf: IsoMonth.nullable().describe('The latest month with data; null before any'),
  items: z.array(PortalRebate).describe('One per active program the dealer is in'),
});
export type PortalRebates = z.infer<typeof PortalRebates>;
