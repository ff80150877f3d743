import { DownOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Dropdown, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/locale';
import { ChangePasswordModal } from './change-password-modal';
import { useSignedIn, useSignOut } from './session';

/** The header's account menu: who is signed in, in which tenant, and as what; password; sign-out. */
export function UserMenu() {
  const { t } = useI18n();
  const session = useSignedIn();
  const signOut = useSignOut();
  const [changingPassword, setChangingPassword] = useState(false);
  const { user, tenant } = session;

  const items: MenuProps['items'] = [
    {
      key: 'who',
      disabled: true,
      className: 'tl-user-menu-who',
      label: (
        <div data-testid="user-menu-who">
          <Typography.Text strong>{user.displayName}</Typography.Text>
          <br />
          <Typography.Text type="secondary">
            {user.login} · {t(`role.${user.role}`)}
          </Typography.Text>
          <br />
          <Typography.Text type="secondary">
            {t('app.tenant')}: {tenant.name} ({tenant.slug})
          </Typography.Text>
        </div>
      ),
    },
    { type: 'divider' },
    {
      key: 'password',
      icon: <KeyOutlined />,
      label: <span data-testid="menu-change-password">{t('account.changePassword')}</span>,
    },
    {
      key: 'signOut',
      icon: <LogoutOutlined />,
      danger: true,
      label: <span data-testid="menu-sign-out">{t('account.signOut')}</span>,
    },
  ];

  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') setChangingPassword(true);
    // The session guard then shows the sign-in page, which says who may sign in again.
    if (key === 'signOut') signOut.mutate();
  };

  return (
    <>
      <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
        <button type="button" className="tl-user-button" data-testid="user-menu">
          <Space size={8}>
            <Avatar size="small" icon={<UserOutlined />} className="tl-avatar" />
            <span className="tl-user-name" data-testid="user-name">
              {user.displayName}
            </span>
            <Typography.Text type="secondary" className="tl-user-role">
              {t(`role.${user.role}`)}
            </Typography.Text>
            <DownOutlined style={{ fontSize: 10, color: '#8c8c8c' }} />
          </Space>
        </button>
      </Dropdown>
      <ChangePasswordModal open={changingPassword} onClose={() => setChangingPassword(false)} />
    </>
  );
}
