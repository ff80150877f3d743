import { Card, Empty, Skeleton, Typography } from 'antd';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { DecisionExplanation } from './decision-explanation';
import { useDealerTier, type DealerTierSource } from './tier-api';
import { TierHistoryChart } from './tier-charts';

/**
 * A dealer's tier (PRODUCT §2, §3): the latest published decision explained — tier, standing,
 * score and its parts, what it takes to reach the next tier or keep this one, reasons — and the
 * tier over the published periods. The dealer page and the dealer portal show the same card;
 * the portal's comes from `GET /portal/tier`, which knows the dealer from the session.
 */
export function DealerTierCard({ source }: { source: DealerTierSource }) {
  const { t } = useI18n();
  const tier = useDealerTier(source);
  const data = tier.data;

  const title = (
    <span>
      {t('tier.card.title')}
      {data?.current == null ? null : (
        <Typography.Text type="secondary" style={{ marginLeft: 8, fontWeight: 'normal' }}>
          {t('tier.card.period', { period: data.current.period })}
        </Typography.Text>
      )}
    </span>
  );

  return (
    <Card variant="borderless" title={title} style={{ marginBottom: 16 }} data-testid="tier-card">
      {tier.error !== null ? (
        <QueryError error={tier.error} onRetry={() => void tier.refetch()} />
      ) : data === undefined ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : data.current === null ? (
        <Empty
          data-testid="tier-card-empty"
          description={t(source.kind === 'portal' ? 'tier.card.emptyPortal' : 'tier.card.empty')}
        />
      ) : (
        <>
          <DecisionExplanation decision={data.current} wide />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('tier.history.title')}
          </Typography.Title>
          <TierHistoryChart tiers={data.tiers} history={data.history} testId="tier-history" />
        </>
      )}
    </Card>
  );
}
