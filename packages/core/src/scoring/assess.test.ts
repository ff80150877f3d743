import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assess, contributionsOf, framesNeeded, gapOf, type MeasureColumns } from './assess.js';
import { assignByScore } from './assign.js';
import { applyLifecycle, type DealerState, type TierOverride } from './lifecycle.js';
import { parsePeriod } from './period.js';
import type { Lifecycle, Policy } from './policy.js';
import { resolvePolicy } from './resolve.js';
import { defaultPolicy, TIER_SCHEMES } from './templates.js';
import { metricStats, normalise } from './normalise.js';

type Row = Record<string, number>;

/** Frames from one row of base measures per dealer (lag 0), optionally more lags. */
function frames(rowsByLag: Record<number, Row[]>): Map<number, MeasureColumns> {
  const out = new Map<number, MeasureColumns>();
  for (const [lag, rows] of Object.entries(rowsByLag)) {
    const keys = new Set(rows.flatMap((r) => Object.keys(r)));
    const columns = new Map<string, Float64Array>();
    for (const k of keys)
      columns.set(
        k,
        Float64Array.from(rows, (r) => r[k] ?? Number.NaN),
      );
    out.set(Number(lag), columns);
  }
  return out;
}

const LIFECYCLE: Lifecycle = {
  promotion: 'immediate',
  maxStepUp: null,
  demotion: 'automatic',
  demotionAfter: 1,
  maxStepDown: 4,
  probationAfter: null,
  eliminationAfter: null,
};

/** A small policy over sales and collection rate, thresholds 75/50/25 on A/B/C/D. */
function policy(overrides: Partial<Policy> = {}): Policy {
  return {
    name: 'test',
    description: '',
    tiers: TIER_SCHEMES.letters.map((t) => ({ ...t })),
    cycle: 'monthly',
    window: null,
    reviewMonths: [],
    normalisation: 'minmax',
    metrics: [{ metric: 'sales_amount' }, { metric: 'collection_rate' }],
    customMetrics: [],
    weights: { method: 'manual', total: 100, values: { sales_amount: 50, collection_rate: 50 } },
    timeDecay: null,
    assignment: { method: 'thresholds', minScores: { A: 75, B: 50, C: 25 } },
    gates: {},
    lifecycle: LIFECYCLE,
    campaigns: [],
    effectiveFrom: '2025-01',
    effectiveTo: null,
    ...overrides,
  };
}

function run(
  p: Policy,
  rows: Row[],
  options: {
    previous?: Map<number, DealerState>;
    overrides?: Map<number, TierOverride>;
    period?: string;
    lags?: Record<number, Row[]>;
  } = {},
) {
  const result = assess({
    policy: resolvePolicy(p),
    period: parsePeriod(options.period ?? '2025-06'),
    dealerIds: rows.map((_, i) => i + 1),
    frames: frames({ 0: rows, ...options.lags }),
    previous: options.previous ?? new Map(),
    overrides: options.overrides ?? new Map(),
  });
  // Each decision with its explanation as objects, as the server stores and shows it.
  return {
    ...result,
    decisions: result.decisions.map((d, i) => ({
      ...d,
      contributions: contributionsOf(result, i),
      gap: gapOf(result, i),
    })),
  };
}

const sales = (sales_amount: number, invoice = 100, payment = 100): Row => ({
  sales_amount,
  invoice_amount: invoice,
  payment_amount: payment,
});

describe('scores and contributions', () => {
  it('adds weighted normalised values into a 0–100 score, each contribution shown', () => {
    const result = run(policy(), [sales(0, 100, 50), sales(50, 100, 75), sales(100, 100, 100)]);
    expect(result.decisions.map((d) => d.score)).toEqual([0, 50, 100]);
    const middle = result.decisions[1]!;
    expect(middle.contributions).toEqual([
      {
        metric: 'sales_amount',
        value: 50,
        normalised: 0.5,
        weight: 0.5,
        points: 25,
        missing: null,
        capped: false,
      },
      {
        metric: 'collection_rate',
        value: 75,
        normalised: 0.5,
        weight: 0.5,
        points: 25,
        missing: null,
        capped: false,
      },
    ]);
    expect(result.decisions.map((d) => d.tier)).toEqual(['D', 'B', 'A']);
    expect(result.decisions.map((d) => d.rank)).toEqual([3, 2, 1]);
  });

  it('caps a metric so that it cannot carry the tier alone', () => {
    const p = policy({
      metrics: [{ metric: 'sales_amount', cap: 30 }, { metric: 'collection_rate' }],
    });
    const best = run(p, [sales(0, 100, 50), sales(100, 100, 100)]).decisions[1]!;
    expect(best.contributions[0]).toMatchObject({ points: 30, capped: true });
    expect(best.score).toBe(30 + 50);
  });

  it.each([
    ['zero', 0, 50],
    ['neutral', 0.5, 75],
  ] as const)('scores a missing value by the "%s" rule and flags it', (rule, normalised, score) => {
    const p = policy({
      metrics: [{ metric: 'sales_amount' }, { metric: 'collection_rate', missing: rule }],
    });
    // Dealer 2 has no invoices: its collection rate cannot be computed.
    const d = run(p, [sales(0, 100, 50), sales(100, 0, 0), sales(50, 100, 100)]).decisions[1]!;
    expect(d.contributions[1]).toMatchObject({ value: null, normalised, missing: rule });
    expect(d.score).toBeCloseTo(score);
    expect(d.reasons).toContain('missing_data');
  });

  it('excludes a missing metric and spreads its weight over the others', () => {
    const p = policy({
      metrics: [{ metric: 'sales_amount' }, { metric: 'collection_rate', missing: 'exclude' }],
    });
    const d = run(p, [sales(0, 100, 50), sales(100, 0, 0)]).decisions[1]!;
    expect(d.contributions[0]).toMatchObject({ weight: 1, points: 100 });
    expect(d.contributions[1]).toMatchObject({
      normalised: null,
      weight: 0,
      points: 0,
      missing: 'exclude',
    });
    expect(d.score).toBe(100);
  });

  it('averages trailing periods with time decay', () => {
    const p = policy({
      metrics: [{ metric: 'sales_amount' }],
      weights: { method: 'manual', total: 1, values: { sales_amount: 1 } },
      timeDecay: { periods: 2, factor: 0.5 },
    });
    const result = run(p, [sales(100), sales(0)], { lags: { 1: [sales(40), sales(60)] } });
    // (100 + 0.5·40) / 1.5 = 80 and (0 + 0.5·60) / 1.5 = 20
    expect(result.decisions[0]!.contributions[0]!.value).toBeCloseTo(80);
    expect(result.decisions[1]!.contributions[0]!.value).toBeCloseTo(20);
  });

  it('derives entropy weights from the period when the policy says so', () => {
    const p = policy({ weights: { method: 'entropy' } });
    // Collection rate does not vary: it carries no information, so sales take all the weight.
    const result = run(p, [sales(10), sales(50), sales(90)]);
    expect(result.metrics.map((m) => m.weight)).toEqual([1, 0]);
  });

  it('lets a campaign overlay take its share of the score while it runs', () => {
    const p = policy({
      campaigns: [
        {
          code: 'd11',
          name: '双11',
          from: '2025-11',
          to: '2025-11',
          metric: 'campaign_execution',
          weight: 0.2,
          allowImmediateUpgrade: true,
        },
      ],
    });
    const rows = [
      { ...sales(0), campaign_tasks_planned: 10, campaign_tasks_completed: 10 },
      { ...sales(100), campaign_tasks_planned: 10, campaign_tasks_completed: 0 },
    ];
    const november = run(p, rows, { period: '2025-11' });
    expect(november.metrics.map((m) => [m.key, m.weight])).toEqual([
      ['sales_amount', 0.4],
      ['collection_rate', 0.4],
      ['campaign_execution', 0.2],
    ]);
    expect(november.metrics[2]!.campaign).toBe('d11');
    expect(run(p, rows, { period: '2025-10' }).metrics).toHaveLength(2);
  });
});

describe('tier assignment and gates', () => {
  it('sends a dealer that fails the top tier gate to the next tier, saying why', () => {
    const p = policy({
      gates: { A: { all: [{ metric: 'collection_rate', op: '>=', value: 90 }] } },
    });
    const d = run(p, [sales(0, 100, 50), sales(100, 100, 89), sales(100, 100, 95)]).decisions;
    expect(d[1]).toMatchObject({ scoreTier: 'A', candidateTier: 'B', tier: 'B' });
    expect(d[1]!.reasons).toContain('gate_failed');
    expect(d[2]!.tier).toBe('A');
  });

  it('combines gate conditions with any', () => {
    const p = policy({
      gates: {
        A: {
          any: [
            { metric: 'collection_rate', op: '>=', value: 99 },
            { metric: 'sales_amount', op: '>', value: 99 },
          ],
        },
      },
    });
    expect(run(p, [sales(0, 100, 50), sales(100, 100, 80)]).decisions[1]!.tier).toBe('A');
  });

  it('quotas give the declared counts, for any population', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 4, maxLength: 4 }),
        (scores, raw) => {
          const sum = raw.reduce((a, b) => a + b, 0) || 1;
          const shares = raw.map((r) => (r / sum) * 100);
          shares[3] = 100 - shares[0]! - shares[1]! - shares[2]!;
          const tiers = TIER_SCHEMES.letters;
          const percents = Object.fromEntries(tiers.map((t, i) => [t.code, shares[i]!]));
          const out = assignByScore(
            Float64Array.from(scores),
            scores.map((_, i) => i),
            tiers,
            { method: 'quotas', percents },
          );
          const n = scores.length;
          let cumulative = 0;
          let previousEnd = 0;
          tiers.forEach((_, i) => {
            cumulative += shares[i]!;
            const end = i === 3 ? n : Math.min(n, Math.round((cumulative / 100) * n));
            const expected = Math.max(0, end - previousEnd);
            previousEnd = Math.max(previousEnd, end);
            expect(out.filter((t) => t === i).length).toBe(expected);
          });
        },
      ),
    );
  });

  it('ranks ties by dealer id for quotas, so the result never depends on input order', () => {
    const tiers = TIER_SCHEMES.letters;
    const out = assignByScore(Float64Array.from([50, 50, 50, 50]), [4, 3, 2, 1], tiers, {
      method: 'quotas',
      percents: { A: 25, B: 25, C: 25, D: 25 },
    });
    expect([...out]).toEqual([3, 2, 1, 0]);
  });

  it('assigns natural breaks with the highest class in the top tier', () => {
    const p = policy({ assignment: { method: 'natural_breaks' } });
    const rows = [0, 1, 2, 30, 31, 32, 60, 61, 62, 98, 99, 100].map((s) => sales(s, 100, 100));
    const tiers = run(p, rows).decisions.map((d) => d.tier);
    expect(tiers).toEqual(['D', 'D', 'D', 'C', 'C', 'C', 'B', 'B', 'B', 'A', 'A', 'A']);
  });
});

describe('property: with fixed weights, a better metric never lowers a dealer’s score', () => {
  for (const normalisation of ['minmax', 'zscore', 'percentile'] as const) {
    it(normalisation, () => {
      const p = policy({
        normalisation,
        metrics: [
          { metric: 'sales_amount' },
          { metric: 'complaint_rate' },
          { metric: 'collection_rate', cap: 20 },
        ],
        weights: {
          method: 'manual',
          total: 1,
          values: { sales_amount: 0.5, complaint_rate: 0.2, collection_rate: 0.3 },
        },
      });
      const row = fc.record({
        sales_amount: fc.integer({ min: 0, max: 1_000_000 }),
        order_count: fc.integer({ min: 1, max: 50 }),
        complaint_count: fc.integer({ min: 0, max: 10 }),
        invoice_amount: fc.constant(1000),
        payment_amount: fc.integer({ min: 0, max: 1200 }),
      });
      fc.assert(
        fc.property(
          fc.array(row, { minLength: 2, maxLength: 30 }),
          fc.nat(),
          fc.constantFrom('sales_amount', 'complaint_count', 'payment_amount'),
          fc.integer({ min: 1, max: 500_000 }),
          (rows, pick, measure, step) => {
            const d = pick % rows.length;
            const before = run(p, rows).decisions[d]!.score;
            const better = rows.map((r, i) =>
              i !== d
                ? r
                : {
                    ...r,
                    [measure]:
                      measure === 'complaint_count'
                        ? Math.max(0, r[measure] - 1)
                        : r[measure] + step,
                  },
            );
            const after = run(p, better).decisions[d]!.score;
            expect(after).toBeGreaterThanOrEqual(before - 1e-9);
          },
        ),
        { numRuns: 200 },
      );
    });
  }
});

describe('lifecycle', () => {
  const state = (tier: string, periodsBelow = 0, periodsAtBottom = 0): DealerState => ({
    tier,
    standing: 'good',
    periodsBelow,
    periodsAtBottom,
  });
  const ctx = (lifecycle: Partial<Lifecycle>, review = false, campaignUpgrade = false) => ({
    lifecycle: { ...LIFECYCLE, ...lifecycle },
    tierCount: 4,
    review,
    campaignUpgrade,
  });

  it.each([
    ['promotes immediately', { promotion: 'immediate' }, false, 3, 1, 1, ['promoted']],
    [
      'promotes one step when skipping levels is off',
      { maxStepUp: 1 },
      false,
      3,
      0,
      2,
      ['promoted', 'promotion_limited'],
    ],
    [
      'waits for the review date to promote',
      { promotion: 'review' },
      false,
      2,
      1,
      2,
      ['promotion_awaits_review'],
    ],
    ['promotes at the review date', { promotion: 'review' }, true, 2, 1, 1, ['promoted']],
    [
      'lets a campaign upgrade outside review dates',
      { promotion: 'review' },
      false,
      2,
      1,
      1,
      ['promoted', 'campaign_upgrade'],
      true,
    ],
    [
      'never demotes when demotion is off',
      { demotion: 'never' },
      false,
      1,
      3,
      1,
      ['demotion_disabled'],
    ],
    [
      'demotes automatically, one step at most',
      { demotion: 'automatic', maxStepDown: 1 },
      false,
      0,
      3,
      1,
      ['demoted', 'demotion_limited'],
    ],
    [
      'warns before a consecutive-period demotion',
      { demotion: 'consecutive', demotionAfter: 2 },
      false,
      1,
      2,
      1,
      ['at_risk'],
    ],
    ['demotes only at the review date', { demotion: 'review' }, false, 1, 2, 1, ['at_risk']],
  ] as const)(
    '%s',
    (_name, lifecycle, review, from, candidate, tier, reasons, campaign?: boolean) => {
      const outcome = applyLifecycle(
        { tier: from, state: state('x') },
        candidate,
        ctx(lifecycle, review, campaign ?? false),
      );
      expect(outcome.tier).toBe(tier);
      expect(outcome.reasons).toEqual(reasons);
    },
  );

  it('demotes after the declared number of periods in a row below', () => {
    const c = ctx({ demotion: 'consecutive', demotionAfter: 3, maxStepDown: 1 });
    let s = state('B');
    const tiers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const o = applyLifecycle({ tier: 1, state: s }, 3, c);
      tiers.push(o.tier);
      s = {
        tier: 'B',
        standing: o.standing,
        periodsBelow: o.periodsBelow,
        periodsAtBottom: o.periodsAtBottom,
      };
    }
    expect(tiers).toEqual([1, 1, 2]);
  });

  it('puts a dealer on probation, then proposes elimination, after periods at the bottom', () => {
    const c = ctx({ probationAfter: 2, eliminationAfter: 3 });
    const standings = [0, 1, 2].map(
      (k) => applyLifecycle({ tier: 3, state: state('D', 0, k) }, 3, c).standing,
    );
    expect(standings).toEqual(['good', 'probation', 'elimination']);
  });

  it('property: one-step demotion never skips a tier, whatever the scores say', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (from, candidate, review) => {
          const o = applyLifecycle(
            { tier: from, state: state('x') },
            candidate,
            ctx({ demotion: 'automatic', maxStepDown: 1, maxStepUp: 1 }, review),
          );
          expect(o.tier - from).toBeLessThanOrEqual(1);
          expect(from - o.tier).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('applies overrides after the rules: a lock sets the tier, a floor only lifts it', () => {
    const p = policy();
    const rows = [sales(0, 100, 50), sales(100, 100, 100)];
    const overrides = new Map<number, TierOverride>([
      [1, { kind: 'floor', tier: 'B', reason: 'new key account', until: null }],
      [2, { kind: 'lock', tier: 'C', reason: 'under investigation', until: null }],
    ]);
    const [low, high] = run(p, rows, { overrides }).decisions;
    expect(low).toMatchObject({
      tier: 'B',
      override: { kind: 'floor', reason: 'new key account' },
    });
    expect(low!.reasons).toContain('override_floor');
    expect(high).toMatchObject({ scoreTier: 'A', tier: 'C' });
    expect(high!.reasons).toContain('override_set');
    const floorAbove = run(p, rows, {
      overrides: new Map([
        [2, { kind: 'floor', tier: 'C', reason: 'keep at least C', until: null }],
      ]),
    });
    expect(floorAbove.decisions[1]).toMatchObject({ tier: 'A', override: null });
  });
});

describe('explanations', () => {
  it('gives, per metric, the raw value that alone reaches the next tier', () => {
    const result = run(policy(), [sales(0, 100, 50), sales(40, 100, 80), sales(100, 100, 100)]);
    const d = result.decisions[1]!; // score 20 + 30 = 50 → B; A needs 75
    expect(d.tier).toBe('B');
    expect(d.gap).toMatchObject({ tier: 'A', minScore: 75, pointsNeeded: 25 });
    // Sales (0.4 → 20 points) must reach 0.9 (45 points): 90. Collection (0.6 → 30 points)
    // would need 55 of its 50 points: it cannot close the gap alone, so it is not offered.
    expect(d.gap!.metrics).toEqual([
      { metric: 'sales_amount', from: 40, to: 90, exclusive: false },
    ]);
    // Applying each route alone, with the population statistics held, reaches the tier.
    for (const step of d.gap!.metrics) {
      const j = result.metrics.findIndex((m) => m.key === step.metric);
      const other = d.contributions[1 - j]!.points;
      const values = j === 0 ? [0, 40, 100] : [50, 80, 100];
      const n = normalise(step.to, metricStats(values), 'minmax', 'higher');
      expect(other + 50 * n).toBeGreaterThanOrEqual(75 - 1e-9);
    }
    expect(result.decisions[2]!.gap).toBeNull();
  });

  it('tells an at-risk dealer what it needs to keep its tier', () => {
    const p = policy({ lifecycle: { ...LIFECYCLE, demotion: 'consecutive', demotionAfter: 2 } });
    const previous = new Map([
      [2, { tier: 'A', standing: 'good' as const, periodsBelow: 0, periodsAtBottom: 0 }],
    ]);
    const d = run(p, [sales(0, 100, 50), sales(40, 100, 80), sales(100, 100, 100)], { previous })
      .decisions[1]!;
    expect(d).toMatchObject({ tier: 'A', standing: 'at_risk', previousTier: 'A', periodsBelow: 1 });
    expect(d.reasons).toContain('at_risk');
    expect(d.hold).toMatchObject({ tier: 'A', pointsNeeded: 25 });
  });

  it('lists the gate conditions a dealer fails for the next tier', () => {
    const p = policy({ gates: { A: { metric: 'compliance_events', op: '=', value: 0 } } });
    const rows = [sales(0), { ...sales(100), compliance_event_count: 2 }];
    const d = run(p, rows).decisions[1]!;
    expect(d.gap!.gates).toEqual([{ metric: 'compliance_events', op: '=', value: 0, actual: 2 }]);
  });
});

describe('trailing windows', () => {
  it('measures each monthly period over the trailing N months that end with it', () => {
    const p = policy({
      window: 3,
      metrics: [{ metric: 'sales_amount' }],
      weights: { method: 'manual', total: 1, values: { sales_amount: 1 } },
    });
    const frames = framesNeeded(resolvePolicy(p), parsePeriod('2025-06'));
    expect(frames.map((f) => [f.lag, f.period.from, f.period.to])).toEqual([
      [0, '2025-04', '2025-06'],
    ]);
  });

  it('refuses a window shorter than the cycle', () => {
    expect(() => resolvePolicy(policy({ cycle: 'quarterly', window: 2 }))).toThrow(
      /window: A trailing window/,
    );
  });
});

describe('framesNeeded', () => {
  it('asks for the previous and year-ago periods that growth and decay read', () => {
    const p = defaultPolicy('2025-01');
    const frames = framesNeeded(
      resolvePolicy({ ...p, timeDecay: { periods: 2, factor: 0.5 } }),
      parsePeriod('2025-06'),
    );
    expect(frames.map((f) => [f.lag, f.period.key])).toEqual([
      [0, '2025-06'],
      [1, '2025-05'],
      [12, '2024-06'],
      [13, '2024-05'],
    ]);
    expect(frames[2]!.measures).toEqual(['sales_amount']);
  });
});
