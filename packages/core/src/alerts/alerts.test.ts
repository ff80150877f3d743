import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addMonths, monthRange } from '../month.js';
import { decompose, diagnoseSales, type DiagnosisInput } from './diagnose.js';
import { evaluateDealer, evaluateRule, ruleLookback } from './evaluate.js';
import { healthBand } from './health.js';
import { checkAlertRule, DEFAULT_ALERT_RULES } from './rules.js';
import { seasonalIndex } from './series.js';
import { formatMoney } from './text.js';
import type { AlertRule, ChannelMonth, DealerAlertInput, DealerMonth } from './types.js';

const base = { code: 'r', name: 'r', severity: 'warning', enabled: true } as const;
const END = '2025-06';

/** Monthly rows ending with END from a list of sales (and optional targets). */
function series(sales: readonly number[], targets?: readonly (number | null)[]): DealerAlertInput {
  const months = monthRange(addMonths(END, -(sales.length - 1)), END);
  return {
    months: months.map((month, k): DealerMonth => ({
      month,
      values: {
        sales_amount: sales[k]!,
        order_count: sales[k]! > 0 ? 2 : 0,
        target_amount: targets ? (targets[k] ?? null) : null,
      },
    })),
  };
}
const ctx = { asOf: END, day: '2025-06-30', channel: [] as ChannelMonth[] };
const flat = (n: number, v = 100_000) => Array.from({ length: n }, () => v);

describe('missed_target', () => {
  const rule: AlertRule = {
    ...base,
    kind: 'missed_target',
    params: { periods: 3, below: 0.9, overall: 0.9, seasonal: false },
  };
  test.each([
    ['three months at 89% of target', [89, 89, 89], true],
    ['one month at exactly 90%', [89, 90, 89], false],
    ['two misses then a hit', [80, 80, 100], false],
  ])('%s', (_label, pct, holds) => {
    const input = series([...flat(3), ...pct.map((p) => p * 1000)], [...flat(3), ...flat(3)]);
    expect(evaluateRule(rule, input, ctx) !== null).toBe(holds);
  });
  test('needs a target in every month of the run', () => {
    expect(evaluateRule(rule, series([1, 1, 1], [100_000, null, 100_000]), ctx)).toBeNull();
  });
  test('evidence holds sales, target and achievement; windows compare with a year earlier', () => {
    const c = evaluateRule(rule, series([50_000, 60_000, 70_000], flat(3)), ctx)!;
    expect(c.evidence.points.map((p) => [p.month, p.value, p.reference])).toEqual([
      ['2025-04', 50_000, 100_000],
      ['2025-05', 60_000, 100_000],
      ['2025-06', 70_000, 100_000],
    ]);
    expect(c.windows).toEqual({
      current: ['2025-04', '2025-05', '2025-06'],
      baseline: ['2024-04', '2024-05', '2024-06'],
    });
    expect(c.title.zh).toContain('连续3个月未达成销售目标');
  });
});

describe('decline', () => {
  const mom = (percent: number, periods = 2): AlertRule => ({
    ...base,
    kind: 'decline',
    params: {
      measure: 'sales_amount',
      percent,
      periods,
      compare: 'mom',
      window: 1,
      seasonal: false,
    },
  });
  test.each([
    ['−20% twice', [100, 80, 64], true],
    ['−20% then −19%', [100, 80, 64.8], false],
    ['one −50% month', [100, 100, 50], false],
    ['rising', [100, 120, 140], false],
  ])('month over month, 20%% two months running: %s', (_l, s, holds) => {
    expect(evaluateRule(mom(20), series(s.map((x) => x * 1000)), ctx) !== null).toBe(holds);
  });
  test('year over year on rolling windows', () => {
    const yoy: AlertRule = {
      ...base,
      kind: 'decline',
      params: {
        measure: 'sales_amount',
        percent: 15,
        periods: 2,
        compare: 'yoy',
        window: 3,
        seasonal: false,
      },
    };
    expect(ruleLookback(yoy)).toBe(16);
    const lastYear = flat(12);
    expect(evaluateRule(yoy, series([...lastYear, ...flat(4, 84_000)]), ctx)?.windows).toEqual({
      current: ['2025-04', '2025-05', '2025-06'],
      baseline: ['2024-04', '2024-05', '2024-06'],
    });
    expect(evaluateRule(yoy, series([...lastYear, ...flat(4, 86_000)]), ctx)).toBeNull();
    // Too little history: no condition rather than a guess.
    expect(evaluateRule(yoy, series([84_000, 84_000, 84_000]), ctx)).toBeNull();
  });
  test('seasonal adjustment: a dealer that dips with the whole channel is not declining', () => {
    const months = monthRange('2023-07', END);
    const shape = (m: string) => (m.endsWith('-02') ? 0.4 : m.endsWith('-01') ? 1.6 : 1);
    const channel = months.map((month) => ({
      month,
      sales: 100_000_000 * shape(month),
      dealers: 500,
    }));
    const input = {
      months: months.map((month) => ({ month, values: { sales_amount: 100_000 * shape(month) } })),
    };
    const rule = { ...mom(20, 1), params: { ...mom(20, 1).params, seasonal: true } } as AlertRule;
    const raw = mom(20, 1);
    const feb = { ...ctx, asOf: '2025-02', channel };
    expect(evaluateRule(raw, input, feb)).not.toBeNull();
    expect(evaluateRule(rule, input, feb)).toBeNull();
  });
  const level = (percent: number, swing = 0, periods = 2): AlertRule => ({
    ...base,
    kind: 'decline',
    params: {
      measure: 'sales_amount',
      percent,
      periods,
      compare: 'baseline',
      window: 1,
      baseline: 6,
      ...(swing > 0 ? { swing } : {}),
      seasonal: false,
    },
  });
  test.each([
    ['two months at 80% of the level', [80, 80], true],
    ['80% then 81%', [80, 81], false],
    // Against the level, not month over month: a step down that stays down still counts.
    ['a step to 70% that holds', [70, 70], true],
    ['one month at 50%', [100, 50], false],
  ])('against the 6-month level, 20%% two months running: %s', (_l, run, holds) => {
    const input = series([...flat(6, 100), ...run].map((x) => x * 1000));
    expect(evaluateRule(level(20), input, ctx) !== null).toBe(holds);
  });
  test('against the level: evidence, windows and lookback', () => {
    expect(ruleLookback(level(20))).toBe(8);
    expect(ruleLookback(level(20, 1))).toBe(14);
    const c = evaluateRule(level(20), series([...flat(6), 75_000, 70_000]), ctx)!;
    expect(c.evidence.points).toEqual([
      {
        month: '2025-05',
        value: 75_000,
        reference: 100_000,
        referenceKind: 'expected',
        change: -0.25,
      },
      {
        month: '2025-06',
        value: 70_000,
        reference: 100_000,
        referenceKind: 'expected',
        change: expect.closeTo(-0.3, 12),
      },
    ]);
    // The diagnosis compares the run with as many months just before it.
    expect(c.windows).toEqual({
      current: ['2025-05', '2025-06'],
      baseline: ['2025-03', '2025-04'],
    });
    expect(c.title.zh).toBe('销售额连续2个月低于自身水平20%以上');
    // A month missing from the level: no condition rather than a guess.
    expect(evaluateRule(level(20), series([75_000, 70_000]), ctx)).toBeNull();
  });
  test('swing: a dealer whose months usually swing by 30 % needs a fall beyond that', () => {
    // A lumpy dealer: 130/70 alternating (coefficient of variation ≈ 31 %), then two months at 75.
    const lumpy = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 130_000 : 70_000));
    const input = series([...lumpy, 75_000, 75_000]);
    expect(evaluateRule(level(20), input, ctx)).not.toBeNull();
    expect(evaluateRule(level(20, 1), input, ctx)).toBeNull();
    // A dealer that orders evenly: the same fall is beyond its swing.
    const even = series([
      ...Array.from({ length: 12 }, (_, i) => 100_000 + (i % 2) * 2_000),
      75_000,
      75_000,
    ]);
    const c = evaluateRule(level(20, 1), even, ctx);
    expect(c).not.toBeNull();
    expect(c!.evidence.summary.en).toMatch(/usual monthly swing is 1%, so the bar is -20%/);
  });
});

describe('threshold, anomaly and the time rules', () => {
  test('threshold over consecutive months, including ratios', () => {
    const none: AlertRule = {
      ...base,
      kind: 'threshold',
      params: { measure: 'order_count', op: '<=', value: 0, periods: 1 },
    };
    expect(evaluateRule(none, series([1, 1, 0]), ctx)).not.toBeNull();
    expect(evaluateRule(none, series([1, 0, 1]), ctx)).toBeNull();
    const achievement: AlertRule = {
      ...base,
      kind: 'threshold',
      params: { measure: 'target_achievement', op: '<', value: 0.5, periods: 2 },
    };
    expect(
      evaluateRule(achievement, series([40, 40], [100, 100]), ctx)?.evidence.points.map(
        (p) => p.value,
      ),
    ).toEqual([0.4, 0.4]);
    expect(evaluateRule(achievement, series([40, 40], [100, null]), ctx)).toBeNull();
  });

  test('anomaly: a break with the dealer’s own level, not its usual noise', () => {
    const rule: AlertRule = {
      ...base,
      kind: 'anomaly',
      params: { measure: 'sales_amount', k: 2, periods: 2, baseline: 12, minDrop: 30 },
    };
    const noisy = [100, 110, 90, 105, 95, 100, 108, 92, 101, 99, 104, 96].map((x) => x * 1000);
    expect(
      evaluateRule(rule, series([...noisy, 55_000, 50_000]), ctx)?.evidence.points[0]
        ?.referenceKind,
    ).toBe('expected');
    expect(evaluateRule(rule, series([...noisy, 92_000, 90_000]), ctx)).toBeNull();
    // One bad month is not two.
    expect(evaluateRule(rule, series([...noisy, 100_000, 50_000]), ctx)).toBeNull();
    // Too short a history.
    expect(evaluateRule(rule, series([100_000, 100_000, 50_000, 50_000]), ctx)).toBeNull();
  });

  test('licence expiry counts days from the evaluation day; a renewal supersedes; expired is critical', () => {
    const rule: AlertRule = { ...base, kind: 'licence_expiry', params: { days: 30 } };
    const at = (expiresOn: string | null, more: DealerAlertInput['licences'] = []) => ({
      months: [],
      licences: [{ kind: 'food_business_licence', number: 'JY1', expiresOn }, ...more],
    });
    expect(evaluateRule(rule, at('2025-07-30'), ctx)?.evidence.items[0]?.days).toBe(30);
    expect(evaluateRule(rule, at('2025-07-31'), ctx)).toBeNull();
    expect(evaluateRule(rule, at(null), ctx)).toBeNull();
    expect(
      evaluateRule(
        rule,
        at('2025-07-01', [
          { kind: 'food_business_licence', number: 'JY2', expiresOn: '2030-07-01' },
        ]),
        ctx,
      ),
    ).toBeNull();
    const expired = evaluateRule(rule, at('2025-06-01'), ctx)!;
    expect(expired.severity).toBe('critical');
    expect(expired.evidence.items[0]?.days).toBe(-29);
  });

  test('near-expiry stock, stock-out risk and overdue collections', () => {
    const near: AlertRule = {
      ...base,
      kind: 'near_expiry_inventory',
      params: { share: 0.3, periods: 1, minValue: 1000 },
    };
    const stockAt = (value: number, nearValue: number) => ({
      months: [{ month: END, values: { inventory_value: value, near_expiry_value: nearValue } }],
    });
    expect(evaluateRule(near, stockAt(10_000, 3000), ctx)?.evidence.points[0]?.change).toBe(0.3);
    expect(evaluateRule(near, stockAt(10_000, 2999), ctx)).toBeNull();
    expect(evaluateRule(near, stockAt(0, 0), ctx)).toBeNull();

    const stockout: AlertRule = {
      ...base,
      kind: 'stockout_risk',
      params: { days: 7, minQuantity: 10 },
    };
    const sku = (quantity: number, soldQuantity: number, snapshotOn = '2025-06-30') => ({
      months: [],
      stock: [{ sku: 'S1', name: '矿泉水', snapshotOn, quantity, soldQuantity }],
    });
    expect(evaluateRule(stockout, sku(6, 30), ctx)?.evidence.items[0]?.days).toBe(6);
    expect(evaluateRule(stockout, sku(7, 30), ctx)).toBeNull();
    expect(evaluateRule(stockout, sku(1, 9), ctx)).toBeNull();
    expect(evaluateRule(stockout, sku(1, 30, '2025-04-30'), ctx)).toBeNull();

    const overdue: AlertRule = {
      ...base,
      kind: 'collection_overdue',
      params: { days: 60, minAmount: 50_000 },
    };
    const invoices = (dueOn: string, outstanding: number) => ({
      months: [],
      openInvoices: [{ invoiceNo: 'INV-1', dueOn, outstanding }],
    });
    expect(
      evaluateRule(overdue, invoices('2025-04-30', 50_000), ctx)?.evidence.items[0]?.days,
    ).toBe(61);
    expect(evaluateRule(overdue, invoices('2025-05-01', 50_000), ctx)).toBeNull();
    expect(evaluateRule(overdue, invoices('2025-04-30', 49_999), ctx)).toBeNull();
  });

  test('disabled rules are skipped', () => {
    const rules = DEFAULT_ALERT_RULES.map((r) => ({ ...r, enabled: r.code !== 'no_orders' }));
    expect(evaluateDealer(rules, series([1, 1, 0]), ctx).map((c) => c.rule)).not.toContain(
      'no_orders',
    );
    expect(
      evaluateDealer(DEFAULT_ALERT_RULES, series([1, 1, 0]), ctx).map((c) => c.rule),
    ).toContain('no_orders');
  });
});

describe('rules', () => {
  test('the default rules are valid', () => {
    for (const rule of DEFAULT_ALERT_RULES) expect(checkAlertRule(rule), rule.code).toEqual([]);
  });
  test('measures must exist and suit the kind', () => {
    const decline: AlertRule = {
      ...base,
      kind: 'decline',
      params: {
        measure: 'inventory_value',
        percent: 10,
        periods: 1,
        compare: 'mom',
        window: 1,
        seasonal: false,
      },
    };
    expect(checkAlertRule(decline)[0]?.message).toMatch(/not a monthly flow/);
    const threshold: AlertRule = {
      ...base,
      kind: 'threshold',
      params: { measure: 'happiness', op: '<', value: 1, periods: 1 },
    };
    expect(checkAlertRule(threshold)[0]).toMatchObject({ path: 'params.measure' });
  });
  test('baseline and swing belong to baseline declines, which compare single months', () => {
    const decline = (params: Record<string, unknown>): AlertRule =>
      ({
        ...base,
        kind: 'decline',
        params: {
          measure: 'sales_amount',
          percent: 20,
          periods: 2,
          window: 1,
          seasonal: false,
          ...params,
        },
      }) as AlertRule;
    expect(checkAlertRule(decline({ compare: 'mom', swing: 1 }))).toEqual([
      {
        path: 'params.swing',
        message: 'swing applies to compare "baseline" only; this rule compares "mom".',
      },
    ]);
    expect(checkAlertRule(decline({ compare: 'baseline', window: 3 }))[0]).toMatchObject({
      path: 'params.window',
    });
    expect(checkAlertRule(decline({ compare: 'baseline', baseline: 12, swing: 1.5 }))).toEqual([]);
  });
});

describe('seasonal index', () => {
  const months = monthRange('2023-01', '2024-12');
  const channel = months.map((month, k) => ({
    month,
    sales: 1000 * (k % 12 === 1 ? 0.5 : 1),
    dealers: 50,
  }));
  test('is the month against the channel’s 12-month level, leaving the dealer out', () => {
    const idx = seasonalIndex(
      channel,
      months,
      months.map(() => 0),
    );
    expect(idx[13]).toBeCloseTo(0.5 / (11.5 / 12), 10);
    expect(idx[14]).toBeCloseTo(1 / (11.5 / 12), 10);
    const own = months.map((_, k) => (k === 13 ? 450 : 0));
    expect(seasonalIndex(channel, months, own)[13]).toBe(0.2);
  });
  test('is 1 for a small channel or a short history', () => {
    expect(
      seasonalIndex(
        channel.map((c) => ({ ...c, dealers: 5 })),
        months,
        months.map(() => 0),
      ),
    ).toEqual(months.map(() => 1));
    expect(seasonalIndex(channel.slice(0, 6), months.slice(0, 6), [0, 0, 0, 0, 0, 0])).toEqual([
      1, 1, 1, 1, 1, 1,
    ]);
  });
});

describe('diagnosis', () => {
  const cell = fc.record({
    sales: fc.integer({ min: 0, max: 10_000_000 }),
    quantity: fc.integer({ min: 0, max: 50_000 }),
  });
  test('volume + price + mix is exactly the change, in whole minor units', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ current: cell, baseline: cell }), { minLength: 1, maxLength: 8 }),
        (categories) => {
          const d = decompose(categories);
          const change = categories.reduce((s, c) => s + c.current.sales - c.baseline.sales, 0);
          expect(d.volume + d.price + d.mix).toBe(change);
          for (const v of Object.values(d)) expect(Number.isInteger(v)).toBe(true);
        },
      ),
    );
  });
  test.each([
    [
      'price only',
      { sales: 1100, quantity: 10 },
      { sales: 1000, quantity: 10 },
      { volume: 0, price: 100, mix: 0 },
    ],
    [
      'volume only',
      { sales: 500, quantity: 5 },
      { sales: 1000, quantity: 10 },
      { volume: -500, price: 0, mix: 0 },
    ],
  ])('%s', (_l, current, baseline, expected) => {
    expect(decompose([{ current, baseline }])).toEqual(expected);
  });
  test('mix: the same units moved to a cheaper category', () => {
    const d = decompose([
      { current: { sales: 0, quantity: 0 }, baseline: { sales: 1000, quantity: 5 } },
      { current: { sales: 500, quantity: 5 }, baseline: { sales: 500, quantity: 5 } },
    ]);
    expect(d).toEqual({ volume: -750, mix: -250, price: 0 });
  });

  const input = (over: Partial<DiagnosisInput> = {}): DiagnosisInput => ({
    windows: { current: ['2025-06'], baseline: ['2024-06'] },
    categories: [
      {
        category: '饮料',
        current: { sales: 20_000, quantity: 20 },
        baseline: { sales: 100_000, quantity: 100 },
      },
      {
        category: '乳品',
        current: { sales: 50_000, quantity: 50 },
        baseline: { sales: 50_000, quantity: 50 },
      },
    ],
    outlets: [
      ...Array.from({ length: 12 }, (_, k) => ({
        code: `O${k}`,
        name: `终端${k}`,
        current: 5_000,
        baseline: 10_000,
      })),
      { code: 'LOST', name: '流失终端', current: 0, baseline: 15_000 },
      { code: null, name: null, current: 0, baseline: 5_000 },
    ],
    region: { code: '440000', name: '广东省', current: 1_000_000, baseline: 1_000_000 },
    complaints: { current: 3, baseline: 1, topics: [{ topic: 'stock_out', count: 2 }] },
    stock: { value: 100_000, nearExpiryValue: 40_000 },
    payments: { invoiced: 70_000, paid: 30_000, overdue: 20_000 },
    visits: { current: 2, baseline: 10 },
    orderingOutlets: { current: 12, baseline: 13 },
    ...over,
  });
  test('names the category, the lost outlet and the signals; outlets and categories reconcile', () => {
    const d = diagnoseSales(input(), {});
    expect(d.change).toBe(-80_000);
    expect(d.categories[0]).toMatchObject({ category: '饮料', change: -80_000, share: 1 });
    expect(d.outlets.reduce((s, o) => s + o.change, 0)).toBe(-80_000);
    expect(d.outlets.find((o) => o.kind === 'others')).toMatchObject({ name: '4' });
    expect(d.outlets.filter((o) => o.lost).map((o) => o.code)).toEqual(['LOST']);
    const text = d.findings.map((f) => f.zh).join('\n');
    expect(text).toContain('品类：饮料');
    expect(text).toContain('LOST 流失终端');
    expect(text).toContain('自身的问题');
    expect(text).toContain('断货缺货（2）');
    const actions = d.actions.map((a) => a.en).join('\n');
    expect(actions).toMatch(/Look into 饮料/);
    expect(actions).toMatch(/Visit the outlets that stopped ordering \(LOST\)/);
    expect(actions).toMatch(/near-expiry/);
    expect(actions).toMatch(/credit limit/);
    expect(actions).toMatch(/outlet visits/);
  });
  test('a region that fell as well points at the market', () => {
    const d = diagnoseSales(
      input({ region: { code: '440000', name: '广东省', current: 700, baseline: 1000 } }),
      {},
    );
    expect(d.findings.map((f) => f.zh).join()).toContain('可能是区域市场因素');
  });
});

describe('health band', () => {
  test.each([
    [[], null, 'green'],
    [[], -0.12, 'yellow'],
    [['info'], null, 'green'],
    [['info', 'info'], null, 'yellow'],
    [['warning'], -0.05, 'yellow'],
    [['warning'], -0.3, 'red'],
    [['warning', 'warning', 'warning'], 0.1, 'red'],
    [['critical'], 0.2, 'red'],
  ] as const)('%j with trend %s → %s', (severities, trend, band) => {
    expect(healthBand({ open: severities.map((severity) => ({ severity })), trend }).band).toBe(
      band,
    );
  });
});

describe('texts', () => {
  test('money in whole major units, the sign before the currency', () => {
    expect(formatMoney(-14_360_245, undefined)).toBe('-¥143,602');
    expect(formatMoney(123_456, { code: 'USD', minorUnits: 2 })).toBe('USD 1,235');
  });
});
