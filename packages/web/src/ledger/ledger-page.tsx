import { SecurityScanOutlined } from '@ant-design/icons';
import type { LedgerEntry, LedgerRecordKind } from '@tierline/contract';
import { Button, Card, Flex, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useSearchParams } from 'react-router-dom';
import { useLedgerEntries, useLedgerInfo } from '../api/queries';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { LinkButton, PageHeading, QueryError } from '../layout/page';
import { useCan } from '../tiering/tier-api';
import { DealerFilter } from './dealer-filter';
import { EntryDrawer } from './entry-drawer';
import { KindTag, MachineText, ledgerKinds } from './ledger-ui';
import { LogCard } from './log-card';

const pageSize = 50;
const timeFormat = 'YYYY-MM-DD HH:mm';

/** A whole number from the URL (an entry index, a dealer id), or undefined. */
function wholeNumber(value: string | null): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

/**
 * The tenant's verifiable record (PRODUCT §6, docs/ledger.md): the log itself — its name, the
 * key that signs it, its latest signed checkpoint and where its public tiles are — and the
 * records behind its entries, filtered by kind and dealer. A record opens in a drawer that
 * checks it in this browser. Filters and the open record live in the URL, so a link to a
 * record can be passed on.
 */
export default function LedgerPage() {
  const { t } = useI18n();
  const format = useFormat();
  const can = useCan();
  const [search, setSearch] = useSearchParams();
  const kindParam = search.get('kind');
  const kind = ledgerKinds.find((k) => k === kindParam);
  const dealerId = wholeNumber(search.get('dealer')) || undefined;
  const open = wholeNumber(search.get('entry')) ?? null;
  const info = useLedgerInfo();
  const entries = useLedgerEntries({ kind, dealerId }, pageSize);
  const items = entries.data?.pages.flatMap((page) => page.items) ?? [];
  const total = entries.data?.pages[0]?.total;

  function setParam(name: string, value: string | undefined) {
    const next = new URLSearchParams(search);
    if (value === undefined) next.delete(name);
    else next.set(name, value);
    setSearch(next, { replace: name !== 'entry' });
  }

  const columns: TableColumnsType<LedgerEntry> = [
    {
      title: t('ledger.col.index'),
      dataIndex: 'index',
      key: 'index',
      width: 80,
      render: (index: number) => <span className="tl-num">#{index}</span>,
    },
    {
      title: t('ledger.col.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 130,
      render: (value: LedgerRecordKind) => <KindTag kind={value} />,
    },
    {
      title: t('ledger.col.period'),
      dataIndex: 'period',
      key: 'period',
      width: 90,
      render: (period: string | null) => period ?? '—',
    },
    {
      title: t('ledger.col.dealer'),
      key: 'dealer',
      width: 220,
      render: (_: unknown, entry) =>
        entry.dealer === null ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <span>
            <Typography.Text className="tl-code">{entry.dealer.code}</Typography.Text>{' '}
            {entry.dealer.name}
          </span>
        ),
    },
    {
      title: t('ledger.col.summary'),
      dataIndex: 'summary',
      key: 'summary',
      render: (summary: string) => <span data-testid="ledger-summary">{summary}</span>,
    },
    {
      title: t('ledger.col.commitment'),
      dataIndex: 'commitment',
      key: 'commitment',
      width: 150,
      render: (hex: string) => <MachineText>{hex.slice(0, 16)}…</MachineText>,
    },
    {
      title: t('ledger.col.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      width: 150,
      render: (at: string) => <span className="tl-num">{dayjs(at).format(timeFormat)}</span>,
    },
  ];

  return (
    <div data-testid="ledger-page">
      <PageHeading
        title={t('ledger.title')}
        subtitle={t('ledger.subtitle')}
        extra={
          <LinkButton to="/verify" type="primary" testId="ledger-to-verify">
            <SecurityScanOutlined /> {t('ledger.toVerify')}
          </LinkButton>
        }
      />
      <LogCard info={info.data} error={info.error} onRetry={() => void info.refetch()} />
      <Card
        variant="borderless"
        title={t('ledger.entries')}
        style={{ marginTop: 16 }}
        extra={
          <Space wrap>
            <Select<LedgerRecordKind>
              data-testid="ledger-filter-kind"
              allowClear
              style={{ width: 170 }}
              placeholder={t('ledger.filter.kind')}
              value={kind}
              onChange={(value) => setParam('kind', value)}
              options={ledgerKinds.map((k) => ({ value: k, label: t(`ledger.kind.${k}`) }))}
            />
            {can('dealers:read') ? (
              <DealerFilter
                value={dealerId}
                onChange={(id) => setParam('dealer', id === undefined ? undefined : String(id))}
              />
            ) : null}
          </Space>
        }
      >
        {entries.error === null ? null : (
          <div style={{ marginBottom: 16 }}>
            <QueryError error={entries.error} onRetry={() => void entries.refetch()} />
          </div>
        )}
        <Table<LedgerEntry>
          data-testid="ledger-table"
          rowKey="index"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={entries.isFetching && !entries.isFetchingNextPage}
          pagination={false}
          scroll={{ x: 1100 }}
          rowClassName={() => 'tl-clickable-row'}
          onRow={(entry) => ({ onClick: () => setParam('entry', String(entry.index)) })}
          locale={{ emptyText: entries.isPending ? ' ' : t('ledger.empty') }}
        />
        <Flex justify="space-between" align="center" wrap gap={12} className="tl-pager">
          <Typography.Text data-testid="ledger-total">
            {total === undefined
              ? '\u00a0'
              : t('ledger.shown', {
                  shown: format.number(items.length),
                  total: format.number(total),
                })}
          </Typography.Text>
          {entries.hasNextPage ? (
            <Button
              data-testid="ledger-more"
              loading={entries.isFetchingNextPage}
              onClick={() => void entries.fetchNextPage()}
            >
              {t('ledger.more')}
            </Button>
          ) : null}
        </Flex>
      </Card>
      <EntryDrawer
        index={open}
        verifierKey={info.data?.verifierKey ?? null}
        onClose={() => setParam('entry', undefined)}
      />
    </div>
  );
}
