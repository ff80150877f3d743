import { describe, expect, it } from 'vitest';
import { seriesChartOption, type SeriesChartText } from './series-chart';

const text: SeriesChartText = {
  sales: 'Sales',
  target: 'Target',
  quantity: 'Quantity',
  money: (v) => `¥${v / 100}`,
  moneyShort: (v) => `${v / 100}`,
  number: (v) => String(v),
};
const colours = { sales: 'blue', evidence: 'red', target: 'orange', quantity: 'green' };

describe('series chart option', () => {
  const series = [
    { month: '2026-08', sales: 1000, quantity: 10, target: 1200 },
    { month: '2026-09', sales: 500, quantity: 5, target: null },
    { month: '2026-10', sales: 400, quantity: 4, target: 1200 },
  ];

  it('marks the evidence months and leaves a gap where a month has no target', () => {
    const option = seriesChartOption(series, ['2026-09', '2026-10'], text, colours);
    const drawn = option.series as { name: string; data: unknown[] }[];
    expect(drawn.map((s) => s.name)).toEqual(['Sales', 'Target', 'Quantity']);
    expect(drawn[0]?.data).toEqual([
      { value: 1000, itemStyle: { color: 'blue' } },
      { value: 500, itemStyle: { color: 'red' } },
      { value: 400, itemStyle: { color: 'red' } },
    ]);
    expect(drawn[1]?.data).toEqual([1200, null, 1200]);
    expect(drawn[2]?.data).toEqual([10, 5, 4]);
  });

  it('draws no target line for a dealer without targets', () => {
    const option = seriesChartOption(
      series.map((m) => ({ ...m, target: null })),
      [],
      text,
      colours,
    );
    expect((option.series as { name: string }[]).map((s) => s.name)).toEqual(['Sales', 'Quantity']);
  });
});
