import { describe, expect, it } from 'vitest';
import { compileFormula } from './formula.js';
import type { Policy } from './policy.js';
import { policyIssues, resolvePolicy } from './resolve.js';
import { defaultPolicy } from './templates.js';

const base = (): Policy => defaultPolicy('2025-01');

/** The issues of the default policy with one change applied. */
function issuesOf(change: (p: Policy) => void) {
  const p = structuredClone(base());
  change(p);
  return policyIssues(p);
}

describe('policy validation: bad policies are refused with the path and the reason', () => {
  it('accepts the default policy', () => {
    expect(policyIssues(base())).toEqual([]);
    expect(resolvePolicy(base()).weights?.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it.each([
    [
      'weights not summing as declared',
      (p: Policy) => {
        if (p.weights.method === 'manual') p.weights.values['sales_amount'] = 30;
      },
      'weights.values',
      /105/,
    ],
    [
      'an unknown metric',
      (p: Policy) => p.metrics.push({ metric: 'happiness' }),
      'metrics[10].metric',
      /Unknown metric "happiness"/,
    ],
    [
      'a weight for a metric that is not scored',
      (p: Policy) => {
        if (p.weights.method === 'manual') p.weights.values['dso'] = 0;
      },
      'weights.values.dso',
      /not among the metrics/,
    ],
    [
      'thresholds out of order',
      (p: Policy) =>
        (p.assignment = {
          method: 'thresholds',
          minScores: { strategic: 50, core: 60, potential: 40 },
        }),
      'assignment.minScores.core',
      /out of order/,
    ],
    [
      'quotas that do not add up to 100',
      (p: Policy) =>
        (p.assignment = {
          method: 'quotas',
          percents: { strategic: 10, core: 20, potential: 30, basic: 30 },
        }),
      'assignment.percents',
      /90%/,
    ],
    [
      'a gate on the bottom tier',
      (p: Policy) => (p.gates['basic'] = { metric: 'sales_amount', op: '>', value: 0 }),
      'gates.basic',
      /bottom tier/,
    ],
    [
      'a gate on an unknown metric',
      (p: Policy) => (p.gates['core'] = { all: [{ metric: 'nps', op: '>', value: 0 }] }),
      'gates.core.all[0].metric',
      /Unknown metric "nps"/,
    ],
    [
      'a review lifecycle without review months',
      (p: Policy) => {
        p.lifecycle.demotion = 'review';
        p.reviewMonths = [];
      },
      'reviewMonths',
      /review month/,
    ],
    [
      'a duplicated tier code',
      (p: Policy) => (p.tiers[1]!.code = 'strategic'),
      'tiers[1].code',
      /used twice/,
    ],
  ])('%s', (_name, change, path, message) => {
    const issues = issuesOf(change);
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  it('refuses circular formulas, naming the chain', () => {
    const issues = issuesOf((p) => {
      p.customMetrics = [
        {
          key: 'a',
          name: 'A',
          formula: 'b + 1',
          direction: 'higher',
          unit: 'count',
          definition: '',
          missing: 'neutral',
        },
        {
          key: 'b',
          name: 'B',
          formula: 'a * 2',
          direction: 'higher',
          unit: 'count',
          definition: '',
          missing: 'neutral',
        },
      ];
    });
    expect(issues).toContainEqual({
      path: 'customMetrics[0].formula',
      message: 'The formula is circular: a → b → a.',
    });
  });

  it('refuses an inconsistent AHP matrix with its consistency ratio and the pair to revisit', () => {
    const issues = issuesOf((p) => {
      p.metrics = [
        { metric: 'sales_amount' },
        { metric: 'collection_rate' },
        { metric: 'outlet_coverage' },
      ];
      p.weights = {
        method: 'ahp',
        matrix: [
          [1, 9, 1 / 9],
          [1 / 9, 1, 9],
          [9, 1 / 9, 1],
        ],
      };
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('weights.matrix');
    expect(issues[0]!.message).toMatch(/consistency ratio .* ≥ 0\.10/);
  });

  it('derives weights from a consistent AHP matrix', () => {
    const p = structuredClone(base());
    p.metrics = [{ metric: 'sales_amount' }, { metric: 'collection_rate' }];
    p.weights = {
      method: 'ahp',
      matrix: [
        [1, 3],
        [1 / 3, 1],
      ],
    };
    const resolved = resolvePolicy(p);
    expect(resolved.weights?.[0]).toBeCloseTo(0.75);
    expect(resolved.ahp?.cr).toBe(0);
  });

  it('throws one error listing every issue', () => {
    const p = structuredClone(base());
    p.metrics.push({ metric: 'nope' });
    p.tiers[1]!.code = 'strategic';
    expect(() => resolvePolicy(p)).toThrow(/problems/);
  });
});

describe('custom metric formulas', () => {
  const isMetric = (k: string) => k === 'collection_rate';
  const get = (m: string, lag = 'current') =>
    ({
      current: { sales_amount: 200, target_amount: 100, 'custom.nps': 40 },
      previous: { sales_amount: 100 },
    })[lag as 'current']?.[m as 'sales_amount'] ?? Number.NaN;

  it.each([
    ['sales_amount / target_amount * 100', 200],
    ['(sales_amount - prev(sales_amount)) / prev(sales_amount)', 1],
    ['max(custom.nps, 50) + min(1, 2)', 51],
    ['sales_amount > 150 ? 1 : 0', 1],
    ['coalesce(year_ago(sales_amount), 7)', 7],
    ['sales_amount / 0', Number.NaN],
    ['collection_rate / 2', 45],
    ['round(sqrt(2), 3)', 1.414],
  ])('%s = %d', (formula, expected) => {
    const f = compileFormula(formula, 'f', isMetric);
    expect(f.evaluate(get, () => 90)).toBe(expected);
  });

  it('lists the base measures and periods it reads', () => {
    const f = compileFormula('sales_amount / prev(sales_amount) + custom.nps', 'f', isMetric);
    expect(f.needs).toEqual([
      { measure: 'sales_amount', lag: 'current' },
      { measure: 'sales_amount', lag: 'previous' },
      { measure: 'custom.nps', lag: 'current' },
    ]);
  });

  it.each([
    ['sales_amount +', /cannot be read at character/],
    ['process.exit(1)', /only the listed functions may be called/],
    ['process.env', /only dotted name allowed is custom/],
    ['constructor', /"constructor" is neither a base measure nor a metric/],
    ['eval("1")', /eval\(\) is not a function/],
    ['"text"', /only numbers/],
    ['sales_amount ^ 2', /operator \^ is not allowed/],
    ['[1, 2]', /ArrayExpression is not allowed/],
    ['prev(1)', /prev\(\) takes one base measure/],
    ['pow(2)', /pow\(\) takes 2 argument/],
  ])('refuses %s', (formula, message) => {
    expect(() => compileFormula(formula, 'customMetrics[0].formula', isMetric)).toThrow(message);
  });
});
