import type { AlertDiagnosis, Bilingual } from '@tierline/contract';
import { Card, Col, Descriptions, List, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { signedPercent } from './evidence-format';

/** A bilingual text in the console's language. */
export function useBilingual(): (text: Bilingual) => string {
  const { locale } = useI18n();
  return (text) => (locale === 'zh-CN' ? text.zh : text.en);
}

/**
 * The diagnostic report of a sales alert: what changed against which months, findings,
 * volume / price / mix, categories, outlets, the region's dealers, related signals and
 * suggested actions — all as the API computed them.
 */
export function DiagnosisReport({ diagnosis: d }: { diagnosis: AlertDiagnosis }) {
  const { t } = useI18n();
  const format = useFormat();
  const text = useBilingual();
  const changeColour = d.change < 0 ? '#cf1322' : d.change > 0 ? '#389e0d' : undefined;

  return (
    <Card
      variant="borderless"
      title={t('alerts.diagnosis.title')}
      style={{ marginBottom: 16 }}
      data-testid="alert-diagnosis"
    >
      <Typography.Paragraph type="secondary">
        {t('alerts.diagnosis.windows', {
          current: d.windows.current.join(', '),
          baseline: d.windows.baseline.join(', '),
        })}
      </Typography.Paragraph>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Statistic title={t('alerts.diagnosis.current')} value={format.money(d.current.sales)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('alerts.diagnosis.baseline')}
            value={format.money(d.baseline.sales)}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('alerts.diagnosis.change')}
            value={`${format.money(d.change)} (${signedPercent(d.changePercent, format)})`}
            styles={{ content: { color: changeColour } }}
          />
        </Col>
      </Row>
      {d.findings.length === 0 ? null : (
        <List
          size="small"
          header={<Typography.Text strong>{t('alerts.diagnosis.findings')}</Typography.Text>}
          dataSource={d.findings}
          renderItem={(finding) => <List.Item>{text(finding)}</List.Item>}
          style={{ marginBottom: 16 }}
          data-testid="alert-findings"
        />
      )}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        title={t('alerts.diagnosis.decomposition')}
        style={{ marginBottom: 16 }}
        items={[
          {
            key: 'volume',
            label: t('alerts.diagnosis.volume'),
            children: format.money(d.decomposition.volume),
          },
          {
            key: 'price',
            label: t('alerts.diagnosis.price'),
            children: format.money(d.decomposition.price),
          },
          {
            key: 'mix',
            label: t('alerts.diagnosis.mix'),
            children: format.money(d.decomposition.mix),
          },
        ]}
      />
      <Row gutter={[24, 16]}>
        <Col xs={24} xl={12}>
          <Typography.Title level={5}>{t('alerts.diagnosis.categories')}</Typography.Title>
          <Table
            size="small"
            rowKey="category"
            pagination={false}
            dataSource={d.categories}
            columns={[
              { title: t('alerts.diagnosis.category'), dataIndex: 'category', key: 'category' },
              {
                title: t('alerts.diagnosis.baseline'),
                key: 'baseline',
                align: 'right',
                render: (_: unknown, c) => format.money(c.baseline),
              },
              {
                title: t('alerts.diagnosis.current'),
                key: 'current',
                align: 'right',
                render: (_: unknown, c) => format.money(c.current),
              },
              {
                title: t('alerts.diagnosis.change'),
                key: 'change',
                align: 'right',
                render: (_: unknown, c) => signedPercent(c.changePercent, format),
              },
              {
                title: t('alerts.diagnosis.share'),
                key: 'share',
                align: 'right',
                render: (_: unknown, c) => (c.share === null ? '—' : format.percent(c.share)),
              },
            ]}
          />
        </Col>
        <Col xs={24} xl={12}>
          <Typography.Title level={5}>
            {t('alerts.diagnosis.outlets')}{' '}
            {d.lostOutlets > 0 ? (
              <Tag color="red">{t('alerts.diagnosis.lostOutlets', { count: d.lostOutlets })}</Tag>
            ) : null}
          </Typography.Title>
          <Table
            size="small"
            rowKey={(o) => `${o.kind}:${o.code ?? ''}`}
            pagination={false}
            dataSource={d.outlets}
            columns={[
              {
                title: t('alerts.diagnosis.outlet'),
                key: 'outlet',
                render: (_: unknown, o) =>
                  o.kind === 'no_outlet' ? (
                    t('alerts.diagnosis.noOutlet')
                  ) : o.kind === 'others' ? (
                    t('alerts.diagnosis.others')
                  ) : (
                    <span>
                      {o.name ?? o.code}{' '}
                      {o.lost ? <Tag color="red">{t('alerts.diagnosis.lost')}</Tag> : null}
                    </span>
                  ),
              },
              {
                title: t('alerts.diagnosis.baseline'),
                key: 'baseline',
                align: 'right',
                render: (_: unknown, o) => format.money(o.baseline),
              },
              {
                title: t('alerts.diagnosis.current'),
                key: 'current',
                align: 'right',
                render: (_: unknown, o) => format.money(o.current),
              },
              {
                title: t('alerts.diagnosis.change'),
                key: 'change',
                align: 'right',
                render: (_: unknown, o) => format.money(o.change),
              },
            ]}
          />
        </Col>
      </Row>
      <Row gutter={[24, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={12}>
          <Typography.Title level={5}>{t('alerts.diagnosis.region')}</Typography.Title>
          <Typography.Paragraph data-testid="alert-region">
            {d.region === null
              ? '—'
              : t('alerts.diagnosis.regionLine', {
                  region: d.region.name,
                  change: signedPercent(d.region.changePercent, format),
                })}
          </Typography.Paragraph>
          <Typography.Title level={5}>{t('alerts.diagnosis.signals')}</Typography.Title>
          <List
            size="small"
            dataSource={[
              t('alerts.diagnosis.complaints', {
                current: d.signals.complaints.current,
                baseline: d.signals.complaints.baseline,
              }) +
                (d.signals.complaints.topics.length === 0
                  ? ''
                  : ` · ${d.signals.complaints.topics.map((c) => `${c.topic} ${c.count}`).join('、')}`),
              t('alerts.diagnosis.visits', {
                current: d.signals.visits.current,
                baseline: d.signals.visits.baseline,
              }),
              t('alerts.diagnosis.ordering', {
                current: d.signals.orderingOutlets.current,
                baseline: d.signals.orderingOutlets.baseline,
              }),
              ...(d.signals.stock === null
                ? []
                : [
                    t('alerts.diagnosis.stock', {
                      value: format.money(d.signals.stock.value),
                      near: format.money(d.signals.stock.nearExpiryValue),
                    }),
                  ]),
              t('alerts.diagnosis.payments', {
                invoiced: format.money(d.signals.payments.invoiced),
                paid: format.money(d.signals.payments.paid),
                overdue: format.money(d.signals.payments.overdue),
              }),
            ]}
            renderItem={(line) => <List.Item>{line}</List.Item>}
          />
        </Col>
        <Col xs={24} xl={12}>
          <Typography.Title level={5}>{t('alerts.diagnosis.actions')}</Typography.Title>
          <List
            size="small"
            data-testid="alert-actions-suggested"
            dataSource={d.actions}
            renderItem={(action, i) => (
              <List.Item>
                {i + 1}. {text(action)}
              </List.Item>
            )}
          />
        </Col>
      </Row>
    </Card>
  );
}
