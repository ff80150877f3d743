import { ReloadOutlined } from '@ant-design/icons';
import type { NotificationDelivery, NotificationDeliveryStatus } from '@tierline/contract';
import {
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  InputNumber,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import {
  canRetry,
  deliveryFiltersToApiParams,
  deliveryStatuses,
  noDeliveryFilters,
  responseOk,
  type DeliveryFilters,
} from './delivery-log';
import { useChannels, useDeliveries, useRetryDelivery } from './notification-api';
import { ChannelKindTag, DeliveryStatusTag, EventTag } from './notification-tags';

const timeFormat = 'YYYY-MM-DD HH:mm:ss';

/**
 * The delivery log, newest first: filters by status, channel and alert (in the URL), keyset
 * pages with the total, the answer of each attempt, and a retry of failed and dead deliveries.
 */
export function DeliveryLogTable({
  filters,
  onChange,
}: {
  filters: DeliveryFilters;
  onChange: (filters: DeliveryFilters) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const format = useFormat();
  const params = useMemo(() => deliveryFiltersToApiParams(filters), [filters]);
  const deliveries = useDeliveries(params);
  const channels = useChannels();
  const retry = useRetryDelivery();
  // The alert id box applies on Enter or when it loses focus.
  const [alertText, setAlertText] = useState<number | null>(filters.alertId ?? null);
  const [shownAlert, setShownAlert] = useState(filters.alertId);
  if (shownAlert !== filters.alertId) {
    setShownAlert(filters.alertId);
    setAlertText(filters.alertId ?? null);
  }

  function update(change: Partial<DeliveryFilters>) {
    // A change of filter starts from the first page; paging sets its own cursor.
    onChange({ ...filters, cursor: undefined, ...change });
  }

  function applyAlert() {
    const id = alertText ?? undefined;
    if (id !== filters.alertId) update({ alertId: id });
  }

  function runRetry(delivery: NotificationDelivery) {
    retry.mutate(delivery.id, {
      onSuccess: (after) => {
        if (after.status === 'delivered')
          void message.success(t('notifications.log.retried.delivered'));
        else
          void message.warning(
            t('notifications.log.retried.failed', {
              error: after.lastError ?? t(`notifications.log.status.${after.status}`),
            }),
          );
      },
      onError: (error) => void message.error(error.message),
    });
  }

  const at = (iso: string | null) => (iso === null ? '—' : dayjs(iso).format(timeFormat));
  const columns: TableColumnsType<NotificationDelivery> = [
    {
      title: t('notifications.log.col.time'),
      key: 'time',
      width: 170,
      render: (_: unknown, d) => (
        <Flex vertical gap={0}>
          <span className="tl-num">{at(d.createdAt)}</span>
          {d.deliveredAt === null ? null : (
            <Typography.Text type="secondary" className="tl-num">
              {t('notifications.log.delivered', { at: dayjs(d.deliveredAt).format('HH:mm:ss') })}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('notifications.log.col.status'),
      key: 'status',
      width: 110,
      render: (_: unknown, d) => <DeliveryStatusTag status={d.status} />,
    },
    {
      title: t('notifications.log.col.channel'),
      key: 'channel',
      width: 180,
      render: (_: unknown, d) => (
        <Flex vertical gap={2} align="start">
          <Typography.Text>{d.channel.name}</Typography.Text>
          <ChannelKindTag kind={d.channel.kind} />
        </Flex>
      ),
    },
    {
      title: t('notifications.log.col.alert'),
      key: 'alert',
      width: 280,
      render: (_: unknown, d) => (
        <Flex vertical gap={2} align="start">
          <Space size={4}>
            <EventTag event={d.event} />
            {d.alertId === null ? (
              <Typography.Text type="secondary">{t('notifications.log.test')}</Typography.Text>
            ) : (
              <Link to={`/alerts/${d.alertId}`} className="tl-num">
                #{d.alertId}
              </Link>
            )}
          </Space>
          <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>
            {d.payload.alert.title}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('notifications.log.col.attempts'),
      key: 'attempts',
      width: 90,
      align: 'right',
      render: (_: unknown, d) => <span className="tl-num">{format.number(d.attempts)}</span>,
    },
    {
      title: t('notifications.log.col.next'),
      key: 'next',
      width: 170,
      render: (_: unknown, d) => (
        <span className="tl-num">
          {d.status === 'failed' || d.status === 'pending' ? at(d.nextAttemptAt) : '—'}
        </span>
      ),
    },
    {
      title: t('notifications.log.col.http'),
      key: 'http',
      width: 90,
      align: 'right',
      render: (_: unknown, d) => {
        const ok = responseOk(d.responseStatus);
        return ok === null ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Typography.Text type={ok ? 'success' : 'danger'} className="tl-num">
            {d.responseStatus}
          </Typography.Text>
        );
      },
    },
    {
      title: t('notifications.log.col.error'),
      key: 'error',
      width: 240,
      render: (_: unknown, d) =>
        d.lastError === null ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Typography.Text
            type="danger"
            ellipsis={{ tooltip: d.lastError }}
            style={{ maxWidth: 230 }}
          >
            {d.lastError}
          </Typography.Text>
        ),
    },
    {
      title: '',
      key: 'retry',
      width: 90,
      fixed: 'right',
      render: (_: unknown, d) =>
        canRetry(d) ? (
          <Button
            size="small"
            icon={<ReloadOutlined />}
            loading={retry.isPending && retry.variables === d.id}
            data-testid={`delivery-retry-${d.id}`}
            onClick={() => runRetry(d)}
          >
            {t('notifications.log.retry')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Card variant="borderless" data-testid="delivery-log" title={t('notifications.tab.log')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<NotificationDeliveryStatus | ''>
          data-testid="delivery-filter-status"
          style={{ width: 150 }}
          value={filters.status ?? ''}
          onChange={(value) => update({ status: value === '' ? undefined : value })}
          options={[
            { value: '', label: t('notifications.log.filter.status') },
            ...deliveryStatuses.map((s) => ({
              value: s,
              label: t(`notifications.log.status.${s}`),
            })),
          ]}
        />
        <Select<number>
          data-testid="delivery-filter-channel"
          style={{ width: 220 }}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('notifications.log.filter.channel')}
          loading={channels.isPending}
          value={filters.channelId}
          onChange={(value) => update({ channelId: value })}
          options={(channels.data?.items ?? []).map((c) => ({
            value: c.id,
            label: `${c.name} · ${t(`notifications.kind.${c.kind}`)}`,
          }))}
        />
        <InputNumber<number>
          data-testid="delivery-filter-alert"
          style={{ width: 150 }}
          min={1}
          precision={0}
          controls={false}
          placeholder={t('notifications.log.filter.alert')}
          value={alertText}
          onChange={(value) => setAlertText(value)}
          onPressEnter={applyAlert}
          onBlur={applyAlert}
        />
        <Button onClick={() => onChange(noDeliveryFilters)}>
          {t('notifications.log.filter.clear')}
        </Button>
      </Space>
      {deliveries.error === null ? null : (
        <div style={{ marginBottom: 16 }}>
          <QueryError error={deliveries.error} onRetry={() => void deliveries.refetch()} />
        </div>
      )}
      <Table<NotificationDelivery>
        data-testid="delivery-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={deliveries.data?.items ?? []}
        loading={deliveries.isFetching}
        pagination={false}
        scroll={{ x: 1500 }}
        locale={{ emptyText: deliveries.isPending ? ' ' : t('notifications.log.empty') }}
        expandable={{
          expandedRowRender: (d) => (
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('notifications.log.message')}>
                <Flex vertical gap={2}>
                  <Typography.Text strong>{d.payload.alert.title}</Typography.Text>
                  <Typography.Text type="secondary">{d.payload.alert.summary}</Typography.Text>
                </Flex>
              </Descriptions.Item>
              {d.lastError === null ? null : (
                <Descriptions.Item label={t('notifications.log.col.error')}>
                  <Typography.Text type="danger" style={{ wordBreak: 'break-all' }}>
                    {d.lastError}
                  </Typography.Text>
                </Descriptions.Item>
              )}
              {d.responseBody === null || d.responseBody === '' ? null : (
                <Descriptions.Item label={t('notifications.log.answer')}>
                  <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                    {d.responseBody}
                  </Typography.Text>
                </Descriptions.Item>
              )}
            </Descriptions>
          ),
        }}
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" data-testid="delivery-total">
          {deliveries.data === undefined
            ? ' '
            : t('notifications.log.total', { count: format.number(deliveries.data.total) })}
        </Typography.Text>
        <Space>
          <Button
            disabled={filters.cursor === undefined}
            onClick={() => update({ cursor: undefined })}
          >
            {t('notifications.log.first')}
          </Button>
          <Button
            data-testid="delivery-next"
            disabled={(deliveries.data?.nextCursor ?? null) === null}
            onClick={() => update({ cursor: deliveries.data?.nextCursor ?? undefined })}
          >
            {t('notifications.log.next')}
          </Button>
        </Space>
      </Flex>
    </Card>
  );
}
