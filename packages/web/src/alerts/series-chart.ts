import type { AlertDetail } from '@tierline/contract';
import type { ChartOption } from '../charts/echart';

type SeriesMonth = AlertDetail['series'][number];

export interface SeriesChartText {
  sales: string;
  target: string;
  quantity: string;
  money: (minor: number) => string;
  moneyShort: (minor: number) => string;
  number: (value: number) => string;
}

/**
 * The dealer's monthly series as a chart: sales as bars, the target as a dashed line (gaps
 * where a month has none) and the quantity as a line on a second axis. The evidence months
 * are marked by a stronger bar colour, so the reader sees which months made the rule hold.
 */
export function seriesChartOption(
  series: readonly SeriesMonth[],
  evidenceMonths: readonly string[],
  text: SeriesChartText,
  colours: { sales: string; evidence: string; target: string; quantity: string },
): ChartOption {
  const marked = new Set(evidenceMonths);
  const hasTarget = series.some((m) => m.target !== null);
  return {
    color: [colours.sales, colours.target, colours.quantity],
    animationDuration: 400,
    grid: { left: 16, right: 24, top: 44, bottom: 24, containLabel: true },
    legend: { top: 4, itemGap: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: series.map((m) => m.month),
      axisTick: { alignWithLabel: true },
    },
    yAxis: [
      {
        type: 'value',
        axisLabel: { formatter: (value: number) => text.moneyShort(value) },
        splitLine: { lineStyle: { type: 'dashed', color: '#e8ebf0' } },
      },
      {
        type: 'value',
        axisLabel: { formatter: (value: number) => text.number(value) },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: text.sales,
        type: 'bar',
        barMaxWidth: 18,
        tooltip: { valueFormatter: (v) => (typeof v === 'number' ? text.money(v) : '—') },
        data: series.map((m) => ({
          value: m.sales,
          itemStyle: { color: marked.has(m.month) ? colours.evidence : colours.sales },
        })),
      },
      ...(hasTarget
        ? [
            {
              name: text.target,
              type: 'line' as const,
              symbol: 'circle',
              symbolSize: 5,
              lineStyle: { type: 'dashed' as const, width: 2 },
              connectNulls: false,
              tooltip: {
                valueFormatter: (v: unknown) => (typeof v === 'number' ? text.money(v) : '—'),
              },
              data: series.map((m) => m.target),
            },
          ]
        : []),
      {
        name: text.quantity,
        type: 'line',
        yAxisIndex: 1,
        symbol: 'none',
        smooth: true,
        lineStyle: { width: 1.5 },
        tooltip: { valueFormatter: (v) => (typeof v === 'number' ? text.number(v) : '—') },
        data: series.map((m) => m.quantity),
      },
    ],
  };
}
