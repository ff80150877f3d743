import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useSearchParams } from 'react-router-dom';
import type { Role } from '@tierline/contract';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/locale';
import type { MessageKey } from '../i18n/messages';
import { LanguageSwitch } from '../layout/language-switch';
import { landingPath } from './next-path';
import { useSession, useSignIn, useSignInHint } from './session';
import { rememberTenant, rememberedTenant } from './tenant-memory';

interface SignInForm {
  login: string;
  password: string;
  tenant?: string;
}

const roleLabel: Record<Role, MessageKey> = {
  admin: 'role.admin',
  channel_manager: 'role.channel_manager',
  analyst: 'role.analyst',
  dealer: 'role.dealer',
};

function BrandPanel() {
  const { t } = useI18n();
  return (
    <div className="tl-signin-brand">
      <div className="tl-signin-logo">
        <svg width="40" height="40" viewBox="0 0 32 32" aria-hidden="true">
          <rect width="32" height="32" rx="7" fill="#ffffff" fillOpacity="0.14" />
          <path
            d="M8 22h16M8 16h11M8 10h6"
            stroke="#ffffff"
            strokeWidth="3"
            strokeLinecap="round"
          />
        </svg>
        <span>{t('app.shortName')}</span>
      </div>
      <Typography.Title level={2} className="tl-signin-title">
        {t('app.name')}
      </Typography.Title>
      <Typography.Paragraph className="tl-signin-tagline">
        {t('signin.tagline')}
      </Typography.Paragraph>
    </div>
  );
}

/**
 * Sign-in: login and password, and the tenant when it is not the server's default. The
 * server's own message is shown on failure (it never says which of login or password was
 * wrong, and says until when a locked account waits).
 */
export function SignInPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const next = params.get('next');
  const session = useSession();
  const signIn = useSignIn();
  const [form] = Form.useForm<SignInForm>();
  const initialTenant = params.get('tenant') ?? rememberedTenant() ?? '';
  const [otherTenant, setOtherTenant] = useState(initialTenant !== '');
  const tenantValue = Form.useWatch('tenant', form) ?? initialTenant;
  const slug = tenantValue.trim();
  // The server names its default tenant and, for a demo, the demo sign-ins.
  const hint = useSignInHint().data;
  const defaultTenant = hint?.tenant ?? null;
  const demo = hint?.demo && (slug === '' || slug === defaultTenant?.slug) ? hint.demo : null;

  if (session.data !== undefined && session.data !== null) {
    return <Navigate to={landingPath(next, session.data.permissions)} replace />;
  }

  const error = signIn.error;
  const limited = error instanceof ApiError && error.status === 429;
  const denied = error instanceof ApiError && error.status === 401;

  return (
    <div className="tl-signin" data-testid="signin-page">
      <div className="tl-signin-language">
        <LanguageSwitch />
      </div>
      <BrandPanel />
      <Flex className="tl-signin-main" align="center" justify="center">
        <Card variant="borderless" className="tl-signin-card">
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {t('signin.title')}
          </Typography.Title>
          {defaultTenant !== null && (slug === '' || slug === defaultTenant.slug) ? (
            <Typography.Paragraph type="secondary" data-testid="signin-tenant-name">
              {defaultTenant.name}
            </Typography.Paragraph>
          ) : null}
          {next === null ? null : (
            <Typography.Paragraph type="secondary">{t('signin.toContinue')}</Typography.Paragraph>
          )}
          {error === null ? null : (
            <Alert
              type={limited ? 'warning' : 'error'}
              showIcon
              data-testid="signin-error"
              style={{ marginBottom: 16 }}
              title={
                limited ? t('signin.rateLimited') : denied ? t('signin.denied') : t('signin.failed')
              }
              description={error.message}
            />
          )}
          <Form<SignInForm>
            form={form}
            layout="vertical"
            requiredMark={false}
            size="large"
            initialValues={{ tenant: initialTenant }}
            onFinish={(values) => {
              const tenant = values.tenant?.trim() ?? '';
              signIn.mutate(
                {
                  login: values.login.trim(),
                  password: values.password,
                  ...(tenant === '' ? {} : { tenant }),
                },
                { onSuccess: () => rememberTenant(tenant === '' ? null : tenant) },
              );
            }}
          >
            <Form.Item
              name="login"
              label={t('signin.login')}
              rules={[{ required: true, whitespace: true, message: t('signin.login.required') }]}
            >
              <Input
                prefix={<UserOutlined style={{ color: '#8c8c8c' }} />}
                autoComplete="username"
                autoFocus
                data-testid="signin-login"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('signin.password')}
              rules={[{ required: true, message: t('signin.password.required') }]}
            >
              <Input.Password
                prefix={<LockOutlined style={{ color: '#8c8c8c' }} />}
                autoComplete="current-password"
                data-testid="signin-password"
              />
            </Form.Item>
            {otherTenant ? (
              <Form.Item name="tenant" label={t('signin.tenant')} extra={t('signin.tenant.hint')}>
                <Input
                  autoComplete="organization"
                  placeholder={t('signin.tenant.placeholder')}
                  data-testid="signin-tenant"
                />
              </Form.Item>
            ) : null}
            <Button
              type="primary"
              htmlType="submit"
              block
              loading={signIn.isPending}
              data-testid="signin-submit"
            >
              {t('signin.submit')}
            </Button>
            {otherTenant ? null : (
              <Button
                type="link"
                block
                style={{ marginTop: 8 }}
                data-testid="signin-other-tenant"
                onClick={() => setOtherTenant(true)}
              >
                {t('signin.otherTenant')}
              </Button>
            )}
          </Form>
          {demo !== null ? (
            <Alert
              type="info"
              showIcon
              data-testid="signin-demo"
              style={{ marginTop: 20 }}
              title={t('signin.demo.title')}
              description={
                <>
                  <Typography.Paragraph style={{ marginBottom: 8 }}>
                    {t('signin.demo.text', { password: demo.password })}
                  </Typography.Paragraph>
                  <Flex wrap gap={6}>
                    {demo.logins.map(({ login, role }) => (
                      <Tag
                        key={login}
                        className="tl-demo-login"
                        data-testid={`signin-demo-${login}`}
                        onClick={() => form.setFieldsValue({ login, password: demo.password })}
                      >
                        <Typography.Text code>{login}</Typography.Text> {t(roleLabel[role])}
                      </Tag>
                    ))}
                  </Flex>
                </>
              }
            />
          ) : null}
        </Card>
      </Flex>
    </div>
  );
}
