import { Button, Result, Spin } from 'antd';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { useI18n } from '../i18n/locale';
import { ForbiddenPage } from '../layout/forbidden-page';
import { homePath, mayOpen } from '../layout/nav';
import { signInLocation } from './next-path';
import { useSession, useSignedIn } from './session';

/**
 * Renders the console only for a signed-in caller; anyone else goes to the sign-in page, which
 * brings them back to this address afterwards.
 */
export function RequireSession() {
  const { t } = useI18n();
  const session = useSession();
  const location = useLocation();

  if (session.data === null) {
    const here = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={signInLocation(here)} replace />;
  }
  if (session.data !== undefined) return <Outlet />;
  if (session.error !== null) {
    return (
      <Result
        status="warning"
        title={t('auth.sessionFailed')}
        subTitle={session.error.message}
        extra={
          <Button type="primary" onClick={() => void session.refetch()}>
            {t('app.retry')}
          </Button>
        }
      />
    );
  }
  return (
    <div className="tl-full-page">
      <Spin size="large" />
    </div>
  );
}

/**
 * Opens a page only for the permission it needs (the same one the API checks): `/` sends dealer
 * users to their portal, any other page they may not open says so.
 */
export function RequirePageAccess() {
  const { permissions } = useSignedIn();
  const { pathname } = useLocation();
  if (mayOpen(pathname, permissions)) return <Outlet />;
  const home = homePath(permissions);
  if (pathname === '/' && home !== '/') return <Navigate to={home} replace />;
  return <ForbiddenPage />;
}
