import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import type {
  AllocationPreview,
  AllocationPurpose,
  AllocationRule,
  AllocationTierTotal,
  TierDefinition,
} from '@tierline/contract';
import {
  Alert,
  App,
  Button,
  Col,
  DatePicker,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  Row,
  Segmented,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTenant } from '../api/queries';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { cycleOfPeriod, shiftPeriod } from '../tiering/periods';
import { useTierOverview } from '../tiering/tier-api';
import { TierTag } from '../tiering/tier-tags';
import { useDebounced } from '../tiering/use-debounced';
import { useAllocationPreview, useCreateAllocation } from './allocation-api';
import {
  defaultTierRows,
  formToRequest,
  shareSum,
  type AllocationForm,
  type FieldProblem,
  type TierRow,
} from './allocation-form';

const rules: readonly AllocationRule[] = ['sales', 'score', 'target', 'equal'];

function initialForm(tiers: readonly TierDefinition[], latest: string | null): AllocationForm {
  const next = latest !== null && cycleOfPeriod(latest) === 'monthly' ? shiftPeriod(latest, 1) : '';
  return {
    period: next,
    purpose: 'general',
    pool: '',
    claimDeadline: null,
    name: '',
    tiers: defaultTierRows(tiers),
    probationFactor: '0.5',
    missedPeriods: '3',
    missedFactor: '0.5',
    whenTierFull: 'redistribute',
  };
}

/**
 * "New allocation": period, purpose, pool in yuan, the claim deadline of a market fund, each
 * tier's share, rule, floor and cap, and the adjustments; the server's plan of it (dryRun) on
 * the right as the form changes, with the tier totals adding up to the pool. Saving makes a
 * draft, which opens.
 */
export function AllocationDrawer({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (id: number) => void;
}) {
  const { t } = useI18n();
  const overview = useTierOverview();
  const data = overview.data;

  return (
    <Drawer
      open
      size={1180}
      title={t('allocations.new')}
      onClose={onClose}
      destroyOnHidden
      data-testid="allocation-drawer"
    >
      {data === undefined ? (
        <Spin />
      ) : data.tiers.length === 0 || data.period === null ? (
        <Empty description={t('allocations.noTiers')} />
      ) : (
        <FormBody
          initial={initialForm(data.tiers, data.periods[0] ?? null)}
          tiers={data.tiers}
          onCreated={onCreated}
        />
      )}
    </Drawer>
  );
}

function FormBody({
  initial,
  tiers,
  onCreated,
}: {
  initial: AllocationForm;
  tiers: readonly TierDefinition[];
  onCreated: (id: number) => void;
}) {
  const { t } = useI18n();
  const [form, setForm] = useState(initial);
  const { message } = App.useApp();
  const minorUnits = useTenant().data?.currencyMinorUnits ?? 2;
  const create = useCreateAllocation();
  const built = useMemo(() => formToRequest(form, minorUnits), [form, minorUnits]);
  const settled = useDebounced(built.request, 400);
  const preview = useAllocationPreview(settled);
  const problemOf = (field: string): FieldProblem | undefined =>
    built.problems.find((p) => p.field === field);
  const sum = shareSum(form.tiers);
  const problemText = (p: FieldProblem) =>
    t(`allocations.problem.${p.problem}`, { sum: sum === null ? '—' : String(sum) });
  const help = (field: string) => {
    const p = problemOf(field);
    return p === undefined ? undefined : problemText(p);
  };
  const status = (field: string) => (problemOf(field) === undefined ? undefined : 'error');
  const set = (patch: Partial<AllocationForm>) => setForm({ ...form, ...patch });
  const setRow = (i: number, patch: Partial<TierRow>) =>
    set({ tiers: form.tiers.map((r, k) => (k === i ? { ...r, ...patch } : r)) });

  function save() {
    if (built.request === null) return;
    create.mutate(built.request, {
      onSuccess: (detail) => {
        void message.success(t('allocations.created', { period: detail.period }));
        onCreated(detail.id);
      },
    });
  }

  const tierColumns: TableColumnsType<TierRow & { index: number }> = [
    {
      title: t('allocations.col.tier'),
      key: 'tier',
      width: 90,
      render: (_: unknown, r) => <TierTag tiers={tiers} code={r.tier} />,
    },
    {
      title: t('allocations.col.share'),
      key: 'share',
      width: 100,
      render: (_: unknown, r) => (
        <Input
          size="small"
          suffix="%"
          data-testid={`allocation-share-${r.tier}`}
          status={status(`tiers.${r.index}.share`)}
          value={r.share}
          onChange={(e) => setRow(r.index, { share: e.target.value })}
        />
      ),
    },
    {
      title: t('allocations.col.rule'),
      key: 'rule',
      width: 120,
      render: (_: unknown, r) => (
        <Select<AllocationRule>
          size="small"
          style={{ width: '100%' }}
          data-testid={`allocation-rule-${r.tier}`}
          value={r.rule}
          onChange={(rule) => setRow(r.index, { rule })}
          options={rules.map((x) => ({ value: x, label: t(`allocations.rule.${x}`) }))}
        />
      ),
    },
    {
      title: t('allocations.col.floor'),
      key: 'floor',
      width: 120,
      render: (_: unknown, r) => (
        <Input
          size="small"
          placeholder={t('allocations.none')}
          status={status(`tiers.${r.index}.floor`)}
          value={r.floor}
          onChange={(e) => setRow(r.index, { floor: e.target.value })}
        />
      ),
    },
    {
      title: t('allocations.col.cap'),
      key: 'cap',
      width: 120,
      render: (_: unknown, r) => (
        <Input
          size="small"
          placeholder={t('allocations.none')}
          status={status(`tiers.${r.index}.cap`)}
          value={r.cap}
          onChange={(e) => setRow(r.index, { cap: e.target.value })}
        />
      ),
    },
  ];

  return (
    <Row gutter={24}>
      <Col xs={24} xl={13}>
        <Form layout="vertical" requiredMark={false} data-testid="allocation-form">
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item
                label={t('allocations.col.period')}
                validateStatus={status('period')}
                help={help('period')}
              >
                <Input
                  data-testid="allocation-period"
                  value={form.period}
                  placeholder="2026-10"
                  onChange={(e) => set({ period: e.target.value })}
                />
              </Form.Item>
            </Col>
            <Col span={16}>
              <Form.Item label={t('allocations.col.purpose')}>
                <Segmented<AllocationPurpose>
                  data-testid="allocation-purpose"
                  value={form.purpose}
                  onChange={(purpose) => set({ purpose })}
                  options={[
                    { value: 'general', label: t('allocations.purpose.general') },
                    { value: 'market_fund', label: t('allocations.purpose.market_fund') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                label={t('allocations.pool')}
                validateStatus={status('pool')}
                help={help('pool')}
              >
                <Input
                  data-testid="allocation-pool"
                  prefix="¥"
                  value={form.pool}
                  placeholder="1000000"
                  onChange={(e) => set({ pool: e.target.value })}
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              {form.purpose === 'market_fund' ? (
                <Form.Item
                  label={t('allocations.claimDeadline')}
                  validateStatus={status('claimDeadline')}
                  help={help('claimDeadline')}
                >
                  <DatePicker
                    style={{ width: '100%' }}
                    data-testid="allocation-deadline"
                    value={form.claimDeadline === null ? null : dayjs(form.claimDeadline)}
                    onChange={(d) => set({ claimDeadline: d ? d.format('YYYY-MM-DD') : null })}
                  />
                </Form.Item>
              ) : (
                <Form.Item label={t('allocations.col.name')}>
                  <Input
                    data-testid="allocation-name"
                    value={form.name}
                    maxLength={100}
                    onChange={(e) => set({ name: e.target.value })}
                  />
                </Form.Item>
              )}
            </Col>
          </Row>
          <Typography.Title level={5}>{t('allocations.tiers')}</Typography.Title>
          <Table
            size="small"
            rowKey="tier"
            pagination={false}
            data-testid="allocation-tier-form"
            columns={tierColumns}
            dataSource={form.tiers.map((r, index) => ({ ...r, index }))}
          />
          <Flex justify="space-between" style={{ margin: '8px 0 16px' }}>
            <Typography.Text type="secondary">{t('allocations.amountsInYuan')}</Typography.Text>
            <Typography.Text
              data-testid="allocation-share-sum"
              type={sum === 100 ? 'success' : 'danger'}
            >
              {sum === null
                ? t('allocations.problem.share')
                : t('allocations.shareSum', { sum: String(sum) })}
            </Typography.Text>
          </Flex>
          <Typography.Title level={5}>{t('allocations.adjustments')}</Typography.Title>
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item
                label={t('allocations.probationFactor')}
                validateStatus={status('probationFactor')}
                help={help('probationFactor')}
              >
                <Input
                  data-testid="allocation-probation"
                  value={form.probationFactor}
                  placeholder={t('allocations.none')}
                  onChange={(e) => set({ probationFactor: e.target.value })}
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                label={t('allocations.missedPeriods')}
                validateStatus={status('missedPeriods')}
                help={help('missedPeriods')}
              >
                <Input
                  value={form.missedPeriods}
                  placeholder={t('allocations.none')}
                  onChange={(e) => set({ missedPeriods: e.target.value })}
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                label={t('allocations.missedFactor')}
                validateStatus={status('missedFactor')}
                help={help('missedFactor')}
              >
                <Input
                  value={form.missedFactor}
                  onChange={(e) => set({ missedFactor: e.target.value })}
                />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item label={t('allocations.whenTierFull')}>
                <Select<'redistribute' | 'unallocated'>
                  value={form.whenTierFull}
                  onChange={(whenTierFull) => set({ whenTierFull })}
                  options={[
                    { value: 'redistribute', label: t('allocations.whenTierFull.redistribute') },
                    { value: 'unallocated', label: t('allocations.whenTierFull.unallocated') },
                  ]}
                />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Col>
      <Col xs={24} xl={11}>
        <PreviewPanel
          preview={preview.data}
          error={preview.error}
          loading={preview.isFetching}
          problems={[...new Set(built.problems.map(problemText))]}
          tiers={tiers}
        />
        {create.error === null ? null : (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            data-testid="allocation-create-error"
            title={t('app.saveFailed')}
            description={create.error.message}
          />
        )}
        <Flex justify="flex-end" style={{ marginTop: 16 }}>
          <Button
            type="primary"
            data-testid="allocation-save"
            disabled={built.request === null || preview.error !== null}
            loading={create.isPending}
            onClick={save}
          >
            {t('allocations.saveDraft')}
          </Button>
        </Flex>
      </Col>
    </Row>
  );
}

function PreviewPanel({
  preview,
  error,
  loading,
  problems,
  tiers,
}: {
  preview: AllocationPreview | undefined;
  error: Error | null;
  loading: boolean;
  /** What the form must fix before it can be previewed. */
  problems: readonly string[];
  tiers: readonly TierDefinition[];
}) {
  const { t } = useI18n();
  const format = useFormat();
  const columns: TableColumnsType<AllocationTierTotal> = [
    {
      title: t('allocations.col.tier'),
      key: 'tier',
      render: (_: unknown, r) => <TierTag tiers={tiers} code={r.tier} />,
    },
    {
      title: t('allocations.col.dealers'),
      dataIndex: 'dealerCount',
      key: 'dealers',
      align: 'right',
      render: (n: number) => <span className="tl-num">{format.number(n)}</span>,
    },
    {
      title: t('allocations.col.carried'),
      dataIndex: 'carried',
      key: 'carried',
      align: 'right',
      render: (n: number) => (n === 0 ? '—' : <span className="tl-num">{format.money(n)}</span>),
    },
    {
      title: t('allocations.col.amount'),
      dataIndex: 'amount',
      key: 'amount',
      align: 'right',
      render: (n: number) => <span className="tl-num">{format.money(n)}</span>,
    },
  ];
  const balanced =
    preview !== undefined && preview.allocated + preview.unallocated === preview.pool;
  return (
    <div data-testid="allocation-preview">
      <Space size={8} style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('allocations.preview')}
        </Typography.Title>
        {loading ? <Spin size="small" /> : null}
      </Space>
      {problems.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          data-testid="allocation-form-problems"
          title={t('allocations.preview.fix')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
        />
      ) : error !== null ? (
        <Alert
          type="error"
          showIcon
          data-testid="allocation-preview-error"
          title={t('allocations.preview.refused')}
          description={error.message}
        />
      ) : preview === undefined ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t('allocations.preview.loading')}
        />
      ) : (
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('allocations.preview.from', {
              period: preview.run.period,
              policy: `${preview.run.policy.name} v${preview.run.policy.version}`,
              dealers: preview.dealerCount,
            })}
          </Typography.Paragraph>
          <Table<AllocationTierTotal>
            size="small"
            rowKey="tier"
            pagination={false}
            columns={columns}
            dataSource={preview.tiers}
            data-testid="allocation-preview-table"
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>{t('allocations.total')}</Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  {format.number(preview.dealerCount)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} />
                <Table.Summary.Cell index={3} align="right">
                  <span className="tl-num" data-testid="allocation-preview-total">
                    {format.money(preview.allocated)}
                  </span>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
          <Flex gap={8} wrap style={{ marginTop: 8 }} data-testid="allocation-preview-check">
            {balanced ? (
              <Tag color="success" icon={<CheckCircleFilled />}>
                {t('allocations.preview.balanced', { pool: format.money(preview.pool) })}
              </Tag>
            ) : (
              <Tag color="error" icon={<ExclamationCircleFilled />}>
                {t('allocations.preview.unbalanced')}
              </Tag>
            )}
            {preview.unallocated > 0 ? (
              <Tag color="warning">
                {t('allocations.preview.unallocated', {
                  amount: format.money(preview.unallocated),
                })}
              </Tag>
            ) : null}
          </Flex>
          {preview.notes.length === 0 ? null : (
            <Alert
              style={{ marginTop: 8 }}
              type="info"
              showIcon
              title={t('allocations.notes')}
              description={
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {preview.notes.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              }
            />
          )}
        </>
      )}
    </div>
  );
}
