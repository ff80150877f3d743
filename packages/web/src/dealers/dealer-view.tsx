import type { CategorySales, DealerDetail, DealerMonth } from '@tierline/contract';
import {
  Breadcrumb,
  Card,
  Col,
  Descriptions,
  Flex,
  Progress,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { DescriptionsProps, TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useTenant } from '../api/queries';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { brand } from '../layout/theme';
import { dealerKpis } from './dealer-kpis';
import { SalesChart } from './sales-chart';
import { StatusTag } from './status-tag';

const latestMonthCount = 6;

/**
 * Dealer 360: master data, its tier, trailing-12-month figures, monthly chart and latest rollups.
 * Staff see it with links to the list and to the parent dealer; the portal (a dealer user looking at
 * its own record) shows it without links to any other dealer.
 */
export function DealerView({
  dealer,
  portal = false,
  tier,
}: {
  dealer: DealerDetail;
  portal?: boolean;
  /** The dealer's tier card, under the heading (when the caller may see tiers). */
  tier?: ReactNode;
}) {
  const { t, channelType } = useI18n();
  const format = useFormat();
  const dataTo = useTenant().data?.dataRange?.to ?? null;
  const kpis = dealerKpis(dealer.months, dataTo ?? dealer.months.at(-1)?.month ?? null);
  const none = <Typography.Text type="secondary">{t('dealer.none')}</Typography.Text>;

  const master: DescriptionsProps['items'] = [
    {
      key: 'legalEntity',
      label: t('dealer.legalEntity'),
      children: dealer.legalEntity ?? none,
    },
    {
      key: 'chainLevel',
      label: t('dealer.chainLevel'),
      children: t(`chainLevel.${dealer.chainLevel}`),
    },
    {
      key: 'parent',
      label: t('dealer.parent'),
      children:
        dealer.parent === null ? (
          none
        ) : portal ? (
          <span data-testid="dealer-parent">
            {dealer.parent.name} ({dealer.parent.code})
          </span>
        ) : (
          <Link to={`/dealers/${dealer.parent.id}`} data-testid="dealer-parent">
            {dealer.parent.name} ({dealer.parent.code})
          </Link>
        ),
    },
    {
      key: 'channelType',
      label: t('dealer.channelType'),
      children: channelType(dealer.channelType),
    },
    {
      key: 'region',
      label: t('dealer.region'),
      children: <span data-testid="dealer-region">{dealer.region.path.join(' / ')}</span>,
    },
    { key: 'onboardedOn', label: t('dealer.onboardedOn'), children: dealer.onboardedOn },
    {
      key: 'subDealers',
      label: t('dealer.subDealers'),
      children: t('dealer.count', { count: format.number(dealer.subDealerCount) }),
    },
    {
      key: 'outlets',
      label: t('dealer.outlets'),
      children: format.number(dealer.outletCount),
    },
    {
      key: 'updatedAt',
      label: t('dealer.updatedAt'),
      children: dayjs(dealer.updatedAt).format('YYYY-MM-DD HH:mm'),
    },
    {
      key: 'contacts',
      label: t('dealer.contacts'),
      span: 'filled',
      children:
        dealer.contacts.length === 0 ? (
          none
        ) : (
          <Flex vertical gap={4}>
            {dealer.contacts.map((c, i) => (
              <Space key={`${c.name}-${i}`} size={12} wrap>
                <Typography.Text strong>{c.name}</Typography.Text>
                {c.role === undefined ? null : (
                  <Typography.Text type="secondary">{c.role}</Typography.Text>
                )}
                {c.phone === undefined ? null : (
                  <Typography.Text copyable>{c.phone}</Typography.Text>
                )}
                {c.email === undefined ? null : (
                  <Typography.Link href={`mailto:${c.email}`}>{c.email}</Typography.Link>
                )}
              </Space>
            ))}
          </Flex>
        ),
    },
  ];

  const kpiWindow =
    kpis.from === null || kpis.to === null
      ? undefined
      : t('dealer.kpi.window', { from: kpis.from, to: kpis.to });

  return (
    <div data-testid="dealer-page">
      {portal ? null : (
        <Breadcrumb
          style={{ marginBottom: 12 }}
          items={[{ title: <Link to="/dealers">{t('dealer.back')}</Link> }, { title: dealer.code }]}
        />
      )}
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Flex justify="space-between" align="flex-start" wrap gap={16}>
          <div>
            <Space size={12} align="center" wrap>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="dealer-name">
                {dealer.name}
              </Typography.Title>
              <StatusTag status={dealer.status} />
            </Space>
            <div style={{ marginTop: 6 }}>
              <Space size={8} wrap>
                <Typography.Text code data-testid="dealer-code">
                  {dealer.code}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {t(`chainLevel.${dealer.chainLevel}`)} · {channelType(dealer.channelType)} ·{' '}
                  {dealer.region.path.join(' / ')}
                </Typography.Text>
              </Space>
            </div>
            {/* Tags are the manufacturer's own segmentation (e.g. key account): staff only. */}
            {portal || dealer.tags.length === 0 ? null : (
              <div style={{ marginTop: 10 }} data-testid="dealer-tags">
                {dealer.tags.map((tag) => (
                  <Tag key={tag} color="blue" variant="filled">
                    {tag}
                  </Tag>
                ))}
              </div>
            )}
          </div>
        </Flex>
      </Card>
      {tier}

      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} xl={6}>
          <Card variant="borderless" className="tl-kpi">
            <Statistic title={t('dealer.kpi.sales12m')} value={format.moneyShort(kpis.sales)} />
            <Typography.Text type="secondary" className="tl-kpi-note">
              {format.money(kpis.sales)}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Card variant="borderless" className="tl-kpi">
            <Statistic
              title={t('dealer.kpi.payments12m')}
              value={format.moneyShort(kpis.payments)}
            />
            <Typography.Text type="secondary" className="tl-kpi-note">
              {format.money(kpis.payments)}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Card variant="borderless" className="tl-kpi">
            <Statistic
              title={t('dealer.kpi.achievement12m')}
              value={kpis.achievement === null ? '—' : format.percent(kpis.achievement)}
            />
            <Typography.Text type="secondary" className="tl-kpi-note">
              {kpiWindow}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Card variant="borderless" className="tl-kpi">
            <Statistic
              title={t('dealer.kpi.collection12m')}
              value={kpis.collection === null ? '—' : format.percent(kpis.collection)}
            />
            <Typography.Text type="secondary" className="tl-kpi-note">
              {t('dealer.kpi.collectionHint')}
            </Typography.Text>
          </Card>
        </Col>

        <Col xs={24} xl={16}>
          <Card
            variant="borderless"
            title={t('dealer.masterData')}
            data-testid="dealer-master-data"
            style={{ height: '100%' }}
          >
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={master}
              styles={{ label: { whiteSpace: 'nowrap' } }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card
            variant="borderless"
            title={t('dealer.categories.title')}
            style={{ height: '100%' }}
          >
            <CategoryTable categories={dealer.categories12m} />
          </Card>
        </Col>

        <Col span={24}>
          <Card variant="borderless" title={t('dealer.chart.title')}>
            <SalesChart months={dealer.months} />
          </Card>
        </Col>

        <Col span={24}>
          <Card variant="borderless" title={t('dealer.months.title')}>
            <LatestMonthsTable months={dealer.months.slice(-latestMonthCount).reverse()} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function CategoryTable({ categories }: { categories: readonly CategorySales[] }) {
  const { t } = useI18n();
  const format = useFormat();
  const total = categories.reduce((sum, c) => sum + c.salesAmount, 0);
  const columns: TableColumnsType<CategorySales> = [
    { title: t('dealer.categories.category'), dataIndex: 'category', key: 'category' },
    {
      title: t('dealer.categories.sales'),
      dataIndex: 'salesAmount',
      key: 'salesAmount',
      align: 'right',
      render: (amount: number) => <span className="tl-num">{format.moneyShort(amount)}</span>,
    },
    {
      title: t('dealer.categories.share'),
      key: 'share',
      width: 160,
      render: (_: unknown, c) => (
        <Progress
          percent={total > 0 ? Math.round((c.salesAmount / total) * 1000) / 10 : 0}
          size="small"
          strokeColor={brand.sales}
          format={(p) => `${p ?? 0}%`}
        />
      ),
    },
  ];
  return (
    <Table<CategorySales>
      data-testid="dealer-categories"
      rowKey="category"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={[...categories]}
      locale={{ emptyText: t('dealer.categories.empty') }}
    />
  );
}

function LatestMonthsTable({ months }: { months: readonly DealerMonth[] }) {
  const { t } = useI18n();
  const format = useFormat();
  const money = (amount: number) => <span className="tl-num">{format.moneyShort(amount)}</span>;
  const count = (value: number) => <span className="tl-num">{format.number(value)}</span>;
  const columns: TableColumnsType<DealerMonth> = [
    { title: t('dealer.months.month'), dataIndex: 'month', key: 'month', fixed: 'left', width: 90 },
    {
      title: t('dealer.months.sales'),
      dataIndex: 'salesAmount',
      key: 'sales',
      align: 'right',
      render: money,
    },
    {
      title: t('dealer.months.payments'),
      dataIndex: 'paymentAmount',
      key: 'payments',
      align: 'right',
      render: money,
    },
    {
      title: t('dealer.months.target'),
      dataIndex: 'targetAmount',
      key: 'target',
      align: 'right',
      render: (amount: number | null) =>
        amount === null ? (
          <Typography.Text type="secondary">{t('dealer.months.noTarget')}</Typography.Text>
        ) : (
          money(amount)
        ),
    },
    {
      title: t('dealer.months.orders'),
      dataIndex: 'orderCount',
      key: 'orders',
      align: 'right',
      render: count,
    },
    {
      title: t('dealer.months.skus'),
      dataIndex: 'skuCount',
      key: 'skus',
      align: 'right',
      render: count,
    },
    {
      title: t('dealer.months.outlets'),
      dataIndex: 'orderingOutletCount',
      key: 'outlets',
      align: 'right',
      render: count,
    },
    {
      title: t('dealer.months.complaints'),
      dataIndex: 'complaintCount',
      key: 'complaints',
      align: 'right',
      render: count,
    },
    {
      title: t('dealer.months.compliance'),
      dataIndex: 'complianceEventCount',
      key: 'compliance',
      align: 'right',
      render: (value: number) =>
        value > 0 ? (
          <Typography.Text type="danger">{format.number(value)}</Typography.Text>
        ) : (
          count(value)
        ),
    },
    {
      title: t('dealer.months.nearExpiry'),
      dataIndex: 'nearExpiryValue',
      key: 'nearExpiry',
      align: 'right',
      render: money,
    },
  ];
  return (
    <Table<DealerMonth>
      data-testid="dealer-latest-months"
      rowKey="month"
      size="small"
      pagination={false}
      scroll={{ x: 900 }}
      columns={columns}
      dataSource={[...months]}
      locale={{ emptyText: t('dealer.chart.empty') }}
    />
  );
}
