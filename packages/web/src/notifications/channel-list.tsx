import {
  DeleteOutlined,
  EditOutlined,
  HistoryOutlined,
  PlusOutlined,
  SendOutlined,
} from '@ant-design/icons';
import type { NotificationChannel, NotificationDelivery } from '@tierline/contract';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Modal,
  Popconfirm,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { SeverityTag } from '../alerts/alert-tags';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { channelTarget } from './channel-form';
import { ChannelFormModal } from './channel-form-modal';
import {
  useChannels,
  useDeleteChannel,
  useTestChannel,
  useUpdateChannel,
} from './notification-api';
import { ChannelKindTag, DeliveryStatusTag, EventTag } from './notification-tags';
import { useRegionNames } from './region-codes-select';

/** What the form modal works on: a new channel, or one of the list. */
type Editing = { mode: 'new' } | { mode: 'edit'; channel: NotificationChannel };

/**
 * The tenant's notification channels: kind, name, where each sends (robot URLs masked as the
 * API answers them), what it subscribes to, enable / disable, edit, send a test (with its
 * outcome), its delivery log, and delete.
 */
export function ChannelList({ onShowLog }: { onShowLog: (channelId: number) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const channels = useChannels();
  const update = useUpdateChannel();
  const remove = useDeleteChannel();
  const test = useTestChannel();
  const regionName = useRegionNames();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [tested, setTested] = useState<{ name: string; delivery: NotificationDelivery } | null>(
    null,
  );

  function sendTest(channel: NotificationChannel) {
    test.mutate(channel.id, {
      onSuccess: (delivery) => setTested({ name: channel.name, delivery }),
      onError: (error) => void message.error(error.message),
    });
  }

  const columns: TableColumnsType<NotificationChannel> = [
    {
      title: t('notifications.col.name'),
      key: 'name',
      width: 200,
      render: (_: unknown, channel) => (
        <Flex vertical gap={2}>
          <Typography.Text strong>{channel.name}</Typography.Text>
          {channel.hasSecret ? (
            <span>
              <Tag variant="filled">{t('notifications.secret.set')}</Tag>
            </span>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('notifications.col.kind'),
      key: 'kind',
      width: 100,
      render: (_: unknown, channel) => <ChannelKindTag kind={channel.kind} />,
    },
    {
      title: t('notifications.col.target'),
      key: 'target',
      render: (_: unknown, channel) => (
        <Typography.Text
          className="tl-num"
          style={{ wordBreak: 'break-all' }}
          data-testid="channel-target"
        >
          {channelTarget(channel)}
        </Typography.Text>
      ),
    },
    {
      title: t('notifications.col.filter'),
      key: 'filter',
      width: 260,
      render: (_: unknown, channel) => (
        <Flex vertical gap={4}>
          <span>
            <SeverityTag severity={channel.minSeverity} />
            {t('notifications.filter.andAbove')}
          </span>
          <span>
            {channel.events.map((e) => (
              <EventTag key={e} event={e} />
            ))}
          </span>
          <Typography.Text type="secondary">
            {channel.regionCodes === null
              ? t('notifications.filter.allRegions')
              : t('notifications.filter.regions', {
                  regions: channel.regionCodes.map(regionName).join('、'),
                })}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('notifications.col.enabled'),
      key: 'enabled',
      width: 80,
      render: (_: unknown, channel) => (
        <Switch
          size="small"
          checked={channel.enabled}
          loading={update.isPending && update.variables.id === channel.id}
          data-testid={`channel-enabled-${channel.id}`}
          onChange={(enabled) =>
            update.mutate(
              { id: channel.id, patch: { enabled } },
              {
                onSuccess: () =>
                  void message.success(
                    t('notifications.enabledChanged', {
                      state: t(enabled ? 'notifications.enabled.on' : 'notifications.enabled.off'),
                    }),
                  ),
                onError: (error) => void message.error(error.message),
              },
            )
          }
        />
      ),
    },
    {
      title: t('notifications.col.actions'),
      key: 'actions',
      width: 180,
      render: (_: unknown, channel) => (
        <Space size={0} wrap>
          <Tooltip title={t('notifications.action.edit')}>
            <Button
              type="text"
              icon={<EditOutlined />}
              aria-label={t('notifications.action.edit')}
              data-testid={`channel-edit-${channel.id}`}
              onClick={() => setEditing({ mode: 'edit', channel })}
            />
          </Tooltip>
          <Tooltip title={t('notifications.action.test')}>
            <Button
              type="text"
              icon={<SendOutlined />}
              aria-label={t('notifications.action.test')}
              loading={test.isPending && test.variables === channel.id}
              data-testid={`channel-test-${channel.id}`}
              onClick={() => sendTest(channel)}
            />
          </Tooltip>
          <Tooltip title={t('notifications.action.log')}>
            <Button
              type="text"
              icon={<HistoryOutlined />}
              aria-label={t('notifications.action.log')}
              onClick={() => onShowLog(channel.id)}
            />
          </Tooltip>
          <Popconfirm
            title={t('notifications.delete.confirm', { name: channel.name })}
            okText={t('notifications.action.delete')}
            cancelText={t('app.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() =>
              remove.mutate(channel.id, {
                onSuccess: () => void message.success(t('notifications.deleted')),
                onError: (error) => void message.error(error.message),
              })
            }
          >
            <Tooltip title={t('notifications.action.delete')}>
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('notifications.action.delete')}
                data-testid={`channel-delete-${channel.id}`}
              />
            </Tooltip>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <Card
      variant="borderless"
      data-testid="channel-list"
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="channel-new"
          onClick={() => setEditing({ mode: 'new' })}
        >
          {t('notifications.channels.new')}
        </Button>
      }
      title={t('notifications.tab.channels')}
    >
      {channels.error === null ? null : (
        <div style={{ marginBottom: 16 }}>
          <QueryError error={channels.error} onRetry={() => void channels.refetch()} />
        </div>
      )}
      <Table<NotificationChannel>
        data-testid="channel-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={channels.data?.items ?? []}
        loading={channels.isFetching}
        pagination={false}
        scroll={{ x: 1000 }}
        rowClassName={(channel) => (channel.enabled ? '' : 'tl-row-muted')}
        locale={{ emptyText: channels.isPending ? ' ' : t('notifications.channels.empty') }}
      />
      {editing === null ? null : (
        <ChannelFormModal
          key={editing.mode === 'new' ? '(new)' : editing.channel.id}
          channel={editing.mode === 'new' ? undefined : editing.channel}
          onClose={() => setEditing(null)}
        />
      )}
      <Modal
        open={tested !== null}
        title={tested === null ? '' : t('notifications.test.title', { name: tested.name })}
        footer={null}
        onCancel={() => setTested(null)}
        destroyOnHidden
        width={620}
      >
        {tested === null ? null : <TestOutcome delivery={tested.delivery} />}
      </Modal>
    </Card>
  );
}

/** How a test message went: delivered, or the error with what the receiver answered. */
function TestOutcome({ delivery }: { delivery: NotificationDelivery }) {
  const { t } = useI18n();
  const delivered = delivery.status === 'delivered';
  return (
    <Flex vertical gap={12} data-testid="channel-test-result">
      <Alert
        type={delivered ? 'success' : 'error'}
        showIcon
        title={delivered ? t('notifications.test.delivered') : t('notifications.test.failed')}
        description={delivered ? undefined : (delivery.lastError ?? undefined)}
      />
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('notifications.log.col.status')}>
          <DeliveryStatusTag status={delivery.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('notifications.log.col.http')}>
          {delivery.responseStatus ?? '—'}
        </Descriptions.Item>
        {delivery.responseBody === null || delivery.responseBody === '' ? null : (
          <Descriptions.Item label={t('notifications.log.answer')}>
            <Typography.Paragraph
              code
              style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 }}
            >
              {delivery.responseBody}
            </Typography.Paragraph>
          </Descriptions.Item>
        )}
      </Descriptions>
      {delivered ? null : (
        <Typography.Text type="secondary">{t('notifications.test.hint')}</Typography.Text>
      )}
    </Flex>
  );
}
