import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain-error.js';
import {
  checkRebateLadder,
  computeRebate,
  projectRebate,
  settleRebate,
  type RebateBracket,
  type RebateLadder,
  type RebateMethod,
} from './rebates.js';
import { domainError } from '../test/domain-error.js';

const issuesOf = (call: () => unknown) =>
  domainError(call).details?.issues as Record<string, unknown>[];

/** A flat rate on all sales: one open bracket from 0. */
const flat = (rateBasisPoints: number, method: RebateMethod = 'retroactive'): RebateLadder => ({
  basis: 'sales',
  method,
  brackets: [{ from: 0, to: null, rateBasisPoints }],
});

/**
 * The ladder of docs/resources.md ("Rebates"): keep the two identical. In fen:
 * [0, ¥10,000) 2 %, [¥10,000, ¥50,000) 3 %, [¥50,000, ∞) 5 %.
 */
const ladder = (method: RebateMethod): RebateLadder => ({
  basis: 'sales',
  method,
  brackets: [
    { from: 0, to: 1_000_000, rateBasisPoints: 200 },
    { from: 1_000_000, to: 5_000_000, rateBasisPoints: 300 },
    { from: 5_000_000, to: null, rateBasisPoints: 500 },
  ],
});

describe('computeRebate: hand-worked examples', () => {
  it('pays the seed article tier rates: diamond 15 %, bronze 8 %', () => {
    // Diamond: ¥2,000,000 = 200,000,000 fen × 15 % = 30,000,000 fen (¥300,000).
    expect(computeRebate(flat(1_500), { sales: 200_000_000 }).amount).toBe(30_000_000);
    // Bronze: ¥500,000 = 50,000,000 fen × 8 % = 4,000,000 fen (¥40,000).
    expect(computeRebate(flat(800), { sales: 50_000_000 }).amount).toBe(4_000_000);
  });

  it('marginal: each bracket’s part at its own rate (the docs example)', () => {
    // ¥80,000 = 8,000,000 fen: 1,000,000 × 2 % = 20,000; 4,000,000 × 3 % = 120,000;
    // 3,000,000 × 5 % = 150,000; total 290,000 fen (¥2,900).
    const r = computeRebate(ladder('marginal'), { sales: 8_000_000 });
    expect(r).toMatchObject({ amount: 290_000, bracket: 2, rateBasisPoints: 500 });
    expect(r.lines.map((l) => [l.bracket, l.base, l.amount])).toEqual([
      [0, 1_000_000, 20_000],
      [1, 4_000_000, 120_000],
      [2, 3_000_000, 150_000],
    ]);
  });

  it('retroactive: the whole sales at the rate of the highest bracket reached (the docs example)', () => {
    // 8,000,000 × 5 % = 400,000 fen (¥4,000).
    const r = computeRebate(ladder('retroactive'), { sales: 8_000_000 });
    expect(r).toMatchObject({ amount: 400_000, bracket: 2 });
    expect(r.lines).toEqual([
      {
        bracket: 2,
        from: 5_000_000,
        to: null,
        salesFrom: 5_000_000,
        salesTo: null,
        rateBasisPoints: 500,
        base: 8_000_000,
        amount: 400_000,
      },
    ]);
  });

  it('reaches a bracket at its start ([from, to))', () => {
    // Exactly 1,000,000: retroactive 3 % = 30,000; marginal 1,000,000 × 2 % + 0 × 3 % = 20,000.
    expect(computeRebate(ladder('retroactive'), { sales: 1_000_000 }).amount).toBe(30_000);
    expect(computeRebate(ladder('retroactive'), { sales: 999_999 }).amount).toBe(20_000);
    expect(computeRebate(ladder('marginal'), { sales: 1_000_000 }).amount).toBe(20_000);
  });

  it.each([
    // 12,345 × 2.5 % = 308.625 → 309; 12,340 × 2.5 % = 308.5 → 309 (half up); 12,339 → 308.475 → 308.
    [12_345, 309],
    [12_340, 309],
    [12_339, 308],
    [0, 0],
  ])('rounds half up once on the total: %d fen at 2.5 %% is %d', (sales, amount) => {
    expect(computeRebate(flat(250), { sales }).amount).toBe(amount);
  });

  it('splits the rounded total across marginal lines by largest remainder', () => {
    // Sales 150: 100 × 1.5 % = 1.5 and 50 × 2.5 % = 1.25; total 2.75 → 3. Lines: ⌊1.5⌋ + ⌊1.25⌋
    // = 2, the missing unit to the larger remainder (.5): 2 and 1.
    const r = computeRebate(
      {
        basis: 'sales',
        method: 'marginal',
        brackets: [
          { from: 0, to: 100, rateBasisPoints: 150 },
          { from: 100, to: null, rateBasisPoints: 250 },
        ],
      },
      { sales: 150 },
    );
    expect(r.amount).toBe(3);
    expect(r.lines.map((l) => l.amount)).toEqual([2, 1]);
  });

  it('pays nothing below the first bracket, or on negative sales', () => {
    const above: RebateLadder = {
      basis: 'sales',
      method: 'retroactive',
      brackets: [{ from: 1_000_000, to: null, rateBasisPoints: 200 }],
    };
    expect(computeRebate(above, { sales: 999_999 })).toMatchObject({
      amount: 0,
      bracket: null,
      rateBasisPoints: 0,
      lines: [],
    });
    expect(computeRebate(ladder('marginal'), { sales: -5_000 }).amount).toBe(0);
    // A marginal ladder starting above 0 pays only on the part above its start.
    expect(computeRebate({ ...above, method: 'marginal' }, { sales: 1_500_000 }).amount).toBe(
      10_000,
    );
  });

  describe('growth ladders', () => {
    // Growth over the previous period's 10,000,000 fen: [−100 %, 0 %) 0, [0, 10 %) 1 %,
    // [10 %, 20 %) 2 %, [20 %, ∞) 3 %. In sales: 0, 10,000,000, 11,000,000, 12,000,000.
    const growth = (method: RebateMethod): RebateLadder => ({
      basis: 'growth',
      method,
      brackets: [
        { from: -100, to: 0, rateBasisPoints: 0 },
        { from: 0, to: 10, rateBasisPoints: 100 },
        { from: 10, to: 20, rateBasisPoints: 200 },
        { from: 20, to: null, rateBasisPoints: 300 },
      ],
    });
    const base = { sales: 11_500_000, previousSales: 10_000_000 };

    it('retroactive: all sales at the rate the growth reached', () => {
      // Growth 15 %: bracket [10, 20) at 2 %; 11,500,000 × 2 % = 230,000.
      expect(computeRebate(growth('retroactive'), base)).toMatchObject({
        amount: 230_000,
        bracket: 2,
        growthPercent: 15,
      });
    });

    it('marginal: the sales inside each growth band at its rate', () => {
      // [0, 10M) × 0 = 0; [10M, 11M) × 1 % = 10,000; [11M, 11.5M) × 2 % = 10,000; total 20,000.
      const r = computeRebate(growth('marginal'), base);
      expect(r.amount).toBe(20_000);
      expect(r.lines.map((l) => [l.salesFrom, l.salesTo, l.base, l.amount])).toEqual([
        [0, 10_000_000, 10_000_000, 0],
        [10_000_000, 11_000_000, 1_000_000, 10_000],
        [11_000_000, 12_000_000, 500_000, 10_000],
      ]);
    });

    it('starts a growth bracket at the first whole minor unit that reaches it', () => {
      // Previous 333: +10 % is 366.3, so 366 (growth 9.9 %) is below and 367 reaches it.
      const r = (sales: number) =>
        computeRebate(growth('retroactive'), { sales, previousSales: 333 }).bracket;
      expect([r(366), r(367)]).toEqual([1, 2]);
    });

    it('needs the previous period’s sales', () => {
      expect(issuesOf(() => computeRebate(growth('marginal'), { sales: 5 }))[0]).toMatchObject({
        path: 'previousSales',
      });
      expect(
        issuesOf(() => computeRebate(growth('marginal'), { sales: 5, previousSales: 0 }))[0],
      ).toMatchObject({ path: 'previousSales' });
    });
  });
});

describe('projectRebate', () => {
  it('says the sales still needed for the next bracket and what reaching it adds', () => {
    // Marginal at 4,000,000: 20,000 + 3,000,000 × 3 % = 110,000. The next bracket starts at
    // 5,000,000 (1,000,000 short), where the rebate is 20,000 + 120,000 = 140,000: +30,000.
    expect(projectRebate(ladder('marginal'), { sales: 4_000_000 })).toMatchObject({
      projected: { amount: 110_000, bracket: 1 },
      next: {
        bracket: 2,
        from: 5_000_000,
        salesNeeded: 5_000_000,
        shortfall: 1_000_000,
        rebateAtNext: 140_000,
        extraRebate: 30_000,
      },
    });
    // Retroactive: 4,000,000 × 3 % = 120,000; at 5,000,000 × 5 % = 250,000: +130,000.
    expect(projectRebate(ladder('retroactive'), { sales: 4_000_000 }).next).toMatchObject({
      rebateAtNext: 250_000,
      extraRebate: 130_000,
    });
  });

  it('points at the first bracket from below it, and at nothing from the top', () => {
    const above: RebateLadder = {
      basis: 'sales',
      method: 'retroactive',
      brackets: [{ from: 1_000, to: null, rateBasisPoints: 1_000 }],
    };
    expect(projectRebate(above, { sales: 400 }).next).toMatchObject({
      bracket: 0,
      shortfall: 600,
      rebateAtNext: 100,
      extraRebate: 100,
    });
    expect(projectRebate(ladder('marginal'), { sales: 9_000_000 }).next).toBeNull();
  });

  it('converts a growth bracket into the sales that reach it', () => {
    const growth: RebateLadder = {
      basis: 'growth',
      method: 'retroactive',
      brackets: [
        { from: 0, to: 10, rateBasisPoints: 100 },
        { from: 10, to: null, rateBasisPoints: 200 },
      ],
    };
    // Previous 2,000,000; +10 % is 2,200,000. At 2,100,000: 21,000; at 2,200,000: 44,000.
    expect(projectRebate(growth, { sales: 2_100_000, previousSales: 2_000_000 })).toMatchObject({
      projected: { amount: 21_000 },
      next: { from: 10, salesNeeded: 2_200_000, shortfall: 100_000, extraRebate: 23_000 },
    });
  });
});

describe('settleRebate', () => {
  it('returns what is still due after what was paid', () => {
    // Retroactive 400,000 earned, 300,000 paid in advance: 100,000 due.
    expect(settleRebate(ladder('retroactive'), { sales: 8_000_000 }, 300_000)).toMatchObject({
      alreadyPaid: 300_000,
      due: 100_000,
      clawback: false,
    });
  });

  it('flags a clawback when more was paid than earned', () => {
    // Marginal 290,000 earned, 300,000 paid: −10,000.
    expect(settleRebate(ladder('marginal'), { sales: 8_000_000 }, 300_000)).toMatchObject({
      due: -10_000,
      clawback: true,
    });
  });

  it('refuses a paid amount that is not whole minor units', () => {
    expect(issuesOf(() => settleRebate(flat(100), { sales: 1 }, -1))[0]).toMatchObject({
      path: 'alreadyPaid',
    });
  });
});

describe('checkRebateLadder: refused ladders name the brackets', () => {
  const sales = (...brackets: RebateBracket[]): RebateLadder => ({
    basis: 'sales',
    method: 'marginal',
    brackets,
  });
  const b = (from: number, to: number | null, rateBasisPoints = 100): RebateBracket => ({
    from,
    to,
    rateBasisPoints,
  });
  const cases: [string, RebateLadder, string, Record<string, unknown>, RegExp][] = [
    [
      'overlapping brackets',
      sales(b(0, 100), b(50, null)),
      'brackets[1].from',
      { brackets: [0, 1] },
      /^Brackets 0 and 1 overlap: bracket 0 runs to 100 but bracket 1 starts at 50/,
    ],
    [
      'an open bracket that is not last',
      sales(b(0, null), b(100, null)),
      'brackets[1].from',
      { brackets: [0, 1] },
      /bracket 0 has no upper bound/,
    ],
    [
      'a gap between brackets',
      sales(b(0, 100), b(150, null)),
      'brackets[1].from',
      { brackets: [0, 1] },
      /^There is a gap between brackets 0 and 1: bracket 0 ends at 100 but bracket 1 starts at 150/,
    ],
    [
      'unsorted brackets',
      sales(b(0, 100), b(200, null), b(100, 200)),
      'brackets[2].from',
      { brackets: [1, 2] },
      /^Brackets 1 and 2 are out of order/,
    ],
    [
      'a negative rate',
      sales(b(0, null, -50)),
      'brackets[0].rateBasisPoints',
      { value: -50 },
      /between 0 and 10,000 basis points/,
    ],
    ['a rate above 100 %', sales(b(0, null, 10_001)), 'brackets[0].rateBasisPoints', {}, /100 %/],
    ['a closed last bracket', sales(b(0, 100)), 'brackets[0].to', {}, /must be open-ended/],
    [
      'a bracket ending where it starts',
      sales(b(100, 100), b(100, null)),
      'brackets[0].to',
      {},
      /not above where it starts/,
    ],
    [
      'a fractional sales bound',
      sales(b(0.5, null)),
      'brackets[0].from',
      {},
      /whole number of minor units/,
    ],
    ['no brackets', sales(), 'brackets', {}, /at least one bracket/],
    [
      'growth below −100 %',
      { basis: 'growth', method: 'marginal', brackets: [b(-150, null)] },
      'brackets[0].from',
      {},
      /−100 or more/,
    ],
    [
      'an unknown method',
      { ...sales(b(0, null)), method: 'both' as RebateMethod },
      'method',
      {},
      /retroactive/,
    ],
  ];
  it.each(cases)('refuses %s', (_, bad, path, facts, message) => {
    const issues = issuesOf(() => checkRebateLadder(bad));
    const issue = issues.find((i) => i.path === path);
    expect(issue).toMatchObject(facts);
    expect(issue!.message).toMatch(message);
    expect(() => computeRebate(bad, { sales: 1 })).toThrow(DomainError);
  });

  it('accepts a good ladder', () => {
    expect(() => checkRebateLadder(ladder('marginal'))).not.toThrow();
  });

  it('refuses sales that are not whole minor units', () => {
    expect(issuesOf(() => computeRebate(flat(100), { sales: 10.5 }))[0]).toMatchObject({
      path: 'sales',
    });
  });
});

describe('rebates: properties', () => {
  /** A valid sales ladder: sorted distinct starts, optionally from 0, rates as generated. */
  const ladderOf = (starts: number[], rates: number[], method: RebateMethod): RebateLadder => ({
    basis: 'sales',
    method,
    brackets: starts.map((from, i) => ({
      from,
      to: starts[i + 1] ?? null,
      rateBasisPoints: rates[i] ?? 0,
    })),
  });
  const shape = fc
    .uniqueArray(fc.integer({ min: 0, max: 100_000_000 }), { minLength: 1, maxLength: 6 })
    .chain((starts) =>
      fc.record({
        starts: fc.constant([...starts].sort((a, b) => a - b)),
        rates: fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 10_000 }),
            fc.double({ min: 0, max: 10_000, noNaN: true }),
          ),
          { minLength: starts.length, maxLength: starts.length },
        ),
      }),
    );
  const increasing = shape.map(({ starts, rates }) => ({
    starts,
    rates: [...rates].sort((a, b) => a - b),
  }));
  const sales = fc.oneof(
    fc.integer({ min: -1_000, max: 200_000_000 }),
    fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  );

  it('retroactive ≥ marginal when rates increase with the brackets', () => {
    fc.assert(
      fc.property(increasing, sales, ({ starts, rates }, s) => {
        const retro = computeRebate(ladderOf(starts, rates, 'retroactive'), { sales: s });
        const marginal = computeRebate(ladderOf(starts, rates, 'marginal'), { sales: s });
        expect(retro.amount).toBeGreaterThanOrEqual(marginal.amount);
      }),
      { numRuns: 500 },
    );
  });

  it('retroactive = marginal for a single bracket from 0, and in the first bracket from 0', () => {
    fc.assert(
      fc.property(shape, sales, ({ starts, rates }, s) => {
        const from0 = [0, ...starts.filter((x) => x > 0)];
        const one = (m: RebateMethod) =>
          computeRebate(ladderOf([0], rates, m), { sales: s }).amount;
        expect(one('retroactive')).toBe(one('marginal'));
        const first = Math.min(s, (from0[1] ?? Infinity) - 1);
        const many = (m: RebateMethod) =>
          computeRebate(ladderOf(from0, rates, m), { sales: first }).amount;
        expect(many('retroactive')).toBe(many('marginal'));
      }),
    );
  });

  it('marginal rebates never fall as sales grow', () => {
    fc.assert(
      fc.property(shape, sales, sales, ({ starts, rates }, a, b) => {
        const l = ladderOf(starts, rates, 'marginal');
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(computeRebate(l, { sales: lo }).amount).toBeLessThanOrEqual(
          computeRebate(l, { sales: hi }).amount,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('equals the exact amount rounded half up, with lines that add up to it', () => {
    const integerRates = fc
      .uniqueArray(fc.integer({ min: 0, max: 100_000_000 }), { minLength: 1, maxLength: 6 })
      .chain((starts) =>
        fc.record({
          starts: fc.constant([...starts].sort((a, b) => a - b)),
          rates: fc.array(fc.integer({ min: 0, max: 10_000 }), {
            minLength: starts.length,
            maxLength: starts.length,
          }),
          method: fc.constantFrom('retroactive' as const, 'marginal' as const),
        }),
      );
    fc.assert(
      fc.property(integerRates, sales, ({ starts, rates, method }, s) => {
        const r = computeRebate(ladderOf(starts, rates, method), { sales: s });
        // Independent: the exact amount in 1/10,000 fen from the lines, bracket by bracket.
        const exact = r.lines.reduce(
          (sum, l) => sum + BigInt(l.base) * BigInt(l.rateBasisPoints),
          0n,
        );
        const twice = 2n * exact;
        expect(BigInt(r.amount) * 20_000n).toBeGreaterThan(twice - 10_000n);
        expect(BigInt(r.amount) * 20_000n).toBeLessThanOrEqual(twice + 10_000n);
        expect(r.lines.reduce((sum, l) => sum + l.amount, 0)).toBe(r.amount);
        if (method === 'marginal') {
          const covered = r.lines.reduce((sum, l) => sum + l.base, 0);
          expect(covered).toBe(r.bracket === null ? 0 : s - starts[0]!);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('settles to what the rebate minus the advance is, and projects a reachable next bracket', () => {
    fc.assert(
      fc.property(
        increasing,
        sales,
        fc.integer({ min: 0, max: 1e12 }),
        ({ starts, rates }, s, paid) => {
          for (const method of ['retroactive', 'marginal'] as const) {
            const l = ladderOf(starts, rates, method);
            const settled = settleRebate(l, { sales: s }, paid);
            expect(settled.due + paid).toBe(settled.rebate.amount);
            expect(settled.clawback).toBe(settled.due < 0);
            const { projected, next } = projectRebate(l, { sales: s });
            if (next === null) continue;
            expect(next.shortfall).toBeGreaterThan(0);
            expect(next.rebateAtNext).toBeGreaterThanOrEqual(projected.amount);
            expect(computeRebate(l, { sales: next.salesNeeded }).bracket).toBe(next.bracket);
            expect(computeRebate(l, { sales: next.salesNeeded - 1 }).bracket).toBe(
              projected.bracket,
            );
          }
        },
      ),
    );
  });
});
