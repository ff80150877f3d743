import { PlayCircleOutlined } from '@ant-design/icons';
import type {
  MigrationMatrix,
  PolicyVersion,
  Simulation,
  TierDefinition,
} from '@tierline/contract';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTenant } from '../api/queries';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { periodsBack, suggestedDraftPeriod, cycleOfPeriod } from '../tiering/periods';
import { useCan, useSimulation, useTierOverview } from '../tiering/tier-api';
import { PeriodCountsChart } from '../tiering/tier-charts';
import { ReasonTags, TierChange, TierTag } from '../tiering/tier-tags';
import type { Draft } from './policy-draft';

type Mover = Simulation['movers'][number];

/** How many periods the backtest covers by default, and at most (the server's limit). */
const defaultSpan = 12;
const maxSpan = 36;

/**
 * Backtest (PRODUCT §3 what-if): run the saved policy, or the unsaved draft, over a range of
 * past periods; see the tiers per period, the migration from today's published tiers to the
 * last simulated period, and the dealers that would move, with why.
 */
export function BacktestPanel({
  saved,
  draft,
  active,
}: {
  saved: PolicyVersion;
  draft: Draft | null;
  active: boolean;
}) {
  const { t } = useI18n();
  const can = useCan();
  const allowed = can('simulations:run');
  const overview = useTierOverview(active);
  const dataTo = useTenant().data?.dataRange?.to ?? null;
  const cycle = saved.document.cycle;
  const published = (overview.data?.periods ?? []).filter((p) => cycleOfPeriod(p) === cycle);
  const latest = published[0] ?? suggestedDraftPeriod(cycle, null, dataTo);
  const options = latest === null ? [] : periodsBack(latest, maxSpan);
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const from =
    range?.from ??
    published[Math.min(defaultSpan, published.length) - 1] ??
    options[defaultSpan - 1] ??
    null;
  const to = range?.to ?? latest;
  const [source, setSource] = useState<'saved' | 'draft'>('saved');
  const simulation = useSimulation();
  const draftChosen = source === 'draft' && draft !== null;

  function run() {
    if (from === null || to === null) return;
    simulation.mutate({
      policy: draftChosen ? { document: draft } : { name: saved.name, version: saved.version },
      from,
      to,
      movers: 200,
    });
  }

  if (!allowed) {
    return (
      <Card variant="borderless">
        <Empty description={t('backtest.notAllowed')} />
      </Card>
    );
  }

  return (
    <div data-testid="backtest">
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Flex wrap gap={16} align="center">
          <Radio.Group
            value={draftChosen ? 'draft' : 'saved'}
            onChange={(e) => setSource(e.target.value as 'saved' | 'draft')}
            optionType="button"
            options={[
              { value: 'saved', label: t('backtest.saved', { version: saved.version }) },
              { value: 'draft', label: t('backtest.draft'), disabled: draft === null },
            ]}
          />
          <Space>
            <Typography.Text>{t('backtest.from')}</Typography.Text>
            <Select<string>
              data-testid="backtest-from"
              style={{ width: 120 }}
              value={from ?? undefined}
              onChange={(value) => setRange({ from: value, to: to ?? value })}
              options={options.map((p) => ({
                value: p,
                label: p,
                disabled: to !== null && p > to,
              }))}
            />
            <Typography.Text>{t('backtest.to')}</Typography.Text>
            <Select<string>
              data-testid="backtest-to"
              style={{ width: 120 }}
              value={to ?? undefined}
              onChange={(value) => setRange({ from: from ?? value, to: value })}
              options={options.map((p) => ({
                value: p,
                label: p,
                disabled: from !== null && p < from,
              }))}
            />
          </Space>
          <Button
            type="primary"
            icon={<PlayCircleOutlined />}
            loading={simulation.isPending}
            disabled={from === null || to === null}
            onClick={run}
            data-testid="backtest-run"
          >
            {t('backtest.run')}
          </Button>
        </Flex>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {draft === null ? t('backtest.hintNoDraft') : t('backtest.hint')}
        </Typography.Paragraph>
      </Card>
      {simulation.error === null ? null : (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('backtest.failed')}
          description={simulation.error.message}
          data-testid="backtest-error"
        />
      )}
      {simulation.data === undefined ? null : <BacktestResult simulation={simulation.data} />}
    </div>
  );
}

function BacktestResult({ simulation }: { simulation: Simulation }) {
  const { t } = useI18n();
  const format = useFormat();
  const last = simulation.periods.at(-1);
  const ups = simulation.periods.reduce((s, p) => s + p.up, 0);
  const downs = simulation.periods.reduce((s, p) => s + p.down, 0);
  return (
    <Row gutter={[16, 16]} data-testid="backtest-result">
      <Col span={24}>
        <Card variant="borderless">
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Statistic
                title={t('backtest.dealers')}
                value={format.number(simulation.dealerCount)}
              />
            </Col>
            <Col xs={12} md={6}>
              <Statistic
                title={t('backtest.upTotal')}
                value={format.number(ups)}
                styles={{ content: { color: '#389e0d' } }}
              />
            </Col>
            <Col xs={12} md={6}>
              <Statistic
                title={t('backtest.downTotal')}
                value={format.number(downs)}
                styles={{ content: { color: '#cf1322' } }}
              />
            </Col>
            <Col xs={12} md={6}>
              <Statistic
                title={t('backtest.elapsed')}
                value={format.number(simulation.elapsedMs)}
                suffix="ms"
              />
            </Col>
          </Row>
        </Card>
      </Col>
      <Col span={24}>
        <Card variant="borderless" title={t('backtest.perPeriod')}>
          <PeriodCountsChart
            tiers={simulation.tiers}
            periods={simulation.periods}
            testId="backtest-chart"
          />
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Card
          variant="borderless"
          title={t('backtest.matrix', {
            from: simulation.current.period ?? '—',
            to: last?.period ?? '—',
          })}
          style={{ height: '100%' }}
        >
          <MatrixTable
            tiers={simulation.tiers}
            matrix={simulation.matrix}
            fromLabel={t('backtest.matrix.current')}
          />
          <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
            {t('preview.moves', {
              up: format.number(simulation.matrix.up),
              down: format.number(simulation.matrix.down),
              same: format.number(simulation.matrix.same),
            })}
          </Typography.Paragraph>
        </Card>
      </Col>
      <Col xs={24} xl={14}>
        <Card
          variant="borderless"
          title={t('backtest.movers', { count: format.number(simulation.movers.length) })}
          style={{ height: '100%' }}
        >
          <MoversTable tiers={simulation.tiers} movers={simulation.movers} />
        </Card>
      </Col>
    </Row>
  );
}

/** A migration matrix: rows are the tiers before, columns the tiers after; the diagonal stays. */
export function MatrixTable({
  tiers,
  matrix,
  fromLabel,
}: {
  tiers: readonly TierDefinition[];
  matrix: MigrationMatrix;
  fromLabel: string;
}) {
  const { t } = useI18n();
  const format = useFormat();
  type Row = { key: string; code: string | null; counts: number[]; left: number };
  const rows: Row[] = [
    ...matrix.tiers.map((code, i) => ({
      key: code,
      code,
      counts: matrix.counts[i] ?? [],
      left: matrix.left[i] ?? 0,
    })),
    { key: '__entered', code: null, counts: matrix.entered, left: 0 },
  ];
  const columns: TableColumnsType<Row> = [
    {
      title: fromLabel,
      key: 'from',
      fixed: 'left',
      render: (_: unknown, row) =>
        row.code === null ? (
          <Typography.Text type="secondary">{t('migration.entered')}</Typography.Text>
        ) : (
          <TierTag tiers={tiers} code={row.code} />
        ),
    },
    ...matrix.tiers.map((code, j) => ({
      title: <TierTag tiers={tiers} code={code} />,
      key: code,
      align: 'right' as const,
      render: (_: unknown, row: Row) => {
        const n = row.counts[j] ?? 0;
        const i = row.code === null ? -1 : matrix.tiers.indexOf(row.code);
        const className =
          n === 0
            ? 'tl-matrix-zero'
            : i === j
              ? 'tl-matrix-same'
              : i < 0
                ? ''
                : j < i
                  ? 'tl-matrix-up'
                  : 'tl-matrix-down';
        return <span className={`tl-num ${className}`}>{format.number(n)}</span>;
      },
    })),
    {
      title: t('migration.left'),
      key: 'left',
      align: 'right',
      render: (_: unknown, row) =>
        row.code === null ? null : (
          <span className={`tl-num ${row.left === 0 ? 'tl-matrix-zero' : ''}`}>
            {format.number(row.left)}
          </span>
        ),
    },
  ];
  return (
    <Table<Row>
      data-testid="migration-matrix"
      rowKey="key"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={rows}
      scroll={{ x: 'max-content' }}
    />
  );
}

function MoversTable({
  tiers,
  movers,
}: {
  tiers: readonly TierDefinition[];
  movers: readonly Mover[];
}) {
  const { t } = useI18n();
  const format = useFormat();
  const can = useCan();
  const columns: TableColumnsType<Mover> = [
    {
      title: t('decision.col.dealer'),
      key: 'dealer',
      render: (_: unknown, m) => (
        <Flex vertical gap={0}>
          {can('dealers:read') ? (
            <Link to={`/dealers/${m.dealer.id}`}>{m.dealer.name}</Link>
          ) : (
            <span>{m.dealer.name}</span>
          )}
          <span className="tl-code">{m.dealer.code}</span>
        </Flex>
      ),
    },
    {
      title: t('backtest.movers.move'),
      key: 'move',
      width: 190,
      render: (_: unknown, m) => <TierChange tiers={tiers} from={m.from} to={m.to} />,
    },
    {
      title: t('decision.col.score'),
      dataIndex: 'score',
      key: 'score',
      align: 'right',
      width: 80,
      render: (score: number) => <span className="tl-num">{format.number(score, 1)}</span>,
    },
    {
      title: (
        <Tooltip title={t('backtest.movers.reasonsHint')}>
          <span>{t('backtest.movers.reasons')}</span>
        </Tooltip>
      ),
      key: 'reasons',
      render: (_: unknown, m) => <ReasonTags reasons={m.reasons} />,
    },
  ];
  return (
    <Table<Mover>
      data-testid="movers-table"
      rowKey={(m) => m.dealer.id}
      size="small"
      columns={columns}
      dataSource={[...movers]}
      pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
      locale={{ emptyText: t('backtest.noMovers') }}
      scroll={{ x: 640 }}
    />
  );
}
