import type { DealerMonth } from '@tierline/contract';
import { Empty } from 'antd';
import { useMemo } from 'react';
import { EChart, type ChartOption } from '../charts/echart';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { brand } from '../layout/theme';

/** Monthly sales and payments (bars) against the target (dashed line), all months given. */
export function SalesChart({ months }: { months: readonly DealerMonth[] }) {
  const { t } = useI18n();
  const format = useFormat();

  const option = useMemo<ChartOption>(() => {
    const axis = months.map((m) => m.month);
    return {
      color: [brand.sales, brand.payments, brand.target],
      animationDuration: 400,
      grid: { left: 16, right: 24, top: 44, bottom: 56 },
      legend: { top: 4, itemGap: 24 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (value) => (typeof value === 'number' ? format.money(value) : '—'),
      },
      xAxis: {
        type: 'category',
        data: axis,
        axisTick: { alignWithLabel: true },
      },
      yAxis: {
        type: 'value',
        axisLabel: { formatter: (value: number) => format.moneyShort(value) },
        splitLine: { lineStyle: { type: 'dashed', color: '#e8ebf0' } },
      },
      dataZoom: [
        // All months at first (36 fit well); the wheel or the slider zooms in.
        { type: 'inside', start: 0, end: 100 },
        { type: 'slider', start: 0, end: 100, height: 18, bottom: 10 },
      ],
      series: [
        {
          name: t('dealer.chart.sales'),
          type: 'bar',
          barMaxWidth: 16,
          barGap: '15%',
          data: months.map((m) => m.salesAmount),
        },
        {
          name: t('dealer.chart.payments'),
          type: 'bar',
          barMaxWidth: 16,
          data: months.map((m) => m.paymentAmount),
        },
        {
          name: t('dealer.chart.target'),
          type: 'line',
          symbol: 'circle',
          symbolSize: 5,
          lineStyle: { type: 'dashed', width: 2 },
          connectNulls: false,
          data: months.map((m) => m.targetAmount),
        },
      ],
    };
  }, [months, t, format]);

  if (months.length === 0) {
    return <Empty description={t('dealer.chart.empty')} />;
  }
  return (
    <EChart
      option={option}
      height={360}
      testId="dealer-sales-chart"
      ariaLabel={t('dealer.chart.title')}
    />
  );
}
