import { CalculatorOutlined } from '@ant-design/icons';
import type { RunStatus, RunSummary, TierDefinition } from '@tierline/contract';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Segmented,
  Select,
  Space,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useTenant } from '../api/queries';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { PageHeading, QueryError } from '../layout/page';
import { isPeriodKey, suggestedDraftPeriod } from '../tiering/periods';
import { useCan, useComputeRun, usePolicies, useRuns, useTierOverview } from '../tiering/tier-api';
import { RunStatusTag, TierTag } from '../tiering/tier-tags';

const timeFormat = 'YYYY-MM-DD HH:mm';
const statuses: readonly RunStatus[] = ['draft', 'approved', 'published', 'discarded'];

/** Dealers per tier of a run, as tier tags with their counts, best tier first. */
export function RunCounts({
  tiers,
  counts,
}: {
  tiers: readonly TierDefinition[];
  counts: Readonly<Record<string, number>>;
}) {
  const format = useFormat();
  const known = tiers.filter((t) => counts[t.code] !== undefined);
  const others = Object.keys(counts).filter((code) => !tiers.some((t) => t.code === code));
  return (
    <Space size={[2, 4]} wrap>
      {[...known.map((t) => t.code), ...others].map((code) => (
        <span key={code} className="tl-run-count">
          <TierTag tiers={tiers} code={code} />
          <span className="tl-num">{format.number(counts[code] ?? 0)}</span>
        </span>
      ))}
    </Space>
  );
}

/**
 * Assessment review (PRODUCT §3): every run with its status, who computed, approved and
 * published it, and a form to compute the draft of a period.
 */
export default function AssessmentsPage() {
  const { t } = useI18n();
  const format = useFormat();
  const navigate = useNavigate();
  const can = useCan();
  const [status, setStatus] = useState<RunStatus | 'all'>('all');
  const runs = useRuns(status === 'all' ? {} : { status });
  const policies = usePolicies();

  const tiersOf = useMemo(() => {
    const byName = new Map((policies.data?.items ?? []).map((p) => [p.name, p.tiers]));
    return (name: string): TierDefinition[] => byName.get(name) ?? [];
  }, [policies.data]);

  const columns: TableColumnsType<RunSummary> = [
    {
      title: t('run.col.period'),
      dataIndex: 'period',
      key: 'period',
      width: 100,
      render: (period: string) => <Typography.Text strong>{period}</Typography.Text>,
    },
    {
      title: t('run.col.policy'),
      key: 'policy',
      width: 140,
      render: (_: unknown, run) => (
        <span>
          {run.policy.name}{' '}
          <Typography.Text type="secondary">v{run.policy.version}</Typography.Text>
        </span>
      ),
    },
    {
      title: t('run.col.status'),
      dataIndex: 'status',
      key: 'status',
      width: 96,
      render: (value: RunStatus) => <RunStatusTag status={value} />,
    },
    {
      title: t('run.col.counts'),
      key: 'counts',
      width: 380,
      render: (_: unknown, run) => (
        <RunCounts tiers={tiersOf(run.policy.name)} counts={run.counts} />
      ),
    },
    {
      title: t('run.col.dealers'),
      dataIndex: 'dealerCount',
      key: 'dealers',
      align: 'right',
      width: 90,
      render: (n: number) => <span className="tl-num">{format.number(n)}</span>,
    },
    {
      title: t('run.col.changed'),
      dataIndex: 'changed',
      key: 'changed',
      align: 'right',
      width: 90,
      render: (n: number) => <span className="tl-num">{format.number(n)}</span>,
    },
    {
      title: t('run.col.overrides'),
      dataIndex: 'overrides',
      key: 'overrides',
      align: 'right',
      width: 90,
      render: (n: number) =>
        n > 0 ? (
          <Typography.Text type="warning" className="tl-num">
            {format.number(n)}
          </Typography.Text>
        ) : (
          <span className="tl-num">0</span>
        ),
    },
    {
      title: t('run.col.who'),
      key: 'who',
      width: 220,
      render: (_: unknown, run) => (
        <Flex vertical gap={0} className="tl-run-who">
          <span>
            {[run.createdBy, run.approvedBy, run.publishedBy]
              .filter((who) => who !== null)
              .join(' → ') || '—'}
          </span>
          <Typography.Text type="secondary">
            {dayjs(run.publishedAt ?? run.approvedAt ?? run.createdAt).format(timeFormat)}
          </Typography.Text>
        </Flex>
      ),
    },
  ];

  return (
    <div data-testid="assessments-page">
      <PageHeading title={t('assessments.title')} subtitle={t('assessments.subtitle')} />
      {can('assessments:run') ? <ComputeDraft /> : null}
      <Card
        variant="borderless"
        title={t('assessments.runs')}
        extra={
          <Segmented<RunStatus | 'all'>
            data-testid="run-status-filter"
            value={status}
            onChange={setStatus}
            options={[
              { value: 'all', label: t('assessments.all') },
              ...statuses.map((s) => ({ value: s, label: t(`run.status.${s}`) })),
            ]}
          />
        }
      >
        {runs.error === null ? null : (
          <div style={{ marginBottom: 16 }}>
            <QueryError error={runs.error} onRetry={() => void runs.refetch()} />
          </div>
        )}
        <Table<RunSummary>
          data-testid="run-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={runs.data?.items ?? []}
          loading={runs.isFetching}
          pagination={{ pageSize: 24, hideOnSinglePage: true, showSizeChanger: false }}
          scroll={{ x: 1100 }}
          rowClassName={() => 'tl-clickable-row'}
          onRow={(run) => ({ onClick: () => void navigate(`/assessments/${run.id}`) })}
          locale={{ emptyText: runs.isPending ? ' ' : t('assessments.empty') }}
        />
      </Card>
    </div>
  );
}

/**
 * Computes (or recomputes) the draft of a period for a policy; suggests the period after the
 * latest published one when the data covers it. An approved or published run of the same
 * policy version and period is opened as it is.
 */
function ComputeDraft() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const policies = usePolicies();
  const overview = useTierOverview();
  const dataTo = useTenant().data?.dataRange?.to ?? null;
  const compute = useComputeRun();
  const [policyName, setPolicyName] = useState<string | undefined>(undefined);
  const [period, setPeriod] = useState<string | undefined>(undefined);

  const items = policies.data?.items ?? [];
  const policy = items.find((p) => p.name === policyName) ?? items[0];
  const latest = overview.data?.periods[0] ?? null;
  const suggested =
    policy === undefined ? null : suggestedDraftPeriod(policy.cycle, latest, dataTo);
  const chosen = period ?? suggested ?? '';
  const valid = isPeriodKey(chosen);

  function submit() {
    if (policy === undefined || !valid) return;
    compute.mutate(
      { period: chosen, policy: policy.name },
      {
        onSuccess: (run) => {
          if (run.status !== 'draft') {
            void message.info(
              t('assessments.compute.existing', {
                period: run.period,
                status: t(`run.status.${run.status}`),
              }),
            );
          }
          void navigate(`/assessments/${run.id}`);
        },
      },
    );
  }

  return (
    <Card
      variant="borderless"
      title={t('assessments.compute.title')}
      style={{ marginBottom: 16 }}
      data-testid="compute-draft"
    >
      <Form layout="inline" onFinish={submit} className="tl-compute-form">
        <Form.Item label={t('assessments.compute.policy')}>
          <Select<string>
            data-testid="compute-policy"
            style={{ minWidth: 200 }}
            loading={policies.isPending}
            value={policy?.name}
            onChange={(value) => {
              setPolicyName(value);
              setPeriod(undefined);
            }}
            options={items.map((p) => ({
              value: p.name,
              label: `${p.name} · v${p.latestVersion} · ${t(`policy.cycle.${p.cycle}`)}`,
            }))}
          />
        </Form.Item>
        <Form.Item
          label={t('assessments.compute.period')}
          validateStatus={chosen !== '' && !valid ? 'error' : undefined}
          help={chosen !== '' && !valid ? t('assessments.compute.periodHelp') : undefined}
        >
          <Input
            data-testid="compute-period"
            style={{ width: 130 }}
            value={chosen}
            placeholder="2026-10"
            onChange={(e) => setPeriod(e.target.value.trim())}
          />
        </Form.Item>
        <Form.Item>
          <Tooltip title={t('assessments.compute.hint')}>
            <Button
              type="primary"
              htmlType="submit"
              icon={<CalculatorOutlined />}
              loading={compute.isPending}
              disabled={policy === undefined || !valid}
              data-testid="compute-submit"
            >
              {t('assessments.compute.submit')}
            </Button>
          </Tooltip>
        </Form.Item>
      </Form>
      {latest === null ? null : (
        <Typography.Text type="secondary" className="tl-kpi-note">
          {t('assessments.compute.latest', { period: latest, data: dataTo ?? '—' })}
        </Typography.Text>
      )}
      {compute.error === null ? null : (
        <Alert
          style={{ marginTop: 12 }}
          type="error"
          showIcon
          data-testid="compute-error"
          title={t('assessments.compute.failed')}
          description={compute.error.message}
        />
      )}
    </Card>
  );
}
