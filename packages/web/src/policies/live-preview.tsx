import { LoadingOutlined } from '@ant-design/icons';
import type { Cycle, Simulation, TierDefinition } from '@tierline/contract';
import { Alert, Card, Empty, Flex, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTenant } from '../api/queries';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { previewPeriod } from '../tiering/periods';
import { useCan, useSimulationQuery, useTierOverview } from '../tiering/tier-api';
import { DistributionChart } from '../tiering/tier-charts';
import { TierTag } from '../tiering/tier-tags';
import type { Draft } from './policy-draft';

const cycles: readonly Cycle[] = ['monthly', 'quarterly', 'semiannual', 'annual'];

/**
 * Live preview: the valid draft (debounced) simulated on the latest published period, its tier
 * distribution against the published one, and how many dealers would move.
 */
export function LivePreview({
  draft,
  json,
  cycle: cycleHint,
}: {
  draft: Draft | null;
  json: string | null;
  /** The cycle of the document being edited, valid or not (the period stays while it is not). */
  cycle: unknown;
}) {
  const { t } = useI18n();
  const can = useCan();
  const allowed = can('simulations:run');
  const overview = useTierOverview(allowed);
  const dataTo = useTenant().data?.dataRange?.to ?? null;
  const cycle = cycles.find((c) => c === cycleHint) ?? null;
  const period = previewPeriod(cycle, overview.data?.period ?? null, dataTo);
  const input =
    allowed && draft !== null && period !== null
      ? { policy: { document: draft }, from: period, to: period, movers: 0 }
      : null;
  const simulation = useSimulationQuery(input === null ? null : json, input);

  let body;
  if (!allowed) {
    body = <Typography.Text type="secondary">{t('preview.notAllowed')}</Typography.Text>;
  } else if (period === null) {
    body = <Empty description={t('preview.noPeriod')} />;
  } else if (simulation.error !== null) {
    body = (
      <Alert
        type="error"
        showIcon
        title={t('preview.failed')}
        description={simulation.error.message}
        data-testid="preview-error"
      />
    );
  } else if (simulation.data === undefined) {
    body =
      draft === null ? (
        <Typography.Text type="secondary">{t('preview.waiting')}</Typography.Text>
      ) : (
        <Typography.Text type="secondary">
          <LoadingOutlined /> {t('preview.running')}
        </Typography.Text>
      );
  } else {
    body = <PreviewResult simulation={simulation.data} period={period} />;
  }

  return (
    <Card
      variant="borderless"
      size="small"
      data-testid="policy-preview"
      title={
        <Space>
          {t('preview.title')}
          {simulation.isFetching ? <LoadingOutlined data-testid="preview-loading" /> : null}
        </Space>
      }
      extra={
        !allowed || period === null ? null : (
          <Typography.Text type="secondary">{t('preview.period', { period })}</Typography.Text>
        )
      }
    >
      {body}
      {draft === null && simulation.data !== undefined ? (
        <Typography.Text type="warning" className="tl-kpi-note">
          {t('preview.stale')}
        </Typography.Text>
      ) : null}
    </Card>
  );
}

interface TierRow {
  tier: TierDefinition;
  current: number;
  preview: number;
}

function PreviewResult({ simulation, period }: { simulation: Simulation; period: string }) {
  const { t } = useI18n();
  const format = useFormat();
  const result = simulation.periods.at(-1);
  const rows: TierRow[] = simulation.tiers.map((tier) => ({
    tier,
    current: simulation.current.counts[tier.code] ?? 0,
    preview: result?.counts[tier.code] ?? 0,
  }));
  if (result === undefined) return <Empty />;
  const currentLabel =
    simulation.current.period === null
      ? t('preview.current')
      : t('preview.currentOf', { period: simulation.current.period });
  const columns: TableColumnsType<TierRow> = [
    {
      title: t('preview.col.tier'),
      key: 'tier',
      render: (_: unknown, row) => <TierTag tiers={simulation.tiers} code={row.tier.code} />,
    },
    {
      title: currentLabel,
      dataIndex: 'current',
      key: 'current',
      align: 'right',
      render: (n: number) => <span className="tl-num">{format.number(n)}</span>,
    },
    {
      title: t('preview.draft'),
      dataIndex: 'preview',
      key: 'preview',
      align: 'right',
      render: (n: number) => <span className="tl-num">{format.number(n)}</span>,
    },
    {
      title: 'Δ',
      key: 'delta',
      align: 'right',
      render: (_: unknown, row) => {
        const delta = row.preview - row.current;
        return (
          <Typography.Text
            type={delta > 0 ? 'success' : delta < 0 ? 'danger' : 'secondary'}
            className="tl-num"
          >
            {delta > 0 ? `+${format.number(delta)}` : format.number(delta)}
          </Typography.Text>
        );
      },
    },
  ];
  return (
    <Flex vertical gap={8} data-testid="preview-result">
      <DistributionChart
        tiers={simulation.tiers}
        rows={[
          { label: currentLabel, counts: simulation.current.counts },
          { label: t('preview.draftOf', { period }), counts: result.counts },
        ]}
        testId="preview-chart"
      />
      <Table<TierRow>
        rowKey={(row) => row.tier.code}
        size="small"
        pagination={false}
        columns={columns}
        dataSource={rows}
        data-testid="preview-table"
      />
      <Typography.Text data-testid="preview-moves">
        {t('preview.moves', {
          up: format.number(simulation.matrix.up),
          down: format.number(simulation.matrix.down),
          same: format.number(simulation.matrix.same),
        })}
      </Typography.Text>
      <Typography.Text type="secondary" className="tl-kpi-note">
        {t('preview.note', {
          dealers: format.number(simulation.dealerCount),
          ms: format.number(simulation.elapsedMs),
        })}
      </Typography.Text>
    </Flex>
  );
}
