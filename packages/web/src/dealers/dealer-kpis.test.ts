import type { DealerMonth } from '@tierline/contract';
import { describe, expect, it } from 'vitest';
import { addMonths } from '../format/month';
import { dealerKpis } from './dealer-kpis';

function month(
  m: string,
  sales: number,
  payments: number,
  invoices: number,
  target: number | null,
): DealerMonth {
  return {
    month: m,
    salesAmount: sales,
    salesQuantity: 0,
    orderCount: 0,
    orderLineCount: 0,
    skuCount: 0,
    newProductAmount: 0,
    orderingOutletCount: 0,
    visitedOutletCount: 0,
    visitCount: 0,
    invoiceAmount: invoices,
    paymentAmount: payments,
    targetAmount: target,
    complaintCount: 0,
    complianceEventCount: 0,
    complianceSeverityPoints: 0,
    inventoryQuantity: 0,
    inventoryValue: 0,
    nearExpiryValue: 0,
    batchTrackedQuantity: 0,
    campaignTasksPlanned: 0,
    campaignTasksCompleted: 0,
  };
}

describe('addMonths', () => {
  it.each([
    ['2026-10', -11, '2025-11'],
    ['2026-01', -1, '2025-12'],
    ['2025-12', 1, '2026-01'],
    ['2026-03', 0, '2026-03'],
    ['2026-10', -35, '2023-11'],
  ])('%s plus %d months is %s', (m, delta, expected) => {
    expect(addMonths(m, delta)).toBe(expected);
  });
});

describe('dealerKpis over the trailing 12 months', () => {
  it('sums only the window that ends with the last month', () => {
    const months = [
      month('2025-10', 999, 999, 999, 999), // 13 months back: outside
      month('2025-11', 100, 50, 100, 200),
      month('2026-10', 300, 250, 300, 200),
    ];
    const kpis = dealerKpis(months);
    expect(kpis).toMatchObject({ from: '2025-11', to: '2026-10', sales: 400, payments: 300 });
    expect(kpis.achievement).toBe(1);
    expect(kpis.collection).toBe(0.75);
  });

  it('leaves months without a target out of the achievement rate', () => {
    const kpis = dealerKpis([month('2026-09', 500, 0, 0, null), month('2026-10', 80, 0, 0, 100)]);
    expect(kpis.achievement).toBe(0.8);
    expect(kpis.collection).toBeNull();
  });

  it('has no rates without months', () => {
    expect(dealerKpis([])).toMatchObject({ from: null, sales: 0, achievement: null });
  });

  it('can end the window at the tenant data end, after a dealer went quiet', () => {
    const kpis = dealerKpis([month('2025-06', 100, 100, 100, 100)], '2026-10');
    expect(kpis).toMatchObject({ from: '2025-11', sales: 0, achievement: null });
  });
});
