import type { ResourceRoi, RoiFigures, TierDefinition } from '@tierline/contract';
import { Card, Col, Empty, Flex, Input, Row, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { EChart, type ChartOption } from '../charts/echart';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { isPeriodKey } from '../tiering/periods';
import { TierTag } from '../tiering/tier-tags';
import { useRoi } from './allocation-api';
import { roiRange } from './roi-range';

type Row = RoiFigures & { key: string; period: string; tier: string | null; children?: Row[] };

/**
 * Resource ROI (资源投入回报, PRODUCT §4): per published allocation period, what the dealers
 * received (every purpose), their sales against the equally long period before, the lift and
 * the lift per unit of resources, by tier and in total, period over period; and the dealers
 * that received the most. Only the dealers the caller sees count.
 */
export function RoiPanel({ around, tiers }: { around: string; tiers: readonly TierDefinition[] }) {
  const { t } = useI18n();
  const format = useFormat();
  const initial = roiRange(around);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const valid = isPeriodKey(from) && isPeriodKey(to);
  const roi = useRoi(valid ? { from, to, limit: 20 } : null);
  const data = roi.data;
  const scheme = data?.tiers.length ? data.tiers : tiers;

  const rows = useMemo<Row[]>(
    () =>
      (data?.periods ?? []).map((p) => ({
        key: p.period,
        period: p.period,
        tier: null,
        ...p.total,
        children: p.tiers.map((x) => ({ ...x, key: `${p.period}.${x.tier}`, period: p.period })),
      })),
    [data],
  );
  const ratio = (v: number | null) =>
    v === null ? <Typography.Text type="secondary">—</Typography.Text> : format.number(v, 3);
  const columns: TableColumnsType<Row> = [
    {
      title: t('roi.col.period'),
      key: 'period',
      render: (_: unknown, r) =>
        r.tier === null ? (
          <Typography.Text strong>{r.period}</Typography.Text>
        ) : (
          <TierTag tiers={scheme} code={r.tier} />
        ),
    },
    {
      title: t('allocations.col.dealers'),
      dataIndex: 'dealerCount',
      key: 'dealers',
      align: 'right',
      render: (n: number) => format.number(n),
    },
    {
      title: t('roi.col.resources'),
      dataIndex: 'resources',
      key: 'resources',
      align: 'right',
      render: (n: number) => <span className="tl-num">{format.moneyShort(n)}</span>,
    },
    {
      title: t('roi.col.sales'),
      dataIndex: 'sales',
      key: 'sales',
      align: 'right',
      render: (n: number) => <span className="tl-num">{format.moneyShort(n)}</span>,
    },
    {
      title: t('roi.col.previous'),
      dataIndex: 'previousSales',
      key: 'previous',
      align: 'right',
      render: (n: number) => <span className="tl-num">{format.moneyShort(n)}</span>,
    },
    {
      title: t('roi.col.lift'),
      dataIndex: 'lift',
      key: 'lift',
      align: 'right',
      render: (n: number) => (
        <span className="tl-num" style={{ color: n < 0 ? '#cf1322' : undefined }}>
          {format.moneyShort(n)}
        </span>
      ),
    },
    {
      title: t('roi.col.roi'),
      dataIndex: 'roi',
      key: 'roi',
      align: 'right',
      render: (v: number | null) => <span className="tl-num">{ratio(v)}</span>,
    },
    {
      title: t('roi.col.change'),
      dataIndex: 'roiChange',
      key: 'change',
      align: 'right',
      render: (v: number | null) =>
        v === null ? (
          '—'
        ) : (
          <span
            className="tl-num"
            style={{ color: v > 0 ? '#389e0d' : v < 0 ? '#cf1322' : undefined }}
          >
            {v > 0 ? '+' : ''}
            {format.number(v, 3)}
          </span>
        ),
    },
  ];

  return (
    <Row gutter={[16, 16]} data-testid="roi-panel">
      <Col span={24}>
        <Card
          variant="borderless"
          title={t('roi.title')}
          extra={
            <Space>
              <Input
                size="small"
                style={{ width: 100 }}
                status={isPeriodKey(from) ? undefined : 'error'}
                value={from}
                data-testid="roi-from"
                onChange={(e) => setFrom(e.target.value.trim())}
              />
              <span>—</span>
              <Input
                size="small"
                style={{ width: 100 }}
                status={isPeriodKey(to) ? undefined : 'error'}
                value={to}
                data-testid="roi-to"
                onChange={(e) => setTo(e.target.value.trim())}
              />
            </Space>
          }
        >
          <Typography.Paragraph type="secondary">{t('roi.hint')}</Typography.Paragraph>
          {roi.error !== null ? (
            <QueryError error={roi.error} onRetry={() => void roi.refetch()} />
          ) : data !== undefined && data.periods.length === 0 ? (
            <Empty description={t('roi.empty')} />
          ) : (
            <>
              {data === undefined ? null : <RoiChart roi={data} tiers={scheme} />}
              <Table<Row>
                style={{ marginTop: 12 }}
                size="small"
                data-testid="roi-table"
                loading={roi.isFetching}
                pagination={false}
                columns={columns}
                dataSource={rows}
                expandable={{ defaultExpandAllRows: false }}
                scroll={{ x: 900 }}
              />
            </>
          )}
        </Card>
      </Col>
      {data === undefined || data.dealers.length === 0 ? null : (
        <Col span={24}>
          <Card
            variant="borderless"
            title={t('roi.dealers', { n: data.dealers.length, total: data.dealerCount })}
          >
            <Table
              size="small"
              rowKey={(d) => d.dealer.id}
              pagination={false}
              data-testid="roi-dealers"
              dataSource={data.dealers}
              columns={[
                {
                  title: t('allocation.col.dealer'),
                  key: 'dealer',
                  render: (_: unknown, d) => (
                    <Flex vertical gap={0}>
                      <span>{d.dealer.name}</span>
                      <span className="tl-code">{d.dealer.code}</span>
                    </Flex>
                  ),
                },
                {
                  title: t('allocations.col.tier'),
                  key: 'tier',
                  render: (_: unknown, d) => <TierTag tiers={scheme} code={d.tier} />,
                },
                {
                  title: t('roi.col.resources'),
                  dataIndex: 'resources',
                  key: 'resources',
                  align: 'right',
                  render: (n: number) => <span className="tl-num">{format.money(n)}</span>,
                },
                {
                  title: t('roi.col.lift'),
                  dataIndex: 'lift',
                  key: 'lift',
                  align: 'right',
                  render: (n: number) => <span className="tl-num">{format.money(n)}</span>,
                },
                {
                  title: t('roi.col.roi'),
                  dataIndex: 'roi',
                  key: 'roi',
                  align: 'right',
                  render: (v: number | null) => <span className="tl-num">{ratio(v)}</span>,
                },
              ]}
            />
          </Card>
        </Col>
      )}
    </Row>
  );
}

/** ROI per tier over the periods, as lines in the tiers' colours. */
function RoiChart({ roi, tiers }: { roi: ResourceRoi; tiers: readonly TierDefinition[] }) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(() => {
    const periods = roi.periods.map((p) => p.period);
    return {
      animationDuration: 300,
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(3) : '—'),
      },
      xAxis: { type: 'category', data: periods },
      yAxis: { type: 'value', splitLine: { lineStyle: { type: 'dashed', color: '#e8ebf0' } } },
      series: [
        ...tiers.map((tier) => ({
          name: tier.name,
          type: 'line' as const,
          itemStyle: { color: tier.color },
          data: roi.periods.map((p) => p.tiers.find((x) => x.tier === tier.code)?.roi ?? null),
        })),
        {
          name: t('allocations.total'),
          type: 'line' as const,
          lineStyle: { type: 'dashed' as const },
          itemStyle: { color: '#595959' },
          data: roi.periods.map((p) => p.total.roi),
        },
      ],
    };
  }, [roi, tiers, t]);
  return <EChart option={option} height={260} testId="roi-chart" ariaLabel={t('roi.title')} />;
}
