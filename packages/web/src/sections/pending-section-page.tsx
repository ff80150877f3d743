import { Card, Result, Typography } from 'antd';
import { useI18n } from '../i18n/locale';
import { LinkButton } from '../layout/page';
import type { NavPage } from '../layout/nav';
import { navIcon } from '../layout/sections';

/**
 * A section of the console that is not built yet: says so, and says which capability will
 * live here. It shows no figures: a placeholder number would be mistaken for real data.
 */
export function PendingSectionPage({ section }: { section: NavPage }) {
  const { t } = useI18n();
  return (
    <Card variant="borderless" data-testid={`section-${section.key}`}>
      <Result
        icon={<span className="tl-pending-icon">{navIcon(section.key)}</span>}
        title={
          <span data-testid="section-not-built">
            {t('section.notBuilt', { section: t(section.label) })}
          </span>
        }
        subTitle={
          <div className="tl-pending-text">
            {section.pending === undefined ? null : (
              <Typography.Paragraph data-testid="section-capability">
                {t(section.pending)}
              </Typography.Paragraph>
            )}
            <Typography.Paragraph type="secondary">
              {t('section.notBuiltHint')}
            </Typography.Paragraph>
          </div>
        }
        extra={
          <LinkButton to="/dealers" type="primary">
            {t('section.goDealers')}
          </LinkButton>
        }
      />
    </Card>
  );
}
