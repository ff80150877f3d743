import type { Standing } from '@tierline/contract';
import { Card, Col, Empty, Flex, Row, Select, Skeleton, Space, Statistic, Typography } from 'antd';
import { useState } from 'react';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { useMigration, useTierOverview } from '../tiering/tier-api';
import { DistributionChart, MigrationSankey } from '../tiering/tier-charts';
import { standingHex } from '../tiering/tier-tags';

const watched: readonly Standing[] = ['at_risk', 'probation', 'elimination'];

/** The default Sankey span: the latest published period and the one this many before it. */
const defaultSpan = 3;

/**
 * The dashboard's tiering panels (PRODUCT §8): the current tier distribution with the
 * standings that need attention, and a Sankey of migrations between two published periods.
 * Loaded with ECharts only when the dashboard opens.
 */
export default function TierPanels() {
  const { t } = useI18n();
  const format = useFormat();
  const overview = useTierOverview();
  const data = overview.data;

  if (overview.error !== null) {
    return (
      <Col span={24}>
        <QueryError error={overview.error} onRetry={() => void overview.refetch()} />
      </Col>
    );
  }
  if (data === undefined) {
    return (
      <Col span={24}>
        <Card variant="borderless">
          <Skeleton active paragraph={{ rows: 4 }} />
        </Card>
      </Col>
    );
  }
  const total = Object.values(data.counts).reduce((s, n) => s + n, 0);
  if (data.period === null) {
    return (
      <Col span={24}>
        <Card variant="borderless" title={t('dashboard.tiers.title')}>
          <Empty description={t('dashboard.tiers.none')} data-testid="dashboard-tiers-empty" />
        </Card>
      </Col>
    );
  }

  return (
    <>
      <Col xs={24} xl={10}>
        <Card
          variant="borderless"
          title={t('dashboard.tiers.title')}
          extra={
            <Typography.Text type="secondary">
              {t('dashboard.tiers.period', { period: data.period })}
            </Typography.Text>
          }
          style={{ height: '100%' }}
          data-testid="dashboard-tiers"
        >
          <DistributionChart
            tiers={data.tiers}
            rows={[{ label: data.period, counts: data.counts }]}
            testId="dashboard-distribution"
          />
          <Row gutter={[12, 12]} style={{ marginTop: 8 }}>
            {data.tiers.map((tier) => {
              const n = data.counts[tier.code] ?? 0;
              return (
                <Col span={12} key={tier.code}>
                  <Statistic
                    title={
                      <Flex align="center" gap={6}>
                        <span className="tl-dot" style={{ background: tier.color }} />
                        {tier.name}
                      </Flex>
                    }
                    value={format.number(n)}
                    suffix={
                      total === 0 ? undefined : (
                        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                          {format.percent(n / total)}
                        </Typography.Text>
                      )
                    }
                    data-testid={`dashboard-tier-${tier.code}`}
                  />
                </Col>
              );
            })}
          </Row>
          <div className="tl-standings" data-testid="dashboard-standings">
            <Typography.Text type="secondary" className="tl-facet-label">
              {t('dashboard.tiers.attention')}
            </Typography.Text>
            <Space size={16} wrap>
              {watched.map((standing) => (
                <span key={standing} data-testid={`standing-${standing}`}>
                  <span className="tl-dot" style={{ background: standingHex[standing] }} />{' '}
                  {t(`standing.${standing}`)}{' '}
                  <Typography.Text strong className="tl-num">
                    {format.number(data.standings[standing] ?? 0)}
                  </Typography.Text>
                </span>
              ))}
            </Space>
          </div>
        </Card>
      </Col>
      <Col xs={24} xl={14}>
        <MigrationCard periods={data.periods} />
      </Col>
    </>
  );
}

function MigrationCard({ periods }: { periods: readonly string[] }) {
  const { t } = useI18n();
  const format = useFormat();
  const [picked, setPicked] = useState<{ from: string; to: string } | null>(null);
  const to = picked?.to ?? periods[0] ?? null;
  const from = picked?.from ?? periods[Math.min(defaultSpan, periods.length - 1)] ?? null;
  const migration = useMigration(from, to);
  const options = periods.map((p) => ({ value: p, label: p }));
  const matrix = migration.data?.matrix;

  return (
    <Card
      variant="borderless"
      title={t('migration.title')}
      style={{ height: '100%' }}
      data-testid="dashboard-migration"
      extra={
        <Space size={6}>
          <Select<string>
            size="small"
            style={{ width: 100 }}
            value={from ?? undefined}
            onChange={(value) => setPicked({ from: value, to: to ?? value })}
            options={options.map((o) => ({ ...o, disabled: to !== null && o.value >= to }))}
            data-testid="migration-from"
          />
          →
          <Select<string>
            size="small"
            style={{ width: 100 }}
            value={to ?? undefined}
            onChange={(value) => setPicked({ from: from ?? value, to: value })}
            options={options.map((o) => ({ ...o, disabled: from !== null && o.value <= from }))}
            data-testid="migration-to"
          />
        </Space>
      }
    >
      {periods.length < 2 ? (
        <Empty description={t('migration.needTwo')} />
      ) : migration.error !== null ? (
        <QueryError error={migration.error} onRetry={() => void migration.refetch()} />
      ) : migration.data === undefined ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <>
          <MigrationSankey migration={migration.data} testId="migration-sankey" />
          {matrix === undefined ? null : (
            <Typography.Text type="secondary" data-testid="migration-summary">
              {t('preview.moves', {
                up: format.number(matrix.up),
                down: format.number(matrix.down),
                same: format.number(matrix.same),
              })}
            </Typography.Text>
          )}
        </>
      )}
    </Card>
  );
}
