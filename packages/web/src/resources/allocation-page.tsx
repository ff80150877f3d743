import {
  DeleteOutlined,
  DownloadOutlined,
  LeftOutlined,
  RightOutlined,
  SearchOutlined,
  SendOutlined,
} from '@ant-design/icons';
import type {
  AllocationDealerLine,
  AllocationDetail,
  AllocationTierTotal,
  TierDefinition,
} from '@tierline/contract';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Flex,
  Input,
  Popconfirm,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { EChart, type ChartOption } from '../charts/echart';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { LinkButton, QueryError } from '../layout/page';
import { useCan } from '../tiering/tier-api';
import { TierChange, TierTag } from '../tiering/tier-tags';
import {
  allocationExportUrl,
  useAllocation,
  useAllocationAction,
  useAllocationLines,
  type AllocationAction,
} from './allocation-api';
import { AllocationStatusTag, PurposeTag } from './allocation-tags';
import { RoiPanel } from './roi-panel';

const pageSize = 50;

/** One budget allocation: tier totals, notes, what changed, the dealers' lines, and ROI. */
export default function AllocationPage() {
  const { t } = useI18n();
  const { id: rawId = '' } = useParams();
  const id = /^\d{1,15}$/.test(rawId) ? Number(rawId) : 0;
  const allocation = useAllocation(id);
  if (id === 0 || (allocation.error instanceof ApiError && allocation.error.isNotFound)) {
    return (
      <Card variant="borderless" data-testid="allocation-not-found">
        <Result
          status="404"
          title={t('allocation.notFound')}
          extra={
            <LinkButton to="/resources/allocations" type="primary">
              {t('allocations.title')}
            </LinkButton>
          }
        />
      </Card>
    );
  }
  if (allocation.error !== null) {
    return <QueryError error={allocation.error} onRetry={() => void allocation.refetch()} />;
  }
  if (allocation.data === undefined) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  }
  return <AllocationView a={allocation.data} />;
}

function AllocationView({ a }: { a: AllocationDetail }) {
  const { t } = useI18n();
  const format = useFormat();
  const tiers = a.tierDefinitions;
  return (
    <div data-testid="allocation-page" data-status={a.status}>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <Link to="/resources/allocations">{t('allocations.title')}</Link> },
          { title: `${a.period} · ${a.name || t('allocations.unnamed', { id: a.id })}` },
        ]}
      />
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Flex justify="space-between" align="flex-start" wrap gap={16}>
          <div>
            <Space size={12} align="center" wrap>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="allocation-title">
                {a.name || t('allocation.title', { period: a.period })}
              </Typography.Title>
              <PurposeTag purpose={a.purpose} />
              <AllocationStatusTag status={a.status} />
            </Space>
            <div style={{ marginTop: 6 }}>
              <Typography.Text type="secondary">
                {t('allocation.subtitle', {
                  period: a.period,
                  from: a.periodFrom,
                  to: a.periodTo,
                  run: a.run.period,
                  policy: `${a.run.policy.name} v${a.run.policy.version}`,
                })}
              </Typography.Text>
            </div>
          </div>
          <Actions a={a} />
        </Flex>
        <Row gutter={16} style={{ marginTop: 16 }}>
          <Col xs={12} md={6}>
            <Statistic title={t('allocations.col.pool')} value={format.money(a.pool)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t(a.tiers === null ? 'allocation.visibleAmount' : 'allocations.col.allocated')}
              value={format.money(a.tiers === null ? a.visibleAmount : a.allocated)}
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('allocation.unallocated')} value={format.money(a.unallocated)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={
                a.claimDeadline === null
                  ? t('allocations.col.dealers')
                  : t('allocations.claimDeadline')
              }
              value={a.claimDeadline ?? format.number(a.dealerCount)}
            />
          </Col>
        </Row>
      </Card>
      <Tabs
        data-testid="allocation-tabs"
        items={[
          {
            key: 'allocation',
            label: t('allocation.tab.allocation'),
            children: (
              <Row gutter={[16, 16]}>
                {a.tiers === null ? (
                  <Col span={24}>
                    <Alert type="info" showIcon title={t('allocation.scoped')} />
                  </Col>
                ) : (
                  <>
                    <Col xs={24} xl={15}>
                      <TierTotals a={a} tiers={a.tiers} />
                    </Col>
                    <Col xs={24} xl={9}>
                      <Card
                        variant="borderless"
                        title={t('allocation.chart')}
                        style={{ height: '100%' }}
                      >
                        <TierChart a={a} tiers={a.tiers} definitions={tiers} />
                      </Card>
                    </Col>
                  </>
                )}
                <Col span={24}>
                  <Changes a={a} />
                </Col>
                <Col span={24}>
                  <Lines a={a} />
                </Col>
              </Row>
            ),
          },
          {
            key: 'roi',
            label: t('roi.tab'),
            children: <RoiPanel around={a.period} tiers={tiers} />,
          },
        ]}
      />
    </div>
  );
}

/** Publish or discard a draft (admins), with confirmation; export for everyone who may read. */
function Actions({ a }: { a: AllocationDetail }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const action = useAllocationAction(a.id);
  const [last, setLast] = useState<AllocationAction | null>(null);
  function act(next: AllocationAction) {
    setLast(next);
    action.mutate(next, {
      onSuccess: () => void message.success(t(`allocation.done.${next}`, { period: a.period })),
    });
  }
  const draft = a.status === 'draft' && can('resources:manage');
  return (
    <Flex vertical align="flex-end" gap={8}>
      <Space wrap>
        {draft ? (
          <Popconfirm
            title={t('allocation.discard.confirm')}
            okText={t('allocation.discard')}
            okButtonProps={{ danger: true, 'data-testid': 'allocation-discard-confirm' }}
            cancelText={t('app.cancel')}
            onConfirm={() => act('discard')}
          >
            <Button
              danger
              icon={<DeleteOutlined />}
              loading={action.isPending && last === 'discard'}
              data-testid="allocation-discard"
            >
              {t('allocation.discard')}
            </Button>
          </Popconfirm>
        ) : null}
        {draft ? (
          <Popconfirm
            title={t('allocation.publish.confirm')}
            description={
              <div style={{ maxWidth: 320 }}>
                {t(
                  a.purpose === 'market_fund'
                    ? 'allocation.publish.textFunds'
                    : 'allocation.publish.text',
                )}
              </div>
            }
            okText={t('allocation.publish')}
            okButtonProps={{ 'data-testid': 'allocation-publish-confirm' }}
            cancelText={t('app.cancel')}
            onConfirm={() => act('publish')}
          >
            <Button
              type="primary"
              icon={<SendOutlined />}
              loading={action.isPending && last === 'publish'}
              data-testid="allocation-publish"
            >
              {t('allocation.publish')}
            </Button>
          </Popconfirm>
        ) : null}
        <Button
          icon={<DownloadOutlined />}
          href={allocationExportUrl(a.id, 'xlsx')}
          download
          data-testid="allocation-export-xlsx"
        >
          {t('allocation.export')}
        </Button>
      </Space>
      {action.error === null ? null : (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => action.reset() }}
          data-testid="allocation-action-error"
          title={t(last === 'discard' ? 'allocation.failed.discard' : 'allocation.failed.publish')}
          description={action.error.message}
          style={{ maxWidth: 560 }}
        />
      )}
    </Flex>
  );
}

interface TierRow extends AllocationTierTotal {
  previousAmount: number | null;
  delta: number | null;
}

function TierTotals({ a, tiers }: { a: AllocationDetail; tiers: AllocationTierTotal[] }) {
  const { t } = useI18n();
  const format = useFormat();
  const previous = new Map((a.comparison.tiers ?? []).map((c) => [c.tier, c]));
  const rows: TierRow[] = tiers.map((tier) => {
    const p = a.comparison.previous === null ? undefined : previous.get(tier.tier);
    return {
      ...tier,
      previousAmount: p?.previousAmount ?? null,
      delta: p === undefined ? null : tier.amount - p.previousAmount,
    };
  });
  const share = (v: number) =>
    a.method.shareUnit === 'percent' ? `${v}%` : `${Number((v / 100).toFixed(2))}%`;
  const columns: TableColumnsType<TierRow> = [
    {
      title: t('allocations.col.tier'),
      key: 'tier',
      render: (_: unknown, r) => <TierTag tiers={a.tierDefinitions} code={r.tier} />,
    },
    {
      title: t('allocations.col.share'),
      key: 'share',
      align: 'right',
      render: (_: unknown, r) => <span className="tl-num">{share(r.share)}</span>,
    },
    {
      title: t('allocations.col.rule'),
      key: 'rule',
      render: (_: unknown, r) => (
        <Tooltip title={r.fallback ?? undefined}>
          <span>
            {t(`allocations.rule.${r.effectiveRule}`)}
            {r.fallback === null ? null : (
              <Tag style={{ marginLeft: 4 }}>{t('allocation.fallback')}</Tag>
            )}
          </span>
        </Tooltip>
      ),
    },
    {
      title: t('allocations.col.dealers'),
      dataIndex: 'dealerCount',
      key: 'dealers',
      align: 'right',
      render: (n: number) => <span className="tl-num">{format.number(n)}</span>,
    },
    {
      title: t('allocations.col.carried'),
      dataIndex: 'carried',
      key: 'carried',
      align: 'right',
      render: (n: number) => (n === 0 ? '—' : <span className="tl-num">{format.money(n)}</span>),
    },
    {
      title: t('allocations.col.amount'),
      dataIndex: 'amount',
      key: 'amount',
      align: 'right',
      render: (n: number) => <span className="tl-num">{format.money(n)}</span>,
    },
    {
      title: t('allocation.col.previous'),
      dataIndex: 'previousAmount',
      key: 'previous',
      align: 'right',
      render: (n: number | null) =>
        n === null ? '—' : <span className="tl-num">{format.money(n)}</span>,
    },
    {
      title: t('allocation.col.delta'),
      dataIndex: 'delta',
      key: 'delta',
      align: 'right',
      render: (n: number | null) => <Delta value={n} />,
    },
  ];
  return (
    <Card variant="borderless" title={t('allocation.tiers')} style={{ height: '100%' }}>
      <Table<TierRow>
        rowKey="tier"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={rows}
        data-testid="allocation-tier-table"
        scroll={{ x: 640 }}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={5}>
              {t('allocations.total')}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={5} align="right">
              <span className="tl-num" data-testid="allocation-total">
                {format.money(a.allocated)}
              </span>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={6} align="right">
              {a.comparison.previous === null ? '—' : format.money(a.comparison.previous.allocated)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={7} align="right">
              <Delta
                value={
                  a.comparison.previous === null
                    ? null
                    : a.allocated - a.comparison.previous.allocated
                }
              />
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      {a.notes.length === 0 ? null : (
        <Alert
          style={{ marginTop: 12 }}
          type="info"
          showIcon
          data-testid="allocation-notes"
          title={t('allocations.notes')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {a.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          }
        />
      )}
    </Card>
  );
}

function Delta({ value }: { value: number | null }) {
  const format = useFormat();
  if (value === null) return <Typography.Text type="secondary">—</Typography.Text>;
  if (value === 0) return <span className="tl-num">0</span>;
  return (
    <span className="tl-num" style={{ color: value > 0 ? '#389e0d' : '#cf1322' }}>
      {value > 0 ? '+' : ''}
      {format.money(value)}
    </span>
  );
}

/** Tier amounts now and in the previous allocation, as bars in the tiers' colours. */
function TierChart({
  a,
  tiers,
  definitions,
}: {
  a: AllocationDetail;
  tiers: AllocationTierTotal[];
  definitions: readonly TierDefinition[];
}) {
  const { t } = useI18n();
  const format = useFormat();
  const option = useMemo<ChartOption>(() => {
    const name = (code: string) => definitions.find((d) => d.code === code)?.name ?? code;
    const color = (code: string) => definitions.find((d) => d.code === code)?.color ?? '#1677ff';
    const previous = new Map((a.comparison.tiers ?? []).map((c) => [c.tier, c.previousAmount]));
    const series: ChartOption['series'] = [
      {
        name: a.period,
        type: 'bar',
        barMaxWidth: 36,
        data: tiers.map((x) => ({ value: x.amount, itemStyle: { color: color(x.tier) } })),
        label: {
          show: true,
          position: 'top',
          formatter: (p: { value: unknown }) =>
            typeof p.value === 'number' ? format.moneyShort(p.value) : '',
        },
      },
    ];
    if (a.comparison.previous !== null) {
      series.push({
        name: a.comparison.previous.period,
        type: 'bar',
        barMaxWidth: 36,
        itemStyle: { color: '#d9d9d9' },
        data: tiers.map((x) => previous.get(x.tier) ?? 0),
      });
    }
    return {
      animationDuration: 300,
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v) => (typeof v === 'number' ? format.money(v) : '—'),
      },
      xAxis: { type: 'category', data: tiers.map((x) => name(x.tier)), axisTick: { show: false } },
      yAxis: {
        type: 'value',
        axisLabel: { formatter: (v: number) => format.moneyShort(v) },
        splitLine: { lineStyle: { type: 'dashed', color: '#e8ebf0' } },
      },
      series,
    };
  }, [a, tiers, definitions, format]);
  return (
    <EChart
      option={option}
      height={300}
      testId="allocation-chart"
      ariaLabel={t('allocation.chart')}
    />
  );
}

/** What changed since the previous published allocation of the purpose. */
function Changes({ a }: { a: AllocationDetail }) {
  const { t } = useI18n();
  const format = useFormat();
  const c = a.comparison;
  return (
    <Card variant="borderless" title={t('allocation.changes')} data-testid="allocation-changes">
      {c.previous === null ? (
        <Typography.Text type="secondary">{t('allocation.changes.first')}</Typography.Text>
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text>
            {t('allocation.changes.since', { period: c.previous.period })}{' '}
            <Link to={`/resources/allocations/${c.previous.id}`}>#{c.previous.id}</Link>
          </Typography.Text>
          <Space size={8} wrap>
            <Tag color="blue">{t('allocation.changes.new', { n: c.newDealers })}</Tag>
            <Tag color="orange">{t('allocation.changes.gone', { n: c.goneDealers })}</Tag>
            <Tag color="purple">{t('allocation.changes.tier', { n: c.tierChanges })}</Tag>
          </Space>
          {c.gone.length === 0 ? null : (
            <Typography.Text type="secondary" data-testid="allocation-gone">
              {t('allocation.changes.goneList')}{' '}
              {c.gone
                .slice(0, 20)
                .map((g) => `${g.dealer.name}（${format.money(g.previousAmount)}）`)
                .join('、')}
            </Typography.Text>
          )}
        </Flex>
      )}
    </Card>
  );
}

/** The dealers' lines, a page at a time, with search, tier filter and the change from before. */
function Lines({ a }: { a: AllocationDetail }) {
  const { t } = useI18n();
  const format = useFormat();
  const can = useCan();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [tier, setTier] = useState<string | undefined>(undefined);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const params = useMemo(() => ({ q, tier, limit: pageSize, cursor }), [q, tier, cursor]);
  const page = useAllocationLines(a.id, params);
  useEffect(() => {
    const next = text.trim();
    if (next === q) return;
    const timer = window.setTimeout(() => {
      setQ(next);
      setCursors([]);
    }, 300);
    return () => window.clearTimeout(timer);
  }, [text, q]);
  const data = page.data;
  const pageCount = data === undefined ? 0 : Math.max(1, Math.ceil(data.total / pageSize));
  const tiers = a.tierDefinitions;
  /** What the rule weighed: the reference sales, the target, the score. */
  const basisText = (l: AllocationDealerLine): string => {
    switch (l.rule) {
      case 'sales':
        return t('allocation.basis.sales', { amount: format.money(l.sales ?? 0) });
      case 'target':
        return t('allocation.basis.target', { amount: format.money(l.target ?? 0) });
      case 'score':
        return t('allocation.basis.score', { score: format.number(l.score ?? 0, 1) });
      case 'equal':
        return '';
    }
  };

  const columns: TableColumnsType<AllocationDealerLine> = [
    {
      title: t('allocation.col.dealer'),
      key: 'dealer',
      fixed: 'left',
      width: 190,
      render: (_: unknown, l) => (
        <Flex vertical gap={0}>
          {can('dealers:read') ? (
            <Link to={`/dealers/${l.dealer.id}`} data-testid="allocation-line-dealer">
              {l.dealer.name}
            </Link>
          ) : (
            <Typography.Text strong>{l.dealer.name}</Typography.Text>
          )}
          <Space size={6}>
            <span className="tl-code">{l.dealer.code}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {l.region}
            </Typography.Text>
          </Space>
        </Flex>
      ),
    },
    {
      title: t('allocations.col.tier'),
      key: 'tier',
      width: 130,
      render: (_: unknown, l) =>
        a.comparison.previous === null ? (
          <TierTag tiers={tiers} code={l.tier} />
        ) : (
          <TierChange tiers={tiers} from={l.previousTier} to={l.tier} />
        ),
    },
    {
      title: t('allocations.col.rule'),
      key: 'rule',
      width: 140,
      render: (_: unknown, l) => (
        <Flex vertical gap={0}>
          <span>{t(`allocations.rule.${l.rule}`)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} className="tl-num">
            {basisText(l)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('allocation.col.adjustments'),
      key: 'adjustments',
      width: 130,
      render: (_: unknown, l) =>
        l.adjustments.length === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Space size={4} wrap>
            {l.adjustments.map((x) => (
              <Tooltip key={x.reason} title={x.detail}>
                <Tag color={x.reason === 'probation' ? 'gold' : 'volcano'} data-reason={x.reason}>
                  {t(`allocation.adjustment.${x.reason}`)} ×{x.factor}
                </Tag>
              </Tooltip>
            ))}
          </Space>
        ),
    },
    {
      title: t('allocation.col.bounds'),
      key: 'bounds',
      width: 120,
      render: (_: unknown, l) =>
        l.floor === 0 && l.cap === null ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Typography.Text type="secondary" className="tl-num" style={{ fontSize: 12 }}>
            {l.floor > 0 ? `≥ ${format.money(l.floor)}` : ''}{' '}
            {l.cap !== null ? `≤ ${format.money(l.cap)}` : ''}
          </Typography.Text>
        ),
    },
    {
      title: t('allocations.col.amount'),
      key: 'amount',
      align: 'right',
      width: 150,
      render: (_: unknown, l) => (
        <Space size={4}>
          {l.capped ? <Tag color="orange">{t('allocation.capped')}</Tag> : null}
          {l.floored ? <Tag color="cyan">{t('allocation.floored')}</Tag> : null}
          <Typography.Text strong className="tl-num">
            {format.money(l.amount)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('allocation.col.previous'),
      dataIndex: 'previousAmount',
      key: 'previous',
      align: 'right',
      width: 120,
      render: (n: number | null) =>
        n === null ? (
          <Tag color="blue">{t('allocation.new')}</Tag>
        ) : (
          <span className="tl-num">{format.money(n)}</span>
        ),
    },
    {
      title: t('allocation.col.delta'),
      dataIndex: 'delta',
      key: 'delta',
      align: 'right',
      width: 120,
      render: (n: number, l) => <Delta value={l.previousAmount === null ? null : n} />,
    },
  ];

  return (
    <Card variant="borderless" title={t('allocation.lines')} data-testid="allocation-lines">
      <Flex wrap gap={10}>
        <Input
          allowClear
          data-testid="allocation-line-search"
          prefix={<SearchOutlined style={{ color: '#8c8c8c' }} />}
          placeholder={t('allocation.search')}
          style={{ width: 240 }}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <Select<string>
          allowClear
          data-testid="allocation-line-tier"
          style={{ width: 140 }}
          placeholder={t('allocation.filter.tier')}
          value={tier}
          onChange={(next?: string) => {
            setTier(next);
            setCursors([]);
          }}
          options={tiers.map((x) => ({
            value: x.code,
            label: (
              <Space size={6}>
                <span className="tl-dot" style={{ background: x.color }} />
                {x.name}
              </Space>
            ),
          }))}
        />
      </Flex>
      {page.error === null ? null : (
        <div style={{ marginTop: 16 }}>
          <QueryError error={page.error} onRetry={() => void page.refetch()} />
        </div>
      )}
      <Table<AllocationDealerLine>
        style={{ marginTop: 16 }}
        data-testid="allocation-line-table"
        rowKey={(l) => l.dealer.id}
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={page.isFetching}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{ emptyText: page.isPending ? ' ' : t('allocation.lines.empty') }}
      />
      <Flex justify="space-between" align="center" wrap gap={12} className="tl-pager">
        <Typography.Text data-testid="allocation-line-total">
          {data === undefined
            ? '\u00a0'
            : t('allocation.lines.total', { total: format.number(data.total) })}
        </Typography.Text>
        <Space>
          <Typography.Text type="secondary">
            {pageCount === 0
              ? ''
              : t('dealers.page', { page: cursors.length + 1, pages: pageCount })}
          </Typography.Text>
          <Button
            icon={<LeftOutlined />}
            disabled={cursors.length === 0}
            onClick={() => setCursors(cursors.slice(0, -1))}
          >
            {t('dealers.prev')}
          </Button>
          <Button
            disabled={data?.nextCursor == null}
            data-testid="allocation-line-next"
            onClick={() => {
              if (data?.nextCursor != null) setCursors([...cursors, data.nextCursor]);
            }}
          >
            {t('dealers.next')} <RightOutlined />
          </Button>
        </Space>
      </Flex>
    </Card>
  );
}
