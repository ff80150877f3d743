import type { RebateProgram, RebateSettlementBatch } from '@tierline/contract';
import { Card, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { useRebateSettlements } from './rebate-api';

/**
 * A program's settlements, newest first, each summed over the caller's dealers: interim ones
 * and the final one that closed a period; what each paid (negative: clawed back).
 */
export function RebateHistoryCard({ program }: { program: RebateProgram }) {
  const { t } = useI18n();
  const format = useFormat();
  const settlements = useRebateSettlements(program.code);
  const amount = (title: string, pick: (b: RebateSettlementBatch) => number) => ({
    title,
    key: title,
    align: 'right' as const,
    render: (_: unknown, b: RebateSettlementBatch) => (
      <Typography.Text className="tl-num" type={pick(b) < 0 ? 'danger' : undefined}>
        {format.money(pick(b))}
      </Typography.Text>
    ),
  });
  const columns: TableColumnsType<RebateSettlementBatch> = [
    {
      title: t('rebates.history.col.period'),
      key: 'period',
      render: (_: unknown, b) => (
        <span>
          <Typography.Text strong>{b.period}</Typography.Text>{' '}
          <Typography.Text type="secondary">
            {t('rebates.history.seq', { seq: b.seq })}
          </Typography.Text>
        </span>
      ),
    },
    {
      title: t('rebates.history.col.kind'),
      key: 'kind',
      render: (_: unknown, b) =>
        b.final ? (
          <Tag color="green">{t('rebates.history.final')}</Tag>
        ) : (
          <Tag color="blue">{t('rebates.history.interim')}</Tag>
        ),
    },
    { title: t('rebates.history.col.asOf'), dataIndex: 'asOf', key: 'asOf' },
    {
      title: t('rebates.history.col.dealers'),
      key: 'dealers',
      align: 'right',
      render: (_: unknown, b) => <span className="tl-num">{format.number(b.dealers)}</span>,
    },
    amount(t('rebates.history.col.rebate'), (b) => b.rebate),
    amount(t('rebates.history.col.paid'), (b) => b.alreadyPaid),
    amount(t('rebates.history.col.due'), (b) => b.due),
    {
      title: t('rebates.history.col.clawbacks'),
      key: 'clawbacks',
      align: 'right',
      render: (_: unknown, b) =>
        b.clawbacks > 0 ? (
          <Tag color="red">{format.number(b.clawbacks)}</Tag>
        ) : (
          <span className="tl-num">0</span>
        ),
    },
    {
      title: t('rebates.history.col.who'),
      key: 'who',
      render: (_: unknown, b) => (
        <span>
          {b.createdBy ?? '—'}{' '}
          <Typography.Text type="secondary">
            {dayjs(b.createdAt).format('YYYY-MM-DD HH:mm')}
          </Typography.Text>
        </span>
      ),
    },
  ];
  return (
    <Card variant="borderless" title={t('rebates.history.title')} data-testid="rebate-history">
      {settlements.error !== null ? (
        <QueryError error={settlements.error} onRetry={() => void settlements.refetch()} />
      ) : (
        <Table<RebateSettlementBatch>
          rowKey={(b) => `${b.period}-${b.seq}`}
          size="small"
          columns={columns}
          dataSource={settlements.data?.batches ?? []}
          loading={settlements.isFetching}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: settlements.isPending ? ' ' : t('rebates.history.empty') }}
        />
      )}
    </Card>
  );
}
