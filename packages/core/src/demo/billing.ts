import type { Context } from './context.js';
import type { DealerPlan } from './plan.js';
import { randomFor, STREAM } from './random.js';
import type { DemoInvoice, DemoPayment } from './types.js';

/** How a dealer pays in window month t: days late against the due date, and bad-debt odds. */
interface PayingHabit {
  readonly meanDelay: number;
  readonly sdDelay: number;
  readonly badDebt: number;
  /** Share of instalment payments (two transfers instead of one). */
  readonly split: number;
}

/**
 * Payment behaviour by archetype. Leaders pay early; stuffers very late; churn risks pay later
 * each month of their last six and often not at all; a sudden drop brings late payments too.
 */
export function payingHabit(plan: DealerPlan, ctx: Context, t: number): PayingHabit {
  const M = ctx.months;
  switch (plan.dealer.archetype) {
    case 'steady_leader':
      return { meanDelay: -6, sdDelay: 3, badDebt: 0, split: 0.05 };
    case 'rising_star':
      return { meanDelay: -1, sdDelay: 5, badDebt: 0.002, split: 0.1 };
    case 'steady':
      return { meanDelay: 2, sdDelay: 7, badDebt: 0.004, split: 0.15 };
    case 'new_entrant':
      return { meanDelay: 4, sdDelay: 8, badDebt: 0.01, split: 0.2 };
    case 'slow_decline':
      return {
        meanDelay: 6 + Math.max(0, t - (M - 12)) * 1.5,
        sdDelay: 10,
        badDebt: 0.01,
        split: 0.25,
      };
    case 'sudden_drop':
      return plan.dropT >= 0 && t >= plan.dropT
        ? { meanDelay: 25, sdDelay: 12, badDebt: 0.05, split: 0.4 }
        : { meanDelay: 3, sdDelay: 7, badDebt: 0.005, split: 0.15 };
    case 'channel_stuffer':
      return { meanDelay: 50, sdDelay: 20, badDebt: 0.04, split: 0.6 };
    case 'churn_risk': {
      const k = t - (M - 6);
      return k >= 0
        ? { meanDelay: 15 + 10 * k, sdDelay: 15, badDebt: 0.3, split: 0.5 }
        : { meanDelay: 6, sdDelay: 8, badDebt: 0.01, split: 0.2 };
    }
  }
}

/** Credit terms: days from invoice to due date. */
function creditDays(plan: DealerPlan): number {
  if (plan.dealer.archetype === 'steady_leader') return 45;
  return plan.dealer.chainLevel === 1 ? 30 : 15;
}

/**
 * One monthly invoice (月结) per month with sales, issued on the month's last day, and the
 * payments against it. A payment after the window's last day has not happened yet and is left
 * out; a bad debt is never paid, or only its first instalment is. Instalments sum exactly to
 * the invoice.
 */
export function dealerBilling(
  ctx: Context,
  plan: DealerPlan,
  totals: Float64Array,
): { invoices: DemoInvoice[]; payments: DemoPayment[] } {
  const dealer = plan.dealer;
  const invoices: DemoInvoice[] = [];
  const payments: DemoPayment[] = [];
  const terms = creditDays(plan);
  for (let t = 0; t < ctx.months; t++) {
    const amount = totals[t] as number;
    if (amount <= 0) continue;
    const rng = randomFor(ctx.seed, STREAM.billing, dealer.index, t);
    const issued = (ctx.monthStart[t + 1] as number) - 1;
    const due = issued + terms;
    const label = (ctx.monthLabels[t] ?? '').replace('-', '');
    const invoiceNo = `INV-${dealer.code}-${label}`;
    invoices.push({
      invoiceNo,
      dealerIndex: dealer.index,
      dealerCode: dealer.code,
      issuedOn: ctx.day(issued),
      dueOn: ctx.day(due),
      amount,
    });
    const habit = payingHabit(plan, ctx, t);
    const bad = rng.chance(habit.badDebt);
    const paid = Math.max(
      issued + 1,
      due + Math.round(habit.meanDelay + habit.sdDelay * rng.normal()),
    );
    const parts: { day: number; amount: number }[] = [];
    if (rng.chance(habit.split)) {
      const first = Math.round(amount * rng.between(0.3, 0.7));
      parts.push({ day: Math.max(issued + 1, paid - rng.int(7, 25)), amount: first });
      if (!bad) parts.push({ day: paid, amount: amount - first });
    } else if (!bad) {
      parts.push({ day: paid, amount });
    }
    parts.forEach((part, k) => {
      if (part.day > ctx.lastDay) return;
      payments.push({
        paymentNo: `PAY-${dealer.code}-${label}-${k + 1}`,
        dealerIndex: dealer.index,
        dealerCode: dealer.code,
        invoiceNo,
        paidOn: ctx.day(part.day),
        amount: part.amount,
      });
    });
  }
  return { invoices, payments };
}
