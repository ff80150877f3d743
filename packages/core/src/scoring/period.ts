import { DomainError } from '../domain-error.js';
import { monthFromIndex, monthIndex } from '../month.js';

/** How long an assessment period is. */
export type Cycle = 'monthly' | 'quarterly' | 'semiannual' | 'annual';

/** Months per period of each cycle. */
export const CYCLE_MONTHS: Readonly<Record<Cycle, number>> = {
  monthly: 1,
  quarterly: 3,
  semiannual: 6,
  annual: 12,
};

/**
 * One assessment period: its key, its cycle and its first and last months (inclusive).
 * Keys: `2026-10` (a month), `2026-Q3` (a quarter), `2026-H1` (a half year), `2026` (a year).
 */
export interface Period {
  key: string;
  cycle: Cycle;
  /** First month, 'YYYY-MM'. */
  from: string;
  /** Last month, 'YYYY-MM', inclusive. */
  to: string;
}

const PERIOD = /^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$/;

/** Parse a period key; throws a validation error saying which forms are accepted. */
export function parsePeriod(key: string): Period {
  const m = PERIOD.exec(key);
  if (!m) {
    throw new DomainError(
      'validation_failed',
      `"${key}" is not a period. Use 2026-10 (month), 2026-Q3 (quarter), 2026-H1 (half year) or 2026 (year).`,
      { field: 'period', value: key },
    );
  }
  const year = Number(m[1]);
  if (m[2]) return periodAt('monthly', year * 12 + Number(m[2]) - 1);
  if (m[3]) return periodAt('quarterly', year * 12 + (Number(m[3]) - 1) * 3);
  if (m[4]) return periodAt('semiannual', year * 12 + (Number(m[4]) - 1) * 6);
  return periodAt('annual', year * 12);
}

/** The period of `cycle` that contains the month index `index` (see `monthIndex`). */
export function periodAt(cycle: Cycle, index: number): Period {
  const length = CYCLE_MONTHS[cycle];
  const start = Math.floor(index / length) * length;
  const year = Math.floor(start / 12);
  const within = start - year * 12;
  const y = String(year).padStart(4, '0');
  const key =
    cycle === 'monthly'
      ? monthFromIndex(start)
      : cycle === 'quarterly'
        ? `${y}-Q${within / 3 + 1}`
        : cycle === 'semiannual'
          ? `${y}-H${within / 6 + 1}`
          : y;
  return { key, cycle, from: monthFromIndex(start), to: monthFromIndex(start + length - 1) };
}

/** The period of `cycle` containing the month 'YYYY-MM'. */
export function periodOfMonth(cycle: Cycle, month: string): Period {
  return periodAt(cycle, monthIndex(month));
}

/** The period `lag` periods before `period` (lag 0 is the period itself). */
export function shiftPeriod(period: Period, lag: number): Period {
  return periodAt(period.cycle, monthIndex(period.from) - lag * CYCLE_MONTHS[period.cycle]);
}

/** Periods of `cycle` from the one holding `from` to the one holding `to`, oldest first. */
export function periodRange(cycle: Cycle, from: Period, to: Period): Period[] {
  const out: Period[] = [];
  const step = CYCLE_MONTHS[cycle];
  const end = monthIndex(periodAt(cycle, monthIndex(to.from)).from);
  for (let i = monthIndex(periodAt(cycle, monthIndex(from.from)).from); i <= end; i += step) {
    out.push(periodAt(cycle, i));
  }
  return out;
}

/** How many periods of `cycle` make a year: the lag of a year-over-year comparison. */
export function yearLag(cycle: Cycle): number {
  return 12 / CYCLE_MONTHS[cycle];
}

/** Months in a period. */
export function periodMonths(period: Period): number {
  return monthIndex(period.to) - monthIndex(period.from) + 1;
}

/**
 * The months a period is measured over: the period itself, or with a trailing window of N
 * months, the N months that end with it (a rolling year for N = 12, assessed every month).
 */
export function measuredPeriod(period: Period, window: number | null): Period {
  if (window === null) return period;
  return { ...period, from: monthFromIndex(monthIndex(period.to) - window + 1) };
}
