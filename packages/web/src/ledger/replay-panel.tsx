import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import type { ReplayResult } from '@tierline/contract';
import { Alert, Descriptions, Skeleton, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useLedgerReplay } from '../api/queries';
import { useI18n } from '../i18n/locale';
import type { MessageKey } from '../i18n/messages';
import { QueryError } from '../layout/page';
import { JsonValue, MachineText } from './ledger-ui';

type ReplayCheck = ReplayResult['checks'][number];

/** The server's check names (replay.service.ts) in the reader's language; others as they are. */
const checkLabels: Readonly<Record<string, MessageKey>> = {
  commitment: 'ledger.replay.check.commitment',
  'policy digest': 'ledger.replay.check.policyDigest',
  'inputs digest': 'ledger.replay.check.inputsDigest',
  'dealer assessed': 'ledger.replay.check.dealerAssessed',
  score: 'ledger.replay.check.score',
  rank: 'ledger.replay.check.rank',
  scoreTier: 'ledger.replay.check.scoreTier',
  candidateTier: 'ledger.replay.check.candidateTier',
  previousTier: 'ledger.replay.check.previousTier',
  tier: 'ledger.replay.check.tier',
  standing: 'ledger.replay.check.standing',
  periodsBelow: 'ledger.replay.check.periodsBelow',
  periodsAtBottom: 'ledger.replay.check.periodsAtBottom',
  reasons: 'ledger.replay.check.reasons',
  override: 'ledger.replay.check.override',
};

/**
 * A tier decision recomputed by the server from the inputs and policy version its record names
 * (`GET /ledger/entries/{index}/replay`): each recorded value beside the replayed one.
 */
export function ReplayPanel({ index }: { index: number }) {
  const { t } = useI18n();
  const replay = useLedgerReplay(index, true);
  const data = replay.data;

  const columns: TableColumnsType<ReplayCheck> = [
    {
      title: t('ledger.replay.col.check'),
      dataIndex: 'check',
      key: 'check',
      width: 170,
      render: (check: string) => {
        const label = Object.hasOwn(checkLabels, check) ? checkLabels[check] : undefined;
        return label === undefined ? (
          <MachineText>{check}</MachineText>
        ) : (
          <span data-check={check}>{t(label)}</span>
        );
      },
    },
    {
      title: t('ledger.replay.col.recorded'),
      dataIndex: 'recorded',
      key: 'recorded',
      render: (value: unknown) => <JsonValue value={value} />,
    },
    {
      title: t('ledger.replay.col.replayed'),
      dataIndex: 'replayed',
      key: 'replayed',
      render: (value: unknown) => <JsonValue value={value} />,
    },
    {
      title: t('ledger.replay.col.matches'),
      dataIndex: 'matches',
      key: 'matches',
      width: 80,
      align: 'center',
      render: (matches: boolean) =>
        matches ? (
          <CheckCircleFilled style={{ color: '#2fa58a' }} aria-label={t('ledger.replay.same')} />
        ) : (
          <CloseCircleFilled style={{ color: '#cf1322' }} aria-label={t('ledger.replay.differs')} />
        ),
    },
  ];

  return (
    <div style={{ marginTop: 16 }} data-testid="ledger-replay">
      <Typography.Title level={5}>{t('ledger.replay.title')}</Typography.Title>
      {replay.error !== null ? (
        <QueryError error={replay.error} onRetry={() => void replay.refetch()} />
      ) : data === undefined ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : (
        <>
          <Alert
            type={data.matches ? 'success' : 'error'}
            showIcon
            data-testid="ledger-replay-result"
            data-matches={data.matches}
            title={t(data.matches ? 'ledger.replay.matches' : 'ledger.replay.mismatch')}
          />
          <Descriptions
            size="small"
            column={2}
            style={{ marginTop: 12 }}
            items={[
              { key: 'period', label: t('ledger.col.period'), children: data.period },
              {
                key: 'dealer',
                label: t('ledger.col.dealer'),
                children: `${data.dealer.code} · ${data.dealer.name}`,
              },
              {
                key: 'policy',
                label: t('ledger.replay.policy'),
                children: `${data.policy.name} v${data.policy.version}`,
              },
              { key: 'run', label: t('ledger.replay.run.id'), children: `#${data.runId}` },
            ]}
          />
          <Table<ReplayCheck>
            data-testid="ledger-replay-checks"
            rowKey="check"
            size="small"
            columns={columns}
            dataSource={data.checks}
            pagination={false}
            scroll={{ x: 640 }}
          />
        </>
      )}
    </div>
  );
}
