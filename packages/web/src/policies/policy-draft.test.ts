import { describe, expect, it } from 'vitest';
import {
  addMetric,
  applyScheme,
  draftAssignment,
  draftLifecycle,
  draftWeights,
  issuesAt,
  moveTier,
  parseDraft,
  pathText,
  removeMetric,
  removeTier,
  scaleWeightsToTotal,
  setAssignmentMethod,
  setIn,
  setTierField,
  setWeightMethod,
  type Draft,
} from './policy-draft';

function policy(): Draft {
  return {
    name: 'default',
    tiers: [
      { code: 'strategic', name: '战略', color: '#7B2FBE' },
      { code: 'core', name: '核心', color: '#1677FF' },
      { code: 'basic', name: '基础', color: '#8C8C8C' },
    ],
    metrics: [{ metric: 'sales_amount', cap: 30 }, { metric: 'collection_rate' }],
    weights: { method: 'manual', total: 100, values: { sales_amount: 60, collection_rate: 40 } },
    assignment: { method: 'thresholds', minScores: { strategic: 70, core: 50 } },
    gates: { strategic: { metric: 'compliance_events', op: '=', value: 0 } },
  };
}

describe('setIn', () => {
  it('copies along the path and leaves the original alone', () => {
    const before = policy();
    const after = setIn(before, ['weights', 'values', 'sales_amount'], 55);
    expect(draftWeights(after)).toMatchObject({
      values: { sales_amount: 55, collection_rate: 40 },
    });
    expect(draftWeights(before)).toMatchObject({ values: { sales_amount: 60 } });
    expect(after['tiers']).toBe(before['tiers']);
  });

  it('creates objects and arrays on the way and deletes with undefined', () => {
    expect(setIn({}, ['lifecycle', 'probationAfter'], 3)).toEqual({
      lifecycle: { probationAfter: 3 },
    });
    expect(setIn({}, ['reviewMonths', 1], 6)).toEqual({ reviewMonths: [undefined, 6] });
    expect(setIn(policy(), ['gates', 'strategic'], undefined)['gates']).toEqual({});
  });
});

describe('metrics and weights', () => {
  it('adds a metric with weight 0 and removes one with its weight', () => {
    const added = addMetric(policy(), 'sku_breadth');
    expect(added['metrics']).toHaveLength(3);
    expect(draftWeights(added)).toMatchObject({ values: { sku_breadth: 0 } });
    const removed = removeMetric(added, 'sales_amount');
    expect(removed['metrics']).toEqual([{ metric: 'collection_rate' }, { metric: 'sku_breadth' }]);
    expect(draftWeights(removed)).toEqual({
      method: 'manual',
      total: 100,
      values: { collection_rate: 40, sku_breadth: 0 },
    });
  });

  it('grows and shrinks an AHP matrix with the metrics', () => {
    const ahp = setWeightMethod(policy(), 'ahp', null);
    expect(draftWeights(ahp)).toEqual({
      method: 'ahp',
      matrix: [
        [1, 1],
        [1, 1],
      ],
    });
    const grown = addMetric(
      setIn(
        ahp,
        ['weights', 'matrix'],
        [
          [1, 3],
          [1 / 3, 1],
        ],
      ),
      'sku_breadth',
    );
    expect(draftWeights(grown)).toEqual({
      method: 'ahp',
      matrix: [
        [1, 3, 1],
        [1 / 3, 1, 1],
        [1, 1, 1],
      ],
    });
    expect(draftWeights(removeMetric(grown, 'sales_amount'))).toEqual({
      method: 'ahp',
      matrix: [
        [1, 1],
        [1, 1],
      ],
    });
  });

  it('scales manual weights to their total, keeping proportions', () => {
    const off = setIn(policy(), ['weights', 'values'], { sales_amount: 30, collection_rate: 30 });
    expect(draftWeights(scaleWeightsToTotal(off))).toMatchObject({
      values: { sales_amount: 50, collection_rate: 50 },
    });
    const odd = setIn(policy(), ['weights', 'values'], { sales_amount: 1, collection_rate: 2 });
    const scaled = draftWeights(scaleWeightsToTotal(odd));
    expect(scaled.method === 'manual' && scaled.values).toEqual({
      sales_amount: 33,
      collection_rate: 67,
    });
  });

  it('switches to manual from the derived weights, or equal ones', () => {
    const entropy = setWeightMethod(policy(), 'entropy', null);
    expect(entropy['weights']).toEqual({ method: 'entropy' });
    expect(draftWeights(setWeightMethod(entropy, 'manual', null))).toEqual({
      method: 'manual',
      total: 100,
      values: { sales_amount: 50, collection_rate: 50 },
    });
    expect(
      draftWeights(
        setWeightMethod(entropy, 'manual', { sales_amount: 0.723, collection_rate: 0.277 }),
      ),
    ).toMatchObject({ values: { sales_amount: 72, collection_rate: 28 } });
  });
});

describe('tiers', () => {
  it('renames thresholds and gates with a tier code', () => {
    const renamed = setTierField(policy(), 0, 'code', 'a');
    expect(draftAssignment(renamed)).toEqual({
      method: 'thresholds',
      minScores: { a: 70, core: 50 },
    });
    expect(Object.keys(renamed['gates'] as object)).toEqual(['a']);
  });

  it('applies a scheme by position, dropping what no longer has a tier', () => {
    const letters = [
      { code: 'A', name: 'A', color: '#389E0D' },
      { code: 'B', name: 'B', color: '#1677FF' },
    ];
    const applied = applyScheme(policy(), letters);
    expect(applied['tiers']).toEqual(letters);
    expect(draftAssignment(applied)).toEqual({ method: 'thresholds', minScores: { A: 70, B: 50 } });
    expect(applied['gates']).toEqual({ A: { metric: 'compliance_events', op: '=', value: 0 } });
  });

  it('removes a tier with its threshold and gate, and moves tiers', () => {
    const removed = removeTier(policy(), 0);
    expect(draftAssignment(removed)).toEqual({ method: 'thresholds', minScores: { core: 50 } });
    expect(removed['gates']).toEqual({});
    const moved = moveTier(policy(), 2, -1);
    expect((moved['tiers'] as { code: string }[]).map((t) => t.code)).toEqual([
      'strategic',
      'basic',
      'core',
    ]);
    expect(moveTier(policy(), 0, -1)).toEqual(policy());
  });

  it('starts thresholds and quotas from even values', () => {
    expect(draftAssignment(setAssignmentMethod(policy(), 'thresholds'))).toEqual({
      method: 'thresholds',
      minScores: { strategic: 67, core: 33 },
    });
    expect(draftAssignment(setAssignmentMethod(policy(), 'quotas'))).toEqual({
      method: 'quotas',
      percents: { strategic: 33, core: 33, basic: 34 },
    });
  });
});

describe('reading a draft of any shape', () => {
  it('never throws and fills the lifecycle defaults', () => {
    const broken: Draft = { weights: 'heavy', assignment: [], lifecycle: { demotion: 'often' } };
    expect(draftWeights(broken)).toEqual({ method: null });
    expect(draftAssignment(broken)).toEqual({ method: null });
    expect(draftLifecycle(broken)).toEqual({
      promotion: 'immediate',
      maxStepUp: 1,
      demotion: 'consecutive',
      demotionAfter: 2,
      maxStepDown: 1,
      probationAfter: null,
      eliminationAfter: null,
    });
    expect(draftLifecycle({ lifecycle: { maxStepUp: null } }).maxStepUp).toBeNull();
  });

  it('parses JSON text into a draft or says why not', () => {
    expect(parseDraft('{"name":"x"}')).toEqual({ draft: { name: 'x' } });
    expect(parseDraft('[1]')).toEqual({ error: 'not an object' });
    expect('error' in parseDraft('{')).toBe(true);
  });
});

describe('validation issues by path', () => {
  const issues = [
    { path: 'weights.values.sales_amount', message: 'A' },
    { path: 'tiers[0].color', message: 'B' },
    { path: 'tiers', message: 'C' },
    { path: 'tiersX', message: 'D' },
  ];

  it('writes paths as the server does', () => {
    expect(pathText(['tiers', 0, 'color'])).toBe('tiers[0].color');
  });

  it('finds the issues at a path and below it, not at look-alike paths', () => {
    expect(issuesAt(issues, 'tiers')).toEqual(['B', 'C']);
    expect(issuesAt(issues, 'tiers[0].color')).toEqual(['B']);
    expect(issuesAt(issues, 'weights')).toEqual(['A']);
  });
});
