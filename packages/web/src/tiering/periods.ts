import type { Cycle } from '@tierline/contract';

/** An assessment period key: 2026-10 (month), 2026-Q3, 2026-H1 or 2026 (year). */
interface Parsed {
  cycle: Cycle;
  year: number;
  /** Month 1–12, quarter 1–4, half 1–2, or 1 for a year. */
  index: number;
}

const perYear: Record<Cycle, number> = { monthly: 12, quarterly: 4, semiannual: 2, annual: 1 };

function parse(key: string): Parsed | null {
  let match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (match !== null) return { cycle: 'monthly', year: Number(match[1]), index: Number(match[2]) };
  match = /^(\d{4})-Q([1-4])$/.exec(key);
  if (match !== null)
    return { cycle: 'quarterly', year: Number(match[1]), index: Number(match[2]) };
  match = /^(\d{4})-H([12])$/.exec(key);
  if (match !== null)
    return { cycle: 'semiannual', year: Number(match[1]), index: Number(match[2]) };
  match = /^(\d{4})$/.exec(key);
  if (match !== null) return { cycle: 'annual', year: Number(match[1]), index: 1 };
  return null;
}

function format(p: Parsed): string {
  const year = String(p.year).padStart(4, '0');
  switch (p.cycle) {
    case 'monthly':
      return `${year}-${String(p.index).padStart(2, '0')}`;
    case 'quarterly':
      return `${year}-Q${p.index}`;
    case 'semiannual':
      return `${year}-H${p.index}`;
    case 'annual':
      return year;
  }
}

/** Whether `key` is a period key of any cycle. */
export function isPeriodKey(key: string): boolean {
  return parse(key) !== null;
}

/** The cycle of a period key, or null when it is not one. */
export function cycleOfPeriod(key: string): Cycle | null {
  return parse(key)?.cycle ?? null;
}

/** The period `delta` periods after `key` (before, when negative), in the same cycle. */
export function shiftPeriod(key: string, delta: number): string {
  const p = parse(key);
  if (p === null) throw new RangeError(`not a period: ${key}`);
  const n = perYear[p.cycle];
  const ordinal = p.year * n + (p.index - 1) + delta;
  const year = Math.floor(ordinal / n);
  return format({ cycle: p.cycle, year, index: ordinal - year * n + 1 });
}

/** The period of `cycle` that contains the month 'YYYY-MM'. */
export function periodOfMonth(month: string, cycle: Cycle): string {
  const p = parse(month);
  if (p === null || p.cycle !== 'monthly') throw new RangeError(`not a month: ${month}`);
  const size = 12 / perYear[cycle];
  return format({ cycle, year: p.year, index: Math.floor((p.index - 1) / size) + 1 });
}

/** The last month of a period: 2026-Q3 ends in 2026-09. */
export function lastMonthOf(key: string): string {
  const p = parse(key);
  if (p === null) throw new RangeError(`not a period: ${key}`);
  const size = 12 / perYear[p.cycle];
  return format({ cycle: 'monthly', year: p.year, index: p.index * size });
}

/** `count` periods ending with `latest`, newest first. */
export function periodsBack(latest: string, count: number): string[] {
  return Array.from({ length: Math.max(0, count) }, (_, i) => shiftPeriod(latest, -i));
}

/**
 * The period a new draft is most likely for: the one after the latest published period when the
 * data reaches its last month; else the latest period the data covers; null without data.
 */
export function suggestedDraftPeriod(
  cycle: Cycle,
  latestPublished: string | null,
  dataTo: string | null,
): string | null {
  if (dataTo === null) return latestPublished;
  const covered = periodOfMonth(dataTo, cycle);
  // The period holding the last data month is complete only when that month ends it.
  const complete = lastMonthOf(covered) === dataTo ? covered : shiftPeriod(covered, -1);
  if (latestPublished === null || cycleOfPeriod(latestPublished) !== cycle) return complete;
  const next = shiftPeriod(latestPublished, 1);
  return next <= complete ? next : latestPublished;
}

/**
 * The period a policy draft is previewed on: the latest published one when the draft assesses
 * periods of that kind, else the latest period of its cycle that the data covers.
 */
export function previewPeriod(
  cycle: Cycle | null,
  latestPublished: string | null,
  dataTo: string | null,
): string | null {
  if (cycle === null) return null;
  if (latestPublished !== null && cycleOfPeriod(latestPublished) === cycle) return latestPublished;
  return suggestedDraftPeriod(cycle, null, dataTo);
}
