import type { Kysely } from 'kysely';
import { DomainError, settleRebate } from '@tierline/core';
import type {
  RebateSettlementPage,
  RebateSettlementQuery,
  RebateSettlementResult,
  SettleRebates,
} from '@tierline/contract';
import type { Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import { appendRecords } from '../ledger/ledger.service.js';
import { ladderFor } from './rebate-lines.js';
import { programDealers, programPeriodAt, programRef } from './rebate-preview.service.js';
import { settlementRecord } from './rebate-records.js';
import {
  getProgramByCode,
  insertSettlementRows,
  lockProgramByCode,
  periodState,
  settlementBatches,
  settlementLines,
  type NewSettlementRow,
} from './rebate.repository.js';

/**
 * Settle a program's period, in the caller's transaction: for every dealer in the program,
 * core's `settleRebate` on its sales to date less what earlier settlements of the period paid
 * (a negative due is a clawback), one `rebate_settlement` row, one ledger record and, for the
 * settlement, one audit event. A final settlement needs the whole period's data and closes the
 * period of the program. The program row is locked, so two settlements never interleave.
 */
export async function settleRebates(
  db: Kysely<Database>,
  tenantId: number,
  body: SettleRebates,
  origin: AuditOrigin,
): Promise<RebateSettlementResult> {
  const program = await lockProgramByCode(db, tenantId, body.program);
  const at = await programPeriodAt(db, tenantId, program, body.period, body.asOf);
  const { period, monthsElapsed, monthsTotal } = at.progress;
  const state = await periodState(db, tenantId, program.id, period.key);
  if (state.closed) {
    throw new DomainError(
      'conflict',
      `${period.key} of rebate program ${program.code} is closed: a final settlement was made. Nothing more can be settled for it.`,
      { program: program.code, period: period.key, reason: 'period_closed' },
    );
  }
  if (body.final && monthsElapsed < monthsTotal) {
    throw new DomainError(
      'validation_failed',
      `A final settlement needs the whole of ${period.key} (${period.from} to ${period.to}), but sales are counted only to ${at.asOf}. Settle an interim settlement now, or the final one once ${period.to} is in.`,
      { field: 'final', period: period.key, asOf: at.asOf },
    );
  }
  const scope: DealerScope = { kind: 'tenant' };
  const dealers = await programDealers(db, tenantId, scope, program, at);
  const rows: NewSettlementRow[] = [];
  const settled: typeof dealers = [];
  const skipped: RebateSettlementResult['skipped'] = [];
  for (const d of dealers) {
    const { figures } = d;
    const used = ladderFor(program.ladders, figures.tier)!;
    if (
      program.basis === 'growth' &&
      !(figures.previousSales !== null && figures.previousSales > 0)
    ) {
      skipped.push({
        dealer: d.dealer,
        reason: `No sales in ${at.previous.key}: growth cannot be measured.`,
      });
      continue;
    }
    const s = settleRebate(
      { basis: program.basis, method: program.method, brackets: used.brackets },
      { sales: figures.salesToDate, previousSales: figures.previousSales ?? undefined },
      figures.alreadyPaid,
    );
    settled.push(d);
    rows.push({
      dealerId: d.dealer.id,
      tier: figures.tier,
      sales: figures.salesToDate,
      previousSales: figures.previousSales,
      rebate: s.rebate.amount,
      alreadyPaid: s.alreadyPaid,
      due: s.due,
      clawback: s.clawback,
      result: s.rebate,
    });
  }
  if (rows.length === 0) {
    throw new DomainError(
      'validation_failed',
      `No dealer can be settled in ${period.key} of rebate program ${program.code}: none is in the program${skipped.length > 0 ? ' with sales to grow from' : ''}.`,
      { field: 'program', program: program.code, period: period.key },
    );
  }
  const seq = state.lastSeq + 1;
  const ids = await insertSettlementRows(
    db,
    tenantId,
    {
      programId: program.id,
      period: period.key,
      seq,
      asOf: at.progress.countedTo,
      final: body.final,
      createdBy: origin.actor.name,
    },
    rows,
  );
  const ledger = await appendRecords(
    db,
    tenantId,
    rows.map((r, i) => {
      const result = r.result as { bracket: number | null; rateBasisPoints: number };
      return settlementRecord({
        settlementId: ids[i]!,
        program: { id: program.id, code: program.code },
        period: period.key,
        seq,
        asOf: at.progress.countedTo,
        final: body.final,
        dealer: { id: r.dealerId, code: settled[i]!.dealer.code },
        tier: r.tier,
        basis: program.basis,
        method: program.method,
        sales: r.sales,
        previousSales: r.previousSales,
        bracket: result.bracket,
        rateBasisPoints: result.rateBasisPoints,
        rebate: r.rebate,
        alreadyPaid: r.alreadyPaid,
        due: r.due,
        clawback: r.clawback,
      });
    }),
  );
  const [batch] = await settlementBatches(db, tenantId, scope, program.id, period.key, seq);
  await recordAudit(db, tenantId, origin, {
    action: 'rebate.settled',
    entityType: 'rebate_program',
    entityId: program.id,
    after: {
      program: program.code,
      period: period.key,
      settlement: seq,
      final: body.final,
      asOf: at.progress.countedTo,
      dealers: batch!.dealers,
      rebate: batch!.rebate,
      due: batch!.due,
      clawbacks: batch!.clawbacks,
      skipped: skipped.length,
    },
  });
  return { program: programRef(program), batch: batch!, skipped, ledger };
}

/** A program's settlements (each summed over the caller's dealers) and a page of their lines. */
export async function listSettlements(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  query: RebateSettlementQuery,
): Promise<RebateSettlementPage> {
  const program = await getProgramByCode(db, tenantId, query.program);
  const batches = await settlementBatches(db, tenantId, scope, program.id, query.period);
  const page = await settlementLines(db, tenantId, scope, program.id, query);
  return { program: programRef(program), batches, ...page };
}
