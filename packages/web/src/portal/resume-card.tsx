import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { Resume } from '@tierline/contract';
import { verifyResume, type ResumeVerification } from '@tierline/core/ledger';
import { Button, Card, Empty, Skeleton, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { ApiError } from '../api/client';
import { useLedgerInfo, usePortalResume } from '../api/queries';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { LinkButton, QueryError } from '../layout/page';
import { CheckRow, KindTag } from '../ledger/ledger-ui';
import { ResumeResult } from '../ledger/resume-result';
import { useDealerTier } from '../tiering/tier-api';
import { TierTag } from '../tiering/tier-tags';
import { resumeRows, type ResumeMoney, type ResumeRow } from './resume-records';

/** Saves the résumé as the file the server sent, named after the dealer's code. */
function download(resume: Resume): void {
  const blob = new Blob([`${JSON.stringify(resume, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `resume-${resume.dealer.code}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/**
 * "My verifiable résumé" (数字履历, PRODUCT §6): the dealer's own records in the ledger, each
 * with its salt and inclusion proof (`GET /api/v1/portal/resume`), to download as one file that
 * anyone can check offline, or to check here with the log's published verifier key.
 */
export function ResumeCard() {
  const { t } = useI18n();
  const format = useFormat();
  const resume = usePortalResume();
  const info = useLedgerInfo();
  const tiers = useDealerTier({ kind: 'portal' }).data?.tiers ?? [];
  const [result, setResult] = useState<ResumeVerification | null>(null);
  const data = resume.data;
  const rows = useMemo(() => (data === undefined ? [] : resumeRows(data)), [data]);
  const verifierKey = info.data?.verifierKey ?? null;
  const checked = new Map(result?.entries.map((e) => [e.index, e]) ?? []);

  const columns: TableColumnsType<ResumeRow> = [
    {
      title: t('ledger.col.period'),
      dataIndex: 'period',
      key: 'period',
      width: 100,
      render: (period: string | null) => <Typography.Text strong>{period ?? '—'}</Typography.Text>,
    },
    {
      title: t('ledger.col.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 130,
      render: (kind: string | null) => <KindTag kind={kind} />,
    },
    {
      title: t('resume.col.tier'),
      dataIndex: 'tier',
      key: 'tier',
      width: 120,
      render: (tier: string | null) => <TierTag tiers={tiers} code={tier} />,
    },
    {
      title: t('ledger.col.summary'),
      key: 'summary',
      render: (_: unknown, row) => <RowSummary row={row} />,
    },
    {
      title: t('ledger.col.index'),
      dataIndex: 'index',
      key: 'index',
      width: 90,
      align: 'right',
      render: (index: number) => <span className="tl-num">#{index}</span>,
    },
    ...(result === null
      ? []
      : [
          {
            title: t('resume.col.outcome'),
            key: 'outcome',
            width: 240,
            render: (_: unknown, row: ResumeRow) => {
              const check = checked.get(row.index);
              return (
                <CheckRow
                  status={check === undefined ? 'skipped' : check.ok ? 'ok' : 'failed'}
                  title={t(check?.ok === true ? 'resume.entry.ok' : 'resume.entry.failed')}
                  testId="resume-row-check"
                >
                  {check?.problem == null ? null : (
                    <Typography.Text type="danger">{check.problem}</Typography.Text>
                  )}
                </CheckRow>
              );
            },
          },
        ]),
  ];

  const notYet = resume.error instanceof ApiError && resume.error.isNotFound;
  return (
    <Card
      variant="borderless"
      style={{ marginTop: 16 }}
      data-testid="portal-resume"
      title={
        <span>
          {t('resume.title')}
          {data === undefined ? null : (
            <Typography.Text type="secondary" style={{ marginLeft: 8, fontWeight: 'normal' }}>
              {t('resume.count', { count: format.number(data.entries.length) })}
            </Typography.Text>
          )}
        </span>
      }
      extra={
        data === undefined ? null : (
          <Space wrap>
            <Button
              icon={<DownloadOutlined />}
              onClick={() => download(data)}
              data-testid="resume-download"
            >
              {t('resume.download')}
            </Button>
            <Button
              type="primary"
              icon={<SafetyCertificateOutlined />}
              disabled={verifierKey === null || data.entries.length === 0}
              onClick={() => verifierKey !== null && setResult(verifyResume(data, verifierKey))}
              data-testid="resume-verify"
            >
              {t('resume.verify')}
            </Button>
          </Space>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('resume.text')}</Typography.Paragraph>
      {notYet ? (
        <Empty description={t('resume.none')} data-testid="resume-none" />
      ) : resume.error !== null ? (
        <QueryError error={resume.error} onRetry={() => void resume.refetch()} />
      ) : data === undefined ? (
        <Skeleton active paragraph={{ rows: 5 }} />
      ) : (
        <>
          {result === null || verifierKey === null ? null : (
            <ResumeResult result={result} trustedKey={verifierKey} listEntries={false} />
          )}
          <Table<ResumeRow>
            data-testid="resume-table"
            rowKey="index"
            size="small"
            columns={columns}
            dataSource={rows}
            pagination={{ pageSize: 12, hideOnSinglePage: true, showSizeChanger: false }}
            scroll={{ x: 720 }}
            locale={{ emptyText: t('resume.none') }}
          />
          <Space wrap style={{ marginTop: 12 }}>
            <Typography.Text type="secondary">{t('resume.offline')}</Typography.Text>
            <LinkButton to="/verify" type="link" testId="resume-to-verify">
              {t('resume.toVerify')}
            </LinkButton>
          </Space>
        </>
      )}
    </Card>
  );
}

const overrideKinds = ['once', 'lock', 'until', 'floor'] as const;
const fundDecisions = ['approved', 'rejected', 'paid'] as const;

type Translate = ReturnType<typeof useI18n>['t'];

/** A resource record's money in a sentence: an allocation, a rebate settlement, a fund decision. */
function moneyText(m: ResumeMoney, t: Translate, format: ReturnType<typeof useFormat>): string {
  switch (m.kind) {
    case 'allocation':
      return t('resume.summary.allocation', { amount: format.money(m.amount) });
    case 'rebate':
      return t('resume.summary.rebate', {
        rebate: format.money(m.rebate),
        due: format.money(m.due),
      });
    case 'fund': {
      const decision = fundDecisions.find((d) => d === m.decision);
      return t('resume.summary.fund', {
        subject: m.subject === 'claim' ? t('resume.fund.claim') : t('resume.fund.request'),
        decision: decision === undefined ? m.decision : t(`resume.fund.${decision}`),
        amount: format.money(m.amount),
      });
    }
  }
}

function RowSummary({ row }: { row: ResumeRow }) {
  const { t } = useI18n();
  const format = useFormat();
  const kind = overrideKinds.find((k) => k === row.override?.kind);
  const override =
    row.override === null
      ? null
      : t('resume.summary.override', {
          kind: kind === undefined ? (row.override.kind ?? '—') : t(`override.kind.${kind}`),
        });
  const money = row.money === null ? null : moneyText(row.money, t, format);
  const parts = [
    row.score === null ? null : t('resume.summary.score', { score: format.number(row.score, 1) }),
    override,
    money,
  ].filter((part) => part !== null);
  if (parts.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span>
      {parts.join(' · ')}
      {row.override?.reason == null ? null : (
        <Typography.Text type="secondary"> · {row.override.reason}</Typography.Text>
      )}
    </span>
  );
}
