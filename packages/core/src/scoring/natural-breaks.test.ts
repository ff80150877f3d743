import fc from 'fast-check';
import { jenks } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain-error.js';
import { classOf, naturalBreaks } from './natural-breaks.js';

/** Total within-class sum of squared deviations: the quantity Jenks' method minimises. */
function withinClassSsd(values: number[], lowerBounds: number[]): number {
  let total = 0;
  lowerBounds.forEach((_, c) => {
    const members = values.filter((v) => classOf(v, lowerBounds) === c);
    const m = members.reduce((s, v) => s + v, 0) / members.length;
    total += members.reduce((s, v) => s + (v - m) ** 2, 0);
  });
  return total;
}

describe('naturalBreaks: published Jenks examples', () => {
  // simple-statistics/simple-statistics test/jenks.test.js gives the breaks as
  // [lower bounds…, max]; ours are the lower bounds only.
  it.each([
    ['small gaps between classes', [1, 2, 4, 5, 7, 9, 10, 20], 3, [1, 7, 20]],
    ['large gaps between classes', [2, 32, 33, 34, 100], 3, [2, 32, 100]],
    ['N points into N classes', [9, 10, 11, 12, 13], 5, [9, 10, 11, 12, 13]],
  ])('simple-statistics jenks test: %s', (_, values, k, expected) => {
    expect(naturalBreaks(values, k)).toEqual(expected);
  });

  it('42arch/Jenks README example: classes 0.5–15, 31–45, 89.3–120', () => {
    // The README prints the class limits [0.5, 15, 45, 120] (min, then each class's top).
    const data = [1, 2, 5, 15, 45, 89.3, 112, 31, 120, 0.5];
    expect(naturalBreaks(data, 3)).toEqual([0.5, 31, 89.3]);
  });

  it('simple-statistics ckmeans example: -1s, 2s, and 4–6', () => {
    // simple-statistics/simple-statistics test/ckmeans.test.js
    expect(naturalBreaks([-1, 2, -1, 2, 4, 5, 6, -1, 2, -1], 3)).toEqual([-1, 2, 4]);
    expect(naturalBreaks([0, 1, 2, 50, 100, 101, 103], 3)).toEqual([0, 50, 100]);
  });

  it('finds the same optimum as simple-statistics jenks (Jenks–Fisher) on any data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -30, max: 30 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        (values, classes) => {
          const ours = naturalBreaks(values, classes);
          const k = Math.min(classes, new Set(values).size);
          expect(ours).toHaveLength(k);
          const theirs = [...new Set((jenks(values, k) ?? []).slice(0, k))];
          expect(withinClassSsd(values, ours)).toBeCloseTo(withinClassSsd(values, theirs), 9);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('naturalBreaks: edge cases', () => {
  it('returns fewer classes when there are fewer distinct values', () => {
    expect(naturalBreaks([1, 1, 1, 2, 2], 5)).toEqual([1, 2]);
    expect(naturalBreaks([4, 4, 4], 3)).toEqual([4]);
  });

  it('ignores missing and infinite values; nothing present gives no classes', () => {
    expect(naturalBreaks([NaN, 1, 2, Infinity, 10, 11, -Infinity], 2)).toEqual([1, 10]);
    expect(naturalBreaks([], 3)).toEqual([]);
    expect(naturalBreaks(new Float64Array([NaN, NaN]), 3)).toEqual([]);
  });

  it('refuses a class count that is not a whole number ≥ 1', () => {
    for (const classes of [0, -1, 2.5, NaN]) {
      let error: unknown;
      try {
        naturalBreaks([1, 2, 3], classes);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).details).toMatchObject({ path: 'classes' });
    }
  });

  it('classifies 100,000 values in well under a second', () => {
    // Deterministic, skewed like sales: a linear congruential generator, no Math.random.
    let seed = 12345;
    const values = new Float64Array(100_000).map(() => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return Math.round(Math.exp((seed / 2 ** 32) * 8) * 100);
    });
    const started = performance.now();
    const bounds = naturalBreaks(values, 5);
    const elapsed = performance.now() - started;
    expect(bounds).toHaveLength(5);
    expect(bounds[0]).toBe(Math.min(...values));
    expect(elapsed).toBeLessThan(1000); // measured 60–150 ms on Node 20
  });
});

describe('classOf', () => {
  const bounds = [1, 7, 20];
  it.each([
    [1, 0],
    [5, 0],
    [6.99, 0],
    [7, 1],
    [10, 1],
    [20, 2],
    [1000, 2],
    [-5, 0], // below the lowest bound: still the lowest class
  ])('classOf(%d) = %d for bounds 1, 7, 20', (value, expected) => {
    expect(classOf(value, bounds)).toBe(expected);
  });

  it('has no class for a missing value or without bounds', () => {
    expect(classOf(NaN, bounds)).toBe(-1);
    expect(classOf(3, [])).toBe(-1);
  });

  it('puts every input value in the class whose bound starts it', () => {
    const values = [1, 2, 4, 5, 7, 9, 10, 20];
    expect(values.map((v) => classOf(v, naturalBreaks(values, 3)))).toEqual([
      0, 0, 0, 0, 1, 1, 1, 2,
    ]);
  });
});
