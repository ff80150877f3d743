import { parseDay } from './calendar.js';
import type { Context } from './context.js';
import { outletCode } from './dealers.js';
import { OUTLET_TYPES, outletName } from './names.js';
import { cumulate, pickWeighted, randomFor, STREAM } from './random.js';
import type { DealerRange, DemoDealer, DemoOutlet } from './types.js';

/** When each of a dealer's outlets is open, and how much of the dealer's business it takes. */
export interface OutletLives {
  readonly openDay: Int32Array;
  /** First day closed; a large number when the outlet stays open. */
  readonly closeDay: Int32Array;
  /** Prefix sums of order weights: the first outlets are the dealer's biggest customers. */
  readonly cdf: Float64Array;
}

const NEVER = 1e9;
const TYPE_CDF = cumulate(OUTLET_TYPES.map((t) => t.weight));

/**
 * Derive the outlets' lifecycles. Most outlets predate the window; a share opens inside it
 * (more for rising stars and new entrants, whose outlets open after onboarding). churn_risk
 * dealers lose about 40% of their outlets in the last six months; others lose a few.
 */
export function outletLives(ctx: Context, dealer: DemoDealer): OutletLives {
  const rng = randomFor(ctx.seed, STREAM.outlets, dealer.index, 0);
  const n = dealer.outletCount;
  const windowStart = ctx.monthStart[0] as number;
  const onboard = parseDay(dealer.onboardedOn);
  const openDay = new Int32Array(n);
  const closeDay = new Int32Array(n);
  const weights: number[] = [];
  const a = dealer.archetype;
  const insideShare = a === 'rising_star' ? 0.45 : 0.15;
  const windowDays = ctx.lastDay - windowStart + 1;
  const lastSix = ctx.monthStart[Math.max(0, ctx.months - 6)] as number;
  for (let k = 0; k < n; k++) {
    if (a === 'new_entrant' || onboard >= windowStart) {
      openDay[k] = Math.min(ctx.lastDay, onboard + (k < 3 ? rng.int(0, 20) : rng.int(0, 200)));
    } else if (k >= 3 && rng.chance(insideShare)) {
      openDay[k] = windowStart + rng.int(0, windowDays - 1);
    } else {
      openDay[k] = Math.max(onboard, windowStart - rng.int(30, 2200));
    }
    let close = NEVER;
    if (a === 'churn_risk' && k >= 1 && rng.chance(0.4)) {
      close = Math.max((openDay[k] as number) + 30, lastSix + rng.int(0, ctx.lastDay - lastSix));
    } else if (rng.chance(0.03)) {
      close = (openDay[k] as number) + rng.int(60, 900);
    }
    closeDay[k] = close;
    weights.push((1 / (1 + 0.2 * k)) * rng.noise(0.3));
  }
  return { openDay, closeDay, cdf: cumulate(weights) };
}

/** An outlet open on `day`, drawn by weight; null when the draws keep hitting closed ones. */
export function pickOutlet(lives: OutletLives, day: number, r: () => number): number | null {
  if (lives.cdf.length === 0) return null;
  for (let attempt = 0; attempt < 4; attempt++) {
    const k = pickWeighted(lives.cdf, r());
    if ((lives.openDay[k] as number) <= day && day < (lives.closeDay[k] as number)) return k;
  }
  return null;
}

/** True when outlet k is open on some day of [from, to]. */
export function openDuring(lives: OutletLives, k: number, from: number, to: number): boolean {
  return (lives.openDay[k] as number) <= to && (lives.closeDay[k] as number) > from;
}

/**
 * Names and types of a dealer's outlets, drawn from their own sub-stream so that complaints
 * can name an outlet without generating the others' facts.
 */
export function outletProfiles(ctx: Context, dealer: DemoDealer): { name: string; type: string }[] {
  const rng = randomFor(ctx.seed, STREAM.outlets, dealer.index, 1);
  const preferred =
    dealer.channelType === 'catering' ? 3 : dealer.channelType === 'modern_trade' ? 2 : -1;
  return Array.from({ length: dealer.outletCount }, () => {
    const type = preferred >= 0 && rng.chance(0.5) ? preferred : pickWeighted(TYPE_CDF, rng.next());
    const spec = OUTLET_TYPES[type] ?? OUTLET_TYPES[0];
    return { name: outletName(rng, spec?.names ?? ['{t}便利店']), type: spec?.type ?? 'grocery' };
  });
}

/** The outlets of the dealers in `range`, one dealer at a time, in dealer order. */
export function* generateOutlets(
  ctx: Context,
  dealers: readonly DemoDealer[],
  range: DealerRange,
): Generator<DemoOutlet> {
  for (let i = range.from; i < range.to; i++) {
    const dealer = dealers[i];
    if (!dealer) continue;
    const lives = outletLives(ctx, dealer);
    const profiles = outletProfiles(ctx, dealer);
    for (let k = 0; k < dealer.outletCount; k++) {
      yield {
        index: dealer.firstOutletIndex + k,
        code: outletCode(dealer.code, k),
        name: profiles[k]?.name ?? '',
        dealerIndex: i,
        dealerCode: dealer.code,
        regionCode: dealer.regionCode,
        outletType: profiles[k]?.type ?? 'grocery',
        openedOn: ctx.day(lives.openDay[k] as number),
        status: (lives.closeDay[k] as number) <= ctx.lastDay ? 'closed' : 'active',
      };
    }
  }
}
