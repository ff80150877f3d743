import type { Kysely } from 'kysely';
import {
  diagnoseSales,
  type AlertCondition,
  type AlertContext,
  type AlertDiagnosis,
  type DealerMonth,
  type DiagnosisInput,
  type OpenInvoiceFact,
} from '@tierline/core';
import type { Database } from '../db/database.js';
import {
  loadCategoryMonths,
  loadComplaintTopics,
  loadOutletMonths,
  loadRegionSales,
} from './alert-data.repository.js';

/** A sales condition of a dealer that needs its diagnostic report. */
export interface DiagnosisRequest {
  key: string;
  dealerId: number;
  condition: AlertCondition;
}

/**
 * The diagnostic reports of some sales conditions, in a few queries for all of them: sales per
 * category (dealer_category_month) and per outlet (order lines), complaints by topic, and the
 * province's sales; the rest (visits, payments, stock) comes from the rollups already loaded.
 */
export async function buildDiagnoses(
  db: Kysely<Database>,
  tenantId: number,
  requests: readonly DiagnosisRequest[],
  months: ReadonlyMap<number, readonly DealerMonth[]>,
  openInvoices: ReadonlyMap<number, readonly OpenInvoiceFact[]>,
  ctx: Pick<AlertContext, 'currency'>,
): Promise<Map<string, AlertDiagnosis>> {
  const out = new Map<string, AlertDiagnosis>();
  const wanted = requests.filter((r) => r.condition.windows !== null);
  if (wanted.length === 0) return out;
  const dealerIds = [...new Set(wanted.map((r) => r.dealerId))];
  const allMonths = [
    ...new Set(
      wanted.flatMap((r) => [...r.condition.windows!.current, ...r.condition.windows!.baseline]),
    ),
  ].sort();
  // One after the other: a transaction holds one connection.
  const categories = await loadCategoryMonths(db, tenantId, dealerIds, allMonths);
  const outlets = await loadOutletMonths(db, tenantId, dealerIds, allMonths);
  const complaints = await loadComplaintTopics(db, tenantId, dealerIds, allMonths);
  const region = await loadRegionSales(db, tenantId, dealerIds, allMonths);
  const byDealer = <T extends { dealerId: number }>(rows: readonly T[]) => {
    const map = new Map<number, T[]>();
    for (const row of rows) {
      let list = map.get(row.dealerId);
      if (!list) map.set(row.dealerId, (list = []));
      list.push(row);
    }
    return map;
  };
  const categoryRows = byDealer(categories);
  const outletRows = byDealer(outlets);
  const complaintRows = byDealer(complaints);

  for (const request of wanted) {
    const windows = request.condition.windows!;
    const current = new Set(windows.current);
    const baseline = new Set(windows.baseline);
    const rows = months.get(request.dealerId) ?? [];
    const value = (m: DealerMonth, key: string) => m.values[key] ?? 0;
    const sumOver = (set: ReadonlySet<string>, key: string) =>
      rows.filter((m) => set.has(m.month)).reduce((s, m) => s + value(m, key), 0);

    const cats = new Map<string, DiagnosisInput['categories'][number]>();
    for (const c of categoryRows.get(request.dealerId) ?? []) {
      const inCurrent = current.has(c.month);
      const inBaseline = baseline.has(c.month);
      if (!inCurrent && !inBaseline) continue;
      const seen = cats.get(c.category) ?? {
        category: c.category,
        current: { sales: 0, quantity: 0 },
        baseline: { sales: 0, quantity: 0 },
      };
      const add = (cell: { sales: number; quantity: number }) => ({
        sales: cell.sales + c.sales,
        quantity: cell.quantity + c.quantity,
      });
      cats.set(c.category, {
        category: c.category,
        current: inCurrent ? add(seen.current) : seen.current,
        baseline: inBaseline ? add(seen.baseline) : seen.baseline,
      });
    }

    const outs = new Map<
      string,
      { code: string | null; name: string | null; current: number; baseline: number }
    >();
    for (const o of outletRows.get(request.dealerId) ?? []) {
      const key = o.code ?? '';
      const seen = outs.get(key) ?? { code: o.code, name: o.name, current: 0, baseline: 0 };
      if (current.has(o.month)) seen.current += o.sales;
      if (baseline.has(o.month)) seen.baseline += o.sales;
      outs.set(key, seen);
    }

    const topics = new Map<string, number>();
    for (const c of complaintRows.get(request.dealerId) ?? []) {
      if (current.has(c.month)) topics.set(c.topic, (topics.get(c.topic) ?? 0) + c.count);
    }

    const province = region.regionOf.get(request.dealerId);
    const provinceSales = province ? region.sales.get(province.id) : undefined;
    const regionSum = (set: ReadonlySet<string>) =>
      [...set].reduce((s, m) => s + (provinceSales?.get(m) ?? 0), 0);
    const ownCurrent = sumOver(current, 'sales_amount');
    const ownBaseline = sumOver(baseline, 'sales_amount');
    const others = province
      ? { current: regionSum(current) - ownCurrent, baseline: regionSum(baseline) - ownBaseline }
      : null;

    const last = rows.find((m) => m.month === windows.current[windows.current.length - 1]);
    const stockValue = last ? value(last, 'inventory_value') : 0;
    const overdue = (openInvoices.get(request.dealerId) ?? []).reduce(
      (s, i) => s + i.outstanding,
      0,
    );

    const input: DiagnosisInput = {
      windows,
      categories: [...cats.values()],
      outlets: [...outs.values()],
      region:
        province && others && (others.current > 0 || others.baseline > 0)
          ? { code: province.code, name: province.name, ...others }
          : null,
      complaints: {
        current: sumOver(current, 'complaint_count'),
        baseline: sumOver(baseline, 'complaint_count'),
        topics: [...topics.entries()]
          .map(([topic, count]) => ({ topic, count }))
          .sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic)),
      },
      stock:
        last && stockValue > 0
          ? { value: stockValue, nearExpiryValue: value(last, 'near_expiry_value') }
          : null,
      payments: {
        invoiced: sumOver(current, 'invoice_amount'),
        paid: sumOver(current, 'payment_amount'),
        overdue,
      },
      visits: {
        current: sumOver(current, 'visit_count'),
        baseline: sumOver(baseline, 'visit_count'),
      },
      orderingOutlets: {
        current: sumOver(current, 'ordering_outlet_count'),
        baseline: sumOver(baseline, 'ordering_outlet_count'),
      },
    };
    out.set(request.key, diagnoseSales(input, ctx));
  }
  return out;
}
