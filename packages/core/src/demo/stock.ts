import type { Context } from './context.js';
import type { DealerPlan } from './plan.js';
import { randomFor, STREAM } from './random.js';
import type { DemoInventorySnapshot, DemoTarget } from './types.js';

/** Expected order lines a month at trend 1 (orders × mean lines per order). */
function expectedLines(plan: DealerPlan): number {
  return plan.ordersPerMonth * ((plan.linesMin + plan.linesMax) / 2);
}

/**
 * Monthly sales targets as a manufacturer sets them: the same month's expected sales a year
 * earlier plus 8%, with seasonality, rounded to ¥1,000 (new entrants: their planned ramp).
 * Targets know nothing of what happens this year, so decliners fall short and rising stars
 * beat them; stuffers get stretched targets, which is why they stuff.
 */
export function dealerTargets(ctx: Context, plan: DealerPlan): DemoTarget[] {
  const dealer = plan.dealer;
  const rng = randomFor(ctx.seed, STREAM.targets, dealer.index);
  const out: DemoTarget[] = [];
  const a = dealer.archetype;
  // Typical noise and rounding lift a line's value a little above lineValue.
  const base =
    plan.lineValue * expectedLines(plan) * 1.04 * (a === 'channel_stuffer' ? 1.35 : 1.08);
  for (let t = plan.startT; t < plan.endT; t++) {
    const course = a === 'new_entrant' ? plan.expected(t) : plan.expected(t - 12);
    const raw = base * (ctx.seasonAll[t] as number) * course * rng.between(0.95, 1.05);
    out.push({
      dealerIndex: dealer.index,
      dealerCode: dealer.code,
      month: `${ctx.monthLabels[t]}-01`,
      amount: Math.max(100_000, Math.round(raw / 100_000) * 100_000),
    });
  }
  return out;
}

/**
 * Month-end inventory of the dealer's best-selling SKUs, by batch. Stock is weeks of cover of
 * the expected volume: 1.5-4 weeks normally, growing from 5 to 16 weeks over the window for
 * channel stuffers, who also hold an old batch close to expiry. Near expiry means at most a
 * third of the shelf life left. Some 二级 rows carry no batch number (untraceable stock).
 */
export function dealerInventory(ctx: Context, plan: DealerPlan): DemoInventorySnapshot[] {
  const dealer = plan.dealer;
  const a = dealer.archetype;
  const out: DemoInventorySnapshot[] = [];
  const top = topProducts(
    plan,
    a === 'channel_stuffer' ? 5 : a === 'steady_leader' ? 4 : dealer.chainLevel === 1 ? 3 : 1,
  );
  const totalWeight = plan.assortmentCdf[plan.assortmentCdf.length - 1] ?? 1;
  const M = ctx.months;
  for (let t = plan.startT; t < plan.endT; t++) {
    const rng = randomFor(ctx.seed, STREAM.inventory, dealer.index, t);
    const snapshot = (ctx.monthStart[t + 1] as number) - 1;
    const date = ctx.day(snapshot);
    const monthlyLines = expectedLines(plan) * Math.pow(plan.trend[t] as number, 0.3);
    for (const { slot, weight } of top) {
      const p = plan.assortment[slot] as number;
      const product = ctx.products[p];
      if (
        !product ||
        snapshot < (plan.availableFrom[slot] as number) ||
        snapshot > (plan.availableTo[slot] as number)
      )
        continue;
      const c = ctx.productCategory[p] as number;
      const monthlyValue =
        monthlyLines *
        (weight / totalWeight) *
        plan.lineValue *
        Math.pow(plan.trend[t] as number, 0.7);
      const monthlyCases =
        (monthlyValue * (ctx.season[c * M + t] as number)) / (product.listPrice * plan.priceFactor);
      const weeks =
        a === 'channel_stuffer'
          ? 5 + (11 * (t - plan.startT)) / Math.max(1, M - 1 - plan.startT)
          : a === 'churn_risk'
            ? rng.between(3, 6)
            : rng.between(1.5, 4);
      const quantity = Math.max(1, Math.round((monthlyCases / 4.3) * weeks));
      const shelf = product.shelfLifeDays;
      const batches: { share: number; age: number }[] =
        a === 'channel_stuffer'
          ? [
              { share: rng.between(0.35, 0.6), age: rng.between(0.7, 0.92) },
              { share: 1, age: rng.between(0.05, 0.3) },
            ]
          : [
              {
                share: 1,
                age: rng.chance(0.04)
                  ? rng.between(0.7, 0.9)
                  : rng.between(a === 'churn_risk' ? 0.2 : 0.05, a === 'churn_risk' ? 0.55 : 0.4),
              },
            ];
      let left = quantity;
      batches.forEach((batch, k) => {
        const q = k === batches.length - 1 ? left : Math.max(1, Math.round(quantity * batch.share));
        left -= q;
        if (q <= 0) return;
        const produced = snapshot - Math.round(shelf * batch.age);
        const untracked = batches.length === 1 && dealer.chainLevel === 2 && rng.chance(0.08);
        out.push({
          dealerIndex: dealer.index,
          dealerCode: dealer.code,
          productIndex: p,
          sku: product.sku,
          snapshotOn: date,
          batchNo: untracked
            ? ''
            : `B${ctx.day(produced).slice(2).replaceAll('-', '')}-${String(p % 97).padStart(2, '0')}${k === 0 ? '' : String.fromCharCode(65 + k)}`,
          expiresOn: untracked ? null : ctx.day(produced + shelf),
          quantity: q,
        });
      });
    }
  }
  return out;
}

/** The assortment slots with the largest order weights, largest first. */
function topProducts(plan: DealerPlan, k: number): { slot: number; weight: number }[] {
  const slots = Array.from(plan.assortmentCdf, (c, i) => ({
    slot: i,
    weight: c - (plan.assortmentCdf[i - 1] ?? 0),
  }));
  return slots.sort((x, y) => y.weight - x.weight || x.slot - y.slot).slice(0, k);
}
