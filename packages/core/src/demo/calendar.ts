/**
 * Calendar arithmetic over integer day numbers (days since 1970-01-01, proleptic Gregorian),
 * plus the Chinese New Year dates that drive FMCG seasonality.
 */

/** Day number of a civil date (Howard Hinnant's days_from_civil). `month` is 1-12. */
export function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number (inverse of {@link dayNumber}). */
export function civilDate(n: number): { year: number; month: number; day: number } {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 'YYYY-MM-DD' of a day number. */
export function formatDay(n: number): string {
  const { year, month, day } = civilDate(n);
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** Day number of 'YYYY-MM-DD' (no validation beyond the shape; callers pass their own dates). */
export function parseDay(date: string): number {
  return dayNumber(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

/** Day number of the first day of a month index (year * 12 + month - 1, as in month.ts). */
export function monthFirstDay(monthIndex: number): number {
  return dayNumber(Math.floor(monthIndex / 12), (monthIndex % 12) + 1, 1);
}

/**
 * Chinese New Year (春节, first day of the first lunar month) for 2014-2036, as [month, day].
 * Hard-coded because the lunisolar calendar has no simple closed form; the demo window must
 * lie within 2015-2035 (December needs the next year's date).
 */
const SPRING_FESTIVAL: Readonly<Record<number, readonly [number, number]>> = {
  2014: [1, 31],
  2015: [2, 19],
  2016: [2, 8],
  2017: [1, 28],
  2018: [2, 16],
  2019: [2, 5],
  2020: [1, 25],
  2021: [2, 12],
  2022: [2, 1],
  2023: [1, 22],
  2024: [2, 10],
  2025: [1, 29],
  2026: [2, 17],
  2027: [2, 6],
  2028: [1, 26],
  2029: [2, 13],
  2030: [2, 3],
  2031: [1, 23],
  2032: [2, 11],
  2033: [1, 31],
  2034: [2, 19],
  2035: [2, 8],
  2036: [1, 28],
};

/** First and last calendar year whose months the demo generator supports. */
export const SUPPORTED_YEARS = { from: 2015, to: 2035 } as const;

/**
 * The date of Chinese New Year in `year` as 'YYYY-MM-DD', e.g. 2026 → '2026-02-17'.
 * Throws a RangeError outside 2014-2036.
 */
export function springFestivalDate(year: number): string {
  return formatDay(springFestivalDay(year));
}

function springFestivalDay(year: number): number {
  const md = SPRING_FESTIVAL[year];
  if (!md) throw new RangeError(`No Chinese New Year date for ${year}; supported: 2014-2036`);
  return dayNumber(year, md[0], md[1]);
}

/**
 * The Spring Festival trade pattern of one year, as day numbers: dealers stock up from 45 to
 * 10 days before the festival (备货), then orders collapse from 9 days before to 20 days after
 * (the holiday and the slow weeks after it). `peakMonth` is the month holding the middle of
 * the stocking window and `dipMonth` the month holding festival + 10 days, as 'YYYY-MM'.
 */
export function springFestivalSeason(year: number): {
  festival: string;
  stockFrom: number;
  stockTo: number;
  dipFrom: number;
  dipTo: number;
  peakMonth: string;
  dipMonth: string;
} {
  const day = springFestivalDay(year);
  const monthOf = (n: number) => formatDay(n).slice(0, 7);
  return {
    festival: formatDay(day),
    stockFrom: day - 45,
    stockTo: day - 10,
    dipFrom: day - 9,
    dipTo: day + 20,
    peakMonth: monthOf(day - 28),
    dipMonth: monthOf(day + 10),
  };
}

/**
 * The Spring Festival weight of one day for an order-volume `boost` (extra volume in the
 * stocking window, e.g. 1.0 doubles it): 1 + boost while stocking, `DIP` over the holiday,
 * 1 otherwise. The nearest festival may be next year's for a day in December.
 */
export function festivalWeight(n: number, boost: number): number {
  const year = civilDate(n).year;
  for (const y of [year, year + 1]) {
    const season = springFestivalSeason(y);
    if (n >= season.stockFrom && n <= season.stockTo) return 1 + boost;
    if (n >= season.dipFrom && n <= season.dipTo) return DIP;
  }
  return 1;
}

/** Share of normal order volume left over the Spring Festival holiday. */
const DIP = 0.45;
