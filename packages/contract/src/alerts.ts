import { z } from 'zod';
import { Cursor, Id, IsoDate, IsoMonth, Limit, Money } from './common.js';
import { Role } from './identity.js';

/** Monitoring and early warning (PRODUCT §5): alert rules, alerts, their diagnosis and history. */

export const AlertSeverity = z
  .enum(['info', 'warning', 'critical'])
  .describe('How urgent: info < warning < critical');
export type AlertSeverity = z.infer<typeof AlertSeverity>;

export const AlertStatus = z
  .enum(['open', 'acknowledged', 'resolved', 'dismissed'])
  .describe(
    'open → acknowledged → resolved (by hand or when the condition clears), or dismissed with a reason',
  );
export type AlertStatus = z.infer<typeof AlertStatus>;

export const Bilingual = z
  .object({ zh: z.string(), en: z.string() })
  .describe('A text in Chinese (zh-CN) and English');
export type Bilingual = z.infer<typeof Bilingual>;

const Periods = (max: number) =>
  z.number().int().min(1).max(max).describe(`Consecutive months, 1-${max}`);
const MeasureKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'a measure key such as sales_amount')
  .describe('A dealer-month measure (GET /api/v1/alerts/rules/catalogue lists them)');

export const MissedTargetParams = z.strictObject({
  periods: Periods(12).default(3),
  below: z
    .number()
    .min(0.1)
    .max(2)
    .default(0.85)
    .describe('A month is missed below this share of its target (1 = 100 %)'),
  overall: z
    .number()
    .min(0.1)
    .max(2)
    .default(0.85)
    .describe('…and the run as a whole must be below this share of its targets'),
  seasonal: z
    .boolean()
    .default(true)
    .describe(
      'Scale each target by the rest of the channel’s achievement when the channel as a whole missed (a holiday)',
    ),
});
export const DeclineParams = z.strictObject({
  measure: MeasureKey.default('sales_amount'),
  percent: z.number().min(1).max(100).describe('The fall that counts, percent (20 = −20 %)'),
  periods: Periods(12).default(2),
  compare: z
    .enum(['mom', 'yoy', 'baseline'])
    .describe(
      'mom: against the window just before; yoy: against the same months a year earlier; baseline: each month against the dealer’s own level over the months before the run',
    ),
  window: z
    .number()
    .int()
    .min(1)
    .max(12)
    .default(1)
    .describe('Months summed per point (3 = rolling quarters); mom and yoy only'),
  baseline: z
    .number()
    .int()
    .min(3)
    .max(24)
    .optional()
    .describe('baseline only: months before the run whose mean is the dealer’s level (default 6)'),
  swing: z
    .number()
    .min(0)
    .max(5)
    .optional()
    .describe(
      'baseline only: the fall must also exceed this many times the dealer’s usual month-to-month swing (0 = percent alone)',
    ),
  seasonal: z
    .boolean()
    .default(false)
    .describe(
      'Divide each month by the channel’s seasonal index first (the Spring Festival is not a fall)',
    ),
});
export const ThresholdParams = z.strictObject({
  measure: MeasureKey,
  op: z.enum(['<', '<=', '>', '>=']),
  value: z.number().describe('Money in minor units, ratios as decimals (0.8 = 80 %)'),
  periods: Periods(12).default(1),
});
export const AnomalyParams = z.strictObject({
  measure: MeasureKey.default('sales_amount'),
  k: z.number().min(1).max(10).default(2).describe('Robust standard deviations below expected'),
  periods: Periods(6).default(2),
  baseline: z
    .number()
    .int()
    .min(6)
    .max(36)
    .default(12)
    .describe('Months of history that set the level'),
  minDrop: z
    .number()
    .min(0)
    .max(100)
    .default(30)
    .describe('And at least this shortfall against expected, percent'),
});
export const LicenceExpiryParams = z.strictObject({
  days: z
    .number()
    .int()
    .min(0)
    .max(3650)
    .describe('Expires within this many days (expired: critical)'),
});
export const NearExpiryParams = z.strictObject({
  share: z
    .number()
    .min(0)
    .max(1)
    .describe('Near-expiry share of month-end stock value (0.3 = 30 %)'),
  periods: Periods(12).default(1),
  minValue: Money.min(0).default(0).describe('And at least this near-expiry value'),
});
export const StockoutParams = z.strictObject({
  days: z
    .number()
    .min(0.5)
    .max(365)
    .describe('Days of cover (stock ÷ daily sales of the last 30 days) below this'),
  minQuantity: z
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('Only SKUs that sold at least this many units in those 30 days'),
});
export const CollectionOverdueParams = z.strictObject({
  days: z.number().int().min(0).max(3650).describe('More than this many days past the due date'),
  minAmount: Money.min(0).describe('And at least this much unpaid'),
});

const RuleCode = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,47}$/,
    'lower-case letters, digits and _, starting with a letter, at most 48',
  )
  .describe('Stable key of the rule within the tenant');

const RuleBase = {
  code: RuleCode,
  name: z.string().trim().min(1).max(80).describe('Shown to people, e.g. 销售额环比连续下滑'),
  description: z.string().max(500).optional(),
  severity: AlertSeverity,
  enabled: z.boolean().default(true),
};

/** A rule document: JSON, versioned by the server, evaluated by core. */
export const AlertRuleDocument = z
  .discriminatedUnion('kind', [
    z.strictObject({ ...RuleBase, kind: z.literal('missed_target'), params: MissedTargetParams }),
    z.strictObject({ ...RuleBase, kind: z.literal('decline'), params: DeclineParams }),
    z.strictObject({ ...RuleBase, kind: z.literal('threshold'), params: ThresholdParams }),
    z.strictObject({ ...RuleBase, kind: z.literal('anomaly'), params: AnomalyParams }),
    z.strictObject({ ...RuleBase, kind: z.literal('licence_expiry'), params: LicenceExpiryParams }),
    z.strictObject({
      ...RuleBase,
      kind: z.literal('near_expiry_inventory'),
      params: NearExpiryParams,
    }),
    z.strictObject({ ...RuleBase, kind: z.literal('stockout_risk'), params: StockoutParams }),
    z.strictObject({
      ...RuleBase,
      kind: z.literal('collection_overdue'),
      params: CollectionOverdueParams,
    }),
  ])
  .describe('An alert rule (docs/alerts.md): code, name, kind, params, severity, enabled');
export type AlertRuleDocument = z.infer<typeof AlertRuleDocument>;

export const AlertRuleVersion = z.object({
  id: z.number().int(),
  code: z.string(),
  version: z.number().int(),
  document: AlertRuleDocument,
  note: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string().describe('ISO timestamp'),
});
export type AlertRuleVersion = z.infer<typeof AlertRuleVersion>;

export const AlertRuleSummary = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  severity: AlertSeverity,
  enabled: z.boolean(),
  version: z.number().int().describe('The latest version, the one evaluated'),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
  openAlerts: z
    .number()
    .int()
    .describe('Open or acknowledged alerts of this rule in the caller’s scope'),
});
export type AlertRuleSummary = z.infer<typeof AlertRuleSummary>;

export const SaveAlertRule = z.strictObject({
  document: z.unknown().describe('An alert rule document'),
  note: z.string().max(500).default('').describe('What changed and why'),
});
export const SetAlertRuleEnabled = z.strictObject({
  enabled: z.boolean(),
  note: z.string().max(500).default(''),
});

export const AlertRulePreviewRequest = z.strictObject({
  document: z.unknown().describe('A rule document, saved or not'),
  from: IsoMonth,
  to: IsoMonth,
  limit: z.number().int().min(0).max(200).default(20).describe('Dealers listed per month'),
});
export const AlertRulePreview = z.object({
  rule: AlertRuleDocument,
  months: z.array(
    z.object({
      month: IsoMonth,
      raised: z.number().int().describe('Dealers the rule holds for as of that month'),
      dealers: z.array(
        z.object({
          id: z.number().int(),
          code: z.string(),
          name: z.string(),
          severity: AlertSeverity,
          title: z.string(),
          summary: z.string(),
        }),
      ),
    }),
  ),
  dealersEvaluated: z.number().int(),
  dealersRaised: z.number().int().describe('Dealers raised in at least one month'),
  elapsedMs: z.number(),
});
export type AlertRulePreview = z.infer<typeof AlertRulePreview>;

export const EvaluateAlertsRequest = z.strictObject({
  asOf: IsoMonth.optional().describe(
    'Month to judge; the last complete month with data when absent',
  ),
  dealerIds: z.array(Id).max(10_000).optional().describe('Only these dealers; all when absent'),
});
export const AlertEvaluation = z.object({
  asOf: IsoMonth,
  day: IsoDate.describe('The day time rules count from'),
  rules: z.number().int(),
  dealers: z.number().int(),
  opened: z.number().int(),
  reopened: z.number().int(),
  updated: z.number().int(),
  escalated: z.number().int(),
  resolved: z.number().int(),
  unchanged: z.number().int(),
  notices: z.number().int().describe('Notifications queued'),
  elapsedMs: z.number(),
});
export type AlertEvaluation = z.infer<typeof AlertEvaluation>;

export const EvidencePoint = z.object({
  month: IsoMonth,
  value: z.number(),
  reference: z.number().nullable(),
  referenceKind: z.enum(['target', 'previous', 'year_ago', 'expected', 'threshold']),
  change: z.number().nullable(),
  adjustedChange: z.number().nullable().optional(),
  z: z.number().nullable().optional(),
});
export const EvidenceItem = z.object({
  label: z.string(),
  date: z.string().nullable(),
  days: z.number().nullable(),
  amount: z.number().nullable(),
  quantity: z.number().nullable(),
});
export const AlertEvidence = z
  .object({
    summary: Bilingual,
    measure: z.string().nullable(),
    points: z.array(EvidencePoint),
    items: z.array(EvidenceItem),
  })
  .describe('The numbers that made the rule hold');
export type AlertEvidence = z.infer<typeof AlertEvidence>;

const SalesCell = z.object({ sales: Money, quantity: z.number() });
export const AlertDiagnosis = z
  .object({
    windows: z.object({ current: z.array(IsoMonth), baseline: z.array(IsoMonth) }),
    current: SalesCell,
    baseline: SalesCell,
    change: Money,
    changePercent: z.number().nullable(),
    decomposition: z
      .object({ volume: Money, price: Money, mix: Money })
      .describe('Price-volume-mix over categories: volume + price + mix = change exactly'),
    categories: z.array(
      z.object({
        category: z.string(),
        current: Money,
        baseline: Money,
        change: Money,
        changePercent: z.number().nullable(),
        share: z.number().nullable(),
        currentQuantity: z.number(),
        baselineQuantity: z.number(),
      }),
    ),
    outlets: z.array(
      z.object({
        code: z.string().nullable(),
        name: z.string().nullable(),
        kind: z.enum(['outlet', 'no_outlet', 'others']),
        current: Money,
        baseline: Money,
        change: Money,
        lost: z.boolean(),
        share: z.number().nullable(),
      }),
    ),
    lostOutlets: z.number().int(),
    region: z
      .object({
        code: z.string(),
        name: z.string(),
        current: Money,
        baseline: Money,
        changePercent: z.number().nullable(),
      })
      .nullable()
      .describe('The other dealers of the dealer’s province over the same months'),
    signals: z.object({
      complaints: z.object({
        current: z.number().int(),
        baseline: z.number().int(),
        topics: z.array(z.object({ topic: z.string(), count: z.number().int() })),
      }),
      stock: z
        .object({ value: Money, nearExpiryValue: Money, nearExpiryShare: z.number().nullable() })
        .nullable(),
      payments: z.object({
        invoiced: Money,
        paid: Money,
        overdue: Money,
        collectionRatio: z.number().nullable(),
      }),
      visits: z.object({ current: z.number().int(), baseline: z.number().int() }),
      orderingOutlets: z.object({ current: z.number().int(), baseline: z.number().int() }),
    }),
    findings: z.array(Bilingual),
    actions: z.array(Bilingual).describe('Suggested actions'),
  })
  .describe('The diagnostic report of a sales alert');
export type AlertDiagnosis = z.infer<typeof AlertDiagnosis>;

export const AlertDealer = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  region: z.object({ code: z.string(), name: z.string() }).nullable(),
});

export const AlertSummary = z.object({
  id: z.number().int(),
  rule: z.object({ code: z.string(), name: z.string(), version: z.number().int() }),
  kind: z.string(),
  severity: AlertSeverity,
  status: AlertStatus,
  dealer: AlertDealer,
  owner: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  title: z.string().describe('One line, zh-CN'),
  titleEn: z.string(),
  month: IsoMonth.describe('The data month of the latest evaluation'),
  openedAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().nullable(),
});
export type AlertSummary = z.infer<typeof AlertSummary>;

export const AlertListQuery = z.object({
  severity: AlertSeverity.optional(),
  status: z
    .enum(['open', 'acknowledged', 'resolved', 'dismissed', 'active'])
    .optional()
    .describe('active = open or acknowledged'),
  region: z.string().max(40).optional().describe('Region code: dealers in that region or below'),
  owner: z
    .string()
    .regex(/^(me|none|\d{1,15})$/, 'me, none or a user id')
    .optional()
    .describe('me, none, or a user id'),
  rule: z.string().max(48).optional().describe('Rule code'),
  dealer: Id.optional(),
  limit: Limit,
  cursor: Cursor,
});
export type AlertListQuery = z.infer<typeof AlertListQuery>;

const Counts = <T extends z.ZodEnum>(e: T) => z.record(e, z.number().int());
export const AlertPage = z.object({
  items: z.array(AlertSummary),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
  totals: z
    .object({
      severity: Counts(AlertSeverity),
      status: Counts(AlertStatus),
    })
    .describe(
      'Counts per severity (with the other filters) and per status (with the other filters)',
    ),
});
export type AlertPage = z.infer<typeof AlertPage>;

export const AlertEventKind = z.enum([
  'opened',
  'updated',
  'escalated',
  'acknowledged',
  'commented',
  'assigned',
  'resolved',
  'dismissed',
  'reopened',
]);
export const AlertEvent = z.object({
  id: z.number().int(),
  kind: AlertEventKind,
  actor: z.object({ kind: z.string(), name: z.string() }),
  text: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
  at: z.string(),
});
export type AlertEvent = z.infer<typeof AlertEvent>;

export const AlertDetail = AlertSummary.extend({
  evidence: AlertEvidence,
  diagnosis: AlertDiagnosis.nullable(),
  events: z.array(AlertEvent).describe('History, oldest first'),
  series: z
    .array(
      z.object({
        month: IsoMonth,
        sales: Money,
        quantity: z.number(),
        target: Money.nullable(),
      }),
    )
    .describe('The dealer’s last 24 months, for a chart'),
  resolution: z.string().nullable().describe('The dismissal reason or the resolution note'),
});
export type AlertDetail = z.infer<typeof AlertDetail>;

export const AcknowledgeAlert = z.strictObject({ comment: z.string().trim().max(2000).optional() });
export const ResolveAlert = z.strictObject({ note: z.string().trim().max(2000).optional() });
export const DismissAlert = z.strictObject({
  reason: z.string().trim().min(5, 'give a reason of at least 5 characters').max(2000),
});
export const CommentAlert = z.strictObject({ text: z.string().trim().min(1).max(2000) });
export const AssignAlert = z.strictObject({
  ownerUserId: Id.nullable().describe(
    'An admin or a channel manager who sees the dealer; null: nobody',
  ),
});

export const AlertAssigneeQuery = z.object({
  dealerId: Id.optional().describe(
    'Only the users who may own an alert of this dealer (those whose scope covers it); the dealer must be in the caller’s scope',
  ),
});
export type AlertAssigneeQuery = z.infer<typeof AlertAssigneeQuery>;

/** A user who may own alerts: active, holds alerts:manage. No login: only the name is shown. */
export const AlertAssignee = z.object({
  id: z.number().int().describe('The user id to pass as ownerUserId'),
  name: z.string().describe('Display name'),
  role: Role,
});
export type AlertAssignee = z.infer<typeof AlertAssignee>;

export const AlertAssigneeList = z.object({
  items: z.array(AlertAssignee).describe('By name, then id'),
});
export type AlertAssigneeList = z.infer<typeof AlertAssigneeList>;

export const HealthBand = z.enum(['green', 'yellow', 'red']);
export const DealerHealth = z.object({
  dealer: AlertDealer,
  band: HealthBand,
  reasons: z.array(Bilingual),
  trend: z
    .number()
    .nullable()
    .describe('Sales of the last 3 months against a year earlier, minus 1'),
  updatedAt: z
    .string()
    .nullable()
    .describe('When the band was last computed; null: never evaluated'),
  openAlerts: z.array(AlertSummary),
});
export type DealerHealth = z.infer<typeof DealerHealth>;

export const PortalAlert = z.object({
  id: z.number().int(),
  severity: AlertSeverity,
  status: AlertStatus,
  title: z.string(),
  titleEn: z.string(),
  month: IsoMonth,
  openedAt: z.string(),
  summary: Bilingual,
});
export type PortalAlert = z.infer<typeof PortalAlert>;

export const AlertCatalogue = z.object({
  kinds: z.array(z.string()),
  severities: z.array(AlertSeverity),
  measures: z.array(
    z.object({
      key: z.string(),
      name: Bilingual,
      unit: z.string(),
      flow: z.boolean(),
      definition: z.string(),
    }),
  ),
  defaults: z.array(AlertRuleDocument).describe('The default rule set of a new tenant'),
});
export type AlertCatalogue = z.infer<typeof AlertCatalogue>;
