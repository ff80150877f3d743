import type { PolicySummary } from '@tierline/contract';
import { Card, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n/locale';
import { PageHeading, QueryError } from '../layout/page';
import { usePolicies } from '../tiering/tier-api';
import { TierTag } from '../tiering/tier-tags';

/** Tier policies (PRODUCT §2, §3), each with its latest version; a row opens the editor. */
export default function PoliciesPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const policies = usePolicies();

  const columns: TableColumnsType<PolicySummary> = [
    {
      title: t('policy.col.name'),
      dataIndex: 'name',
      key: 'name',
      width: 160,
      render: (name: string) => (
        <Link
          to={`/policies/${encodeURIComponent(name)}`}
          data-testid="policy-link"
          onClick={(e) => e.stopPropagation()}
        >
          {name}
        </Link>
      ),
    },
    {
      title: t('policy.col.version'),
      dataIndex: 'latestVersion',
      key: 'version',
      width: 80,
      render: (v: number) => `v${v}`,
    },
    {
      title: t('policy.col.tiers'),
      key: 'tiers',
      width: 260,
      render: (_: unknown, p) => (
        <Space size={[0, 4]} wrap>
          {p.tiers.map((tier) => (
            <TierTag key={tier.code} tiers={p.tiers} code={tier.code} />
          ))}
        </Space>
      ),
    },
    {
      title: t('policy.col.cycle'),
      dataIndex: 'cycle',
      key: 'cycle',
      width: 90,
      render: (cycle: PolicySummary['cycle']) => t(`policy.cycle.${cycle}`),
    },
    {
      title: t('policy.col.description'),
      dataIndex: 'description',
      key: 'description',
      ellipsis: true,
    },
    {
      title: t('policy.col.effectiveFrom'),
      dataIndex: 'effectiveFrom',
      key: 'effectiveFrom',
      width: 110,
    },
    {
      title: t('policy.col.updated'),
      key: 'updated',
      width: 200,
      render: (_: unknown, p) => (
        <span>
          {p.updatedBy ?? '—'}{' '}
          <Typography.Text type="secondary">
            {dayjs(p.updatedAt).format('YYYY-MM-DD HH:mm')}
          </Typography.Text>
        </span>
      ),
    },
  ];

  return (
    <div data-testid="policies-page">
      <PageHeading title={t('policies.title')} subtitle={t('policies.subtitle')} />
      <Card variant="borderless">
        {policies.error === null ? null : (
          <div style={{ marginBottom: 16 }}>
            <QueryError error={policies.error} onRetry={() => void policies.refetch()} />
          </div>
        )}
        <Table<PolicySummary>
          data-testid="policy-table"
          rowKey="name"
          size="middle"
          columns={columns}
          dataSource={policies.data?.items ?? []}
          loading={policies.isFetching}
          pagination={false}
          scroll={{ x: 1000 }}
          rowClassName={() => 'tl-clickable-row'}
          onRow={(p) => ({
            onClick: () => void navigate(`/policies/${encodeURIComponent(p.name)}`),
          })}
          locale={{ emptyText: policies.isPending ? ' ' : t('policies.empty') }}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('policies.newHint')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
