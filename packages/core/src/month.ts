/**
 * Calendar months as plain 'YYYY-MM' strings and as integer month indexes
 * (year * 12 + month - 1), which make month arithmetic exact.
 */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Integer index of a 'YYYY-MM' month; throws on anything else. */
export function monthIndex(month: string): number {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`"${month}" is not a month; expected YYYY-MM`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

/** The 'YYYY-MM' month of an index from {@link monthIndex}. */
export function monthFromIndex(index: number): string {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** `month` shifted by `delta` months (negative goes back). */
export function addMonths(month: string, delta: number): string {
  return monthFromIndex(monthIndex(month) + delta);
}

/** Every month from `from` to `to`, both included; empty when `to` is before `from`. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthFromIndex(i));
  return out;
}

/** The first day of a month as 'YYYY-MM-01' (the form rollups store). */
export function monthStart(month: string): string {
  monthIndex(month);
  return `${month}-01`;
}

/** The number of days in a 'YYYY-MM' month (Gregorian). */
export function daysInMonth(month: string): number {
  const index = monthIndex(month);
  const year = Math.floor(index / 12);
  const m = (index % 12) + 1;
  if (m === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}
