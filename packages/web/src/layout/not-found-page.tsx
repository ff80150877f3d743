import { Result } from 'antd';
import { useLocation } from 'react-router-dom';
import { useI18n } from '../i18n/locale';
import { LinkButton } from './page';

export function NotFoundPage() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  return (
    <Result
      status="404"
      title={t('app.notFound.title')}
      subTitle={t('app.notFound.text', { path: pathname })}
      extra={
        <LinkButton to="/" type="primary">
          {t('app.backHome')}
        </LinkButton>
      }
    />
  );
}
