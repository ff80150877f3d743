import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain-error.js';
import {
  SAATY_RANDOM_INDEX,
  ahpWeights,
  assertAhpConsistent,
  entropyWeights,
  manualWeights,
} from './weights.js';
import { domainError } from '../test/domain-error.js';

/** A full reciprocal matrix from its upper triangle, row by row: upper[i] holds a[i][i+1..n-1]. */
function reciprocal(upper: number[][]): number[][] {
  const n = upper.length + 1;
  const a = Array.from({ length: n }, () => new Array<number>(n).fill(1));
  upper.forEach((row, i) =>
    row.forEach((x, k) => {
      a[i]![i + 1 + k] = x;
      a[i + 1 + k]![i] = 1 / x;
    }),
  );
  return a;
}

describe('SAATY_RANDOM_INDEX', () => {
  it('is the classic table, indexed by matrix order', () => {
    expect(SAATY_RANDOM_INDEX.slice(1)).toEqual([
      0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
    ]);
  });
});

describe('ahpWeights: published worked examples', () => {
  it("reproduces Saaty's drink-consumption example (weights .177 .019 .042 .116 .190 .129 .327)", () => {
    // Saaty, T.L. (2008) 'Decision making with the analytic hierarchy process', Int. J. Services
    // Sciences 1(1), 83–98, Table 2; as encoded in PhilipGriffith/AHPy tests/test_ahp.py, whose
    // CR 0.022 uses Saaty's 2005 RI for n = 7 (1.35).
    // Order: coffee, wine, tea, beer, sodas, milk, water.
    const drinks = reciprocal([
      [9, 5, 2, 1, 1, 1 / 2],
      [1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
      [1 / 3, 1 / 4, 1 / 3, 1 / 9],
      [1 / 2, 1, 1 / 3],
      [2, 1 / 2],
      [1 / 3],
    ]);
    const r = ahpWeights(drinks);
    [0.177, 0.019, 0.042, 0.116, 0.19, 0.129, 0.327].forEach((w, i) =>
      expect(r.weights[i]).toBeCloseTo(w, 3),
    );
    expect(r.ci / 1.35).toBeCloseTo(0.022, 3);
    expect(r.ri).toBe(1.32);
    expect(r.cr).toBeCloseTo(r.ci / 1.32, 12);
    expect(() => assertAhpConsistent(r)).not.toThrow();
  });

  it('reproduces the Wikipedia leader example criteria weights (.547 .127 .270 .056)', () => {
    // https://en.wikipedia.org/wiki/Analytic_hierarchy_process_%E2%80%93_leader_example
    // Experience, Education, Charisma, Age.
    const r = ahpWeights(reciprocal([[4, 3, 7], [1 / 3, 3], [5]]));
    // The page prints weights rounded so that they sum to 1.000 (.5476 appears as .547): ±0.001.
    [0.547, 0.127, 0.27, 0.056].forEach((w, i) =>
      expect(Math.abs(r.weights[i]! - w)).toBeLessThan(0.001),
    );
    expect(r.cr).toBeLessThan(0.1);
  });

  it('reproduces the complete 4×4 example of Bozóki, Fülöp & Rónyai (2010) with CR 0.0372', () => {
    // Mathematical and Computer Modelling 52, 318–333; weights and CR as printed in
    // PhilipGriffith/AHPy README.md: a .3742, b .3917, c .0991, d .1349, CR 0.0372 with the
    // Donegan–Dodd RI for n = 4 (0.8286), i.e. CI = 0.0308 and λmax = 4 + 3·CI ≈ 4.0925.
    const r = ahpWeights(reciprocal([[1, 5, 2], [3, 4], [3 / 4]]));
    [0.3742, 0.3917, 0.0991, 0.1349].forEach((w, i) => expect(r.weights[i]).toBeCloseTo(w, 4));
    expect(r.ci / 0.8286).toBeCloseTo(0.0372, 4);
    expect(r.lambdaMax).toBeCloseTo(4 + 3 * 0.0372 * 0.8286, 3);
    expect(r.cr).toBeCloseTo(r.ci / 0.9, 12);
  });

  it('gives exact weights, λmax = n and CR 0 for a perfectly consistent matrix', () => {
    const r = ahpWeights(reciprocal([[2, 4, 8], [2, 4], [2]]));
    [8, 4, 2, 1].forEach((w, i) => expect(r.weights[i]).toBeCloseTo(w / 15, 12));
    expect(r.lambdaMax).toBeCloseTo(4, 12);
    expect(r.ci).toBeCloseTo(0, 12);
    expect(r.cr).toBeCloseTo(0, 12);
  });

  it('handles one and two criteria (CR 0 by definition)', () => {
    expect(ahpWeights([[1]])).toMatchObject({ weights: [1], lambdaMax: 1, ci: 0, cr: 0, ri: 0 });
    const two = ahpWeights([
      [1, 3],
      [1 / 3, 1],
    ]);
    expect(two.weights[0]).toBeCloseTo(0.75, 12);
    expect(two.cr).toBe(0);
  });

  it('weights sum to 1 and follow the comparisons for any positive reciprocal matrix', () => {
    const scale = fc.constantFrom(1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9);
    const matrix = fc
      .integer({ min: 2, max: 15 })
      .chain((n) =>
        fc.tuple(
          ...Array.from({ length: n - 1 }, (_, i) =>
            fc.array(scale, { minLength: n - 1 - i, maxLength: n - 1 - i }),
          ),
        ),
      );
    fc.assert(
      fc.property(matrix, (upper) => {
        const r = ahpWeights(reciprocal(upper));
        expect(r.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
        expect(r.weights.every((w) => w > 0)).toBe(true);
        expect(r.lambdaMax).toBeGreaterThanOrEqual(r.weights.length - 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});

describe('assertAhpConsistent', () => {
  // Consistent weights 8 : 4 : 2 : 1, except that A vs D was entered backwards (1/8 for 8).
  const labels = ['Revenue', 'Growth', 'Returns', 'Visits'];
  const backwards = reciprocal([[2, 4, 1 / 8], [2, 4], [2]]);

  it('refuses CR ≥ 0.10 and names the most inconsistent pair', () => {
    const r = ahpWeights(backwards);
    expect(r.cr).toBeGreaterThanOrEqual(0.1);
    const error = domainError(() => assertAhpConsistent(r, labels));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(
      /^The comparison matrix is inconsistent: consistency ratio \d\.\d\d ≥ 0\.10\. Revisit the comparisons of the most inconsistent pair: Revenue vs Visits \(entered 1\/8, /,
    );
    expect(error.details).toMatchObject({
      pair: [0, 3],
      cr: r.cr,
      ri: 0.9,
      lambdaMax: r.lambdaMax,
    });
  });

  it('names criteria by number when no labels are given', () => {
    const error = domainError(() => assertAhpConsistent(ahpWeights(backwards)));
    expect(error.message).toContain('criterion 1 vs criterion 4');
  });

  it('accepts CR just below 0.10 and refuses it at 0.10', () => {
    const base = ahpWeights(backwards);
    expect(() => assertAhpConsistent({ ...base, cr: 0.0999 })).not.toThrow();
    expect(() => assertAhpConsistent({ ...base, cr: 0.1 })).toThrow(DomainError);
  });
});

describe('ahpWeights: invalid matrices give the path of the bad entry', () => {
  const cases: [string, number[][], string][] = [
    ['a row of the wrong length', [[1, 2], [0.5]], '[1]'],
    [
      'a missing reciprocal',
      [
        [1, 3],
        [0.5, 1],
      ],
      '[1][0]',
    ],
    [
      'a diagonal entry other than 1',
      [
        [2, 1],
        [1, 1],
      ],
      '[0][0]',
    ],
    [
      'a negative entry',
      [
        [1, -2],
        [-0.5, 1],
      ],
      '[0][1]',
    ],
    [
      'a zero entry',
      [
        [1, 1],
        [0, 1],
      ],
      '[1][0]',
    ],
    [
      'a NaN entry',
      [
        [1, NaN],
        [1, 1],
      ],
      '[0][1]',
    ],
    ['an empty matrix', [], ''],
  ];
  it.each(cases)('%s', (_, matrix, path) => {
    const error = domainError(() => ahpWeights(matrix));
    expect(error.code).toBe('validation_failed');
    expect(error.details?.path).toBe(path);
  });

  it('accepts 0.333 for 1/3 (2% reciprocity tolerance) but not 0.3', () => {
    expect(
      ahpWeights([
        [1, 3],
        [0.333, 1],
      ]).weights[0],
    ).toBeCloseTo(0.75, 3);
    expect(
      domainError(() =>
        ahpWeights([
          [1, 3],
          [0.3, 1],
        ]),
      ).message,
    ).toContain('reciprocal');
  });

  it('refuses more than 15 criteria, the end of the RI table', () => {
    const sixteen = Array.from({ length: 16 }, () => new Array<number>(16).fill(1));
    expect(domainError(() => ahpWeights(sixteen)).details).toMatchObject({ size: 16, max: 15 });
    expect(() => ahpWeights(sixteen.slice(1).map((row) => row.slice(1)))).not.toThrow();
  });
});

describe('entropyWeights', () => {
  // Columns divided by their maximum: the method depends only on p_ij = x_ij / Σ x_ij, so this
  // normalisation to [0, 1] leaves the published weights unchanged.
  const columnsOf = (rows: number[][]) =>
    rows[0]!.map((_, j) => {
      const column = rows.map((row) => row[j]!);
      const max = Math.max(...column);
      return column.map((x) => x / max);
    });

  it('reproduces Xu (2004), EJOR 156(2) 530–532: weights .4630 .3992 .1378 .0000', () => {
    // As reproduced in energyinpython/crispyn tests/test_weighting_methods.py (Test_Entropy).
    const w = entropyWeights(
      columnsOf([
        [30, 30, 38, 29],
        [19, 54, 86, 29],
        [19, 15, 85, 28.9],
        [68, 70, 60, 29],
      ]),
    );
    [0.463, 0.3992, 0.1378, 0].forEach((x, j) => expect(w[j]).toBeCloseTo(x, 4));
  });

  it('reproduces Zavadskas & Podvezko (2016), IJITDM 15(2): weights .1146 .1981 .4185 .2689', () => {
    // As reproduced in energyinpython/crispyn tests/test_weighting_methods.py (Test_Entropy2).
    const w = entropyWeights(
      columnsOf([
        [3.0, 100, 10, 7],
        [2.5, 80, 8, 5],
        [1.8, 50, 20, 11],
        [2.2, 70, 12, 9],
      ]),
    );
    [0.1146, 0.1981, 0.4185, 0.2689].forEach((x, j) => expect(w[j]).toBeCloseTo(x, 4));
  });

  it('takes 0·ln 0 as 0: a zero value is information, not an error', () => {
    // Column 1: p = (0, 1), entropy 0, d = 1. Column 2: p = (1/3, 2/3), e = 0.918296, d = 0.081704.
    const w = entropyWeights([
      [0, 1],
      [0.5, 1],
    ]);
    expect(w[0]).toBeCloseTo(1 / 1.081704, 6);
    expect(w[1]).toBeCloseTo(0.081704 / 1.081704, 6);
  });

  it('skips missing values (NaN) and uses the present count for ln n', () => {
    expect(
      entropyWeights([
        [NaN, 0, 1, NaN],
        [0.5, 1],
      ]),
    ).toEqual(
      entropyWeights([
        [0, 1],
        [0.5, 1],
      ]),
    );
  });

  it('gives no weight to a column that cannot tell dealers apart', () => {
    const constant = [0.1, 0.1, 0.1];
    const allZero = [0, 0, 0];
    const single = [NaN, 0.7, NaN];
    const w = entropyWeights([constant, allZero, single, [0.2, 0.5, 1]]);
    expect(w.slice(0, 3)).toEqual([0, 0, 0]);
    expect(w[3]).toBe(1);
  });

  it('falls back to equal weights when no column differentiates', () => {
    expect(entropyWeights([[0.1, 0.1, 0.1], [0, 0], [1]])).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(entropyWeights([])).toEqual([]);
  });

  it('refuses negative or infinite values with the path of the cell', () => {
    const error = domainError(() =>
      entropyWeights([
        [0.5, 1],
        [0.2, -0.1],
      ]),
    );
    expect(error.details).toMatchObject({ path: '[1][1]', value: -0.1 });
    expect(domainError(() => entropyWeights([[Infinity, 1]])).details?.path).toBe('[0][0]');
  });

  it('returns non-negative weights summing to 1 for any table', () => {
    const cell = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(NaN));
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { maxLength: 20 }), { minLength: 1, maxLength: 8 }),
        (cols) => {
          const w = entropyWeights(cols);
          expect(w).toHaveLength(cols.length);
          expect(w.every((x) => x >= 0)).toBe(true);
          expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
        },
      ),
    );
  });
});

describe('manualWeights', () => {
  it('divides by the total', () => {
    expect(manualWeights([40, 30, 30], 100)).toEqual([0.4, 0.3, 0.3]);
    expect(manualWeights([0.5, 0.5], 1)).toEqual([0.5, 0.5]);
  });

  it('tolerates rounding within 1e-6 of the total', () => {
    expect(() => manualWeights([33.3333333, 33.3333333, 33.3333334], 100)).not.toThrow();
    expect(() => manualWeights([33.33, 33.33, 33.33], 100)).toThrow(DomainError);
  });

  it('refuses weights that do not add up, saying the actual sum', () => {
    const error = domainError(() =>
      manualWeights([40, 30, 25], 100, ['Revenue', 'Growth', 'Returns']),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.details).toMatchObject({ path: 'weights.values', sum: 95, total: 100 });
    expect(error.message).toContain(
      'add up to 95 but must add up to 100 (Revenue 40, Growth 30, Returns 25)',
    );
  });

  it('refuses a negative weight even when the sum is right', () => {
    const error = domainError(() => manualWeights([60, 50, -10], 100));
    expect(error.details).toMatchObject({ path: 'weights.values', index: 2, sum: 100 });
  });

  it('refuses a total that is not a positive number', () => {
    expect(domainError(() => manualWeights([], 0)).details?.path).toBe('weights.total');
  });
});
