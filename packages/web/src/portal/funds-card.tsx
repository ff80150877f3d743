import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { PortalFundClaim, PortalFundRequest } from '@tierline/contract';
import {
  App,
  Button,
  Card,
  Divider,
  Empty,
  Flex,
  List,
  Popconfirm,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { useCancelFundRequest, usePortalFunds } from '../resources/fund-api';
import { BalanceFigures, ClaimStatusTag, ProofLinks, RequestStatusTag } from '../resources/fund-ui';
import { PortalFundClaimForm } from './portal-fund-claim-form';
import { PortalFundRequestForm } from './portal-fund-request-form';

/**
 * "My market development funds" (portal): the dealer's own balance and funds, a request form
 * (申请费用), its requests with their status and, once approved, a claim form with proof files
 * (提交核销). Everything comes from `GET /api/v1/portal/funds`: the session names the dealer.
 */
export function FundsCard() {
  const { t } = useI18n();
  const format = useFormat();
  const funds = usePortalFunds();
  const [requesting, setRequesting] = useState(false);
  const [claiming, setClaiming] = useState<PortalFundRequest | null>(null);
  const data = funds.data;
  const open = data?.funds.some((f) => f.open) ?? false;

  return (
    <Card
      variant="borderless"
      style={{ marginTop: 16 }}
      title={t('funds.portal.title')}
      data-testid="portal-funds"
      extra={
        open ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setRequesting(true)}
            data-testid="fund-request-new"
          >
            {t('funds.portal.request')}
          </Button>
        ) : undefined
      }
    >
      {funds.error !== null ? (
        <QueryError error={funds.error} onRetry={() => void funds.refetch()} />
      ) : data === undefined ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : data.funds.length === 0 ? (
        <Empty description={t('funds.portal.noFunds')} />
      ) : (
        <Flex vertical gap={12}>
          <BalanceFigures balance={data.balance} testId="portal-fund-balance" />
          <Flex vertical gap={2}>
            {data.funds.map((f) => (
              <Typography.Text key={f.id} type={f.open ? undefined : 'secondary'}>
                {t('funds.portal.fundLine', {
                  period: f.period,
                  amount: format.money(f.amount),
                  available: format.money(f.balance.available),
                  deadline: f.claimDeadline,
                })}
                {f.open ? null : <Tag style={{ marginLeft: 8 }}>{t('funds.portal.closed')}</Tag>}
              </Typography.Text>
            ))}
          </Flex>
          <Divider titlePlacement="start" style={{ margin: '8px 0' }}>
            {t('funds.portal.requests')}
          </Divider>
          <List<PortalFundRequest>
            data-testid="portal-fund-requests"
            dataSource={data.requests}
            locale={{ emptyText: t('funds.portal.noRequests') }}
            renderItem={(request) => (
              <RequestItem
                request={request}
                claims={data.claims.filter((c) => c.requestId === request.id)}
                onClaim={() => setClaiming(request)}
              />
            )}
          />
        </Flex>
      )}
      <PortalFundRequestForm
        open={requesting}
        available={data?.balance.available ?? 0}
        onClose={() => setRequesting(false)}
      />
      <PortalFundClaimForm request={claiming} onClose={() => setClaiming(null)} />
    </Card>
  );
}

function RequestItem({
  request,
  claims,
  onClaim,
}: {
  request: PortalFundRequest;
  claims: readonly PortalFundClaim[];
  onClaim: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const format = useFormat();
  const cancel = useCancelFundRequest();
  const claimable = request.status === 'approved' && request.claim === null;
  return (
    <List.Item
      data-testid="portal-fund-request"
      data-request={request.id}
      actions={[
        request.status === 'submitted' ? (
          <Popconfirm
            key="cancel"
            title={t('funds.portal.cancelConfirm')}
            okText={t('funds.portal.cancel')}
            cancelText={t('app.cancel')}
            onConfirm={() =>
              cancel.mutate(request.id, {
                onSuccess: () => void message.success(t('funds.portal.cancelled')),
                onError: (error) => void message.error(error.message),
              })
            }
          >
            <Button size="small" data-testid="fund-request-cancel" loading={cancel.isPending}>
              {t('funds.portal.cancel')}
            </Button>
          </Popconfirm>
        ) : null,
        claimable ? (
          <Button
            key="claim"
            size="small"
            type="primary"
            icon={<UploadOutlined />}
            onClick={onClaim}
            data-testid="fund-claim-new"
          >
            {t('funds.portal.claim')}
          </Button>
        ) : null,
      ].filter((a) => a !== null)}
    >
      <List.Item.Meta
        title={
          <Space size={8} wrap>
            <span>{request.title}</span>
            <span className="tl-num">{format.money(request.amount)}</span>
            <RequestStatusTag status={request.status} />
          </Space>
        }
        description={
          <Flex vertical gap={4}>
            <span>
              {request.activityFrom} – {request.activityTo}
            </span>
            {request.decisionReason === null ? null : (
              <Typography.Text type="danger">
                {t('funds.drawer.reason', { reason: request.decisionReason })}
              </Typography.Text>
            )}
            {claims.map((c) => (
              <Flex key={c.id} vertical gap={2} data-testid="portal-fund-claim" data-claim={c.id}>
                <Space size={8} wrap>
                  <span>{t('funds.portal.claimLine', { amount: format.money(c.amount) })}</span>
                  <ClaimStatusTag status={c.status} />
                </Space>
                <ProofLinks claimId={c.id} proofs={c.proofs} portal />
                {c.decisionReason === null ? null : (
                  <Typography.Text type="danger">
                    {t('funds.drawer.reason', { reason: c.decisionReason })}
                  </Typography.Text>
                )}
                {c.paymentReference === null ? null : (
                  <Typography.Text type="success">
                    {t('funds.portal.paidRef', { reference: c.paymentReference })}
                  </Typography.Text>
                )}
              </Flex>
            ))}
          </Flex>
        }
      />
    </List.Item>
  );
}
