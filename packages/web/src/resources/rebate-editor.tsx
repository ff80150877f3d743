import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type {
  RebateBasis,
  RebateBracket,
  RebateMethod,
  RebatePeriodKind,
  RebateProgram,
  TierDefinition,
} from '@tierline/contract';
import {
  Alert,
  App,
  Badge,
  Button,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Switch,
  Table,
  Tabs,
  Typography,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { useTenant } from '../api/queries';
import { useI18n } from '../i18n/locale';
import { TierTag } from '../tiering/tier-tags';
import { useSaveRebateProgram } from './rebate-api';
import {
  bracketsToRows,
  issueKind,
  issueTarget,
  laddersOf,
  nextRow,
  rowsToBrackets,
  type LadderKey,
  type LadderRow,
  type RowField,
  type RowProblem,
} from './rebate-ladder';

const KINDS: readonly RebatePeriodKind[] = ['monthly', 'quarterly', 'half_year', 'annual'];
const CODE = /^[a-z][a-z0-9_-]{0,39}$/;

interface Draft {
  code: string;
  name: string;
  periodKind: RebatePeriodKind;
  basis: RebateBasis;
  method: RebateMethod | null;
  active: boolean;
  /** Rows per ladder ('default' or a tier code); null: the ladder is not set. */
  ladders: Record<LadderKey, LadderRow[] | null>;
}

type Problems = { program: string[]; ladders: Record<LadderKey, RowProblem[]> };

const NO_PROBLEMS: Problems = { program: [], ladders: {} };

function draftOf(
  program: RebateProgram | null,
  tiers: readonly TierDefinition[],
  minorUnits: number,
): Draft {
  const basis = program?.basis ?? 'sales';
  const ladders: Record<LadderKey, LadderRow[] | null> = { default: null };
  for (const tier of tiers) ladders[tier.code] = null;
  if (program === null) {
    ladders['default'] = [{ from: '0', to: '', rate: '' }];
  } else {
    if (program.ladders.default !== null) {
      ladders['default'] = bracketsToRows(program.ladders.default, basis, minorUnits);
    }
    for (const [tier, brackets] of Object.entries(program.ladders.tiers)) {
      ladders[tier] = bracketsToRows(brackets, basis, minorUnits);
    }
  }
  return {
    code: program?.code ?? '',
    name: program?.name ?? '',
    periodKind: program?.periodKind ?? 'quarterly',
    basis,
    method: program?.method ?? null,
    active: program?.active ?? true,
    ladders,
  };
}

/**
 * Creates or edits a rebate program: its terms, the method chosen explicitly (explained in one
 * line each), and a ladder per tier and a default one, as rows from / to / rate. The server
 * checks the ladders; each problem it names by path is shown on its ladder and row.
 */
export function RebateEditor({
  program,
  tiers,
  open,
  onClose,
}: {
  program: RebateProgram | null;
  tiers: readonly TierDefinition[];
  open: boolean;
  onClose: (saved: RebateProgram | null) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const minorUnits = useTenant().data?.currencyMinorUnits ?? 2;
  const save = useSaveRebateProgram();
  const [draft, setDraft] = useState<Draft>(() => draftOf(program, tiers, minorUnits));
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const [tab, setTab] = useState<LadderKey>('default');
  const locked = program !== null && program.settlements > 0;
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setRows = (key: LadderKey, rows: LadderRow[] | null) =>
    setDraft((d) => ({ ...d, ladders: { ...d.ladders, [key]: rows } }));

  function submit() {
    const local: Problems = { program: [], ladders: {} };
    const brackets: Record<LadderKey, RebateBracket[] | null> = {};
    for (const [key, rows] of Object.entries(draft.ladders)) {
      if (rows === null) {
        brackets[key] = null;
        continue;
      }
      const read = rowsToBrackets(rows, draft.basis, minorUnits, {
        notNumber: t('rebates.ladder.notNumber'),
        tooPrecise: t('rebates.ladder.tooPrecise'),
      });
      brackets[key] = read.brackets;
      if (read.problems.length > 0) local.ladders[key] = read.problems;
    }
    if (program === null && !CODE.test(draft.code))
      local.program.push(t('rebates.editor.codeHelp'));
    if (draft.method === null) local.program.push(t('rebates.editor.methodRequired'));
    setProblems(local);
    if (local.program.length > 0 || Object.keys(local.ladders).length > 0) return;
    const terms = {
      periodKind: draft.periodKind,
      basis: draft.basis,
      method: draft.method!,
      ladders: laddersOf(brackets),
    };
    const body =
      program === null
        ? { code: draft.code, name: draft.name.trim(), active: draft.active, ...terms }
        : { name: draft.name.trim(), active: draft.active, ...(locked ? {} : terms) };
    save.mutate(
      { id: program?.id ?? null, body },
      {
        onSuccess: (saved) => {
          void message.success(t('rebates.editor.saved'));
          onClose(saved);
        },
        onError: (error) =>
          setProblems(
            serverProblems(error, (issue, ladder, row) =>
              issueText(issue, draft.ladders[ladder] ?? [], row, draft.basis, t),
            ),
          ),
      },
    );
  }

  const keys = Object.keys(draft.ladders);
  const tierOf = (key: LadderKey) => tiers.find((tier) => tier.code === key);
  return (
    <Modal
      open={open}
      width={980}
      title={
        program === null
          ? t('rebates.editor.create')
          : t('rebates.editor.edit', { code: program.code })
      }
      okText={t('app.save')}
      cancelText={t('app.cancel')}
      onOk={submit}
      onCancel={() => onClose(null)}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'rebate-editor-save' }}
      destroyOnHidden
    >
      <div data-testid="rebate-editor">
        {locked ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('rebates.editor.locked', { count: program.settlements })}
          />
        ) : null}
        {problems.program.length > 0 ? (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="rebate-editor-error"
            title={t('rebates.editor.failed')}
            description={problems.program.map((p) => (
              <div key={p}>{p}</div>
            ))}
          />
        ) : null}
        <Form layout="vertical">
          <Flex gap={16} wrap>
            <Form.Item
              label={t('rebates.editor.code')}
              help={t('rebates.editor.codeHelp')}
              style={{ width: 260 }}
            >
              <Input
                data-testid="rebate-code"
                value={draft.code}
                disabled={program !== null}
                onChange={(e) => set({ code: e.target.value.trim() })}
                placeholder="q-ladder-2026"
              />
            </Form.Item>
            <Form.Item label={t('rebates.editor.name')} style={{ flex: 1, minWidth: 240 }}>
              <Input
                data-testid="rebate-name"
                value={draft.name}
                maxLength={100}
                onChange={(e) => set({ name: e.target.value })}
              />
            </Form.Item>
            <Form.Item label={t('rebates.editor.active')}>
              <Switch checked={draft.active} onChange={(active) => set({ active })} />
            </Form.Item>
          </Flex>
          <Flex gap={16} wrap>
            <Form.Item label={t('rebates.editor.periodKind')} style={{ width: 200 }}>
              <Select<RebatePeriodKind>
                data-testid="rebate-period-kind"
                value={draft.periodKind}
                disabled={locked}
                onChange={(periodKind) => set({ periodKind })}
                options={KINDS.map((k) => ({ value: k, label: t(`rebates.kind.${k}`) }))}
              />
            </Form.Item>
            <Form.Item
              label={t('rebates.editor.basis')}
              help={t(`rebates.editor.basis.${draft.basis}Hint`)}
              style={{ flex: 1, minWidth: 300 }}
            >
              <Radio.Group
                data-testid="rebate-basis"
                value={draft.basis}
                disabled={locked}
                onChange={(e) => set({ basis: e.target.value as RebateBasis })}
                options={(['sales', 'growth'] as const).map((b) => ({
                  value: b,
                  label: t(`rebates.basis.${b}`),
                }))}
              />
            </Form.Item>
          </Flex>
          <Form.Item label={t('rebates.editor.method')} required>
            <Radio.Group
              data-testid="rebate-method-choice"
              value={draft.method}
              disabled={locked}
              onChange={(e) => set({ method: e.target.value as RebateMethod })}
            >
              <Flex vertical gap={8}>
                {(['retroactive', 'marginal'] as const).map((m) => (
                  <Radio key={m} value={m} data-testid={`rebate-method-${m}`}>
                    <Typography.Text strong>{t(`rebates.method.${m}`)}</Typography.Text>{' '}
                    <Typography.Text type="secondary">
                      {t(`rebates.method.${m}.hint`)}
                    </Typography.Text>
                  </Radio>
                ))}
              </Flex>
            </Radio.Group>
          </Form.Item>
        </Form>
        <Typography.Title level={5}>{t('rebates.editor.ladders')}</Typography.Title>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={keys.map((key) => {
            const count = problems.ladders[key]?.length ?? 0;
            const tier = tierOf(key);
            return {
              key,
              label: (
                <Badge count={count} size="small" offset={[6, -2]}>
                  <span data-testid={`rebate-ladder-tab-${key}`}>
                    {key === 'default' ? (
                      t('rebates.ladder.default')
                    ) : tier !== undefined ? (
                      <TierTag tiers={tiers} code={key} />
                    ) : (
                      key
                    )}
                    {draft.ladders[key] === null ? (
                      <Typography.Text type="secondary">
                        {' '}
                        · {t('rebates.ladder.none')}
                      </Typography.Text>
                    ) : null}
                  </span>
                </Badge>
              ),
              children: (
                <LadderEditor
                  ladderKey={key}
                  tierName={tier?.name ?? key}
                  rows={draft.ladders[key] ?? null}
                  basis={draft.basis}
                  disabled={locked}
                  problems={problems.ladders[key] ?? []}
                  onChange={(rows) => setRows(key, rows)}
                />
              ),
            };
          })}
        />
      </div>
    </Modal>
  );
}

/** The server's refusal as problems on the program, its ladders and their rows. */
function serverProblems(
  error: Error,
  say: (issue: { path: string; message: string }, ladder: LadderKey, row: number | null) => string,
): Problems {
  const out: Problems = { program: [], ladders: {} };
  const issues =
    error instanceof ApiError &&
    typeof error.details === 'object' &&
    error.details !== null &&
    'issues' in error.details &&
    Array.isArray(error.details.issues)
      ? (error.details.issues as { path: string; message: string }[])
      : [];
  if (issues.length === 0) {
    out.program.push(error.message);
    return out;
  }
  for (const issue of issues) {
    const target = issueTarget(issue.path);
    if (target.ladder === null) {
      out.program.push(`${issue.path}: ${issue.message}`);
      continue;
    }
    (out.ladders[target.ladder] ??= []).push({
      row: target.row,
      field: target.field,
      message: say(issue, target.ladder, target.row),
    });
  }
  return out;
}

/** A ladder issue in the UI's language, with the bounds as the person typed them. */
function issueText(
  issue: { message: string },
  rows: readonly LadderRow[],
  row: number | null,
  basis: RebateBasis,
  t: ReturnType<typeof useI18n>['t'],
): string {
  const here = row === null ? undefined : rows[row];
  const before = row === null ? undefined : rows[row - 1];
  const bound = (text: string | undefined) =>
    text === undefined || text.trim() === '' ? t('rebates.ladder.open') : text;
  const kind = issueKind(issue.message);
  switch (kind) {
    case 'empty':
    case 'toNotAbove':
    case 'lastOpen':
    case 'rate':
      return t(`rebates.issue.${kind}`);
    case 'bound':
      return t(basis === 'sales' ? 'rebates.issue.bound.sales' : 'rebates.issue.bound.growth');
    case 'order':
      return t('rebates.issue.order', { from: bound(here?.from), previous: bound(before?.from) });
    case 'overlap':
    case 'gap':
      return t(`rebates.issue.${kind}`, { from: bound(here?.from), previous: bound(before?.to) });
    case 'other':
      return issue.message;
  }
}

function LadderEditor({
  ladderKey,
  tierName,
  rows,
  basis,
  disabled,
  problems,
  onChange,
}: {
  ladderKey: LadderKey;
  tierName: string;
  rows: LadderRow[] | null;
  basis: RebateBasis;
  disabled: boolean;
  problems: readonly RowProblem[];
  onChange: (rows: LadderRow[] | null) => void;
}) {
  const { t } = useI18n();
  const unit = basis === 'sales' ? t('rebates.ladder.unitYuan') : t('rebates.ladder.unitGrowth');
  const whole = problems.filter((p) => p.row === null);
  const problemAt = (row: number, field: RowField) =>
    problems.filter(
      (p) => p.row === row && (p.field === field || (p.field === null && field === 'from')),
    );

  const cell = (
    row: number,
    field: RowField,
    input: (status: 'error' | undefined) => ReactNode,
  ) => {
    const found = problemAt(row, field);
    return (
      <Flex vertical gap={2}>
        {input(found.length > 0 ? 'error' : undefined)}
        {found.map((p) => (
          <Typography.Text
            key={p.message}
            type="danger"
            style={{ fontSize: 12 }}
            data-testid="rebate-row-error"
          >
            {p.message}
          </Typography.Text>
        ))}
      </Flex>
    );
  };
  const update = (i: number, patch: Partial<LadderRow>) =>
    onChange((rows ?? []).map((r, k) => (k === i ? { ...r, ...patch } : r)));

  return (
    <div data-testid={`rebate-ladder-${ladderKey}`}>
      <Flex gap={12} align="center" style={{ marginBottom: 12 }}>
        <Switch
          checked={rows !== null}
          disabled={disabled}
          data-testid={`rebate-ladder-use-${ladderKey}`}
          onChange={(on) =>
            onChange(on ? [{ from: basis === 'sales' ? '0' : '-100', to: '', rate: '' }] : null)
          }
        />
        <Typography.Text type="secondary">
          {ladderKey === 'default'
            ? t('rebates.ladder.defaultHint')
            : t('rebates.ladder.tierHint', { tier: tierName })}
        </Typography.Text>
      </Flex>
      {whole.length > 0 ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={whole.map((p) => p.message).join(' ')}
        />
      ) : null}
      {rows === null ? null : (
        <>
          <Table<LadderRow & { index: number }>
            size="small"
            pagination={false}
            rowKey="index"
            dataSource={rows.map((r, index) => ({ ...r, index }))}
            columns={[
              {
                title: `${t('rebates.ladder.from')} (${unit})`,
                key: 'from',
                render: (_: unknown, r) =>
                  cell(r.index, 'from', (status) => (
                    <Input
                      status={status}
                      value={r.from}
                      disabled={disabled}
                      data-testid="rebate-row-from"
                      onChange={(e) => update(r.index, { from: e.target.value })}
                    />
                  )),
              },
              {
                title: `${t('rebates.ladder.to')} (${unit})`,
                key: 'to',
                render: (_: unknown, r) =>
                  cell(r.index, 'to', (status) => (
                    <Input
                      status={status}
                      value={r.to}
                      placeholder={t('rebates.ladder.open')}
                      disabled={disabled}
                      data-testid="rebate-row-to"
                      onChange={(e) => update(r.index, { to: e.target.value })}
                    />
                  )),
              },
              {
                title: t('rebates.ladder.rate'),
                key: 'rate',
                width: 160,
                render: (_: unknown, r) =>
                  cell(r.index, 'rate', (status) => (
                    <Input
                      status={status}
                      value={r.rate}
                      suffix="%"
                      disabled={disabled}
                      data-testid="rebate-row-rate"
                      onChange={(e) => update(r.index, { rate: e.target.value })}
                    />
                  )),
              },
              {
                title: '',
                key: 'remove',
                width: 56,
                render: (_: unknown, r) => (
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    disabled={disabled || rows.length <= 1}
                    aria-label={t('rebates.ladder.remove')}
                    onClick={() => onChange(rows.filter((_row, k) => k !== r.index))}
                  />
                ),
              },
            ]}
          />
          <Button
            style={{ marginTop: 8 }}
            icon={<PlusOutlined />}
            disabled={disabled}
            data-testid={`rebate-row-add-${ladderKey}`}
            onClick={() => onChange([...rows, nextRow(rows)])}
          >
            {t('rebates.ladder.add')}
          </Button>
        </>
      )}
    </div>
  );
}
