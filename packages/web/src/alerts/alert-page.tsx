import type { AlertDetail, AlertEvent } from '@tierline/contract';
import {
  Breadcrumb,
  Card,
  Col,
  Empty,
  Flex,
  Result,
  Row,
  Skeleton,
  Space,
  Table,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { EChart } from '../charts/echart';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { LinkButton, PageHeading, QueryError } from '../layout/page';
import { brand } from '../layout/theme';
import { useCan } from '../tiering/tier-api';
import { AlertActions, AlertComment } from './alert-actions';
import { useAlert, useAlertCatalogue } from './alert-api';
import { AlertStatusTag, SeverityTag } from './alert-tags';
import { DiagnosisReport, useBilingual } from './diagnosis-report';
import { measureValue, signedPercent } from './evidence-format';
import { seriesChartOption } from './series-chart';

const timeFormat = 'YYYY-MM-DD HH:mm';

/** One alert: evidence, the diagnostic report, the dealer's months, history and actions. */
export default function AlertPage() {
  const { t } = useI18n();
  const { id: rawId = '' } = useParams();
  const id = /^\d{1,15}$/.test(rawId) ? Number(rawId) : 0;
  const alert = useAlert(id);
  if (id === 0 || (alert.error instanceof ApiError && alert.error.isNotFound)) {
    return (
      <Card variant="borderless" data-testid="alert-not-found">
        <Result
          status="404"
          title={t('alerts.detail.notFound')}
          extra={
            <LinkButton to="/alerts" type="primary">
              {t('alerts.detail.back')}
            </LinkButton>
          }
        />
      </Card>
    );
  }
  if (alert.error !== null) {
    return <QueryError error={alert.error} onRetry={() => void alert.refetch()} />;
  }
  if (alert.data === undefined) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  }
  return <AlertView alert={alert.data} />;
}

function AlertView({ alert }: { alert: AlertDetail }) {
  const { t, locale } = useI18n();
  const can = useCan();
  const text = useBilingual();
  return (
    <div data-testid="alert-page" data-status={alert.status}>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <Link to="/alerts">{t('alerts.title')}</Link> },
          { title: `#${alert.id}` },
        ]}
      />
      <PageHeading
        title={
          <Space>
            <SeverityTag severity={alert.severity} />
            {locale === 'zh-CN' ? alert.title : alert.titleEn}
          </Space>
        }
        subtitle={
          <Space separator="·" wrap>
            <Link to={`/dealers/${alert.dealer.id}`}>
              {alert.dealer.name} {alert.dealer.code}
            </Link>
            {alert.dealer.region === null ? null : <span>{alert.dealer.region.name}</span>}
            <span>
              {alert.rule.name} v{alert.rule.version}
            </span>
            <span>{t('alerts.detail.month', { month: alert.month })}</span>
            <span>
              {t('alerts.detail.opened', { at: dayjs(alert.openedAt).format(timeFormat) })}
            </span>
            <AlertStatusTag status={alert.status} />
            <span>
              {t('alerts.col.owner')}: {alert.owner?.name ?? t('alerts.nobody')}
            </span>
          </Space>
        }
        extra={can('alerts:manage') ? <AlertActions alert={alert} /> : undefined}
      />
      <Card
        variant="borderless"
        title={t('alerts.detail.evidence')}
        style={{ marginBottom: 16 }}
        data-testid="alert-evidence"
      >
        <Typography.Paragraph strong>{text(alert.evidence.summary)}</Typography.Paragraph>
        {alert.resolution === null ? null : (
          <Typography.Paragraph type="secondary">
            {t('alerts.detail.resolution')}: {alert.resolution}
          </Typography.Paragraph>
        )}
        <EvidenceTables alert={alert} />
      </Card>
      <Card variant="borderless" title={t('alerts.chart.title')} style={{ marginBottom: 16 }}>
        <SeriesChart alert={alert} />
      </Card>
      {alert.diagnosis === null ? null : <DiagnosisReport diagnosis={alert.diagnosis} />}
      <Card variant="borderless" title={t('alerts.history.title')} data-testid="alert-history">
        <History events={alert.events} />
        {can('alerts:manage') ? <AlertComment id={alert.id} /> : null}
      </Card>
    </div>
  );
}

function EvidenceTables({ alert }: { alert: AlertDetail }) {
  const { t } = useI18n();
  const format = useFormat();
  const catalogue = useAlertCatalogue();
  const { points, items, measure } = alert.evidence;
  // Overdue collections compare an unpaid amount with the rule's minimum: money, no measure.
  const unit =
    measure === null && alert.kind === 'collection_overdue'
      ? 'money'
      : catalogue.data?.measures.find((m) => m.key === measure)?.unit;
  const adjusted = points.some((p) => p.adjustedChange !== undefined && p.adjustedChange !== null);
  return (
    <Row gutter={[24, 16]}>
      {points.length === 0 ? null : (
        <Col xs={24} xl={items.length === 0 ? 24 : 12}>
          <Table
            size="small"
            rowKey="month"
            pagination={false}
            dataSource={points}
            data-testid="alert-evidence-points"
            columns={[
              { title: t('alerts.evidence.month'), dataIndex: 'month', key: 'month' },
              {
                title: t('alerts.evidence.value'),
                key: 'value',
                align: 'right',
                render: (_: unknown, p) => measureValue(unit, p.value, format),
              },
              {
                title: t('alerts.evidence.reference'),
                key: 'reference',
                align: 'right',
                render: (_: unknown, p) =>
                  `${measureValue(unit, p.reference, format)} (${t(`alerts.ref.${p.referenceKind}`)})`,
              },
              {
                title: t('alerts.evidence.change'),
                key: 'change',
                align: 'right',
                render: (_: unknown, p) => signedPercent(p.change, format),
              },
              ...(adjusted
                ? [
                    {
                      title: t('alerts.evidence.adjusted'),
                      key: 'adjusted',
                      align: 'right' as const,
                      render: (_: unknown, p: (typeof points)[number]) =>
                        signedPercent(p.adjustedChange ?? null, format),
                    },
                  ]
                : []),
            ]}
          />
        </Col>
      )}
      {items.length === 0 ? null : (
        <Col xs={24} xl={points.length === 0 ? 24 : 12}>
          <Table
            size="small"
            rowKey={(item) => `${item.label}:${item.date ?? ''}`}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            dataSource={items}
            data-testid="alert-evidence-items"
            columns={[
              { title: t('alerts.evidence.item'), dataIndex: 'label', key: 'label' },
              {
                title: t('alerts.evidence.date'),
                key: 'date',
                render: (_: unknown, i) => i.date ?? '—',
              },
              {
                title: t('alerts.evidence.days'),
                key: 'days',
                align: 'right',
                render: (_: unknown, i) => (i.days === null ? '—' : format.number(i.days, 1)),
              },
              {
                title: t('alerts.evidence.amount'),
                key: 'amount',
                align: 'right',
                render: (_: unknown, i) => (i.amount === null ? '—' : format.money(i.amount)),
              },
              {
                title: t('alerts.evidence.quantity'),
                key: 'quantity',
                align: 'right',
                render: (_: unknown, i) => (i.quantity === null ? '—' : format.number(i.quantity)),
              },
            ]}
          />
        </Col>
      )}
    </Row>
  );
}

function SeriesChart({ alert }: { alert: AlertDetail }) {
  const { t } = useI18n();
  const format = useFormat();
  const option = useMemo(
    () =>
      seriesChartOption(
        alert.series,
        alert.evidence.points.map((p) => p.month),
        {
          sales: t('alerts.chart.sales'),
          target: t('alerts.chart.target'),
          quantity: t('alerts.chart.quantity'),
          money: format.money,
          moneyShort: format.moneyShort,
          number: (v) => format.number(v),
        },
        { sales: '#8fa9cf', evidence: brand.sales, target: brand.target, quantity: brand.payments },
      ),
    [alert, t, format],
  );
  if (alert.series.length === 0) return <Empty description={t('alerts.chart.empty')} />;
  return (
    <EChart
      option={option}
      height={320}
      testId="alert-series-chart"
      ariaLabel={t('alerts.chart.title')}
    />
  );
}

function History({ events }: { events: readonly AlertEvent[] }) {
  const { t } = useI18n();
  return (
    <Timeline
      style={{ marginTop: 8 }}
      items={events.map((event) => ({
        key: event.id,
        color:
          event.kind === 'resolved'
            ? 'green'
            : event.kind === 'escalated' || event.kind === 'opened' || event.kind === 'reopened'
              ? 'red'
              : 'blue',
        content: (
          <Flex vertical gap={0}>
            <span>
              <Typography.Text strong>{t(`alerts.event.${event.kind}`)}</Typography.Text>{' '}
              <Typography.Text type="secondary">
                {event.actor.name} · {dayjs(event.at).format(timeFormat)}
              </Typography.Text>
            </span>
            {event.text === '' ? null : (
              <span style={{ whiteSpace: 'pre-wrap' }}>{event.text}</span>
            )}
          </Flex>
        ),
      }))}
    />
  );
}
