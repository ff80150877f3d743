import { LeftOutlined, ReloadOutlined, RightOutlined, SearchOutlined } from '@ant-design/icons';
import type { DealerSort, DealerSummary } from '@tierline/contract';
import { Button, Card, Flex, Input, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useDealerFacets, useDealerPage } from '../api/queries';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { PageHeading, QueryError } from '../layout/page';
import {
  dealerStatuses,
  defaultFilters,
  filtersFromSearch,
  filtersToApiParams,
  filtersToQueryString,
  hasActiveFilters,
  pageSizes,
  type DealerFilters,
} from './filter-state';
import { RegionCascader } from './region-cascader';
import { StatusTag } from './status-tag';

const searchDelayMs = 300;

/**
 * Cursors of the pages before the one on screen ('' is the first page), kept in the history
 * entry's state: "previous" pops it, and Back from a dealer page returns to the same page.
 */
function previousCursors(state: unknown): string[] {
  if (typeof state !== 'object' || state === null || !('prev' in state)) return [];
  const prev = state.prev;
  return Array.isArray(prev) ? prev.filter((c): c is string => typeof c === 'string') : [];
}

function listLocation(filters: DealerFilters) {
  const search = filtersToQueryString(filters);
  return { pathname: '/dealers', search: search === '' ? '' : `?${search}` };
}

function sortOrderOf(filters: DealerFilters, key: DealerSort) {
  if (filters.sort !== key) return null;
  return filters.order === 'asc' ? ('ascend' as const) : ('descend' as const);
}

export function DealerListPage() {
  const { t, channelType } = useI18n();
  const format = useFormat();
  const navigate = useNavigate();
  const location = useLocation();
  const filters = useMemo(
    () => filtersFromSearch(new URLSearchParams(location.search)),
    [location.search],
  );
  const prev = previousCursors(location.state);
  const facets = useDealerFacets();
  const page = useDealerPage(filtersToApiParams(filters));

  function show(next: DealerFilters, stack: string[], mode: 'push' | 'replace') {
    void navigate(listLocation(next), { replace: mode === 'replace', state: { prev: stack } });
  }

  /** A filter or sort change starts again from the first page. */
  function refine(patch: Partial<DealerFilters>) {
    show({ ...filters, ...patch, cursor: undefined }, [], 'replace');
  }

  // The search box runs ahead of the URL while the user types; the list follows after a
  // pause. When q changes from elsewhere (reset, Back), the box follows the URL.
  const [text, setText] = useState(filters.q);
  const [syncedQ, setSyncedQ] = useState(filters.q);
  if (filters.q !== syncedQ) {
    setSyncedQ(filters.q);
    if (text.trim() !== filters.q) setText(filters.q);
  }
  useEffect(() => {
    const q = text.trim();
    if (q === filters.q) return;
    const timer = window.setTimeout(() => {
      void navigate(listLocation({ ...filters, q, cursor: undefined }), {
        replace: true,
        state: { prev: [] },
      });
    }, searchDelayMs);
    return () => window.clearTimeout(timer);
  }, [text, filters, navigate]);

  const data = page.data;
  const pageNumber = filters.cursor === undefined ? 1 : prev.length + 1;
  // A shared link can point into the middle of the list without the pages before it.
  const pageKnown = filters.cursor === undefined || prev.length > 0;
  const pageCount = data === undefined ? 0 : Math.max(1, Math.ceil(data.total / filters.limit));

  function goNext() {
    if (data?.nextCursor == null) return;
    show({ ...filters, cursor: data.nextCursor }, [...prev, filters.cursor ?? ''], 'push');
  }

  function goPrevious() {
    const before = prev.at(-1);
    show(
      { ...filters, cursor: before === undefined || before === '' ? undefined : before },
      prev.slice(0, -1),
      'push',
    );
  }

  const columns: TableColumnsType<DealerSummary> = [
    {
      title: t('dealers.col.code'),
      dataIndex: 'code',
      key: 'code',
      width: 110,
      fixed: 'left',
      sorter: true,
      sortOrder: sortOrderOf(filters, 'code'),
      render: (code: string) => <span className="tl-code">{code}</span>,
    },
    {
      title: t('dealers.col.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      sortOrder: sortOrderOf(filters, 'name'),
      ellipsis: true,
      render: (name: string, dealer) => (
        <Link
          to={`/dealers/${dealer.id}`}
          data-testid="dealer-link"
          onClick={(e) => e.stopPropagation()}
        >
          {name}
        </Link>
      ),
    },
    {
      title: t('dealers.col.chainLevel'),
      dataIndex: 'chainLevel',
      key: 'chainLevel',
      width: 72,
      render: (level: 1 | 2) => t(`chainLevel.${level}`),
    },
    {
      title: t('dealers.col.parent'),
      dataIndex: 'parent',
      key: 'parent',
      ellipsis: true,
      render: (parent: DealerSummary['parent']) =>
        parent === null ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Link to={`/dealers/${parent.id}`} onClick={(e) => e.stopPropagation()}>
            {parent.name}
          </Link>
        ),
    },
    {
      title: t('dealers.col.channelType'),
      dataIndex: 'channelType',
      key: 'channelType',
      width: 128,
      ellipsis: true,
      render: (code: string) => channelType(code),
    },
    {
      title: t('dealers.col.region'),
      key: 'region',
      width: 160,
      ellipsis: { showTitle: false },
      render: (_: unknown, dealer) => {
        const path = dealer.region.path.join(' / ');
        // The province is the least telling part when space is short; the tooltip has it all.
        return <Tooltip title={path}>{dealer.region.path.slice(-2).join(' / ')}</Tooltip>;
      },
    },
    {
      title: t('dealers.col.status'),
      dataIndex: 'status',
      key: 'status',
      width: 96,
      sorter: true,
      sortOrder: sortOrderOf(filters, 'status'),
      render: (status: DealerSummary['status']) => <StatusTag status={status} />,
    },
    {
      title: t('dealers.col.onboardedOn'),
      dataIndex: 'onboardedOn',
      key: 'onboardedOn',
      width: 116,
      sorter: true,
      sortOrder: sortOrderOf(filters, 'onboardedOn'),
    },
    {
      title:
        data?.dataTo == null ? (
          t('dealers.col.sales12m')
        ) : (
          <Tooltip title={t('dealers.sales12mUntil', { month: data.dataTo })}>
            {t('dealers.col.sales12m')}
          </Tooltip>
        ),
      dataIndex: 'sales12m',
      key: 'sales12m',
      width: 144,
      align: 'right',
      render: (amount: number) => <span className="tl-num">{format.money(amount)}</span>,
    },
  ];

  const onTableChange: TableProps<DealerSummary>['onChange'] = (_p, _f, sorter) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = one?.columnKey;
    if (one?.order == null || typeof key !== 'string') {
      refine({ sort: defaultFilters.sort, order: defaultFilters.order });
      return;
    }
    const sort = (['code', 'name', 'onboardedOn', 'status'] as const).find((k) => k === key);
    if (sort === undefined) return;
    refine({ sort, order: one.order === 'ascend' ? 'asc' : 'desc' });
  };

  const statusCounts = facets.data?.statusCounts;

  return (
    <div data-testid="dealer-list">
      <PageHeading title={t('dealers.title')} />
      <Card variant="borderless" styles={{ body: { paddingBottom: 12 } }}>
        <Flex wrap gap={10} className="tl-filters">
          <Input
            allowClear
            data-testid="dealer-search"
            prefix={<SearchOutlined style={{ color: '#8c8c8c' }} />}
            placeholder={t('dealers.search')}
            style={{ width: 220 }}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onPressEnter={() => refine({ q: text.trim() })}
          />
          <RegionCascader
            placeholder={t('dealers.filter.region')}
            value={filters.regionPath}
            onChange={(regionPath) => refine({ regionPath })}
          />
          <Select
            mode="multiple"
            allowClear
            data-testid="filter-status"
            style={{ minWidth: 170 }}
            maxTagCount="responsive"
            placeholder={t('dealers.filter.status')}
            value={filters.status}
            onChange={(status) => refine({ status })}
            options={dealerStatuses.map((status) => ({
              value: status,
              label:
                statusCounts === undefined
                  ? t(`status.${status}`)
                  : `${t(`status.${status}`)} (${format.number(statusCounts[status] ?? 0)})`,
            }))}
          />
          <Select
            allowClear
            data-testid="filter-channel-type"
            style={{ width: 140 }}
            placeholder={t('dealers.filter.channelType')}
            value={filters.channelType}
            onChange={(code?: string) => refine({ channelType: code })}
            options={(facets.data?.channelTypes ?? []).map((c) => ({
              value: c,
              label: channelType(c),
            }))}
          />
          <Select
            allowClear
            data-testid="filter-chain-level"
            style={{ width: 96 }}
            placeholder={t('dealers.filter.chainLevel')}
            value={filters.chainLevel}
            onChange={(chainLevel?: 1 | 2) => refine({ chainLevel })}
            options={[
              { value: 1, label: t('chainLevel.1') },
              { value: 2, label: t('chainLevel.2') },
            ]}
          />
          <Select
            allowClear
            showSearch
            data-testid="filter-tag"
            style={{ width: 120 }}
            placeholder={t('dealers.filter.tag')}
            value={filters.tag}
            onChange={(tag?: string) => refine({ tag })}
            options={(facets.data?.tags ?? []).map((tag) => ({ value: tag, label: tag }))}
          />
          {hasActiveFilters(filters) ? (
            <Button
              icon={<ReloadOutlined />}
              data-testid="filter-reset"
              onClick={() => {
                setText('');
                show(
                  {
                    ...defaultFilters,
                    sort: filters.sort,
                    order: filters.order,
                    limit: filters.limit,
                  },
                  [],
                  'replace',
                );
              }}
            >
              {t('dealers.filter.reset')}
            </Button>
          ) : null}
        </Flex>
        {page.error === null ? null : (
          <div style={{ marginTop: 16 }}>
            <QueryError error={page.error} onRetry={() => void page.refetch()} />
          </div>
        )}
        <Table<DealerSummary>
          style={{ marginTop: 16 }}
          data-testid="dealer-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={page.isFetching}
          pagination={false}
          scroll={{ x: 1080 }}
          sticky={{ offsetHeader: 64 }}
          onChange={onTableChange}
          showSorterTooltip={false}
          locale={{ emptyText: page.isPending ? ' ' : t('dealers.empty') }}
          onRow={(dealer) => ({
            onClick: () => void navigate(`/dealers/${dealer.id}`),
            className: 'tl-clickable-row',
          })}
        />
        <Flex justify="space-between" align="center" wrap gap={12} className="tl-pager">
          <Typography.Text data-testid="dealer-total">
            {data === undefined
              ? '\u00a0'
              : t('dealers.total', { total: format.number(data.total) })}
          </Typography.Text>
          <Space size="middle" wrap>
            {data === undefined || !pageKnown ? null : (
              <Typography.Text type="secondary" data-testid="dealer-page">
                {t('dealers.page', {
                  page: format.number(pageNumber),
                  pages: format.number(pageCount),
                })}
              </Typography.Text>
            )}
            <Space.Compact>
              <Button
                icon={<LeftOutlined />}
                data-testid="page-prev"
                disabled={filters.cursor === undefined}
                onClick={goPrevious}
              >
                {t('dealers.prev')}
              </Button>
              <Button
                data-testid="page-next"
                disabled={data?.nextCursor == null || page.isPlaceholderData}
                onClick={goNext}
              >
                {t('dealers.next')} <RightOutlined />
              </Button>
            </Space.Compact>
            <Select
              data-testid="page-size"
              style={{ width: 120 }}
              value={filters.limit}
              onChange={(limit: number) => refine({ limit })}
              options={pageSizes.map((size) => ({
                value: size,
                label: t('dealers.pageSize', { size }),
              }))}
            />
          </Space>
        </Flex>
      </Card>
    </div>
  );
}
