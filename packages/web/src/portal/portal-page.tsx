import type { DealerDetail } from '@tierline/contract';
import { InfoCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Skeleton } from 'antd';
import { getJson } from '../api/client';
import { DealerView } from '../dealers/dealer-view';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { DealerTierCard } from '../tiering/dealer-tier-card';
import { ResumeCard } from './resume-card';

export function usePortalDealer() {
  return useQuery({
    queryKey: ['portal'],
    queryFn: ({ signal }) => getJson<DealerDetail>('/api/v1/portal', undefined, signal),
  });
}

/**
 * The dealer portal: a dealer user's own dealer, from `GET /api/v1/portal` (the server picks
 * the dealer from the session; no id is ever sent), with no link to any other dealer, its
 * tier explained (`GET /api/v1/portal/tier`) and its verifiable résumé (`GET /portal/resume`).
 */
export default function PortalPage() {
  const { t } = useI18n();
  const dealer = usePortalDealer();
  if (dealer.error !== null) {
    return <QueryError error={dealer.error} onRetry={() => void dealer.refetch()} />;
  }
  if (dealer.data === undefined) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  }
  return (
    <div data-testid="portal">
      <DealerView
        dealer={dealer.data}
        portal
        tier={<DealerTierCard source={{ kind: 'portal' }} />}
        notice={
          <Alert
            type="info"
            showIcon
            icon={<InfoCircleOutlined />}
            style={{ marginBottom: 16 }}
            data-testid="portal-later"
            title={t('portal.later')}
          />
        }
      />
      <ResumeCard />
    </div>
  );
}
