import type { Kysely } from 'kysely';
import { parsePeriod, type Period } from '@tierline/core';
import type {
  DealerRef,
  PortalRebates,
  RebateLine,
  RebatePreview,
  RebatePreviewQuery,
  RebatePreviewSort,
  RebateProgramRef,
  RebateTotals,
} from '@tierline/contract';
import type { Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { findDataRange } from '../dealers/dealer.repository.js';
import {
  countedMonth,
  periodHolding,
  previewLine,
  previousPeriod,
  programPeriod,
  progressOf,
  type DealerFigures,
  type PeriodProgress,
} from './rebate-lines.js';
import {
  dealerFigures,
  getProgramByCode,
  listProgramRows,
  paidSoFar,
  periodState,
  type StoredProgram,
} from './rebate.repository.js';

/** The program as answers name it. */
export function programRef(p: StoredProgram): RebateProgramRef {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    periodKind: p.periodKind,
    basis: p.basis,
    method: p.method,
  };
}

/** One dealer of a program in a period: who it is and the figures its rebate is computed from. */
export interface ProgramDealer {
  dealer: DealerRef;
  figures: DealerFigures;
}

export interface ProgramPeriod {
  progress: PeriodProgress;
  previous: Period;
  asOf: string;
}

/**
 * Where a program's period stands: the period (of the program's kind), the month sales are
 * counted up to (asOf, else the latest month with data) and the previous period.
 */
export async function programPeriodAt(
  db: Kysely<Database>,
  tenantId: number,
  program: StoredProgram,
  periodKey: string,
  asOf?: string,
): Promise<ProgramPeriod> {
  const period = programPeriod(program.periodKind, periodKey);
  const latest = (await findDataRange(db, tenantId))?.to ?? null;
  const counted = countedMonth(latest, asOf);
  return { progress: progressOf(period, counted), previous: previousPeriod(period), asOf: counted };
}

/**
 * The dealers in the caller's scope that are in the program: those with a ladder (their
 * published tier's, else the default), leaving out terminated dealers with no sales in the
 * period; with their sales to date, previous-period sales and what was paid so far.
 */
export async function programDealers(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  program: StoredProgram,
  at: ProgramPeriod,
  q?: string,
): Promise<ProgramDealer[]> {
  const { period, countedTo } = at.progress;
  const rows = await dealerFigures(
    db,
    tenantId,
    scope,
    {
      from: period.from,
      to: countedTo,
      previousFrom: at.previous.from,
      previousTo: at.previous.to,
    },
    q,
  );
  const paid = await paidSoFar(db, tenantId, program.id, period.key);
  const tiers = program.ladders.tiers;
  return rows
    .filter((r) => r.status !== 'terminated' || r.months > 0)
    .filter((r) => program.ladders.default !== null || (r.tier !== null && r.tier in tiers))
    .map((r) => ({
      dealer: { id: r.id, code: r.code, name: r.name },
      figures: {
        tier: r.tier,
        salesToDate: r.sales,
        previousSales: r.previous,
        alreadyPaid: paid.get(r.id) ?? 0,
      },
    }));
}

/** Every line of a program's period in the caller's scope, matching `q`, ordered by dealer code. */
export async function previewLines(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  program: StoredProgram,
  at: ProgramPeriod,
  q?: string,
): Promise<RebateLine[]> {
  const dealers = await programDealers(db, tenantId, scope, program, at, q);
  return dealers.flatMap(({ dealer, figures }) => {
    const line = previewLine(program, figures, at.progress);
    return line === null ? [] : [{ dealer, ...line }];
  });
}

function totalsOf(lines: readonly RebateLine[]): RebateTotals {
  const sum = (f: (l: RebateLine) => number) => lines.reduce((s, l) => s + f(l), 0);
  return {
    dealers: lines.length,
    salesToDate: sum((l) => l.salesToDate),
    projectedSales: sum((l) => l.projectedSales),
    currentRebate: sum((l) => l.current.amount),
    projectedRebate: sum((l) => l.projected.amount),
    alreadyPaid: sum((l) => l.alreadyPaid),
    due: sum((l) => l.due),
  };
}

function sorted(lines: RebateLine[], sort: RebatePreviewSort): RebateLine[] {
  switch (sort) {
    case 'code':
      return lines;
    case 'projected_rebate':
      return [...lines].sort(
        (a, b) =>
          b.projected.amount - a.projected.amount || a.dealer.code.localeCompare(b.dealer.code),
      );
    case 'shortfall':
      // Closest to its next bracket first; dealers at the top bracket last.
      return [...lines].sort(
        (a, b) =>
          (a.next?.shortfall ?? Infinity) - (b.next?.shortfall ?? Infinity) ||
          a.dealer.code.localeCompare(b.dealer.code),
      );
  }
}

/**
 * The rebate preview of a program and period (before settlement): per dealer in the caller's
 * scope the rebate on sales to date, the run-rate projection with its rebate and the next
 * bracket, and what earlier settlements paid; totals over every matching line; a page of lines.
 */
export async function rebatePreview(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  query: RebatePreviewQuery,
): Promise<RebatePreview> {
  const program = await getProgramByCode(db, tenantId, query.program);
  const at = await programPeriodAt(db, tenantId, program, query.period, query.asOf);
  const lines = sorted(await previewLines(db, tenantId, scope, program, at, query.q), query.sort);
  const state = await periodState(db, tenantId, program.id, at.progress.period.key);
  const end = query.offset + query.limit;
  return {
    program: programRef(program),
    period: at.progress.period.key,
    periodFrom: at.progress.period.from,
    periodTo: at.progress.period.to,
    previousPeriod: at.previous.key,
    asOf: at.asOf,
    monthsElapsed: at.progress.monthsElapsed,
    monthsTotal: at.progress.monthsTotal,
    projection: 'run_rate',
    closed: state.closed,
    settlements: state.lastSeq,
    totals: totalsOf(lines),
    items: lines.slice(query.offset, end),
    total: lines.length,
    nextOffset: end < lines.length ? end : null,
  };
}

/**
 * The signed-in dealer's own projection in every active program it is in, for the period of
 * the program holding the tenant's latest month with data. No other dealer, no totals.
 */
export async function portalRebates(
  db: Kysely<Database>,
  tenantId: number,
  dealerId: number,
): Promise<PortalRebates> {
  const latest = (await findDataRange(db, tenantId))?.to ?? null;
  if (latest === null) return { asOf: null, items: [] };
  const scope: DealerScope = { kind: 'dealer', dealerId };
  const items: PortalRebates['items'] = [];
  for (const program of await listProgramRows(db, tenantId, { active: true })) {
    const period = periodHolding(program.periodKind, latest);
    const at = await programPeriodAt(db, tenantId, program, period.key, latest);
    const [own] = await programDealers(db, tenantId, scope, program, at);
    if (own === undefined || own.dealer.id !== dealerId) continue;
    const line = previewLine(program, own.figures, at.progress);
    if (line === null) continue;
    items.push({
      program: programRef(program),
      period: period.key,
      asOf: at.asOf,
      monthsElapsed: at.progress.monthsElapsed,
      monthsTotal: at.progress.monthsTotal,
      projection: 'run_rate',
      line,
    });
  }
  return { asOf: latest, items };
}

/** The active programs whose periods are of the kind of `periodKey` (2026-Q3: quarterly ones). */
export async function activeProgramsFor(
  db: Kysely<Database>,
  tenantId: number,
  periodKey: string,
): Promise<StoredProgram[]> {
  const period = parsePeriod(periodKey);
  return (await listProgramRows(db, tenantId, { active: true })).filter(
    (p) => periodHolding(p.periodKind, period.from).key === period.key,
  );
}
