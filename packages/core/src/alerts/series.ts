import { monthFromIndex, monthIndex } from '../month.js';
import { alertMeasure } from './rules.js';
import type { ChannelMonth, DealerAlertInput } from './types.js';

/**
 * A dealer's monthly values of one measure over a range of months: null before the dealer's
 * first month (its onboarding month, or its first rollup row when earlier), the rollup's value
 * after, and 0 for a month without a rollup row (no activity at all) — except the target and
 * ratios, which stay null when unknown (no target, nothing to divide by).
 *
 * @example monthlyValues(input, 'sales_amount', '2025-01', '2025-03') // [1200000, 0, 980000]
 */
export function monthlyValues(
  input: DealerAlertInput,
  measure: string,
  from: string,
  to: string,
): (number | null)[] {
  const start = monthIndex(from);
  const end = monthIndex(to);
  const { rows, first } = indexOf(input);
  const def = alertMeasure(measure);
  const out: (number | null)[] = [];
  for (let i = start; i <= end; i++) {
    if (first === null || i < first) {
      out.push(null);
      continue;
    }
    const values = rows.get(i);
    if (def?.ratio) {
      const of = values?.[def.ratio.of] ?? null;
      const to = values?.[def.ratio.to] ?? null;
      out.push(of !== null && to !== null && to > 0 ? of / to : null);
    } else if (measure === 'target_amount') {
      out.push(values?.[measure] ?? null);
    } else {
      out.push(values?.[measure] ?? 0);
    }
  }
  return out;
}

/** A dealer's rows by month index and its first month, computed once per input (rules share it). */
const INDEXED = new WeakMap<
  DealerAlertInput,
  { rows: Map<number, Readonly<Record<string, number | null>>>; first: number | null }
>();
function indexOf(input: DealerAlertInput) {
  let indexed = INDEXED.get(input);
  if (!indexed) {
    const rows = new Map<number, Readonly<Record<string, number | null>>>();
    let first: number | null = input.since ? monthIndex(input.since.slice(0, 7)) : null;
    for (const m of input.months) {
      const i = monthIndex(m.month);
      rows.set(i, m.values);
      if (first === null || i < first) first = i;
    }
    indexed = { rows, first };
    INDEXED.set(input, indexed);
  }
  return indexed;
}

/** Every month from `from` counting `count` months forward. */
export function monthsFrom(from: string, count: number): string[] {
  const start = monthIndex(from);
  return Array.from({ length: Math.max(0, count) }, (_, k) => monthFromIndex(start + k));
}

/** Fewer other dealers than this in a month: the channel says nothing reliable about seasons. */
export const MIN_CHANNEL_DEALERS = 10;
/** Bounds of a seasonal index, so that one odd month cannot blow a comparison up. */
const INDEX_RANGE = [0.2, 5] as const;

/**
 * The channel's seasonal index of each month in `months`, leaving the dealer itself out:
 * s(m) = C′(m) / mean(C′ over the 12 months ending with m), where C′ is the tenant's sales less
 * the dealer's own (`own`, aligned with `months`; null counts as 0). For the channel's first 11
 * months the window is its first 12 months instead. The index is per calendar month of a given
 * year, not an average per calendar month over years, so it follows the Spring Festival as it
 * moves between January and February. It is 1 (no adjustment) when the channel has fewer than
 * 12 months, fewer than {@link MIN_CHANNEL_DEALERS} other dealers in a month of the window, or
 * no sales; it is clamped to [0.2, 5].
 */
export function seasonalIndex(
  channel: readonly ChannelMonth[],
  months: readonly string[],
  own: readonly (number | null)[],
): number[] {
  if (channel.length === 0) return months.map(() => 1);
  const { byIndex, firstChannel, lastChannel } = channelIndex(channel);
  const ownByIndex = new Map(months.map((m, k) => [monthIndex(m), own[k] ?? 0]));
  const others = (i: number): { sales: number; dealers: number } | null => {
    const c = byIndex.get(i);
    if (!c) return null;
    const mine = ownByIndex.get(i) ?? 0;
    return { sales: c.sales - mine, dealers: c.dealers - (mine > 0 ? 1 : 0) };
  };
  return months.map((m) => {
    const i = monthIndex(m);
    let start = i - 11;
    if (start < firstChannel) start = firstChannel;
    const end = start + 11;
    if (end > lastChannel || i > lastChannel || i < firstChannel) return 1;
    let sum = 0;
    for (let j = start; j <= end; j++) {
      const o = others(j);
      if (!o || o.dealers < MIN_CHANNEL_DEALERS) return 1;
      sum += o.sales;
    }
    const level = sum / 12;
    const here = others(i);
    if (!here || level <= 0 || here.sales <= 0) return 1;
    return Math.min(INDEX_RANGE[1], Math.max(INDEX_RANGE[0], here.sales / level));
  });
}

/** The channel's months by month index, computed once per channel array. */
const CHANNELS = new WeakMap<
  readonly ChannelMonth[],
  { byIndex: Map<number, ChannelMonth>; firstChannel: number; lastChannel: number }
>();
function channelIndex(channel: readonly ChannelMonth[]) {
  let indexed = CHANNELS.get(channel);
  if (!indexed) {
    const byIndex = new Map(channel.map((c) => [monthIndex(c.month), c]));
    const indexes = [...byIndex.keys()].sort((a, b) => a - b);
    indexed = {
      byIndex,
      firstChannel: indexes[0] as number,
      lastChannel: indexes[indexes.length - 1] as number,
    };
    CHANNELS.set(channel, indexed);
  }
  return indexed;
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Robust standard deviation: 1.4826 × the median absolute deviation from the median. */
export function robustSd(values: readonly number[]): number {
  const centre = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - centre)));
}
