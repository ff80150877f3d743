import { DownloadOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import type { AuditEvent, AuditPage as AuditPageData } from '@tierline/contract';
import { useInfiniteQuery } from '@tanstack/react-query';
import {
  AutoComplete,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { getJson } from '../api/client';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { PageHeading, QueryError } from '../layout/page';
import {
  auditApiParams,
  auditExportUrl,
  auditFiltersFromSearch,
  auditFiltersToSearch,
  changedFields,
  emptyAuditFilters,
  hasAuditFilters,
  knownAuditActions,
  type AuditFilters,
} from './audit-filters';

const pageSize = 50;
const timeFormat = 'YYYY-MM-DD HH:mm:ss';

interface FilterForm {
  action: string;
  actor: string;
  entityType: string;
  entityId: string;
  range: [Dayjs | null, Dayjs | null] | null;
}

function useAuditEvents(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam, signal }) =>
      getJson<AuditPageData>(
        '/api/v1/audit',
        { ...auditApiParams(filters), limit: pageSize, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

const actorColors: Record<AuditEvent['actor']['kind'], string> = {
  user: 'blue',
  token: 'purple',
  cli: 'cyan',
  system: 'default',
  anonymous: 'orange',
};

/** The audit trail: every write with who, what, when, from where, before and after. */
export default function AuditPage() {
  const { t } = useI18n();
  const format = useFormat();
  const navigate = useNavigate();
  const location = useLocation();
  const filters = useMemo(
    () => auditFiltersFromSearch(new URLSearchParams(location.search)),
    [location.search],
  );
  const events = useAuditEvents(filters);
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];
  const total = events.data?.pages[0]?.total;

  function apply(next: AuditFilters) {
    const search = auditFiltersToSearch(next).toString();
    void navigate(
      { pathname: location.pathname, search: search === '' ? '' : `?${search}` },
      {
        replace: true,
      },
    );
  }

  const columns: TableColumnsType<AuditEvent> = [
    {
      title: t('audit.col.at'),
      dataIndex: 'at',
      key: 'at',
      width: 170,
      render: (at: string) => <span className="tl-num">{dayjs(at).format(timeFormat)}</span>,
    },
    {
      title: t('audit.col.actor'),
      key: 'actor',
      width: 200,
      render: (_: unknown, event) => (
        <Space size={4}>
          <Tag color={actorColors[event.actor.kind]}>{t(`audit.actor.${event.actor.kind}`)}</Tag>
          <span>{event.actor.name}</span>
        </Space>
      ),
    },
    {
      title: t('audit.col.action'),
      dataIndex: 'action',
      key: 'action',
      width: 220,
      render: (action: string) => (
        <span className="tl-code" data-testid="audit-action">
          {action}
        </span>
      ),
    },
    {
      title: t('audit.col.entity'),
      key: 'entity',
      render: (_: unknown, event) => (
        <span>
          {event.entity.type}
          {event.entity.id === null ? null : (
            <Typography.Text type="secondary"> #{event.entity.id}</Typography.Text>
          )}
        </span>
      ),
    },
    {
      title: t('audit.col.ip'),
      dataIndex: 'ip',
      key: 'ip',
      width: 140,
      render: (ip: string | null) => (ip === null ? '—' : <span className="tl-code">{ip}</span>),
    },
  ];

  return (
    <div data-testid="audit-page">
      <PageHeading
        title={t('audit.title')}
        subtitle={t('audit.subtitle')}
        extra={
          <Space>
            <Button
              icon={<DownloadOutlined />}
              href={auditExportUrl(filters, 'csv')}
              download
              data-testid="audit-export-csv"
            >
              {t('audit.export.csv')}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              href={auditExportUrl(filters, 'xlsx')}
              download
              data-testid="audit-export-xlsx"
            >
              {t('audit.export.xlsx')}
            </Button>
          </Space>
        }
      />
      <Card variant="borderless">
        <AuditFilterForm key={location.search} filters={filters} onApply={apply} />
        {events.error === null ? null : (
          <div style={{ marginTop: 16 }}>
            <QueryError error={events.error} onRetry={() => void events.refetch()} />
          </div>
        )}
        <Table<AuditEvent>
          style={{ marginTop: 16 }}
          data-testid="audit-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={events.isFetching && !events.isFetchingNextPage}
          pagination={false}
          scroll={{ x: 960 }}
          locale={{ emptyText: events.isPending ? ' ' : t('audit.empty') }}
          expandable={{
            expandedRowRender: (event) => <AuditDetail event={event} />,
            rowExpandable: (event) =>
              event.before !== null || event.after !== null || event.userAgent !== null,
          }}
        />
        <Flex justify="space-between" align="center" wrap gap={12} className="tl-pager">
          <Typography.Text data-testid="audit-total">
            {total === undefined
              ? '\u00a0'
              : t('audit.shown', {
                  shown: format.number(items.length),
                  total: format.number(total),
                })}
          </Typography.Text>
          {events.hasNextPage ? (
            <Button
              data-testid="audit-more"
              loading={events.isFetchingNextPage}
              onClick={() => void events.fetchNextPage()}
            >
              {t('audit.more')}
            </Button>
          ) : null}
        </Flex>
      </Card>
    </div>
  );
}

function AuditFilterForm({
  filters,
  onApply,
}: {
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
}) {
  const { t } = useI18n();
  const initial: FilterForm = {
    action: filters.action,
    actor: filters.actor,
    entityType: filters.entityType,
    entityId: filters.entityId,
    range:
      filters.from === undefined && filters.to === undefined
        ? null
        : [
            filters.from === undefined ? null : dayjs(filters.from),
            filters.to === undefined ? null : dayjs(filters.to),
          ],
  };
  return (
    <Form<FilterForm>
      layout="vertical"
      initialValues={initial}
      data-testid="audit-filters"
      onFinish={(values) =>
        onApply({
          action: values.action ?? '',
          actor: values.actor ?? '',
          entityType: values.entityType ?? '',
          entityId: values.entityId ?? '',
          from: values.range?.[0]?.format('YYYY-MM-DD'),
          to: values.range?.[1]?.format('YYYY-MM-DD'),
        })
      }
    >
      <Row gutter={12} align="bottom">
        <Col xs={24} sm={12} lg={5}>
          <Form.Item name="action" label={t('audit.col.action')} style={{ marginBottom: 8 }}>
            <AutoComplete
              allowClear
              placeholder={t('audit.filter.action')}
              data-testid="audit-filter-action"
              options={knownAuditActions.map((action) => ({ value: action }))}
              showSearch={{
                filterOption: (input, option) =>
                  option?.value.startsWith(input.trim().toLowerCase()) ?? false,
              }}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={4}>
          <Form.Item name="actor" label={t('audit.col.actor')} style={{ marginBottom: 8 }}>
            <Input
              allowClear
              placeholder={t('audit.filter.actor')}
              data-testid="audit-filter-actor"
            />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6} lg={3}>
          <Form.Item
            name="entityType"
            label={t('audit.filter.entityType')}
            style={{ marginBottom: 8 }}
          >
            <Input
              allowClear
              placeholder={t('audit.filter.entityType.placeholder')}
              data-testid="audit-filter-entity-type"
            />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6} lg={3}>
          <Form.Item name="entityId" label={t('audit.filter.entityId')} style={{ marginBottom: 8 }}>
            <Input
              allowClear
              placeholder={t('audit.filter.entityId.placeholder')}
              data-testid="audit-filter-entity-id"
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={5}>
          <Form.Item name="range" label={t('audit.filter.range')} style={{ marginBottom: 8 }}>
            <DatePicker.RangePicker
              allowEmpty={[true, true]}
              style={{ width: '100%' }}
              data-testid="audit-filter-range"
            />
          </Form.Item>
        </Col>
        <Col xs={24} lg={4}>
          <Space style={{ marginBottom: 8 }}>
            <Button
              type="primary"
              htmlType="submit"
              icon={<SearchOutlined />}
              data-testid="audit-filter-apply"
            >
              {t('audit.filter.apply')}
            </Button>
            {hasAuditFilters(filters) ? (
              <Button
                icon={<ReloadOutlined />}
                data-testid="audit-filter-reset"
                onClick={() => onApply(emptyAuditFilters)}
              >
                {t('audit.filter.reset')}
              </Button>
            ) : null}
          </Space>
        </Col>
      </Row>
    </Form>
  );
}

function AuditDetail({ event }: { event: AuditEvent }) {
  const { t } = useI18n();
  const changed = changedFields(event.before, event.after);
  const json = (value: unknown) =>
    value === null || value === undefined ? (
      <div className="tl-json tl-json-empty">{t('audit.none')}</div>
    ) : (
      <pre className="tl-json">{JSON.stringify(value, null, 2)}</pre>
    );
  return (
    <div data-testid="audit-detail" className="tl-audit-detail">
      {changed.length === 0 ? null : (
        <div style={{ marginBottom: 8 }}>
          <Typography.Text type="secondary">{t('audit.changed')}: </Typography.Text>
          {changed.map((field) => (
            <Tag key={field} color="orange">
              {field}
            </Tag>
          ))}
        </div>
      )}
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Typography.Text strong>{t('audit.before')}</Typography.Text>
          {json(event.before)}
        </Col>
        <Col xs={24} md={12}>
          <Typography.Text strong>{t('audit.after')}</Typography.Text>
          {json(event.after)}
        </Col>
      </Row>
      {event.userAgent === null ? null : (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('audit.userAgent')}: {event.userAgent}
        </Typography.Paragraph>
      )}
    </div>
  );
}
