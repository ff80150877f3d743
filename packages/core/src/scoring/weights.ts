/**
 * Metric weights: AHP pairwise comparisons (Saaty), the entropy weight method, and manual weights.
 * Formulas and worked examples: docs/scoring-methods.md.
 */
import { DomainError } from '../domain-error.js';

/**
 * Saaty's random consistency index RI by matrix order n: `SAATY_RANDOM_INDEX[n]` for n = 1..15
 * (index 0 is an unused placeholder, 0). RI is the mean consistency index of random reciprocal
 * matrices on the 1–9 scale; CR = CI / RI.
 *
 * The table as Saaty published it (The Analytic Hierarchy Process, McGraw-Hill 1980), reproduced
 * e.g. in Binus University thesis 2011200217, Tabel 2.6 "Nilai Indeks Random (RI)", citing
 * Bernardus et al. 2012 p. 268
 * (http://library.binus.ac.id/eColls/eThesisdoc/Bab2HTML/2011200217TISIBab2001/page49.html), and
 * for n = 1..8 in IWA Publishing's Table 2 (https://iwaponline.com/view-large/3120630).
 * The dip at n = 12 (1.48 < 1.51) is in the published table. Saaty's later tables differ
 * (2005: 0.52, 0.89, 1.11, …, as AHPy's 'saaty' option uses); this one is the classic.
 */
export const SAATY_RANDOM_INDEX: readonly number[] = Object.freeze([
  0, 0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
]);

/** The largest comparison matrix {@link ahpWeights} accepts (the end of the RI table). */
const MAX_ORDER = SAATY_RANDOM_INDEX.length - 1;

/**
 * The outcome of {@link ahpWeights}. weights sum to 1 (dimensionless); lambdaMax is the principal
 * eigenvalue (≥ n for a reciprocal matrix); ci = max(0, (λmax − n)/(n − 1)); ri =
 * SAATY_RANDOM_INDEX[n]; cr = ci / ri (0 when n ≤ 2). mostInconsistent names the pair (i < j, 0-based)
 * whose entered a_ij is furthest, on a log scale, from the ratio w_i / w_j the weights imply; null
 * when n < 2.
 */
export interface AhpResult {
  weights: number[];
  lambdaMax: number;
  ci: number;
  cr: number;
  ri: number;
  mostInconsistent: { pair: [number, number]; entered: number; implied: number } | null;
}

/**
 * Principal right eigenvector (normalised to sum 1) of a positive reciprocal pairwise comparison
 * matrix (a_ij = how many times more important criterion i is than j), with λmax, CI, RI and CR.
 * Power iteration from equal weights to a change ≤ 1e-12, at most 1,000 iterations (it converges
 * for positive matrices); λmax = mean of (A·w)_i / w_i. The matrix is used as entered (0.333 stays
 * 0.333). Throws DomainError('validation_failed') with details.path like `[1][2]` when the matrix
 * is empty or not square, n > 15, an entry is not a finite positive number, a diagonal entry is not
 * 1, or a[j][i] is not the reciprocal of a[i][j] within 2% (|a_ij·a_ji − 1| ≤ 0.02, so that 0.333
 * for 1/3 passes). Does not reject on CR: see {@link assertAhpConsistent}.
 */
export function ahpWeights(matrix: readonly (readonly number[])[]): AhpResult {
  const a = validateMatrix(matrix);
  const n = a.length;
  let w = new Array<number>(n).fill(1 / n);
  for (let iter = 0; iter < 1000; iter++) {
    const next = multiply(a, w);
    const total = next.reduce((s, x) => s + x, 0);
    let change = 0;
    for (let i = 0; i < n; i++) {
      next[i] = (next[i] as number) / total;
      change = Math.max(change, Math.abs((next[i] as number) - (w[i] as number)));
    }
    w = next;
    if (change <= 1e-12) break;
  }
  const aw = multiply(a, w);
  const lambdaMax = aw.reduce((s, x, i) => s + x / (w[i] as number), 0) / n;
  // λmax ≥ n in exact arithmetic; a hair below comes from rounding or the tolerated 2% slack.
  const ci = n > 1 ? Math.max(0, (lambdaMax - n) / (n - 1)) : 0;
  const ri = SAATY_RANDOM_INDEX[n] as number;
  const cr = n > 2 ? ci / ri : 0;
  return { weights: w, lambdaMax, ci, cr, ri, mostInconsistent: mostInconsistentPair(a, w) };
}

/**
 * Refuses an AHP result whose consistency ratio is 0.10 or more (Saaty's rule: judgements that
 * inconsistent are closer to random than to a considered view). Throws
 * DomainError('validation_failed') naming the most inconsistent pair, e.g. "The comparison matrix
 * is inconsistent: consistency ratio 0.14 ≥ 0.10. Revisit the comparisons of the most inconsistent
 * pair: A vs C (entered 5, the other comparisons imply about 1.2).", with details
 * { cr, ri, lambdaMax, pair: [i, j], entered, implied }. labels[i] names criterion i; missing labels
 * read "criterion i+1".
 */
export function assertAhpConsistent(result: AhpResult, labels?: readonly string[]): void {
  if (result.cr < 0.1) return;
  const worst = result.mostInconsistent;
  const name = (i: number) => labels?.[i] ?? `criterion ${i + 1}`;
  const pairText = worst
    ? ` Revisit the comparisons of the most inconsistent pair: ${name(worst.pair[0])} vs ${name(worst.pair[1])} (entered ${ratio(worst.entered)}, the other comparisons imply about ${ratio(worst.implied)}).`
    : '';
  throw new DomainError(
    'validation_failed',
    `The comparison matrix is inconsistent: consistency ratio ${result.cr.toFixed(2)} ≥ 0.10.${pairText}`,
    {
      cr: result.cr,
      ri: result.ri,
      lambdaMax: result.lambdaMax,
      pair: worst?.pair ?? null,
      entered: worst?.entered ?? null,
      implied: worst?.implied ?? null,
    },
  );
}

/**
 * Entropy weight method (熵权法). columns[j] holds metric j's values over the population, already
 * normalised to [0, 1] and benefit-oriented; NaN = missing, skipped. With n_j present values:
 * `p_ij = x_ij / Σ_i x_ij`, `e_j = −(1 / ln n_j) · Σ_i p_ij·ln p_ij` (0·ln 0 = 0), `d_j = 1 − e_j`,
 * `w_j = d_j / Σ_k d_k`. A column with Σx = 0, n_j < 2 or all values equal has d_j = 0; if every
 * d_j = 0 the weights are equal. Only p_ij matters, so any positive scale per column gives the same
 * weights. Returns weights summing to 1 ([] for no columns). Throws DomainError('validation_failed')
 * with details.path `[j][i]` for a negative or infinite value (p_ij would be meaningless).
 */
export function entropyWeights(columns: readonly ArrayLike<number>[]): number[] {
  const d = columns.map((column, j) => {
    let n = 0;
    let sum = 0;
    let lowest = Infinity;
    let highest = -Infinity;
    for (let i = 0; i < column.length; i++) {
      const x = column[i] as number;
      if (Number.isNaN(x)) continue;
      if (!(x >= 0 && x < Infinity)) {
        throw new DomainError(
          'validation_failed',
          `Metric column ${j + 1} has the value ${x} for row ${i + 1}; entropy weights need values normalised to [0, 1] (NaN for missing).`,
          { path: `[${j}][${i}]`, value: x },
        );
      }
      n++;
      sum += x;
      lowest = Math.min(lowest, x);
      highest = Math.max(highest, x);
    }
    if (n < 2 || !(sum > 0) || lowest === highest) return 0;
    let h = 0;
    for (let i = 0; i < column.length; i++) {
      const x = column[i] as number;
      if (!(x > 0)) continue; // missing, or 0·ln 0 = 0
      const p = x / sum;
      h -= p * Math.log(p);
    }
    return Math.max(0, 1 - h / Math.log(n));
  });
  const total = d.reduce((s, x) => s + x, 0);
  if (!(total > 0)) return d.map(() => 1 / d.length);
  return d.map((x) => x / total);
}

/**
 * Manual weights as a person enters them (e.g. percentages summing to 100): checks that none is
 * negative or non-finite and that they sum to `total` within `1e-6 · max(1, total)`, and returns
 * them divided by total (so they sum to 1). Throws DomainError('validation_failed') with
 * details.path `weights.values` (plus `index` for a bad entry) and the actual `sum`, or
 * details.path `weights.total` when total is not a positive finite number.
 */
export function manualWeights(
  values: readonly number[],
  total: number,
  labels?: readonly string[],
): number[] {
  if (!(total > 0 && total < Infinity)) {
    throw new DomainError(
      'validation_failed',
      `The weight total must be a positive number such as 1 or 100; got ${total}.`,
      { path: 'weights.total', total },
    );
  }
  const sum = values.reduce((s, v) => s + v, 0);
  const name = (i: number) => labels?.[i] ?? `weight ${i + 1}`;
  values.forEach((v, index) => {
    if (!(v >= 0 && v < Infinity)) {
      throw new DomainError(
        'validation_failed',
        `${name(index)} is ${v}; weights must be zero or positive numbers.`,
        { path: 'weights.values', index, value: v, sum, total },
      );
    }
  });
  if (Math.abs(sum - total) > 1e-6 * Math.max(1, total)) {
    const list = values.map((v, i) => `${name(i)} ${v}`).join(', ');
    throw new DomainError(
      'validation_failed',
      `The weights add up to ${sum} but must add up to ${total} (${list}). Adjust them so that they sum to ${total}.`,
      { path: 'weights.values', sum, total },
    );
  }
  return values.map((v) => v / total);
}

/** Checks shape, positivity, unit diagonal and reciprocity; returns the matrix typed as rows. */
function validateMatrix(matrix: readonly (readonly number[])[]): readonly (readonly number[])[] {
  const n = matrix.length;
  const fail = (message: string, path: string, extra: Record<string, unknown> = {}) =>
    new DomainError('validation_failed', message, { path, ...extra });
  if (n === 0) throw fail('The comparison matrix is empty: add at least one criterion.', '');
  if (n > MAX_ORDER) {
    throw fail(
      `The comparison matrix compares ${n} criteria; at most ${MAX_ORDER} can be compared in pairs. Group criteria under parents and compare each group separately.`,
      '',
      { size: n, max: MAX_ORDER },
    );
  }
  matrix.forEach((row, i) => {
    if (row.length !== n) {
      throw fail(
        `Row ${i + 1} of the comparison matrix has ${row.length} entries; a matrix comparing ${n} criteria needs ${n} in every row.`,
        `[${i}]`,
        { size: n, length: row.length },
      );
    }
    row.forEach((x, j) => {
      if (!(x > 0 && x < Infinity)) {
        throw fail(
          `Comparison [${i}][${j}] is ${x}; it must be a positive number (1/9 to 9 on Saaty's scale).`,
          `[${i}][${j}]`,
          { value: x },
        );
      }
    });
    if (row[i] !== 1) {
      throw fail(
        `Comparison [${i}][${i}] compares a criterion with itself and must be 1; got ${row[i]}.`,
        `[${i}][${i}]`,
        { value: row[i] },
      );
    }
  });
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const aij = matrix[i]?.[j] as number;
      const aji = matrix[j]?.[i] as number;
      if (Math.abs(aij * aji - 1) > 0.02) {
        throw fail(
          `Comparison [${j}][${i}] must be the reciprocal of [${i}][${j}] = ${aij}, i.e. ${ratio(1 / aij)}; got ${aji}.`,
          `[${j}][${i}]`,
          { value: aji, expected: 1 / aij },
        );
      }
    }
  }
  return matrix;
}

function multiply(a: readonly (readonly number[])[], w: readonly number[]): number[] {
  return a.map((row) => row.reduce((s, x, j) => s + x * (w[j] as number), 0));
}

function mostInconsistentPair(
  a: readonly (readonly number[])[],
  w: readonly number[],
): AhpResult['mostInconsistent'] {
  let best: AhpResult['mostInconsistent'] = null;
  let worst = -1;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const entered = a[i]?.[j] as number;
      const implied = (w[i] as number) / (w[j] as number);
      const deviation = Math.abs(Math.log(entered / implied));
      if (deviation > worst) {
        worst = deviation;
        best = { pair: [i, j], entered, implied };
      }
    }
  }
  return best;
}

/** A comparison ratio as a person reads it: 5, 1.7, 1/3. */
function ratio(x: number): string {
  if (x >= 1) return String(Number(x.toFixed(x >= 10 ? 0 : 1)));
  return `1/${Number((1 / x).toFixed(1 / x >= 10 ? 0 : 1))}`;
}
