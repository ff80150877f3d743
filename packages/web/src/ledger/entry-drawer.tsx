import { HistoryOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { LedgerEntryDetail } from '@tierline/contract';
import {
  Alert,
  Button,
  Descriptions,
  Divider,
  Drawer,
  Segmented,
  Skeleton,
  Space,
  Typography,
} from 'antd';
import type { DescriptionsProps } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useLedgerEntry } from '../api/queries';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { useCan } from '../tiering/tier-api';
import { checkEntry, entrySteps, type EntryCheck } from './entry-check';
import { CheckRow, Copyable, KindTag, MachineText, TextBlock } from './ledger-ui';
import { ReplayPanel } from './replay-panel';

/**
 * One record of the log opened: what it says, the exact JSON that was committed, its salt and
 * commitment, and the proof that the log holds it. "Verify in this browser" recomputes all of
 * it with the ledger core; a tier decision can also be replayed by the server.
 */
export function EntryDrawer({
  index,
  verifierKey,
  onClose,
}: {
  index: number | null;
  verifierKey: string | null;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const entry = useLedgerEntry(index);
  const data = entry.data;
  return (
    <Drawer
      open={index !== null}
      onClose={onClose}
      size={760}
      destroyOnHidden
      data-testid="ledger-entry-drawer"
      title={
        <Space size={8}>
          <span>{t('ledger.entry.title', { index: index ?? '' })}</span>
          {data === undefined ? null : <KindTag kind={data.kind} />}
        </Space>
      }
    >
      {entry.error !== null ? (
        <QueryError error={entry.error} onRetry={() => void entry.refetch()} />
      ) : data === undefined ? (
        <Skeleton active paragraph={{ rows: 12 }} />
      ) : (
        <EntryDetail key={data.index} entry={data} verifierKey={verifierKey} />
      )}
    </Drawer>
  );
}

function EntryDetail({
  entry,
  verifierKey,
}: {
  entry: LedgerEntryDetail;
  verifierKey: string | null;
}) {
  const { t } = useI18n();
  const can = useCan();
  const [check, setCheck] = useState<EntryCheck | null>(null);
  const [replay, setReplay] = useState(false);
  const [view, setView] = useState<'pretty' | 'committed'>('pretty');

  function verify() {
    if (verifierKey === null) return;
    setCheck(checkEntry(entry, verifierKey));
  }

  const summary: DescriptionsProps['items'] = [
    { key: 'summary', label: t('ledger.col.summary'), span: 'filled', children: entry.summary },
    { key: 'period', label: t('ledger.col.period'), children: entry.period ?? '—' },
    {
      key: 'dealer',
      label: t('ledger.col.dealer'),
      children:
        entry.dealer === null ? (
          '—'
        ) : (
          <span>
            <Typography.Text className="tl-code">{entry.dealer.code}</Typography.Text>{' '}
            {entry.dealer.name}
          </span>
        ),
    },
    {
      key: 'createdAt',
      label: t('ledger.col.createdAt'),
      children: dayjs(entry.createdAt).format('YYYY-MM-DD HH:mm:ss'),
    },
    {
      key: 'index',
      label: t('ledger.col.index'),
      children: <span className="tl-num">#{entry.index}</span>,
    },
  ];

  return (
    <div data-testid="ledger-entry">
      <Descriptions size="small" column={2} items={summary} />

      <Divider titlePlacement="start">{t('ledger.entry.verify')}</Divider>
      <Typography.Paragraph type="secondary">{t('ledger.entry.verify.text')}</Typography.Paragraph>
      <Space wrap>
        <Button
          type="primary"
          icon={<SafetyCertificateOutlined />}
          onClick={verify}
          disabled={verifierKey === null}
          data-testid="ledger-entry-verify"
        >
          {t('ledger.entry.verify.run')}
        </Button>
        {entry.kind === 'tier_decision' && can('assessments:read') ? (
          <Button
            icon={<HistoryOutlined />}
            onClick={() => setReplay(true)}
            data-testid="ledger-entry-replay"
          >
            {t('ledger.replay.run')}
          </Button>
        ) : null}
      </Space>
      {check === null ? null : <EntryCheckResult check={check} />}
      {replay ? <ReplayPanel index={entry.index} /> : null}

      <Divider titlePlacement="start">{t('ledger.entry.record')}</Divider>
      <Segmented<'pretty' | 'committed'>
        size="small"
        value={view}
        onChange={setView}
        options={[
          { value: 'pretty', label: t('ledger.entry.record.pretty') },
          { value: 'committed', label: t('ledger.entry.record.committed') },
        ]}
      />
      <TextBlock
        testId="ledger-entry-record"
        text={view === 'pretty' ? JSON.stringify(entry.record, null, 2) : entry.recordJson}
      />

      <Divider titlePlacement="start">{t('ledger.entry.commitment')}</Divider>
      <Descriptions
        size="small"
        column={1}
        styles={{ label: { whiteSpace: 'nowrap' } }}
        items={[
          {
            key: 'commitment',
            label: t('ledger.col.commitment'),
            children: <Copyable text={entry.commitment} testId="ledger-entry-commitment" />,
          },
          {
            key: 'salt',
            label: t('ledger.entry.salt'),
            children: <MachineText testId="ledger-entry-salt">{entry.salt}</MachineText>,
          },
          {
            key: 'proof',
            label: t('ledger.entry.proof'),
            children:
              entry.proof === null ? (
                <Typography.Text type="secondary">{t('ledger.entry.noProof')}</Typography.Text>
              ) : (
                <div data-testid="ledger-entry-proof">
                  <Typography.Text>
                    {t('ledger.entry.proof.of', {
                      index: entry.proof.index,
                      size: entry.proof.treeSize,
                      hashes: entry.proof.hashes.length,
                    })}
                  </Typography.Text>
                  {entry.proof.hashes.map((hash, i) => (
                    <div key={i}>
                      <MachineText>{hash}</MachineText>
                    </div>
                  ))}
                </div>
              ),
          },
        ]}
      />
      {entry.checkpoint === null ? null : (
        <>
          <Typography.Text strong>{t('ledger.checkpoint')}</Typography.Text>
          <TextBlock text={entry.checkpoint} />
        </>
      )}
    </div>
  );
}

function EntryCheckResult({ check }: { check: EntryCheck }) {
  const { t } = useI18n();
  const ran = new Map(check.steps.map((s) => [s.step, s]));
  return (
    <div style={{ marginTop: 12 }} data-testid="ledger-entry-check" data-ok={check.ok}>
      <Alert
        type={check.ok ? 'success' : 'error'}
        showIcon
        data-testid="ledger-entry-check-result"
        title={t(check.ok ? 'ledger.entry.check.ok' : 'ledger.entry.check.failed')}
      />
      <div style={{ marginTop: 8 }}>
        {entrySteps.map((step) => {
          const result = ran.get(step);
          return (
            <CheckRow
              key={step}
              status={result === undefined ? 'skipped' : result.ok ? 'ok' : 'failed'}
              title={t(`ledger.entry.step.${step}`)}
              testId={`ledger-entry-step-${step}`}
            >
              {result?.problem === undefined ? null : (
                <div>{t(`ledger.entry.problem.${result.problem}`)}</div>
              )}
              {result === undefined || result.detail === '' ? null : (
                <MachineText>{result.detail}</MachineText>
              )}
            </CheckRow>
          );
        })}
      </div>
    </div>
  );
}
