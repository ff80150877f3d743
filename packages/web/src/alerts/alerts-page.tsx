import { NotificationOutlined, SettingOutlined } from '@ant-design/icons';
import type { AlertSeverity, AlertSummary } from '@tierline/contract';
import { Button, Card, Flex, Select, Space, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { RegionCascader } from '../dealers/region-cascader';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { LinkButton, PageHeading, QueryError } from '../layout/page';
import { useCan } from '../tiering/tier-api';
import { useAlertRules, useAlerts } from './alert-api';
import { AlertStatusTag, SeverityTag } from './alert-tags';
import {
  alertSeverities,
  alertStatuses,
  boardFiltersFromSearch,
  boardFiltersToApiParams,
  boardFiltersToQueryString,
  defaultBoardFilters,
  type BoardFilters,
  type BoardStatus,
} from './board-filters';

const timeFormat = 'YYYY-MM-DD HH:mm';

/**
 * The alert board (PRODUCT §5): counts by severity and status, then the alerts of the caller's
 * scope (the server decides it), filtered by severity, status, region, owner and rule.
 */
export default function AlertsPage() {
  const { t, locale } = useI18n();
  const format = useFormat();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => boardFiltersFromSearch(search), [search]);
  const params = useMemo(() => boardFiltersToApiParams(filters), [filters]);
  const alerts = useAlerts(params);
  const rules = useAlertRules();
  const can = useCan();

  function update(change: Partial<BoardFilters>) {
    // Any change of filter starts from the first page; paging sets its own cursor.
    setSearch(boardFiltersToQueryString({ ...filters, cursor: undefined, ...change }));
  }

  const totals = alerts.data?.totals;
  const columns: TableColumnsType<AlertSummary> = [
    {
      title: t('alerts.col.severity'),
      dataIndex: 'severity',
      key: 'severity',
      width: 84,
      render: (severity: AlertSeverity) => <SeverityTag severity={severity} />,
    },
    {
      title: t('alerts.col.dealer'),
      key: 'dealer',
      width: 220,
      render: (_: unknown, alert) => (
        <Flex vertical gap={0}>
          <Link to={`/dealers/${alert.dealer.id}`} onClick={(e) => e.stopPropagation()}>
            {alert.dealer.name}
          </Link>
          <Typography.Text type="secondary" className="tl-num">
            {alert.dealer.code}
            {alert.dealer.region === null ? '' : ` · ${alert.dealer.region.name}`}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('alerts.col.rule'),
      key: 'rule',
      width: 160,
      render: (_: unknown, alert) => alert.rule.name,
    },
    {
      title: t('alerts.col.title'),
      key: 'title',
      render: (_: unknown, alert) => (
        <Link to={`/alerts/${alert.id}`} data-testid="alert-title">
          {locale === 'zh-CN' ? alert.title : alert.titleEn}
        </Link>
      ),
    },
    {
      title: t('alerts.col.status'),
      dataIndex: 'status',
      key: 'status',
      width: 100,
      render: (_: unknown, alert) => <AlertStatusTag status={alert.status} />,
    },
    {
      title: t('alerts.col.owner'),
      key: 'owner',
      width: 110,
      render: (_: unknown, alert) =>
        alert.owner?.name ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: t('alerts.col.opened'),
      key: 'opened',
      width: 150,
      render: (_: unknown, alert) => (
        <Flex vertical gap={0}>
          <span className="tl-num">{dayjs(alert.openedAt).format(timeFormat)}</span>
          <Typography.Text type="secondary" className="tl-num">
            {t('alerts.col.updated')} {dayjs(alert.updatedAt).format(timeFormat)}
          </Typography.Text>
        </Flex>
      ),
    },
  ];

  return (
    <div data-testid="alerts-page">
      <PageHeading
        title={t('alerts.title')}
        subtitle={t('alerts.subtitle')}
        extra={
          <Space>
            {can('alerts:configure') ? (
              <LinkButton to="/alerts/notifications" testId="alerts-notifications-link">
                <NotificationOutlined /> {t('notifications.link')}
              </LinkButton>
            ) : null}
            <LinkButton to="/alerts/rules" testId="alerts-rules-link">
              <SettingOutlined /> {t('alerts.rulesLink')}
            </LinkButton>
          </Space>
        }
      />
      <Flex gap={16} wrap style={{ marginBottom: 16 }} data-testid="alert-counts">
        {alertSeverities.map((severity) => (
          <Card
            key={severity}
            variant="borderless"
            size="small"
            hoverable
            style={{ minWidth: 140 }}
            onClick={() =>
              update({ severity: filters.severity === severity ? undefined : severity })
            }
          >
            <Statistic
              title={<SeverityTag severity={severity} />}
              value={totals === undefined ? '—' : format.number(totals.severity[severity] ?? 0)}
            />
          </Card>
        ))}
        {alertStatuses.map((status) => (
          <Card
            key={status}
            variant="borderless"
            size="small"
            hoverable
            style={{ minWidth: 140 }}
            onClick={() => update({ status: filters.status === status ? 'active' : status })}
          >
            <Statistic
              title={<AlertStatusTag status={status} />}
              value={totals === undefined ? '—' : format.number(totals.status[status] ?? 0)}
            />
          </Card>
        ))}
      </Flex>
      <Card variant="borderless">
        <Space wrap style={{ marginBottom: 16 }}>
          <Select<AlertSeverity | ''>
            data-testid="filter-severity"
            style={{ width: 130 }}
            value={filters.severity ?? ''}
            onChange={(value) => update({ severity: value === '' ? undefined : value })}
            options={[
              { value: '', label: t('alerts.filter.severity') },
              ...alertSeverities.map((s) => ({ value: s, label: t(`alerts.severity.${s}`) })),
            ]}
          />
          <Select<BoardStatus>
            data-testid="filter-status"
            style={{ width: 170 }}
            value={filters.status}
            onChange={(value) => update({ status: value })}
            options={(['active', ...alertStatuses, 'all'] as const).map((s) => ({
              value: s,
              label: t(`alerts.status.${s}`),
            }))}
          />
          <RegionCascader
            value={filters.regionPath}
            onChange={(path) => update({ regionPath: path })}
            placeholder={t('alerts.filter.region')}
          />
          <Select<string>
            data-testid="filter-owner"
            style={{ width: 130 }}
            allowClear
            placeholder={t('alerts.filter.owner')}
            value={filters.owner}
            onChange={(value) => update({ owner: value })}
            options={[
              { value: 'me', label: t('alerts.filter.owner.me') },
              { value: 'none', label: t('alerts.filter.owner.none') },
            ]}
          />
          <Select<string>
            data-testid="filter-rule"
            style={{ width: 200 }}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('alerts.filter.rule')}
            loading={rules.isPending}
            value={filters.rule}
            onChange={(value) => update({ rule: value })}
            options={(rules.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))}
          />
          <Button onClick={() => setSearch(boardFiltersToQueryString(defaultBoardFilters))}>
            {t('alerts.filter.clear')}
          </Button>
        </Space>
        {alerts.error === null ? null : (
          <div style={{ marginBottom: 16 }}>
            <QueryError error={alerts.error} onRetry={() => void alerts.refetch()} />
          </div>
        )}
        <Table<AlertSummary>
          data-testid="alert-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={alerts.data?.items ?? []}
          loading={alerts.isFetching}
          pagination={false}
          scroll={{ x: 1000 }}
          rowClassName={() => 'tl-clickable-row'}
          onRow={(alert) => ({ onClick: () => void navigate(`/alerts/${alert.id}`) })}
          locale={{ emptyText: alerts.isPending ? ' ' : t('alerts.empty') }}
        />
        <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
          <Typography.Text type="secondary" data-testid="alert-total">
            {alerts.data === undefined
              ? ' '
              : t('alerts.total', { count: format.number(alerts.data.total) })}
          </Typography.Text>
          <Space>
            <Button
              disabled={filters.cursor === undefined}
              onClick={() => update({ cursor: undefined })}
            >
              {t('alerts.first')}
            </Button>
            <Button
              data-testid="alert-next"
              disabled={(alerts.data?.nextCursor ?? null) === null}
              onClick={() => update({ cursor: alerts.data?.nextCursor ?? undefined })}
            >
              {t('alerts.next')}
            </Button>
          </Space>
        </Flex>
      </Card>
    </div>
  );
}
