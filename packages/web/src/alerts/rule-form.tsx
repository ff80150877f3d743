import type { AlertCatalogue } from '@tierline/contract';
import { Col, Form, Input, InputNumber, Row, Select, Switch, Typography } from 'antd';
import { useI18n } from '../i18n/locale';
import type { MessageKey } from '../i18n/messages';
import { paramText } from './rule-form-messages';
import {
  changeKind,
  isMoneyField,
  RULE_KINDS,
  setField,
  setParam,
  toMinor,
  toYuan,
  visibleFields,
  type ParamField,
  type RuleDoc,
} from './rule-form-model';
import type { RuleIssue } from './rule-editor-model';

/**
 * A rule document as a form: code (new rules only), name, description, kind, severity, enabled,
 * and the kind's parameters with their ranges from the contract. Every change goes back to the
 * caller as a whole document (the JSON text stays the source of truth); the server's issues
 * show on the field of their path.
 */
export function RuleForm({
  doc,
  isNew,
  catalogue,
  issues,
  onChange,
}: {
  doc: RuleDoc;
  isNew: boolean;
  catalogue: AlertCatalogue | undefined;
  issues: readonly RuleIssue[];
  onChange: (doc: RuleDoc) => void;
}) {
  const { t, locale } = useI18n();
  const kind = String(doc['kind']);
  const params = doc.params ?? {};
  const issueAt = (path: string) => issues.find((i) => i.path === path)?.message;
  const status = (path: string) => (issueAt(path) === undefined ? undefined : ('error' as const));
  const unitOf = (key: string) => catalogue?.measures.find((m) => m.key === key)?.unit;
  const text = (key: string, value: unknown) => (typeof value === 'string' ? value : '');

  return (
    <Form layout="vertical" data-testid="rule-form" component="div">
      <Row gutter={16}>
        {isNew ? (
          <Col xs={24} md={8}>
            <Form.Item
              label={t('alerts.rules.form.code')}
              validateStatus={status('code')}
              help={issueAt('code') ?? t('alerts.rules.form.codeHelp')}
            >
              <Input
                data-testid="rule-form-code"
                value={text('code', doc['code'])}
                onChange={(e) => onChange(setField(doc, 'code', e.target.value))}
              />
            </Form.Item>
          </Col>
        ) : null}
        <Col xs={24} md={isNew ? 16 : 24}>
          <Form.Item
            label={t('alerts.rules.form.name')}
            validateStatus={status('name')}
            help={issueAt('name')}
          >
            <Input
              data-testid="rule-form-name"
              maxLength={80}
              value={text('name', doc['name'])}
              onChange={(e) => onChange(setField(doc, 'name', e.target.value))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={t('alerts.rules.form.description')} help={issueAt('description')}>
        <Input.TextArea
          rows={2}
          maxLength={500}
          value={text('description', doc['description'])}
          onChange={(e) =>
            onChange(
              setField(doc, 'description', e.target.value === '' ? undefined : e.target.value),
            )
          }
        />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={10}>
          <Form.Item label={t('alerts.rules.form.kind')} validateStatus={status('kind')}>
            <Select<string>
              data-testid="rule-form-kind"
              value={kind}
              options={RULE_KINDS.map((k) => ({
                value: k,
                label: t(`alerts.rules.kind.${k}` as MessageKey),
              }))}
              onChange={(value) => onChange(changeKind(doc, value, catalogue?.defaults ?? []))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item label={t('alerts.rules.form.severity')} validateStatus={status('severity')}>
            <Select<string>
              data-testid="rule-form-severity"
              value={text('severity', doc['severity']) || undefined}
              options={(['info', 'warning', 'critical'] as const).map((s) => ({
                value: s,
                label: t(`alerts.severity.${s}`),
              }))}
              onChange={(value) => onChange(setField(doc, 'severity', value))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item label={t('alerts.rules.form.enabled')}>
            <Switch
              checked={doc['enabled'] !== false}
              onChange={(checked) => onChange(setField(doc, 'enabled', checked))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Text strong>{t('alerts.rules.form.params')}</Typography.Text>
      <Row gutter={16} style={{ marginTop: 8 }}>
        {visibleFields(kind, params).map((field) => {
          const path = `params.${field.key}`;
          const { label, help } = paramText(locale, kind, field.key, field.description);
          return (
            <Col xs={24} md={12} lg={8} key={field.key}>
              <Form.Item
                label={label}
                validateStatus={status(path)}
                help={issueAt(path) ?? help}
                required={!field.optional}
              >
                <ParamInput
                  field={field}
                  kind={kind}
                  value={params[field.key]}
                  money={isMoneyField(field, params, unitOf)}
                  catalogue={catalogue}
                  onChange={(value) => onChange(setParam(doc, field.key, value))}
                />
              </Form.Item>
            </Col>
          );
        })}
      </Row>
    </Form>
  );
}

function ParamInput({
  field,
  kind,
  value,
  money,
  catalogue,
  onChange,
}: {
  field: ParamField;
  kind: string;
  value: unknown;
  money: boolean;
  catalogue: AlertCatalogue | undefined;
  onChange: (value: unknown) => void;
}) {
  const { t, locale } = useI18n();
  const testId = `rule-param-${field.key}`;
  switch (field.type) {
    case 'boolean':
      return (
        <Switch
          data-testid={testId}
          checked={value === true || (value === undefined && field.defaultValue === true)}
          onChange={(checked) => onChange(checked)}
        />
      );
    case 'enum':
      return (
        <Select<string>
          data-testid={testId}
          value={typeof value === 'string' ? value : undefined}
          placeholder={t('alerts.rules.form.unset')}
          options={(field.options ?? []).map((o) => ({
            value: o,
            label: field.key === 'op' ? o : paramText(locale, kind, `${field.key}.${o}`).label,
          }))}
          onChange={(v) => onChange(v)}
        />
      );
    case 'measure': {
      // Decline and anomaly rules read flows (sums over the month); thresholds any measure.
      const flowsOnly = kind === 'decline' || kind === 'anomaly';
      const measures = (catalogue?.measures ?? []).filter((m) => !flowsOnly || m.flow);
      return (
        <Select<string>
          data-testid={testId}
          showSearch
          optionFilterProp="label"
          value={typeof value === 'string' ? value : undefined}
          placeholder={
            typeof field.defaultValue === 'string'
              ? field.defaultValue
              : t('alerts.rules.form.unset')
          }
          options={measures.map((m) => ({
            value: m.key,
            label: `${locale === 'zh-CN' ? m.name.zh : m.name.en} (${m.key})`,
          }))}
          onChange={(v) => onChange(v)}
        />
      );
    }
    default: {
      const shown = typeof value === 'number' ? (money ? toYuan(value) : value) : null;
      const scale = (n: number) => (money ? n / 100 : n);
      return (
        <InputNumber<number>
          data-testid={testId}
          style={{ width: '100%' }}
          value={shown}
          {...(field.min === undefined ? {} : { min: scale(field.min) })}
          {...(field.max === undefined ? {} : { max: scale(field.max) })}
          precision={field.type === 'integer' && !money ? 0 : undefined}
          placeholder={
            typeof field.defaultValue === 'number'
              ? String(money ? toYuan(field.defaultValue) : field.defaultValue)
              : t('alerts.rules.form.unset')
          }
          addonAfter={money ? t('alerts.rules.form.yuan') : undefined}
          onChange={(n) => onChange(n === null ? undefined : money ? toMinor(n) : n)}
        />
      );
    }
  }
}
