import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DomainError } from '../domain-error.js';
import {
  allocateBudget,
  type AllocationDealer,
  type AllocationInput,
  type AllocationPlan,
  type SplitRule,
  type TierBudget,
} from './allocation.js';
import { domainError } from '../test/domain-error.js';

/** The issues of a refused input. */
function issuesOf(call: () => unknown): Record<string, unknown>[] {
  const error = domainError(call);
  expect(error.code).toBe('validation_failed');
  return error.details?.issues as Record<string, unknown>[];
}

const amounts = (plan: AllocationPlan) =>
  Object.fromEntries(plan.lines.map((l) => [l.dealerId, l.amount]));

/** The seed article's split of the pool: strategic 40 %, core 30 %, potential 20 %, basic 10 %. */
const seedTiers = (rules: SplitRule[] = ['equal', 'equal', 'equal', 'equal']): TierBudget[] => [
  { tier: 'strategic', share: 40, rule: rules[0]! },
  { tier: 'core', share: 30, rule: rules[1]! },
  { tier: 'potential', share: 20, rule: rules[2]! },
  { tier: 'basic', share: 10, rule: rules[3]! },
];

/** The worked example of docs/resources.md ("A worked example"): keep the two identical. */
const docsExample: AllocationInput = {
  pool: 100_000_000, // ¥1,000,000 in fen
  shareUnit: 'percent',
  tiers: seedTiers(['sales', 'score', 'equal', 'target']),
  adjustments: { probationFactor: 0.5 },
  dealers: [
    { dealerId: 101, tier: 'strategic', sales: 600_000_000, cap: 20_000_000 },
    { dealerId: 102, tier: 'strategic', sales: 300_000_000 },
    { dealerId: 103, tier: 'strategic', sales: 100_000_000 },
    { dealerId: 201, tier: 'core', score: 90 },
    { dealerId: 202, tier: 'core', score: 80 },
    { dealerId: 203, tier: 'core', score: 70, onProbation: true },
    { dealerId: 303, tier: 'potential' },
    { dealerId: 302, tier: 'potential' },
    { dealerId: 301, tier: 'potential' },
    { dealerId: 401, tier: 'basic', target: 0 },
    { dealerId: 402, tier: 'basic', target: 0, floor: 1_000_000 },
  ],
};

describe('allocateBudget: hand-worked examples', () => {
  it('splits the pool 40/30/20/10 as the seed article does (the docs example)', () => {
    const plan = allocateBudget(docsExample);
    // Tiers: 100,000,000 × 40 % / 30 % / 20 % / 10 %, exact.
    expect(plan.tiers.map((t) => t.shareAmount)).toEqual([
      40_000_000, 30_000_000, 20_000_000, 10_000_000,
    ]);
    expect(amounts(plan)).toEqual({
      // Strategic by sales 6 : 3 : 1 → 24M, 12M, 4M; 101 is capped at 20M and its 4M over goes
      // 3 : 1 to the others: 102 = 12M + 3M, 103 = 4M + 1M.
      101: 20_000_000,
      102: 15_000_000,
      103: 5_000_000,
      // Core by score 90 : 80 : 70 × 0.5 (203 on probation) = 90 : 80 : 35, total 205:
      // 30M × 90/205 = 13,170,731.707…, × 80/205 = 11,707,317.073…, × 35/205 = 5,121,951.219….
      // Floors add up to 29,999,999; the one missing fen goes to the largest remainder (201).
      201: 13_170_732,
      202: 11_707_317,
      203: 5_121_951,
      // Potential equally: 20M / 3 = 6,666,666 r 2; equal remainders, so the 2 fen go to the
      // smallest dealer ids, 301 and 302.
      301: 6_666_667,
      302: 6_666_667,
      303: 6_666_666,
      // Basic by target, every target 0: split equally instead, 5M each (402's floor of 1M holds).
      401: 5_000_000,
      402: 5_000_000,
    });
    expect(plan.allocated).toBe(100_000_000);
    expect(plan.unallocated).toBe(0);
    expect(plan.lines.find((l) => l.dealerId === 101)).toMatchObject({ capped: true });
    expect(plan.lines.find((l) => l.dealerId === 203)).toMatchObject({
      baseWeight: 70,
      weight: 35,
      adjustments: [{ reason: 'probation', factor: 0.5, detail: 'On probation: weight × 0.5' }],
    });
    expect(plan.tiers[3]).toMatchObject({ effectiveRule: 'equal', rule: 'target' });
    expect(plan.notes).toEqual([
      'Every dealer of tier basic has target 0, so the tier is split equally.',
    ]);
    expect(plan.method).toMatchObject({
      rounding: 'largest_remainder',
      ties: 'tier_order_then_dealer_id',
      whenTierFull: 'redistribute',
    });
  });

  it('lists lines by tier, then dealer id, whatever the input order', () => {
    expect(allocateBudget(docsExample).lines.map((l) => l.dealerId)).toEqual([
      101, 102, 103, 201, 202, 203, 301, 302, 303, 401, 402,
    ]);
  });

  const fullBasic: AllocationInput = {
    pool: 100_000_000,
    shareUnit: 'percent',
    tiers: seedTiers(),
    dealers: [
      { dealerId: 1, tier: 'strategic' },
      { dealerId: 2, tier: 'core' },
      { dealerId: 3, tier: 'potential' },
      { dealerId: 4, tier: 'basic', cap: 3_000_000 },
      { dealerId: 5, tier: 'basic', cap: 3_000_000 },
    ],
  };

  it('carries what a full tier cannot give out to the other tiers pro rata (redistribute)', () => {
    // Basic can give out 2 × 3M = 6M of its 10M. The other 94M go 40 : 30 : 20:
    // 94M × 40/90 = 41,777,777.78, × 30/90 = 31,333,333.33, × 20/90 = 20,888,888.89; floors
    // add up to 93,999,998 and the 2 fen go to the largest remainders, potential (.89) and
    // strategic (.78).
    const plan = allocateBudget(fullBasic);
    expect(amounts(plan)).toEqual({
      1: 41_777_778,
      2: 31_333_333,
      3: 20_888_889,
      4: 3_000_000,
      5: 3_000_000,
    });
    expect(plan.tiers.map((t) => t.carried)).toEqual([1_777_778, 1_333_333, 888_889, -4_000_000]);
    expect(plan.tiers[3]).toMatchObject({ full: 'all_capped', amount: 6_000_000 });
    expect(plan.unallocated).toBe(0);
    expect(plan.notes).toEqual([
      'Tier basic has every dealer at its cap; it passed 4000000 to the other tiers in proportion to their shares.',
    ]);
  });

  it('leaves it as a stated unallocated amount when asked to', () => {
    const plan = allocateBudget({ ...fullBasic, whenTierFull: 'unallocated' });
    expect(amounts(plan)).toEqual({
      1: 40_000_000,
      2: 30_000_000,
      3: 20_000_000,
      4: 3_000_000,
      5: 3_000_000,
    });
    expect(plan.tiers[3]).toMatchObject({ amount: 6_000_000, unallocated: 4_000_000, carried: 0 });
    expect(plan).toMatchObject({ allocated: 96_000_000, unallocated: 4_000_000 });
    expect(plan.notes).toEqual([
      'Tier basic has every dealer at its cap; it left 4000000 unallocated.',
    ]);
  });

  it('reports as unallocated what no tier can take', () => {
    const plan = allocateBudget({
      pool: 1_000,
      shareUnit: 'basis_points',
      tiers: [
        { tier: 'a', share: 5_000, rule: 'equal' },
        { tier: 'b', share: 5_000, rule: 'equal' },
      ],
      dealers: [
        { dealerId: 1, tier: 'a', cap: 100 },
        { dealerId: 2, tier: 'b', cap: 300 },
      ],
    });
    expect(amounts(plan)).toEqual({ 1: 100, 2: 300 });
    expect(plan).toMatchObject({ allocated: 400, unallocated: 600 });
    expect(plan.notes).toEqual([
      'Tier a has every dealer at its cap; it gave out 100 of its share of 500.',
      'Tier b has every dealer at its cap; it gave out 300 of its share of 500.',
      '600 is unallocated: every tier with a share is full (every dealer that takes a share is at its cap).',
    ]);
  });

  it('carries the share of a tier without dealers, or with only zero weights', () => {
    const plan = allocateBudget({
      pool: 900,
      shareUnit: 'percent',
      tiers: [
        { tier: 'a', share: 50, rule: 'equal' },
        { tier: 'b', share: 25, rule: 'equal' },
        { tier: 'c', share: 25, rule: 'equal' },
      ],
      adjustments: { probationFactor: 0 },
      dealers: [
        { dealerId: 1, tier: 'a' },
        { dealerId: 2, tier: 'c', onProbation: true },
      ],
    });
    // b has no dealers and c's only dealer has weight 1 × 0: all 900 go to a.
    expect(amounts(plan)).toEqual({ 1: 900, 2: 0 });
    expect(plan.tiers.map((t) => t.full)).toEqual([null, 'no_dealers', 'no_weight']);
  });

  it('raises a dealer to its floor at the expense of the others of its tier', () => {
    // 1,000 by sales 9 : 1 is 900 and 100; dealer 2's floor of 200 holds, dealer 1 gets 800.
    const plan = allocateBudget({
      pool: 1_000,
      shareUnit: 'percent',
      tiers: [{ tier: 'a', share: 100, rule: 'sales' }],
      dealers: [
        { dealerId: 1, tier: 'a', sales: 900 },
        { dealerId: 2, tier: 'a', sales: 100, floor: 200 },
      ],
    });
    expect(amounts(plan)).toEqual({ 1: 800, 2: 200 });
    expect(plan.lines.map((l) => [l.capped, l.floored])).toEqual([
      [false, false],
      [false, true],
    ]);
  });

  it('adjusts dealers that missed their target N periods running, and compounds factors', () => {
    // Weights 1, 1 × 0.5 (missed 3 ≥ 2), 1 (missed 1 < 2), 1 × 0.5 × 0.5 (probation and missed 2):
    // 1 : 0.5 : 1 : 0.25 of 2,750 = 1,000, 500, 1,000, 250.
    const plan = allocateBudget({
      pool: 2_750,
      shareUnit: 'percent',
      tiers: [{ tier: 'a', share: 100, rule: 'equal' }],
      adjustments: { probationFactor: 0.5, missedTarget: { periods: 2, factor: 0.5 } },
      dealers: [
        { dealerId: 1, tier: 'a' },
        { dealerId: 2, tier: 'a', missedTargetPeriods: 3 },
        { dealerId: 3, tier: 'a', missedTargetPeriods: 1 },
        { dealerId: 4, tier: 'a', missedTargetPeriods: 2, onProbation: true },
      ],
    });
    expect(amounts(plan)).toEqual({ 1: 1_000, 2: 500, 3: 1_000, 4: 250 });
    expect(plan.lines[1]!.adjustments).toEqual([
      {
        reason: 'missed_target',
        factor: 0.5,
        detail: 'Missed target 3 periods running (rule: 2 or more): weight × 0.5',
      },
    ]);
    expect(plan.lines[3]!.adjustments.map((a) => a.reason)).toEqual(['probation', 'missed_target']);
    expect(plan.lines[3]!.weight).toBe(0.25);
  });

  it('stays exact for a pool of 10^12 fen and weights past 2^53 when multiplied', () => {
    // 10^12 × 33.33 % = 333,300,000,000 twice and × 33.34 % = 333,400,000,000. Within the first
    // tier, sales 7 : 11 : 13 (× 10^11): 333,300,000,000 × 7/31 = 75,261,290,322.58…,
    // × 11/31 = 118,267,741,935.48…, × 13/31 = 139,770,967,741.93…; floors add up to
    // 333,299,999,998, the 2 fen go to .93 (3) and .58 (1).
    const plan = allocateBudget({
      pool: 100_000_0000_000,
      shareUnit: 'percent',
      tiers: [
        { tier: 'a', share: 33.33, rule: 'sales' },
        { tier: 'b', share: 33.33, rule: 'equal' },
        { tier: 'c', share: 33.34, rule: 'equal' },
      ],
      dealers: [
        { dealerId: 1, tier: 'a', sales: 7e11 },
        { dealerId: 2, tier: 'a', sales: 11e11 },
        { dealerId: 3, tier: 'a', sales: 13e11 },
        { dealerId: 4, tier: 'b' },
        { dealerId: 5, tier: 'c' },
      ],
    });
    expect(plan.tiers.map((t) => t.shareAmount)).toEqual([
      333_300_000_000, 333_300_000_000, 333_400_000_000,
    ]);
    expect(amounts(plan)).toMatchObject({
      1: 75_261_290_323,
      2: 118_267_741_935,
      3: 139_770_967_742,
    });
    expect(plan.allocated).toBe(100_000_0000_000);
  });

  it('reads decimal weights as written: 0.1 : 0.2 : 0.3 is exactly 1 : 2 : 3', () => {
    const plan = allocateBudget({
      pool: 600,
      shareUnit: 'percent',
      tiers: [{ tier: 'a', share: 100, rule: 'score' }],
      dealers: [
        { dealerId: 1, tier: 'a', score: 0.1 },
        { dealerId: 2, tier: 'a', score: 0.2 },
        { dealerId: 3, tier: 'a', score: 0.3 },
      ],
    });
    expect(amounts(plan)).toEqual({ 1: 100, 2: 200, 3: 300 });
  });

  it('gives nothing out of an empty pool', () => {
    const plan = allocateBudget({
      ...docsExample,
      pool: 0,
      dealers: [{ dealerId: 1, tier: 'core', score: 5 }],
    });
    expect(plan).toMatchObject({ allocated: 0, unallocated: 0 });
  });
});

describe('allocateBudget: refused input', () => {
  const base: AllocationInput = {
    pool: 1_000,
    shareUnit: 'percent',
    tiers: [
      { tier: 'a', share: 60, rule: 'sales' },
      { tier: 'b', share: 40, rule: 'equal' },
    ],
    dealers: [
      { dealerId: 1, tier: 'a', sales: 10 },
      { dealerId: 2, tier: 'b' },
    ],
  };

  it('refuses shares that do not add up to 100 %, saying the sum and each share', () => {
    const [issue] = issuesOf(() =>
      allocateBudget({
        ...base,
        tiers: seedTiers().map((t) => (t.tier === 'basic' ? { ...t, share: 5 } : t)),
        dealers: [],
      }),
    );
    expect(issue).toMatchObject({
      path: 'tiers',
      sum: 95,
      expected: 100,
      shares: [
        { path: 'tiers[0].share', tier: 'strategic', share: 40 },
        { path: 'tiers[1].share', tier: 'core', share: 30 },
        { path: 'tiers[2].share', tier: 'potential', share: 20 },
        { path: 'tiers[3].share', tier: 'basic', share: 5 },
      ],
    });
    expect(issue!.message).toContain(
      'add up to 95% but must add up to exactly 100% (strategic 40, core 30, potential 20, basic 5)',
    );
  });

  it('adds shares exactly: 33.33 + 33.33 + 33.34 is 100, 33.33 × 3 is not', () => {
    const three = (shares: number[]): AllocationInput => ({
      pool: 100,
      shareUnit: 'percent',
      tiers: shares.map((share, i) => ({ tier: `t${i}`, share, rule: 'equal' })),
      dealers: [],
    });
    expect(() => allocateBudget(three([33.33, 33.33, 33.34]))).not.toThrow();
    expect(issuesOf(() => allocateBudget(three([33.33, 33.33, 33.33])))[0]).toMatchObject({
      sum: 99.99,
    });
    expect(
      issuesOf(() => allocateBudget({ ...three([5000, 4999]), shareUnit: 'basis_points' }))[0],
    ).toMatchObject({ sum: 9999, expected: 10_000 });
  });

  const cases: [string, Partial<AllocationInput>, string][] = [
    ['a pool that is not whole minor units', { pool: 10.5 }, 'pool'],
    ['a negative pool', { pool: -1 }, 'pool'],
    ['a pool past 2^53', { pool: 2 ** 53 }, 'pool'],
    ['no tiers', { tiers: [], dealers: [] }, 'tiers'],
    [
      'a negative share',
      {
        tiers: [
          { tier: 'a', share: 110, rule: 'equal' },
          { tier: 'b', share: -10, rule: 'equal' },
        ],
      },
      'tiers[1].share',
    ],
    [
      'a tier listed twice',
      {
        tiers: [
          { tier: 'a', share: 50, rule: 'equal' },
          { tier: 'a', share: 50, rule: 'equal' },
        ],
        dealers: [],
      },
      'tiers[1].tier',
    ],
    [
      'an unknown rule',
      { tiers: [{ tier: 'a', share: 100, rule: 'luck' as SplitRule }], dealers: [] },
      'tiers[0].rule',
    ],
    [
      'a dealer listed twice',
      {
        dealers: [
          { dealerId: 2, tier: 'b' },
          { dealerId: 2, tier: 'b' },
        ],
      },
      'dealers[1].dealerId',
    ],
    ['a dealer in an unknown tier', { dealers: [{ dealerId: 1, tier: 'z' }] }, 'dealers[0].tier'],
    ['a missing weight', { dealers: [{ dealerId: 1, tier: 'a' }] }, 'dealers[0].sales'],
    ['a negative weight', { dealers: [{ dealerId: 1, tier: 'a', sales: -5 }] }, 'dealers[0].sales'],
    ['a NaN weight', { dealers: [{ dealerId: 1, tier: 'a', sales: NaN }] }, 'dealers[0].sales'],
    ['a fractional cap', { dealers: [{ dealerId: 2, tier: 'b', cap: 1.5 }] }, 'dealers[0].cap'],
    ['a negative floor', { dealers: [{ dealerId: 2, tier: 'b', floor: -1 }] }, 'dealers[0].floor'],
    ['a factor above 1', { adjustments: { probationFactor: 50 } }, 'adjustments.probationFactor'],
    [
      'a negative factor',
      { adjustments: { missedTarget: { periods: 2, factor: -0.5 } } },
      'adjustments.missedTarget.factor',
    ],
    [
      'zero missed periods',
      { adjustments: { missedTarget: { periods: 0, factor: 0.5 } } },
      'adjustments.missedTarget.periods',
    ],
    ['unknown whenTierFull', { whenTierFull: 'keep' as 'unallocated' }, 'whenTierFull'],
  ];
  it.each(cases)('refuses %s', (_, change, path) => {
    const issues = issuesOf(() => allocateBudget({ ...base, ...change }));
    expect(issues.map((i) => i.path)).toContain(path);
  });

  it('refuses a cap below a floor, naming the dealer', () => {
    const [issue] = issuesOf(() =>
      allocateBudget({ ...base, dealers: [{ dealerId: 42, tier: 'b', floor: 500, cap: 100 }] }),
    );
    expect(issue).toMatchObject({ path: 'dealers[0].cap', dealerId: 42, cap: 100, floor: 500 });
    expect(issue!.message).toBe(
      'Dealer 42 has a cap of 100 below its floor of 500; raise the cap or lower the floor.',
    );
  });

  it("refuses floors that add up to more than the tier's share, naming tier and dealers", () => {
    // Tier b gets 1,000 × 40 % = 400; floors 300 + 200 = 500.
    const error = domainError(() =>
      allocateBudget({
        ...base,
        dealers: [
          { dealerId: 1, tier: 'a', sales: 1 },
          { dealerId: 7, tier: 'b', floor: 300 },
          { dealerId: 3, tier: 'b', floor: 200 },
        ],
      }),
    );
    expect(error.message).toBe(
      "tiers[1]: The floors of tier b's dealers add up to 500 but the tier's share of the pool is 400 (dealers 3, 7). Lower the floors, raise the tier's share or the pool.",
    );
    expect(error.details?.issues).toEqual([
      expect.objectContaining({ tier: 'b', floorTotal: 500, tierAmount: 400, dealers: [3, 7] }),
    ]);
  });

  it('lists every problem at once', () => {
    const error = domainError(() =>
      allocateBudget({
        ...base,
        pool: -5,
        dealers: [
          { dealerId: 1, tier: 'z' },
          { dealerId: 2, tier: 'b', cap: -1 },
        ],
      }),
    );
    expect((error.details?.issues as unknown[]).length).toBe(3);
    expect(error.message).toMatch(/^The allocation has 3 problems; the first: pool: /);
  });
});

describe('allocateBudget: properties', () => {
  const rules: SplitRule[] = ['equal', 'sales', 'score', 'target'];
  const weight = fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 100_000_0000 }),
    fc.double({ min: 0, max: 1_000, noNaN: true }),
  );
  const money = (max: number) => fc.integer({ min: 0, max });
  const input = fc
    .record({
      cuts: fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 0, maxLength: 4 }),
      rules: fc.array(fc.constantFrom(...rules), { minLength: 5, maxLength: 5 }),
      pool: fc.oneof(money(10_000), money(100_000_0000), money(100_000_0000_000_000)),
      whenTierFull: fc.constantFrom('redistribute' as const, 'unallocated' as const),
      probation: fc.option(fc.constantFrom(0, 0.25, 0.5, 1)),
      dealers: fc.uniqueArray(
        fc.record({
          dealerId: fc.integer({ min: 1, max: 10_000 }),
          tier: fc.integer({ min: 0, max: 4 }),
          weight,
          floor: fc.option(fc.integer({ min: 0, max: 200 }), { freq: 3 }),
          cap: fc.option(fc.integer({ min: 0, max: 100_000 }), { freq: 2 }),
          onProbation: fc.boolean(),
        }),
        { maxLength: 30, selector: (d) => d.dealerId },
      ),
    })
    .map(({ cuts, rules: tierRules, pool, whenTierFull, probation, dealers }): AllocationInput => {
      const bounds = [0, ...[...cuts].sort((a, b) => a - b), 10_000];
      const tiers = bounds.slice(1).map((b, i) => ({
        tier: `t${i}`,
        share: b - bounds[i]!,
        rule: tierRules[i]!,
      }));
      return {
        pool,
        shareUnit: 'basis_points',
        whenTierFull,
        adjustments: probation === null ? undefined : { probationFactor: probation },
        tiers,
        dealers: dealers.map((d): AllocationDealer => {
          const floor = d.floor ?? 0;
          return {
            dealerId: d.dealerId,
            tier: `t${d.tier % tiers.length}`,
            sales: d.weight,
            score: d.weight,
            target: d.weight,
            floor,
            cap: d.cap === null ? null : floor + d.cap,
            onProbation: d.onProbation,
          };
        }),
      };
    });

  /** The plan, or undefined when the floors exceed a tier's share (checked to be so). */
  function planOf(i: AllocationInput): AllocationPlan | undefined {
    try {
      return allocateBudget(i);
    } catch (error) {
      const issues = (error as DomainError).details?.issues as Record<string, number>[];
      for (const issue of issues) expect(issue.floorTotal).toBeGreaterThan(issue.tierAmount!);
      return undefined;
    }
  }

  it('adds up exactly to the pool (less what is reported unallocated), within caps and floors', () => {
    fc.assert(
      fc.property(input, (i) => {
        const plan = planOf(i);
        if (!plan) return;
        const sum = plan.lines.reduce((s, l) => s + l.amount, 0);
        expect(sum).toBe(plan.allocated);
        expect(plan.allocated + plan.unallocated).toBe(i.pool);
        expect(plan.tiers.reduce((s, t) => s + t.shareAmount, 0)).toBe(i.pool);
        for (const t of plan.tiers) {
          const lines = plan.lines.filter((l) => l.tier === t.tier);
          expect(lines.reduce((s, l) => s + l.amount, 0)).toBe(t.amount);
          expect(t.amount + t.unallocated).toBe(t.shareAmount + t.carried);
          if (t.unallocated > 0) expect(t.full).not.toBeNull();
        }
        if (plan.unallocated > 0 && i.whenTierFull === 'redistribute') {
          expect(plan.tiers.every((t) => t.full !== null || t.shareAmount + t.carried === 0)).toBe(
            true,
          );
        }
        for (const l of plan.lines) {
          expect(l.amount).toBeGreaterThanOrEqual(0);
          expect(l.amount).toBeGreaterThanOrEqual(l.floor);
          if (l.cap !== null) expect(l.amount).toBeLessThanOrEqual(l.cap);
          expect(Number.isSafeInteger(l.amount)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('does not depend on the order of the dealers', () => {
    fc.assert(
      fc.property(input, fc.integer(), (i, seed) => {
        const plan = planOf(i);
        if (!plan) return;
        const shuffled = [...i.dealers]
          .map((d, k) => ({ d, key: Math.imul(k + 1, seed | 1) ^ (seed >>> 7) }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.d);
        expect(allocateBudget({ ...i, dealers: shuffled })).toEqual(plan);
        expect(allocateBudget(i)).toEqual(plan);
      }),
      { numRuns: 200 },
    );
  });

  it('gives each dealer its exact proportional share to within one minor unit when nothing binds', () => {
    const plain = fc.record({
      amount: fc.integer({ min: 0, max: 100_000_0000_000 }),
      sales: fc.array(fc.integer({ min: 0, max: 100_000_0000 }), { minLength: 1, maxLength: 20 }),
    });
    fc.assert(
      fc.property(plain, ({ amount, sales }) => {
        const plan = allocateBudget({
          pool: amount,
          shareUnit: 'percent',
          tiers: [{ tier: 'a', share: 100, rule: 'sales' }],
          dealers: sales.map((s, k) => ({ dealerId: k + 1, tier: 'a', sales: s })),
        });
        const total = sales.reduce((s, x) => s + BigInt(x), 0n);
        const weights = total === 0n ? sales.map(() => 1n) : sales.map(BigInt);
        const sum = weights.reduce((s, w) => s + w, 0n);
        plan.lines.forEach((l, k) => {
          // |amount − pool·w/Σw| < 1, in integers: |amount·Σw − pool·w| < Σw.
          const gap = BigInt(l.amount) * sum - BigInt(amount) * weights[k]!;
          expect(gap < sum && -gap < sum).toBe(true);
        });
      }),
    );
  });
});
