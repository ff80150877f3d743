import { PlusOutlined } from '@ant-design/icons';
import type {
  AlertCatalogue,
  AlertRulePreview,
  AlertRuleSummary,
  AlertSeverity,
} from '@tierline/contract';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Input,
  List,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useTenant } from '../api/queries';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import type { MessageKey } from '../i18n/messages';
import { PageHeading, QueryError } from '../layout/page';
import { useCan } from '../tiering/tier-api';
import {
  useAlertCatalogue,
  useAlertRule,
  useAlertRules,
  usePreviewRule,
  useSaveRule,
  useSetRuleEnabled,
} from './alert-api';
import { SeverityTag } from './alert-tags';
import {
  defaultPreviewRange,
  parseRuleText,
  ruleIssues,
  ruleText,
  type RuleIssue,
} from './rule-editor-model';
import { RuleForm } from './rule-form';
import { formDoc, RULE_KINDS } from './rule-form-model';

const timeFormat = 'YYYY-MM-DD HH:mm';

/** What the editor works on: a new rule, or a new version of an existing one. */
type Editing = { mode: 'new' } | { mode: 'version'; code: string };

/**
 * Alert rules (PRODUCT §5): the latest version of each with enable / disable, and for
 * alerts:configure an editor of a new version (JSON, checked by the server, issues by path)
 * with a preview of what it would have raised month by month on past data.
 */
export default function AlertRulesPage() {
  const { t } = useI18n();
  const can = useCan();
  const rules = useAlertRules();
  const toggle = useSetRuleEnabled();
  const [editing, setEditing] = useState<Editing | null>(null);
  const configure = can('alerts:configure');

  const columns: TableColumnsType<AlertRuleSummary> = [
    {
      title: t('alerts.rules.col.code'),
      dataIndex: 'code',
      key: 'code',
      width: 180,
      render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
    },
    { title: t('alerts.rules.col.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('alerts.rules.col.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 170,
      render: (kind: string) =>
        RULE_KINDS.includes(kind) ? t(`alerts.rules.kind.${kind}` as MessageKey) : kind,
    },
    {
      title: t('alerts.rules.col.severity'),
      dataIndex: 'severity',
      key: 'severity',
      width: 90,
      render: (severity: AlertSeverity) => <SeverityTag severity={severity} />,
    },
    {
      title: t('alerts.rules.col.version'),
      dataIndex: 'version',
      key: 'version',
      width: 70,
      render: (v: number) => `v${v}`,
    },
    {
      title: t('alerts.rules.col.open'),
      key: 'open',
      width: 100,
      align: 'right',
      render: (_: unknown, rule) => (
        <Link to={`/alerts?rule=${rule.code}`} className="tl-num">
          {rule.openAlerts}
        </Link>
      ),
    },
    {
      title: t('alerts.rules.col.updated'),
      key: 'updated',
      width: 170,
      render: (_: unknown, rule) => (
        <Flex vertical gap={0}>
          <span className="tl-num">{dayjs(rule.updatedAt).format(timeFormat)}</span>
          <Typography.Text type="secondary">{rule.updatedBy ?? '—'}</Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('alerts.rules.col.enabled'),
      key: 'enabled',
      width: 150,
      render: (_: unknown, rule) => (
        <Space>
          <Switch
            size="small"
            checked={rule.enabled}
            disabled={!configure}
            loading={toggle.isPending && toggle.variables.code === rule.code}
            data-testid={`rule-enabled-${rule.code}`}
            onChange={(enabled) => toggle.mutate({ code: rule.code, enabled })}
          />
          {configure ? (
            <Button
              size="small"
              type="link"
              onClick={() => setEditing({ mode: 'version', code: rule.code })}
            >
              {t('alerts.rules.edit')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="alert-rules-page">
      <PageHeading
        title={t('alerts.rules.title')}
        subtitle={t('alerts.rules.subtitle')}
        extra={
          configure ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              data-testid="rule-new"
              onClick={() => setEditing({ mode: 'new' })}
            >
              {t('alerts.rules.new')}
            </Button>
          ) : undefined
        }
      />
      {configure ? null : (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('alerts.rules.readOnly')}
        />
      )}
      {rules.error === null ? null : (
        <div style={{ marginBottom: 16 }}>
          <QueryError error={rules.error} onRetry={() => void rules.refetch()} />
        </div>
      )}
      {toggle.error === null ? null : (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={toggle.error.message} />
      )}
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Table<AlertRuleSummary>
          data-testid="rule-table"
          rowKey="code"
          size="middle"
          columns={columns}
          dataSource={rules.data?.items ?? []}
          loading={rules.isFetching}
          pagination={false}
          scroll={{ x: 1000 }}
        />
      </Card>
      {editing === null || !configure ? null : (
        <RuleEditor
          key={editing.mode === 'new' ? '(new)' : editing.code}
          editing={editing}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}

function RuleEditor({ editing, onClose }: { editing: Editing; onClose: () => void }) {
  const code = editing.mode === 'version' ? editing.code : undefined;
  const versions = useAlertRule(code);
  const catalogue = useAlertCatalogue();
  const latest = versions.data?.items[0]?.document;
  // The editor starts from the latest version, or a new rule from the first default rule: wait
  // for them (the form needs the catalogue's measures too).
  if ((code !== undefined && latest === undefined) || catalogue.data === undefined) {
    const error = versions.error ?? catalogue.error;
    if (error !== null) return <QueryError error={error} />;
    return <Card variant="borderless" loading />;
  }
  const initial = latest ?? catalogue.data?.defaults[0];
  return (
    <RuleEditorForm
      code={code}
      initial={initial === undefined ? '{}' : ruleText(initial)}
      templates={catalogue.data?.defaults ?? []}
      catalogue={catalogue.data}
      onClose={onClose}
    />
  );
}

function RuleEditorForm({
  code,
  initial,
  templates,
  catalogue,
  onClose,
}: {
  code: string | undefined;
  initial: string;
  templates: readonly { code: string; name: string }[];
  catalogue: AlertCatalogue | undefined;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const save = useSaveRule();
  const preview = usePreviewRule();
  const dataTo = useTenant().data?.dataRange?.to;
  const [text, setText] = useState(initial);
  const [note, setNote] = useState('');
  const [range, setRange] = useState<[string, string] | null>(() => defaultPreviewRange(dataTo));
  const parsed = parseRuleText(text);
  const doc = parsed.ok ? formDoc(parsed.document) : null;
  // The form edits what it can; any document can be edited as JSON.
  const [mode, setMode] = useState<'form' | 'json'>(() => {
    const first = parseRuleText(initial);
    return first.ok && formDoc(first.document) !== null ? 'form' : 'json';
  });
  const card = useRef<HTMLDivElement>(null);

  // The editor opens under the list: bring it into view.
  // (In braces: newer browsers return a promise from scrollIntoView, which React would take
  // for the effect's cleanup and call on unmount.)
  useEffect(() => {
    card.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, []);

  const failure = save.error ?? preview.error;
  const issues: RuleIssue[] = failure instanceof ApiError ? ruleIssues(failure.details) : [];

  function submit() {
    if (!parsed.ok) return;
    preview.reset();
    save.mutate(
      { ...(code === undefined ? {} : { code }), document: parsed.document, note },
      {
        onSuccess: (saved) => {
          void message.success(t('alerts.rules.editor.saved', { version: saved.version }));
          onClose();
        },
      },
    );
  }

  function runPreview() {
    const chosen = range ?? defaultPreviewRange(dataTo);
    if (!parsed.ok || chosen === null) return;
    save.reset();
    preview.mutate({ document: parsed.document, from: chosen[0], to: chosen[1], limit: 5 });
  }

  return (
    <Card
      ref={card}
      variant="borderless"
      data-testid="rule-editor"
      title={
        code === undefined
          ? t('alerts.rules.editor.new')
          : t('alerts.rules.editor.version', { code })
      }
      extra={<Button onClick={onClose}>×</Button>}
    >
      <Flex vertical gap={12}>
        {code === undefined ? (
          <Select<string>
            style={{ maxWidth: 360 }}
            placeholder={t('alerts.rules.editor.template')}
            options={templates.map((r) => ({ value: r.code, label: `${r.name} (${r.code})` }))}
            onChange={(value) => {
              const template = templates.find((r) => r.code === value);
              if (template !== undefined) setText(ruleText(template));
            }}
          />
        ) : null}
        <Segmented<'form' | 'json'>
          data-testid="rule-editor-mode"
          style={{ alignSelf: 'flex-start' }}
          value={mode}
          onChange={setMode}
          options={[
            { value: 'form', label: t('alerts.rules.editor.mode.form') },
            { value: 'json', label: t('alerts.rules.editor.mode.json') },
          ]}
        />
        {mode === 'form' && doc !== null ? (
          <RuleForm
            doc={doc}
            isNew={code === undefined}
            catalogue={catalogue}
            issues={issues}
            onChange={(next) => setText(ruleText(next))}
          />
        ) : null}
        {mode === 'form' && doc === null ? (
          <Alert type="warning" showIcon title={t('alerts.rules.editor.formUnavailable')} />
        ) : null}
        {mode === 'json' ? (
          <>
            <Typography.Text strong>{t('alerts.rules.editor.document')}</Typography.Text>
            <Input.TextArea
              data-testid="rule-json"
              rows={16}
              spellCheck={false}
              style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 13 }}
              value={text}
              status={parsed.ok ? undefined : 'error'}
              onChange={(e) => setText(e.target.value)}
            />
            {parsed.ok ? null : (
              <Typography.Text type="danger">
                {t('alerts.rules.editor.badJson', { message: parsed.message })}
              </Typography.Text>
            )}
          </>
        ) : null}
        {failure === null ? null : (
          <Alert
            type="error"
            showIcon
            data-testid="rule-issues"
            title={issues.length === 0 ? failure.message : t('alerts.rules.editor.issues')}
            description={
              issues.length === 0 ? undefined : (
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {issues.map((issue) => (
                    <li key={`${issue.path}:${issue.message}`}>
                      <Typography.Text code>{issue.path}</Typography.Text> {issue.message}
                    </li>
                  ))}
                </ul>
              )
            }
          />
        )}
        <Input
          placeholder={t('alerts.rules.editor.note')}
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <Flex gap={12} wrap align="center">
          <Button
            type="primary"
            data-testid="rule-save"
            disabled={!parsed.ok}
            loading={save.isPending}
            onClick={submit}
          >
            {t('alerts.rules.editor.save')}
          </Button>
          <Typography.Text type="secondary">{t('alerts.rules.preview.range')}</Typography.Text>
          <DatePicker.RangePicker
            picker="month"
            allowClear={false}
            value={range === null ? null : [dayjs(`${range[0]}-01`), dayjs(`${range[1]}-01`)]}
            onChange={(values) => {
              const [from, to] = values ?? [];
              if (from && to) setRange([from.format('YYYY-MM'), to.format('YYYY-MM')]);
            }}
          />
          <Button
            data-testid="rule-preview"
            disabled={!parsed.ok || (range ?? defaultPreviewRange(dataTo)) === null}
            loading={preview.isPending}
            onClick={runPreview}
          >
            {t('alerts.rules.preview.run')}
          </Button>
        </Flex>
        {preview.data === undefined ? null : <PreviewTable preview={preview.data} />}
      </Flex>
    </Card>
  );
}

function PreviewTable({ preview }: { preview: AlertRulePreview }) {
  const { t } = useI18n();
  const format = useFormat();
  return (
    <div data-testid="rule-preview-result">
      <Typography.Title level={5}>{t('alerts.rules.preview.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('alerts.rules.preview.summary', {
          evaluated: format.number(preview.dealersEvaluated),
          raised: format.number(preview.dealersRaised),
          ms: format.number(preview.elapsedMs),
        })}
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey="month"
        pagination={false}
        dataSource={preview.months}
        columns={[
          { title: t('alerts.rules.preview.month'), dataIndex: 'month', key: 'month', width: 100 },
          {
            title: t('alerts.rules.preview.raised'),
            key: 'raised',
            width: 120,
            align: 'right',
            render: (_: unknown, m) => <span className="tl-num">{format.number(m.raised)}</span>,
          },
          {
            title: t('alerts.rules.preview.examples'),
            key: 'examples',
            render: (_: unknown, m) => (
              <List
                size="small"
                split={false}
                dataSource={m.dealers}
                renderItem={(d) => (
                  <List.Item style={{ padding: '2px 0' }}>
                    <Space size={6}>
                      <SeverityTag severity={d.severity} />
                      <Link to={`/dealers/${d.id}`}>{d.name}</Link>
                      <Typography.Text type="secondary">{d.title}</Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            ),
          },
        ]}
      />
    </div>
  );
}
