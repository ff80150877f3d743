import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  CheckCircleFilled,
  CloseCircleFilled,
  DeleteOutlined,
  LoadingOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import type { Gate, MetricCatalogue, PolicyValidation } from '@tierline/contract';
import {
  Alert,
  Button,
  Card,
  Col,
  Dropdown,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Slider,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/locale';
import { useCatalogue } from '../tiering/tier-api';
import { gateText } from '../tiering/tier-text';
import { useTierText } from '../tiering/use-tier-text';
import { LivePreview } from './live-preview';
import {
  addMetric,
  addTier,
  applyScheme,
  draftAssignment,
  draftLifecycle,
  draftMetrics,
  draftReviewMonths,
  draftString,
  draftTiers,
  draftWeights,
  isRecord,
  issuesAt,
  moveTier,
  removeMetric,
  removeTier,
  scaleWeightsToTotal,
  setAssignmentMethod,
  setIn,
  setTierField,
  setWeightMethod,
  weightSum,
  type AssignmentMethod,
  type Draft,
  type DraftLifecycle,
  type WeightMethod,
} from './policy-draft';

export interface PolicyEditorProps {
  text: string;
  onText: (text: string) => void;
  draft: Draft | null;
  parseError: string | null;
  onChange: (next: Draft) => void;
  validation: PolicyValidation | undefined;
  validating: boolean;
  validationError: Error | null;
  validDraft: Draft | null;
  settledJson: string | null;
  /** The saved version's cycle, for the preview while the JSON does not parse. */
  savedCycle: string;
}

/**
 * The policy editor: a form for the parts people tune most (tiers, weights, assignment, gates,
 * lifecycle, cycle) and the whole document as JSON, both editing the same draft; beside them,
 * the server's validation (each issue with its path, also next to its field) and the preview.
 */
export function PolicyEditor(props: PolicyEditorProps) {
  const { t } = useI18n();
  const { draft, validation } = props;
  const issues = validation?.issues ?? [];
  const [tab, setTab] = useState('form');

  return (
    <Row gutter={[16, 16]} align="top">
      <Col xs={24} xl={15}>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          type="card"
          className="tl-editor-tabs"
          items={[
            {
              key: 'form',
              label: t('policy.editor.form'),
              children:
                draft === null ? (
                  <Alert
                    type="warning"
                    showIcon
                    title={t('policy.editor.jsonBroken')}
                    action={
                      <Button size="small" onClick={() => setTab('json')}>
                        {t('policy.editor.openJson')}
                      </Button>
                    }
                  />
                ) : (
                  <PolicyForm
                    draft={draft}
                    onChange={props.onChange}
                    validation={validation}
                    onOpenJson={() => setTab('json')}
                  />
                ),
            },
            {
              key: 'json',
              label: t('policy.editor.json'),
              children: (
                <JsonEditor
                  text={props.text}
                  onText={props.onText}
                  parseError={props.parseError}
                  issues={issues}
                />
              ),
            },
          ]}
        />
      </Col>
      <Col xs={24} xl={9}>
        <div className="tl-sticky">
          <ValidationCard {...props} />
          <LivePreview
            draft={props.validDraft}
            json={props.settledJson}
            cycle={draft === null ? props.savedCycle : draft['cycle']}
          />
        </div>
      </Col>
    </Row>
  );
}

function ValidationCard({
  draft,
  parseError,
  validation,
  validating,
  validationError,
}: PolicyEditorProps) {
  const { t } = useI18n();
  let body: ReactNode;
  if (draft === null) {
    body = (
      <Typography.Text type="danger">
        <CloseCircleFilled /> {t('policy.validation.json', { error: parseError ?? '' })}
      </Typography.Text>
    );
  } else if (validationError !== null) {
    body = <Typography.Text type="danger">{validationError.message}</Typography.Text>;
  } else if (validation === undefined || (validating && validation.valid)) {
    body = (
      <Typography.Text type="secondary">
        <LoadingOutlined /> {t('policy.validation.checking')}
      </Typography.Text>
    );
  } else if (validation.valid) {
    body = (
      <Typography.Text type="success" data-testid="policy-valid">
        <CheckCircleFilled /> {t('policy.validation.valid')}
      </Typography.Text>
    );
  } else {
    body = (
      <div data-testid="policy-issues">
        <Typography.Text type="danger">
          <CloseCircleFilled /> {t('policy.validation.issues', { count: validation.issues.length })}
          {validating ? <LoadingOutlined style={{ marginLeft: 8 }} /> : null}
        </Typography.Text>
        <ul className="tl-issue-list">
          {validation.issues.map((issue, i) => (
            <li key={`${issue.path}-${i}`}>
              <Typography.Text code>{issue.path === '' ? '/' : issue.path}</Typography.Text>{' '}
              {issue.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <Card
      variant="borderless"
      size="small"
      title={t('policy.validation.title')}
      style={{ marginBottom: 16 }}
      data-testid="policy-validation"
    >
      {body}
    </Card>
  );
}

function JsonEditor({
  text,
  onText,
  parseError,
  issues,
}: {
  text: string;
  onText: (text: string) => void;
  parseError: string | null;
  issues: PolicyValidation['issues'];
}) {
  const { t } = useI18n();
  return (
    <Card variant="borderless" data-testid="policy-json">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }} wrap gap={8}>
        <Typography.Text type="secondary">{t('policy.json.hint')}</Typography.Text>
        <Button
          size="small"
          disabled={parseError !== null}
          onClick={() => onText(JSON.stringify(JSON.parse(text), null, 2))}
        >
          {t('policy.json.format')}
        </Button>
      </Flex>
      <Input.TextArea
        value={text}
        onChange={(e) => onText(e.target.value)}
        spellCheck={false}
        autoSize={{ minRows: 24, maxRows: 48 }}
        className="tl-json-editor"
        status={parseError !== null || issues.length > 0 ? 'error' : undefined}
        data-testid="policy-json-text"
        aria-label={t('policy.editor.json')}
      />
      {parseError === null ? null : (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          title={t('policy.validation.json', { error: parseError })}
        />
      )}
      {issues.length === 0 ? null : (
        <ul className="tl-issue-list" style={{ marginTop: 8 }}>
          {issues.map((issue, i) => (
            <li key={`${issue.path}-${i}`}>
              <Typography.Text code>{issue.path === '' ? '/' : issue.path}</Typography.Text>{' '}
              <Typography.Text type="danger">{issue.message}</Typography.Text>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** `validateStatus` and `help` of a form field from the issues at its path. */
function useFieldIssues(validation: PolicyValidation | undefined) {
  return (path: string) => {
    const messages = issuesAt(validation?.issues ?? [], path);
    return messages.length === 0
      ? {}
      : { validateStatus: 'error' as const, help: messages.join(' ') };
  };
}

function PolicyForm({
  draft,
  onChange,
  validation,
  onOpenJson,
}: {
  draft: Draft;
  onChange: (next: Draft) => void;
  validation: PolicyValidation | undefined;
  onOpenJson: () => void;
}) {
  const { t } = useI18n();
  const catalogue = useCatalogue().data;
  const issuesOf = useFieldIssues(validation);
  const set = (path: (string | number)[], value: unknown) => onChange(setIn(draft, path, value));

  return (
    <Form layout="vertical" className="tl-policy-form" data-testid="policy-form">
      <BasicsSection draft={draft} set={set} issuesOf={issuesOf} />
      <TiersSection draft={draft} onChange={onChange} issuesOf={issuesOf} catalogue={catalogue} />
      <WeightsSection
        draft={draft}
        onChange={onChange}
        issuesOf={issuesOf}
        catalogue={catalogue}
        validation={validation}
      />
      <AssignmentSection draft={draft} onChange={onChange} issuesOf={issuesOf} />
      <GatesSection draft={draft} issuesOf={issuesOf} onOpenJson={onOpenJson} />
      <LifecycleSection draft={draft} set={set} issuesOf={issuesOf} />
      <Typography.Paragraph type="secondary">
        {t('policy.form.more')}{' '}
        <Typography.Link onClick={onOpenJson}>{t('policy.editor.openJson')}</Typography.Link>
      </Typography.Paragraph>
    </Form>
  );
}

type IssuesOf = (path: string) => { validateStatus?: 'error'; help?: string };
type Set = (path: (string | number)[], value: unknown) => void;

function Section({
  title,
  extra,
  children,
  testId,
}: {
  title: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Card
      variant="borderless"
      title={title}
      extra={extra}
      style={{ marginBottom: 16 }}
      data-testid={testId}
    >
      {children}
    </Card>
  );
}

const cycles = ['monthly', 'quarterly', 'semiannual', 'annual'] as const;
const normalisations = ['percentile', 'minmax', 'zscore'] as const;

function BasicsSection({ draft, set, issuesOf }: { draft: Draft; set: Set; issuesOf: IssuesOf }) {
  const { t } = useI18n();
  const effectiveTo = draft['effectiveTo'];
  return (
    <Section title={t('policy.section.basics')} testId="policy-basics">
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item
            label={t('policy.field.name')}
            {...issuesOf('name')}
            extra={t('policy.field.nameHint')}
          >
            <Input
              value={draftString(draft, 'name')}
              onChange={(e) => set(['name'], e.target.value)}
              data-testid="policy-name"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item label={t('policy.field.description')} {...issuesOf('description')}>
            <Input
              value={draftString(draft, 'description')}
              onChange={(e) => set(['description'], e.target.value)}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item label={t('policy.field.cycle')} {...issuesOf('cycle')}>
            <Select
              value={draftString(draft, 'cycle')}
              onChange={(value: string) => set(['cycle'], value)}
              options={cycles.map((c) => ({ value: c, label: t(`policy.cycle.${c}`) }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={10}>
          <Form.Item
            label={t('policy.field.reviewMonths')}
            {...issuesOf('reviewMonths')}
            tooltip={t('policy.field.reviewMonthsHint')}
          >
            <Select<number[]>
              mode="multiple"
              value={draftReviewMonths(draft)}
              onChange={(value) =>
                set(
                  ['reviewMonths'],
                  [...value].sort((a, b) => a - b),
                )
              }
              options={Array.from({ length: 12 }, (_, i) => ({
                value: i + 1,
                label: t('policy.month', { month: i + 1 }),
              }))}
              maxTagCount="responsive"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item label={t('policy.field.normalisation')} {...issuesOf('normalisation')}>
            <Select
              value={draftString(draft, 'normalisation') || 'percentile'}
              onChange={(value: string) => set(['normalisation'], value)}
              options={normalisations.map((n) => ({
                value: n,
                label: t(`policy.normalisation.${n}`),
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item label={t('policy.field.effectiveFrom')} {...issuesOf('effectiveFrom')}>
            <Input
              value={draftString(draft, 'effectiveFrom')}
              placeholder="2026-01"
              onChange={(e) => set(['effectiveFrom'], e.target.value.trim())}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item label={t('policy.field.effectiveTo')} {...issuesOf('effectiveTo')}>
            <Input
              value={typeof effectiveTo === 'string' ? effectiveTo : ''}
              placeholder={t('policy.field.open')}
              onChange={(e) => {
                const value = e.target.value.trim();
                set(['effectiveTo'], value === '' ? null : value);
              }}
            />
          </Form.Item>
        </Col>
      </Row>
    </Section>
  );
}

function TiersSection({
  draft,
  onChange,
  issuesOf,
  catalogue,
}: {
  draft: Draft;
  onChange: (next: Draft) => void;
  issuesOf: IssuesOf;
  catalogue: MetricCatalogue | undefined;
}) {
  const { t } = useI18n();
  const tiers = draftTiers(draft);
  const schemes = Object.entries(catalogue?.schemes ?? {});
  const rows = tiers.map((tier, index) => ({ ...tier, index }));
  const columns: TableColumnsType<(typeof rows)[number]> = [
    {
      title: t('policy.tier.order'),
      key: 'order',
      width: 84,
      render: (_: unknown, row) => (
        <Space size={0}>
          <Button
            type="text"
            size="small"
            icon={<ArrowUpOutlined />}
            disabled={row.index === 0}
            aria-label={t('policy.tier.up')}
            onClick={() => onChange(moveTier(draft, row.index, -1))}
          />
          <Button
            type="text"
            size="small"
            icon={<ArrowDownOutlined />}
            disabled={row.index === tiers.length - 1}
            aria-label={t('policy.tier.down')}
            onClick={() => onChange(moveTier(draft, row.index, 1))}
          />
        </Space>
      ),
    },
    {
      title: t('policy.tier.name'),
      key: 'name',
      render: (_: unknown, row) => (
        <Form.Item style={{ margin: 0 }} {...issuesOf(`tiers[${row.index}].name`)}>
          <Input
            value={row.name}
            onChange={(e) => onChange(setTierField(draft, row.index, 'name', e.target.value))}
            data-testid="policy-tier-name"
          />
        </Form.Item>
      ),
    },
    {
      title: t('policy.tier.code'),
      key: 'code',
      render: (_: unknown, row) => (
        <Form.Item style={{ margin: 0 }} {...issuesOf(`tiers[${row.index}].code`)}>
          <Input
            value={row.code}
            className="tl-code"
            onChange={(e) =>
              onChange(setTierField(draft, row.index, 'code', e.target.value.trim()))
            }
          />
        </Form.Item>
      ),
    },
    {
      title: t('policy.tier.color'),
      key: 'color',
      width: 150,
      render: (_: unknown, row) => (
        <Form.Item style={{ margin: 0 }} {...issuesOf(`tiers[${row.index}].color`)}>
          <label className="tl-color">
            {/* The browser's own colour picker: antd's would add 40 kB to every page's antd chunk. */}
            <input
              type="color"
              value={/^#[0-9A-Fa-f]{6}$/.test(row.color) ? row.color.toLowerCase() : '#8c8c8c'}
              aria-label={t('policy.tier.color')}
              onChange={(e) =>
                onChange(setTierField(draft, row.index, 'color', e.target.value.toUpperCase()))
              }
            />
            <span className="tl-code">{row.color || '—'}</span>
          </label>
        </Form.Item>
      ),
    },
    {
      title: t('policy.tier.preview'),
      key: 'preview',
      width: 90,
      render: (_: unknown, row) => (
        <Tag color={/^#[0-9A-Fa-f]{6}$/.test(row.color) ? row.color : undefined}>
          {row.name || '—'}
        </Tag>
      ),
    },
    {
      key: 'remove',
      width: 48,
      render: (_: unknown, row) => (
        <Button
          type="text"
          danger
          size="small"
          icon={<DeleteOutlined />}
          disabled={tiers.length <= 2}
          aria-label={t('policy.tier.remove')}
          onClick={() => onChange(removeTier(draft, row.index))}
        />
      ),
    },
  ];
  return (
    <Section
      title={t('policy.section.tiers')}
      testId="policy-tiers"
      extra={
        <Space>
          {schemes.length === 0 ? null : (
            <Dropdown
              menu={{
                items: schemes.map(([key, scheme]) => ({
                  key,
                  label: scheme.map((s) => s.name).join(' / '),
                })),
                onClick: ({ key }) => {
                  const scheme = catalogue?.schemes[key];
                  if (scheme !== undefined) onChange(applyScheme(draft, scheme));
                },
              }}
            >
              <Button size="small">{t('policy.tier.template')}</Button>
            </Dropdown>
          )}
          <Button
            size="small"
            icon={<PlusOutlined />}
            disabled={tiers.length >= 12}
            onClick={() => onChange(addTier(draft))}
          >
            {t('policy.tier.add')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('policy.tier.hint')}</Typography.Paragraph>
      <Form.Item style={{ marginBottom: 0 }} {...issuesOf('tiers')}>
        <Table rowKey="index" size="small" pagination={false} columns={columns} dataSource={rows} />
      </Form.Item>
    </Section>
  );
}

function metricOptions(catalogue: MetricCatalogue | undefined, draft: Draft, locale: string) {
  const custom = Array.isArray(draft['customMetrics'])
    ? (draft['customMetrics'] as unknown[]).filter(isRecord).map((m) => ({
        value: typeof m['key'] === 'string' ? m['key'] : '',
        label: `${typeof m['name'] === 'string' ? m['name'] : ''} (${String(m['key'])})`,
      }))
    : [];
  return [
    ...(catalogue?.metrics ?? []).map((m) => ({
      value: m.key,
      label: locale === 'zh-CN' ? m.name.zh : m.name.en,
    })),
    ...custom.filter((c) => c.value !== ''),
  ];
}

function WeightsSection({
  draft,
  onChange,
  issuesOf,
  catalogue,
  validation,
}: {
  draft: Draft;
  onChange: (next: Draft) => void;
  issuesOf: IssuesOf;
  catalogue: MetricCatalogue | undefined;
  validation: PolicyValidation | undefined;
}) {
  const { t, locale } = useI18n();
  const kit = useTierText(draftTiers(draft));
  const metrics = draftMetrics(draft);
  const weights = draftWeights(draft);
  const derived = validation?.weights ?? null;
  const options = metricOptions(catalogue, draft, locale).filter(
    (o) => !metrics.some((m) => m.metric === o.value),
  );
  const nameOf = (key: string) => kit.metric(key).name;
  const manual = weights.method === 'manual' ? weights : null;
  const sum = manual === null ? 0 : weightSum(metrics, manual.values);
  const balanced = manual !== null && Math.abs(sum - manual.total) <= 1e-6 * manual.total;

  const rows = metrics.map((m, index) => ({ ...m, index }));
  const columns: TableColumnsType<(typeof rows)[number]> = [
    {
      title: t('tier.breakdown.metric'),
      key: 'metric',
      width: 190,
      render: (_: unknown, row) => (
        <Form.Item style={{ margin: 0 }} {...issuesOf(`metrics[${row.index}]`)}>
          <Space size={4}>
            <span>{nameOf(row.metric)}</span>
            {kit.metric(row.metric).direction === null ? null : (
              <Tooltip
                title={t(`policy.direction.${kit.metric(row.metric).direction ?? 'higher'}`)}
              >
                <Typography.Text type="secondary">
                  {kit.metric(row.metric).direction === 'lower' ? '↓' : '↑'}
                </Typography.Text>
              </Tooltip>
            )}
          </Space>
        </Form.Item>
      ),
    },
    {
      title:
        manual !== null
          ? t('policy.weight.value', { total: manual.total })
          : t('tier.breakdown.weight'),
      key: 'weight',
      render: (_: unknown, row) => {
        if (manual !== null) {
          const value = manual.values[row.metric] ?? 0;
          return (
            <Form.Item style={{ margin: 0 }} {...issuesOf(`weights.values.${row.metric}`)}>
              <Flex gap={12} align="center">
                <Slider
                  style={{ flex: 1, minWidth: 100, margin: '0 4px' }}
                  min={0}
                  max={manual.total}
                  step={manual.total >= 10 ? 1 : 0.01}
                  value={value}
                  onChange={(v: number) =>
                    onChange(setIn(draft, ['weights', 'values', row.metric], v))
                  }
                />
                <InputNumber<number>
                  min={0}
                  max={manual.total}
                  value={value}
                  style={{ width: 84 }}
                  data-testid={`policy-weight-${row.metric}`}
                  onChange={(v) =>
                    onChange(setIn(draft, ['weights', 'values', row.metric], v ?? 0))
                  }
                />
              </Flex>
            </Form.Item>
          );
        }
        const share = derived?.[row.metric];
        return (
          <Typography.Text type="secondary" className="tl-num">
            {share === undefined ? t('policy.weight.fromData') : kit.format.percent(share)}
          </Typography.Text>
        );
      },
    },
    {
      title: (
        <Tooltip title={t('policy.weight.capHint')}>
          <span>{t('policy.weight.cap')}</span>
        </Tooltip>
      ),
      key: 'cap',
      width: 96,
      render: (_: unknown, row) => (
        <Form.Item style={{ margin: 0 }} {...issuesOf(`metrics[${row.index}].cap`)}>
          <InputNumber<number>
            min={0}
            max={100}
            value={row.cap}
            placeholder="—"
            style={{ width: 76 }}
            onChange={(v) => onChange(setIn(draft, ['metrics', row.index, 'cap'], v ?? undefined))}
          />
        </Form.Item>
      ),
    },
    {
      key: 'remove',
      width: 48,
      render: (_: unknown, row) => (
        <Button
          type="text"
          danger
          size="small"
          icon={<DeleteOutlined />}
          disabled={metrics.length <= 1}
          aria-label={t('policy.weight.remove')}
          onClick={() => onChange(removeMetric(draft, row.metric))}
        />
      ),
    },
  ];

  const cr = validation?.consistencyRatio ?? null;
  return (
    <Section
      title={t('policy.section.weights')}
      testId="policy-weights"
      extra={
        <Radio.Group
          size="small"
          optionType="button"
          value={weights.method}
          onChange={(e) =>
            onChange(setWeightMethod(draft, e.target.value as WeightMethod, derived))
          }
          options={(['manual', 'ahp', 'entropy'] as const).map((m) => ({
            value: m,
            label: t(`policy.weight.method.${m}`),
          }))}
          data-testid="policy-weight-method"
        />
      }
    >
      {weights.method === 'ahp' ? (
        <Alert
          type={cr !== null && cr < 0.1 ? 'success' : 'info'}
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="policy-ahp"
          title={t('policy.weight.ahp')}
          description={
            cr === null
              ? t('policy.weight.ahpNoCr')
              : t('policy.weight.ahpCr', { cr: cr.toFixed(3) })
          }
        />
      ) : weights.method === 'entropy' ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="policy-entropy"
          title={t('policy.weight.entropy')}
        />
      ) : null}
      <Form.Item style={{ marginBottom: 8 }} {...issuesOf('weights')}>
        <Table rowKey="index" size="small" pagination={false} columns={columns} dataSource={rows} />
      </Form.Item>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Select<string>
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={
            <span>
              <PlusOutlined /> {t('policy.weight.add')}
            </span>
          }
          value={null}
          style={{ width: 260 }}
          options={options}
          onChange={(key) => onChange(addMetric(draft, key))}
          data-testid="policy-add-metric"
        />
        {manual === null ? null : (
          <Space data-testid="policy-weight-sum">
            <Typography.Text type={balanced ? 'success' : 'danger'} strong className="tl-num">
              {t('policy.weight.sum', {
                sum: kit.format.number(sum, 2),
                total: kit.format.number(manual.total, 2),
              })}
            </Typography.Text>
            <Button
              size="small"
              disabled={balanced || sum <= 0}
              onClick={() => onChange(scaleWeightsToTotal(draft))}
              data-testid="policy-weight-scale"
            >
              {t('policy.weight.scale', { total: manual.total })}
            </Button>
          </Space>
        )}
      </Flex>
    </Section>
  );
}

function AssignmentSection({
  draft,
  onChange,
  issuesOf,
}: {
  draft: Draft;
  onChange: (next: Draft) => void;
  issuesOf: IssuesOf;
}) {
  const { t } = useI18n();
  const tiers = draftTiers(draft);
  const assignment = draftAssignment(draft);
  let body: ReactNode = null;
  if (assignment.method === 'thresholds') {
    body = (
      <Flex vertical gap={4}>
        {tiers.map((tier, i) =>
          i === tiers.length - 1 ? (
            <Typography.Text type="secondary" key={tier.code}>
              <Tag color={tier.color}>{tier.name}</Tag> {t('policy.assignment.rest')}
            </Typography.Text>
          ) : (
            <Form.Item
              key={tier.code}
              style={{ marginBottom: 4 }}
              {...issuesOf(`assignment.minScores.${tier.code}`)}
            >
              <Flex gap={12} align="center">
                <span style={{ width: 96 }}>
                  <Tag color={tier.color}>{tier.name}</Tag>
                </span>
                <Typography.Text type="secondary" style={{ width: 64 }}>
                  {t('policy.assignment.min')}
                </Typography.Text>
                <Slider
                  style={{ flex: 1, minWidth: 120 }}
                  min={0}
                  max={100}
                  step={0.5}
                  value={assignment.minScores[tier.code] ?? 0}
                  onChange={(v: number) =>
                    onChange(setIn(draft, ['assignment', 'minScores', tier.code], v))
                  }
                />
                <InputNumber<number>
                  min={0}
                  max={100}
                  value={assignment.minScores[tier.code] ?? null}
                  style={{ width: 84 }}
                  data-testid={`policy-threshold-${tier.code}`}
                  onChange={(v) =>
                    onChange(setIn(draft, ['assignment', 'minScores', tier.code], v ?? undefined))
                  }
                />
              </Flex>
            </Form.Item>
          ),
        )}
      </Flex>
    );
  } else if (assignment.method === 'quotas') {
    const sum = tiers.reduce((s, tier) => s + (assignment.percents[tier.code] ?? 0), 0);
    body = (
      <Flex vertical gap={4}>
        {tiers.map((tier) => (
          <Form.Item
            key={tier.code}
            style={{ marginBottom: 4 }}
            {...issuesOf(`assignment.percents.${tier.code}`)}
          >
            <Flex gap={12} align="center">
              <span style={{ width: 96 }}>
                <Tag color={tier.color}>{tier.name}</Tag>
              </span>
              <Slider
                style={{ flex: 1, minWidth: 120 }}
                min={0}
                max={100}
                value={assignment.percents[tier.code] ?? 0}
                onChange={(v: number) =>
                  onChange(setIn(draft, ['assignment', 'percents', tier.code], v))
                }
              />
              <InputNumber<number>
                min={0}
                max={100}
                value={assignment.percents[tier.code] ?? null}
                suffix="%"
                style={{ width: 96 }}
                onChange={(v) =>
                  onChange(setIn(draft, ['assignment', 'percents', tier.code], v ?? undefined))
                }
              />
            </Flex>
          </Form.Item>
        ))}
        <Form.Item style={{ marginBottom: 0 }} {...issuesOf('assignment.percents')}>
          <Typography.Text type={Math.abs(sum - 100) < 1e-9 ? 'success' : 'danger'} strong>
            {t('policy.assignment.quotaSum', { sum })}
          </Typography.Text>
        </Form.Item>
      </Flex>
    );
  } else if (assignment.method === 'natural_breaks') {
    body = <Alert type="info" showIcon title={t('policy.assignment.naturalBreaks')} />;
  }
  return (
    <Section
      title={t('policy.section.assignment')}
      testId="policy-assignment"
      extra={
        <Radio.Group
          size="small"
          optionType="button"
          value={assignment.method}
          onChange={(e) => onChange(setAssignmentMethod(draft, e.target.value as AssignmentMethod))}
          options={(['thresholds', 'quotas', 'natural_breaks'] as const).map((m) => ({
            value: m,
            label: t(`policy.assignment.method.${m}`),
          }))}
        />
      }
    >
      <Form.Item style={{ marginBottom: 0 }} {...issuesOf('assignment')}>
        {body}
      </Form.Item>
    </Section>
  );
}

function isGate(value: unknown): value is Gate {
  if (!isRecord(value)) return false;
  if (Array.isArray(value['all'])) return value['all'].every(isGate);
  if (Array.isArray(value['any'])) return value['any'].every(isGate);
  return (
    typeof value['metric'] === 'string' &&
    typeof value['op'] === 'string' &&
    typeof value['value'] === 'number'
  );
}

function GatesSection({
  draft,
  issuesOf,
  onOpenJson,
}: {
  draft: Draft;
  issuesOf: IssuesOf;
  onOpenJson: () => void;
}) {
  const { t } = useI18n();
  const tiers = draftTiers(draft);
  const kit = useTierText(tiers);
  const gates = isRecord(draft['gates']) ? draft['gates'] : {};
  const entries = Object.entries(gates);
  return (
    <Section
      title={t('policy.section.gates')}
      testId="policy-gates"
      extra={<Typography.Link onClick={onOpenJson}>{t('policy.gates.editJson')}</Typography.Link>}
    >
      {entries.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policy.gates.none')} />
      ) : (
        <Flex vertical gap={8}>
          {entries.map(([code, gate]) => {
            const tier = tiers.find((x) => x.code === code);
            return (
              <Form.Item key={code} style={{ marginBottom: 0 }} {...issuesOf(`gates.${code}`)}>
                <Flex gap={12} align="baseline">
                  <span style={{ minWidth: 72 }}>
                    <Tag color={tier?.color}>{tier?.name ?? code}</Tag>
                  </span>
                  <Typography.Text data-testid="policy-gate-text">
                    {isGate(gate) ? gateText(gate, kit) : JSON.stringify(gate)}
                  </Typography.Text>
                </Flex>
              </Form.Item>
            );
          })}
        </Flex>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {t('policy.gates.hint')}
      </Typography.Paragraph>
    </Section>
  );
}

function NullableNumber({
  value,
  onChange,
  min,
  noneLabel,
}: {
  value: number | null;
  onChange: (value: number | null) => void;
  min: number;
  noneLabel: string;
}) {
  return (
    <InputNumber<number>
      min={min}
      precision={0}
      value={value}
      placeholder={noneLabel}
      style={{ width: '100%' }}
      onChange={(v) => onChange(v ?? null)}
    />
  );
}

function LifecycleSection({
  draft,
  set,
  issuesOf,
}: {
  draft: Draft;
  set: Set;
  issuesOf: IssuesOf;
}) {
  const { t } = useI18n();
  const l = draftLifecycle(draft);
  const setField = <K extends keyof DraftLifecycle>(key: K, value: DraftLifecycle[K]) =>
    set(['lifecycle'], {
      ...l,
      ...(isRecord(draft['lifecycle']) ? draft['lifecycle'] : {}),
      [key]: value,
    });
  return (
    <Section title={t('policy.section.lifecycle')} testId="policy-lifecycle">
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item label={t('policy.lifecycle.promotion')} {...issuesOf('lifecycle.promotion')}>
            <Select
              value={l.promotion}
              onChange={(v: DraftLifecycle['promotion']) => setField('promotion', v)}
              options={(['immediate', 'review'] as const).map((v) => ({
                value: v,
                label: t(`policy.lifecycle.promotion.${v}`),
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item label={t('policy.lifecycle.maxStepUp')} {...issuesOf('lifecycle.maxStepUp')}>
            <NullableNumber
              value={l.maxStepUp}
              min={1}
              noneLabel={t('policy.lifecycle.noLimit')}
              onChange={(v) => setField('maxStepUp', v)}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item
            label={t('policy.lifecycle.maxStepDown')}
            {...issuesOf('lifecycle.maxStepDown')}
          >
            <InputNumber<number>
              min={1}
              precision={0}
              value={l.maxStepDown}
              style={{ width: '100%' }}
              onChange={(v) => setField('maxStepDown', v ?? 1)}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item label={t('policy.lifecycle.demotion')} {...issuesOf('lifecycle.demotion')}>
            <Select
              value={l.demotion}
              onChange={(v: DraftLifecycle['demotion']) => setField('demotion', v)}
              options={(['consecutive', 'automatic', 'review', 'never'] as const).map((v) => ({
                value: v,
                label: t(`policy.lifecycle.demotion.${v}`),
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item
            label={t('policy.lifecycle.demotionAfter')}
            {...issuesOf('lifecycle.demotionAfter')}
          >
            <InputNumber<number>
              min={1}
              precision={0}
              value={l.demotionAfter}
              disabled={l.demotion !== 'consecutive'}
              style={{ width: '100%' }}
              onChange={(v) => setField('demotionAfter', v ?? 1)}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={8} />
        <Col xs={12} md={8}>
          <Form.Item
            label={t('policy.lifecycle.probationAfter')}
            {...issuesOf('lifecycle.probationAfter')}
          >
            <NullableNumber
              value={l.probationAfter}
              min={1}
              noneLabel={t('policy.lifecycle.never')}
              onChange={(v) => setField('probationAfter', v)}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item
            label={t('policy.lifecycle.eliminationAfter')}
            {...issuesOf('lifecycle.eliminationAfter')}
          >
            <NullableNumber
              value={l.eliminationAfter}
              min={1}
              noneLabel={t('policy.lifecycle.never')}
              onChange={(v) => setField('eliminationAfter', v)}
            />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('policy.lifecycle.hint')}
      </Typography.Paragraph>
    </Section>
  );
}
