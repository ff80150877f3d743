import { EditOutlined, InboxOutlined, PlusOutlined, RollbackOutlined } from '@ant-design/icons';
import type {
  Benefit,
  BenefitKind,
  BenefitMatrix,
  BenefitUnit,
  BenefitValue,
  NewBenefit,
} from '@tierline/contract';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { ApiError } from '../api/client';
import { useFormat } from '../format/use-money';
import { useTenant } from '../api/queries';
import { useI18n } from '../i18n/locale';
import { PageHeading, QueryError } from '../layout/page';
import { useCan, usePolicies, usePolicyVersions } from '../tiering/tier-api';
import { TierTag } from '../tiering/tier-tags';
import {
  useBenefitMatrix,
  useBenefits,
  useCreateBenefit,
  usePatchBenefit,
  useSaveBenefitValues,
} from './benefit-api';
import { BenefitValueText } from './benefit-value-text';
import { cellMessages, parseCell, toDraft, type CellDraft } from './benefit-values';

export const benefitKinds: readonly BenefitKind[] = [
  'rebate_rate',
  'market_fund',
  'training',
  'logistics_priority',
  'credit_limit',
  'priority_supply',
  'custom',
];
export const benefitUnits: readonly BenefitUnit[] = [
  'basis_points',
  'money',
  'count',
  'level',
  'flag',
  'text',
];

/**
 * The benefit library (资源包, PRODUCT §4): benefits defined once, and their value for each tier
 * of a policy version. Admins add, edit and archive benefits and edit the value matrix; the
 * server checks every cell and names the ones it refuses.
 */
export default function BenefitsPage() {
  const { t } = useI18n();
  return (
    <div data-testid="benefits-page">
      <PageHeading title={t('benefits.title')} subtitle={t('benefits.subtitle')} />
      <Library />
      <ValueMatrix />
    </div>
  );
}

function Library() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const benefits = useBenefits();
  const patch = usePatchBenefit();
  const [editing, setEditing] = useState<Benefit | 'new' | null>(null);
  const admin = can('resources:manage');

  const columns: TableColumnsType<Benefit> = [
    {
      title: t('benefits.col.name'),
      key: 'name',
      render: (_: unknown, b) => (
        <Flex vertical gap={0}>
          <Typography.Text strong>{b.name}</Typography.Text>
          <span className="tl-code">{b.code}</span>
        </Flex>
      ),
    },
    {
      title: t('benefits.col.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 140,
      render: (kind: BenefitKind) => <Tag>{t(`benefits.kind.${kind}`)}</Tag>,
    },
    {
      title: t('benefits.col.unit'),
      dataIndex: 'unit',
      key: 'unit',
      width: 130,
      render: (unit: BenefitUnit) => t(`benefits.unit.${unit}`),
    },
    {
      title: t('benefits.col.description'),
      dataIndex: 'description',
      key: 'description',
      render: (text: string) => text || <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: t('benefits.col.status'),
      key: 'status',
      width: 100,
      render: (_: unknown, b) =>
        b.archived ? (
          <Tag data-testid="benefit-archived">{t('benefits.archived')}</Tag>
        ) : (
          <Tag color="green">{t('benefits.active')}</Tag>
        ),
    },
  ];
  if (admin) {
    columns.push({
      title: '',
      key: 'actions',
      width: 170,
      className: 'tl-row-actions',
      render: (_: unknown, b) => (
        <Space size={0}>
          <Button
            type="link"
            icon={<EditOutlined />}
            data-testid={`benefit-edit-${b.code}`}
            onClick={() => setEditing(b)}
          >
            {t('benefits.edit')}
          </Button>
          <Popconfirm
            title={t(b.archived ? 'benefits.restore.confirm' : 'benefits.archive.confirm', {
              name: b.name,
            })}
            okText={t(b.archived ? 'benefits.restore' : 'benefits.archive')}
            cancelText={t('app.cancel')}
            onConfirm={() =>
              patch.mutate(
                { id: b.id, patch: { archived: !b.archived } },
                {
                  onSuccess: () =>
                    void message.success(
                      t(b.archived ? 'benefits.restored' : 'benefits.archivedDone', {
                        name: b.name,
                      }),
                    ),
                  onError: (error) => void message.error(error.message),
                },
              )
            }
          >
            <Button
              type="link"
              icon={b.archived ? <RollbackOutlined /> : <InboxOutlined />}
              data-testid={`benefit-archive-${b.code}`}
            >
              {t(b.archived ? 'benefits.restore' : 'benefits.archive')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }

  return (
    <Card
      variant="borderless"
      title={t('benefits.library')}
      style={{ marginBottom: 16 }}
      data-testid="benefit-library"
      extra={
        admin ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="benefit-add"
            onClick={() => setEditing('new')}
          >
            {t('benefits.add')}
          </Button>
        ) : undefined
      }
    >
      {benefits.error === null ? null : (
        <QueryError error={benefits.error} onRetry={() => void benefits.refetch()} />
      )}
      <Table<Benefit>
        rowKey="id"
        size="middle"
        data-testid="benefit-table"
        columns={columns}
        dataSource={benefits.data?.items ?? []}
        loading={benefits.isFetching}
        pagination={false}
        rowClassName={(b) => (b.archived ? 'tl-row-muted' : '')}
        locale={{ emptyText: benefits.isPending ? ' ' : t('benefits.empty') }}
      />
      <BenefitModal
        benefit={editing === 'new' ? undefined : (editing ?? undefined)}
        open={editing !== null}
        onClose={() => setEditing(null)}
      />
    </Card>
  );
}

interface BenefitForm {
  code: string;
  name: string;
  kind: BenefitKind;
  unit: BenefitUnit;
  description: string;
}

/** Adds a benefit, or edits one's name, kind and description (its code and unit stay). */
function BenefitModal({
  benefit,
  open,
  onClose,
}: {
  benefit: Benefit | undefined;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<BenefitForm>();
  const create = useCreateBenefit();
  const patch = usePatchBenefit();
  const editing = benefit !== undefined;
  const mutation = editing ? patch : create;

  function close() {
    form.resetFields();
    create.reset();
    patch.reset();
    onClose();
  }

  function save(values: BenefitForm) {
    const done = () => {
      void message.success(t(editing ? 'benefits.saved' : 'benefits.created'));
      close();
    };
    if (benefit === undefined) {
      const input: NewBenefit = {
        code: values.code.trim(),
        name: values.name.trim(),
        kind: values.kind,
        unit: values.unit,
        description: values.description.trim(),
      };
      create.mutate(input, { onSuccess: done });
    } else {
      patch.mutate(
        {
          id: benefit.id,
          patch: {
            name: values.name.trim(),
            kind: values.kind,
            description: values.description.trim(),
          },
        },
        { onSuccess: done },
      );
    }
  }

  return (
    <Modal
      open={open}
      title={editing ? t('benefits.edit.title', { name: benefit.name }) : t('benefits.add')}
      okText={editing ? t('app.save') : t('app.create')}
      cancelText={t('app.cancel')}
      confirmLoading={mutation.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      okButtonProps={{ ...{ 'data-testid': 'benefit-form-save' } }}
    >
      <Form<BenefitForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        preserve={false}
        data-testid="benefit-form"
        initialValues={{
          code: benefit?.code ?? '',
          name: benefit?.name ?? '',
          kind: benefit?.kind ?? 'custom',
          unit: benefit?.unit ?? 'money',
          description: benefit?.description ?? '',
        }}
        onFinish={save}
      >
        {mutation.error === null ? null : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="benefit-form-error"
            title={t('app.saveFailed')}
            description={mutation.error.message}
          />
        )}
        <Form.Item
          name="code"
          label={t('benefits.col.code')}
          extra={editing ? undefined : t('benefits.code.hint')}
          rules={[
            { required: true, pattern: /^[a-z][a-z0-9_]{0,39}$/, message: t('benefits.code.hint') },
          ]}
        >
          <Input disabled={editing} autoComplete="off" data-testid="benefit-code" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('benefits.col.name')}
          rules={[
            { required: true, whitespace: true, max: 100, message: t('benefits.name.required') },
          ]}
        >
          <Input autoComplete="off" data-testid="benefit-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('benefits.col.kind')}>
          <Select
            data-testid="benefit-kind"
            options={benefitKinds.map((k) => ({ value: k, label: t(`benefits.kind.${k}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="unit"
          label={t('benefits.col.unit')}
          extra={editing ? t('benefits.unit.fixed') : t('benefits.unit.hint')}
        >
          <Select
            disabled={editing}
            data-testid="benefit-unit"
            options={benefitUnits.map((u) => ({ value: u, label: t(`benefits.unit.${u}`) }))}
          />
        </Form.Item>
        <Form.Item name="description" label={t('benefits.col.description')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} data-testid="benefit-description" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type Drafts = Record<string, Record<string, CellDraft>>;

function VersionSelect({
  policy,
  value,
  disabled,
  onChange,
}: {
  policy: string;
  value: number | undefined;
  disabled: boolean;
  onChange: (version: number) => void;
}) {
  const { t } = useI18n();
  const versions = usePolicyVersions(policy);
  return (
    <Select<number>
      data-testid="benefit-matrix-version"
      style={{ minWidth: 120 }}
      value={value}
      disabled={disabled}
      onChange={onChange}
      options={(versions.data?.items ?? []).map((v) => ({
        value: v.version,
        label: t('benefits.version', { version: v.version }),
      }))}
    />
  );
}

/** The value of each benefit for each tier of the chosen policy version; admins edit it. */
function ValueMatrix() {
  const { t } = useI18n();
  const can = useCan();
  const policies = usePolicies();
  const [policyName, setPolicyName] = useState<string | undefined>(undefined);
  const [version, setVersion] = useState<number | undefined>(undefined);
  const items = policies.data?.items ?? [];
  const policy = policyName ?? items[0]?.name;
  const matrix = useBenefitMatrix(policy, version);
  const [drafts, setDrafts] = useState<Drafts | null>(null);

  return (
    <Card
      variant="borderless"
      title={t('benefits.matrix')}
      data-testid="benefit-matrix"
      extra={
        <Space wrap>
          <Select<string>
            data-testid="benefit-matrix-policy"
            style={{ minWidth: 160 }}
            loading={policies.isPending}
            value={policy}
            disabled={drafts !== null}
            onChange={(name) => {
              setPolicyName(name);
              setVersion(undefined);
            }}
            options={items.map((p) => ({ value: p.name, label: p.name }))}
          />
          {policy === undefined ? null : (
            <VersionSelect
              policy={policy}
              value={version ?? matrix.data?.policy.version}
              disabled={drafts !== null}
              onChange={setVersion}
            />
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('benefits.matrix.hint')}</Typography.Paragraph>
      {matrix.error !== null ? (
        <QueryError error={matrix.error} onRetry={() => void matrix.refetch()} />
      ) : matrix.data === undefined ? (
        policy === undefined && !policies.isPending ? (
          <Empty description={t('benefits.noPolicy')} />
        ) : (
          <Table loading size="small" dataSource={[]} />
        )
      ) : (
        <MatrixTable
          matrix={matrix.data}
          drafts={drafts}
          setDrafts={setDrafts}
          editable={can('resources:manage')}
        />
      )}
    </Card>
  );
}

function MatrixTable({
  matrix,
  drafts,
  setDrafts,
  editable,
}: {
  matrix: BenefitMatrix;
  drafts: Drafts | null;
  setDrafts: (d: Drafts | null) => void;
  editable: boolean;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const format = useFormat();
  const minorUnits = useTenant().data?.currencyMinorUnits ?? 2;
  const save = useSaveBenefitValues();
  const rows = matrix.rows;
  const unitOf = useMemo(() => new Map(rows.map((r) => [r.benefit.code, r.benefit.unit])), [rows]);

  const serverMessages = useMemo(
    () =>
      save.error instanceof ApiError ? cellMessages(save.error.details) : new Map<string, string>(),
    [save.error],
  );
  const localProblems = useMemo(() => {
    const out = new Map<string, string>();
    if (drafts === null) return out;
    for (const [code, cells] of Object.entries(drafts)) {
      for (const [tier, draft] of Object.entries(cells)) {
        const parsed = parseCell(unitOf.get(code) ?? 'text', draft, minorUnits);
        if ('problem' in parsed)
          out.set(`${code}.${tier}`, t(`benefits.problem.${parsed.problem}`));
      }
    }
    return out;
  }, [drafts, unitOf, minorUnits, t]);

  function startEditing() {
    save.reset();
    const next: Drafts = {};
    for (const r of rows) {
      next[r.benefit.code] = Object.fromEntries(
        matrix.tiers.map((tier) => [
          tier.code,
          toDraft(r.benefit.unit, r.values[tier.code], minorUnits),
        ]),
      );
    }
    setDrafts(next);
  }

  function submit() {
    if (drafts === null || localProblems.size > 0) return;
    const values: Record<string, Record<string, BenefitValue | null>> = {};
    for (const [code, cells] of Object.entries(drafts)) {
      values[code] = {};
      for (const [tier, draft] of Object.entries(cells)) {
        const parsed = parseCell(unitOf.get(code) ?? 'text', draft, minorUnits);
        if ('value' in parsed && parsed.value !== null) values[code][tier] = parsed.value;
      }
    }
    save.mutate(
      { policy: matrix.policy.name, version: matrix.policy.version, values },
      {
        onSuccess: () => {
          setDrafts(null);
          void message.success(t('benefits.matrix.saved'));
        },
      },
    );
  }

  const setCell = (code: string, tier: string, value: CellDraft) => {
    if (drafts === null) return;
    setDrafts({ ...drafts, [code]: { ...drafts[code], [tier]: value } });
  };

  type Row = BenefitMatrix['rows'][number];
  const columns: TableColumnsType<Row> = [
    {
      title: t('benefits.col.benefit'),
      key: 'benefit',
      fixed: 'left',
      width: 200,
      render: (_: unknown, r) => (
        <Flex vertical gap={0}>
          <Space size={6}>
            <Typography.Text strong>{r.benefit.name}</Typography.Text>
            {r.benefit.archived ? <Tag>{t('benefits.archived')}</Tag> : null}
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`benefits.unit.${r.benefit.unit}`)}
          </Typography.Text>
          {serverMessages.has(r.benefit.code) ? (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {serverMessages.get(r.benefit.code)}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    ...matrix.tiers.map((tier) => ({
      title: <TierTag tiers={matrix.tiers} code={tier.code} />,
      key: tier.code,
      width: 150,
      render: (_: unknown, r: Row) => {
        const key = `${r.benefit.code}.${tier.code}`;
        if (drafts === null) {
          const value = r.values[tier.code];
          return (
            <span data-testid={`cell-${key}`}>
              <BenefitValueText unit={r.benefit.unit} value={value} format={format} />
            </span>
          );
        }
        const draft = drafts[r.benefit.code]?.[tier.code] ?? null;
        const problem = localProblems.get(key) ?? serverMessages.get(key);
        return (
          <div
            data-testid={`cell-${key}`}
            data-invalid={problem === undefined ? undefined : 'true'}
          >
            {r.benefit.unit === 'flag' ? (
              <Select<'yes' | 'no' | 'none'>
                size="small"
                style={{ width: '100%' }}
                status={problem === undefined ? undefined : 'error'}
                value={draft === true ? 'yes' : draft === false ? 'no' : 'none'}
                onChange={(v) =>
                  setCell(r.benefit.code, tier.code, v === 'none' ? null : v === 'yes')
                }
                options={[
                  { value: 'none', label: '—' },
                  { value: 'yes', label: t('benefits.flag.yes') },
                  { value: 'no', label: t('benefits.flag.no') },
                ]}
              />
            ) : (
              <Input
                size="small"
                status={problem === undefined ? undefined : 'error'}
                value={typeof draft === 'string' ? draft : ''}
                suffix={
                  r.benefit.unit === 'basis_points'
                    ? '%'
                    : r.benefit.unit === 'money'
                      ? t('benefits.yuan')
                      : undefined
                }
                onChange={(e) => setCell(r.benefit.code, tier.code, e.target.value)}
              />
            )}
            {problem === undefined ? null : (
              <Typography.Text type="danger" style={{ fontSize: 12, display: 'block' }}>
                {problem}
              </Typography.Text>
            )}
          </div>
        );
      },
    })),
  ];

  return (
    <>
      {save.error === null ? null : (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="benefit-matrix-error"
          title={t('app.saveFailed')}
          description={save.error.message}
        />
      )}
      <Table<Row>
        rowKey={(r) => r.benefit.id}
        size="middle"
        data-testid="benefit-matrix-table"
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 200 + matrix.tiers.length * 150 }}
        locale={{ emptyText: t('benefits.empty') }}
      />
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginTop: 12 }}>
        <Typography.Text type="secondary">
          {matrix.updatedAt === null
            ? t('benefits.matrix.never')
            : t('benefits.matrix.updated', {
                at: dayjs(matrix.updatedAt).format('YYYY-MM-DD HH:mm'),
              })}
        </Typography.Text>
        {editable && rows.length > 0 ? (
          drafts === null ? (
            <Button
              icon={<EditOutlined />}
              data-testid="benefit-matrix-edit"
              onClick={startEditing}
            >
              {t('benefits.matrix.edit')}
            </Button>
          ) : (
            <Space>
              <Button
                onClick={() => {
                  save.reset();
                  setDrafts(null);
                }}
              >
                {t('app.cancel')}
              </Button>
              <Button
                type="primary"
                data-testid="benefit-matrix-save"
                loading={save.isPending}
                disabled={localProblems.size > 0}
                onClick={submit}
              >
                {t('app.save')}
              </Button>
            </Space>
          )
        ) : null}
      </Flex>
    </>
  );
}
