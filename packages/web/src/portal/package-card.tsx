import { GiftOutlined } from '@ant-design/icons';
import type { DealerPackage } from '@tierline/contract';
import { Card, Descriptions, Empty, Skeleton, Space, Timeline, Typography } from 'antd';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { useDealerPackage, type PackageSource } from '../resources/benefit-api';
import { BenefitValueText } from '../resources/benefit-value-text';
import { TierTag } from '../tiering/tier-tags';

/**
 * A dealer's resource package (资源包, PRODUCT §4): the benefits of its published tier with their
 * values, from when they apply, and when the package changed. The portal's comes from
 * `GET /portal/package` (the dealer from the session); staff see `GET /dealers/{id}/package`.
 */
export function PackageCard({ source }: { source: PackageSource }) {
  const { t } = useI18n();
  const pkg = useDealerPackage(source);
  const data = pkg.data;
  return (
    <Card
      variant="borderless"
      style={{ marginBottom: 16 }}
      data-testid="package-card"
      title={
        <Space>
          <GiftOutlined />
          {t(source.kind === 'portal' ? 'package.title.portal' : 'package.title')}
        </Space>
      }
    >
      {pkg.error !== null ? (
        <QueryError error={pkg.error} onRetry={() => void pkg.refetch()} />
      ) : data === undefined ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : data.current === null ? (
        <Empty data-testid="package-empty" description={t('package.empty')} />
      ) : (
        <PackageView pkg={data} current={data.current} />
      )}
    </Card>
  );
}

function PackageView({
  pkg,
  current,
}: {
  pkg: DealerPackage;
  current: NonNullable<DealerPackage['current']>;
}) {
  const { t } = useI18n();
  const format = useFormat();
  return (
    <>
      <Space size={8} wrap style={{ marginBottom: 12 }}>
        <TierTag tiers={pkg.tiers} code={current.tier} large />
        <Typography.Text type="secondary" data-testid="package-effective">
          {t('package.effective', {
            date: current.effectiveFrom,
            period: current.period,
            policy: `${current.policy.name} v${current.policy.version}`,
          })}
        </Typography.Text>
      </Space>
      {current.benefits.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('package.noBenefits')} />
      ) : (
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, sm: 2, lg: 3 }}
          data-testid="package-benefits"
          items={current.benefits.map((b) => ({
            key: b.benefit.code,
            label: (
              <span title={b.benefit.description || t(`benefits.kind.${b.benefit.kind}`)}>
                {b.benefit.name}
              </span>
            ),
            children: (
              <span data-testid={`package-value-${b.benefit.code}`}>
                <BenefitValueText unit={b.benefit.unit} value={b.value} format={format} />
              </span>
            ),
          }))}
        />
      )}
      {pkg.history.length > 1 ? (
        <>
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('package.history')}
          </Typography.Title>
          <Timeline
            data-testid="package-history"
            items={[...pkg.history].reverse().map((h) => ({
              key: h.runId,
              content: (
                <Space size={8} wrap>
                  <TierTag tiers={pkg.tiers} code={h.tier} />
                  <span>{t('package.history.from', { date: h.effectiveFrom })}</span>
                  <Typography.Text type="secondary">
                    {t('package.history.by', {
                      period: h.period,
                      policy: `${h.policy.name} v${h.policy.version}`,
                    })}
                  </Typography.Text>
                </Space>
              ),
            }))}
          />
        </>
      ) : null}
    </>
  );
}
