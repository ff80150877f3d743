import { Card, Result, Skeleton } from 'antd';
import { useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useDealer } from '../api/queries';
import { useI18n } from '../i18n/locale';
import { LinkButton, QueryError } from '../layout/page';
import { DealerTierCard } from '../tiering/dealer-tier-card';
import { PackageCard } from '../portal/package-card';
import { useCan } from '../tiering/tier-api';
import { DealerView } from './dealer-view';

function DealerNotFound({ id }: { id: string }) {
  const { t } = useI18n();
  return (
    <Card variant="borderless" data-testid="dealer-not-found">
      <Result
        status="404"
        title={t('dealer.notFound.title')}
        subTitle={t('dealer.notFound.text', { id })}
        extra={
          <LinkButton to="/dealers" type="primary">
            {t('dealer.back')}
          </LinkButton>
        }
      />
    </Card>
  );
}

/** Dealer 360: master data, tier, trailing-12-month figures, monthly chart and latest rollups. */
export default function DealerPage() {
  const { id: rawId = '' } = useParams();
  const id = /^\d{1,15}$/.test(rawId) ? Number(rawId) : 0;
  const dealer = useDealer(id);
  const can = useCan();

  if (id === 0 || (dealer.error instanceof ApiError && dealer.error.isNotFound)) {
    return <DealerNotFound id={rawId} />;
  }
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
    <DealerView
      dealer={dealer.data}
      tier={
        <>
          {can('assessments:read') ? <DealerTierCard source={{ kind: 'dealer', id }} /> : null}
          {can('resources:read') ? <PackageCard source={{ kind: 'dealer', id }} /> : null}
        </>
      }
    />
  );
}
