import type { TierDefinition, TierGap } from '@tierline/contract';
import { describe, expect, it } from 'vitest';
import { formatMoney, formatMoneyShort, formatNumber, formatPercent } from '../format/money';
import { translate, type Locale } from '../i18n/messages';
import {
  formatMetricValue,
  gapSentences,
  gateSentence,
  gateText,
  tierMove,
  type MetricInfo,
  type TextKit,
} from './tier-text';

const names: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    collection_rate: '回款率',
    sales_amount: '销售额',
    complaint_rate: '客诉率',
    compliance_events: '违规次数',
    sku_breadth: 'SKU 宽度',
  },
  'en-US': {
    collection_rate: 'Collection rate',
    sales_amount: 'Sales',
    complaint_rate: 'Complaint rate',
    compliance_events: 'Compliance events',
    sku_breadth: 'SKU breadth',
  },
};

const units: Record<string, MetricInfo['unit']> = {
  collection_rate: 'percent',
  sales_amount: 'money',
  complaint_rate: 'percent',
  compliance_events: 'count',
  sku_breadth: 'count',
};
const directions: Record<string, MetricInfo['direction']> = {
  collection_rate: 'higher',
  sales_amount: 'higher',
  complaint_rate: 'lower',
  compliance_events: 'lower',
  sku_breadth: 'higher',
};

function kit(locale: Locale): TextKit {
  const fmt = { currency: 'CNY', minorUnits: 2, locale };
  return {
    t: (key, vars) => translate(locale, key, vars),
    format: {
      money: (minor) => formatMoney(minor, fmt),
      moneyShort: (minor) => formatMoneyShort(minor, fmt),
      number: (value, digits = 0) => formatNumber(value, locale, digits),
      percent: (ratio) => formatPercent(ratio, locale),
    },
    metric: (key) => ({
      key,
      name: names[locale][key] ?? key,
      unit: units[key] ?? null,
      direction: directions[key] ?? null,
    }),
    tierName: (code) => ({ strategic: '战略', core: '核心' })[code] ?? code,
    lowerNames: locale === 'en-US',
  };
}

const gap: TierGap = {
  tier: 'strategic',
  minScore: 70,
  pointsNeeded: 3.4,
  metrics: [
    { metric: 'collection_rate', from: 86.1, to: 90.3, exclusive: false },
    { metric: 'sales_amount', from: 120_000_00, to: 151_000_00, exclusive: true },
    { metric: 'complaint_rate', from: 4.2, to: 2.5, exclusive: false },
    { metric: 'sku_breadth', from: null, to: 12, exclusive: false },
    // Tied at the edge of the population: no change would do, so no sentence.
    { metric: 'complaint_rate', from: 0, to: 0, exclusive: true },
    // Rounded outward below zero for a lower-is-better metric: unreachable, no sentence.
    { metric: 'complaint_rate', from: 0, to: -0.1, exclusive: false },
  ],
  gates: [
    { metric: 'compliance_events', op: '=', value: 0, actual: 2 },
    { metric: 'collection_rate', op: '>=', value: 90, actual: null },
  ],
};

describe('gapSentences turns a TierGap into one sentence per route and per failed gate', () => {
  it('writes Chinese', () => {
    expect(gapSentences(gap, kit('zh-CN'))).toEqual({
      routes: [
        '将回款率从 86.1% 提高到 90.3%',
        '将销售额从 ¥12万 提高到 ¥15.1万 以上',
        '将客诉率从 4.2% 降低到 2.5%',
        'SKU 宽度（目前无数据）达到 12',
      ],
      gates: ['违规次数须为 0（目前 2）', '回款率须不低于 90.0%（目前无数据）'],
    });
  });

  it('writes English, with metric names in lower case inside a sentence but acronyms kept', () => {
    expect(gapSentences(gap, kit('en-US'))).toEqual({
      routes: [
        'Raise collection rate from 86.1% to 90.3%',
        'Raise sales from ¥120K to above ¥151K',
        'Lower complaint rate from 4.2% to 2.5%',
        'Bring SKU breadth (no data yet) to 12',
      ],
      gates: [
        'Compliance events must be 0 (now 2)',
        'Collection rate must be at least 90.0% (no data yet)',
      ],
    });
  });

  it('uses the direction of the metric when the dealer has no value', () => {
    const lower: TierGap = {
      ...gap,
      metrics: [{ metric: 'complaint_rate', from: null, to: 3, exclusive: true }],
      gates: [],
    };
    expect(gapSentences(lower, kit('zh-CN')).routes).toEqual(['客诉率（目前无数据）低于 3.0%']);
  });
});

describe('gate sentences', () => {
  it('reads every operator', () => {
    const k = kit('zh-CN');
    const ops = ['>=', '>', '<=', '<', '=', '!='] as const;
    expect(ops.map((op) => gateSentence({ metric: 'compliance_events', op, value: 1 }, k))).toEqual(
      [
        '违规次数须不低于 1',
        '违规次数须高于 1',
        '违规次数须不高于 1',
        '违规次数须低于 1',
        '违规次数须为 1',
        '违规次数不得为 1',
      ],
    );
  });

  it('reads a gate tree', () => {
    expect(
      gateText(
        {
          all: [
            { metric: 'compliance_events', op: '=', value: 0 },
            {
              any: [
                { metric: 'collection_rate', op: '>=', value: 90 },
                { metric: 'sales_amount', op: '>', value: 100_000_00 },
              ],
            },
          ],
        },
        kit('zh-CN'),
      ),
    ).toBe('全部满足：违规次数须为 0；(满足其一：回款率须不低于 90.0%；销售额须高于 ¥100,000.00)');
  });
});

describe('formatMetricValue', () => {
  const k = kit('zh-CN');
  it.each([
    [86.1, 'percent', false, '86.1%'],
    [123456, 'money', false, '¥1,234.56'],
    [12_345_678, 'money', true, '¥12.35万'],
    [12.345, 'days', false, '12.35'],
    [1234.56, 'count', false, '1,234.6'],
    [null, 'percent', false, '—'],
  ] as const)('%s %s is %s', (value, unit, short, expected) => {
    expect(formatMetricValue(value, unit, k.format, short)).toBe(expected);
  });
});

describe('tierMove', () => {
  const tiers: TierDefinition[] = [
    { code: 'a', name: 'A', color: '#000000' },
    { code: 'b', name: 'B', color: '#000000' },
  ];
  it('says up, down, same or new', () => {
    expect(tierMove(tiers, 'b', 'a')).toBe('up');
    expect(tierMove(tiers, 'a', 'b')).toBe('down');
    expect(tierMove(tiers, 'a', 'a')).toBe('same');
    expect(tierMove(tiers, null, 'a')).toBe('new');
  });
});
