import { SwapOutlined } from '@ant-design/icons';
import type { PolicyComparison } from '@tierline/contract';
import { Card, Col, Empty, Flex, Row, Select, Skeleton, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import {
  usePolicyComparison,
  usePolicyVersions,
  type PolicyVersionSummary,
} from '../tiering/tier-api';

type Change = PolicyComparison['changes'][number];

/** A JSON value in one line for the comparison table; absent values are a dash. */
export function changeValue(value: unknown, present: boolean): string {
  if (!present) return '—';
  return JSON.stringify(value) ?? String(value);
}

/**
 * The versions of a policy, newest first (each opens in the editor), and what changed between
 * any two of them, as JSON paths with the value before and after.
 */
export function PolicyVersions({ name, current }: { name: string; current: number }) {
  const { t } = useI18n();
  const versions = usePolicyVersions(name);
  const items = versions.data?.items ?? [];
  const newest = items[0]?.version ?? null;
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null);
  const to = pair?.to ?? newest;
  const from =
    pair?.from ?? (to === null ? null : (items.find((v) => v.version < to)?.version ?? null));
  const comparison = usePolicyComparison(name, from, to);

  const columns: TableColumnsType<PolicyVersionSummary> = [
    {
      title: t('policy.versions.version'),
      dataIndex: 'version',
      key: 'version',
      width: 64,
      render: (v: number) =>
        v === current ? (
          <Typography.Text strong>v{v}</Typography.Text>
        ) : (
          <Link to={`/policies/${encodeURIComponent(name)}?version=${v}`}>v{v}</Link>
        ),
    },
    {
      title: t('policy.versions.note'),
      dataIndex: 'note',
      key: 'note',
      render: (note: string) =>
        note === '' ? <Typography.Text type="secondary">—</Typography.Text> : note,
    },
    {
      title: t('policy.versions.by'),
      dataIndex: 'createdBy',
      key: 'by',
      width: 110,
      render: (by: string | null) => by ?? '—',
    },
    {
      title: t('policy.versions.at'),
      dataIndex: 'createdAt',
      key: 'at',
      width: 140,
      render: (at: string) => (
        <span className="tl-num">{dayjs(at).format('YYYY-MM-DD HH:mm')}</span>
      ),
    },
  ];

  const changeColumns: TableColumnsType<Change> = [
    {
      title: t('policy.compare.path'),
      dataIndex: 'path',
      key: 'path',
      render: (path: string) => <Typography.Text code>{path === '' ? '/' : path}</Typography.Text>,
    },
    {
      title: t('policy.compare.before'),
      key: 'before',
      render: (_: unknown, c) => (
        <span className="tl-code tl-change-before">{changeValue(c.before, 'before' in c)}</span>
      ),
    },
    {
      title: t('policy.compare.after'),
      key: 'after',
      render: (_: unknown, c) => (
        <span className="tl-code tl-change-after">{changeValue(c.after, 'after' in c)}</span>
      ),
    },
  ];

  const versionOptions = items.map((v) => ({
    value: v.version,
    label: `v${v.version}${v.note === '' ? '' : ` · ${v.note}`}`,
  }));

  return (
    <Row gutter={[16, 16]} data-testid="policy-versions">
      <Col xs={24} xl={11}>
        <Card variant="borderless" title={t('policy.versions.title')}>
          {versions.error === null ? null : (
            <QueryError error={versions.error} onRetry={() => void versions.refetch()} />
          )}
          <Table<PolicyVersionSummary>
            rowKey="version"
            size="small"
            columns={columns}
            dataSource={items}
            loading={versions.isFetching}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 520 }}
          />
        </Card>
      </Col>
      <Col xs={24} xl={13}>
        <Card variant="borderless" title={t('policy.compare.title')}>
          {items.length < 2 ? (
            <Empty description={t('policy.compare.single')} />
          ) : (
            <>
              <Flex gap={8} align="center" wrap style={{ marginBottom: 12 }}>
                <Select<number>
                  data-testid="compare-from"
                  style={{ minWidth: 180 }}
                  value={from ?? undefined}
                  onChange={(value) => setPair({ from: value, to: to ?? value })}
                  options={versionOptions}
                  popupMatchSelectWidth={false}
                />
                <SwapOutlined />
                <Select<number>
                  data-testid="compare-to"
                  style={{ minWidth: 180 }}
                  value={to ?? undefined}
                  onChange={(value) => setPair({ from: from ?? value, to: value })}
                  options={versionOptions}
                  popupMatchSelectWidth={false}
                />
              </Flex>
              {from === to ? (
                <Empty description={t('policy.compare.same')} />
              ) : comparison.error !== null ? (
                <QueryError error={comparison.error} onRetry={() => void comparison.refetch()} />
              ) : comparison.data === undefined ? (
                <Skeleton active />
              ) : (
                <Table<Change>
                  data-testid="compare-table"
                  rowKey="path"
                  size="small"
                  columns={changeColumns}
                  dataSource={comparison.data.changes}
                  pagination={{ pageSize: 50, hideOnSinglePage: true }}
                  locale={{ emptyText: t('policy.compare.none') }}
                />
              )}
            </>
          )}
        </Card>
      </Col>
    </Row>
  );
}
