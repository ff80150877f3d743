import { describe, expect, it } from 'vitest';
import {
  cycleOfPeriod,
  lastMonthOf,
  periodOfMonth,
  periodsBack,
  previewPeriod,
  shiftPeriod,
  suggestedDraftPeriod,
} from './periods';

describe('period keys', () => {
  it.each([
    ['2026-10', 1, '2026-11'],
    ['2026-12', 1, '2027-01'],
    ['2026-01', -1, '2025-12'],
    ['2026-Q4', 1, '2027-Q1'],
    ['2026-Q1', -5, '2024-Q4'],
    ['2026-H2', 1, '2027-H1'],
    ['2026', -2, '2024'],
  ])('%s shifted by %d is %s', (key, delta, expected) => {
    expect(shiftPeriod(key, delta)).toBe(expected);
  });

  it('knows the cycle of a key and refuses what is not one', () => {
    expect(cycleOfPeriod('2026-Q3')).toBe('quarterly');
    expect(cycleOfPeriod('2026-13')).toBeNull();
    expect(() => shiftPeriod('soon', 1)).toThrow(RangeError);
  });

  it('places a month in a period and ends a period in a month', () => {
    expect(periodOfMonth('2026-08', 'quarterly')).toBe('2026-Q3');
    expect(periodOfMonth('2026-08', 'semiannual')).toBe('2026-H2');
    expect(periodOfMonth('2026-08', 'annual')).toBe('2026');
    expect(lastMonthOf('2026-Q3')).toBe('2026-09');
    expect(lastMonthOf('2026-H1')).toBe('2026-06');
    expect(lastMonthOf('2026')).toBe('2026-12');
  });

  it('lists periods back from the latest, newest first', () => {
    expect(periodsBack('2026-02', 3)).toEqual(['2026-02', '2026-01', '2025-12']);
  });
});

describe('suggestedDraftPeriod', () => {
  it('is the period after the latest published one when the data covers it', () => {
    expect(suggestedDraftPeriod('monthly', '2026-09', '2026-10')).toBe('2026-10');
  });

  it('stays on the latest published period when the data ends there', () => {
    expect(suggestedDraftPeriod('monthly', '2026-10', '2026-10')).toBe('2026-10');
  });

  it('takes the last complete period of the cycle when nothing is published', () => {
    expect(suggestedDraftPeriod('quarterly', null, '2026-10')).toBe('2026-Q3');
    expect(suggestedDraftPeriod('quarterly', null, '2026-09')).toBe('2026-Q3');
  });

  it('is the latest published period without data', () => {
    expect(suggestedDraftPeriod('monthly', '2026-10', null)).toBe('2026-10');
  });
});

describe('previewPeriod', () => {
  it('previews on the latest published period of the same cycle', () => {
    expect(previewPeriod('monthly', '2026-10', '2026-10')).toBe('2026-10');
  });

  it('falls back to the latest complete period of another cycle', () => {
    expect(previewPeriod('quarterly', '2026-10', '2026-10')).toBe('2026-Q3');
    expect(previewPeriod(null, '2026-10', '2026-10')).toBeNull();
  });
});
