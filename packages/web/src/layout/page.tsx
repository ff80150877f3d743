import { Alert, Button, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/locale';

/** Page heading with an optional line under it and actions on the right. */
export function PageHeading({
  title,
  subtitle,
  extra,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  extra?: ReactNode;
}) {
  return (
    <div className="tl-page-heading">
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {subtitle === undefined ? null : (
          <Typography.Text type="secondary">{subtitle}</Typography.Text>
        )}
      </div>
      {extra === undefined ? null : <div>{extra}</div>}
    </div>
  );
}

/** The API's own message for a failed request, with a retry button. */
export function QueryError({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { t } = useI18n();
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="query-error"
      title={t('app.loadFailed')}
      description={
        <>
          {error.message}
          {code === undefined ? null : (
            <Typography.Text type="secondary" code style={{ marginLeft: 8 }}>
              {code}
            </Typography.Text>
          )}
        </>
      }
      action={
        onRetry === undefined ? undefined : (
          <Button size="small" onClick={onRetry}>
            {t('app.retry')}
          </Button>
        )
      }
    />
  );
}

/** A button that moves to another console page without reloading it. */
export function LinkButton({
  to,
  children,
  type = 'default',
  testId,
}: {
  to: string;
  children: ReactNode;
  type?: 'default' | 'primary' | 'link';
  testId?: string;
}) {
  const navigate = useNavigate();
  return (
    <Button
      type={type}
      href={to}
      data-testid={testId}
      onClick={(event) => {
        // Plain clicks stay in the app; ctrl/cmd-click still opens a new tab via href.
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        void navigate(to);
      }}
    >
      {children}
    </Button>
  );
}
