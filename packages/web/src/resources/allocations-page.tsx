import { PlusOutlined } from '@ant-design/icons';
import type { AllocationPurpose, AllocationStatus, AllocationSummary } from '@tierline/contract';
import { Button, Card, Flex, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { PageHeading, QueryError } from '../layout/page';
import { useCan } from '../tiering/tier-api';
import { useAllocations } from './allocation-api';
import { AllocationDrawer } from './allocation-drawer';
import { AllocationStatusTag, PurposeTag } from './allocation-tags';

const statuses: readonly AllocationStatus[] = ['draft', 'published', 'discarded'];

/**
 * Budget allocations (预算分配, PRODUCT §4): every allocation by period with its status, pool and
 * dealers; admins compute a new one with a live preview of the split.
 */
export default function AllocationsPage() {
  const { t } = useI18n();
  const format = useFormat();
  const navigate = useNavigate();
  const can = useCan();
  const [purpose, setPurpose] = useState<AllocationPurpose | 'all'>('all');
  const [status, setStatus] = useState<AllocationStatus | 'all'>('all');
  const [creating, setCreating] = useState(false);
  const list = useAllocations({
    purpose: purpose === 'all' ? undefined : purpose,
    status: status === 'all' ? undefined : status,
  });

  const columns: TableColumnsType<AllocationSummary> = [
    {
      title: t('allocations.col.period'),
      dataIndex: 'period',
      key: 'period',
      width: 100,
      render: (period: string) => <Typography.Text strong>{period}</Typography.Text>,
    },
    {
      title: t('allocations.col.name'),
      key: 'name',
      render: (_: unknown, a) => (
        <Flex vertical gap={0}>
          <span>{a.name || t('allocations.unnamed', { id: a.id })}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('allocations.run', {
              period: a.run.period,
              policy: `${a.run.policy.name} v${a.run.policy.version}`,
            })}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('allocations.col.purpose'),
      dataIndex: 'purpose',
      key: 'purpose',
      width: 120,
      render: (p: AllocationPurpose) => <PurposeTag purpose={p} />,
    },
    {
      title: t('allocations.col.status'),
      dataIndex: 'status',
      key: 'status',
      width: 100,
      render: (s: AllocationStatus) => <AllocationStatusTag status={s} />,
    },
    {
      title: t('allocations.col.pool'),
      dataIndex: 'pool',
      key: 'pool',
      align: 'right',
      width: 160,
      render: (v: number) => <span className="tl-num">{format.money(v)}</span>,
    },
    {
      title: t('allocations.col.allocated'),
      key: 'allocated',
      align: 'right',
      width: 160,
      render: (_: unknown, a) => (
        <Space size={4}>
          <span className="tl-num">{format.money(a.visibleAmount)}</span>
          {a.unallocated > 0 ? <Tag color="orange">{t('allocations.unallocatedTag')}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('allocations.col.dealers'),
      dataIndex: 'dealerCount',
      key: 'dealers',
      align: 'right',
      width: 90,
      render: (n: number) => <span className="tl-num">{format.number(n)}</span>,
    },
    {
      title: t('allocations.col.who'),
      key: 'who',
      width: 200,
      render: (_: unknown, a) => (
        <Flex vertical gap={0}>
          <span>{[a.createdBy, a.publishedBy].filter((x) => x !== null).join(' → ') || '—'}</span>
          <Typography.Text type="secondary">
            {dayjs(a.publishedAt ?? a.createdAt).format('YYYY-MM-DD HH:mm')}
          </Typography.Text>
        </Flex>
      ),
    },
  ];

  return (
    <div data-testid="allocations-page">
      <PageHeading
        title={t('allocations.title')}
        subtitle={t('allocations.subtitle')}
        extra={
          can('resources:manage') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              data-testid="allocation-new"
              onClick={() => setCreating(true)}
            >
              {t('allocations.new')}
            </Button>
          ) : undefined
        }
      />
      <Card
        variant="borderless"
        title={t('allocations.list')}
        extra={
          <Space wrap>
            <Segmented<AllocationPurpose | 'all'>
              data-testid="allocation-purpose-filter"
              value={purpose}
              onChange={setPurpose}
              options={[
                { value: 'all', label: t('allocations.all') },
                { value: 'general', label: t('allocations.purpose.general') },
                { value: 'market_fund', label: t('allocations.purpose.market_fund') },
              ]}
            />
            <Segmented<AllocationStatus | 'all'>
              data-testid="allocation-status-filter"
              value={status}
              onChange={setStatus}
              options={[
                { value: 'all', label: t('allocations.all') },
                ...statuses.map((s) => ({ value: s, label: t(`allocations.status.${s}`) })),
              ]}
            />
          </Space>
        }
      >
        {list.error === null ? null : (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        )}
        <Table<AllocationSummary>
          data-testid="allocation-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          pagination={{ pageSize: 24, hideOnSinglePage: true, showSizeChanger: false }}
          scroll={{ x: 1100 }}
          rowClassName={() => 'tl-clickable-row'}
          onRow={(a) => ({ onClick: () => void navigate(`/resources/allocations/${a.id}`) })}
          locale={{ emptyText: list.isPending ? ' ' : t('allocations.empty') }}
        />
      </Card>
      {creating ? (
        <AllocationDrawer
          onClose={() => setCreating(false)}
          onCreated={(id) => void navigate(`/resources/allocations/${id}`)}
        />
      ) : null}
    </div>
  );
}
