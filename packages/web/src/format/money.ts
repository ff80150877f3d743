import type { Locale } from '../i18n/messages';

/** How a tenant's amounts are shown: ISO 4217 code, digits after the point, UI locale. */
export interface MoneyFormat {
  currency: string;
  /** Digits after the decimal point of the currency (2 for CNY: amounts are in fen). */
  minorUnits: number;
  locale: Locale;
}

/**
 * The exact decimal string of an amount in minor units, e.g. 123456 with 2 minor units is
 * "1234.56" and -5 is "-0.05". BigInt keeps it exact up to the largest safe integer, so no
 * fen is lost to floating point.
 */
export function minorToDecimal(minor: number, minorUnits: number): `${number}` {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not an integer amount: ${minor}`);
  const negative = minor < 0;
  const digits = BigInt(Math.abs(minor)).toString();
  if (minorUnits <= 0) return `${negative ? '-' : ''}${digits}` as `${number}`;
  const padded = digits.padStart(minorUnits + 1, '0');
  const whole = padded.slice(0, -minorUnits);
  const fraction = padded.slice(-minorUnits);
  return `${negative ? '-' : ''}${whole}.${fraction}` as `${number}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(fmt: MoneyFormat, fractionDigits: number): Intl.NumberFormat {
  const key = `${fmt.locale}|${fmt.currency}|${fractionDigits}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat(fmt.locale, {
      style: 'currency',
      currency: fmt.currency,
      // "¥", not "CN¥", in every locale: the console shows one tenant's currency only.
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Exact amount with currency symbol and grouping, e.g. ¥1,234.56, -¥0.05, ¥0.00. */
export function formatMoney(minor: number, fmt: MoneyFormat): string {
  return currencyFormatter(fmt, fmt.minorUnits).format(minorToDecimal(minor, fmt.minorUnits));
}

interface Scale {
  /** Smallest absolute amount, in major units, written with this scale. */
  from: number;
  divisor: number;
  suffix: string;
}

// zh-CN counts in 万 (10^4) and 亿 (10^8); en-US in thousands, millions, billions.
// Amounts below the smallest scale are shown whole.
const scales: Record<Locale, readonly Scale[]> = {
  'zh-CN': [
    { from: 1e8, divisor: 1e8, suffix: '亿' },
    { from: 1e4, divisor: 1e4, suffix: '万' },
  ],
  'en-US': [
    { from: 1e9, divisor: 1e9, suffix: 'B' },
    { from: 1e6, divisor: 1e6, suffix: 'M' },
    // Like 万, thousands start at 10,000: ¥9,877 reads better than ¥9.88K.
    { from: 1e4, divisor: 1e3, suffix: 'K' },
  ],
};

/**
 * Abbreviated amount for charts and cards: ¥1.23万, ¥4.5亿 in zh-CN, ¥12.35K, ¥4.5M in
 * en-US, at most two decimals; whole currency units below 10,000 (¥9,877). A value that
 * rounds up to the next scale moves to it (¥9999.999万 is ¥1亿, not ¥10000万).
 */
export function formatMoneyShort(minor: number, fmt: MoneyFormat): string {
  const abs = Math.abs(minor) / 10 ** fmt.minorUnits;
  const sign = minor < 0 ? '-' : '';
  const list = scales[fmt.locale];
  const index = list.findIndex((s) => abs >= s.from);
  let scale = list[index];
  if (scale === undefined) {
    // Whole units; a tiny negative amount that rounds to zero shows as ¥0, not -¥0.
    const rounded = Math.round(abs);
    return `${rounded === 0 ? '' : sign}${currencyFormatter(fmt, 0).format(rounded)}`;
  }
  let scaled = round2(abs / scale.divisor);
  const larger = list[index - 1];
  if (larger !== undefined && scaled * scale.divisor >= larger.from) {
    scale = larger;
    scaled = round2(abs / larger.divisor);
  }
  return `${sign}${currencySymbol(fmt)}${formatNumber(scaled, fmt.locale, 2)}${scale.suffix}`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function currencySymbol(fmt: MoneyFormat): string {
  const part = currencyFormatter(fmt, 0)
    .formatToParts(0)
    .find((p) => p.type === 'currency');
  return part?.value ?? fmt.currency;
}

/** Plain number with grouping and at most `maxFractionDigits` decimals. */
export function formatNumber(value: number, locale: Locale, maxFractionDigits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: maxFractionDigits }).format(value);
}

/** A ratio (0.934) as a percentage with one decimal: 93.4%. */
export function formatPercent(ratio: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(ratio);
}
