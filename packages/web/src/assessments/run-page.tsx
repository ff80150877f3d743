import {
  CheckOutlined,
  DeleteOutlined,
  DownloadOutlined,
  LeftOutlined,
  ReloadOutlined,
  RightOutlined,
  SearchOutlined,
  SendOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import type { AssessedMetric, Decision, RunDetail, Standing } from '@tierline/contract';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Checkbox,
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
  Steps,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { LinkButton, QueryError } from '../layout/page';
import {
  exportUrl,
  useCan,
  useComputeRun,
  useDecisions,
  useRun,
  useRunAction,
  type RunAction,
} from '../tiering/tier-api';
import { DistributionChart } from '../tiering/tier-charts';
import { ReasonTags, RunStatusTag, StandingTag, TierChange, TierTag } from '../tiering/tier-tags';
import type { TextKit } from '../tiering/tier-text';
import { useTierText } from '../tiering/use-tier-text';
import { DecisionDrawer } from './decision-drawer';

const timeFormat = 'YYYY-MM-DD HH:mm';
const pageSize = 50;
const standings: readonly Standing[] = ['good', 'at_risk', 'probation', 'elimination'];

/** One assessment run: its workflow, tier counts, metrics and weights, and its decisions. */
export default function RunPage() {
  const { t } = useI18n();
  const { id: rawId = '' } = useParams();
  const id = /^\d{1,15}$/.test(rawId) ? Number(rawId) : 0;
  const run = useRun(id);

  if (id === 0 || (run.error instanceof ApiError && run.error.isNotFound)) {
    return (
      <Card variant="borderless" data-testid="run-not-found">
        <Result
          status="404"
          title={t('run.notFound')}
          extra={
            <LinkButton to="/assessments" type="primary">
              {t('assessments.title')}
            </LinkButton>
          }
        />
      </Card>
    );
  }
  if (run.error !== null) {
    return <QueryError error={run.error} onRetry={() => void run.refetch()} />;
  }
  if (run.data === undefined) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  }
  return <RunView run={run.data} />;
}

function RunView({ run }: { run: RunDetail }) {
  const { t } = useI18n();
  const format = useFormat();
  const kit = useTierText(run.tiers, run.metrics);

  return (
    <div data-testid="run-page" data-status={run.status}>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <Link to="/assessments">{t('assessments.title')}</Link> },
          { title: run.period },
        ]}
      />
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Flex justify="space-between" align="flex-start" wrap gap={16}>
          <div>
            <Space size={12} align="center" wrap>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="run-title">
                {t('run.title', { period: run.period })}
              </Typography.Title>
              <RunStatusTag status={run.status} />
              {run.review ? <Tag color="purple">{t('run.review')}</Tag> : null}
            </Space>
            <div style={{ marginTop: 6 }}>
              <Typography.Text type="secondary">
                {t('run.policy', { name: run.policy.name, version: run.policy.version })} ·{' '}
                {t('run.range', { from: run.periodFrom, to: run.periodTo })}
              </Typography.Text>
            </div>
          </div>
          <RunActions run={run} />
        </Flex>
        <Steps
          style={{ marginTop: 20 }}
          size="small"
          data-testid="run-steps"
          current={{ draft: 1, approved: 2, published: 3, discarded: 1 }[run.status]}
          status={
            run.status === 'discarded' ? 'error' : run.status === 'published' ? 'finish' : 'process'
          }
          items={[
            {
              title: t('run.step.computed'),
              content: <Who name={run.createdBy} at={run.createdAt} />,
            },
            {
              title:
                run.status === 'discarded' ? t('run.status.discarded') : t('run.step.approved'),
              content:
                run.approvedBy === null ? (
                  run.status === 'draft' ? (
                    t('run.step.awaitsChecker')
                  ) : null
                ) : (
                  <Who name={run.approvedBy} at={run.approvedAt} />
                ),
            },
            {
              title: t('run.step.published'),
              content:
                run.publishedBy === null ? null : (
                  <Who name={run.publishedBy} at={run.publishedAt} />
                ),
            },
          ]}
        />
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card
            variant="borderless"
            title={t('run.distribution')}
            style={{ height: '100%' }}
            data-testid="run-distribution"
          >
            <Row gutter={16} style={{ marginBottom: 8 }}>
              <Col span={8}>
                <Statistic title={t('run.col.dealers')} value={format.number(run.dealerCount)} />
              </Col>
              <Col span={8}>
                <Statistic title={t('run.col.changed')} value={format.number(run.changed)} />
              </Col>
              <Col span={8}>
                <Statistic title={t('run.col.overrides')} value={format.number(run.overrides)} />
              </Col>
            </Row>
            <DistributionChart
              tiers={run.tiers}
              rows={[{ label: run.period, counts: run.counts }]}
              testId="run-distribution-chart"
            />
            <TierCountTable run={run} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            variant="borderless"
            title={t('run.metrics')}
            style={{ height: '100%' }}
            data-testid="run-metrics"
          >
            <MetricTable metrics={run.metrics} kit={kit} />
          </Card>
        </Col>
        <Col span={24}>
          <Decisions run={run} />
        </Col>
      </Row>
    </div>
  );
}

interface TierCountRow {
  code: string;
  count: number;
  min: number | null;
}

/** Per tier: dealers, their share, and the lowest score that placed a dealer there this period. */
function TierCountTable({ run }: { run: RunDetail }) {
  const { t } = useI18n();
  const format = useFormat();
  const total = Object.values(run.counts).reduce((s, n) => s + n, 0);
  const rows: TierCountRow[] = run.tiers.map((tier) => ({
    code: tier.code,
    count: run.counts[tier.code] ?? 0,
    min: run.tierMinScores[tier.code] ?? null,
  }));
  const columns: TableColumnsType<TierCountRow> = [
    {
      title: t('decision.col.tier'),
      key: 'tier',
      render: (_: unknown, row) => <TierTag tiers={run.tiers} code={row.code} />,
    },
    {
      title: t('run.count'),
      dataIndex: 'count',
      key: 'count',
      align: 'right',
      render: (n: number) => <span className="tl-num">{format.number(n)}</span>,
    },
    {
      title: t('run.share'),
      key: 'share',
      align: 'right',
      render: (_: unknown, row) => (
        <span className="tl-num">{total === 0 ? '—' : format.percent(row.count / total)}</span>
      ),
    },
    {
      title: t('run.minScore'),
      dataIndex: 'min',
      key: 'min',
      align: 'right',
      render: (min: number | null) =>
        min === null ? (
          <Typography.Text type="secondary">{t('run.minScore.none')}</Typography.Text>
        ) : (
          <span className="tl-num">{format.number(min, 1)}</span>
        ),
    },
  ];
  return (
    <Table<TierCountRow>
      style={{ marginTop: 8 }}
      rowKey="code"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={rows}
      data-testid="run-tier-table"
    />
  );
}

function Who({ name, at }: { name: string | null; at: string | null }) {
  return (
    <span>
      {name ?? '—'}
      {at === null ? null : (
        <Typography.Text type="secondary" style={{ marginLeft: 6 }}>
          {dayjs(at).format(timeFormat)}
        </Typography.Text>
      )}
    </span>
  );
}

/**
 * Approve, publish, discard or recompute, as the caller's permissions and the run's status
 * allow; a refusal (maker-checker 403, a 409 conflict) shows the server's own message.
 */
function RunActions({ run }: { run: RunDetail }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const action = useRunAction(run.id);
  const recompute = useComputeRun();
  const [last, setLast] = useState<RunAction | 'recompute' | null>(null);

  function act(next: RunAction) {
    setLast(next);
    recompute.reset();
    action.mutate(next, {
      onSuccess: () => void message.success(t(`run.done.${next}`, { period: run.period })),
    });
  }

  const draft = run.status === 'draft';
  const open = draft || run.status === 'approved';
  const error = action.error ?? recompute.error;

  return (
    <Flex vertical align="flex-end" gap={8}>
      <Space wrap>
        {draft && can('assessments:run') ? (
          <Tooltip title={t('run.recompute.hint')}>
            <Button
              icon={<ReloadOutlined />}
              loading={recompute.isPending}
              data-testid="run-recompute"
              onClick={() => {
                setLast('recompute');
                action.reset();
                recompute.mutate(
                  { period: run.period, policy: run.policy.name, version: run.policy.version },
                  { onSuccess: () => void message.success(t('run.done.recompute')) },
                );
              }}
            >
              {t('run.recompute')}
            </Button>
          </Tooltip>
        ) : null}
        {open && can('assessments:run') ? (
          <Popconfirm
            title={t('run.discard.confirm')}
            okText={t('run.discard')}
            okButtonProps={{ danger: true, 'data-testid': 'run-discard-confirm' }}
            cancelText={t('app.cancel')}
            onConfirm={() => act('discard')}
          >
            <Button
              danger
              icon={<DeleteOutlined />}
              loading={action.isPending && last === 'discard'}
              data-testid="run-discard"
            >
              {t('run.discard')}
            </Button>
          </Popconfirm>
        ) : null}
        {draft && can('assessments:approve') ? (
          <Button
            type="primary"
            icon={<CheckOutlined />}
            loading={action.isPending && last === 'approve'}
            data-testid="run-approve"
            onClick={() => act('approve')}
          >
            {t('run.approve')}
          </Button>
        ) : null}
        {run.status === 'approved' && can('assessments:approve') ? (
          <Popconfirm
            title={t('run.publish.confirm')}
            description={t('run.publish.text')}
            okText={t('run.publish')}
            cancelText={t('app.cancel')}
            onConfirm={() => act('publish')}
          >
            <Button
              type="primary"
              icon={<SendOutlined />}
              loading={action.isPending && last === 'publish'}
              data-testid="run-publish"
            >
              {t('run.publish')}
            </Button>
          </Popconfirm>
        ) : null}
        <Button
          icon={<DownloadOutlined />}
          href={exportUrl(run.id, 'csv')}
          download
          data-testid="run-export-csv"
        >
          {t('run.export.csv')}
        </Button>
        <Button
          icon={<DownloadOutlined />}
          href={exportUrl(run.id, 'xlsx')}
          download
          data-testid="run-export-xlsx"
        >
          {t('run.export.xlsx')}
        </Button>
      </Space>
      {error === null ? null : (
        <Alert
          type="error"
          showIcon
          closable={{
            onClose: () => {
              action.reset();
              recompute.reset();
            },
          }}
          data-testid="run-action-error"
          title={t(last === null ? 'run.failed' : `run.failed.${last}`)}
          description={
            <>
              {error.message}
              {error instanceof ApiError && error.isForbidden && last === 'approve' ? (
                <div>{t('run.makerChecker')}</div>
              ) : null}
            </>
          }
          style={{ maxWidth: 560 }}
        />
      )}
    </Flex>
  );
}

/** The metrics the run scored: weight, direction, normalisation and the population's spread. */
function MetricTable({ metrics, kit }: { metrics: readonly AssessedMetric[]; kit: TextKit }) {
  const { t } = useI18n();
  const columns: TableColumnsType<AssessedMetric> = [
    {
      title: t('tier.breakdown.metric'),
      key: 'name',
      render: (_: unknown, m) => (
        <Space size={4} wrap>
          <span>{kit.metric(m.key).name}</span>
          <Tooltip title={t(`policy.direction.${m.direction}`)}>
            <Typography.Text type="secondary">
              {m.direction === 'higher' ? '↑' : '↓'}
            </Typography.Text>
          </Tooltip>
          {m.campaign === null ? null : <Tag color="magenta">{m.campaign}</Tag>}
        </Space>
      ),
    },
    {
      title: t('tier.breakdown.weight'),
      key: 'weight',
      align: 'right',
      width: 80,
      render: (_: unknown, m) => <span className="tl-num">{kit.format.percent(m.weight)}</span>,
    },
  ];
  // The population's spread is withheld from callers who see only some of the dealers.
  if (metrics.some((m) => m.stats !== null)) {
    columns.push({
      title: t('run.metric.spread'),
      key: 'spread',
      align: 'right',
      render: (_: unknown, m) => {
        const stats = m.stats;
        if (stats === null) return '—';
        const unit = kit.metric(m.key).unit ?? m.unit;
        const v = (x: number | null) => (x === null ? '—' : kitValue(kit, x, unit));
        return (
          <Tooltip
            title={t('run.metric.spreadHint', {
              count: stats.count,
              normalisation: t(`policy.normalisation.${normalisationKey(m.normalisation)}`),
            })}
          >
            <span className="tl-num tl-spread">
              {v(stats.min)} · <b>{v(stats.mean)}</b> · {v(stats.max)}
            </span>
          </Tooltip>
        );
      },
    });
  }
  return (
    <Table<AssessedMetric>
      rowKey="key"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={[...metrics].sort((a, b) => b.weight - a.weight)}
    />
  );
}

function kitValue(kit: TextKit, value: number, unit: AssessedMetric['unit']): string {
  if (unit === 'money') return kit.format.moneyShort(Math.round(value));
  if (unit === 'percent') return kit.format.percent(value / 100);
  return kit.format.number(value, 1);
}

function normalisationKey(value: string): 'minmax' | 'zscore' | 'percentile' {
  return value === 'minmax' || value === 'zscore' ? value : 'percentile';
}

interface DecisionFilters {
  tier: string | undefined;
  standing: Standing | undefined;
  changed: 'up' | 'down' | 'any' | undefined;
  overridden: boolean;
  q: string;
}

const noFilters: DecisionFilters = {
  tier: undefined,
  standing: undefined,
  changed: undefined,
  overridden: false,
  q: '',
};

/** The run's decisions in rank order, filtered, a page at a time; a row opens its explanation. */
function Decisions({ run }: { run: RunDetail }) {
  const { t } = useI18n();
  const format = useFormat();
  const can = useCan();
  const [filters, setFilters] = useState<DecisionFilters>(noFilters);
  const [text, setText] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const [open, setOpen] = useState<number | null>(null);
  const cursor = cursors.at(-1);

  const params = useMemo(
    () => ({
      tier: filters.tier,
      standing: filters.standing,
      changed: filters.changed,
      overridden: filters.overridden ? 'true' : undefined,
      q: filters.q,
      limit: pageSize,
      cursor,
    }),
    [filters, cursor],
  );
  const page = useDecisions(run.id, params);

  function refine(patch: Partial<DecisionFilters>) {
    setFilters((current) => ({ ...current, ...patch }));
    setCursors([]);
  }

  // The search box runs ahead of the list, which follows after a pause in typing.
  useEffect(() => {
    const q = text.trim();
    if (q === filters.q) return;
    const timer = window.setTimeout(() => {
      setFilters((current) => ({ ...current, q }));
      setCursors([]);
    }, 300);
    return () => window.clearTimeout(timer);
  }, [text, filters.q]);

  const data = page.data;
  const pageNumber = cursors.length + 1;
  const pageCount = data === undefined ? 0 : Math.max(1, Math.ceil(data.total / pageSize));

  const columns: TableColumnsType<Decision> = [
    {
      title: t('decision.col.rank'),
      dataIndex: 'rank',
      key: 'rank',
      width: 64,
      align: 'right',
      render: (rank: number) => <span className="tl-num">{rank}</span>,
    },
    {
      title: t('decision.col.dealer'),
      key: 'dealer',
      render: (_: unknown, d) => (
        <Flex vertical gap={0}>
          <Typography.Text strong data-testid="decision-dealer">
            {d.dealer.name}
          </Typography.Text>
          <Space size={6}>
            <span className="tl-code">{d.dealer.code}</span>
            {can('dealers:read') ? (
              <Link
                to={`/dealers/${d.dealer.id}`}
                onClick={(e) => e.stopPropagation()}
                className="tl-small-link"
              >
                {t('decision.openDealer')}
              </Link>
            ) : null}
          </Space>
        </Flex>
      ),
    },
    {
      title: t('decision.col.score'),
      dataIndex: 'score',
      key: 'score',
      width: 80,
      align: 'right',
      render: (score: number) => <span className="tl-num">{format.number(score, 1)}</span>,
    },
    {
      title: t('decision.col.tier'),
      key: 'tier',
      width: 200,
      render: (_: unknown, d) => <TierChange tiers={run.tiers} from={d.previousTier} to={d.tier} />,
    },
    {
      title: t('decision.col.standing'),
      dataIndex: 'standing',
      key: 'standing',
      width: 110,
      render: (standing: Standing) => <StandingTag standing={standing} />,
    },
    {
      title: t('decision.col.reasons'),
      key: 'reasons',
      render: (_: unknown, d) => (
        <Space size={4} wrap>
          <ReasonTags reasons={d.reasons} />
          {d.override === null ? null : (
            <Tooltip title={d.override.reason}>
              <Tag color="purple" icon={<UserSwitchOutlined />} data-testid="decision-overridden">
                {t(`override.kind.${d.override.kind}`)}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
  ];

  const active =
    filters.tier !== undefined ||
    filters.standing !== undefined ||
    filters.changed !== undefined ||
    filters.overridden ||
    filters.q !== '';

  return (
    <Card variant="borderless" title={t('run.decisions')} data-testid="run-decisions">
      <Flex wrap gap={10}>
        <Input
          allowClear
          data-testid="decision-search"
          prefix={<SearchOutlined style={{ color: '#8c8c8c' }} />}
          placeholder={t('decision.search')}
          style={{ width: 220 }}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <Select<string>
          allowClear
          data-testid="decision-filter-tier"
          style={{ width: 130 }}
          placeholder={t('decision.filter.tier')}
          value={filters.tier}
          onChange={(tier?: string) => refine({ tier })}
          options={run.tiers.map((tier) => ({
            value: tier.code,
            label: (
              <Space size={6}>
                <span className="tl-dot" style={{ background: tier.color }} />
                {tier.name}
              </Space>
            ),
          }))}
        />
        <Select<Standing>
          allowClear
          data-testid="decision-filter-standing"
          style={{ width: 130 }}
          placeholder={t('decision.filter.standing')}
          value={filters.standing}
          onChange={(standing?: Standing) => refine({ standing })}
          options={standings.map((s) => ({ value: s, label: t(`standing.${s}`) }))}
        />
        <Select<'up' | 'down' | 'any'>
          allowClear
          data-testid="decision-filter-changed"
          style={{ width: 130 }}
          placeholder={t('decision.filter.changed')}
          value={filters.changed}
          onChange={(changed?: 'up' | 'down' | 'any') => refine({ changed })}
          options={[
            { value: 'up', label: t('decision.changed.up') },
            { value: 'down', label: t('decision.changed.down') },
            { value: 'any', label: t('decision.changed.any') },
          ]}
        />
        <Checkbox
          data-testid="decision-filter-overridden"
          checked={filters.overridden}
          onChange={(e) => refine({ overridden: e.target.checked })}
          style={{ alignSelf: 'center' }}
        >
          {t('decision.filter.overridden')}
        </Checkbox>
        {active ? (
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              setText('');
              setFilters(noFilters);
              setCursors([]);
            }}
          >
            {t('dealers.filter.reset')}
          </Button>
        ) : null}
      </Flex>
      {page.error === null ? null : (
        <div style={{ marginTop: 16 }}>
          <QueryError error={page.error} onRetry={() => void page.refetch()} />
        </div>
      )}
      <Table<Decision>
        style={{ marginTop: 16 }}
        data-testid="decision-table"
        rowKey={(d) => d.dealer.id}
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={page.isFetching}
        pagination={false}
        scroll={{ x: 960 }}
        rowClassName={() => 'tl-clickable-row'}
        onRow={(d) => ({ onClick: () => setOpen(d.dealer.id) })}
        locale={{ emptyText: page.isPending ? ' ' : t('decision.empty') }}
      />
      <Flex justify="space-between" align="center" wrap gap={12} className="tl-pager">
        <Typography.Text data-testid="decision-total">
          {data === undefined
            ? '\u00a0'
            : t('decision.total', { total: format.number(data.total) })}
        </Typography.Text>
        <Space>
          <Typography.Text type="secondary" data-testid="decision-page">
            {pageCount === 0 ? '' : t('dealers.page', { page: pageNumber, pages: pageCount })}
          </Typography.Text>
          <Button
            icon={<LeftOutlined />}
            disabled={cursors.length === 0}
            onClick={() => setCursors(cursors.slice(0, -1))}
            data-testid="decision-prev"
          >
            {t('dealers.prev')}
          </Button>
          <Button
            disabled={data?.nextCursor == null}
            onClick={() => {
              if (data?.nextCursor != null) setCursors([...cursors, data.nextCursor]);
            }}
            data-testid="decision-next"
          >
            {t('dealers.next')} <RightOutlined />
          </Button>
        </Space>
      </Flex>
      <DecisionDrawer run={run} dealerId={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
