import type { PortalRebate } from '@tierline/contract';
import { Card, Empty, Flex, Progress, Skeleton, Typography } from 'antd';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { usePortalRebates } from '../resources/rebate-api';
import { progressToNext } from '../resources/rebate-ladder';
import { ProgramTerms, useRate } from '../resources/rebate-ui';

/**
 * "My ladder rebates" (portal): for each active program the dealer is in, its projection for
 * the current period and, in plain words, what it takes to reach the next bracket
 * (`GET /api/v1/portal/rebates`: the dealer's own figures only).
 */
export function RebateCard() {
  const { t } = useI18n();
  const rebates = usePortalRebates();
  const items = rebates.data?.items;
  return (
    <Card
      variant="borderless"
      style={{ marginTop: 16 }}
      title={t('rebates.portal.title')}
      data-testid="portal-rebates"
    >
      {rebates.error !== null ? (
        <QueryError error={rebates.error} onRetry={() => void rebates.refetch()} />
      ) : items === undefined ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : items.length === 0 ? (
        <Empty description={t('rebates.portal.empty')} />
      ) : (
        <Flex vertical gap={24}>
          {items.map((item) => (
            <ProgramProjection key={item.program.code} item={item} />
          ))}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('rebates.portal.projection')}
          </Typography.Text>
        </Flex>
      )}
    </Card>
  );
}

function ProgramProjection({ item }: { item: PortalRebate }) {
  const { t } = useI18n();
  const format = useFormat();
  const rate = useRate();
  const line = item.line;
  return (
    <div data-testid="portal-rebate" data-program={item.program.code}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {item.program.name}
        </Typography.Title>
        <ProgramTerms program={item.program} />
      </Flex>
      <Typography.Text type="secondary">
        {t('rebates.portal.period', {
          period: item.period,
          asOf: item.asOf,
          elapsed: item.monthsElapsed,
          total: item.monthsTotal,
        })}
      </Typography.Text>
      {!line.eligible ? (
        <Typography.Paragraph style={{ marginTop: 8 }}>
          {t('rebates.portal.notEligible')}
        </Typography.Paragraph>
      ) : (
        <>
          <Progress
            percent={Math.round(progressToNext(line) * 100)}
            status={line.next === null ? 'success' : 'active'}
            style={{ marginTop: 8 }}
          />
          <Typography.Paragraph style={{ marginBottom: 4 }}>
            {t('rebates.portal.now', {
              sales: format.money(line.salesToDate),
              rebate: format.money(line.current.amount),
              rate: rate(line.current.rateBasisPoints),
            })}{' '}
            {t('rebates.portal.projected', {
              sales: format.money(line.projectedSales),
              rebate: format.money(line.projected.amount),
            })}
          </Typography.Paragraph>
          <Typography.Paragraph strong style={{ marginBottom: 4 }} data-testid="portal-rebate-next">
            {line.next === null
              ? t('rebates.portal.top', { rate: rate(line.projected.rateBasisPoints) })
              : t('rebates.portal.next', {
                  shortfall: format.money(line.next.shortfall),
                  needed: format.money(line.next.salesNeeded),
                  rate: rate(line.next.rateBasisPoints),
                  extra: format.money(line.next.extraRebate),
                })}
          </Typography.Paragraph>
          {line.alreadyPaid === 0 ? null : (
            <Typography.Text type="secondary">
              {t('rebates.portal.paid', { paid: format.money(line.alreadyPaid) })}
            </Typography.Text>
          )}
        </>
      )}
    </div>
  );
}
