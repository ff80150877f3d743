import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { withTenant } from '../db/tenant-scope.js';
import type { DealerScope } from '../auth/policy.js';
import type { Cell } from '../export/table-export.js';
import { decisionBatch, decodeContributions, getRun } from './assessment.repository.js';

/**
 * A run's decisions as a table: header and rows in rank order, read 1,000 at a time in short
 * read-only transactions, so that an export of 100,000 dealers never holds the database.
 */
export async function decisionExport(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  runId: number,
): Promise<{ header: string[]; rows: AsyncIterable<Cell[]>; period: string }> {
  const run = await withTenant(db, tenantId, (trx) => getRun(trx, tenantId, runId), {
    readOnly: true,
  });
  const metrics = run.metrics;
  const header = [
    'rank',
    'dealer_code',
    'dealer_name',
    'score',
    'previous_tier',
    'score_tier',
    'candidate_tier',
    'tier',
    'standing',
    'reasons',
    'override',
    'override_reason',
    ...metrics.flatMap((m) => [`${m.key}`, `${m.key}_points`]),
  ];
  async function* rows(): AsyncGenerator<Cell[]> {
    let after = 0;
    for (;;) {
      const batch = await withTenant(
        db,
        tenantId,
        (trx) => decisionBatch(trx, tenantId, scope, runId, after, 1000),
        { readOnly: true },
      );
      for (const d of batch) {
        const contributions = decodeContributions(d.contributions, metrics);
        yield [
          d.rank,
          d.dealer_code,
          d.dealer_name,
          Number(d.score.toFixed(2)),
          d.previous_tier,
          d.score_tier,
          d.candidate_tier,
          d.tier,
          d.standing,
          d.reasons.join(' '),
          d.override_kind,
          d.override_reason,
          ...contributions.flatMap((c) => [c.value, Number(c.points.toFixed(2))]),
        ];
      }
      const last = batch[batch.length - 1];
      if (!last || batch.length < 1000) return;
      after = last.rank;
    }
  }
  return { header, rows: rows(), period: run.period };
}
