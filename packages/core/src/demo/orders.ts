import { PROMOTION_PRICE_FACTOR } from './campaigns.js';
import type { Context } from './context.js';
import { outletCode } from './dealers.js';
import { outletLives, pickOutlet } from './outlets.js';
import type { DealerPlan } from './plan.js';
import { pickWeighted, randomFor, STREAM } from './random.js';
import type { DemoOrderLine } from './types.js';

/** Share of lines without an outlet (replenishing the dealer's own stock). */
const NO_OUTLET = 0.25;
/** A sudden_drop dealer keeps this share of its drop category's volume after the drop. */
const DROP_KEEP = 0.15;

/**
 * The order lines of one dealer, in date order, with its sales (fen) per window month. Each window month draws from its own
 * sub-stream, so a month's orders depend only on (seed, dealer, month). Orders fall on days
 * weighted by the Spring Festival pattern; the number of orders follows trend × season to the
 * power 0.3 and order values the rest, so expected sales follow trend × season. Quantity is
 * whole cases and amount = quantity × unitPrice exactly.
 */
export function dealerOrders(
  ctx: Context,
  plan: DealerPlan,
): { lines: DemoOrderLine[]; totals: Float64Array } {
  const dealer = plan.dealer;
  const lives = outletLives(ctx, dealer);
  const codes: (string | undefined)[] = [];
  const codeOf = (k: number) => (codes[k] ??= outletCode(dealer.code, k));
  const lines: DemoOrderLine[] = [];
  const totals = new Float64Array(ctx.months);
  const picked: number[] = [];
  let carry = plan.orderPhase;
  for (let t = plan.startT; t < plan.endT; t++) {
    const m = plan.trend[t] as number;
    if (m <= 0) continue;
    const rng = randomFor(ctx.seed, STREAM.orders, dealer.index, t);
    const r = () => rng.next();
    const from = ctx.monthStart[t] as number;
    const seasonAll = ctx.seasonAll[t] as number;
    const cdf = ctx.orderDayCdf[t] as Float64Array;
    // Dealers order on a rhythm: fractional orders carry over to the next month (from a
    // per-dealer phase), so a steady dealer's half-year never swings by a whole order or two.
    const before = Math.floor(carry);
    carry += plan.ordersPerMonth * Math.pow(m * seasonAll, 0.3);
    const orders = Math.floor(carry) - before;
    const days: number[] = [];
    for (let o = 0; o < orders; o++) {
      const d = from + pickWeighted(cdf, rng.next());
      if (d >= plan.onboardDay) days.push(d);
    }
    days.sort((x, y) => x - y);
    // An order's value is set by the dealer's needs and shared among its lines.
    const orderValue =
      (plan.lineValue * (plan.linesMin + plan.linesMax) * 0.5 * Math.pow(m, 0.7)) /
      Math.pow(seasonAll, 0.3);
    const dropped = plan.dropT >= 0 && t >= plan.dropT;
    const label = ctx.monthLabels[t]?.replace('-', '') ?? '';
    let seq = 0;
    for (const d of days) {
      const date = ctx.day(d);
      const orderNo = `SO-${dealer.code}-${label}-${String(++seq).padStart(2, '0')}`;
      const wanted = rng.int(plan.linesMin, plan.linesMax);
      picked.length = 0;
      let lineNo = 0;
      for (let attempt = 0; attempt < wanted * 3 && picked.length < wanted; attempt++) {
        const a = pickWeighted(plan.assortmentCdf, rng.next());
        if (d < (plan.availableFrom[a] as number) || d > (plan.availableTo[a] as number)) continue;
        if (picked.includes(a)) continue;
        picked.push(a);
        const p = plan.assortment[a] as number;
        const product = ctx.products[p];
        if (!product) continue;
        const c = ctx.productCategory[p] as number;
        const outlet = rng.chance(NO_OUTLET) ? null : pickOutlet(lives, d, r);
        // Noise is drawn for every line, kept or not, so that draws stay aligned.
        const noise = rng.noise(0.25);
        if (dropped && outlet !== null && outlet < plan.lostOutlets) continue;
        const promo = ctx.campaigns.some(
          (x) => d >= x.startDay && d <= x.endDay && x.categoryMask[c] === true,
        );
        const unitPrice = Math.round(
          product.listPrice * plan.priceFactor * (promo ? PROMOTION_PRICE_FACTOR : 1),
        );
        const keep = dropped && c === plan.dropCategory ? DROP_KEEP : 1;
        const season = ctx.season[c * ctx.months + t] as number;
        const quantity = Math.max(
          1,
          Math.round(((orderValue / wanted) * season * keep * noise) / unitPrice),
        );
        totals[t] = (totals[t] as number) + quantity * unitPrice;
        lines.push({
          orderNo,
          lineNo: ++lineNo,
          dealerIndex: dealer.index,
          dealerCode: dealer.code,
          productIndex: p,
          sku: product.sku,
          outletIndex: outlet === null ? null : dealer.firstOutletIndex + outlet,
          outletCode: outlet === null ? null : codeOf(outlet),
          orderedOn: date,
          quantity,
          unitPrice,
          amount: quantity * unitPrice,
        });
      }
    }
  }
  return { lines, totals };
}
