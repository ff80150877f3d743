import { DomainError } from '../domain-error.js';
import { monthFromIndex, monthIndex } from '../month.js';
import { festivalWeight, formatDay, monthFirstDay, SUPPORTED_YEARS } from './calendar.js';
import { buildCampaigns, type CampaignInfo } from './campaigns.js';
import { buildCatalogue, CATEGORIES, discontinuedAfter } from './catalogue.js';
import type { DemoOptions, DemoProduct } from './types.js';

/**
 * Everything the fact generators share: the window, the catalogue, seasonality and campaigns.
 * Built once per channel; immutable afterwards (the date cache only memoises).
 */
export interface Context {
  readonly seed: number;
  /** Month index (year * 12 + month − 1) of the window's first month. */
  readonly firstMonth: number;
  readonly months: number;
  /** 'YYYY-MM' of each window month. */
  readonly monthLabels: readonly string[];
  /** Day number of each window month's first day; entry `months` is the day after the end. */
  readonly monthStart: Int32Array;
  /** Last day with facts. */
  readonly lastDay: number;
  readonly products: readonly DemoProduct[];
  readonly productCategory: Uint8Array;
  readonly popularity: Float64Array;
  readonly launchDay: Int32Array;
  readonly discontinuedAfter: number;
  /** Volume factor of category c in window month t at [c * months + t]; ~1 on average. */
  readonly season: Float64Array;
  /** Whole-channel volume factor per window month (mean over categories). */
  readonly seasonAll: Float64Array;
  /** Per window month, prefix sums of each day's order likelihood (Spring Festival shape). */
  readonly orderDayCdf: readonly Float64Array[];
  readonly campaigns: readonly CampaignInfo[];
  /** 'YYYY-MM-DD' of a day number, memoised around the window. */
  day(n: number): string;
}

/** Validate the scalar options; throws DomainError('validation_failed') naming the field. */
export function validateOptions(options: Omit<DemoOptions, 'regions'>): void {
  const fail = (field: string, message: string, value: unknown): never => {
    throw new DomainError('validation_failed', message, { field, value });
  };
  if (!Number.isInteger(options.dealers) || options.dealers < 1 || options.dealers > 1_000_000) {
    fail(
      'dealers',
      `dealers must be a whole number from 1 to 1,000,000, got ${options.dealers}.`,
      options.dealers,
    );
  }
  if (!Number.isInteger(options.months) || options.months < 1 || options.months > 120) {
    fail(
      'months',
      `months must be a whole number from 1 to 120, got ${options.months}.`,
      options.months,
    );
  }
  if (!Number.isSafeInteger(options.seed)) {
    fail('seed', `seed must be a whole number, got ${options.seed}.`, options.seed);
  }
  let end: number;
  try {
    end = monthIndex(options.endMonth);
  } catch {
    return fail(
      'endMonth',
      `endMonth must be a month as YYYY-MM, got "${options.endMonth}".`,
      options.endMonth,
    );
  }
  const first = end - options.months + 1;
  const from = SUPPORTED_YEARS.from * 12;
  const to = SUPPORTED_YEARS.to * 12 + 11;
  if (first < from || end > to) {
    fail(
      'endMonth',
      `The demo window ${monthFromIndex(first)} to ${options.endMonth} must lie within ` +
        `${SUPPORTED_YEARS.from}-01 and ${SUPPORTED_YEARS.to}-12 (Spring Festival dates are known for those years).`,
      options.endMonth,
    );
  }
}

/** Build the shared context of a channel (options already validated). */
export function buildContext(options: DemoOptions): Context {
  const { seed, months } = options;
  const firstMonth = monthIndex(options.endMonth) - months + 1;
  const monthStart = new Int32Array(months + 1);
  for (let t = 0; t <= months; t++) monthStart[t] = monthFirstDay(firstMonth + t);
  const firstDay = monthStart[0] as number;
  const lastDay = (monthStart[months] as number) - 1;
  const catalogue = buildCatalogue(seed, firstMonth, months);

  const season = new Float64Array(CATEGORIES.length * months);
  const seasonAll = new Float64Array(months);
  const orderDayCdf: Float64Array[] = [];
  for (let t = 0; t < months; t++) {
    const from = monthStart[t] as number;
    const days = (monthStart[t + 1] as number) - from;
    const calendarMonth = (firstMonth + t) % 12;
    CATEGORIES.forEach((spec, c) => {
      let sum = 0;
      for (let d = 0; d < days; d++) sum += festivalWeight(from + d, spec.festivalBoost);
      const factor = (sum / days) * (spec.months[calendarMonth] ?? 1);
      season[c * months + t] = factor;
      seasonAll[t] = (seasonAll[t] ?? 0) + factor / CATEGORIES.length;
    });
    const cdf = new Float64Array(days);
    let running = 0;
    for (let d = 0; d < days; d++) {
      running += festivalWeight(from + d, 1);
      cdf[d] = running;
    }
    orderDayCdf.push(cdf);
  }

  const cacheFrom = firstDay - 800;
  const cache: (string | undefined)[] = new Array<string | undefined>(lastDay + 800 - cacheFrom);
  return {
    seed,
    firstMonth,
    months,
    monthLabels: Array.from({ length: months }, (_, t) => monthFromIndex(firstMonth + t)),
    monthStart,
    lastDay,
    products: catalogue.products,
    productCategory: Uint8Array.from(catalogue.products, (p) =>
      CATEGORIES.findIndex((c) => c.name === p.category),
    ),
    popularity: Float64Array.from(catalogue.popularity),
    launchDay: Int32Array.from(catalogue.launchDays),
    discontinuedAfter: discontinuedAfter(firstMonth + months - 1),
    season,
    seasonAll,
    orderDayCdf,
    campaigns: buildCampaigns(firstDay, lastDay),
    day(n: number): string {
      const i = n - cacheFrom;
      if (i < 0 || i >= cache.length) return formatDay(n);
      return (cache[i] ??= formatDay(n));
    },
  };
}

/** Window month index t (0-based) of a day number, or −1 before the window. */
export function windowMonthOf(ctx: Context, n: number): number {
  if (n < (ctx.monthStart[0] as number)) return -1;
  let t = 0;
  while (t < ctx.months - 1 && n >= (ctx.monthStart[t + 1] as number)) t++;
  return t;
}
