import { sql, type Kysely, type SqlBool } from 'kysely';
import { notFound } from '@tierline/core';
import type {
  DealerFundBalance,
  Fund,
  FundBalance,
  FundBalancePage,
  FundBalanceQuery,
  FundClaim,
  FundClaimQuery,
  FundRequest,
  FundRequestQuery,
  ProofFile,
} from '@tierline/contract';
import type { Database, MdfClaimTable, MdfRequestTable } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { dealerScopeCondition } from '../dealers/dealer-scope.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';

/**
 * Market development funds in SQL. Every function takes the tenant and filters by it; those
 * that staff call also take the caller's dealer scope. Balances are computed from the rows
 * (never stored), per fund:
 *
 *   allocated = fund amount
 *   pending   = Σ requests submitted
 *   approved  = Σ requests approved without an approved or paid claim + Σ claims approved or paid
 *   paid      = Σ claims paid
 *   available = allocated − pending − approved
 */

/** Today in the tenant's time zone: deadlines are calendar days there. */
export async function tenantToday(db: Kysely<Database>, tenantId: number): Promise<string> {
  const { rows } = await sql<{ today: string }>`
    select to_char((now() at time zone t.time_zone)::date, 'YYYY-MM-DD') as today
    from tenant t where t.id = ${tenantId}`.execute(db);
  return rows[0]!.today;
}

interface BalanceRow {
  fund_id: number;
  dealer_id: number;
  allocated: number;
  pending: number;
  approved: number;
  paid: number;
}

/** Balances of each fund matching `where` (an SQL condition on `f`, the mdf_fund row). */
function fundBalanceRows(tenantId: number, where: ReturnType<typeof sql<SqlBool>>) {
  return sql<BalanceRow>`
    select f.id as fund_id, f.dealer_id, f.amount as allocated,
      coalesce(r.pending, 0)::bigint as pending,
      (coalesce(r.committed, 0) + coalesce(c.claimed, 0))::bigint as approved,
      coalesce(c.paid, 0)::bigint as paid
    from mdf_fund f
    left join lateral (
      select sum(q.amount) filter (where q.status = 'submitted') as pending,
        sum(q.amount) filter (where q.status = 'approved' and not exists (
          select 1 from mdf_claim k where k.tenant_id = q.tenant_id and k.request_id = q.id
            and k.status in ('approved', 'paid'))) as committed
      from mdf_request q where q.tenant_id = f.tenant_id and q.fund_id = f.id
    ) r on true
    left join lateral (
      select sum(k.amount) filter (where k.status in ('approved', 'paid')) as claimed,
        sum(k.amount) filter (where k.status = 'paid') as paid
      from mdf_claim k
      join mdf_request q on q.tenant_id = k.tenant_id and q.id = k.request_id
      where k.tenant_id = f.tenant_id and q.fund_id = f.id
    ) c on true
    where f.tenant_id = ${tenantId} and ${where}`;
}

function balanceOf(row: Omit<BalanceRow, 'fund_id' | 'dealer_id'>): FundBalance {
  return {
    allocated: row.allocated,
    pending: row.pending,
    approved: row.approved,
    paid: row.paid,
    available: row.allocated - row.pending - row.approved,
  };
}

export function sumBalances(balances: readonly FundBalance[]): FundBalance {
  const total = { allocated: 0, pending: 0, approved: 0, paid: 0, available: 0 };
  for (const b of balances) {
    total.allocated += b.allocated;
    total.pending += b.pending;
    total.approved += b.approved;
    total.paid += b.paid;
    total.available += b.available;
  }
  return total;
}

/** Each fund's balance, by fund id. */
export async function fundBalances(
  db: Kysely<Database>,
  tenantId: number,
  fundIds: readonly number[],
): Promise<Map<number, FundBalance>> {
  if (fundIds.length === 0) return new Map();
  const { rows } = await fundBalanceRows(
    tenantId,
    sql<SqlBool>`f.id in (${sql.join(fundIds)})`,
  ).execute(db);
  return new Map(rows.map((r) => [r.fund_id, balanceOf(r)]));
}

const fundColumns = [
  'f.id',
  'f.dealer_id',
  'f.period',
  'f.allocation_id',
  'f.amount',
  'f.claim_deadline',
  'f.note',
  'f.created_at',
  'd.code as dealer_code',
  'd.name as dealer_name',
] as const;

function fundsQuery(db: Kysely<Database>, tenantId: number, scope: DealerScope) {
  let qb = db
    .selectFrom('mdf_fund as f')
    .innerJoin('dealer as d', (j) =>
      j.onRef('d.tenant_id', '=', 'f.tenant_id').onRef('d.id', '=', 'f.dealer_id'),
    )
    .select(fundColumns)
    .where('f.tenant_id', '=', tenantId);
  const inScope = dealerScopeCondition(scope, 'd');
  if (inScope) qb = qb.where(inScope);
  return qb;
}

type FundRow = Awaited<ReturnType<ReturnType<typeof fundsQuery>['execute']>>[number];

async function toFunds(
  db: Kysely<Database>,
  tenantId: number,
  rows: readonly FundRow[],
  today: string,
): Promise<Fund[]> {
  const balances = await fundBalances(
    db,
    tenantId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    dealer: { id: r.dealer_id, code: r.dealer_code, name: r.dealer_name },
    period: r.period,
    allocationId: r.allocation_id,
    amount: r.amount,
    claimDeadline: r.claim_deadline,
    open: r.claim_deadline >= today,
    note: r.note,
    createdAt: r.created_at.toISOString(),
    balance: balances.get(r.id)!,
  }));
}

/** One fund in the caller's scope, with its balance; not found otherwise. */
export async function getFund(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  fundId: number,
): Promise<Fund> {
  const row = await fundsQuery(db, tenantId, scope).where('f.id', '=', fundId).executeTakeFirst();
  if (!row) throw notFound('Fund', fundId);
  const [fund] = await toFunds(db, tenantId, [row], await tenantToday(db, tenantId));
  return fund!;
}

/** A dealer's funds with their balances, newest claim deadline first. */
export async function dealerFunds(
  db: Kysely<Database>,
  tenantId: number,
  dealerId: number,
): Promise<Fund[]> {
  const rows = await fundsQuery(db, tenantId, { kind: 'dealer', dealerId })
    .orderBy('f.claim_deadline', 'desc')
    .orderBy('f.id', 'desc')
    .execute();
  return toFunds(db, tenantId, rows, await tenantToday(db, tenantId));
}

/**
 * Lock a dealer's funds for the rest of the transaction (in id order, so that two writers
 * never deadlock), so that balance checks and the writes they allow are serialised per dealer.
 */
export async function lockDealerFunds(
  db: Kysely<Database>,
  tenantId: number,
  dealerId: number,
): Promise<void> {
  await sql`
    select id from mdf_fund where tenant_id = ${tenantId} and dealer_id = ${dealerId}
    order by id for update`.execute(db);
}

/**
 * Per-dealer balances over all their funds, for dealers with at least one fund in the caller's
 * scope, ordered by dealer code; with the totals of every matching dealer.
 */
export async function listDealerBalances(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  query: FundBalanceQuery,
  today: string,
): Promise<Omit<FundBalancePage, 'totals'> & { totals: FundBalance }> {
  const conditions: ReturnType<typeof sql<SqlBool>>[] = [sql<SqlBool>`d.tenant_id = ${tenantId}`];
  const inScope = dealerScopeCondition(scope, 'd');
  if (inScope) conditions.push(inScope);
  const q = query.q?.trim();
  if (q) {
    const like = q.replace(/[\\%_]/g, (c) => `\\${c}`);
    conditions.push(sql<SqlBool>`(d.code ilike ${`${like}%`} or d.name ilike ${`%${like}%`})`);
  }
  const matching = sql.join(conditions, sql` and `);
  const page: ReturnType<typeof sql<SqlBool>>[] = [];
  if (query.cursor) {
    const [code, id] = decodeCursor(query.cursor, ['string', 'number']);
    page.push(sql<SqlBool>`(d.code, d.id) > (${code}, ${id})`);
  }
  const { rows } = await sql<{
    dealer_id: number;
    code: string;
    name: string;
    funds: number;
    allocated: number;
    pending: number;
    approved: number;
    paid: number;
    next_deadline: string | null;
    submitted_requests: number;
    submitted_claims: number;
    approved_claims: number;
  }>`
    with b as (${fundBalanceRows(
      tenantId,
      sql<SqlBool>`f.dealer_id in (select d.id from dealer d where ${matching})`,
    )}),
    per_dealer as (
      select b.dealer_id, count(*)::int as funds, sum(b.allocated)::bigint as allocated,
        sum(b.pending)::bigint as pending, sum(b.approved)::bigint as approved,
        sum(b.paid)::bigint as paid
      from b group by b.dealer_id
    )
    select d.id as dealer_id, d.code, d.name, p.funds, p.allocated, p.pending, p.approved, p.paid,
      (select to_char(min(f.claim_deadline), 'YYYY-MM-DD') from mdf_fund f
        where f.tenant_id = d.tenant_id and f.dealer_id = d.id and f.claim_deadline >= ${today}::date)
        as next_deadline,
      (select count(*)::int from mdf_request q
        where q.tenant_id = d.tenant_id and q.dealer_id = d.id and q.status = 'submitted')
        as submitted_requests,
      (select count(*)::int from mdf_claim k
        where k.tenant_id = d.tenant_id and k.dealer_id = d.id and k.status = 'submitted')
        as submitted_claims,
      (select count(*)::int from mdf_claim k
        where k.tenant_id = d.tenant_id and k.dealer_id = d.id and k.status = 'approved')
        as approved_claims
    from per_dealer p
    join dealer d on d.tenant_id = ${tenantId} and d.id = p.dealer_id
    ${page.length > 0 ? sql`where ${sql.join(page, sql` and `)}` : sql``}
    order by d.code, d.id
    limit ${query.limit + 1}`.execute(db);
  const { rows: totals } = await sql<{
    dealers: number;
    allocated: number | null;
    pending: number | null;
    approved: number | null;
    paid: number | null;
  }>`
    with b as (${fundBalanceRows(
      tenantId,
      sql<SqlBool>`f.dealer_id in (select d.id from dealer d where ${matching})`,
    )})
    select count(distinct b.dealer_id)::int as dealers, sum(b.allocated)::bigint as allocated,
      sum(b.pending)::bigint as pending, sum(b.approved)::bigint as approved,
      sum(b.paid)::bigint as paid
    from b`.execute(db);
  const t = totals[0]!;
  const more = rows.length > query.limit;
  const items: DealerFundBalance[] = rows.slice(0, query.limit).map((r) => ({
    dealer: { id: r.dealer_id, code: r.code, name: r.name },
    funds: r.funds,
    ...balanceOf(r),
    nextDeadline: r.next_deadline,
    submittedRequests: r.submitted_requests,
    submittedClaims: r.submitted_claims,
    approvedClaims: r.approved_claims,
  }));
  const last = items.at(-1);
  return {
    items,
    total: t.dealers,
    nextCursor: more && last ? encodeCursor([last.dealer.code, last.dealer.id]) : null,
    totals: balanceOf({
      allocated: t.allocated ?? 0,
      pending: t.pending ?? 0,
      approved: t.approved ?? 0,
      paid: t.paid ?? 0,
    }),
  };
}

// Requests ---------------------------------------------------------------------------------

function requestsQuery(db: Kysely<Database>, tenantId: number, scope: DealerScope) {
  let qb = db
    .selectFrom('mdf_request as q')
    .innerJoin('mdf_fund as f', (j) =>
      j.onRef('f.tenant_id', '=', 'q.tenant_id').onRef('f.id', '=', 'q.fund_id'),
    )
    .innerJoin('dealer as d', (j) =>
      j.onRef('d.tenant_id', '=', 'q.tenant_id').onRef('d.id', '=', 'q.dealer_id'),
    )
    .leftJoin('mdf_claim as lc', (j) =>
      j
        .onRef('lc.tenant_id', '=', 'q.tenant_id')
        .onRef('lc.request_id', '=', 'q.id')
        .on('lc.status', '<>', 'rejected'),
    )
    .selectAll('q')
    .select([
      'f.period',
      'f.claim_deadline',
      'd.code as dealer_code',
      'd.name as dealer_name',
      'lc.id as claim_id',
      'lc.status as claim_status',
      'lc.amount as claim_amount',
    ])
    .where('q.tenant_id', '=', tenantId);
  const inScope = dealerScopeCondition(scope, 'd');
  if (inScope) qb = qb.where(inScope);
  return qb;
}

type RequestRow = Awaited<ReturnType<ReturnType<typeof requestsQuery>['execute']>>[number];

function toRequest(r: RequestRow): FundRequest {
  return {
    id: r.id,
    fundId: r.fund_id,
    period: r.period,
    claimDeadline: r.claim_deadline,
    dealer: { id: r.dealer_id, code: r.dealer_code, name: r.dealer_name },
    title: r.title,
    description: r.description,
    amount: r.amount,
    activityFrom: r.activity_from,
    activityTo: r.activity_to,
    status: r.status,
    decisionReason: r.decision_reason,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    decidedBy: r.decided_by,
    decidedAt: r.decided_at?.toISOString() ?? null,
    cancelledAt: r.cancelled_at?.toISOString() ?? null,
    claim:
      r.claim_id !== null && r.claim_status !== null && r.claim_amount !== null
        ? { id: r.claim_id, status: r.claim_status, amount: r.claim_amount }
        : null,
  };
}

/** A request in the caller's scope; not found otherwise (also when out of scope). */
export async function getRequest(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  requestId: number,
): Promise<FundRequest> {
  const row = await requestsQuery(db, tenantId, scope)
    .where('q.id', '=', requestId)
    .executeTakeFirst();
  if (!row) throw notFound('Fund request', requestId);
  return toRequest(row);
}

/** The stored request row, locked for the rest of the transaction; not found when out of scope. */
export async function lockRequest(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  requestId: number,
) {
  const request = await getRequest(db, tenantId, scope, requestId);
  const row = await db
    .selectFrom('mdf_request')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { request, row };
}

export async function listRequests(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  query: Omit<FundRequestQuery, 'cursor' | 'limit'> & {
    cursor?: string | undefined;
    limit: number;
  },
): Promise<{ items: FundRequest[]; total: number; nextCursor: string | null }> {
  let qb = requestsQuery(db, tenantId, scope);
  if (query.status) qb = qb.where('q.status', '=', query.status);
  if (query.dealerId) qb = qb.where('q.dealer_id', '=', query.dealerId);
  const counted = await qb
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (query.cursor) {
    const [id] = decodeCursor(query.cursor, ['number']);
    qb = qb.where('q.id', '<', id);
  }
  const rows = await qb
    .orderBy('q.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const more = rows.length > query.limit;
  const items = rows.slice(0, query.limit).map(toRequest);
  return {
    items,
    total: Number(counted.n),
    nextCursor: more ? encodeCursor([items.at(-1)!.id]) : null,
  };
}

export async function insertRequest(
  db: Kysely<Database>,
  values: Omit<MdfRequestTable, 'id' | 'created_at' | 'description' | 'cancelled_at'> & {
    description: string;
  },
): Promise<number> {
  const row = await db
    .insertInto('mdf_request')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateRequest(
  db: Kysely<Database>,
  tenantId: number,
  requestId: number,
  values: Partial<
    Pick<
      MdfRequestTable,
      | 'status'
      | 'decision_reason'
      | 'decided_by'
      | 'decided_by_user'
      | 'decided_at'
      | 'cancelled_at'
    >
  >,
): Promise<void> {
  await db
    .updateTable('mdf_request')
    .set(values)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', requestId)
    .execute();
}

// Claims -----------------------------------------------------------------------------------

function claimsQuery(db: Kysely<Database>, tenantId: number, scope: DealerScope) {
  let qb = db
    .selectFrom('mdf_claim as k')
    .innerJoin('mdf_request as q', (j) =>
      j.onRef('q.tenant_id', '=', 'k.tenant_id').onRef('q.id', '=', 'k.request_id'),
    )
    .innerJoin('dealer as d', (j) =>
      j.onRef('d.tenant_id', '=', 'k.tenant_id').onRef('d.id', '=', 'k.dealer_id'),
    )
    .selectAll('k')
    .select([
      'q.title as request_title',
      'q.amount as request_amount',
      'q.fund_id',
      'd.code as dealer_code',
      'd.name as dealer_name',
    ])
    .where('k.tenant_id', '=', tenantId);
  const inScope = dealerScopeCondition(scope, 'd');
  if (inScope) qb = qb.where(inScope);
  return qb;
}

type ClaimRow = Awaited<ReturnType<ReturnType<typeof claimsQuery>['execute']>>[number];

async function proofsOf(
  db: Kysely<Database>,
  tenantId: number,
  claimIds: readonly number[],
): Promise<Map<number, ProofFile[]>> {
  const out = new Map<number, ProofFile[]>();
  if (claimIds.length === 0) return out;
  const rows = await db
    .selectFrom('mdf_proof')
    .select(['id', 'claim_id', 'file_name', 'content_type', 'size_bytes', 'sha256'])
    .where('tenant_id', '=', tenantId)
    .where('claim_id', 'in', claimIds)
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.claim_id) ?? [];
    list.push({
      id: r.id,
      fileName: r.file_name,
      contentType: r.content_type,
      sizeBytes: r.size_bytes,
      sha256: r.sha256,
    });
    out.set(r.claim_id, list);
  }
  return out;
}

async function toClaims(
  db: Kysely<Database>,
  tenantId: number,
  rows: readonly ClaimRow[],
): Promise<FundClaim[]> {
  const proofs = await proofsOf(
    db,
    tenantId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    requestId: r.request_id,
    requestTitle: r.request_title,
    requestAmount: r.request_amount,
    dealer: { id: r.dealer_id, code: r.dealer_code, name: r.dealer_name },
    amount: r.amount,
    note: r.note,
    status: r.status,
    decisionReason: r.decision_reason,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at.toISOString(),
    decidedBy: r.decided_by,
    decidedAt: r.decided_at?.toISOString() ?? null,
    paidBy: r.paid_by,
    paidAt: r.paid_at?.toISOString() ?? null,
    paymentReference: r.payment_reference,
    proofs: proofs.get(r.id) ?? [],
  }));
}

export async function getClaim(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  claimId: number,
): Promise<FundClaim & { fundId: number }> {
  const row = await claimsQuery(db, tenantId, scope).where('k.id', '=', claimId).executeTakeFirst();
  if (!row) throw notFound('Fund claim', claimId);
  const [claim] = await toClaims(db, tenantId, [row]);
  return { ...claim!, fundId: row.fund_id };
}

/** The stored claim row, locked for the rest of the transaction; not found when out of scope. */
export async function lockClaim(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  claimId: number,
) {
  const claim = await getClaim(db, tenantId, scope, claimId);
  const row = await db
    .selectFrom('mdf_claim')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', claimId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { claim, row };
}

/** Every claim of a request, newest first. */
export async function claimsOfRequest(
  db: Kysely<Database>,
  tenantId: number,
  requestId: number,
): Promise<FundClaim[]> {
  const rows = await claimsQuery(db, tenantId, { kind: 'tenant' })
    .where('k.request_id', '=', requestId)
    .orderBy('k.id', 'desc')
    .execute();
  return toClaims(db, tenantId, rows);
}

export async function listClaims(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  query: Omit<FundClaimQuery, 'cursor' | 'limit'> & { cursor?: string | undefined; limit: number },
): Promise<{ items: FundClaim[]; total: number; nextCursor: string | null }> {
  let qb = claimsQuery(db, tenantId, scope);
  if (query.status) qb = qb.where('k.status', '=', query.status);
  if (query.dealerId) qb = qb.where('k.dealer_id', '=', query.dealerId);
  const counted = await qb
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (query.cursor) {
    const [id] = decodeCursor(query.cursor, ['number']);
    qb = qb.where('k.id', '<', id);
  }
  const rows = await qb
    .orderBy('k.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const more = rows.length > query.limit;
  const items = await toClaims(db, tenantId, rows.slice(0, query.limit));
  return {
    items,
    total: Number(counted.n),
    nextCursor: more ? encodeCursor([items.at(-1)!.id]) : null,
  };
}

export async function insertClaim(
  db: Kysely<Database>,
  values: Pick<
    MdfClaimTable,
    'tenant_id' | 'request_id' | 'dealer_id' | 'amount' | 'submitted_by' | 'submitted_by_user'
  > & { note: string },
): Promise<number> {
  const row = await db
    .insertInto('mdf_claim')
    .values({ ...values, status: 'submitted' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateClaim(
  db: Kysely<Database>,
  tenantId: number,
  claimId: number,
  values: Partial<
    Pick<
      MdfClaimTable,
      | 'status'
      | 'decision_reason'
      | 'decided_by'
      | 'decided_by_user'
      | 'decided_at'
      | 'paid_by'
      | 'paid_by_user'
      | 'paid_at'
      | 'payment_reference'
    >
  >,
): Promise<void> {
  await db
    .updateTable('mdf_claim')
    .set(values)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', claimId)
    .execute();
}

/** Store proof files; the content travels as base64 text (PGlite binds big bytea slowly). */
export async function insertProofs(
  db: Kysely<Database>,
  tenantId: number,
  claimId: number,
  proofs: readonly {
    fileName: string;
    contentType: string;
    sizeBytes: number;
    sha256: string;
    content: Buffer;
  }[],
): Promise<void> {
  for (const p of proofs) {
    await sql`
      insert into mdf_proof (tenant_id, claim_id, file_name, content_type, size_bytes, sha256, content)
      values (${tenantId}, ${claimId}, ${p.fileName}, ${p.contentType}, ${p.sizeBytes}, ${p.sha256},
        decode(${p.content.toString('base64')}, 'base64'))`.execute(db);
  }
}

/** A proof file of a claim (in the caller's scope) with its content; not found otherwise. */
export async function getProofContent(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  claimId: number,
  proofId: number,
): Promise<{ fileName: string; contentType: string; content: Buffer }> {
  await getClaim(db, tenantId, scope, claimId);
  const { rows } = await sql<{ file_name: string; content_type: string; content: string }>`
    select file_name, content_type, encode(content, 'base64') as content from mdf_proof
    where tenant_id = ${tenantId} and claim_id = ${claimId} and id = ${proofId}`.execute(db);
  const row = rows[0];
  if (!row) throw notFound('Proof file', proofId);
  return {
    fileName: row.file_name,
    contentType: row.content_type,
    content: Buffer.from(row.content, 'base64'),
  };
}

/** Requests of the dealer, newest first (the portal). */
export async function dealerRequests(
  db: Kysely<Database>,
  tenantId: number,
  dealerId: number,
  limit: number,
): Promise<FundRequest[]> {
  const rows = await requestsQuery(db, tenantId, { kind: 'dealer', dealerId })
    .orderBy('q.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRequest);
}

/** Claims of the dealer, newest first (the portal). */
export async function dealerClaims(
  db: Kysely<Database>,
  tenantId: number,
  dealerId: number,
  limit: number,
): Promise<FundClaim[]> {
  const rows = await claimsQuery(db, tenantId, { kind: 'dealer', dealerId })
    .orderBy('k.id', 'desc')
    .limit(limit)
    .execute();
  return toClaims(db, tenantId, rows);
}

/** The id of the dealer with this code, or undefined. */
export async function findDealerIdByCode(
  db: Kysely<Database>,
  tenantId: number,
  code: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('dealer')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .executeTakeFirst();
  return row?.id;
}
