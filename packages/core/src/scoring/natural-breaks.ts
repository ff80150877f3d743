/**
 * Jenks natural breaks: split one metric's values into classes that are as homogeneous as
 * possible (least total within-class sum of squared deviations). Formulas and worked examples:
 * docs/scoring-methods.md.
 */
import { ckmeans } from 'simple-statistics';
import { DomainError } from '../domain-error.js';

/**
 * Jenks natural breaks of `values` into at most `classes` classes: fewer when there are fewer
 * distinct values. Returns the ascending lower bounds of the classes (each the smallest value in
 * its class), the first being the minimum. NaN and ±Infinity are ignored; no finite value → [].
 * Throws DomainError('validation_failed') with details.path `classes` unless classes is an integer
 * ≥ 1.
 *
 * Jenks' criterion — minimise the sum over classes of squared deviations from the class mean — is
 * exactly 1-D k-means, and simple-statistics offers two exact optimisers of it: `jenks` (the
 * Jenks–Fisher dynamic programme, O(k·n²) time and memory) and `ckmeans` (Wang & Song's Ckmeans.1d.dp,
 * O(k·n·log n)). Both give the same optimum (the tests check this against `jenks` on random data;
 * they differ only in how they break exact ties), but measured on Node 20 with k = 5, `jenks` takes
 * 133 ms at 5,000 values, 545 ms at 10,000 and 2.1 s at 20,000 (≈ 50 s extrapolated to 100,000),
 * while `ckmeans` takes 60–150 ms for 100,000 values with k = 3–10. So this uses `ckmeans` on all
 * the data rather than `jenks` on a sample: exact, and fast enough.
 */
export function naturalBreaks(values: ArrayLike<number>, classes: number): number[] {
  if (!(Number.isInteger(classes) && classes >= 1)) {
    throw new DomainError(
      'validation_failed',
      `The number of classes must be a whole number of at least 1; got ${classes}.`,
      { path: 'classes', value: classes },
    );
  }
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) finite.push(v);
  }
  if (finite.length === 0) return [];
  finite.sort((x, y) => x - y);
  let distinct = 1;
  for (let i = 1; i < finite.length; i++) if (finite[i] !== finite[i - 1]) distinct++;
  const k = Math.min(classes, distinct);
  if (k === 1) return [finite[0] as number];
  const bounds: number[] = [];
  for (const cluster of ckmeans(finite, k)) {
    const low = cluster[0];
    // An optimum may split a run of equal values only on an exact tie; keep each bound once.
    if (low !== undefined && low !== bounds[bounds.length - 1]) bounds.push(low);
  }
  return bounds;
}

/**
 * Index (0 = lowest class) of the class `value` falls in, given ascending lower bounds from
 * {@link naturalBreaks}: the last class whose lower bound is ≤ value. Values below the first bound
 * fall in class 0; values between the top of one class and the next bound stay in the lower class.
 * NaN value or no bounds → −1 (no class). O(log k).
 */
export function classOf(value: number, lowerBounds: readonly number[]): number {
  if (Number.isNaN(value) || lowerBounds.length === 0) return -1;
  let lo = 0;
  let hi = lowerBounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((lowerBounds[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo - 1);
}
