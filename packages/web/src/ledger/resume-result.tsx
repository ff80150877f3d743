import type { ResumeEntryCheck, ResumeVerification } from '@tierline/core/ledger';
import { Alert, Descriptions, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';

type EntryRow = ResumeEntryCheck & { key: number };
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { CheckRow, KindTag, MachineText } from './ledger-ui';

/**
 * What `verifyResume` found, for people: the verdict, whose résumé and against which checkpoint,
 * then every record with its outcome. Problems are the core's own words (they name the field).
 */
export function ResumeResult({
  result,
  fileKey,
  trustedKey,
  listEntries = true,
}: {
  result: ResumeVerification;
  /** False where the records are listed already (the portal marks its own rows). */
  listEntries?: boolean;
  /** The verifier key the file states, to warn when it is not the key that was trusted. */
  fileKey?: string | null;
  trustedKey: string;
}) {
  const { t } = useI18n();
  const format = useFormat();
  const passed = result.entries.filter((e) => e.ok).length;

  const columns: TableColumnsType<EntryRow> = [
    {
      title: t('ledger.col.index'),
      dataIndex: 'index',
      key: 'index',
      width: 90,
      render: (index: number) => <span className="tl-num">#{index}</span>,
    },
    {
      title: t('ledger.col.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 140,
      render: (kind: string | null) => <KindTag kind={kind} />,
    },
    {
      title: t('ledger.col.period'),
      dataIndex: 'period',
      key: 'period',
      width: 100,
      render: (period: string | null) => period ?? '—',
    },
    {
      title: t('resume.col.outcome'),
      key: 'outcome',
      render: (_: unknown, entry) => (
        <CheckRow
          status={entry.ok ? 'ok' : 'failed'}
          title={t(entry.ok ? 'resume.entry.ok' : 'resume.entry.failed')}
        >
          {entry.problem === null ? null : (
            <Typography.Text type="danger">{entry.problem}</Typography.Text>
          )}
        </CheckRow>
      ),
    },
  ];

  return (
    <div data-testid="resume-result" data-ok={result.ok} style={{ margin: '16px 0' }}>
      <Alert
        type={result.ok ? 'success' : 'error'}
        showIcon
        data-testid="resume-verdict"
        title={
          result.ok
            ? t('resume.ok', { count: format.number(result.entries.length) })
            : t('resume.failed', {
                passed: format.number(passed),
                count: format.number(result.entries.length),
              })
        }
        description={result.problem ?? undefined}
      />
      {fileKey != null && fileKey.trim() !== trustedKey.trim() ? (
        <Alert
          style={{ marginTop: 8 }}
          type="warning"
          showIcon
          data-testid="resume-other-key"
          title={t('resume.otherKey')}
          description={<MachineText>{fileKey}</MachineText>}
        />
      ) : null}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        style={{ marginTop: 12 }}
        items={[
          {
            key: 'dealer',
            label: t('ledger.col.dealer'),
            children:
              result.dealer === null ? '—' : `${result.dealer.code} · ${result.dealer.name}`,
          },
          {
            key: 'origin',
            label: t('ledger.origin'),
            children: result.origin === null ? '—' : <MachineText>{result.origin}</MachineText>,
          },
          {
            key: 'treeSize',
            label: t('ledger.checkpointSize'),
            children: result.treeSize === null ? '—' : format.number(result.treeSize),
          },
        ]}
      />
      {!listEntries || result.entries.length === 0 ? null : (
        <Table<EntryRow>
          data-testid="resume-entries"
          size="small"
          columns={columns}
          // A hand-made file may repeat an index: rows are keyed by position.
          dataSource={result.entries.map((entry, i) => ({ ...entry, key: i }))}
          pagination={{ pageSize: 12, hideOnSinglePage: true, showSizeChanger: false }}
          scroll={{ x: 640 }}
        />
      )}
    </div>
  );
}
