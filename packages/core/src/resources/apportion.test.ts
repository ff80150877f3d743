import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distributeRemainders, fillByWeight, type FillItem } from './apportion.js';
import { decimalOf, decimalText, divideCeil, divideHalfUp, onCommonScale } from './exact.js';

const item = (weight: number, extra: Partial<FillItem> = {}, order = 0): FillItem => ({
  weight: BigInt(weight),
  floor: 0n,
  cap: null,
  order,
  ...extra,
});

describe('exact decimals', () => {
  it.each([
    [0.1, 1n, 1],
    [33.33, 3333n, 2],
    [-2.5, -25n, 1],
    [0, 0n, 0],
    [1e21, 10n ** 21n, 0],
    [1.5e-7, 15n, 8],
    [1234567.891, 1234567891n, 3],
  ])('reads %d as the decimal it prints as', (x, digits, scale) => {
    expect(decimalOf(x)).toEqual({ digits, scale });
  });

  it('puts decimals on one denominator, so 0.1 : 0.2 is exactly 1 : 2', () => {
    expect(onCommonScale([decimalOf(0.1), decimalOf(0.2), decimalOf(3)])).toEqual({
      digits: [1n, 2n, 30n],
      scale: 1,
    });
  });

  it('prints decimals without exponent or trailing zeros', () => {
    expect(decimalText(9999n, 2)).toBe('99.99');
    expect(decimalText(1000n, 2)).toBe('10');
    expect(decimalText(5n, 3)).toBe('0.005');
    expect(decimalText(-150n, 2)).toBe('-1.5');
  });

  it('rounds half up and up', () => {
    expect([5n, 15n, 25n, 24n].map((n) => divideHalfUp(n, 10n))).toEqual([1n, 2n, 3n, 2n]);
    expect([0n, 1n, 10n, 11n, -1n].map((n) => divideCeil(n, 10n))).toEqual([0n, 1n, 1n, 2n, 0n]);
  });
});

describe('distributeRemainders (largest remainder)', () => {
  it('gives the missing units to the largest remainders, ties to the smaller order', () => {
    // 100 / 3 = 33 r 1 each: one unit missing, equal remainders, order 3 < 5 < 7.
    expect(distributeRemainders([33n, 33n, 33n], [1n, 1n, 1n], [7, 3, 5], 1n)).toEqual([
      33n,
      34n,
      33n,
    ]);
    expect(distributeRemainders([1n, 1n], [1n, 5n], [0, 1], 1n)).toEqual([1n, 2n]);
    expect(distributeRemainders([4n], [0n], [0], 0n)).toEqual([4n]);
  });
});

describe('fillByWeight', () => {
  it('splits in proportion and rounds by largest remainder: 10 by 1 : 1 : 1 is 4, 3, 3', () => {
    // 10/3 = 3.333…: floors 3 + 3 + 3 = 9, one unit to the smallest order.
    const r = fillByWeight(10n, [item(1, {}, 2), item(1, {}, 1), item(1, {}, 3)]);
    expect(r.amounts).toEqual([3n, 4n, 3n]);
    expect(r.outcomes).toEqual(['share', 'share', 'share']);
    expect(r.leftover).toBe(0n);
  });

  it('gives what a cap leaves over to the others by weight', () => {
    // 40,000,000 by 6 : 3 : 1 is 24M, 12M, 4M; the first is capped at 20M, and the 4M over is
    // split 3 : 1 between the others: 15M and 5M.
    const r = fillByWeight(40_000_000n, [item(6, { cap: 20_000_000n }), item(3), item(1)]);
    expect(r.amounts).toEqual([20_000_000n, 15_000_000n, 5_000_000n]);
    expect(r.outcomes).toEqual(['capped', 'share', 'share']);
  });

  it('redistributes in rounds until no one is over its cap', () => {
    // 100 by 1 : 1 : 1 caps 10, 30, none: 33⅓ each; round 1 caps the first (10) and the second
    // (30 < 33⅓); the third gets the remaining 60.
    const r = fillByWeight(100n, [item(1, { cap: 10n }), item(1, { cap: 30n }), item(1)]);
    expect(r.amounts).toEqual([10n, 30n, 60n]);
  });

  it('raises a dealer to its floor at the expense of the others', () => {
    // 1,000 by 9 : 1 is 900 and 100; the second has a floor of 200, so the first gets 800.
    const r = fillByWeight(1_000n, [item(9), item(1, { floor: 200n })]);
    expect(r.amounts).toEqual([800n, 200n]);
    expect(r.outcomes).toEqual(['share', 'floored']);
  });

  it('gives a zero weight its floor and nothing more', () => {
    const r = fillByWeight(1_000n, [item(0, { floor: 100n }), item(0), item(1)]);
    expect(r.amounts).toEqual([100n, 0n, 900n]);
  });

  it('reports a leftover when everyone with a weight is capped', () => {
    const r = fillByWeight(1_000n, [item(1, { cap: 100n }), item(2, { cap: 300n }), item(0)]);
    expect(r.amounts).toEqual([100n, 300n, 0n]);
    expect(r.leftover).toBe(600n);
  });

  it('caps bind only items whose share would exceed them, floors only those below', () => {
    const items = fc
      .array(
        fc.record({
          weight: fc.integer({ min: 0, max: 1_000 }),
          floor: fc.integer({ min: 0, max: 50 }),
          extra: fc.option(fc.integer({ min: 0, max: 2_000 })),
        }),
        { minLength: 1, maxLength: 12 },
      )
      .map((rows) =>
        rows.map((r, i): FillItem => ({
          weight: BigInt(r.weight),
          floor: BigInt(r.floor),
          cap: r.extra === null ? null : BigInt(r.floor + r.extra),
          order: i,
        })),
      );
    fc.assert(
      fc.property(items, fc.integer({ min: 0, max: 100_000 }), (list, extra) => {
        const floors = list.reduce((s, it) => s + it.floor, 0n);
        const amount = floors + BigInt(extra);
        const r = fillByWeight(amount, list);
        const sum = r.amounts.reduce((s, a) => s + a, 0n);
        expect(sum + r.leftover).toBe(amount);
        list.forEach((it, i) => {
          const a = r.amounts[i]!;
          expect(a).toBeGreaterThanOrEqual(it.floor);
          if (it.cap !== null) expect(a).toBeLessThanOrEqual(it.cap);
        });
        if (r.leftover > 0n) {
          list.forEach((it, i) => {
            if (it.weight > 0n) expect(r.outcomes[i]).toBe('capped');
          });
        }
        // Against every item that got its proportional share (amount ≈ λ·w within 1):
        // a capped item's cap is at most its share, a floored item's floor at least its share.
        list.forEach((sj, j) => {
          if (r.outcomes[j] !== 'share' || sj.weight === 0n) return;
          const aj = r.amounts[j]!;
          list.forEach((it, i) => {
            if (it.weight === 0n) return;
            if (r.outcomes[i] === 'capped') {
              expect(it.cap! * sj.weight).toBeLessThanOrEqual((aj + 1n) * it.weight);
            }
            if (r.outcomes[i] === 'floored') {
              expect(it.floor * sj.weight).toBeGreaterThanOrEqual((aj - 1n) * it.weight);
            }
          });
        });
      }),
      { numRuns: 500 },
    );
  });
});
