import type { ImportBatch } from '@tierline/contract';
import { Button, Descriptions, Drawer, Flex, Skeleton, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { useImportBatch, useImportBatches } from './import-api';
import { IssueTable, OutcomeTag, ReportButtons } from './import-report';

const timeFormat = 'YYYY-MM-DD HH:mm:ss';

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Every recorded import, newest first; a row opens the batch with its issues. */
export function BatchHistory() {
  const { t } = useI18n();
  const format = useFormat();
  const batches = useImportBatches();
  const [open, setOpen] = useState<number | null>(null);
  const items = batches.data?.pages.flatMap((page) => page.items) ?? [];
  const total = batches.data?.pages[0]?.total;

  const columns: TableColumnsType<ImportBatch> = [
    {
      title: t('imports.history.col.at'),
      dataIndex: 'finishedAt',
      key: 'at',
      width: 170,
      render: (at: string) => <span className="tl-num">{dayjs(at).format(timeFormat)}</span>,
    },
    {
      title: t('imports.history.col.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 130,
      render: (kind: ImportBatch['kind']) => t(`imports.kind.${kind}`),
    },
    {
      title: t('imports.history.col.file'),
      key: 'file',
      ellipsis: true,
      render: (_: unknown, batch) => (
        <Space size={4}>
          {batch.source === 'api' ? <Tag>{t('imports.batch.source.api')}</Tag> : null}
          <span data-testid="import-batch-file">{batch.fileName}</span>
        </Space>
      ),
    },
    {
      title: t('imports.history.col.outcome'),
      dataIndex: 'outcome',
      key: 'outcome',
      width: 130,
      render: (outcome: ImportBatch['outcome']) => <OutcomeTag outcome={outcome} />,
    },
    {
      title: t('imports.history.col.counts'),
      key: 'counts',
      width: 200,
      render: (_: unknown, batch) => (
        <span className="tl-num">
          {format.number(batch.rows)} · {format.number(batch.inserted)} ·{' '}
          {format.number(batch.updated)} ·{' '}
          <Typography.Text type={batch.invalid > 0 ? 'danger' : undefined}>
            {format.number(batch.invalid)}
          </Typography.Text>
        </span>
      ),
    },
    {
      title: t('imports.history.col.actor'),
      key: 'actor',
      width: 180,
      render: (_: unknown, batch) => (
        <Space size={4}>
          <Tag>{t(`audit.actor.${batch.actor.kind}`)}</Tag>
          <span>{batch.actor.name ?? t('imports.history.hidden')}</span>
        </Space>
      ),
    },
  ];

  return (
    <>
      {batches.error === null ? null : (
        <div style={{ marginBottom: 16 }}>
          <QueryError error={batches.error} onRetry={() => void batches.refetch()} />
        </div>
      )}
      <Table<ImportBatch>
        data-testid="import-history"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={batches.isFetching && !batches.isFetchingNextPage}
        pagination={false}
        scroll={{ x: 980 }}
        rowClassName={() => 'tl-clickable-row'}
        onRow={(batch) => ({ onClick: () => setOpen(batch.id) })}
        locale={{ emptyText: batches.isPending ? ' ' : t('imports.history.empty') }}
      />
      <Flex justify="space-between" align="center" wrap gap={12} className="tl-pager">
        <Typography.Text data-testid="import-history-total">
          {total === undefined
            ? '\u00a0'
            : t('imports.history.shown', {
                shown: format.number(items.length),
                total: format.number(total),
              })}
        </Typography.Text>
        {batches.hasNextPage ? (
          <Button loading={batches.isFetchingNextPage} onClick={() => void batches.fetchNextPage()}>
            {t('imports.history.more')}
          </Button>
        ) : null}
      </Flex>
      <BatchDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}

function BatchDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useI18n();
  const format = useFormat();
  const batch = useImportBatch(id);
  const data = batch.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={760}
      destroyOnHidden
      title={id === null ? '' : t('imports.batch.title', { id })}
      data-testid="import-batch-drawer"
    >
      {batch.error !== null ? (
        <QueryError error={batch.error} onRetry={() => void batch.refetch()} />
      ) : data === undefined ? (
        <Skeleton active />
      ) : (
        <div data-testid="import-batch-detail">
          <Descriptions
            size="small"
            column={2}
            items={[
              {
                key: 'outcome',
                label: t('imports.history.col.outcome'),
                children: <OutcomeTag outcome={data.outcome} />,
              },
              {
                key: 'kind',
                label: t('imports.history.col.kind'),
                children: t(`imports.kind.${data.kind}`),
              },
              { key: 'file', label: t('imports.history.col.file'), children: data.fileName },
              {
                key: 'source',
                label: t('imports.batch.source'),
                children: t(`imports.batch.source.${data.source}`),
              },
              {
                key: 'size',
                label: t('imports.batch.size'),
                children: fileSize(data.sizeBytes),
              },
              {
                key: 'actor',
                label: t('imports.history.col.actor'),
                children: data.actor.name ?? t(`audit.actor.${data.actor.kind}`),
              },
              {
                key: 'at',
                label: t('imports.history.col.at'),
                children: dayjs(data.finishedAt).format(timeFormat),
              },
              {
                key: 'duration',
                label: t('imports.batch.duration'),
                children: t('imports.batch.seconds', {
                  seconds: (
                    (dayjs(data.finishedAt).valueOf() - dayjs(data.startedAt).valueOf()) /
                    1000
                  ).toFixed(2),
                }),
              },
              {
                key: 'counts',
                label: t('imports.history.col.counts'),
                span: 2,
                children: (
                  <span className="tl-num">
                    {[data.rows, data.inserted, data.updated, data.invalid]
                      .map((n) => format.number(n))
                      .join(' · ')}
                  </span>
                ),
              },
              {
                key: 'sha',
                label: 'SHA-256',
                span: 2,
                children: <span className="tl-code">{data.sha256}</span>,
              },
              ...(data.idempotencyKey === null
                ? []
                : [
                    {
                      key: 'key',
                      label: t('imports.batch.idempotencyKey'),
                      span: 2,
                      children: <span className="tl-code">{data.idempotencyKey}</span>,
                    },
                  ]),
            ]}
          />
          <div className="tl-import-section-head" style={{ marginTop: 16 }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('imports.issues.title')}
            </Typography.Title>
            {data.issueCount === 0 ? null : (
              <ReportButtons batchId={data.id} fileName={data.fileName} issues={data.issues} />
            )}
          </div>
          <IssueTable
            issues={data.issues}
            issueCount={data.issueCount}
            testId="import-batch-issues"
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('imports.batch.mapping')}
          </Typography.Title>
          <pre className="tl-json">{JSON.stringify(data.mapping, null, 2)}</pre>
        </div>
      )}
    </Drawer>
  );
}
