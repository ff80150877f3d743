import type { Contribution, Migration, Standing, TierDefinition } from '@tierline/contract';
import { Empty } from 'antd';
import type { BarSeriesOption } from 'echarts/charts';
import { useMemo } from 'react';
import { EChart, type ChartOption } from '../charts/echart';
import { useI18n } from '../i18n/locale';
import { sankeyData } from './sankey';
import { standingHex } from './tier-tags';
import { formatMetricValue, type TextKit } from './tier-text';

const gridLine = { lineStyle: { type: 'dashed' as const, color: '#e8ebf0' } };

/** One row of a distribution: a label ("当前 2026-10", "预览") and dealers per tier. */
export interface DistributionRow {
  label: string;
  counts: Readonly<Record<string, number>>;
}

/**
 * Dealers per tier as horizontal stacked bars, one bar per row, in the tiers' colours (best
 * tier on the left), with the count on each segment and the share in the tooltip.
 */
export function DistributionChart({
  tiers,
  rows,
  testId,
  height,
}: {
  tiers: readonly TierDefinition[];
  rows: readonly DistributionRow[];
  testId?: string;
  height?: number;
}) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(() => {
    const totals = rows.map((r) => tiers.reduce((s, tier) => s + (r.counts[tier.code] ?? 0), 0));
    return {
      animationDuration: 300,
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, itemGap: 16, data: tiers.map((tier) => tier.name) },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (value) => (typeof value === 'number' ? String(value) : '—'),
      },
      xAxis: { type: 'value', splitLine: gridLine, max: 'dataMax' },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => r.label),
        axisTick: { show: false },
      },
      series: tiers.map((tier) => ({
        name: tier.name,
        type: 'bar',
        stack: 'tiers',
        barMaxWidth: 34,
        itemStyle: { color: tier.color },
        label: {
          show: true,
          color: '#fff',
          formatter: (p: { value: unknown; dataIndex: number }) => {
            const value = typeof p.value === 'number' ? p.value : 0;
            const total = totals[p.dataIndex] ?? 0;
            // Too narrow a segment gets no label (the tooltip has it).
            return total > 0 && value / total >= 0.06 ? String(value) : '';
          },
        },
        data: rows.map((r) => r.counts[tier.code] ?? 0),
      })),
    };
  }, [tiers, rows]);
  if (tiers.length === 0) return <Empty description={t('tier.noTiers')} />;
  return (
    <EChart
      option={option}
      height={height ?? 64 + rows.length * 46}
      testId={testId}
      ariaLabel={t('tier.distribution')}
    />
  );
}

/**
 * A score's parts: each metric's points as a horizontal bar over the most it could bring (its
 * weight × 100, or its cap), with the raw value, weight and normalised value in the tooltip.
 */
export function ScoreBreakdownChart({
  contributions,
  kit,
  testId,
}: {
  contributions: readonly Contribution[];
  kit: TextKit;
  testId?: string;
}) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(() => {
    const rows = [...contributions].sort((a, b) => b.points - a.points);
    const names = rows.map((c) => kit.metric(c.metric).name);
    const tooltipRow = (index: number): string => {
      const c = rows[index];
      if (c === undefined) return '';
      const info = kit.metric(c.metric);
      const lines = [
        `<b>${escapeHtml(info.name)}</b>`,
        `${t('tier.breakdown.value')}: ${formatMetricValue(c.value, info.unit, kit.format)}`,
        `${t('tier.breakdown.weight')}: ${kit.format.percent(c.weight)}`,
        `${t('tier.breakdown.normalised')}: ${c.normalised === null ? '—' : kit.format.number(c.normalised, 3)}`,
        `${t('tier.breakdown.points')}: ${kit.format.number(c.points, 2)} / ${kit.format.number(c.weight * 100, 1)}`,
      ];
      if (c.missing !== null) lines.push(t(`tier.breakdown.missing.${c.missing}`));
      if (c.capped) lines.push(t('tier.breakdown.capped'));
      return lines.join('<br/>');
    };
    return {
      animationDuration: 300,
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params: unknown) => {
          const first = Array.isArray(params) ? (params[0] as unknown) : params;
          const index =
            typeof first === 'object' && first !== null && 'dataIndex' in first
              ? Number(first.dataIndex)
              : 0;
          return tooltipRow(index);
        },
      },
      xAxis: { type: 'value', splitLine: gridLine },
      yAxis: {
        type: 'category',
        inverse: true,
        data: names,
        axisTick: { show: false },
      },
      series: [
        {
          name: t('tier.breakdown.max'),
          type: 'bar',
          barMaxWidth: 16,
          barGap: '-100%',
          silent: true,
          itemStyle: { color: '#eef1f6' },
          data: rows.map((c) => Number((c.weight * 100).toFixed(2))),
        },
        {
          name: t('tier.breakdown.points'),
          type: 'bar',
          barMaxWidth: 16,
          itemStyle: { color: '#1d4f91' },
          label: {
            show: true,
            position: 'right',
            color: '#595959',
            formatter: (p: { value: unknown }) =>
              typeof p.value === 'number' ? kit.format.number(p.value, 1) : '',
          },
          data: rows.map((c) => Number(c.points.toFixed(2))),
        },
      ],
    };
  }, [contributions, kit, t]);
  if (contributions.length === 0) return <Empty description={t('tier.breakdown.empty')} />;
  return (
    <EChart
      option={option}
      height={Math.max(160, 28 * contributions.length + 24)}
      testId={testId}
      ariaLabel={t('tier.breakdown.title')}
    />
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface HistoryPoint {
  period: string;
  tier: string;
  score: number;
  standing: Standing;
}

/**
 * A dealer's tier over the published periods as a step line (best tier on top, each point in
 * its tier's colour, at-risk points ringed), with the score as a thin line on its own axis.
 */
export function TierHistoryChart({
  tiers,
  history,
  testId,
}: {
  tiers: readonly TierDefinition[];
  history: readonly HistoryPoint[];
  testId?: string;
}) {
  const { t, locale } = useI18n();
  const option = useMemo<ChartOption>(() => {
    const bottomFirst = [...tiers].reverse();
    const colourOf = new Map(tiers.map((tier) => [tier.code, tier.color]));
    const nameOf = new Map(tiers.map((tier) => [tier.code, tier.name]));
    return {
      animationDuration: 300,
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, data: [t('tier.history.tier'), t('tier.history.score')] },
      tooltip: {
        trigger: 'axis',
        formatter: (params: unknown) => {
          const first = Array.isArray(params) ? (params[0] as unknown) : params;
          const index =
            typeof first === 'object' && first !== null && 'dataIndex' in first
              ? Number(first.dataIndex)
              : 0;
          const point = history[index];
          if (point === undefined) return '';
          return [
            `<b>${point.period}</b>`,
            `${t('tier.history.tier')}: ${nameOf.get(point.tier) ?? point.tier}`,
            `${t('tier.history.score')}: ${point.score.toFixed(1)}`,
            `${t('tier.standing')}: ${t(`standing.${point.standing}`)}`,
          ].join('<br/>');
        },
      },
      xAxis: { type: 'category', data: history.map((h) => h.period), boundaryGap: false },
      yAxis: [
        {
          type: 'category',
          data: bottomFirst.map((tier) => tier.name),
          boundaryGap: false,
          splitLine: { show: true, ...gridLine },
          axisLabel: { color: '#434343' },
        },
        {
          type: 'value',
          min: 0,
          max: 100,
          name: locale === 'zh-CN' ? '得分' : 'Score',
          splitLine: { show: false },
        },
      ],
      series: [
        {
          name: t('tier.history.tier'),
          type: 'line',
          step: 'middle',
          symbol: 'circle',
          symbolSize: 11,
          lineStyle: { width: 2, color: '#8c8c8c' },
          itemStyle: { color: '#8c8c8c' },
          data: history.map((h) => ({
            value: nameOf.get(h.tier) ?? h.tier,
            itemStyle: {
              color: colourOf.get(h.tier) ?? '#8c8c8c',
              borderColor: h.standing === 'good' ? '#fff' : standingHex[h.standing],
              borderWidth: h.standing === 'good' ? 1 : 3,
            },
          })),
        },
        {
          name: t('tier.history.score'),
          type: 'line',
          yAxisIndex: 1,
          symbol: 'none',
          smooth: true,
          lineStyle: { width: 1.5, type: 'dashed', color: '#2fa58a' },
          itemStyle: { color: '#2fa58a' },
          data: history.map((h) => Number(h.score.toFixed(2))),
        },
      ],
    };
  }, [tiers, history, t, locale]);
  if (history.length === 0) return <Empty description={t('tier.history.empty')} />;
  return (
    <EChart option={option} height={260} testId={testId} ariaLabel={t('tier.history.title')} />
  );
}

/** Dealers per tier in each simulated period (stacked bars) with upgrades and downgrades. */
export function PeriodCountsChart({
  tiers,
  periods,
  testId,
}: {
  tiers: readonly TierDefinition[];
  periods: readonly {
    period: string;
    counts: Readonly<Record<string, number>>;
    up: number;
    down: number;
  }[];
  testId?: string;
}) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(
    () => ({
      animationDuration: 300,
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, itemGap: 16 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: periods.map((p) => p.period) },
      yAxis: [
        { type: 'value', splitLine: gridLine },
        { type: 'value', splitLine: { show: false } },
      ],
      series: [
        ...tiers.map((tier): BarSeriesOption => ({
          name: tier.name,
          type: 'bar',
          stack: 'tiers',
          barMaxWidth: 36,
          itemStyle: { color: tier.color },
          data: periods.map((p) => p.counts[tier.code] ?? 0),
        })),
        {
          name: t('backtest.up'),
          type: 'line',
          yAxisIndex: 1,
          symbol: 'circle',
          symbolSize: 5,
          itemStyle: { color: '#389e0d' },
          data: periods.map((p) => p.up),
        },
        {
          name: t('backtest.down'),
          type: 'line',
          yAxisIndex: 1,
          symbol: 'circle',
          symbolSize: 5,
          itemStyle: { color: '#cf1322' },
          data: periods.map((p) => p.down),
        },
      ],
    }),
    [tiers, periods, t],
  );
  return (
    <EChart option={option} height={320} testId={testId} ariaLabel={t('backtest.perPeriod')} />
  );
}

/**
 * Migrations between two published periods as a Sankey: one node per tier and side, named with
 * the period ("核心 (2025-03)" → "核心 (2025-06)"), in the tiers' colours.
 */
export function MigrationSankey({ migration, testId }: { migration: Migration; testId?: string }) {
  const { t } = useI18n();
  const data = useMemo(
    () =>
      sankeyData(migration.tiers, migration.matrix, migration.from, migration.to, {
        node: (name, period) => `${name} (${period})`,
        entered: t('migration.entered'),
        left: t('migration.left'),
      }),
    [migration, t],
  );
  const option = useMemo<ChartOption>(
    () => ({
      animationDuration: 300,
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'sankey',
          left: 120,
          right: 120,
          top: 12,
          bottom: 12,
          nodeWidth: 16,
          nodeGap: 12,
          // Keep the nodes in the tiers' order, best on top.
          layoutIterations: 0,
          emphasis: { focus: 'adjacency' },
          lineStyle: { color: 'gradient', opacity: 0.35, curveness: 0.5 },
          label: { color: '#262626', fontSize: 12 },
          // Labels outside the flows: the "from" side on the left, the "to" side on the right.
          data: data.nodes.map((node) => ({
            ...node,
            label: { position: node.depth === 0 ? ('left' as const) : ('right' as const) },
          })),
          links: data.links,
        },
      ],
    }),
    [data],
  );
  if (data.links.length === 0) return <Empty description={t('migration.empty')} />;
  return <EChart option={option} height={380} testId={testId} ariaLabel={t('migration.title')} />;
}
