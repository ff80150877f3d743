import { Card, Tabs } from 'antd';
import { useLedgerInfo } from '../api/queries';
import { useI18n } from '../i18n/locale';
import { PageHeading, QueryError } from '../layout/page';
import { LogVerifier } from './log-verifier';
import { ResumeVerifier } from './resume-verifier';

/**
 * Verification that trusts nothing but a verifier key (PRODUCT §6): a whole log checked from its
 * public files, or a dealer's résumé file, by the ledger core running in this browser — the
 * same checks as `tierline ledger verify` and `verify-resume`. Open to everyone signed in.
 */
export default function VerifyPage() {
  const { t } = useI18n();
  const info = useLedgerInfo();
  return (
    <div data-testid="verify-page">
      <PageHeading title={t('verify.title')} subtitle={t('verify.subtitle')} />
      {info.error === null ? null : (
        <div style={{ marginBottom: 16 }}>
          <QueryError error={info.error} onRetry={() => void info.refetch()} />
        </div>
      )}
      <Card variant="borderless">
        <Tabs
          data-testid="verify-tabs"
          items={[
            {
              key: 'log',
              label: t('verify.tab.log'),
              children: <LogVerifier info={info.data} />,
            },
            {
              key: 'resume',
              label: t('verify.tab.resume'),
              children: <ResumeVerifier info={info.data} />,
            },
          ]}
        />
      </Card>
    </div>
  );
}
