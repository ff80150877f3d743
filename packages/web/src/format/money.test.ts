import { describe, expect, it } from 'vitest';
import { formatMoney, formatMoneyShort, minorToDecimal, type MoneyFormat } from './money';

const cnyZh: MoneyFormat = { currency: 'CNY', minorUnits: 2, locale: 'zh-CN' };
const cnyEn: MoneyFormat = { currency: 'CNY', minorUnits: 2, locale: 'en-US' };
const jpyEn: MoneyFormat = { currency: 'JPY', minorUnits: 0, locale: 'en-US' };

describe('minorToDecimal keeps every fen', () => {
  it.each([
    [0, 2, '0.00'],
    [5, 2, '0.05'],
    [-5, 2, '-0.05'],
    [123456, 2, '1234.56'],
    [-123456, 2, '-1234.56'],
    [Number.MAX_SAFE_INTEGER, 2, '90071992547409.91'],
    [1234, 0, '1234'],
  ])('%d with %d minor units is %s', (minor, units, expected) => {
    expect(minorToDecimal(minor, units)).toBe(expected);
  });

  it('refuses amounts that are not safe integers', () => {
    expect(() => minorToDecimal(1.5, 2)).toThrow(RangeError);
  });
});

describe('formatMoney shows the exact amount with the currency symbol', () => {
  it.each([
    [cnyZh, 123456, '¥1,234.56'],
    [cnyZh, 0, '¥0.00'],
    [cnyZh, -123456, '-¥1,234.56'],
    [cnyZh, -1, '-¥0.01'],
    [cnyEn, 987654321, '¥9,876,543.21'],
    [jpyEn, 1234, '¥1,234'],
  ])('%o formats %d as %s', (fmt, minor, expected) => {
    expect(formatMoney(minor, fmt)).toBe(expected);
  });
});

describe('formatMoneyShort abbreviates for charts and cards', () => {
  it.each([
    [0, '¥0'],
    [987_654, '¥9,877'],
    [1_000_000, '¥1万'],
    [1_234_567, '¥1.23万'],
    [-1_234_567, '-¥1.23万'],
    [12_345_678_900, '¥1.23亿'],
    [-45_000_000_000, '-¥4.5亿'],
    // 9999.9999万 rounds to 10000万, which is written 1亿.
    [9_999_999_999, '¥1亿'],
    [99_500_000_000_000, '¥9,950亿'],
  ])('zh-CN: %d fen is %s', (minor, expected) => {
    expect(formatMoneyShort(minor, cnyZh)).toBe(expected);
  });

  it.each([
    [0, '¥0'],
    [-4, '¥0'],
    [1_234_567, '¥12.35K'],
    [450_000_000, '¥4.5M'],
    // 999.99999K rounds to 1000K, which is written 1M.
    [99_999_999, '¥1M'],
    [-123_000_000_000, '-¥1.23B'],
  ])('en-US: %d fen is %s', (minor, expected) => {
    expect(formatMoneyShort(minor, cnyEn)).toBe(expected);
  });
});
