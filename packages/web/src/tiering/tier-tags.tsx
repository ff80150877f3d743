import { FallOutlined, RiseOutlined } from '@ant-design/icons';
import type { ReasonCode, RunStatus, Standing, TierDefinition } from '@tierline/contract';
import { Space, Tag, Tooltip, Typography } from 'antd';
import { useI18n } from '../i18n/locale';
import { tierMove, tierOf } from './tier-text';

/** A tier as a tag in its own colour; a dash for none. */
export function TierTag({
  tiers,
  code,
  large = false,
}: {
  tiers: readonly TierDefinition[];
  code: string | null;
  large?: boolean;
}) {
  const tier = tierOf(tiers, code);
  if (tier === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tag
      color={tier.color}
      data-testid="tier-tag"
      data-tier={tier.code}
      style={large ? { fontSize: 16, lineHeight: '28px', padding: '0 12px' } : undefined}
    >
      {tier.name}
    </Tag>
  );
}

/** From the previous tier to the new one, with an arrow up (green) or down (red). */
export function TierChange({
  tiers,
  from,
  to,
}: {
  tiers: readonly TierDefinition[];
  from: string | null;
  to: string;
}) {
  const { t } = useI18n();
  const move = tierMove(tiers, from, to);
  if (move === 'same' || move === 'new') {
    return (
      <Space size={4}>
        <TierTag tiers={tiers} code={to} />
        {move === 'new' ? (
          <Typography.Text type="secondary">{t('tier.new')}</Typography.Text>
        ) : null}
      </Space>
    );
  }
  return (
    <Space size={2} data-move={move} className="tl-tier-change">
      <TierTag tiers={tiers} code={from} />
      {move === 'up' ? (
        <RiseOutlined style={{ color: '#389e0d' }} aria-label={t('tier.move.up')} />
      ) : (
        <FallOutlined style={{ color: '#cf1322' }} aria-label={t('tier.move.down')} />
      )}
      <TierTag tiers={tiers} code={to} />
    </Space>
  );
}

export const standingColor: Record<Standing, string> = {
  good: 'green',
  at_risk: 'orange',
  probation: 'gold',
  elimination: 'red',
};

export const standingHex: Record<Standing, string> = {
  good: '#389e0d',
  at_risk: '#d46b08',
  probation: '#d48806',
  elimination: '#cf1322',
};

export function StandingTag({ standing }: { standing: Standing }) {
  const { t } = useI18n();
  return (
    <Tag color={standingColor[standing]} variant="outlined" data-testid="standing-tag">
      {t(`standing.${standing}`)}
    </Tag>
  );
}

/** Why a decision came out as it did, as translated labels with a longer hint. */
export function ReasonTags({ reasons }: { reasons: readonly ReasonCode[] }) {
  const { t } = useI18n();
  return (
    <Space size={[4, 4]} wrap data-testid="reason-tags">
      {reasons.map((reason) => (
        <Tooltip key={reason} title={t(`reason.${reason}.hint`)}>
          <Tag variant="filled" data-reason={reason}>
            {t(`reason.${reason}`)}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

const runStatusColor: Record<RunStatus, string> = {
  draft: 'blue',
  approved: 'cyan',
  published: 'green',
  discarded: 'default',
};

export function RunStatusTag({ status }: { status: RunStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={runStatusColor[status]} data-testid="run-status" data-status={status}>
      {t(`run.status.${status}`)}
    </Tag>
  );
}
