import { AimOutlined, SafetyOutlined, UserSwitchOutlined } from '@ant-design/icons';
import type { Contribution, DecisionDetail, TierGap } from '@tierline/contract';
import {
  Alert,
  Col,
  Descriptions,
  Flex,
  Row,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useI18n } from '../i18n/locale';
import { ScoreBreakdownChart } from './tier-charts';
import { ReasonTags, StandingTag, TierChange, TierTag } from './tier-tags';
import { formatMetricValue, gapSentences, type TextKit } from './tier-text';
import { useTierText } from './use-tier-text';

/**
 * What it takes to reach a tier (`gap`, the next one up) or to keep it (`hold`, when at risk):
 * the points missing, one sentence per single-metric route, and the failed gates.
 */
export function GapSection({
  gap,
  kind,
  score,
  periodsBelow,
  kit,
}: {
  gap: TierGap;
  kind: 'gap' | 'hold';
  score: number;
  periodsBelow?: number;
  kit: TextKit;
}) {
  const { t } = useI18n();
  const { routes, gates } = gapSentences(gap, kit);
  const tier = kit.tierName(gap.tier);
  const points = kit.format.number(gap.pointsNeeded, 1);
  const min = kit.format.number(gap.minScore, 1);
  return (
    <div data-testid={kind === 'gap' ? 'tier-gap' : 'tier-hold'} className="tl-gap">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {kind === 'gap' ? <AimOutlined /> : <SafetyOutlined />}{' '}
        {t(kind === 'gap' ? 'tier.gap.title' : 'tier.hold.title', { tier })}
      </Typography.Title>
      {kind === 'hold' && periodsBelow !== undefined && periodsBelow > 0 ? (
        <Typography.Paragraph type="warning" style={{ marginBottom: 8 }}>
          {t('tier.hold.periods', { count: periodsBelow })}
        </Typography.Paragraph>
      ) : null}
      {gap.pointsNeeded > 0 ? (
        <>
          <Typography.Paragraph style={{ marginBottom: 6 }}>
            {t(kind === 'gap' ? 'tier.gap.points' : 'tier.hold.points', {
              points,
              tier,
              min,
              score: kit.format.number(score, 1),
            })}
          </Typography.Paragraph>
          {routes.length === 0 ? (
            <Typography.Paragraph type="secondary">{t('tier.gap.noSingle')}</Typography.Paragraph>
          ) : (
            <ul className="tl-gap-list" data-testid="gap-routes">
              {routes.map((sentence) => (
                <li key={sentence}>{sentence}</li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <Typography.Paragraph style={{ marginBottom: 6 }}>
          {t('tier.gap.scoreEnough', { tier, min })}
        </Typography.Paragraph>
      )}
      {gates.length === 0 ? null : (
        <>
          <Typography.Paragraph style={{ marginBottom: 6 }}>
            {t('tier.gap.gates')}
          </Typography.Paragraph>
          <ul className="tl-gap-list tl-gap-gates" data-testid="gap-gates">
            {gates.map((sentence) => (
              <li key={sentence}>{sentence}</li>
            ))}
          </ul>
        </>
      )}
      {gap.pointsNeeded > 0 && routes.length > 0 ? (
        <Typography.Text type="secondary" className="tl-gap-note">
          {t('tier.gap.assumption')}
        </Typography.Text>
      ) : null}
    </div>
  );
}

/** Each metric's value, weight, normalised value and points, best contribution first. */
export function ContributionTable({
  contributions,
  kit,
}: {
  contributions: readonly Contribution[];
  kit: TextKit;
}) {
  const { t } = useI18n();
  const columns: TableColumnsType<Contribution> = [
    {
      title: t('tier.breakdown.metric'),
      key: 'metric',
      render: (_: unknown, c) => (
        <Space size={4} wrap>
          <span>{kit.metric(c.metric).name}</span>
          {c.missing === null ? null : (
            <Tag variant="filled">{t(`tier.breakdown.missingTag.${c.missing}`)}</Tag>
          )}
          {c.capped ? <Tag variant="filled">{t('tier.breakdown.cappedTag')}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('tier.breakdown.value'),
      key: 'value',
      align: 'right',
      render: (_: unknown, c) => (
        <span className="tl-num">
          {formatMetricValue(c.value, kit.metric(c.metric).unit, kit.format)}
        </span>
      ),
    },
    {
      title: t('tier.breakdown.weight'),
      key: 'weight',
      align: 'right',
      width: 80,
      render: (_: unknown, c) => <span className="tl-num">{kit.format.percent(c.weight)}</span>,
    },
    {
      title: t('tier.breakdown.points'),
      key: 'points',
      align: 'right',
      width: 110,
      render: (_: unknown, c) => (
        <span className="tl-num">
          {kit.format.number(c.points, 1)}
          <Typography.Text type="secondary">
            {' '}
            / {kit.format.number(c.weight * 100, 1)}
          </Typography.Text>
        </span>
      ),
    },
  ];
  return (
    <Table<Contribution>
      data-testid="contribution-table"
      rowKey="metric"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={[...contributions].sort((a, b) => b.points - a.points)}
    />
  );
}

/**
 * A decision explained: its tier and standing, the score and rank, how the score, the gates and
 * the lifecycle rules led to the tier, the reasons, any override, what it takes to reach the
 * next tier (or to keep this one), and the score's parts. `wide` puts the words beside the
 * chart (a card on a page); otherwise they stack (a drawer).
 */
export function DecisionExplanation({
  decision,
  wide = false,
}: {
  decision: DecisionDetail;
  wide?: boolean;
}) {
  const { t } = useI18n();
  const kit = useTierText(decision.tiers, decision.metrics);
  const tiers = decision.tiers;
  const top = tiers[0]?.code === decision.tier;

  const summary = (
    <Flex vertical gap={12}>
      <Flex align="center" gap={16} wrap>
        <TierTag tiers={tiers} code={decision.tier} large />
        <StandingTag standing={decision.standing} />
        <Statistic
          title={t('tier.score')}
          value={kit.format.number(decision.score, 1)}
          suffix={<span className="tl-stat-suffix">/ 100</span>}
          className="tl-inline-stat"
        />
        <Statistic
          title={t('tier.rank')}
          value={kit.format.number(decision.rank)}
          className="tl-inline-stat"
        />
      </Flex>
      <Descriptions
        size="small"
        column={2}
        items={[
          { key: 'period', label: t('tier.period'), children: decision.period },
          {
            key: 'change',
            label: t('tier.change'),
            children: <TierChange tiers={tiers} from={decision.previousTier} to={decision.tier} />,
          },
          {
            key: 'scoreTier',
            label: t('tier.scoreTier'),
            children: <TierTag tiers={tiers} code={decision.scoreTier} />,
          },
          {
            key: 'candidateTier',
            label: t('tier.candidateTier'),
            children: <TierTag tiers={tiers} code={decision.candidateTier} />,
          },
        ]}
      />
      <div>
        <Typography.Text type="secondary" style={{ marginRight: 8 }}>
          {t('tier.reasons')}
        </Typography.Text>
        <ReasonTags reasons={decision.reasons} />
      </div>
      {decision.override === null ? null : (
        <Alert
          type="info"
          showIcon
          icon={<UserSwitchOutlined />}
          data-testid="decision-override"
          title={t('override.active', {
            kind: t(`override.kind.${decision.override.kind}`),
            by: decision.override.by ?? '—',
          })}
          description={decision.override.reason}
        />
      )}
      {decision.hold === null ? null : (
        <GapSection
          gap={decision.hold}
          kind="hold"
          score={decision.score}
          periodsBelow={decision.periodsBelow}
          kit={kit}
        />
      )}
      {decision.gap === null ? (
        top ? (
          <Typography.Text type="secondary" data-testid="tier-top">
            {t('tier.gap.top')}
          </Typography.Text>
        ) : null
      ) : (
        <GapSection gap={decision.gap} kind="gap" score={decision.score} kit={kit} />
      )}
    </Flex>
  );

  const breakdown = (
    <Tabs
      size="small"
      items={[
        {
          key: 'chart',
          label: t('tier.breakdown.title'),
          children: (
            <ScoreBreakdownChart
              contributions={decision.contributions}
              kit={kit}
              testId="score-breakdown"
            />
          ),
        },
        {
          key: 'table',
          label: t('tier.breakdown.table'),
          children: <ContributionTable contributions={decision.contributions} kit={kit} />,
        },
      ]}
    />
  );

  if (!wide) {
    return (
      <Flex vertical gap={16} data-testid="decision-explanation">
        {summary}
        {breakdown}
      </Flex>
    );
  }
  return (
    <Row gutter={[24, 16]} data-testid="decision-explanation">
      <Col xs={24} xl={11}>
        {summary}
      </Col>
      <Col xs={24} xl={13}>
        {breakdown}
      </Col>
    </Row>
  );
}
