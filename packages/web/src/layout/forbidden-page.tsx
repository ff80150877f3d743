import { Result } from 'antd';
import { useSignedIn } from '../auth/session';
import { useI18n } from '../i18n/locale';
import { homePath } from './nav';
import { LinkButton } from './page';

/** A page the caller's role may not open (the API would answer 403 for its data). */
export function ForbiddenPage() {
  const { t } = useI18n();
  const session = useSignedIn();
  return (
    <div data-testid="forbidden">
      <Result
        status="403"
        title={t('auth.forbidden.title')}
        subTitle={t('auth.forbidden.text', { role: t(`role.${session.user.role}`) })}
        extra={
          <LinkButton to={homePath(session.permissions)} type="primary">
            {t('auth.forbidden.home')}
          </LinkButton>
        }
      />
    </div>
  );
}
