import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  denormalise,
  metricStats,
  normalise,
  type Direction,
  type Normalisation,
} from './normalise.js';

const METHODS: Normalisation[] = ['minmax', 'zscore', 'percentile'];
const DIRECTIONS: Direction[] = ['higher', 'lower'];

/** The next float towards −Infinity (for checking that a threshold is the best one). */
function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, x > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}

describe('metricStats', () => {
  it('ignores missing (NaN) and infinite values and sorts the rest', () => {
    const s = metricStats([NaN, 3, 1, Infinity, NaN, 2, -Infinity]);
    expect(s.count).toBe(3);
    expect(Array.from(s.sorted)).toEqual([1, 2, 3]);
    expect([s.min, s.max, s.mean]).toEqual([1, 3, 2]);
    expect(s.sd).toBeCloseTo(Math.sqrt(2 / 3), 15); // population sd, not sample
  });

  it('gives NaN statistics and an empty array when nothing is present', () => {
    const s = metricStats([NaN, NaN]);
    expect(s.count).toBe(0);
    expect(s.sorted.length).toBe(0);
    expect([s.min, s.max, s.mean, s.sd].every(Number.isNaN)).toBe(true);
  });

  it('gives exactly sd 0 and mean = the value when everyone is equal (no rounding noise)', () => {
    const s = metricStats([0.1, 0.1, 0.1]);
    expect(s.mean).toBe(0.1);
    expect(s.sd).toBe(0);
  });

  it('does not overflow for values near the largest double', () => {
    const s = metricStats([-1e308, 1e308, 1.5e308]);
    expect(s.mean / 0.5e308).toBeCloseTo(1, 12);
    expect(s.sd / 1e308).toBeCloseTo(Math.sqrt(3.5 / 3), 12);
  });
});

describe('normalise: boundary cases', () => {
  // [values, method, direction, x, expected]
  const table: [number[], Normalisation, Direction, number, number][] = [
    // minmax: linear between min and max, clamped; cost metrics mirrored
    [[10, 20, 30], 'minmax', 'higher', 10, 0],
    [[10, 20, 30], 'minmax', 'higher', 20, 0.5],
    [[10, 20, 30], 'minmax', 'higher', 30, 1],
    [[10, 20, 30], 'minmax', 'higher', 45, 1],
    [[10, 20, 30], 'minmax', 'higher', -5, 0],
    [[10, 20, 30], 'minmax', 'lower', 10, 1],
    [[10, 20, 30], 'minmax', 'lower', 25, 0.25],
    [[10, 20, 30], 'minmax', 'lower', 30, 0],
    // everyone equal, or a single dealer (every method alike): the shared value is the middle,
    // a better value scores 1 and a worse one 0, so improving never costs points
    [[5, 5, 5], 'minmax', 'higher', 5, 0.5],
    [[5, 5, 5], 'minmax', 'higher', 6, 1],
    [[5, 5, 5], 'minmax', 'lower', 0, 1],
    [[7], 'minmax', 'higher', 7, 0.5],
    [[5, 5, 5], 'zscore', 'higher', 5, 0.5],
    [[0.1, 0.1, 0.1], 'zscore', 'lower', 0.1, 0.5],
    [[7], 'zscore', 'lower', 100, 0],
    [[5, 5, 5], 'percentile', 'higher', 5, 0.5],
    [[5, 5, 5], 'percentile', 'higher', 6, 1],
    [[5, 5, 5], 'percentile', 'higher', 4, 0],
    [[7], 'percentile', 'lower', 7, 0.5],
    // percentile ties: PR = (B + 0.5·E) / N
    [[1, 2, 2, 3], 'percentile', 'higher', 1, 0.125],
    [[1, 2, 2, 3], 'percentile', 'higher', 2, 0.5],
    [[1, 2, 2, 3], 'percentile', 'higher', 2.5, 0.75],
    [[1, 2, 2, 3], 'percentile', 'higher', 3, 0.875],
    [[1, 2, 2, 3], 'percentile', 'lower', 1, 0.875],
    [[1, 2, 2, 3], 'percentile', 'lower', 2, 0.5],
    [[1, 2, 2, 3], 'percentile', 'lower', 3, 0.125],
    [[1, 2, 2, 3], 'percentile', 'lower', 0, 1],
    // zscore: the textbook population 2,4,4,4,5,5,7,9 has mean 5 and population sd 2
    [[2, 4, 4, 4, 5, 5, 7, 9], 'zscore', 'higher', 5, 0.5],
    [[2, 4, 4, 4, 5, 5, 7, 9], 'zscore', 'higher', Infinity, 1],
    [[2, 4, 4, 4, 5, 5, 7, 9], 'zscore', 'lower', Infinity, 0],
  ];
  it.each(table)('%j %s %s: normalise(%d) = %d', (values, method, direction, x, expected) => {
    expect(normalise(x, metricStats(values), method, direction)).toBeCloseTo(expected, 12);
  });

  it('zscore is the standard normal CDF of z (Φ(1) = 0.841344746 from the normal table)', () => {
    const s = metricStats([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(normalise(7, s, 'zscore', 'higher')).toBeCloseTo(0.841344746, 6);
    expect(normalise(7, s, 'zscore', 'lower')).toBeCloseTo(1 - 0.841344746, 6);
    expect(normalise(1, s, 'zscore', 'higher')).toBeCloseTo(0.022750132, 6); // Φ(−2)
  });

  it('keeps a missing value missing and has no answer without a population', () => {
    expect(normalise(NaN, metricStats([1, 2]), 'minmax', 'higher')).toBeNaN();
    expect(normalise(1, metricStats([]), 'percentile', 'higher')).toBeNaN();
  });
});

describe('denormalise: boundary cases', () => {
  const table: [number[], Normalisation, Direction, number, ReturnType<typeof denormalise>][] = [
    [[10, 20, 30], 'minmax', 'higher', 0.5, { value: 20, exclusive: false }],
    [[10, 20, 30], 'minmax', 'higher', 0, { value: 10, exclusive: false }],
    [[10, 20, 30], 'minmax', 'higher', -1, { value: 10, exclusive: false }],
    [[10, 20, 30], 'minmax', 'higher', 1, { value: 30, exclusive: false }],
    [[10, 20, 30], 'minmax', 'higher', 1.01, null],
    [[10, 20, 30], 'minmax', 'lower', 0.25, { value: 25, exclusive: false }],
    [[10, 20, 30], 'minmax', 'lower', 0, { value: 30, exclusive: false }],
    [[5, 5], 'minmax', 'higher', 0.5, { value: 5, exclusive: false }],
    [[5, 5], 'minmax', 'higher', 1, { value: 5, exclusive: true }],
    [[5, 5], 'zscore', 'higher', 1, { value: 5, exclusive: true }],
    [[5, 5], 'zscore', 'higher', 1.5, null],
    [[2, 4, 4, 4, 5, 5, 7, 9], 'zscore', 'higher', 0.5, { value: 5, exclusive: false }],
    [[2, 4, 4, 4, 5, 5, 7, 9], 'zscore', 'higher', 1, null],
    [[2, 4, 4, 4, 5, 5, 7, 9], 'zscore', 'lower', 0, { value: 9, exclusive: false }],
    // percentile over 1, 2, 2, 3: PR(1) = .125, (1,2) → .25, PR(2) = .5, (2,3) → .75, PR(3) = .875, >3 → 1
    [[1, 2, 2, 3], 'percentile', 'higher', 0.125, { value: 1, exclusive: false }],
    [[1, 2, 2, 3], 'percentile', 'higher', 0.2, { value: 1, exclusive: true }],
    [[1, 2, 2, 3], 'percentile', 'higher', 0.5, { value: 2, exclusive: false }],
    [[1, 2, 2, 3], 'percentile', 'higher', 0.6, { value: 2, exclusive: true }],
    [[1, 2, 2, 3], 'percentile', 'higher', 0.8, { value: 3, exclusive: false }],
    [[1, 2, 2, 3], 'percentile', 'higher', 1, { value: 3, exclusive: true }],
    [[1, 2, 2, 3], 'percentile', 'higher', 1.1, null],
    [[1, 2, 2, 3], 'percentile', 'lower', 0.5, { value: 2, exclusive: false }],
    [[1, 2, 2, 3], 'percentile', 'lower', 0.6, { value: 2, exclusive: true }],
    [[1, 2, 2, 3], 'percentile', 'lower', 0.9, { value: 1, exclusive: true }],
    [[1, 2, 2, 3], 'percentile', 'lower', 0, { value: 3, exclusive: false }],
    [[], 'percentile', 'higher', 0.5, null],
  ];
  it.each(table)('%j %s %s: denormalise(%d) = %j', (values, method, direction, t, expected) => {
    const result = denormalise(t, metricStats(values), method, direction);
    if (expected === null) expect(result).toBeNull();
    else {
      expect(result?.exclusive).toBe(expected.exclusive);
      // simple-statistics' erf is accurate to 1.2e-7, so zscore thresholds are good to ~1e-7·sd.
      expect(result?.value).toBeCloseTo(expected.value, 6);
    }
  });

  it('inverts zscore with the normal quantile: Φ⁻¹(0.841344746) = 1 → mean + sd = 7', () => {
    const s = metricStats([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(denormalise(0.841344746, s, 'zscore', 'higher')?.value).toBeCloseTo(7, 5);
    expect(denormalise(0.841344746, s, 'zscore', 'lower')?.value).toBeCloseTo(3, 5);
  });
});

describe('normalise and denormalise: properties', () => {
  const finitePopulation = fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), {
    minLength: 1,
    maxLength: 40,
  });
  const anyDouble = fc.double({ noNaN: true });

  it('results lie in [0, 1] and are never NaN, for any value and any population', () => {
    fc.assert(
      fc.property(fc.array(anyDouble, { minLength: 1, maxLength: 30 }), anyDouble, (values, x) => {
        const s = metricStats(values);
        if (s.count === 0) return;
        for (const method of METHODS) {
          for (const direction of DIRECTIONS) {
            const u = normalise(x, s, method, direction);
            expect(u).toBeGreaterThanOrEqual(0);
            expect(u).toBeLessThanOrEqual(1);
          }
        }
      }),
    );
  });

  it('is monotone: non-decreasing in x for higher, non-increasing for lower, every method', () => {
    fc.assert(
      fc.property(finitePopulation, anyDouble, anyDouble, (values, x1, x2) => {
        const s = metricStats(values);
        const [a, b] = x1 <= x2 ? [x1, x2] : [x2, x1];
        for (const method of METHODS) {
          // The library erf wobbles by an ulp or two (~1e-16); nothing a score can notice.
          const slack = method === 'zscore' ? 1e-15 : 0;
          expect(normalise(a, s, method, 'higher')).toBeLessThanOrEqual(
            normalise(b, s, method, 'higher') + slack,
          );
          expect(normalise(a, s, method, 'lower')).toBeGreaterThanOrEqual(
            normalise(b, s, method, 'lower') - slack,
          );
        }
      }),
    );
  });

  it('denormalise then normalise reaches the target, and a worse value does not', () => {
    const population = fc.oneof(
      finitePopulation,
      fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 40 }),
    );
    fc.assert(
      fc.property(
        population,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(...METHODS),
        fc.constantFrom(...DIRECTIONS),
        (values, t, method, direction) => {
          const s = metricStats(values);
          const r = denormalise(t, s, method, direction);
          if (r === null) {
            // Only Φ never reaches 1; everything else reaches any target up to 1.
            expect(method === 'zscore' && t === 1 && s.sd > 0).toBe(true);
            return;
          }
          const sign = direction === 'higher' ? 1 : -1;
          const distinct = [...new Set(s.sorted)];
          const next = (v: number) => {
            // the next population value beyond v in the better direction, if any
            const beyond = distinct.filter((d) => sign * d > sign * v);
            return beyond.length ? beyond.reduce((m, d) => (sign * d < sign * m ? d : m)) : null;
          };
          const prev = (v: number) => {
            const before = distinct.filter((d) => sign * d < sign * v);
            return before.length ? before.reduce((m, d) => (sign * d > sign * m ? d : m)) : null;
          };
          if (r.exclusive) {
            const n = next(r.value);
            const beyond = n === null ? r.value + sign : (r.value + n) / 2;
            expect(normalise(beyond, s, method, direction)).toBeGreaterThanOrEqual(t);
            expect(normalise(r.value, s, method, direction)).toBeLessThan(t);
          } else {
            expect(normalise(r.value, s, method, direction)).toBeGreaterThanOrEqual(t);
          }
          if (t <= 0 || s.min === s.max) return; // the worst value is returned by rule
          if (method === 'percentile') {
            if (!r.exclusive) {
              const p = prev(r.value);
              const worse = p === null ? r.value - sign : (r.value + p) / 2;
              expect(normalise(worse, s, method, direction)).toBeLessThan(t);
            }
          } else {
            // the threshold is tight: one float worse no longer reaches the target
            const worse = direction === 'higher' ? nextDown(r.value) : -nextDown(-r.value);
            expect(normalise(worse, s, method, direction)).toBeLessThan(t);
          }
        },
      ),
    );
  });
});
