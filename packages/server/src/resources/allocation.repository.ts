import { sql, type Kysely, type SqlBool } from 'kysely';
import { notFound, type AllocationLine, type TierAllocation } from '@tierline/core';
import type {
  AllocationConfig,
  AllocationDealerLine,
  AllocationLinePage,
  AllocationPurpose,
  AllocationStatus,
  AllocationSummary,
} from '@tierline/contract';
import type { Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { dealerScopeCondition } from '../dealers/dealer-scope.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';

export interface AllocationRow {
  id: number;
  period: string;
  /** 'YYYY-MM'. */
  period_from: string;
  /** 'YYYY-MM'. */
  period_to: string;
  purpose: AllocationPurpose;
  name: string;
  status: AllocationStatus;
  pool: number;
  allocated: number;
  unallocated: number;
  run_id: number;
  run_period: string;
  policy_id: number;
  policy_name: string;
  policy_version: number;
  config: AllocationConfig;
  tiers: TierAllocation[];
  notes: string[];
  claim_deadline: string | null;
  created_by: string | null;
  created_at: Date;
  published_by: string | null;
  published_at: Date | null;
}

function allocations(db: Kysely<Database>, tenantId: number) {
  return db
    .selectFrom('budget_allocation as a')
    .innerJoin('assessment_run as r', (j) =>
      j.onRef('r.tenant_id', '=', 'a.tenant_id').onRef('r.id', '=', 'a.run_id'),
    )
    .innerJoin('tier_policy as p', (j) =>
      j.onRef('p.tenant_id', '=', 'r.tenant_id').onRef('p.id', '=', 'r.policy_id'),
    )
    .where('a.tenant_id', '=', tenantId)
    .select([
      'a.id',
      'a.period',
      sql<string>`to_char(a.period_from, 'YYYY-MM')`.as('period_from'),
      sql<string>`to_char(a.period_to, 'YYYY-MM')`.as('period_to'),
      'a.purpose',
      'a.name',
      'a.status',
      'a.pool',
      'a.allocated',
      'a.unallocated',
      'a.run_id',
      'r.period as run_period',
      'r.policy_id',
      'p.name as policy_name',
      'p.version as policy_version',
      'a.config',
      'a.tiers',
      'a.notes',
      sql<string | null>`to_char(a.claim_deadline, 'YYYY-MM-DD')`.as('claim_deadline'),
      'a.created_by',
      'a.created_at',
      'a.published_by',
      'a.published_at',
    ]);
}

export async function findAllocation(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<AllocationRow | undefined> {
  return (await allocations(db, tenantId).where('a.id', '=', id).executeTakeFirst()) as
    AllocationRow | undefined;
}

/** An allocation by id; throws not-found (also for another tenant's). */
export async function getAllocation(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<AllocationRow> {
  const row = await findAllocation(db, tenantId, id);
  if (!row) throw notFound('Allocation', id);
  return row;
}

/** Allocations, newest period first (at most 500). */
export async function listAllocations(
  db: Kysely<Database>,
  tenantId: number,
  filter: {
    period?: string | undefined;
    purpose?: string | undefined;
    status?: string | undefined;
  },
): Promise<AllocationRow[]> {
  let qb = allocations(db, tenantId);
  if (filter.period) qb = qb.where('a.period', '=', filter.period);
  if (filter.purpose) qb = qb.where('a.purpose', '=', filter.purpose as AllocationPurpose);
  if (filter.status) qb = qb.where('a.status', '=', filter.status as AllocationStatus);
  return (await qb
    .orderBy('a.period_to', 'desc')
    .orderBy('a.id', 'desc')
    .limit(500)
    .execute()) as AllocationRow[];
}

/** The published allocation of a period and purpose, if any (there is at most one). */
export async function publishedFor(
  db: Kysely<Database>,
  tenantId: number,
  period: string,
  purpose: AllocationPurpose,
): Promise<AllocationRow | undefined> {
  return (await allocations(db, tenantId)
    .where('a.period', '=', period)
    .where('a.purpose', '=', purpose)
    .where('a.status', '=', 'published')
    .executeTakeFirst()) as AllocationRow | undefined;
}

/**
 * The latest published allocation of a purpose; with `before` ('YYYY-MM'), the latest whose
 * period ends before that month.
 */
export async function latestPublished(
  db: Kysely<Database>,
  tenantId: number,
  purpose: AllocationPurpose,
  before?: string,
): Promise<AllocationRow | undefined> {
  let qb = allocations(db, tenantId)
    .where('a.purpose', '=', purpose)
    .where('a.status', '=', 'published');
  if (before !== undefined) qb = qb.where('a.period_to', '<', `${before}-01`);
  return (await qb
    .orderBy('a.period_to', 'desc')
    .orderBy('a.id', 'desc')
    .limit(1)
    .executeTakeFirst()) as AllocationRow | undefined;
}

export interface NewAllocation {
  period: string;
  periodFrom: string;
  periodTo: string;
  purpose: AllocationPurpose;
  name: string;
  pool: number;
  allocated: number;
  unallocated: number;
  runId: number;
  config: AllocationConfig;
  tiers: TierAllocation[];
  notes: string[];
  claimDeadline: string | null;
  createdBy: string;
}

/** A draft and its lines (5,000 lines a statement, unpacked by json_to_recordset). */
export async function insertAllocation(
  db: Kysely<Database>,
  tenantId: number,
  a: NewAllocation,
  lines: readonly (AllocationLine & {
    sales: number | null;
    score: number | null;
    target: number | null;
  })[],
): Promise<number> {
  const row = await db
    .insertInto('budget_allocation')
    .values({
      tenant_id: tenantId,
      period: a.period,
      period_from: `${a.periodFrom}-01`,
      period_to: `${a.periodTo}-01`,
      purpose: a.purpose,
      name: a.name,
      pool: a.pool,
      allocated: a.allocated,
      unallocated: a.unallocated,
      run_id: a.runId,
      config: JSON.stringify(a.config),
      tiers: JSON.stringify(a.tiers),
      notes: a.notes,
      claim_deadline: a.claimDeadline,
      status: 'draft',
      created_by: a.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const chunk = 5000;
  for (let i = 0; i < lines.length; i += chunk) {
    const rows = lines.slice(i, i + chunk).map((l) => ({
      dealer_id: l.dealerId,
      tier: l.tier,
      rule: l.rule,
      sales: l.sales,
      score: l.score,
      target: l.target,
      base_weight: l.baseWeight,
      weight: l.weight,
      amount: l.amount,
      floor: l.floor,
      cap: l.cap,
      capped: l.capped,
      floored: l.floored,
      adjustments: JSON.stringify(l.adjustments),
    }));
    await sql`
      insert into budget_allocation_line (tenant_id, allocation_id, dealer_id, tier, rule, sales,
        score, target, base_weight, weight, amount, floor, cap, capped, floored, adjustments)
      select ${tenantId}, ${row.id}, x.dealer_id, x.tier, x.rule, x.sales, x.score, x.target,
        x.base_weight, x.weight, x.amount, x.floor, x.cap, x.capped, x.floored,
        x.adjustments::jsonb
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(dealer_id bigint, tier text,
        rule text, sales bigint, score double precision, target bigint,
        base_weight double precision, weight double precision, amount bigint, floor bigint,
        cap bigint, capped boolean, floored boolean, adjustments text)`.execute(db);
  }
  return row.id;
}

/**
 * Move an allocation from one status to another, only if no one moved it meanwhile; false
 * when it was not in `from` any more.
 */
export async function moveAllocation(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  from: AllocationStatus,
  to: AllocationStatus,
  publishedBy?: string,
): Promise<boolean> {
  const moved = await db
    .updateTable('budget_allocation')
    .set({
      status: to,
      ...(publishedBy === undefined ? {} : { published_by: publishedBy, published_at: new Date() }),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(moved.numUpdatedRows) === 1;
}

/** Per allocation: lines and their sum over the dealers in the caller's scope. */
export async function scopedTotals(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  ids: readonly number[],
): Promise<Map<number, { count: number; amount: number }>> {
  const out = new Map(ids.map((id) => [id, { count: 0, amount: 0 }]));
  if (ids.length === 0) return out;
  let qb = db
    .selectFrom('budget_allocation_line as l')
    .innerJoin('dealer', (j) =>
      j.onRef('dealer.tenant_id', '=', 'l.tenant_id').onRef('dealer.id', '=', 'l.dealer_id'),
    )
    .where('l.tenant_id', '=', tenantId)
    .where('l.allocation_id', 'in', [...ids])
    .select((eb) => [
      'l.allocation_id',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('l.amount').as('amount'),
    ])
    .groupBy('l.allocation_id');
  const inScope = dealerScopeCondition(scope);
  if (inScope) qb = qb.where(inScope);
  for (const r of await qb.execute()) {
    out.set(r.allocation_id, { count: Number(r.n), amount: Number(r.amount ?? 0) });
  }
  return out;
}

export function toSummary(
  row: AllocationRow,
  visible: { count: number; amount: number },
): AllocationSummary {
  return {
    id: row.id,
    period: row.period,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    purpose: row.purpose,
    name: row.name,
    status: row.status,
    pool: row.pool,
    allocated: row.allocated,
    unallocated: row.unallocated,
    dealerCount: visible.count,
    visibleAmount: visible.amount,
    claimDeadline: row.claim_deadline,
    run: {
      id: row.run_id,
      period: row.run_period,
      policy: { id: row.policy_id, name: row.policy_name, version: row.policy_version },
    },
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    publishedBy: row.published_by,
    publishedAt: row.published_at ? new Date(row.published_at).toISOString() : null,
  };
}

interface LineRow {
  dealer_id: number;
  dealer_code: string;
  dealer_name: string;
  region_name: string;
  tier: string;
  rule: AllocationDealerLine['rule'];
  sales: number | null;
  score: number | null;
  target: number | null;
  base_weight: number;
  weight: number;
  adjustments: AllocationDealerLine['adjustments'];
  amount: number;
  floor: number;
  cap: number | null;
  capped: boolean;
  floored: boolean;
  previous_tier: string | null;
  previous_amount: number | null;
  pos: number;
}

function toLine(r: LineRow): AllocationDealerLine {
  return {
    dealer: { id: r.dealer_id, code: r.dealer_code, name: r.dealer_name },
    region: r.region_name,
    tier: r.tier,
    rule: r.rule,
    sales: r.sales,
    score: r.score,
    target: r.target,
    baseWeight: r.base_weight,
    weight: r.weight,
    adjustments: r.adjustments,
    amount: r.amount,
    floor: r.floor,
    cap: r.cap,
    capped: r.capped,
    floored: r.floored,
    previousTier: r.previous_tier,
    previousAmount: r.previous_amount,
    delta: r.amount - (r.previous_amount ?? 0),
  };
}

export interface LineFilter {
  q?: string | undefined;
  tier?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

function lines(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  allocationId: number,
  previousId: number | null,
) {
  let qb = db
    .selectFrom('budget_allocation_line as l')
    .innerJoin('dealer', (j) =>
      j.onRef('dealer.tenant_id', '=', 'l.tenant_id').onRef('dealer.id', '=', 'l.dealer_id'),
    )
    .innerJoin('region', (j) =>
      j
        .onRef('region.tenant_id', '=', 'dealer.tenant_id')
        .onRef('region.id', '=', 'dealer.region_id'),
    )
    .leftJoin('budget_allocation_line as pl', (j) =>
      j
        .onRef('pl.tenant_id', '=', 'l.tenant_id')
        .onRef('pl.dealer_id', '=', 'l.dealer_id')
        .on('pl.allocation_id', '=', previousId ?? -1),
    )
    .where('l.tenant_id', '=', tenantId)
    .where('l.allocation_id', '=', allocationId);
  const inScope = dealerScopeCondition(scope);
  if (inScope) qb = qb.where(inScope);
  return qb;
}

function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A page of an allocation's lines inside the caller's scope: by tier (in the allocation's
 * order), then amount (largest first), then dealer id; each with the dealer's line in the
 * previous published allocation of the purpose (`previousId`). Keyset cursor.
 */
export async function listLines(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  allocationId: number,
  tierOrder: readonly string[],
  previousId: number | null,
  filter: LineFilter,
): Promise<AllocationLinePage> {
  let qb = lines(db, tenantId, scope, allocationId, previousId);
  if (filter.tier) qb = qb.where('l.tier', '=', filter.tier);
  if (filter.q && filter.q.trim() !== '') {
    const q = escapeLike(filter.q.trim());
    qb = qb.where((eb) =>
      eb.or([eb('dealer.code', 'ilike', `${q}%`), eb('dealer.name', 'ilike', `%${q}%`)]),
    );
  }
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const pos = sql<number>`coalesce(array_position(${sql.val([...tierOrder])}::text[], l.tier), 0)`;
  let page = qb
    .select([
      'l.dealer_id',
      'dealer.code as dealer_code',
      'dealer.name as dealer_name',
      'region.name as region_name',
      'l.tier',
      'l.rule',
      'l.sales',
      'l.score',
      'l.target',
      'l.base_weight',
      'l.weight',
      'l.adjustments',
      'l.amount',
      'l.floor',
      'l.cap',
      'l.capped',
      'l.floored',
      'pl.tier as previous_tier',
      'pl.amount as previous_amount',
      pos.as('pos'),
    ])
    .orderBy(pos)
    .orderBy('l.amount', 'desc')
    .orderBy('l.dealer_id')
    .limit(filter.limit + 1);
  if (filter.cursor) {
    const [p, amount, dealerId] = decodeCursor(filter.cursor, [
      'number',
      'number',
      'number',
    ] as const);
    page = page.where(
      sql<SqlBool>`(${pos}, -l.amount, l.dealer_id) > (${p}, ${-amount}, ${dealerId})`,
    );
  }
  const rows = (await page.execute()) as LineRow[];
  const more = rows.length > filter.limit;
  const kept = rows.slice(0, filter.limit);
  const last = kept[kept.length - 1];
  return {
    items: kept.map(toLine),
    total: Number(total.n),
    nextCursor: more && last ? encodeCursor([last.pos, last.amount, last.dealer_id]) : null,
  };
}

/** Up to `limit` lines after `afterDealerId`, in dealer id order, inside the scope (exports). */
export async function lineBatch(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  allocationId: number,
  previousId: number | null,
  afterDealerId: number,
  limit: number,
): Promise<AllocationDealerLine[]> {
  const rows = await lines(db, tenantId, scope, allocationId, previousId)
    .select([
      'l.dealer_id',
      'dealer.code as dealer_code',
      'dealer.name as dealer_name',
      'region.name as region_name',
      'l.tier',
      'l.rule',
      'l.sales',
      'l.score',
      'l.target',
      'l.base_weight',
      'l.weight',
      'l.adjustments',
      'l.amount',
      'l.floor',
      'l.cap',
      'l.capped',
      'l.floored',
      'pl.tier as previous_tier',
      'pl.amount as previous_amount',
      sql<number>`0`.as('pos'),
    ])
    .where('l.dealer_id', '>', afterDealerId)
    .orderBy('l.dealer_id')
    .limit(limit)
    .execute();
  return (rows as LineRow[]).map(toLine);
}

/** What changed since the previous allocation, over the dealers in the caller's scope. */
export async function compareLines(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  allocationId: number,
  previousId: number,
): Promise<{
  perTier: Map<
    string,
    { amount: number; count: number; previousAmount: number; previousCount: number }
  >;
  newDealers: number;
  goneDealers: number;
  tierChanges: number;
  gone: {
    dealer: { id: number; code: string; name: string };
    previousTier: string;
    previousAmount: number;
  }[];
}> {
  const inScope = dealerScopeCondition(scope) ?? sql<SqlBool>`true`;
  const { rows } = await sql<{
    tier: string | null;
    previous_tier: string | null;
    n: number;
    amount: number | null;
    previous_amount: number | null;
  }>`
    select c.tier, p.tier as previous_tier, count(*)::int as n, sum(c.amount) as amount,
      sum(p.amount) as previous_amount
    from (select dealer_id, tier, amount from budget_allocation_line
          where tenant_id = ${tenantId} and allocation_id = ${allocationId}) c
    full join (select dealer_id, tier, amount from budget_allocation_line
          where tenant_id = ${tenantId} and allocation_id = ${previousId}) p
      on p.dealer_id = c.dealer_id
    join dealer on dealer.tenant_id = ${tenantId} and dealer.id = coalesce(c.dealer_id, p.dealer_id)
    where ${inScope}
    group by c.tier, p.tier`.execute(db);
  const perTier = new Map<
    string,
    { amount: number; count: number; previousAmount: number; previousCount: number }
  >();
  const at = (tier: string) => {
    let t = perTier.get(tier);
    if (!t) perTier.set(tier, (t = { amount: 0, count: 0, previousAmount: 0, previousCount: 0 }));
    return t;
  };
  let newDealers = 0;
  let goneDealers = 0;
  let tierChanges = 0;
  for (const r of rows) {
    if (r.tier !== null) {
      const t = at(r.tier);
      t.amount += Number(r.amount ?? 0);
      t.count += r.n;
    }
    if (r.previous_tier !== null) {
      const t = at(r.previous_tier);
      t.previousAmount += Number(r.previous_amount ?? 0);
      t.previousCount += r.n;
    }
    if (r.previous_tier === null) newDealers += r.n;
    else if (r.tier === null) goneDealers += r.n;
    else if (r.tier !== r.previous_tier) tierChanges += r.n;
  }
  let gone = db
    .selectFrom('budget_allocation_line as p')
    .innerJoin('dealer', (j) =>
      j.onRef('dealer.tenant_id', '=', 'p.tenant_id').onRef('dealer.id', '=', 'p.dealer_id'),
    )
    .leftJoin('budget_allocation_line as c', (j) =>
      j
        .onRef('c.tenant_id', '=', 'p.tenant_id')
        .onRef('c.dealer_id', '=', 'p.dealer_id')
        .on('c.allocation_id', '=', allocationId),
    )
    .where('p.tenant_id', '=', tenantId)
    .where('p.allocation_id', '=', previousId)
    .where('c.dealer_id', 'is', null)
    .select(['dealer.id', 'dealer.code', 'dealer.name', 'p.tier', 'p.amount'])
    .orderBy('p.amount', 'desc')
    .orderBy('dealer.id')
    .limit(100);
  const scoped = dealerScopeCondition(scope);
  if (scoped) gone = gone.where(scoped);
  return {
    perTier,
    newDealers,
    goneDealers,
    tierChanges,
    gone: (await gone.execute()).map((g) => ({
      dealer: { id: g.id, code: g.code, name: g.name },
      previousTier: g.tier,
      previousAmount: g.amount,
    })),
  };
}

/** Every line of an allocation with its dealer's code, in dealer id order (for the ledger). */
export async function allLines(
  db: Kysely<Database>,
  tenantId: number,
  allocationId: number,
): Promise<
  {
    dealer_id: number;
    code: string;
    tier: string;
    rule: string;
    weight: number;
    base_weight: number;
    adjustments: unknown[];
    amount: number;
    floor: number;
    cap: number | null;
  }[]
> {
  return db
    .selectFrom('budget_allocation_line as l')
    .innerJoin('dealer', (j) =>
      j.onRef('dealer.tenant_id', '=', 'l.tenant_id').onRef('dealer.id', '=', 'l.dealer_id'),
    )
    .where('l.tenant_id', '=', tenantId)
    .where('l.allocation_id', '=', allocationId)
    .select([
      'l.dealer_id',
      'dealer.code',
      'l.tier',
      'l.rule',
      'l.weight',
      'l.base_weight',
      'l.adjustments',
      'l.amount',
      'l.floor',
      'l.cap',
    ])
    .orderBy('l.dealer_id')
    .execute();
}
