/**
 * Normalisation of one metric's raw values onto [0, 1] (1 = best), and its inverse: the raw value
 * a dealer needs to reach a normalised target. Formulas and worked examples: docs/scoring-methods.md.
 */
import { errorFunction, probit } from 'simple-statistics';

/** How raw values map onto [0, 1]: linear between min and max, normal CDF of the z-score, or mid-rank percentile. */
export type Normalisation = 'minmax' | 'zscore' | 'percentile';

/** `higher`: higher raw values are better (a benefit metric); `lower`: lower is better (a cost metric). */
export type Direction = 'higher' | 'lower';

/**
 * Population statistics of one metric's present values: enough to normalise and to invert.
 * All in the metric's own unit. Build it with {@link metricStats}; treat it as immutable.
 */
export interface MetricStats {
  /** Number of present (finite) values. */
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (divides by `count`, not `count − 1`). */
  sd: number;
  /** The present values, ascending. */
  sorted: Float64Array;
  /** For each index i of `sorted`, one past the last index holding the same value (ties). */
  tieEnd: Int32Array;
}

/**
 * Statistics over `values`, ignoring NaN (= missing). ±Infinity is ignored too: an infinite metric
 * value (a division by zero upstream) cannot be placed on a scale. count 0 → min/max/mean/sd NaN,
 * sorted empty. When every value is equal, mean is exactly that value and sd is exactly 0 (summing
 * 0.1 three times would otherwise give a mean of 0.10000000000000002 and a spurious sd).
 * Mean and sd are computed on values scaled by a power of two, so magnitudes up to ±1e308 do not
 * overflow.
 */
export function metricStats(values: ArrayLike<number>): MetricStats {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) count++;
  const sorted = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) sorted[k++] = v;
  }
  sorted.sort();
  const tieEnd = new Int32Array(count);
  for (let i = count - 1; i >= 0; i--) {
    tieEnd[i] = i + 1 < count && sorted[i + 1] === sorted[i] ? (tieEnd[i + 1] as number) : i + 1;
  }
  if (count === 0) return { count, min: NaN, max: NaN, mean: NaN, sd: NaN, sorted, tieEnd };
  const min = sorted[0] as number;
  const max = sorted[count - 1] as number;
  if (min === max) return { count, min, max, mean: min, sd: 0, sorted, tieEnd };
  const maxAbs = Math.max(Math.abs(min), Math.abs(max));
  // A power of two, so that scaling is exact and the sums of squares stay within [0, count].
  const scale = 2 ** Math.min(1023, Math.ceil(Math.log2(maxAbs)));
  // Two passes over the scaled values (no boxed copy: this runs on 100,000 values per metric).
  let sum = 0;
  for (let i = 0; i < count; i++) sum += (sorted[i] as number) / scale;
  const scaledMean = sum / count;
  let squares = 0;
  for (let i = 0; i < count; i++) {
    const d = (sorted[i] as number) / scale - scaledMean;
    squares += d * d;
  }
  return {
    count,
    min,
    max,
    mean: Math.min(max, Math.max(min, scaledMean * scale)),
    sd: Math.sqrt(squares / count) * scale,
    sorted,
    tieEnd,
  };
}

/**
 * Map a raw value to [0, 1], 1 best.
 * - minmax: `(x − min) / (max − min)` for higher, `(max − x) / (max − min)` for lower, clamped to
 *   [0, 1]. everyone equal (or count 1): see `degenerate` — the shared value scores 0.5; a metric on which everyone is equal
 *   differentiates nobody and costs nobody.
 * - zscore: `Φ(z)` with `z = (x − mean) / sd` for higher, `Φ(−z)` for lower; Φ is the standard
 *   normal CDF `0.5·(1 + erf(z/√2))`. sd = 0: as minmax.
 * - percentile: mid-rank percentile rank `(B + 0.5·E) / N`, B = population values strictly worse
 *   than x (smaller for higher, greater for lower), E = values equal to x. Everyone equal → 0.5.
 *   O(log N) by binary search, no allocation.
 * Edge cases: NaN value → NaN (missing stays missing); count 0 → NaN; ±Infinity → 0 or 1.
 * Never NaN for a non-NaN value when count ≥ 1. Monotone in x (zscore up to ~1e-16 rounding
 * inside erf).
 */
export function normalise(
  value: number,
  stats: MetricStats,
  method: Normalisation,
  direction: Direction,
): number {
  if (Number.isNaN(value) || stats.count === 0) return NaN;
  if (!(stats.max > stats.min)) return degenerate(value, stats.min, direction);
  switch (method) {
    case 'minmax': {
      const { min, max } = stats;
      const range = max - min;
      let u: number;
      if (Number.isFinite(range)) {
        u = direction === 'higher' ? (value - min) / range : (max - value) / range;
      } else {
        // max − min overflowed (values near ±1.8e308): halving is exact and brings it back.
        const half = max * 0.5 - min * 0.5;
        u =
          direction === 'higher'
            ? (value * 0.5 - min * 0.5) / half
            : (max * 0.5 - value * 0.5) / half;
      }
      return u < 0 ? 0 : u > 1 ? 1 : u;
    }
    case 'zscore': {
      const { mean: m, sd } = stats;
      const d = value - m;
      const z = Number.isFinite(d) ? d / sd : (value * 0.5 - m * 0.5) / (sd * 0.5);
      return standardNormalCdf(direction === 'higher' ? z : -z);
    }
    case 'percentile': {
      const { sorted, count } = stats;
      const below = lowerBound(sorted, value);
      const atOrBelow =
        below < count && sorted[below] === value ? (stats.tieEnd[below] as number) : below;
      // B + 0.5·E = (lb + ub) / 2 for higher; for lower, B = N − ub and so 2N − lb − ub over 2N.
      const twice = direction === 'higher' ? below + atOrBelow : 2 * count - below - atOrBelow;
      return twice / (2 * count);
    }
  }
}

/**
 * The raw value a dealer needs so that `normalise(value) >= target`: the smallest such value for
 * 'higher', the largest for 'lower' (the inverse of {@link normalise}, in the metric's unit).
 * - `exclusive: true` (percentile only) means "any value strictly beyond `value`" (above it for
 *   higher, below it for lower): the target is reached between two population values.
 * - target ≤ 0 → the worst population value (min for higher, max for lower), not exclusive.
 * - null when no value reaches the target: target > 1 (minmax, percentile), target ≥ 1 (zscore:
 *   Φ never reaches 1), target NaN, or count 0. When everyone is equal, targets up to 0.5 are met
 *   by the shared value and targets up to 1 by anything strictly better than it.
 * minmax: `min + t·(max − min)`; zscore: `mean + sd·Φ⁻¹(t)` (mirrored for lower); percentile: see
 * the doc. The result is adjusted to the float so that normalise of it really reaches the target.
 */
export function denormalise(
  target: number,
  stats: MetricStats,
  method: Normalisation,
  direction: Direction,
): { value: number; exclusive: boolean } | null {
  if (Number.isNaN(target) || stats.count === 0) return null;
  const worst = direction === 'higher' ? stats.min : stats.max;
  if (target <= 0) return { value: worst, exclusive: false };
  if (!(stats.max > stats.min)) {
    // Everyone has the same value: it scores 0.5; anything better than it scores 1.
    if (target > 1) return null;
    return { value: stats.min, exclusive: target > 0.5 };
  }
  switch (method) {
    case 'minmax': {
      if (target > 1) return null;
      const guess = stats.min + target * (stats.max - stats.min);
      return { value: settle(target, stats, method, direction, guess), exclusive: false };
    }
    case 'zscore': {
      if (target >= 1) return null;
      const z = inverseStandardNormalCdf(target);
      const guess = direction === 'higher' ? stats.mean + stats.sd * z : stats.mean - stats.sd * z;
      return { value: settle(target, stats, method, direction, guess), exclusive: false };
    }
    case 'percentile':
      if (target > 1) return null;
      return percentileThreshold(target, stats, direction);
  }
}

/**
 * Every method's limit when the population has one value v (one dealer, or all equal): v itself
 * scores 0.5 (the mid-rank, Φ(0), the middle of an empty range), a better value 1, a worse one 0.
 * So a metric nobody differs on moves everybody alike and changes no ranking, and a dealer that
 * improves on it never loses points (the monotonicity the scoring promises).
 */
function degenerate(value: number, v: number, direction: Direction): number {
  if (value === v) return 0.5;
  return value > v === (direction === 'higher') ? 1 : 0;
}

/** Standard normal CDF through simple-statistics' erf (Numerical Recipes erfc, |error| < 1.2e-7). */
function standardNormalCdf(z: number): number {
  // The library's erf(0) is −3e-8, not 0: clamping keeps Φ continuous (and monotone) at z = 0.
  const e = errorFunction(Math.abs(z) * Math.SQRT1_2);
  const half = e > 0 ? 0.5 * e : 0;
  return z >= 0 ? 0.5 + half : 0.5 - half;
}

/**
 * Φ⁻¹(t) for 0 < t < 1. simple-statistics' probit is an approximation (|Φ(probit(t)) − t| up to
 * 1.6e-4 measured); Newton steps on our own Φ make the round trip exact to float precision.
 */
function inverseStandardNormalCdf(t: number): number {
  let z = probit(t);
  if (!Number.isFinite(z)) z = t < 0.5 ? -38 : 8.3;
  for (let k = 0; k < 6; k++) {
    const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    if (!(density > 0)) break;
    const next = z - (standardNormalCdf(z) - t) / density;
    if (!Number.isFinite(next) || next === z) break;
    z = Math.max(-38, Math.min(38, next));
  }
  return z;
}

/**
 * The best-for-the-dealer float near `guess` that still reaches the target: the smallest for
 * higher, the largest for lower. Gallops away from the guess to bracket the threshold, then bisects
 * until the bracket is two adjacent floats. Needs normalise to be monotone in x (it is).
 */
function settle(
  target: number,
  stats: MetricStats,
  method: Normalisation,
  direction: Direction,
  guess: number,
): number {
  // Work on y = x for higher and y = −x for lower, so that "reaches" is non-decreasing in y.
  const sign = direction === 'higher' ? 1 : -1;
  const reaches = (y: number) => normalise(sign * y, stats, method, direction) >= target;
  const start = Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, sign * guess));
  let step = Math.max(Math.abs(start) * Number.EPSILON, Number.MIN_VALUE);
  let lo: number;
  let hi: number;
  // Each loop is bounded: ~2100 doublings or halvings span every finite double.
  let gallop = 2200;
  if (reaches(start)) {
    hi = start;
    lo = start - step;
    while (reaches(lo) && gallop-- > 0) {
      hi = lo;
      step *= 2;
      lo = start - step;
    }
  } else {
    lo = start;
    hi = start + step;
    while (!reaches(hi) && gallop-- > 0) {
      lo = hi;
      step *= 2;
      hi = start + step;
    }
  }
  for (let bisect = 2200; bisect > 0; bisect--) {
    const mid = lo + (hi - lo) / 2;
    if (!(mid > lo && mid < hi)) break;
    if (reaches(mid)) hi = mid;
    else lo = mid;
  }
  return sign * hi;
}

/**
 * Inverse of the mid-rank percentile: see {@link denormalise}. O(log N).
 *
 * "Strictly beyond s" scores (values at or worse than s) / N, which grows with s. Reaching the
 * target t needs k = ⌈t·N⌉ values at or worse than s: for higher that is s ≥ sorted[k − 1]
 * (the k-th smallest), for lower s ≤ sorted[N − k]. That population value is the answer; it is
 * exclusive unless the value itself already scores t.
 */
function percentileThreshold(
  target: number,
  stats: MetricStats,
  direction: Direction,
): { value: number; exclusive: boolean } {
  const { sorted, count } = stats;
  const share = (k: number) => (2 * k) / (2 * count);
  let k = Math.min(count, Math.max(1, Math.ceil(target * count)));
  // ⌈t·N⌉ in floating point can be one off either way: settle on the least k whose share,
  // computed as `normalise` computes it, reaches the target.
  while (k > 1 && share(k - 1) >= target) k--;
  while (k < count && share(k) < target) k++;
  const value = (direction === 'higher' ? sorted[k - 1] : sorted[count - k]) as number;
  const exclusive = normalise(value, stats, 'percentile', direction) < target;
  return { value, exclusive };
}

/** Number of entries of `sorted` strictly below `x`. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
