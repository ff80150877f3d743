import { Col, Form, Input, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/locale';
import { fieldNote } from './field-note';
import type { KindField } from './import-api';
import { ColumnInput, Problems, ValueMapEditor } from './mapping-editor-inputs';
import {
  hasExtras,
  messagesAt,
  type FieldRow,
  type PathMessage,
  type SourceKind,
} from './mapping-editor-model';

const sources: readonly SourceKind[] = ['auto', 'column', 'const', 'template'];

/** What a row uses beyond its source, as small tags. */
function ExtraTags({ row }: { row: FieldRow }) {
  const { t } = useI18n();
  const filled = row.values.filter((p) => p.from !== '' || p.to !== '').length;
  return (
    <Space size={[4, 4]} wrap>
      {row.source === 'column' && row.fallback.trim() !== '' ? (
        <Tag>{t('imports.editor.extras.fallback', { column: row.fallback.trim() })}</Tag>
      ) : null}
      {filled > 0 ? <Tag>{t('imports.editor.extras.values', { count: filled })}</Tag> : null}
      {row.dateFormat.trim() !== '' ? (
        <Tag>{t('imports.editor.extras.date', { format: row.dateFormat.trim() })}</Tag>
      ) : null}
      {row.scale.trim() !== '' ? (
        <Tag>{t('imports.editor.extras.scale', { scale: row.scale.trim() })}</Tag>
      ) : null}
    </Space>
  );
}

/**
 * The kind's fields, each with where its value comes from (matched by header, a column, a
 * constant, a template) and, unfolded, its fallback column, value map, date format and scale.
 */
export function MappingFieldsTable({
  rows,
  kindFields,
  header,
  matched,
  problems,
  onChange,
}: {
  rows: readonly FieldRow[];
  kindFields: readonly KindField[];
  header: readonly string[] | null;
  /** The column each field matched in the file's preview, for rows matched by header. */
  matched: ReadonlyMap<string, string>;
  problems: readonly PathMessage[];
  onChange: (field: string, row: Partial<FieldRow>) => void;
}) {
  const { t, locale } = useI18n();
  const [expanded, setExpanded] = useState<readonly string[]>(() =>
    rows.filter(hasExtras).map((r) => r.field),
  );
  const infoOf = (field: string) => kindFields.find((f) => f.field === field);

  const columns: TableColumnsType<FieldRow> = [
    {
      title: t('imports.editor.col.field'),
      key: 'field',
      width: 270,
      render: (_: unknown, row) => {
        const info = infoOf(row.field);
        return (
          <Space size={4} wrap>
            <Tooltip title={info === undefined ? undefined : fieldNote(info, locale)}>
              <span>
                {info === undefined ? row.field : locale === 'zh-CN' ? info.zh : info.field}
              </span>
            </Tooltip>
            <Typography.Text type="secondary" className="tl-code">
              {info === undefined ? '' : locale === 'zh-CN' ? info.field : info.zh}
            </Typography.Text>
            {info?.required ? <Tag color="orange">{t('imports.field.required')}</Tag> : null}
            {info === undefined ? null : <Tag>{t(`imports.type.${info.type}`)}</Tag>}
          </Space>
        );
      },
    },
    {
      title: t('imports.editor.col.source'),
      key: 'source',
      width: 130,
      render: (_: unknown, row) => (
        <Select<SourceKind>
          size="small"
          value={row.source}
          onChange={(source) => onChange(row.field, { source })}
          options={sources.map((s) => ({ value: s, label: t(`imports.editor.source.${s}`) }))}
          style={{ width: '100%' }}
          data-testid="mapping-source"
          data-field={row.field}
        />
      ),
    },
    {
      title: t('imports.editor.col.value'),
      key: 'value',
      render: (_: unknown, row) => {
        const at = (what: string) => messagesAt(problems, `fields.${row.field}.${what}`);
        switch (row.source) {
          case 'auto': {
            const column = matched.get(row.field);
            return (
              <Typography.Text type="secondary">
                {column === undefined
                  ? t('imports.editor.auto')
                  : t('imports.editor.autoMatched', { column })}
              </Typography.Text>
            );
          }
          case 'column':
            return (
              <>
                <ColumnInput
                  value={row.column}
                  onChange={(column) => onChange(row.field, { column })}
                  header={header}
                  testId={`mapping-column-${row.field}`}
                  status={at('column').length > 0 ? 'error' : undefined}
                />
                <Problems messages={at('column')} />
              </>
            );
          case 'const':
            return (
              <>
                <Input
                  size="small"
                  value={row.constant}
                  onChange={(e) => onChange(row.field, { constant: e.target.value })}
                  placeholder={t('imports.editor.constPlaceholder')}
                  data-testid={`mapping-const-${row.field}`}
                />
                <Problems messages={at('const')} />
              </>
            );
          case 'template':
            return (
              <>
                <Input
                  size="small"
                  value={row.template}
                  onChange={(e) => onChange(row.field, { template: e.target.value })}
                  placeholder={t('imports.editor.templatePlaceholder')}
                  status={at('template').length > 0 ? 'error' : undefined}
                  className="tl-code"
                  data-testid={`mapping-template-${row.field}`}
                />
                <Problems messages={at('template')} />
              </>
            );
        }
      },
    },
    {
      title: t('imports.editor.col.extras'),
      key: 'extras',
      width: 210,
      render: (_: unknown, row) => {
        const own = messagesAt(problems, `fields.${row.field}`);
        const elsewhere =
          own.length -
          ['column', 'const', 'template'].flatMap((w) =>
            messagesAt(problems, `fields.${row.field}.${w}`),
          ).length;
        return (
          <Space size={4} wrap>
            <ExtraTags row={row} />
            {elsewhere > 0 ? (
              <Tag color="red">{t('imports.editor.problemCount', { count: elsewhere })}</Tag>
            ) : null}
          </Space>
        );
      },
    },
  ];

  const type = (row: FieldRow) => infoOf(row.field)?.type;
  return (
    <Table<FieldRow>
      data-testid="mapping-fields"
      size="small"
      rowKey="field"
      columns={columns}
      dataSource={[...rows]}
      pagination={false}
      expandable={{
        expandedRowKeys: [...expanded],
        onExpand: (open, row) =>
          setExpanded((keys) =>
            open ? [...keys, row.field] : keys.filter((k) => k !== row.field),
          ),
        expandedRowRender: (row) => {
          const at = (what: string) => messagesAt(problems, `fields.${row.field}.${what}`);
          const numeric = ['int', 'decimal', 'money'].includes(type(row) ?? '');
          const dated = ['date', 'month'].includes(type(row) ?? '');
          return (
            <Row gutter={[24, 8]} data-testid="mapping-extras" data-field={row.field}>
              <Col xs={24} md={12}>
                <Form.Item
                  label={t('imports.editor.values')}
                  extra={t('imports.editor.valuesHint')}
                  validateStatus={at('values').length > 0 ? 'error' : undefined}
                  help={at('values').length > 0 ? at('values').join('; ') : undefined}
                  style={{ marginBottom: 0 }}
                >
                  <ValueMapEditor
                    field={row.field}
                    pairs={row.values}
                    onChange={(values) => onChange(row.field, { values })}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                {row.source === 'column' ? (
                  <Form.Item
                    label={t('imports.editor.fallback')}
                    extra={t('imports.editor.fallbackHint')}
                    validateStatus={at('fallback').length > 0 ? 'error' : undefined}
                    help={at('fallback').length > 0 ? at('fallback').join('; ') : undefined}
                    style={{ marginBottom: 8 }}
                  >
                    <ColumnInput
                      value={row.fallback}
                      onChange={(fallback) => onChange(row.field, { fallback })}
                      header={header}
                      testId={`mapping-fallback-${row.field}`}
                    />
                  </Form.Item>
                ) : null}
                {dated || row.dateFormat !== '' ? (
                  <Form.Item
                    label={t('imports.editor.dateFormat')}
                    extra={t('imports.editor.dateFormatHint')}
                    validateStatus={at('dateFormat').length > 0 ? 'error' : undefined}
                    help={at('dateFormat').length > 0 ? at('dateFormat').join('; ') : undefined}
                    style={{ marginBottom: 8 }}
                  >
                    <Input
                      size="small"
                      className="tl-code"
                      value={row.dateFormat}
                      placeholder="dd/MM/yyyy"
                      onChange={(e) => onChange(row.field, { dateFormat: e.target.value })}
                      data-testid={`mapping-date-format-${row.field}`}
                    />
                  </Form.Item>
                ) : null}
                {numeric || row.scale !== '' ? (
                  <Form.Item
                    label={t('imports.editor.scale')}
                    extra={t('imports.editor.scaleHint')}
                    validateStatus={at('scale').length > 0 ? 'error' : undefined}
                    help={at('scale').length > 0 ? at('scale').join('; ') : undefined}
                    style={{ marginBottom: 8 }}
                  >
                    <Input
                      size="small"
                      value={row.scale}
                      placeholder="10000"
                      onChange={(e) => onChange(row.field, { scale: e.target.value })}
                      data-testid={`mapping-scale-${row.field}`}
                      style={{ maxWidth: 160 }}
                    />
                  </Form.Item>
                ) : null}
              </Col>
            </Row>
          );
        },
      }}
    />
  );
}
