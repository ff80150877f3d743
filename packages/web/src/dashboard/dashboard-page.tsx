import { ArrowRightOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Flex, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { Link } from 'react-router-dom';
import { useDealerFacets, useTenant } from '../api/queries';
import { useSignedIn } from '../auth/session';
import { dealerStatuses, defaultFilters, filtersToQueryString } from '../dealers/filter-state';
import { statusHex } from '../dealers/status-tag';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { LinkButton, PageHeading, QueryError } from '../layout/page';

// The tier panels draw with ECharts: they load after the dashboard's first paint.
const TierPanels = lazy(() => import('./tier-panels'));

function dealersLink(patch: Partial<typeof defaultFilters>): string {
  const search = filtersToQueryString({ ...defaultFilters, ...patch });
  return search === '' ? '/dealers' : `/dealers?${search}`;
}

/**
 * Dealer counts by status and the data range; for callers who may read assessments, the current
 * tier distribution with its standings and the migration Sankey. The coverage map, KPI trends
 * and alerts need features still to come.
 */
export function DashboardPage() {
  const { t, channelType: channelTypeName } = useI18n();
  const { permissions } = useSignedIn();
  const format = useFormat();
  const facets = useDealerFacets();
  const tenant = useTenant();

  const counts = facets.data?.statusCounts;
  const total =
    counts === undefined ? undefined : dealerStatuses.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  const range = tenant.data?.dataRange;

  return (
    <div data-testid="dashboard">
      <PageHeading
        title={t('dashboard.title')}
        subtitle={tenant.data?.name ?? t('dashboard.subtitle')}
        extra={
          <LinkButton to="/dealers" type="primary" testId="dashboard-open-dealers">
            {t('dashboard.openDealers')} <ArrowRightOutlined />
          </LinkButton>
        }
      />
      {facets.error === null ? null : (
        <QueryError error={facets.error} onRetry={() => void facets.refetch()} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12} xl={8}>
          <Card variant="borderless" className="tl-kpi">
            {total === undefined ? (
              <Skeleton active paragraph={{ rows: 1 }} />
            ) : (
              <div data-testid="kpi-total-dealers">
                <Statistic title={t('dashboard.totalDealers')} value={format.number(total)} />
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} md={12} xl={16}>
          <Card variant="borderless" className="tl-kpi">
            {tenant.isPending ? (
              <Skeleton active paragraph={{ rows: 1 }} />
            ) : (
              <div data-testid="kpi-data-range">
                <Statistic
                  title={t('dashboard.dataRange')}
                  value={
                    range === null || range === undefined
                      ? t('dashboard.noData')
                      : t('dashboard.dataRangeValue', { from: range.from, to: range.to })
                  }
                />
              </div>
            )}
          </Card>
        </Col>
        {dealerStatuses.map((status) => (
          <Col xs={12} md={6} key={status}>
            <Link to={dealersLink({ status: [status] })} data-testid={`kpi-status-${status}`}>
              <Card variant="borderless" hoverable className="tl-kpi">
                {counts === undefined ? (
                  <Skeleton active paragraph={{ rows: 1 }} />
                ) : (
                  <Statistic
                    title={
                      <Flex align="center" gap={6}>
                        <span className="tl-dot" style={{ background: statusHex[status] }} />
                        {t(`status.${status}`)}
                      </Flex>
                    }
                    value={format.number(counts[status] ?? 0)}
                    suffix={
                      total === undefined || total === 0 ? undefined : (
                        <Typography.Text type="secondary" style={{ fontSize: 14 }}>
                          {format.percent((counts[status] ?? 0) / total)}
                        </Typography.Text>
                      )
                    }
                  />
                )}
              </Card>
            </Link>
          </Col>
        ))}
        {permissions.includes('assessments:read') ? (
          <Suspense
            fallback={
              <Col span={24}>
                <Card variant="borderless">
                  <Skeleton active paragraph={{ rows: 4 }} />
                </Card>
              </Col>
            }
          >
            <TierPanels />
          </Suspense>
        ) : null}
        <Col span={24}>
          <Alert
            type="info"
            showIcon
            icon={<InfoCircleOutlined />}
            title={t('dashboard.later')}
            data-testid="dashboard-later"
          />
        </Col>
        {facets.data === undefined ? null : (
          <Col span={24}>
            <Card variant="borderless">
              <Flex vertical gap={12}>
                <div>
                  <Typography.Text type="secondary" className="tl-facet-label">
                    {t('dashboard.channelTypes')}
                  </Typography.Text>
                  {facets.data.channelTypes.map((channelType) => (
                    <Link key={channelType} to={dealersLink({ channelType })}>
                      <Tag color="blue" variant="outlined">
                        {channelTypeName(channelType)}
                      </Tag>
                    </Link>
                  ))}
                </div>
                <div>
                  <Typography.Text type="secondary" className="tl-facet-label">
                    {t('dashboard.tags')}
                  </Typography.Text>
                  {facets.data.tags.length === 0 ? (
                    <Typography.Text type="secondary">—</Typography.Text>
                  ) : (
                    facets.data.tags.map((tag) => (
                      <Link key={tag} to={dealersLink({ tag })}>
                        <Tag>{tag}</Tag>
                      </Link>
                    ))
                  )}
                </div>
              </Flex>
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}
