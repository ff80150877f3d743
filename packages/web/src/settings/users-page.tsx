import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import type { User } from '@tierline/contract';
import { App, Button, Card, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSignedIn } from '../auth/session';
import { useI18n } from '../i18n/locale';
import { PageHeading, QueryError } from '../layout/page';
import { useUpdateUser, useUsers } from './identity-queries';
import { ResetPasswordModal } from './reset-password-modal';
import { roleColors } from './roles';
import { UserFormModal } from './user-form-modal';

const timeFormat = 'YYYY-MM-DD HH:mm';

/** Users of the tenant: who may sign in, as what, over which regions or dealer. */
export default function UsersPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useSignedIn().user;
  const users = useUsers();
  const update = useUpdateUser();
  const [now] = useState(() => Date.now());
  const [form, setForm] = useState<{ user: User | undefined } | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);

  function patch(user: User, change: Parameters<typeof update.mutate>[0]['patch'], done: string) {
    update.mutate(
      { id: user.id, patch: change },
      {
        onSuccess: () => void message.success(done),
        onError: (error) => void message.error(error.message),
      },
    );
  }

  const columns: TableColumnsType<User> = [
    {
      title: t('users.col.login'),
      dataIndex: 'login',
      key: 'login',
      width: 120,
      render: (login: string) => <span className="tl-code">{login}</span>,
    },
    { title: t('users.col.name'), dataIndex: 'displayName', key: 'displayName', width: 150 },
    {
      title: t('users.col.role'),
      dataIndex: 'role',
      key: 'role',
      width: 120,
      render: (role: User['role']) => (
        <Tag color={roleColors[role]} data-testid="user-role-tag">
          {t(`role.${role}`)}
        </Tag>
      ),
    },
    {
      title: t('users.col.scope'),
      key: 'scope',
      width: 230,
      render: (_: unknown, user) => {
        if (user.role === 'channel_manager') {
          return user.regions.length === 0 ? (
            <Typography.Text type="warning">{t('users.scope.noRegions')}</Typography.Text>
          ) : (
            user.regions.map((r) => (
              <Tag key={r.code} variant="outlined">
                {r.name}
              </Tag>
            ))
          );
        }
        if (user.role === 'dealer') {
          return user.dealer === null ? (
            <Typography.Text type="warning">{t('users.scope.noDealer')}</Typography.Text>
          ) : (
            <span>
              <span className="tl-code">{user.dealer.code}</span> {user.dealer.name}
            </span>
          );
        }
        return <Typography.Text type="secondary">{t('users.scope.all')}</Typography.Text>;
      },
    },
    {
      title: t('users.col.status'),
      key: 'status',
      width: 130,
      render: (_: unknown, user) => {
        const locked = user.lockedUntil !== null && dayjs(user.lockedUntil).valueOf() > now;
        return (
          <Space size={4} wrap>
            {user.status === 'active' ? (
              <Tag color="green">{t('users.status.active')}</Tag>
            ) : (
              <Tag>{t('users.status.disabled')}</Tag>
            )}
            {locked ? (
              <Tooltip
                title={t('users.lockedUntil', {
                  time: dayjs(user.lockedUntil).format(timeFormat),
                })}
              >
                <Tag color="red" icon={<LockOutlined />} data-testid="user-locked">
                  {t('users.locked')}
                </Tag>
              </Tooltip>
            ) : null}
          </Space>
        );
      },
    },
    {
      title: t('users.col.lastSignIn'),
      dataIndex: 'lastSignInAt',
      key: 'lastSignInAt',
      width: 150,
      render: (at: string | null) =>
        at === null ? (
          <Typography.Text type="secondary">{t('users.neverSignedIn')}</Typography.Text>
        ) : (
          dayjs(at).format(timeFormat)
        ),
    },
    {
      title: t('users.col.actions'),
      key: 'actions',
      width: 230,
      render: (_: unknown, user) => {
        const self = user.id === me.id;
        const locked = user.lockedUntil !== null && dayjs(user.lockedUntil).valueOf() > now;
        return (
          <Space size={0} wrap className="tl-row-actions">
            <Button type="link" size="small" onClick={() => setForm({ user })}>
              {t('users.action.edit')}
            </Button>
            <Button type="link" size="small" onClick={() => setResetting(user)}>
              {t('users.resetPassword')}
            </Button>
            {locked ? (
              <Button
                type="link"
                size="small"
                onClick={() =>
                  patch(user, { unlock: true }, t('users.unlocked', { login: user.login }))
                }
              >
                {t('users.action.unlock')}
              </Button>
            ) : null}
            {self ? null : user.status === 'active' ? (
              <Popconfirm
                title={t('users.disable.confirm', { login: user.login })}
                description={t('users.disable.text')}
                okText={t('users.action.disable')}
                cancelText={t('app.cancel')}
                okButtonProps={{ danger: true, ...{ 'data-testid': 'user-disable-confirm' } }}
                onConfirm={() =>
                  patch(user, { status: 'disabled' }, t('users.disabled', { login: user.login }))
                }
              >
                <Button type="link" size="small" danger data-testid="user-disable">
                  {t('users.action.disable')}
                </Button>
              </Popconfirm>
            ) : (
              <Button
                type="link"
                size="small"
                onClick={() =>
                  patch(user, { status: 'active' }, t('users.enabled', { login: user.login }))
                }
              >
                {t('users.action.enable')}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <div data-testid="users-page">
      <PageHeading
        title={t('users.title')}
        subtitle={t('users.subtitle')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="user-create"
            onClick={() => setForm({ user: undefined })}
          >
            {t('users.create')}
          </Button>
        }
      />
      <Card variant="borderless">
        {users.error === null ? null : (
          <div style={{ marginBottom: 16 }}>
            <QueryError error={users.error} onRetry={() => void users.refetch()} />
          </div>
        )}
        <Table<User>
          data-testid="user-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={users.data?.items ?? []}
          loading={users.isFetching}
          pagination={false}
          scroll={{ x: 1080 }}
          rowClassName={(user) => (user.status === 'disabled' ? 'tl-row-muted' : '')}
          locale={{ emptyText: users.isPending ? ' ' : t('users.empty') }}
        />
      </Card>
      <UserFormModal
        key={form?.user?.id ?? 'new'}
        open={form !== null}
        user={form?.user}
        onClose={() => setForm(null)}
      />
      {resetting === null ? null : (
        <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
      )}
    </div>
  );
}
