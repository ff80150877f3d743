import type { DealerMonth } from '@tierline/contract';
import { addMonths } from '../format/month';

/** Trailing-window totals of a dealer's monthly rollups; amounts in minor units. */
export interface DealerKpis {
  /** First and last month of the window, YYYY-MM; null when there are no months. */
  from: string | null;
  to: string | null;
  sales: number;
  payments: number;
  invoices: number;
  /** Sales ÷ target over the months that have a target; null when none has. */
  achievement: number | null;
  /** Payments ÷ invoices; null when nothing was invoiced. */
  collection: number | null;
}

/**
 * Sums the `window` months ending with `lastMonth` (default: the dealer's last month).
 * Months without a rollup count as zero; months without a target are left out of the
 * achievement rate rather than counted as 0% or 100%.
 */
export function dealerKpis(
  months: readonly DealerMonth[],
  lastMonth: string | null = months.at(-1)?.month ?? null,
  window = 12,
): DealerKpis {
  if (lastMonth === null) {
    return {
      from: null,
      to: null,
      sales: 0,
      payments: 0,
      invoices: 0,
      achievement: null,
      collection: null,
    };
  }
  const from = addMonths(lastMonth, -(window - 1));
  let sales = 0;
  let payments = 0;
  let invoices = 0;
  let targetedSales = 0;
  let target = 0;
  for (const m of months) {
    if (m.month < from || m.month > lastMonth) continue;
    sales += m.salesAmount;
    payments += m.paymentAmount;
    invoices += m.invoiceAmount;
    if (m.targetAmount !== null && m.targetAmount > 0) {
      targetedSales += m.salesAmount;
      target += m.targetAmount;
    }
  }
  return {
    from,
    to: lastMonth,
    sales,
    payments,
    invoices,
    achievement: target > 0 ? targetedSales / target : null,
    collection: invoices > 0 ? payments / invoices : null,
  };
}
