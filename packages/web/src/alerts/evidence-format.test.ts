import { describe, expect, it } from 'vitest';
import { measureValue, signedPercent, type ValueFormat } from './evidence-format';

const format: ValueFormat = {
  money: (minor) => `¥${(minor / 100).toFixed(2)}`,
  number: (value, digits = 0) => value.toFixed(digits),
  percent: (ratio) => `${(ratio * 100).toFixed(1)}%`,
};

describe('evidence values', () => {
  it('reads money in the currency, ratios as percents and the rest as numbers', () => {
    expect(measureValue('money', 12345, format)).toBe('¥123.45');
    expect(measureValue('ratio', 0.8, format)).toBe('80.0%');
    expect(measureValue('days', 12.34, format)).toBe('12.3');
    expect(measureValue(undefined, 3, format)).toBe('3.0');
    expect(measureValue('money', null, format)).toBe('—');
    // A seasonally adjusted target is a fraction of a fen: shown rounded, never refused.
    expect(measureValue('money', 353642.0978, format)).toBe('¥3536.42');
  });

  it('signs a change so that a fall is plain to see', () => {
    expect(signedPercent(-0.3, format)).toBe('−30.0%');
    expect(signedPercent(0.125, format)).toBe('+12.5%');
    expect(signedPercent(0, format)).toBe('0.0%');
    expect(signedPercent(null, format)).toBe('—');
  });
});
