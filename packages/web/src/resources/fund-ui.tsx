import { PaperClipOutlined } from '@ant-design/icons';
import type {
  FundBalance,
  FundClaimStatus,
  FundRequestStatus,
  ProofFile,
} from '@tierline/contract';
import { Col, Row, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import { ApiError } from '../api/client';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { proofUrl } from './fund-api';

const requestColors: Record<FundRequestStatus, string> = {
  submitted: 'gold',
  approved: 'green',
  rejected: 'red',
  cancelled: 'default',
};

const claimColors: Record<FundClaimStatus, string> = {
  submitted: 'gold',
  approved: 'blue',
  rejected: 'red',
  paid: 'green',
};

export function RequestStatusTag({ status }: { status: FundRequestStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={requestColors[status]} data-testid="fund-request-status" data-status={status}>
      {t(`funds.status.request.${status}`)}
    </Tag>
  );
}

export function ClaimStatusTag({ status }: { status: FundClaimStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={claimColors[status]} data-testid="fund-claim-status" data-status={status}>
      {t(`funds.status.claim.${status}`)}
    </Tag>
  );
}

const BALANCE_KEYS = ['allocated', 'pending', 'approved', 'paid', 'available'] as const;

/** The five figures of a balance, the available one emphasised. */
export function BalanceFigures({ balance, testId }: { balance: FundBalance; testId: string }) {
  const { t } = useI18n();
  const format = useFormat();
  return (
    <Tooltip title={t('funds.total.hint')} placement="topLeft">
      <Row gutter={[16, 8]} data-testid={testId}>
        {BALANCE_KEYS.map((key) => (
          <Col key={key} xs={12} sm={8} md={4}>
            <Statistic
              title={t(`funds.total.${key}`)}
              value={format.money(balance[key])}
              styles={
                key === 'available' ? { content: { color: '#0f7b6c', fontWeight: 600 } } : undefined
              }
              data-testid={`${testId}-${key}`}
              data-value={balance[key]}
            />
          </Col>
        ))}
      </Row>
    </Tooltip>
  );
}

/** Links that download a claim's proof files. */
export function ProofLinks({
  claimId,
  proofs,
  portal = false,
}: {
  claimId: number;
  proofs: readonly ProofFile[];
  portal?: boolean;
}) {
  return (
    <Space size={[8, 2]} wrap>
      {proofs.map((p) => (
        <Typography.Link
          key={p.id}
          href={proofUrl(claimId, p.id, portal)}
          download={p.fileName}
          data-testid="fund-proof-link"
        >
          <PaperClipOutlined /> {p.fileName}
        </Typography.Link>
      ))}
    </Space>
  );
}

/**
 * The refusals a dealer meets most, in the console's language with the server's figures (from
 * the error's details): over the available balance, over the approved amount, past the claim
 * deadline. Anything else keeps the server's own message.
 */
export function useFundErrorText(): (error: Error) => string {
  const { t } = useI18n();
  const format = useFormat();
  return (error) => {
    const d = error instanceof ApiError ? error.details : undefined;
    if (typeof d !== 'object' || d === null) return error.message;
    const n = (key: string): number | null => {
      const value = (d as Record<string, unknown>)[key];
      return typeof value === 'number' ? value : null;
    };
    const text = (key: string): string | null => {
      const value = (d as Record<string, unknown>)[key];
      return typeof value === 'string' ? value : null;
    };
    const [amount, available, allocated, pending, approved] = [
      n('amount'),
      n('available'),
      n('allocated'),
      n('pending'),
      n('approved'),
    ];
    if (
      amount !== null &&
      available !== null &&
      allocated !== null &&
      pending !== null &&
      approved !== null
    ) {
      return t('funds.error.overAvailable', {
        amount: format.money(amount),
        available: format.money(available),
        allocated: format.money(allocated),
        pending: format.money(pending),
        approved: format.money(approved),
      });
    }
    if (amount !== null && approved !== null) {
      return t('funds.error.overApproved', {
        amount: format.money(amount),
        approved: format.money(approved),
      });
    }
    const deadline = text('claimDeadline');
    if (deadline !== null && text('today') !== null) {
      return t('funds.error.deadline', { deadline });
    }
    return error.message;
  };
}
