import { ApiOutlined, ExportOutlined } from '@ant-design/icons';
import { Layout, Menu, Segmented, Space, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useTenant } from '../api/queries';
import { useI18n } from '../i18n/locale';
import { isLocale } from '../i18n/messages';
import { sectionOf, sections } from './sections';
import { brand } from './theme';

const { Header, Sider, Content } = Layout;

function Logo({ collapsed }: { collapsed: boolean }) {
  const { t } = useI18n();
  return (
    <Link to="/" className="tl-logo" aria-label={t('app.name')}>
      <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="#ffffff" fillOpacity="0.12" />
        <path d="M8 22h16M8 16h11M8 10h6" stroke="#ffffff" strokeWidth="3" strokeLinecap="round" />
      </svg>
      {collapsed ? null : <span className="tl-logo-text">{t('app.shortName')}</span>}
    </Link>
  );
}

export function AppLayout() {
  const { t, locale, setLocale } = useI18n();
  const { pathname } = useLocation();
  const tenant = useTenant();
  const [collapsed, setCollapsed] = useState(false);
  const current = sectionOf(pathname);

  const items: MenuProps['items'] = [
    ...sections.map((s) => ({
      key: s.key,
      icon: s.icon,
      label: (
        <Link to={s.path} data-testid={`nav-${s.key}`}>
          {t(s.label)}
        </Link>
      ),
    })),
    { type: 'divider' as const },
    {
      key: 'api-docs',
      icon: <ApiOutlined />,
      label: (
        <a href="/api/docs" target="_blank" rel="noreferrer" data-testid="nav-api-docs">
          {t('nav.apiDocs')} <ExportOutlined style={{ fontSize: 11, opacity: 0.7 }} />
        </a>
      ),
    },
  ];

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
        <Logo collapsed={collapsed} />
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={current === undefined ? [] : [current.key]}
          items={items}
        />
      </Sider>
      <Layout>
        <Header className="tl-header">
          <Typography.Text strong className="tl-product" data-testid="product-name">
            {t('app.name')}
          </Typography.Text>
          <Space size="middle">
            {tenant.data === undefined ? null : (
              <Space size={6} data-testid="tenant">
                <Typography.Text type="secondary">{t('app.tenant')}</Typography.Text>
                <Typography.Text>{tenant.data.name}</Typography.Text>
                {tenant.data.isDemo ? (
                  <Tooltip title={tenant.data.slug}>
                    <Tag color="gold" variant="filled">
                      {t('app.demo')}
                    </Tag>
                  </Tooltip>
                ) : null}
              </Space>
            )}
            <Segmented
              size="small"
              aria-label={t('app.language')}
              data-testid="language-switch"
              value={locale}
              onChange={(value) => {
                if (isLocale(value)) setLocale(value);
              }}
              options={[
                { label: '中文', value: 'zh-CN' },
                { label: 'English', value: 'en-US' },
              ]}
            />
          </Space>
        </Header>
        <Content className="tl-content">
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
