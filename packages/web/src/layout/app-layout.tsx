import { ApiOutlined, ExportOutlined } from '@ant-design/icons';
import { Layout, Menu, Space, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useTenant } from '../api/queries';
import { useSignedIn } from '../auth/session';
import { UserMenu } from '../auth/user-menu';
import { useI18n } from '../i18n/locale';
import { LanguageSwitch } from './language-switch';
import { homePath, isNavGroup, navGroupOf, navPageOf, visibleNav } from './nav';
import { navIcon } from './sections';
import { brand } from './theme';

const { Header, Sider, Content } = Layout;

function Logo({ collapsed, home }: { collapsed: boolean; home: string }) {
  const { t } = useI18n();
  return (
    <Link to={home} className="tl-logo" aria-label={t('app.name')}>
      <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="#ffffff" fillOpacity="0.12" />
        <path d="M8 22h16M8 16h11M8 10h6" stroke="#ffffff" strokeWidth="3" strokeLinecap="round" />
      </svg>
      {collapsed ? null : <span className="tl-logo-text">{t('app.shortName')}</span>}
    </Link>
  );
}

/** The console shell: navigation for what the caller may open, header with tenant and account. */
export function AppLayout() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const session = useSignedIn();
  const tenant = useTenant();
  const [collapsed, setCollapsed] = useState(false);
  const current = navPageOf(pathname);
  const group = navGroupOf(pathname);
  const [openKeys, setOpenKeys] = useState<string[]>(group === undefined ? [] : [group.key]);
  // Arriving in a group from elsewhere (a link, sign-in's return path) opens it in the menu.
  const [shownGroup, setShownGroup] = useState(group?.key);
  if (group?.key !== shownGroup) {
    setShownGroup(group?.key);
    if (group !== undefined && !openKeys.includes(group.key)) setOpenKeys([...openKeys, group.key]);
  }
  const staff = session.permissions.includes('dealers:read');

  const link = (key: string, path: string, label: string) => (
    <Link to={path} data-testid={`nav-${key}`}>
      {label}
    </Link>
  );
  const items: MenuProps['items'] = visibleNav(session.permissions).map((item) =>
    isNavGroup(item)
      ? {
          key: item.key,
          icon: navIcon(item.key),
          label: <span data-testid={`nav-${item.key}`}>{t(item.label)}</span>,
          children: item.children.map((page) => ({
            key: page.key,
            icon: navIcon(page.key),
            label: link(page.key, page.path, t(page.label)),
          })),
        }
      : { key: item.key, icon: navIcon(item.key), label: link(item.key, item.path, t(item.label)) },
  );
  // The API reference is for staff and connector builders, not for dealer users.
  if (staff) {
    items.push(
      { type: 'divider' },
      {
        key: 'api-docs',
        icon: <ApiOutlined />,
        label: (
          <a href="/api/docs" target="_blank" rel="noreferrer" data-testid="nav-api-docs">
            {t('nav.apiDocs')} <ExportOutlined style={{ fontSize: 11, opacity: 0.7 }} />
          </a>
        ),
      },
    );
  }

  return (
    <Layout className="tl-shell">
      <Sider
        width={232}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        style={{ background: brand.siderBg }}
        data-testid="nav"
      >
        <Logo collapsed={collapsed} home={homePath(session.permissions)} />
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={current === undefined ? [] : [current.key]}
          {...(collapsed ? {} : { openKeys, onOpenChange: setOpenKeys })}
          items={items}
        />
      </Sider>
      <Layout>
        <Header className="tl-header">
          <Typography.Text strong className="tl-product" data-testid="product-name">
            {t('app.name')}
          </Typography.Text>
          <Space size="middle">
            <Space size={6} data-testid="tenant">
              <Typography.Text type="secondary">{t('app.tenant')}</Typography.Text>
              <Typography.Text>{session.tenant.name}</Typography.Text>
              {tenant.data?.isDemo === true ? (
                <Tooltip title={session.tenant.slug}>
                  <Tag color="gold" variant="filled">
                    {t('app.demo')}
                  </Tag>
                </Tooltip>
              ) : null}
            </Space>
            <LanguageSwitch />
            <UserMenu />
          </Space>
        </Header>
        <Content className="tl-content">
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
