/**
 * Exact arithmetic for money maths. Amounts cross the API as JavaScript numbers that are safe
 * integers of minor units (the contract's `Money`, what the database driver returns for int8);
 * everything in between is `bigint`, so that products such as pool × weight (10^12 fen × a
 * weight of 10^9 is past 2^53) and the quotients of an apportionment are exact. Results are
 * never larger than their inputs' safe integers, so they convert back to numbers exactly.
 *
 * Weights, shares, factors and rates arrive as numbers too; they are read as the exact decimal
 * they print as (`0.1` is one tenth, not the binary double nearest to it), so that 33.33 +
 * 33.33 + 33.34 is exactly 100 and weights 0.1 : 0.2 are exactly 1 : 2.
 */
import { DomainError } from '../domain-error.js';

/** A decimal number, exactly: `digits / 10^scale`, scale ≥ 0. */
export interface Decimal {
  readonly digits: bigint;
  readonly scale: number;
}

/** 10^n as a bigint (n ≥ 0). */
export function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/**
 * The exact decimal a finite number prints as (JavaScript's shortest round-trip form):
 * 0.1 → 1/10, 1e21 → 10^21, 1.5e-7 → 15/10^8. Throws for NaN or ±Infinity (callers validate
 * first; this is a programming error, not bad input).
 */
export function decimalOf(x: number): Decimal {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!match) throw new DomainError('validation_failed', `${x} is not a finite number.`);
  const [, sign = '', whole = '0', fraction = '', exponent = '0'] = match;
  let digits = BigInt(whole + fraction);
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits *= pow10(-scale);
    scale = 0;
  }
  return { digits: sign === '-' ? -digits : digits, scale };
}

/** The product of two decimals, exactly. */
export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return { digits: a.digits * b.digits, scale: a.scale + b.scale };
}

/**
 * Decimals as integers over one common denominator 10^scale (the largest scale among them), so
 * that their ratios and their sum are exact bigint arithmetic.
 */
export function onCommonScale(values: readonly Decimal[]): { digits: bigint[]; scale: number } {
  const scale = values.reduce((s, v) => Math.max(s, v.scale), 0);
  return { digits: values.map((v) => v.digits * pow10(scale - v.scale)), scale };
}

/** A decimal as a plain number (for messages and display; may round past 15 digits). */
export function decimalToNumber(digits: bigint, scale: number): number {
  return Number(decimalText(digits, scale));
}

/** A decimal as text without exponent: (9999n, 2) → '99.99'. */
export function decimalText(digits: bigint, scale: number): string {
  const negative = digits < 0n;
  const text = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  const whole = text.slice(0, text.length - scale);
  const fraction = scale > 0 ? `.${text.slice(text.length - scale)}`.replace(/\.?0+$/, '') : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** num / den rounded half up (half away from zero for num ≥ 0); den > 0, num ≥ 0. */
export function divideHalfUp(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

/** ⌈num / den⌉ for den > 0 and any num. */
export function divideCeil(num: bigint, den: bigint): bigint {
  const q = num / den;
  return q * den < num ? q + 1n : q;
}

/** Whether x is a whole, non-negative number of minor units that a JavaScript number holds exactly. */
export function isMoney(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/** Whether x is a finite number (not NaN, not ±Infinity). */
export function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}
