import type { Kysely } from 'kysely';
import { addMonths, shiftPeriod } from '@tierline/core';
import type { CreateRebateProgram } from '@tierline/contract';
import type { Database } from '../db/database.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import { findDataRange } from '../dealers/dealer.repository.js';
import { createProgram } from './rebate-program.service.js';
import { periodHolding } from './rebate-lines.js';
import { settleRebates } from './rebate-settlement.service.js';

const yuan = (amount: number) => amount * 100;

/**
 * The demo tenant's rebate program: quarterly, on sales, retroactive (全额累进, the usual FMCG
 * practice), a ladder for the two best tiers of the default policy and a default one for the
 * others, sized to the demo channel's quarterly sales (about ¥50,000 to ¥600,000 a dealer).
 */
export const DEMO_REBATE_PROGRAM: CreateRebateProgram = {
  code: 'q-ladder',
  name: '季度阶梯返利',
  periodKind: 'quarterly',
  basis: 'sales',
  method: 'retroactive',
  active: true,
  ladders: {
    default: [
      { from: 0, to: yuan(100_000), rateBasisPoints: 100 },
      { from: yuan(100_000), to: null, rateBasisPoints: 150 },
    ],
    tiers: {
      strategic: [
        { from: 0, to: yuan(300_000), rateBasisPoints: 200 },
        { from: yuan(300_000), to: yuan(600_000), rateBasisPoints: 300 },
        { from: yuan(600_000), to: null, rateBasisPoints: 400 },
      ],
      core: [
        { from: 0, to: yuan(150_000), rateBasisPoints: 150 },
        { from: yuan(150_000), to: yuan(300_000), rateBasisPoints: 200 },
        { from: yuan(300_000), to: null, rateBasisPoints: 250 },
      ],
    },
  },
};

/**
 * Seed the demo's rebates, in the caller's transaction: the program above, and for the last
 * complete quarter an interim settlement after its second month and the final one (so the
 * console shows a true-up, and the current quarter's preview what was paid). Needs published
 * tiers (dealer_tier) and at least the last complete quarter's data; settles nothing without it.
 */
export async function seedDemoRebates(
  db: Kysely<Database>,
  tenantId: number,
  origin: AuditOrigin,
): Promise<void> {
  await createProgram(db, tenantId, DEMO_REBATE_PROGRAM, origin);
  const range = await findDataRange(db, tenantId);
  if (range === null) return;
  const holding = periodHolding('quarterly', range.to);
  const complete = holding.to === range.to ? holding : shiftPeriod(holding, 1);
  if (complete.from < range.from) return;
  const program = DEMO_REBATE_PROGRAM.code;
  const interim = addMonths(complete.from, 1);
  await settleRebates(
    db,
    tenantId,
    { program, period: complete.key, final: false, asOf: interim },
    origin,
  );
  await settleRebates(db, tenantId, { program, period: complete.key, final: true }, origin);
}
