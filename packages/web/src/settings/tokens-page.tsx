import { PlusOutlined } from '@ant-design/icons';
import type { ApiToken } from '@tierline/contract';
import { App, Button, Card, Popconfirm, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useI18n } from '../i18n/locale';
import { PageHeading, QueryError } from '../layout/page';
import { useRevokeToken, useTokens } from './identity-queries';
import { TokenCreateModal } from './token-create-modal';

const timeFormat = 'YYYY-MM-DD HH:mm';

type TokenState = 'active' | 'expired' | 'revoked';

function tokenState(token: ApiToken, now: number): TokenState {
  if (token.revokedAt !== null) return 'revoked';
  if (token.expiresAt !== null && dayjs(token.expiresAt).valueOf() <= now) return 'expired';
  return 'active';
}

const stateColors: Record<TokenState, string> = {
  active: 'green',
  expired: 'orange',
  revoked: 'default',
};

/** API tokens for ERP, CRM and IoT connectors: created here, shown once, revoked here. */
export default function TokensPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [now] = useState(() => Date.now());
  const [creating, setCreating] = useState(false);
  const time = (at: string | null, none: string) =>
    at === null ? (
      <Typography.Text type="secondary">{none}</Typography.Text>
    ) : (
      dayjs(at).format(timeFormat)
    );

  const columns: TableColumnsType<ApiToken> = [
    { title: t('tokens.col.name'), dataIndex: 'name', key: 'name', ellipsis: true },
    {
      title: t('tokens.col.scope'),
      dataIndex: 'scope',
      key: 'scope',
      width: 100,
      render: (scope: ApiToken['scope']) => (
        <Tag color={scope === 'ingest' ? 'blue' : 'purple'}>{t(`tokens.scope.${scope}`)}</Tag>
      ),
    },
    {
      title: t('tokens.col.prefix'),
      dataIndex: 'prefix',
      key: 'prefix',
      width: 130,
      render: (prefix: string) => <span className="tl-code">{prefix}…</span>,
    },
    { title: t('tokens.col.createdBy'), dataIndex: 'createdBy', key: 'createdBy', width: 100 },
    {
      title: t('tokens.col.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      width: 140,
      render: (at: string) => time(at, ''),
    },
    {
      title: t('tokens.col.lastUsedAt'),
      dataIndex: 'lastUsedAt',
      key: 'lastUsedAt',
      width: 140,
      render: (at: string | null) => time(at, t('tokens.neverUsed')),
    },
    {
      title: t('tokens.col.expiresAt'),
      dataIndex: 'expiresAt',
      key: 'expiresAt',
      width: 140,
      render: (at: string | null) => time(at, t('tokens.expiry.never')),
    },
    {
      title: t('tokens.col.state'),
      key: 'state',
      width: 90,
      render: (_: unknown, token) => {
        const state = tokenState(token, now);
        return (
          <Tag color={stateColors[state]} data-testid="token-state">
            {t(`tokens.state.${state}`)}
          </Tag>
        );
      },
    },
    {
      title: t('tokens.col.actions'),
      key: 'actions',
      width: 80,
      render: (_: unknown, token) =>
        token.revokedAt !== null ? null : (
          <Popconfirm
            title={t('tokens.revoke.confirm', { name: token.name })}
            description={t('tokens.revoke.text')}
            okText={t('tokens.revoke')}
            cancelText={t('app.cancel')}
            okButtonProps={{ danger: true, ...{ 'data-testid': 'token-revoke-confirm' } }}
            onConfirm={() =>
              revoke.mutate(token.id, {
                onSuccess: () => void message.success(t('tokens.revoked', { name: token.name })),
                onError: (error) => void message.error(error.message),
              })
            }
          >
            <Button type="link" size="small" danger data-testid="token-revoke">
              {t('tokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <div data-testid="tokens-page">
      <PageHeading
        title={t('tokens.title')}
        subtitle={t('tokens.subtitle')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="token-create"
            onClick={() => setCreating(true)}
          >
            {t('tokens.create')}
          </Button>
        }
      />
      <Card variant="borderless">
        {tokens.error === null ? null : (
          <div style={{ marginBottom: 16 }}>
            <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} />
          </div>
        )}
        <Table<ApiToken>
          data-testid="token-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={tokens.data?.items ?? []}
          loading={tokens.isFetching}
          pagination={false}
          scroll={{ x: 1060 }}
          rowClassName={(token) => (tokenState(token, now) === 'active' ? '' : 'tl-row-muted')}
          locale={{ emptyText: tokens.isPending ? ' ' : t('tokens.empty') }}
        />
      </Card>
      <TokenCreateModal open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
