import { parseDay } from './calendar.js';
import { CATEGORIES } from './catalogue.js';
import type { Context } from './context.js';
import { randomFor, STREAM, type Random } from './random.js';
import type { DemoArchetype, DemoDealer } from './types.js';

/**
 * The hidden parameters behind one dealer's facts, re-derived from (seed, dealer index) by
 * every fact stream, so that streams can run in any order and stay consistent.
 */
export interface DealerPlan {
  readonly dealer: DemoDealer;
  /** First window month with facts (onboarding), and the month after the last. */
  readonly startT: number;
  readonly endT: number;
  readonly onboardDay: number;
  /** Sales multiplier per window month (trend × noise × archetype), 0 outside [startT, endT). */
  readonly trend: Float64Array;
  /** The noise-free trend of month t (any integer, also before the window), without stuffing. */
  readonly expected: (t: number) => number;
  readonly ordersPerMonth: number;
  /** Where in its ordering rhythm the dealer starts, in [0, 1). */
  readonly orderPhase: number;
  readonly linesMin: number;
  readonly linesMax: number;
  /** Typical value of one order line at trend 1 and season 1, fen. */
  readonly lineValue: number;
  /** Dealer price as a share of list price. */
  readonly priceFactor: number;
  /** Product indexes carried, the prefix sums of their weights, and when each is orderable. */
  readonly assortment: Int32Array;
  readonly assortmentCdf: Float64Array;
  readonly availableFrom: Int32Array;
  readonly availableTo: Int32Array;
  /** sudden_drop: window month of the drop, category index and lost top outlets; else −1/0. */
  readonly dropT: number;
  readonly dropCategory: number;
  readonly lostOutlets: number;
}

/** Dealer-level category preference by channel type, in CATEGORIES order. */
// prettier-ignore
const CHANNEL_MIX: Readonly<Record<string, readonly number[]>> = {
  wholesale: [1.4, 1.0, 1.2, 1.0, 0.8, 0.8, 0.8, 0.5],
  modern_trade: [1.3, 1.2, 1.3, 0.9, 0.8, 0.9, 0.7, 0.6],
  catering: [0.9, 0.3, 0.2, 0.3, 1.8, 1.5, 1.6, 0.2],
  community_group: [0.8, 1.3, 1.0, 0.7, 0.7, 1.4, 0.3, 0.4],
  ecommerce: [1.0, 1.1, 1.6, 0.8, 0.4, 0.6, 0.3, 1.0],
  convenience: [1.6, 1.1, 1.3, 1.2, 0.3, 0.3, 0.8, 0.3],
};

/**
 * A dealer's category weights (summing to 1). A sudden_drop dealer leans on its top category
 * (about 60% of its sales) so that losing that category produces the drop.
 */
export function categoryWeights(
  seed: number,
  index: number,
  channelType: string,
  archetype: DemoArchetype,
): number[] {
  const rng = randomFor(seed, STREAM.plan, index, 1);
  const mix = CHANNEL_MIX[channelType] ?? CHANNEL_MIX['wholesale'] ?? [];
  const weights = CATEGORIES.map((_, c) => (mix[c] ?? 1) * rng.noise(0.5));
  if (archetype === 'sudden_drop') {
    const top = topCategory(weights);
    const rest = weights.reduce((s, w) => s + w, 0) - (weights[top] ?? 0);
    weights[top] = rest * 1.5;
  }
  const sum = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => w / sum);
}

/** Index of the largest weight. */
export function topCategory(weights: readonly number[]): number {
  let best = 0;
  weights.forEach((w, i) => {
    if (w > (weights[best] ?? 0)) best = i;
  });
  return best;
}

/** Window month of a sudden drop: 2 to 6 months before the end, never the first month. */
export function dropMonthOf(rng: Random, months: number): number {
  return Math.max(1, months - rng.int(2, 6));
}

/** Derive the plan of a dealer. Cheap enough (~150 products) to redo in every stream. */
export function planDealer(ctx: Context, dealer: DemoDealer): DealerPlan {
  const rng = randomFor(ctx.seed, STREAM.plan, dealer.index, 0);
  const M = ctx.months;
  const onboardDay = parseDay(dealer.onboardedOn);
  let startT = 0;
  while (startT < M && (ctx.monthStart[startT + 1] as number) <= onboardDay) startT++;
  const endT = M - (dealer.status === 'suspended' ? 2 : dealer.status === 'terminated' ? 4 : 0);
  const a = dealer.archetype;
  const level1 = dealer.chainLevel === 1;

  const growth =
    a === 'rising_star'
      ? rng.between(0.035, 0.055)
      : a === 'steady_leader'
        ? rng.between(0.003, 0.007)
        : 0.003 + 0.002 * rng.normal();
  const sigma = a === 'steady_leader' ? 0.06 : 0.1;
  // The noise-free course of the business, defined for any month (also before the window).
  const expected = (t: number): number => {
    let m = Math.pow(1 + growth, t - (M - 1));
    if (a === 'slow_decline' && t > M - 13) m *= Math.pow(0.98, t - (M - 13));
    if (a === 'churn_risk' && t > M - 7) m *= Math.pow(0.94, t - (M - 7));
    if (a === 'new_entrant') m *= t < startT ? 0 : Math.min(1, 0.3 + 0.14 * (t - startT));
    return m;
  };
  const trend = new Float64Array(M);
  for (let t = startT; t < Math.max(startT, endT); t++) {
    const stuffing = a === 'channel_stuffer' ? ((ctx.firstMonth + t) % 3 === 2 ? 1.75 : 1.1) : 1;
    trend[t] = expected(t) * stuffing * rng.noise(sigma);
  }

  const weights = categoryWeights(ctx.seed, dealer.index, dealer.channelType, a);
  const size = (a === 'steady_leader' ? 4 : 2) + (level1 ? rng.int(4, 6) * 10 : rng.int(15, 25));
  const assortment = chooseAssortment(ctx, rng, weights, size, a);
  const lagMax =
    a === 'rising_star' || a === 'steady_leader'
      ? 20
      : a === 'steady' || a === 'new_entrant'
        ? 120
        : 300;
  const availableFrom = Int32Array.from(assortment, (p) =>
    ctx.products[p]?.isNew ? (ctx.launchDay[p] as number) + rng.int(0, lagMax) : -1e9,
  );
  const availableTo = Int32Array.from(assortment, (p) =>
    ctx.products[p]?.status === 'discontinued' ? ctx.discontinuedAfter : 1e9,
  );
  const assortmentCdf = new Float64Array(assortment.length);
  let running = 0;
  assortment.forEach((p, i) => {
    running += (weights[ctx.productCategory[p] as number] ?? 0) * (ctx.popularity[p] as number);
    assortmentCdf[i] = running;
  });

  const dropRng = randomFor(ctx.seed, STREAM.plan, dealer.index, 2);
  const isDrop = a === 'sudden_drop';
  return {
    dealer,
    startT,
    endT,
    onboardDay,
    trend,
    expected,
    orderPhase: randomFor(ctx.seed, STREAM.plan, dealer.index, 3).next(),
    ordersPerMonth:
      a === 'steady_leader' ? 5.5 : a === 'channel_stuffer' ? 2.6 : level1 ? 3.5 : 1.7,
    linesMin: level1 ? 5 : 1,
    linesMax: a === 'channel_stuffer' ? 11 : level1 ? 8 : 4,
    lineValue: (level1 ? 280_000 : 120_000) * (a === 'steady_leader' ? 1.6 : 1) * rng.noise(0.35),
    priceFactor: a === 'steady_leader' ? 0.84 : level1 ? 0.86 : 0.93,
    assortment,
    assortmentCdf,
    availableFrom,
    availableTo,
    dropT: isDrop ? dropMonthOf(dropRng, M) : -1,
    dropCategory: isDrop ? topCategory(weights) : -1,
    lostOutlets: isDrop ? Math.min(3, Math.max(1, Math.floor(dealer.outletCount / 4))) : 0,
  };
}

/**
 * Pick `size` products by weight without replacement (Efraimidis-Spirakis keys), in product
 * index order so that the result does not depend on the draw order. Rising stars and leaders
 * almost always carry the new products; decliners rarely. Runs for every dealer in every
 * stream, hence the typed arrays and the native sort instead of sorting objects.
 */
function chooseAssortment(
  ctx: Context,
  rng: Random,
  weights: readonly number[],
  size: number,
  archetype: DemoArchetype,
): Int32Array {
  const pushNew =
    archetype === 'rising_star' || archetype === 'steady_leader'
      ? 0.9
      : archetype === 'steady'
        ? 0.45
        : 0.2;
  const n = ctx.products.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (ctx.products[i]?.isNew) {
      keys[i] = rng.chance(pushNew) ? Infinity : -Infinity;
      continue;
    }
    const w = (weights[ctx.productCategory[i] as number] ?? 0) * (ctx.popularity[i] as number);
    keys[i] = Math.log(1 - rng.next()) / w;
  }
  const k = Math.min(size, n);
  const threshold = keys.slice().sort()[n - k] as number;
  const out = new Int32Array(k);
  let taken = 0;
  for (let i = 0; i < n && taken < k; i++) if ((keys[i] as number) >= threshold) out[taken++] = i;
  return out;
}
