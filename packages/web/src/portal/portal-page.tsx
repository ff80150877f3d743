import type { DealerDetail } from '@tierline/contract';
import { useQuery } from '@tanstack/react-query';
import { Card, Skeleton } from 'antd';
import { getJson } from '../api/client';
import { DealerView } from '../dealers/dealer-view';
import { QueryError } from '../layout/page';
import { DealerTierCard } from '../tiering/dealer-tier-card';
import { ResumeCard } from './resume-card';
import { PackageCard } from './package-card';
import { RebateCard } from './rebate-card';
import { FundsCard } from './funds-card';

export function usePortalDealer() {
  return useQuery({
    queryKey: ['portal'],
    queryFn: ({ signal }) => getJson<DealerDetail>('/api/v1/portal', undefined, signal),
  });
}

/**
 * The dealer portal: a dealer user's own dealer, from `GET /api/v1/portal` (the server picks
 * the dealer from the session; no id is ever sent), with no link to any other dealer, its
 * tier explained (`GET /api/v1/portal/tier`), its resource package, rebate projection and
 * market-fund balance with its requests and claims, and its verifiable résumé
 * (`GET /portal/resume`).
 */
export default function PortalPage() {
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
      />
      <PackageCard source={{ kind: 'portal' }} />
      <RebateCard />
      <FundsCard />
      <ResumeCard />
    </div>
  );
}
