import { PassThrough, type Readable } from 'node:stream';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import type { AllocationDealerLine, ExportFormat } from '@tierline/contract';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { withTenant } from '../db/tenant-scope.js';
import type { DealerScope } from '../auth/policy.js';
import { exportTable, neutralizeCell, type Cell } from '../export/table-export.js';
import { getTenantById } from '../tenants/tenant.repository.js';
import { getAllocation, lineBatch, scopedTotals } from './allocation.repository.js';
import { previousAllocationId } from './allocation.service.js';

const LINE_HEADER = [
  'dealer_code',
  'dealer_name',
  'region',
  'tier',
  'rule',
  'weight',
  'adjustments',
  'floor',
  'cap',
  'amount',
  'previous_tier',
  'previous_amount',
  'delta',
] as const;

const TIER_HEADER = [
  'tier',
  'share',
  'rule',
  'effective_rule',
  'dealers',
  'share_amount',
  'carried',
  'amount',
  'unallocated',
] as const;

/** An amount in minor units as major units: an exact decimal, as the number it prints as. */
export function majorUnits(minor: number, minorUnits: number): number {
  if (minorUnits <= 0) return minor;
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(minorUnits + 1, '0');
  const text = `${digits.slice(0, -minorUnits)}.${digits.slice(-minorUnits)}`;
  return Number(negative ? `-${text}` : text);
}

function lineCells(l: AllocationDealerLine, minorUnits: number): Cell[] {
  const money = (v: number | null) => (v === null ? null : majorUnits(v, minorUnits));
  return [
    l.dealer.code,
    l.dealer.name,
    l.region,
    l.tier,
    l.rule,
    Number(l.weight.toPrecision(10)),
    l.adjustments.map((a) => a.detail).join('; '),
    money(l.floor),
    money(l.cap),
    money(l.amount),
    l.previousTier,
    money(l.previousAmount),
    money(l.delta),
  ];
}

/**
 * An allocation as a file: CSV holds the dealer lines; XLSX two sheets, the tier totals and
 * the dealer lines, amounts in major units as numbers with two decimals. Lines are read 1,000
 * at a time in short read-only transactions, only those in the caller's scope; a caller who
 * sees fewer than every dealer gets tier totals over its own dealers only.
 */
export async function allocationExport(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  allocationId: number,
  format: ExportFormat,
): Promise<{ stream: Readable; period: string; purpose: string }> {
  const { row, previousId, minorUnits, visible } = await withTenant(
    db,
    tenantId,
    async (trx) => {
      const allocation = await getAllocation(trx, tenantId, allocationId);
      const tenant = await getTenantById(trx, tenantId);
      return {
        row: allocation,
        previousId: await previousAllocationId(trx, tenantId, allocation),
        minorUnits: tenant.currency_minor_units,
        visible: (await scopedTotals(trx, tenantId, scope, [allocationId])).get(allocationId)!,
      };
    },
    { readOnly: true },
  );
  const whole = scope.kind === 'tenant';
  const batches = async function* (): AsyncGenerator<AllocationDealerLine[]> {
    let after = 0;
    for (;;) {
      const batch = await withTenant(
        db,
        tenantId,
        (trx) => lineBatch(trx, tenantId, scope, allocationId, previousId, after, 1000),
        { readOnly: true },
      );
      if (batch.length > 0) yield batch;
      const last = batch[batch.length - 1];
      if (!last || batch.length < 1000) return;
      after = last.dealer.id;
    }
  };
  const meta = { period: row.period, purpose: row.purpose };
  if (format === 'csv') {
    async function* rows(): AsyncGenerator<Cell[]> {
      for await (const batch of batches()) for (const l of batch) yield lineCells(l, minorUnits);
    }
    return { ...meta, stream: exportTable('csv', 'lines', LINE_HEADER, rows()) };
  }

  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
  const money = (minor: number) => majorUnits(minor, minorUnits);
  void (async () => {
    const tiers = workbook.addWorksheet('tiers');
    tiers.addRow([...TIER_HEADER]).commit();
    if (whole) {
      for (const t of row.tiers) {
        const cells: Cell[] = [
          t.tier,
          t.share,
          t.rule,
          t.effectiveRule,
          t.dealerCount,
          money(t.shareAmount),
          money(t.carried),
          money(t.amount),
          money(t.unallocated),
        ];
        const added = tiers.addRow(cells.map(neutralizeCell));
        for (const c of [6, 7, 8, 9]) added.getCell(c).numFmt = '0.00';
        added.commit();
      }
      const total = tiers.addRow([
        'total',
        null,
        null,
        null,
        row.tiers.reduce((s, t) => s + t.dealerCount, 0),
        money(row.pool),
        null,
        money(row.allocated),
        money(row.unallocated),
      ]);
      for (const c of [6, 8, 9]) total.getCell(c).numFmt = '0.00';
      total.commit();
    } else {
      // Over the caller's own dealers: no tenant-wide share amounts or carries.
      const own = new Map<string, { count: number; amount: number }>();
      for await (const batch of batches()) {
        for (const l of batch) {
          const t = own.get(l.tier) ?? { count: 0, amount: 0 };
          t.count += 1;
          t.amount += l.amount;
          own.set(l.tier, t);
        }
      }
      for (const t of row.config.tiers) {
        const o = own.get(t.tier) ?? { count: 0, amount: 0 };
        const added = tiers.addRow(
          [t.tier, t.share, t.rule, null, o.count, null, null, money(o.amount), null].map(
            neutralizeCell,
          ),
        );
        added.getCell(8).numFmt = '0.00';
        added.commit();
      }
      const total = tiers.addRow([
        'total',
        null,
        null,
        null,
        visible.count,
        null,
        null,
        money(visible.amount),
        null,
      ]);
      total.getCell(8).numFmt = '0.00';
      total.commit();
    }
    tiers.commit();

    const sheet = workbook.addWorksheet('lines');
    sheet.addRow([...LINE_HEADER]).commit();
    for await (const batch of batches()) {
      for (const l of batch) {
        const added = sheet.addRow(lineCells(l, minorUnits).map(neutralizeCell));
        for (const c of [8, 9, 10, 12, 13]) added.getCell(c).numFmt = '0.00';
        added.commit();
        if (out.writableNeedDrain) await once(out, 'drain');
      }
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) =>
    out.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return { ...meta, stream: out };
}
