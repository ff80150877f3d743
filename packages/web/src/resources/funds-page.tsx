import { PlusOutlined } from '@ant-design/icons';
import type {
  DealerFundBalance,
  DealerRef,
  FundClaim,
  FundRequest,
  FundRequestStatus,
} from '@tierline/contract';
import {
  Badge,
  Button,
  Card,
  Empty,
  Flex,
  Input,
  Select,
  Space,
  Table,
  Tabs,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { PageHeading, QueryError } from '../layout/page';
import { useCan } from '../tiering/tier-api';
import { FundActions } from './fund-actions';
import { useFundBalances, useFundClaims, useFundRequests } from './fund-api';
import { FundGrantModal } from './fund-grant-modal';
import { FundRequestDrawer } from './fund-request-drawer';
import { BalanceFigures, ClaimStatusTag, ProofLinks, RequestStatusTag } from './fund-ui';

const timeFormat = 'YYYY-MM-DD HH:mm';
const PAGE = 20;

/**
 * Market development funds (市场费用, issue 6): balances per dealer (allocated, pending,
 * approved, paid, available) with tenant totals for whole-tenant callers, the queues of
 * requests and claims to decide and of claims to pay, and each request's detail with its
 * proof files and history. What a caller sees of dealers is the server's scope.
 */
export default function FundsPage() {
  const { t } = useI18n();
  const can = useCan();
  const [granting, setGranting] = useState(false);
  const [opened, setOpened] = useState<number | null>(null);
  const submittedRequests = useFundRequests('submitted');
  const submittedClaims = useFundClaims('submitted');
  const approvedClaims = useFundClaims('approved');
  const [allStatus, setAllStatus] = useState<FundRequestStatus | null>(null);
  const allRequests = useFundRequests(allStatus);

  const count = (n: number | undefined) => (
    <Badge count={n ?? 0} showZero={false} offset={[8, -2]} />
  );

  return (
    <div data-testid="funds-page">
      <PageHeading
        title={t('funds.title')}
        subtitle={t('funds.subtitle')}
        extra={
          can('resources:manage') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setGranting(true)}
              data-testid="fund-grant"
            >
              {t('funds.grant')}
            </Button>
          ) : undefined
        }
      />
      <BalancesCard />
      <Card variant="borderless" style={{ marginTop: 16 }}>
        <Tabs
          data-testid="fund-queues"
          items={[
            {
              key: 'requests',
              label: (
                <span data-testid="fund-tab-requests">
                  {t('funds.queue.requests')}
                  {count(submittedRequests.data?.total)}
                </span>
              ),
              children: (
                <RequestTable
                  query={submittedRequests}
                  onOpen={setOpened}
                  testId="fund-request-queue"
                />
              ),
            },
            {
              key: 'claims',
              label: (
                <span data-testid="fund-tab-claims">
                  {t('funds.queue.claims')}
                  {count(submittedClaims.data?.total)}
                </span>
              ),
              children: (
                <ClaimTable query={submittedClaims} onOpen={setOpened} testId="fund-claim-queue" />
              ),
            },
            {
              key: 'payments',
              label: (
                <span data-testid="fund-tab-payments">
                  {t('funds.queue.payments')}
                  {count(approvedClaims.data?.total)}
                </span>
              ),
              children: (
                <ClaimTable
                  query={approvedClaims}
                  onOpen={setOpened}
                  testId="fund-payment-queue"
                  pay
                />
              ),
            },
            {
              key: 'all',
              label: <span data-testid="fund-tab-all">{t('funds.queue.all')}</span>,
              children: (
                <Flex vertical gap={12}>
                  <Select<FundRequestStatus | 'all'>
                    style={{ width: 200 }}
                    value={allStatus ?? 'all'}
                    onChange={(v) => setAllStatus(v === 'all' ? null : v)}
                    options={[
                      { value: 'all', label: t('funds.queue.allStatuses') },
                      ...(['submitted', 'approved', 'rejected', 'cancelled'] as const).map((s) => ({
                        value: s,
                        label: t(`funds.status.request.${s}`),
                      })),
                    ]}
                  />
                  <RequestTable query={allRequests} onOpen={setOpened} testId="fund-request-all" />
                </Flex>
              ),
            },
          ]}
        />
      </Card>
      <FundRequestDrawer id={opened} onClose={() => setOpened(null)} />
      <FundGrantModal open={granting} onClose={() => setGranting(false)} />
    </div>
  );
}

function DealerCell({ dealer }: { dealer: DealerRef }) {
  return (
    <Flex vertical>
      <span>{dealer.name}</span>
      <Typography.Text type="secondary" className="tl-code" style={{ fontSize: 12 }}>
        {dealer.code}
      </Typography.Text>
    </Flex>
  );
}

/** Balances per dealer, searched and paged by cursor; totals for whole-tenant callers. */
function BalancesCard() {
  const { t } = useI18n();
  const format = useFormat();
  const [q, setQ] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors.at(-1) ?? null;
  const balances = useFundBalances({ q, cursor, limit: PAGE });
  const page = balances.data;

  const money = (key: 'allocated' | 'pending' | 'approved' | 'paid' | 'available') => ({
    title: t(`funds.total.${key}`),
    key,
    align: 'right' as const,
    render: (_: unknown, row: DealerFundBalance) => (
      <span className="tl-num" data-testid={`fund-balance-${key}`} data-value={row[key]}>
        {format.money(row[key])}
      </span>
    ),
  });
  const columns: TableColumnsType<DealerFundBalance> = [
    {
      title: t('funds.col.dealer'),
      key: 'dealer',
      render: (_: unknown, row) => <DealerCell dealer={row.dealer} />,
    },
    money('allocated'),
    money('pending'),
    money('approved'),
    money('paid'),
    money('available'),
    {
      title: t('funds.col.nextDeadline'),
      dataIndex: 'nextDeadline',
      key: 'nextDeadline',
      render: (d: string | null) => d ?? '–',
    },
    {
      title: t('funds.col.todo'),
      key: 'todo',
      render: (_: unknown, row) => (
        <Flex vertical>
          {row.submittedRequests > 0 ? (
            <Typography.Text>
              {t('funds.todo.requests', { n: row.submittedRequests })}
            </Typography.Text>
          ) : null}
          {row.submittedClaims > 0 ? (
            <Typography.Text>{t('funds.todo.claims', { n: row.submittedClaims })}</Typography.Text>
          ) : null}
          {row.approvedClaims > 0 ? (
            <Typography.Text>{t('funds.todo.payments', { n: row.approvedClaims })}</Typography.Text>
          ) : null}
        </Flex>
      ),
    },
  ];

  return (
    <Card
      variant="borderless"
      title={t('funds.balances')}
      extra={
        <Input.Search
          allowClear
          placeholder={t('funds.search')}
          style={{ width: 260 }}
          onSearch={(value) => {
            setQ(value.trim());
            setCursors([null]);
          }}
          data-testid="fund-search"
        />
      }
    >
      {balances.error !== null ? (
        <QueryError error={balances.error} onRetry={() => void balances.refetch()} />
      ) : (
        <Flex vertical gap={16}>
          {page?.totals ? <BalanceFigures balance={page.totals} testId="fund-totals" /> : null}
          <Table<DealerFundBalance>
            data-testid="fund-balances"
            rowKey={(row) => row.dealer.id}
            size="middle"
            loading={balances.isFetching}
            columns={columns}
            dataSource={page?.items ?? []}
            pagination={false}
            locale={{ emptyText: <Empty description={t('funds.empty')} /> }}
            scroll={{ x: 900 }}
          />
          {cursors.length > 1 || page?.nextCursor ? (
            <Space>
              <Button disabled={cursors.length <= 1} onClick={() => setCursors([null])}>
                {t('funds.first')}
              </Button>
              <Button
                disabled={!page?.nextCursor}
                onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}
              >
                {t('funds.more')}
              </Button>
              <Typography.Text type="secondary">{page?.total ?? 0}</Typography.Text>
            </Space>
          ) : null}
        </Flex>
      )}
    </Card>
  );
}

interface ListQuery<T> {
  data?: { items: T[]; total: number } | undefined;
  error: Error | null;
  isFetching: boolean;
  refetch: () => unknown;
}

function RequestTable({
  query,
  onOpen,
  testId,
}: {
  query: ListQuery<FundRequest>;
  onOpen: (id: number) => void;
  testId: string;
}) {
  const { t } = useI18n();
  const format = useFormat();
  const columns: TableColumnsType<FundRequest> = [
    {
      title: t('funds.col.dealer'),
      key: 'dealer',
      render: (_: unknown, r) => <DealerCell dealer={r.dealer} />,
    },
    {
      title: t('funds.col.title'),
      key: 'title',
      render: (_: unknown, r) => (
        <Typography.Link onClick={() => onOpen(r.id)} data-testid="fund-request-open">
          #{r.id} {r.title}
        </Typography.Link>
      ),
    },
    {
      title: t('funds.col.amount'),
      key: 'amount',
      align: 'right',
      render: (_: unknown, r) => <span className="tl-num">{format.money(r.amount)}</span>,
    },
    {
      title: t('funds.col.activity'),
      key: 'activity',
      render: (_: unknown, r) => `${r.activityFrom} – ${r.activityTo}`,
    },
    {
      title: t('funds.col.submitted'),
      key: 'createdAt',
      render: (_: unknown, r) => dayjs(r.createdAt).format(timeFormat),
    },
    {
      title: t('funds.col.status'),
      key: 'status',
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <RequestStatusTag status={r.status} />
          {r.claim === null ? null : <ClaimStatusTag status={r.claim.status} />}
        </Space>
      ),
    },
    {
      title: '',
      key: 'actions',
      width: 200,
      render: (_: unknown, r) =>
        r.status === 'submitted' ? (
          <FundActions subject="request" id={r.id} amount={r.amount} />
        ) : null,
    },
  ];
  return <QueueTable query={query} columns={columns} testId={testId} />;
}

function ClaimTable({
  query,
  onOpen,
  testId,
  pay = false,
}: {
  query: ListQuery<FundClaim>;
  onOpen: (requestId: number) => void;
  testId: string;
  pay?: boolean;
}) {
  const { t } = useI18n();
  const format = useFormat();
  const columns: TableColumnsType<FundClaim> = [
    {
      title: t('funds.col.dealer'),
      key: 'dealer',
      render: (_: unknown, c) => <DealerCell dealer={c.dealer} />,
    },
    {
      title: t('funds.col.request'),
      key: 'request',
      render: (_: unknown, c) => (
        <Typography.Link onClick={() => onOpen(c.requestId)} data-testid="fund-request-open">
          #{c.requestId} {c.requestTitle}
        </Typography.Link>
      ),
    },
    {
      title: t('funds.col.amount'),
      key: 'amount',
      align: 'right',
      render: (_: unknown, c) => (
        <Flex vertical align="flex-end">
          <span className="tl-num">{format.money(c.amount)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            / {format.money(c.requestAmount)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('funds.col.proofs'),
      key: 'proofs',
      render: (_: unknown, c) => <ProofLinks claimId={c.id} proofs={c.proofs} />,
    },
    {
      title: t('funds.col.submitted'),
      key: 'submittedAt',
      render: (_: unknown, c) => dayjs(c.submittedAt).format(timeFormat),
    },
    {
      title: t('funds.col.status'),
      key: 'status',
      render: (_: unknown, c) => <ClaimStatusTag status={c.status} />,
    },
    {
      title: '',
      key: 'actions',
      width: 200,
      render: (_: unknown, c) =>
        pay ? (
          <FundActions subject="claim" id={c.id} amount={c.amount} canPay />
        ) : c.status === 'submitted' ? (
          <FundActions subject="claim" id={c.id} amount={c.amount} />
        ) : null,
    },
  ];
  return <QueueTable query={query} columns={columns} testId={testId} />;
}

function QueueTable<T extends { id: number }>({
  query,
  columns,
  testId,
}: {
  query: ListQuery<T>;
  columns: TableColumnsType<T>;
  testId: string;
}) {
  const { t } = useI18n();
  if (query.error !== null) {
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }
  return (
    <Table<T>
      data-testid={testId}
      rowKey="id"
      size="middle"
      loading={query.isFetching && query.data === undefined}
      columns={columns}
      dataSource={query.data?.items ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{
        emptyText: (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('funds.queue.empty')} />
        ),
      }}
      scroll={{ x: 900 }}
    />
  );
}
