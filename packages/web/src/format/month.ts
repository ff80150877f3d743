/** `YYYY-MM` plus `delta` months (negative goes back): addMonths('2026-01', -1) is '2025-12'. */
export function addMonths(month: string, delta: number): string {
  const [year, mon] = month.split('-').map(Number);
  if (year === undefined || mon === undefined || Number.isNaN(year) || Number.isNaN(mon)) {
    throw new RangeError(`not a month: ${month}`);
  }
  const index = year * 12 + (mon - 1) + delta;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}
