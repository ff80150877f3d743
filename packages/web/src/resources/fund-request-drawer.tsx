import type { FundEvent } from '@tierline/contract';
import {
  Descriptions,
  Divider,
  Drawer,
  Empty,
  Flex,
  Skeleton,
  Space,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { FundActions } from './fund-actions';
import { useFundRequestDetail } from './fund-api';
import { ClaimStatusTag, ProofLinks, RequestStatusTag } from './fund-ui';

const timeFormat = 'YYYY-MM-DD HH:mm';

const eventColors: Record<FundEvent['event'], string> = {
  submitted: 'blue',
  approved: 'green',
  rejected: 'red',
  cancelled: 'gray',
  paid: 'green',
};

/**
 * One request: its fund and balance, its claims with their proof files to download, what can
 * be done next, and its history (status timestamps of the request and every claim).
 */
export function FundRequestDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useI18n();
  const format = useFormat();
  const detail = useFundRequestDetail(id);
  const data = detail.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={640}
      destroyOnHidden
      data-testid="fund-request-drawer"
      title={id === null ? null : t('funds.drawer.title', { id })}
    >
      {detail.error !== null ? (
        <QueryError error={detail.error} onRetry={() => void detail.refetch()} />
      ) : data === undefined ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <Flex vertical gap={16}>
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {data.request.title}
            </Typography.Title>
            <RequestStatusTag status={data.request.status} />
          </Flex>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('funds.drawer.dealer')}>
              <Space size={8}>
                <span>{data.request.dealer.name}</span>
                <Typography.Text type="secondary" className="tl-code">
                  {data.request.dealer.code}
                </Typography.Text>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('funds.col.amount')}>
              <span className="tl-num">{format.money(data.request.amount)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('funds.col.activity')}>
              {data.request.activityFrom} – {data.request.activityTo}
            </Descriptions.Item>
            <Descriptions.Item label={t('funds.drawer.fund')}>
              {t('funds.drawer.fundLine', {
                period: data.fund.period,
                deadline: data.fund.claimDeadline,
                available: format.money(data.fund.balance.available),
              })}
            </Descriptions.Item>
            {data.request.description === '' ? null : (
              <Descriptions.Item label={t('funds.drawer.description')}>
                {data.request.description}
              </Descriptions.Item>
            )}
            {data.request.decisionReason === null ? null : (
              <Descriptions.Item label={t('funds.reject.reason')}>
                {data.request.decisionReason}
              </Descriptions.Item>
            )}
          </Descriptions>
          {data.request.status === 'submitted' ? (
            <FundActions
              subject="request"
              id={data.request.id}
              amount={data.request.amount}
              size="middle"
            />
          ) : null}

          <Divider titlePlacement="start" style={{ margin: '8px 0' }}>
            {t('funds.drawer.claims')}
          </Divider>
          {data.claims.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('funds.drawer.noClaims')} />
          ) : (
            data.claims.map((claim) => (
              <Flex
                key={claim.id}
                vertical
                gap={6}
                className="tl-fund-claim"
                data-testid="fund-drawer-claim"
              >
                <Flex justify="space-between" align="center" wrap gap={8}>
                  <Typography.Text strong>
                    {t('funds.drawer.claimLine', {
                      id: claim.id,
                      amount: format.money(claim.amount),
                    })}
                  </Typography.Text>
                  <ClaimStatusTag status={claim.status} />
                </Flex>
                {claim.note === '' ? null : (
                  <Typography.Text type="secondary">
                    {t('funds.drawer.note', { note: claim.note })}
                  </Typography.Text>
                )}
                <ProofLinks claimId={claim.id} proofs={claim.proofs} />
                {claim.decisionReason === null ? null : (
                  <Typography.Text type="danger">
                    {t('funds.drawer.reason', { reason: claim.decisionReason })}
                  </Typography.Text>
                )}
                {claim.paymentReference === null ? null : (
                  <Typography.Text>
                    {t('funds.drawer.reference', { reference: claim.paymentReference })}
                  </Typography.Text>
                )}
                {claim.status === 'submitted' ? (
                  <FundActions subject="claim" id={claim.id} amount={claim.amount} size="middle" />
                ) : claim.status === 'approved' ? (
                  <FundActions
                    subject="claim"
                    id={claim.id}
                    amount={claim.amount}
                    canPay
                    size="middle"
                  />
                ) : null}
              </Flex>
            ))
          )}

          <Divider titlePlacement="start" style={{ margin: '8px 0' }}>
            {t('funds.drawer.history')}
          </Divider>
          <Timeline
            data-testid="fund-history"
            items={data.history.map((e) => ({
              key: `${e.subject}-${e.id}-${e.event}-${e.at}`,
              color: eventColors[e.event],
              title: dayjs(e.at).format(timeFormat),
              content: (
                <Flex vertical>
                  <span>
                    {t(e.subject === 'request' ? 'funds.event.request' : 'funds.event.claim', {
                      id: e.id,
                    })}{' '}
                    {t(`funds.event.${e.event}`)} · {format.money(e.amount)}
                    {e.by === null ? null : (
                      <Typography.Text type="secondary">
                        {' '}
                        {t('funds.drawer.by', { by: e.by })}
                      </Typography.Text>
                    )}
                  </span>
                  {e.note === null ? null : (
                    <Typography.Text type="secondary">{e.note}</Typography.Text>
                  )}
                </Flex>
              ),
            }))}
          />
        </Flex>
      )}
    </Drawer>
  );
}
