import type { Kysely } from 'kysely';
import type { RebateLine } from '@tierline/contract';
import type { Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { withTenant } from '../db/tenant-scope.js';
import type { Cell } from '../export/table-export.js';
import { getTenantById } from '../tenants/tenant.repository.js';
import { getProgramByCode } from './rebate.repository.js';
import { previewLines, programPeriodAt } from './rebate-preview.service.js';

/** An amount in minor units as a number of major units (exact decimal, e.g. 12345 → 123.45). */
export function majorUnits(minor: number, minorUnits: number): number {
  if (minorUnits <= 0) return minor;
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(minorUnits + 1, '0');
  const text = `${digits.slice(0, -minorUnits)}.${digits.slice(-minorUnits)}`;
  return Number(negative ? `-${text}` : text);
}

const percent = (basisPoints: number | null | undefined): number | null =>
  basisPoints === null || basisPoints === undefined ? null : basisPoints / 100;

export const PREVIEW_HEADER = [
  'program',
  'period',
  'as_of',
  'dealer_code',
  'dealer_name',
  'tier',
  'ladder',
  'eligible',
  'sales_to_date',
  'projected_sales',
  'previous_sales',
  'current_rate_percent',
  'current_rebate',
  'projected_rate_percent',
  'projected_rebate',
  'next_rate_percent',
  'sales_needed',
  'shortfall',
  'extra_rebate',
  'already_paid',
  'due',
] as const;

/** One preview line as export cells, amounts in major units. */
export function previewRow(
  line: RebateLine,
  context: { program: string; period: string; asOf: string; minorUnits: number },
): Cell[] {
  const money = (minor: number | null | undefined): number | null =>
    minor === null || minor === undefined ? null : majorUnits(minor, context.minorUnits);
  return [
    context.program,
    context.period,
    context.asOf,
    line.dealer.code,
    line.dealer.name,
    line.tier,
    line.ladder.source,
    line.eligible,
    money(line.salesToDate),
    money(line.projectedSales),
    money(line.previousSales),
    percent(line.current.rateBasisPoints),
    money(line.current.amount),
    percent(line.projected.rateBasisPoints),
    money(line.projected.amount),
    percent(line.next?.rateBasisPoints),
    money(line.next?.salesNeeded),
    money(line.next?.shortfall),
    money(line.next?.extraRebate),
    money(line.alreadyPaid),
    money(line.due),
  ];
}

/**
 * A program period's preview as a table for `exportTable`: every line in the caller's scope,
 * by dealer code, amounts in the tenant's major units (yuan), rates in percent. Read in one
 * short read-only transaction (the lines are computed together, as the preview does).
 */
export async function previewExport(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  query: { program: string; period: string; asOf?: string | undefined },
): Promise<{ header: string[]; rows: AsyncIterable<Cell[]>; period: string }> {
  const { lines, context } = await withTenant(
    db,
    tenantId,
    async (trx) => {
      const tenant = await getTenantById(trx, tenantId);
      const program = await getProgramByCode(trx, tenantId, query.program);
      const at = await programPeriodAt(trx, tenantId, program, query.period, query.asOf);
      return {
        lines: await previewLines(trx, tenantId, scope, program, at),
        context: {
          program: program.code,
          period: at.progress.period.key,
          asOf: at.asOf,
          minorUnits: tenant.currency_minor_units,
        },
      };
    },
    { readOnly: true },
  );
  async function* rows(): AsyncGenerator<Cell[]> {
    for (const line of lines) yield previewRow(line, context);
  }
  return { header: [...PREVIEW_HEADER], rows: rows(), period: context.period };
}
