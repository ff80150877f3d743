import { CheckCircleOutlined, DownloadOutlined, FlagOutlined } from '@ant-design/icons';
import type {
  RebateLine,
  RebatePreviewSort,
  RebateProgram,
  TierDefinition,
} from '@tierline/contract';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Input,
  Popconfirm,
  Progress,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTenant } from '../api/queries';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { TierTag } from '../tiering/tier-tags';
import { previewExportUrl, useRebatePreview, useSettleRebates } from './rebate-api';
import { currentPeriod, isPeriodOfKind, progressToNext } from './rebate-ladder';
import { useRate } from './rebate-ui';

const PAGE = 20;
const EXAMPLE = { monthly: '2026-10', quarterly: '2026-Q3', half_year: '2026-H1', annual: '2026' };

/**
 * The rebate preview of a program and period (before settlement): totals, and per dealer its
 * sales to date, the run-rate projection, the rebate now and projected, its progress to the
 * next bracket and what settling now would pay; export; interim and final settlement (admins).
 */
export function RebatePreviewCard({
  program,
  tiers,
  canSettle,
}: {
  program: RebateProgram;
  tiers: readonly TierDefinition[];
  canSettle: boolean;
}) {
  const { t } = useI18n();
  const format = useFormat();
  const rate = useRate();
  const { message } = App.useApp();
  const dataTo = useTenant().data?.dataRange?.to ?? null;
  const [typed, setTyped] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<RebatePreviewSort>('code');
  const [page, setPage] = useState(1);
  const settle = useSettleRebates();

  const suggested = dataTo === null ? '' : currentPeriod(program.periodKind, dataTo);
  const period = typed ?? suggested;
  const valid = isPeriodOfKind(program.periodKind, period);
  const preview = useRebatePreview(
    valid
      ? {
          program: program.code,
          period,
          q: q.trim() || undefined,
          sort,
          limit: PAGE,
          offset: (page - 1) * PAGE,
        }
      : null,
  );
  const data = preview.data;
  const totals = data?.totals;
  const complete = data !== undefined && data.monthsElapsed >= data.monthsTotal;

  function doSettle(final: boolean) {
    settle.mutate(
      { program: program.code, period, final },
      {
        onSuccess: (result) =>
          void message.success(
            t('rebates.settle.done', {
              period: result.batch.period,
              seq: result.batch.seq,
              dealers: format.number(result.batch.dealers),
              due: format.money(result.batch.due),
            }),
          ),
      },
    );
  }

  const columns: TableColumnsType<RebateLine> = [
    {
      title: t('rebates.col.dealer'),
      key: 'dealer',
      fixed: 'left',
      width: 190,
      render: (_: unknown, l) => (
        <Flex vertical gap={0}>
          <Space size={4} wrap>
            <Typography.Text strong className="tl-code">
              {l.dealer.code}
            </Typography.Text>
            <TierTag tiers={tiers} code={l.tier} />
          </Space>
          <Typography.Text type="secondary" ellipsis style={{ maxWidth: 180 }}>
            {l.dealer.name}
            {l.ladder.source === 'default' ? ` · ${t('rebates.ladderSource.default')}` : ''}
          </Typography.Text>
        </Flex>
      ),
    },
    money(t('rebates.col.salesToDate'), (l) => l.salesToDate, format.money),
    money(t('rebates.col.projected'), (l) => l.projectedSales, format.money),
    {
      title: t('rebates.col.current'),
      key: 'current',
      align: 'right',
      width: 95,
      render: (_: unknown, l) =>
        l.eligible ? (
          <Flex vertical gap={0} align="end">
            <span className="tl-num">{format.money(l.current.amount)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {rate(l.current.rateBasisPoints)}
            </Typography.Text>
          </Flex>
        ) : (
          <Tooltip title={l.note}>
            <Tag>{t('rebates.notEligible')}</Tag>
          </Tooltip>
        ),
    },
    {
      title: t('rebates.col.projectedRebate'),
      key: 'projectedRebate',
      align: 'right',
      width: 95,
      render: (_: unknown, l) => (
        <Flex vertical gap={0} align="end">
          <span className="tl-num">{format.money(l.projected.amount)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {rate(l.projected.rateBasisPoints)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('rebates.col.next'),
      key: 'next',
      width: 150,
      render: (_: unknown, l) =>
        !l.eligible ? null : (
          <Flex vertical gap={0}>
            <Progress
              percent={Math.round(progressToNext(l) * 100)}
              size="small"
              status={l.next === null ? 'success' : 'active'}
              data-testid="rebate-progress"
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {l.next === null
                ? t('rebates.next.top')
                : t('rebates.next.to', {
                    rate: rate(l.next.rateBasisPoints),
                    extra: format.money(l.next.extraRebate),
                  })}
            </Typography.Text>
          </Flex>
        ),
    },
    money(t('rebates.col.shortfall'), (l) => l.next?.shortfall ?? null, format.money),
    money(t('rebates.col.paid'), (l) => l.alreadyPaid, format.money),
    {
      title: t('rebates.col.due'),
      key: 'due',
      align: 'right',
      width: 120,
      render: (_: unknown, l) => (
        <Space size={4}>
          {l.due < 0 ? <Tag color="red">{t('rebates.clawback')}</Tag> : null}
          <Typography.Text className="tl-num" type={l.due < 0 ? 'danger' : undefined} strong>
            {format.money(l.due)}
          </Typography.Text>
        </Space>
      ),
    },
  ];

  const settleText = totals
    ? t('rebates.settle.text', {
        dealers: format.number(totals.dealers),
        due: format.money(totals.due),
      })
    : '';
  return (
    <Card
      variant="borderless"
      data-testid="rebate-preview"
      style={{ marginBottom: 16 }}
      title={
        <span>
          {t('rebates.preview.title')}
          <Typography.Text type="secondary" style={{ marginLeft: 8, fontWeight: 'normal' }}>
            {program.name}
          </Typography.Text>
        </span>
      }
      extra={
        <Space wrap>
          <Button
            icon={<DownloadOutlined />}
            href={previewExportUrl(program.code, period, 'csv')}
            disabled={!valid}
            download
            data-testid="rebate-export-csv"
          >
            {t('rebates.export.csv')}
          </Button>
          <Button
            icon={<DownloadOutlined />}
            href={previewExportUrl(program.code, period, 'xlsx')}
            disabled={!valid}
            download
            data-testid="rebate-export-xlsx"
          >
            {t('rebates.export.xlsx')}
          </Button>
          {canSettle ? (
            <>
              <Popconfirm
                title={t('rebates.settle.confirmInterim', { period, asOf: data?.asOf ?? '' })}
                description={settleText}
                okText={t('rebates.settle.interim')}
                cancelText={t('app.cancel')}
                okButtonProps={{ 'data-testid': 'rebate-settle-interim-confirm' }}
                onConfirm={() => doSettle(false)}
                disabled={data === undefined || data.closed}
              >
                <Button
                  icon={<CheckCircleOutlined />}
                  disabled={data === undefined || data.closed}
                  loading={settle.isPending && settle.variables.final === false}
                  data-testid="rebate-settle-interim"
                >
                  {t('rebates.settle.interim')}
                </Button>
              </Popconfirm>
              <Tooltip
                title={
                  data !== undefined && !complete
                    ? t('rebates.settle.notComplete', {
                        asOf: data.asOf,
                        period,
                        to: data.periodTo,
                      })
                    : undefined
                }
              >
                <Popconfirm
                  title={t('rebates.settle.confirmFinal', { period })}
                  description={settleText}
                  okText={t('rebates.settle.final')}
                  okButtonProps={{ danger: true, 'data-testid': 'rebate-settle-final-confirm' }}
                  cancelText={t('app.cancel')}
                  onConfirm={() => doSettle(true)}
                  disabled={data === undefined || data.closed || !complete}
                >
                  <Button
                    type="primary"
                    icon={<FlagOutlined />}
                    disabled={data === undefined || data.closed || !complete}
                    loading={settle.isPending && settle.variables.final === true}
                    data-testid="rebate-settle-final"
                  >
                    {t('rebates.settle.final')}
                  </Button>
                </Popconfirm>
              </Tooltip>
            </>
          ) : null}
        </Space>
      }
    >
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
        <Input
          data-testid="rebate-period"
          style={{ width: 130 }}
          value={period}
          status={period !== '' && !valid ? 'error' : undefined}
          placeholder={EXAMPLE[program.periodKind]}
          onChange={(e) => {
            setTyped(e.target.value.trim());
            setPage(1);
          }}
        />
        <Input.Search
          allowClear
          style={{ width: 260 }}
          placeholder={t('rebates.preview.search')}
          data-testid="rebate-search"
          onSearch={(value) => {
            setQ(value);
            setPage(1);
          }}
        />
        <Segmented<RebatePreviewSort>
          value={sort}
          onChange={(value) => {
            setSort(value);
            setPage(1);
          }}
          options={(['code', 'projected_rebate', 'shortfall'] as const).map((s) => ({
            value: s,
            label: t(`rebates.preview.sort.${s}`),
          }))}
        />
        {period !== '' && !valid ? (
          <Typography.Text type="danger">
            {t('rebates.preview.periodHelp', { example: EXAMPLE[program.periodKind] })}
          </Typography.Text>
        ) : null}
      </Flex>
      {preview.error !== null ? (
        <QueryError error={preview.error} onRetry={() => void preview.refetch()} />
      ) : null}
      {settle.error !== null ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="rebate-settle-error"
          title={t('rebates.settle.failed')}
          description={settle.error.message}
        />
      ) : null}
      {data === undefined ? null : (
        <>
          <Alert
            type={data.closed ? 'success' : 'info'}
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="rebate-as-of"
            title={
              <span>
                {t('rebates.preview.asOf', {
                  asOf: data.asOf,
                  elapsed: data.monthsElapsed,
                  total: data.monthsTotal,
                })}
                {data.closed ? (
                  <Tag color="green" style={{ marginLeft: 8 }}>
                    {t('rebates.preview.closed')}
                  </Tag>
                ) : null}
              </span>
            }
          />
          <Flex gap={32} wrap style={{ marginBottom: 16 }} data-testid="rebate-totals">
            <Statistic
              title={t('rebates.total.dealers')}
              value={format.number(data.totals.dealers)}
            />
            <Statistic
              title={t('rebates.total.salesToDate')}
              value={format.moneyShort(data.totals.salesToDate)}
            />
            <Statistic
              title={t('rebates.total.projectedSales')}
              value={format.moneyShort(data.totals.projectedSales)}
            />
            <Statistic
              title={t('rebates.total.currentRebate')}
              value={format.money(data.totals.currentRebate)}
            />
            <Statistic
              title={t('rebates.total.projectedRebate')}
              value={format.money(data.totals.projectedRebate)}
            />
            <Statistic
              title={t('rebates.total.alreadyPaid')}
              value={format.money(data.totals.alreadyPaid)}
            />
            <Statistic title={t('rebates.total.due')} value={format.money(data.totals.due)} />
          </Flex>
        </>
      )}
      <Table<RebateLine>
        data-testid="rebate-lines"
        rowKey={(l) => l.dealer.id}
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={preview.isFetching}
        scroll={{ x: 1050 }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          onChange: setPage,
        }}
        locale={{ emptyText: preview.isPending ? ' ' : t('rebates.preview.empty') }}
      />
    </Card>
  );
}

function money(
  title: string,
  value: (line: RebateLine) => number | null,
  show: (minor: number) => string,
): TableColumnsType<RebateLine>[number] {
  return {
    title,
    key: title,
    align: 'right',
    width: 100,
    render: (_: unknown, l) => {
      const v = value(l);
      return v === null ? (
        <Typography.Text type="secondary">—</Typography.Text>
      ) : (
        <span className="tl-num">{show(v)}</span>
      );
    },
  };
}
