import { DownloadOutlined } from '@ant-design/icons';
import type { ImportIssue, ImportOutcome, ImportResult } from '@tierline/contract';
import {
  Alert,
  App,
  Button,
  Col,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import type { MessageKey } from '../i18n/messages';
import { batchReportUrl, downloadIssues } from './import-api';
import { reasonText } from './reason-text';

export const outcomeColors: Record<ImportOutcome, string> = {
  applied: 'green',
  partially_applied: 'gold',
  rejected: 'red',
  validated: 'blue',
  unchanged: 'default',
};

export function OutcomeTag({ outcome }: { outcome: ImportOutcome }) {
  const { t } = useI18n();
  return (
    <Tag color={outcomeColors[outcome]} data-testid="import-outcome">
      {t(`imports.outcome.${outcome}`)}
    </Tag>
  );
}

/** The issues of an import: file row, column, field, the value as found, and why. */
export function IssueTable({
  issues,
  issueCount,
  testId,
}: {
  issues: readonly ImportIssue[];
  issueCount: number;
  testId: string;
}) {
  const { t } = useI18n();
  const format = useFormat();
  const columns: TableColumnsType<ImportIssue & { key: number }> = [
    {
      title: t('imports.issue.row'),
      dataIndex: 'row',
      key: 'row',
      width: 80,
      render: (row: number | null) =>
        row === null ? (
          <Typography.Text type="secondary">{t('imports.issue.file')}</Typography.Text>
        ) : (
          <span className="tl-num">{row}</span>
        ),
    },
    {
      title: t('imports.issue.column'),
      dataIndex: 'column',
      key: 'column',
      width: 160,
      render: (column: string | null, issue) => (
        <span>
          {column ?? '—'}
          {issue.field === null || issue.field === column ? null : (
            <Typography.Text type="secondary" className="tl-code">
              {' '}
              {issue.field}
            </Typography.Text>
          )}
        </span>
      ),
    },
    {
      title: t('imports.issue.value'),
      dataIndex: 'value',
      key: 'value',
      width: 180,
      render: (value: string | null) =>
        value === null ? '—' : <span className="tl-code tl-import-value">{value}</span>,
    },
    {
      title: t('imports.issue.reason'),
      dataIndex: 'reason',
      key: 'reason',
      render: (_: string, issue) => {
        const text = reasonText(issue, t);
        // The English reason stays at hand: the CLI, the API and English reports use it.
        return text === issue.reason ? (
          text
        ) : (
          <Tooltip title={issue.reason}>
            <span data-testid="import-issue-reason">{text}</span>
          </Tooltip>
        );
      },
    },
  ];
  return (
    <>
      {issueCount > issues.length ? (
        <Typography.Paragraph type="secondary" data-testid={`${testId}-partial`}>
          {t('imports.issues.partial', {
            count: format.number(issueCount),
            shown: format.number(issues.length),
          })}
        </Typography.Paragraph>
      ) : null}
      <Table
        data-testid={testId}
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={issues.map((issue, key) => ({ ...issue, key }))}
        pagination={issues.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        scroll={{ x: 640 }}
        locale={{ emptyText: t('imports.issues.none') }}
      />
    </>
  );
}

/** Buttons that download a report: a batch's from the server, a dry run's from its issues. */
export function ReportButtons({
  batchId,
  fileName,
  issues,
}: {
  batchId: number | null;
  fileName: string;
  issues: readonly ImportIssue[];
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<'csv' | 'xlsx' | null>(null);
  const button = (format: 'csv' | 'xlsx') => {
    const label = t(format === 'csv' ? 'imports.report.csv' : 'imports.report.xlsx');
    const testId = `import-report-${format}`;
    if (batchId !== null) {
      return (
        <Button
          size="small"
          icon={<DownloadOutlined />}
          href={batchReportUrl(batchId, format, locale)}
          download
          data-testid={testId}
        >
          {label}
        </Button>
      );
    }
    return (
      <Button
        size="small"
        icon={<DownloadOutlined />}
        loading={busy === format}
        data-testid={testId}
        onClick={() => {
          setBusy(format);
          downloadIssues(fileName, issues, format, locale)
            .catch((error: Error) =>
              message.error(`${t('imports.report.failed')}: ${error.message}`),
            )
            .finally(() => setBusy(null));
        }}
      >
        {label}
      </Button>
    );
  };
  return (
    <Space wrap>
      {button('csv')}
      {button('xlsx')}
    </Space>
  );
}

function verdictKey(result: ImportResult, dryRun: boolean): MessageKey {
  if (result.outcome === 'rejected' && dryRun) return 'imports.verdict.rejectedDry';
  return `imports.verdict.${result.outcome}`;
}

const alertType: Record<ImportOutcome, 'success' | 'info' | 'warning' | 'error'> = {
  applied: 'success',
  partially_applied: 'warning',
  rejected: 'error',
  validated: 'success',
  unchanged: 'info',
};

/** What an import or dry run did: the verdict, the counts and the report. */
export function ImportResultView({ result, dryRun }: { result: ImportResult; dryRun: boolean }) {
  const { t } = useI18n();
  const format = useFormat();
  const counts: [MessageKey, number, string?][] = [
    ['imports.count.rows', result.rows],
    ['imports.count.valid', result.valid],
    ['imports.count.invalid', result.invalid, result.invalid > 0 ? '#cf1322' : undefined],
  ];
  if (result.skipped > 0) counts.push(['imports.count.skipped', result.skipped]);
  if (!dryRun) {
    counts.push(
      ['imports.count.inserted', result.inserted],
      ['imports.count.updated', result.updated],
      ['imports.count.unchanged', result.unchanged],
    );
  }
  return (
    <div data-testid="import-result" data-outcome={result.outcome}>
      <Alert
        type={alertType[result.outcome]}
        showIcon
        data-testid="import-verdict"
        title={
          <Space wrap>
            <OutcomeTag outcome={result.outcome} />
            <span>{t(verdictKey(result, dryRun))}</span>
          </Space>
        }
        description={
          <Space orientation="vertical" size={0}>
            <Typography.Text type="secondary">
              {result.fileName} ·{' '}
              {result.batchId === null
                ? t('imports.result.dryRun')
                : t('imports.result.batch', { id: result.batchId })}{' '}
              · {t('imports.batch.seconds', { seconds: result.seconds.toFixed(2) })}
            </Typography.Text>
            {result.sameAsBatch === null || result.sameAsBatch === result.batchId ? null : (
              <Typography.Text type="secondary">
                {t('imports.sameAs', { batch: result.sameAsBatch })}
              </Typography.Text>
            )}
          </Space>
        }
      />
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        {counts.map(([key, value, color]) => (
          <Col key={key} xs={8} md={4}>
            <Statistic
              title={t(key)}
              value={format.number(value)}
              styles={color === undefined ? undefined : { content: { color } }}
              data-testid={`import-count-${key.split('.').pop()}`}
            />
          </Col>
        ))}
      </Row>
      {result.issueCount === 0 ? null : (
        <div style={{ marginTop: 16 }}>
          <div className="tl-import-section-head">
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('imports.issues.title')}
            </Typography.Title>
            <ReportButtons
              batchId={result.batchId}
              fileName={result.fileName}
              issues={result.issues}
            />
          </div>
          <IssueTable
            issues={result.issues}
            issueCount={result.issueCount}
            testId="import-issues"
          />
        </div>
      )}
    </div>
  );
}
