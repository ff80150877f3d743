import { sql, type Kysely, type SqlBool } from 'kysely';
import {
  notFound,
  type AssessmentResult,
  type DealerState,
  type TierGap as CoreTierGap,
  type TierOverride,
} from '@tierline/core';
import type {
  AssessedMetric,
  Contribution,
  Decision,
  DecisionPage,
  OverrideKind,
  RunSummary,
  TierGap,
} from '@tierline/contract';
import type { Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { dealerScopeCondition } from '../dealers/dealer-scope.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';

export interface RunRow {
  id: number;
  policy_id: number;
  policy_name: string;
  policy_version: number;
  period: string;
  period_from: string;
  period_to: string;
  status: 'draft' | 'approved' | 'published' | 'discarded';
  dealer_count: number;
  counts: Record<string, number>;
  changed: number;
  overrides: number;
  metrics: AssessedMetric[];
  tier_min_scores: Record<string, number | null>;
  review: boolean;
  previous_run_id: number | null;
  created_by: string | null;
  created_by_user: number | null;
  created_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
  published_by: string | null;
  published_at: Date | null;
}

function runs(db: Kysely<Database>, tenantId: number) {
  return db
    .selectFrom('assessment_run as r')
    .innerJoin('tier_policy as p', (j) =>
      j.onRef('p.tenant_id', '=', 'r.tenant_id').onRef('p.id', '=', 'r.policy_id'),
    )
    .where('r.tenant_id', '=', tenantId)
    .select([
      'r.id',
      'r.policy_id',
      'p.name as policy_name',
      'p.version as policy_version',
      'r.period',
      sql<string>`to_char(r.period_from, 'YYYY-MM')`.as('period_from'),
      sql<string>`to_char(r.period_to, 'YYYY-MM')`.as('period_to'),
      'r.status',
      'r.dealer_count',
      'r.counts',
      'r.changed',
      'r.overrides',
      'r.metrics',
      'r.tier_min_scores',
      'r.review',
      'r.previous_run_id',
      'r.created_by',
      'r.created_by_user',
      'r.created_at',
      'r.approved_by',
      'r.approved_at',
      'r.published_by',
      'r.published_at',
    ]);
}

export function toRunSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    period: row.period,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    policy: { id: row.policy_id, name: row.policy_name, version: row.policy_version },
    status: row.status,
    dealerCount: row.dealer_count,
    counts: row.counts,
    changed: row.changed,
    overrides: row.overrides,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    approvedBy: row.approved_by,
    approvedAt: row.approved_at?.toISOString() ?? null,
    publishedBy: row.published_by,
    publishedAt: row.published_at?.toISOString() ?? null,
  };
}

export async function findRun(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<RunRow | undefined> {
  return (await runs(db, tenantId).where('r.id', '=', id).executeTakeFirst()) as RunRow | undefined;
}

export async function getRun(db: Kysely<Database>, tenantId: number, id: number): Promise<RunRow> {
  const run = await findRun(db, tenantId, id);
  if (!run) throw notFound('Assessment run', id);
  return run;
}

/** The run of a policy version for a period, if any (runs are unique per the pair). */
export async function findRunFor(
  db: Kysely<Database>,
  tenantId: number,
  policyId: number,
  period: string,
): Promise<RunRow | undefined> {
  return (await runs(db, tenantId)
    .where('r.policy_id', '=', policyId)
    .where('r.period', '=', period)
    .executeTakeFirst()) as RunRow | undefined;
}

/** Runs, newest period first, optionally only one period or status. */
export async function listRuns(
  db: Kysely<Database>,
  tenantId: number,
  filter: { period?: string | undefined; status?: string | undefined },
): Promise<RunRow[]> {
  let qb = runs(db, tenantId);
  if (filter.period) qb = qb.where('r.period', '=', filter.period);
  if (filter.status) qb = qb.where('r.status', '=', filter.status as RunRow['status']);
  return (await qb
    .orderBy('r.period_to', 'desc')
    .orderBy('r.id', 'desc')
    .limit(200)
    .execute()) as RunRow[];
}

/** The latest published run that ends before `before` ('YYYY-MM'), if any. */
export async function latestPublishedBefore(
  db: Kysely<Database>,
  tenantId: number,
  before: string,
): Promise<RunRow | undefined> {
  return (await runs(db, tenantId)
    .where('r.status', '=', 'published')
    .where('r.period_to', '<', `${before}-01`)
    .orderBy('r.period_to', 'desc')
    .limit(1)
    .executeTakeFirst()) as RunRow | undefined;
}

/** A published run that ends in or after `from` ('YYYY-MM'): publishing before it would rewrite history. */
export async function publishedFrom(
  db: Kysely<Database>,
  tenantId: number,
  from: string,
): Promise<RunRow | undefined> {
  return (await runs(db, tenantId)
    .where('r.status', '=', 'published')
    .where('r.period_to', '>=', `${from}-01`)
    .orderBy('r.period_to', 'desc')
    .limit(1)
    .executeTakeFirst()) as RunRow | undefined;
}

/**
 * Each dealer's state after the latest published decision that ends before `before`. When
 * nothing is published from `before` on — the usual case, assessing the next period — that is
 * `dealer_tier`, one row per dealer; otherwise (re-assessing or simulating an earlier period)
 * it is found among the decisions of every published run.
 */
export async function loadPreviousStates(
  db: Kysely<Database>,
  tenantId: number,
  before: string,
): Promise<Map<number, DealerState>> {
  type Row = {
    dealer_id: number;
    tier: string;
    standing: DealerState['standing'];
    periods_below: number;
    periods_at_bottom: number;
  };
  const rows = (await publishedFrom(db, tenantId, before))
    ? await sql<Row>`
        select distinct on (d.dealer_id) d.dealer_id, d.tier, d.standing, d.periods_below,
          d.periods_at_bottom
        from tier_decision d
        join assessment_run r on r.tenant_id = d.tenant_id and r.id = d.run_id
        where d.tenant_id = ${tenantId} and r.status = 'published'
          and r.period_to < ${`${before}-01`}::date
        order by d.dealer_id, r.period_to desc`.execute(db)
    : await sql<Row>`
        select dealer_id, tier, standing, periods_below, periods_at_bottom
        from dealer_tier where tenant_id = ${tenantId}`.execute(db);
  return new Map(
    rows.rows.map((r) => [
      r.dealer_id,
      {
        tier: r.tier,
        standing: r.standing,
        periodsBelow: r.periods_below,
        periodsAtBottom: r.periods_at_bottom,
      },
    ]),
  );
}

/** Overrides in force for a run of a period ending `periodTo` ('YYYY-MM'), latest per dealer. */
export async function loadOverrides(
  db: Kysely<Database>,
  tenantId: number,
  runId: number | null,
  periodTo: string,
): Promise<Map<number, TierOverride>> {
  const rows = await db
    .selectFrom('tier_override')
    .select(['dealer_id', 'kind', 'tier', 'reason', 'until_month'])
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'once'), eb('run_id', '=', runId ?? -1)]),
        eb.and([
          eb('kind', '!=', 'once'),
          eb.or([eb('until_month', 'is', null), eb('until_month', '>=', periodTo)]),
        ]),
      ]),
    )
    .orderBy('id')
    .execute();
  return new Map(
    rows.map((r) => [
      r.dealer_id,
      { kind: r.kind, tier: r.tier, reason: r.reason, until: r.until_month },
    ]),
  );
}

/** Who set each override of a run's decisions (for display). */
export async function overrideAuthors(
  db: Kysely<Database>,
  tenantId: number,
  dealerIds: readonly number[],
): Promise<Map<number, string | null>> {
  if (dealerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('tier_override')
    .select(['dealer_id', 'created_by'])
    .where('tenant_id', '=', tenantId)
    .where('dealer_id', 'in', dealerIds)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
  return new Map(rows.map((r) => [r.dealer_id, r.created_by]));
}

/** A number kept to 8 significant digits (NaN and ±Infinity as null), for compact JSON. */
export const significant = (v: number | null): number | null =>
  v === null || !Number.isFinite(v) ? null : Number(v.toPrecision(8));

/**
 * How a decision's explanation is stored: compact, because at 100,000 dealers the size of the
 * JSON is most of the cost of saving a run (see docs/scoring.md, "Storage").
 * - contributions: one `[value, normalised]` per metric of the run, in the order of the run's
 *   `metrics`. The rest follows from the run's metrics, exactly as the engine computes it: a
 *   null value is missing (the metric's rule applies); a metric excluded for missing data has
 *   share 0 and the others share its weight in proportion; points = 100 · share · normalised,
 *   cut to the metric's cap.
 * - gap: `{ t: tier, m: minScore, p: pointsNeeded, g: failed gates, r: [[metric index, to,
 *   exclusive 0|1], …] }`; a route's `from` is the metric's value.
 */
type StoredContribution = [number | null, number | null];
interface StoredGap {
  t: string;
  m: number;
  p: number;
  g: TierGap['gates'];
  r: [number, number, 0 | 1][];
}

function encodeContributions(result: AssessmentResult, d: number): StoredContribution[] {
  const c = result.columns;
  return result.metrics.map((_, j) => [
    significant(c.value[j]![d]!),
    significant(c.normalised[j]![d]!),
  ]);
}

function encodeGap(result: AssessmentResult, d: number): StoredGap | null {
  const head = result.decisions[d]?.gap;
  if (!head) return null;
  const c = result.columns;
  const routes: StoredGap['r'] = [];
  result.metrics.forEach((_, j) => {
    const to = c.gapTo[j]![d]!;
    if (!Number.isNaN(to))
      routes.push([j, significant(to) ?? 0, c.gapExclusive[j]![d] === 1 ? 1 : 0]);
  });
  return {
    t: head.tier,
    m: significant(head.minScore) ?? 0,
    p: significant(head.pointsNeeded) ?? 0,
    g: head.gates,
    r: routes,
  };
}

export function decodeContributions(
  stored: unknown[],
  metrics: readonly AssessedMetric[],
): Contribution[] {
  const rows = stored as StoredContribution[];
  const excluded = (j: number) => rows[j]?.[0] === null && metrics[j]?.missing === 'exclude';
  let kept = 0;
  metrics.forEach((m, j) => {
    if (!excluded(j)) kept += m.weight;
  });
  return rows.map(([value, normalised], j) => {
    const metric = metrics[j];
    const weight = metric && !excluded(j) && kept > 0 ? metric.weight / kept : 0;
    const raw = normalised === null ? 0 : 100 * weight * normalised;
    const capped = metric?.cap != null && raw > metric.cap;
    return {
      metric: metric?.key ?? `#${j}`,
      value,
      normalised,
      weight,
      points: capped ? metric.cap! : raw,
      missing: value === null ? (metric?.missing ?? null) : null,
      capped,
    };
  });
}

export function decodeGap(
  stored: unknown,
  metrics: readonly AssessedMetric[],
  contributions: readonly Contribution[],
): TierGap | null {
  if (!stored) return null;
  const gap = stored as StoredGap;
  return {
    tier: gap.t,
    minScore: gap.m,
    pointsNeeded: gap.p,
    gates: gap.g,
    metrics: gap.r.map(([j, to, exclusive]) => ({
      metric: metrics[j]?.key ?? `#${j}`,
      from: contributions[j]?.value ?? null,
      to,
      exclusive: exclusive === 1,
    })),
  };
}

function roundGap(gap: CoreTierGap | null): TierGap | null {
  if (!gap) return null;
  return {
    ...gap,
    minScore: significant(gap.minScore) ?? 0,
    pointsNeeded: significant(gap.pointsNeeded) ?? 0,
    metrics: gap.metrics.map((m) => ({
      ...m,
      from: significant(m.from),
      to: significant(m.to) ?? 0,
    })),
  };
}

/** Replace a draft run's decisions (in chunks, so any number of dealers fits). */
export async function replaceDecisions(
  db: Kysely<Database>,
  tenantId: number,
  runId: number,
  result: AssessmentResult,
  overrideBy: ReadonlyMap<number, string | null>,
): Promise<void> {
  const decisions = result.decisions;
  await db
    .deleteFrom('tier_decision')
    .where('tenant_id', '=', tenantId)
    .where('run_id', '=', runId)
    .execute();
  // One JSON document per 5,000 decisions, unpacked by json_to_recordset in the database (a
  // multi-row INSERT binds 19 parameters a row, several times slower on PGlite); each
  // explanation travels as a string and is stored as json, not jsonb: converting 100,000
  // explanations to jsonb took longer than the assessment itself.
  const chunk = 5000;
  for (let i = 0; i < decisions.length; i += chunk) {
    const rows = decisions.slice(i, i + chunk).map((d, k) => ({
      dealer_id: d.dealerId,
      score: significant(d.score) ?? 0,
      rank: d.rank,
      score_tier: d.scoreTier,
      candidate_tier: d.candidateTier,
      previous_tier: d.previousTier,
      tier: d.tier,
      standing: d.standing,
      periods_below: d.periodsBelow,
      periods_at_bottom: d.periodsAtBottom,
      reasons: d.reasons,
      contributions: JSON.stringify(encodeContributions(result, i + k)),
      gap: d.gap ? JSON.stringify(encodeGap(result, i + k)) : null,
      hold: d.hold ? JSON.stringify(roundGap(d.hold)) : null,
      override_kind: d.override?.kind ?? null,
      override_reason: d.override?.reason ?? null,
      override_by: d.override ? (overrideBy.get(d.dealerId) ?? null) : null,
    }));
    await sql`
      insert into tier_decision (tenant_id, run_id, dealer_id, score, rank, score_tier,
        candidate_tier, previous_tier, tier, standing, periods_below, periods_at_bottom, reasons,
        contributions, gap, hold, override_kind, override_reason, override_by)
      select ${tenantId}, ${runId}, x.dealer_id, x.score, x.rank, x.score_tier, x.candidate_tier,
        x.previous_tier, x.tier, x.standing, x.periods_below, x.periods_at_bottom, x.reasons,
        x.contributions::json, x.gap::json, x.hold::json, x.override_kind, x.override_reason,
        x.override_by
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(dealer_id bigint,
        score double precision, rank integer, score_tier text, candidate_tier text,
        previous_tier text, tier text, standing text, periods_below integer,
        periods_at_bottom integer, reasons text[], contributions text, gap text, hold text,
        override_kind text, override_reason text, override_by text)`.execute(db);
  }
}

export interface DecisionRow {
  run_id: number;
  period: string;
  dealer_id: number;
  dealer_code: string;
  dealer_name: string;
  score: number;
  rank: number;
  score_tier: string;
  candidate_tier: string;
  previous_tier: string | null;
  tier: string;
  standing: Decision['standing'];
  periods_below: number;
  periods_at_bottom: number;
  reasons: string[];
  contributions: unknown[];
  gap: unknown;
  hold: TierGap | null;
  override_kind: OverrideKind | null;
  override_reason: string | null;
  override_by: string | null;
}

function decisions(db: Kysely<Database>, tenantId: number, scope: DealerScope) {
  let qb = db
    .selectFrom('tier_decision as td')
    .innerJoin('assessment_run as r', (j) =>
      j.onRef('r.tenant_id', '=', 'td.tenant_id').onRef('r.id', '=', 'td.run_id'),
    )
    .innerJoin('dealer', (j) =>
      j.onRef('dealer.tenant_id', '=', 'td.tenant_id').onRef('dealer.id', '=', 'td.dealer_id'),
    )
    .where('td.tenant_id', '=', tenantId);
  const inScope = dealerScopeCondition(scope);
  if (inScope) qb = qb.where(inScope);
  return qb;
}

const DECISION_COLUMNS = [
  'td.run_id',
  'r.period',
  'td.dealer_id',
  'dealer.code as dealer_code',
  'dealer.name as dealer_name',
  'td.score',
  'td.rank',
  'td.score_tier',
  'td.candidate_tier',
  'td.previous_tier',
  'td.tier',
  'td.standing',
  'td.periods_below',
  'td.periods_at_bottom',
  'td.reasons',
  'td.contributions',
  'td.gap',
  'td.hold',
  'td.override_kind',
  'td.override_reason',
  'td.override_by',
] as const;

export function toDecision(row: DecisionRow): Decision {
  return {
    runId: row.run_id,
    period: row.period,
    dealer: { id: row.dealer_id, code: row.dealer_code, name: row.dealer_name },
    score: row.score,
    rank: row.rank,
    scoreTier: row.score_tier,
    candidateTier: row.candidate_tier,
    previousTier: row.previous_tier,
    tier: row.tier,
    standing: row.standing,
    reasons: row.reasons as Decision['reasons'],
    override: row.override_kind
      ? { kind: row.override_kind, reason: row.override_reason ?? '', by: row.override_by }
      : null,
  };
}

export interface DecisionFilter {
  tier?: string | undefined;
  standing?: Decision['standing'] | undefined;
  changed?: 'up' | 'down' | 'any' | undefined;
  overridden?: boolean | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** A page of a run's decisions in rank order, inside the caller's dealer scope. */
export async function listDecisions(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  runId: number,
  tierOrder: readonly string[],
  filter: DecisionFilter,
): Promise<DecisionPage> {
  let qb = decisions(db, tenantId, scope).where('td.run_id', '=', runId);
  if (filter.tier) qb = qb.where('td.tier', '=', filter.tier);
  if (filter.standing) qb = qb.where('td.standing', '=', filter.standing);
  if (filter.overridden !== undefined) {
    qb = qb.where('td.override_kind', filter.overridden ? 'is not' : 'is', null);
  }
  if (filter.changed) {
    const position = (column: string) =>
      sql`array_position(${sql.val([...tierOrder])}::text[], ${sql.ref(column)})`;
    const cmp =
      filter.changed === 'up'
        ? sql<SqlBool>`${position('td.tier')} < ${position('td.previous_tier')}`
        : filter.changed === 'down'
          ? sql<SqlBool>`${position('td.tier')} > ${position('td.previous_tier')}`
          : sql<SqlBool>`td.tier <> td.previous_tier`;
    qb = qb.where('td.previous_tier', 'is not', null).where(cmp);
  }
  if (filter.q && filter.q.trim() !== '') {
    const q = filter.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
    qb = qb.where((eb) =>
      eb.or([eb('dealer.code', 'ilike', `${q}%`), eb('dealer.name', 'ilike', `%${q}%`)]),
    );
  }
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let page = qb
    .select(DECISION_COLUMNS)
    .orderBy('td.rank')
    .limit(filter.limit + 1);
  if (filter.cursor) {
    const [rank] = decodeCursor(filter.cursor, ['number'] as const);
    page = page.where('td.rank', '>', rank);
  }
  const rows = (await page.execute()) as DecisionRow[];
  const more = rows.length > filter.limit;
  const items = rows.slice(0, filter.limit).map(toDecision);
  const last = items[items.length - 1];
  return {
    items,
    total: Number(total.n),
    nextCursor: more && last ? encodeCursor([last.rank]) : null,
  };
}

/** One dealer's decision in a run, inside the caller's scope. */
export async function findDecision(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  runId: number,
  dealerId: number,
): Promise<DecisionRow | undefined> {
  return (await decisions(db, tenantId, scope)
    .select(DECISION_COLUMNS)
    .where('td.run_id', '=', runId)
    .where('td.dealer_id', '=', dealerId)
    .executeTakeFirst()) as DecisionRow | undefined;
}

/** A dealer's published decisions, oldest first. */
export async function publishedHistory(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  dealerId: number,
): Promise<DecisionRow[]> {
  return (await decisions(db, tenantId, scope)
    .select(DECISION_COLUMNS)
    .where('td.dealer_id', '=', dealerId)
    .where('r.status', '=', 'published')
    .orderBy('r.period_to')
    .execute()) as DecisionRow[];
}

/** Dealer → tier of the published run of a period, inside the caller's scope. */
export async function publishedTiers(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  period: string,
): Promise<Map<number, string>> {
  const rows = await decisions(db, tenantId, scope)
    .select(['td.dealer_id', 'td.tier'])
    .where('r.status', '=', 'published')
    .where('r.period', '=', period)
    .execute();
  return new Map(rows.map((r) => [r.dealer_id, r.tier]));
}

/** Each dealer's current tier (latest published), inside the caller's scope. */
export async function currentTiers(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
): Promise<{ dealerId: number; tier: string; standing: string; period: string }[]> {
  let qb = db
    .selectFrom('dealer_tier as dt')
    .innerJoin('dealer', (j) =>
      j.onRef('dealer.tenant_id', '=', 'dt.tenant_id').onRef('dealer.id', '=', 'dt.dealer_id'),
    )
    .where('dt.tenant_id', '=', tenantId)
    .select(['dt.dealer_id', 'dt.tier', 'dt.standing', 'dt.period']);
  const inScope = dealerScopeCondition(scope);
  if (inScope) qb = qb.where(inScope);
  const rows = await qb.execute();
  return rows.map((r) => ({
    dealerId: r.dealer_id,
    tier: r.tier,
    standing: r.standing,
    period: r.period,
  }));
}

/** Make a run's decisions the dealers' current tiers. */
export async function applyPublishedRun(
  db: Kysely<Database>,
  tenantId: number,
  runId: number,
): Promise<void> {
  await sql`
    insert into dealer_tier (tenant_id, dealer_id, tier, standing, periods_below, periods_at_bottom,
      score, period, period_to, run_id)
    select d.tenant_id, d.dealer_id, d.tier, d.standing, d.periods_below, d.periods_at_bottom,
      d.score, r.period, r.period_to, r.id
    from tier_decision d join assessment_run r on r.tenant_id = d.tenant_id and r.id = d.run_id
    where d.tenant_id = ${tenantId} and d.run_id = ${runId}
    on conflict (tenant_id, dealer_id) do update set tier = excluded.tier,
      standing = excluded.standing, periods_below = excluded.periods_below,
      periods_at_bottom = excluded.periods_at_bottom, score = excluded.score,
      period = excluded.period, period_to = excluded.period_to, run_id = excluded.run_id`.execute(
    db,
  );
}

/** Up to `limit` decisions of a run after `afterRank`, in rank order, inside the scope. */
export async function decisionBatch(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  runId: number,
  afterRank: number,
  limit: number,
): Promise<DecisionRow[]> {
  return (await decisions(db, tenantId, scope)
    .select(DECISION_COLUMNS)
    .where('td.run_id', '=', runId)
    .where('td.rank', '>', afterRank)
    .orderBy('td.rank')
    .limit(limit)
    .execute()) as DecisionRow[];
}

export interface RunCounts {
  counts: Record<string, number>;
  dealerCount: number;
  changed: number;
  overrides: number;
}

/** Runs' tier counts, changes and overrides over the caller's dealers only, in one query. */
export async function scopedRunCounts(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  runIds: readonly number[],
): Promise<Map<number, RunCounts>> {
  const out = new Map<number, RunCounts>(
    runIds.map((id) => [id, { counts: {}, dealerCount: 0, changed: 0, overrides: 0 }]),
  );
  if (runIds.length === 0) return out;
  const rows = await decisions(db, tenantId, scope)
    .where('td.run_id', 'in', runIds)
    .select((eb) => [
      'td.run_id',
      'td.tier',
      eb.fn.countAll<number>().as('n'),
      sql<number>`count(*) filter (where td.previous_tier is not null and td.previous_tier <> td.tier)`.as(
        'changed',
      ),
      sql<number>`count(*) filter (where td.override_kind is not null)`.as('overrides'),
    ])
    .groupBy(['td.run_id', 'td.tier'])
    .execute();
  for (const r of rows) {
    const run = out.get(r.run_id)!;
    run.counts[r.tier] = Number(r.n);
    run.dealerCount += Number(r.n);
    run.changed += Number(r.changed);
    run.overrides += Number(r.overrides);
  }
  return out;
}
