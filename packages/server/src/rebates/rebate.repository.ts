import { sql, type Kysely, type SqlBool } from 'kysely';
import { notFound } from '@tierline/core';
import {
  RebateLadders,
  type RebateProgram,
  type RebateSettlementBatch,
  type RebateSettlementLine,
} from '@tierline/contract';
import type { Database, RebateProgramTable } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { dealerScopeCondition } from '../dealers/dealer-scope.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';

/** Rebate programs and settlements (rows ↔ contract types). Every function filters by tenant. */

const PROGRAM_COLUMNS = [
  'id',
  'code',
  'name',
  'period_kind',
  'basis',
  'method',
  'ladders',
  'active',
  'created_by',
  'created_at',
  'updated_at',
] as const;

export interface ProgramRow {
  id: number;
  code: string;
  name: string;
  period_kind: RebateProgramTable['period_kind'];
  basis: RebateProgramTable['basis'];
  method: RebateProgramTable['method'];
  ladders: unknown;
  active: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export type StoredProgram = Omit<RebateProgram, 'settlements' | 'closedPeriods'>;

/** A stored program; its ladders were checked when saved, parsing fills `tiers: {}`. */
export function toProgram(row: ProgramRow): StoredProgram {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    periodKind: row.period_kind,
    basis: row.basis,
    method: row.method,
    ladders: RebateLadders.parse(row.ladders),
    active: row.active,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function insertProgram(
  db: Kysely<Database>,
  tenantId: number,
  values: Omit<StoredProgram, 'id' | 'createdAt' | 'updatedAt'>,
): Promise<StoredProgram> {
  const row = await db
    .insertInto('rebate_program')
    .values({
      tenant_id: tenantId,
      code: values.code,
      name: values.name,
      period_kind: values.periodKind,
      basis: values.basis,
      method: values.method,
      ladders: JSON.stringify(values.ladders),
      active: values.active,
      created_by: values.createdBy,
    })
    .returning(PROGRAM_COLUMNS)
    .executeTakeFirstOrThrow();
  return toProgram(row);
}

export async function findProgramByCode(
  db: Kysely<Database>,
  tenantId: number,
  code: string,
): Promise<StoredProgram | undefined> {
  const row = await db
    .selectFrom('rebate_program')
    .select(PROGRAM_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .executeTakeFirst();
  return row ? toProgram(row) : undefined;
}

/** A program by code; throws not-found (another tenant's code is unknown). */
export async function getProgramByCode(
  db: Kysely<Database>,
  tenantId: number,
  code: string,
): Promise<StoredProgram> {
  const program = await findProgramByCode(db, tenantId, code);
  if (!program) throw notFound('Rebate program', code);
  return program;
}

/** A program by id, locked for the rest of the transaction when `lock` (edits, settlements). */
export async function getProgramById(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  lock = false,
): Promise<StoredProgram> {
  let qb = db
    .selectFrom('rebate_program')
    .select(PROGRAM_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (lock) qb = qb.forUpdate();
  const row = await qb.executeTakeFirst();
  if (!row) throw notFound('Rebate program', id);
  return toProgram(row);
}

export async function lockProgramByCode(
  db: Kysely<Database>,
  tenantId: number,
  code: string,
): Promise<StoredProgram> {
  const row = await db
    .selectFrom('rebate_program')
    .select(PROGRAM_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('Rebate program', code);
  return toProgram(row);
}

export async function listProgramRows(
  db: Kysely<Database>,
  tenantId: number,
  filter: { active?: boolean } = {},
): Promise<StoredProgram[]> {
  let qb = db
    .selectFrom('rebate_program')
    .select(PROGRAM_COLUMNS)
    .where('tenant_id', '=', tenantId);
  if (filter.active !== undefined) qb = qb.where('active', '=', filter.active);
  return (await qb.orderBy('code').execute()).map(toProgram);
}

export async function updateProgramRow(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  changes: Partial<
    Pick<StoredProgram, 'name' | 'active' | 'periodKind' | 'basis' | 'method' | 'ladders'>
  >,
): Promise<StoredProgram> {
  const row = await db
    .updateTable('rebate_program')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.active === undefined ? {} : { active: changes.active }),
      ...(changes.periodKind === undefined ? {} : { period_kind: changes.periodKind }),
      ...(changes.basis === undefined ? {} : { basis: changes.basis }),
      ...(changes.method === undefined ? {} : { method: changes.method }),
      ...(changes.ladders === undefined ? {} : { ladders: JSON.stringify(changes.ladders) }),
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning(PROGRAM_COLUMNS)
    .executeTakeFirstOrThrow();
  return toProgram(row);
}

/** Per program: how many settlements (program, period, seq) there are and the closed periods. */
export async function settlementStats(
  db: Kysely<Database>,
  tenantId: number,
  programIds: readonly number[],
): Promise<Map<number, { settlements: number; closedPeriods: string[] }>> {
  const out = new Map<number, { settlements: number; closedPeriods: string[] }>();
  if (programIds.length === 0) return out;
  const rows = await db
    .selectFrom('rebate_settlement')
    .select(['program_id', 'period', 'seq'])
    .select((eb) => eb.fn.max(sql<number>`final::int`).as('final'))
    .where('tenant_id', '=', tenantId)
    .where('program_id', 'in', programIds)
    .groupBy(['program_id', 'period', 'seq'])
    .orderBy('period', 'desc')
    .execute();
  for (const r of rows) {
    const entry = out.get(r.program_id) ?? { settlements: 0, closedPeriods: [] };
    entry.settlements += 1;
    if (r.final === 1 && !entry.closedPeriods.includes(r.period))
      entry.closedPeriods.push(r.period);
    out.set(r.program_id, entry);
  }
  return out;
}

/** The settlements of a program and period so far: the last seq and whether one was final. */
export async function periodState(
  db: Kysely<Database>,
  tenantId: number,
  programId: number,
  period: string,
): Promise<{ lastSeq: number; closed: boolean }> {
  const row = await db
    .selectFrom('rebate_settlement')
    .select([
      sql<number>`coalesce(max(seq), 0)::int`.as('last'),
      sql<boolean>`coalesce(bool_or(final), false)`.as('closed'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('program_id', '=', programId)
    .where('period', '=', period)
    .executeTakeFirstOrThrow();
  return { lastSeq: row.last, closed: row.closed };
}

/** What earlier settlements of a program and period paid each dealer, net of clawbacks. */
export async function paidSoFar(
  db: Kysely<Database>,
  tenantId: number,
  programId: number,
  period: string,
): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('rebate_settlement')
    .select(['dealer_id', sql<number>`sum(due)::bigint`.as('paid')])
    .where('tenant_id', '=', tenantId)
    .where('program_id', '=', programId)
    .where('period', '=', period)
    .groupBy('dealer_id')
    .execute();
  return new Map(rows.map((r) => [r.dealer_id, r.paid]));
}

/** The month-by-month sales a program needs of one dealer, summed. */
export interface FigureRow {
  id: number;
  code: string;
  name: string;
  status: string;
  tier: string | null;
  sales: number;
  /** Months of the counted range with a rollup row. */
  months: number;
  previous: number | null;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Every dealer in the caller's scope (matching `q`: code prefix or part of the name), with its
 * published tier (`dealer_tier`), its sales from `from` to `to` and its sales over the previous
 * period, from `dealer_month`, in one statement; ordered by code.
 */
export async function dealerFigures(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  range: { from: string; to: string; previousFrom: string; previousTo: string },
  q?: string,
): Promise<FigureRow[]> {
  const inScope = dealerScopeCondition(scope, 'd');
  const search =
    q !== undefined && q.trim() !== ''
      ? sql<SqlBool>`(d.code ilike ${`${escapeLike(q.trim())}%`} or d.name ilike ${`%${escapeLike(q.trim())}%`})`
      : sql<SqlBool>`true`;
  const from = `${range.from}-01`;
  const to = `${range.to}-01`;
  const previousFrom = `${range.previousFrom}-01`;
  const previousTo = `${range.previousTo}-01`;
  const { rows } = await sql<FigureRow>`
    select d.id, d.code, d.name, d.status, dt.tier,
      coalesce(sum(m.sales_amount) filter (where m.month >= ${from}::date and m.month <= ${to}::date), 0)::bigint as sales,
      count(m.month) filter (where m.month >= ${from}::date and m.month <= ${to}::date)::int as months,
      (sum(m.sales_amount) filter (where m.month >= ${previousFrom}::date and m.month <= ${previousTo}::date))::bigint as previous
    from dealer d
    left join dealer_tier dt on dt.tenant_id = d.tenant_id and dt.dealer_id = d.id
    left join dealer_month m on m.tenant_id = d.tenant_id and m.dealer_id = d.id
      and m.month >= ${previousFrom}::date and m.month <= ${to}::date
    where d.tenant_id = ${tenantId} and ${inScope ?? sql<SqlBool>`true`} and ${search}
    group by d.id, d.code, d.name, d.status, dt.tier
    order by d.code, d.id`.execute(db);
  return rows;
}

export interface NewSettlementRow {
  dealerId: number;
  tier: string | null;
  sales: number;
  previousSales: number | null;
  rebate: number;
  alreadyPaid: number;
  due: number;
  clawback: boolean;
  result: unknown;
}

/** Insert one settlement's rows (500 a statement); returns their ids in the order given. */
export async function insertSettlementRows(
  db: Kysely<Database>,
  tenantId: number,
  batch: {
    programId: number;
    period: string;
    seq: number;
    asOf: string;
    final: boolean;
    createdBy: string;
  },
  rows: readonly NewSettlementRow[],
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const inserted = await db
      .insertInto('rebate_settlement')
      .values(
        chunk.map((r) => ({
          tenant_id: tenantId,
          program_id: batch.programId,
          period: batch.period,
          seq: batch.seq,
          as_of: batch.asOf,
          dealer_id: r.dealerId,
          tier: r.tier,
          sales: r.sales,
          previous_sales: r.previousSales,
          rebate: r.rebate,
          already_paid: r.alreadyPaid,
          due: r.due,
          clawback: r.clawback,
          final: batch.final,
          result: JSON.stringify(r.result),
          created_by: batch.createdBy,
        })),
      )
      .returning(['id', 'dealer_id'])
      .execute();
    const byDealer = new Map(inserted.map((r) => [r.dealer_id, r.id]));
    for (const r of chunk) ids.push(byDealer.get(r.dealerId)!);
  }
  return ids;
}

interface BatchRow {
  period: string;
  seq: number;
  final: boolean;
  as_of: string;
  created_by: string | null;
  created_at: Date;
  dealers: number;
  rebate: number;
  already_paid: number;
  due: number;
  clawbacks: number;
}

function toBatch(r: BatchRow): RebateSettlementBatch {
  return {
    period: r.period,
    seq: r.seq,
    final: r.final,
    asOf: r.as_of,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    dealers: r.dealers,
    rebate: r.rebate,
    alreadyPaid: r.already_paid,
    due: r.due,
    clawbacks: r.clawbacks,
  };
}

/**
 * The settlements of a program (of one period, or all), newest first, each summed over the
 * dealers in the caller's scope (a settlement with none of them is left out).
 */
export async function settlementBatches(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  programId: number,
  period?: string,
  seq?: number,
): Promise<RebateSettlementBatch[]> {
  const inScope = dealerScopeCondition(scope, 'd');
  const { rows } = await sql<BatchRow>`
    select s.period, s.seq, bool_or(s.final) as final, min(s.as_of) as as_of,
      min(s.created_by) as created_by, min(s.created_at) as created_at,
      count(*)::int as dealers, sum(s.rebate)::bigint as rebate,
      sum(s.already_paid)::bigint as already_paid, sum(s.due)::bigint as due,
      (count(*) filter (where s.clawback))::int as clawbacks
    from rebate_settlement s
    join dealer d on d.tenant_id = s.tenant_id and d.id = s.dealer_id
    where s.tenant_id = ${tenantId} and s.program_id = ${programId}
      and ${period === undefined ? sql<SqlBool>`true` : sql<SqlBool>`s.period = ${period}`}
      and ${seq === undefined ? sql<SqlBool>`true` : sql<SqlBool>`s.seq = ${seq}`}
      and ${inScope ?? sql<SqlBool>`true`}
    group by s.period, s.seq
    order by s.period desc, s.seq desc`.execute(db);
  return rows.map(toBatch);
}

interface LineRow {
  id: number;
  period: string;
  seq: number;
  final: boolean;
  as_of: string;
  dealer_id: number;
  code: string;
  name: string;
  tier: string | null;
  sales: number;
  previous_sales: number | null;
  rebate: number;
  already_paid: number;
  due: number;
  clawback: boolean;
  bracket: number | null;
  rate: number | null;
}

/**
 * Settlement lines of a program in the caller's scope: newest settlement first, then by dealer
 * code; keyset cursor over (period, seq, code, id), with the total that matches.
 */
export async function settlementLines(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  programId: number,
  query: { period?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: RebateSettlementLine[]; total: number; nextCursor: string | null }> {
  const inScope = dealerScopeCondition(scope, 'd') ?? sql<SqlBool>`true`;
  const ofPeriod =
    query.period === undefined ? sql<SqlBool>`true` : sql<SqlBool>`s.period = ${query.period}`;
  let after = sql<SqlBool>`true`;
  if (query.cursor) {
    const [period, seq, code, id] = decodeCursor(query.cursor, [
      'string',
      'number',
      'string',
      'number',
    ]);
    after = sql<SqlBool>`(s.period < ${period} or (s.period = ${period} and s.seq < ${seq})
      or (s.period = ${period} and s.seq = ${seq} and (d.code, s.id) > (${code}, ${id})))`;
  }
  const { rows } = await sql<LineRow>`
    select s.id, s.period, s.seq, s.final, s.as_of, s.dealer_id, d.code, d.name, s.tier,
      s.sales, s.previous_sales, s.rebate, s.already_paid, s.due, s.clawback,
      (s.result->>'bracket')::int as bracket, (s.result->>'rateBasisPoints')::float8 as rate
    from rebate_settlement s
    join dealer d on d.tenant_id = s.tenant_id and d.id = s.dealer_id
    where s.tenant_id = ${tenantId} and s.program_id = ${programId} and ${ofPeriod}
      and ${inScope} and ${after}
    order by s.period desc, s.seq desc, d.code, s.id
    limit ${query.limit + 1}`.execute(db);
  const { rows: counted } = await sql<{ n: number }>`
    select count(*)::int as n from rebate_settlement s
    join dealer d on d.tenant_id = s.tenant_id and d.id = s.dealer_id
    where s.tenant_id = ${tenantId} and s.program_id = ${programId} and ${ofPeriod}
      and ${inScope}`.execute(db);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      period: r.period,
      seq: r.seq,
      final: r.final,
      asOf: r.as_of,
      dealer: { id: r.dealer_id, code: r.code, name: r.name },
      tier: r.tier,
      sales: r.sales,
      previousSales: r.previous_sales,
      bracket: r.bracket,
      rateBasisPoints: r.rate ?? 0,
      rebate: r.rebate,
      alreadyPaid: r.already_paid,
      due: r.due,
      clawback: r.clawback,
    })),
    total: counted[0]?.n ?? 0,
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor([last.period, last.seq, last.code, last.id])
        : null,
  };
}
