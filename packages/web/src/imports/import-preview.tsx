import type { ImportPreview } from '@tierline/contract';
import { Alert, Descriptions, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useI18n } from '../i18n/locale';
import { fieldNote } from './field-note';
import { reasonText } from './reason-text';

type PreviewField = ImportPreview['fields'][number];
type PreviewRow = ImportPreview['rows'][number];

function delimiterName(delimiter: string | null): string {
  if (delimiter === null) return '—';
  if (delimiter === '\t') return 'Tab';
  return delimiter;
}

/** How a field is filled: the file's column, a constant, a template, or nothing (a problem when required). */
function FieldSource({ field }: { field: PreviewField }) {
  const { t } = useI18n();
  if (field.source === 'column') {
    return (
      <span>
        {t('imports.field.column', { position: field.position ?? '?', column: field.column ?? '' })}
      </span>
    );
  }
  if (field.source === 'constant') {
    return <span>{t('imports.field.constant', { value: field.constant ?? '' })}</span>;
  }
  if (field.source === 'template') {
    return <span>{t('imports.field.template', { template: field.column ?? '' })}</span>;
  }
  return field.required ? (
    <Typography.Text type="danger">{t('imports.field.missing')}</Typography.Text>
  ) : (
    <Typography.Text type="secondary">{t('imports.field.none')}</Typography.Text>
  );
}

/**
 * The preview of a file: how the server read it (format, encoding, delimiter, sheet), which
 * column fills each field, and the first rows with the mapping applied, invalid cells marked
 * with their reason.
 */
export function ImportPreviewView({ preview }: { preview: ImportPreview }) {
  const { t, locale } = useI18n();
  const label = (field: PreviewField) => (locale === 'zh-CN' ? field.zh : field.field);
  const bad = preview.rows.reduce(
    (n, row) => n + row.cells.filter((c) => c.reason !== null).length,
    0,
  );

  const fieldColumns: TableColumnsType<PreviewField> = [
    {
      title: t('imports.issue.field'),
      key: 'field',
      width: 220,
      render: (_: unknown, field) => (
        <Space size={4} wrap>
          <span>{label(field)}</span>
          <Typography.Text type="secondary" className="tl-code">
            {locale === 'zh-CN' ? field.field : field.zh}
          </Typography.Text>
          {field.required ? <Tag color="orange">{t('imports.field.required')}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('imports.issue.column'),
      key: 'source',
      render: (_: unknown, field) => (
        <span data-testid="import-field-source" data-field={field.field}>
          <FieldSource field={field} />
        </span>
      ),
    },
  ];

  const rowColumns: TableColumnsType<PreviewRow> = [
    {
      title: t('imports.row'),
      dataIndex: 'row',
      key: 'row',
      width: 64,
      fixed: 'left',
      render: (row: number) => <span className="tl-num">{row}</span>,
    },
    ...preview.fields.map((field, index): TableColumnsType<PreviewRow>[number] => ({
      title: (
        <Tooltip title={fieldNote(field, locale)}>
          <span className={field.source === 'none' ? 'tl-import-unmatched' : undefined}>
            {label(field)}
          </span>
        </Tooltip>
      ),
      key: field.field,
      width: 140,
      onCell: (row) => ({
        className: row.cells[index]?.reason == null ? undefined : 'tl-import-bad-cell',
      }),
      render: (_: unknown, row) => {
        const cell = row.cells[index];
        if (cell === undefined) return null;
        if (cell.reason !== null) {
          return (
            <div data-testid="import-bad-cell">
              <div className="tl-code">{cell.raw ?? '—'}</div>
              <Typography.Text type="danger" className="tl-import-reason">
                {reasonText({ ...cell, reason: cell.reason }, t)}
              </Typography.Text>
            </div>
          );
        }
        if (cell.text === null) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <Tooltip title={cell.raw !== null && cell.raw !== cell.text ? cell.raw : undefined}>
            <span>{cell.text}</span>
          </Tooltip>
        );
      },
    })),
  ];

  return (
    <div data-testid="import-preview">
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 4 }}
        items={[
          {
            key: 'format',
            label: t('imports.preview.format'),
            children: (
              <span data-testid="import-preview-format">{preview.format.toUpperCase()}</span>
            ),
          },
          ...(preview.format === 'csv'
            ? [
                {
                  key: 'encoding',
                  label: t('imports.preview.encoding'),
                  children: (
                    <span className="tl-code" data-testid="import-preview-encoding">
                      {preview.encoding ?? '—'}
                    </span>
                  ),
                },
                {
                  key: 'delimiter',
                  label: t('imports.preview.delimiter'),
                  children: (
                    <span className="tl-code" data-testid="import-preview-delimiter">
                      {delimiterName(preview.delimiter)}
                    </span>
                  ),
                },
              ]
            : [
                {
                  key: 'sheet',
                  label: t('imports.preview.sheet'),
                  children: preview.sheet ?? '—',
                },
              ]),
          {
            key: 'header',
            label: t('imports.preview.header'),
            children:
              preview.header === null
                ? t('imports.preview.noHeader')
                : `${preview.header.length} ${t('imports.issue.column')}`,
          },
        ]}
      />
      {preview.problem === null ? null : (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          data-testid="import-preview-problem"
          title={t('imports.preview.problem')}
          description={reasonText(
            {
              reason: preview.problem,
              code: preview.problemCode,
              params: preview.problemParams,
            },
            t,
          )}
        />
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('imports.preview.fields')}
      </Typography.Title>
      <Table<PreviewField>
        data-testid="import-preview-fields"
        size="small"
        rowKey="field"
        columns={fieldColumns}
        dataSource={preview.fields}
        pagination={false}
      />
      <div className="tl-import-section-head" style={{ marginTop: 16 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('imports.preview.rows', { count: preview.rows.length })}
        </Typography.Title>
        {bad === 0 ? (
          <Tag color="green" data-testid="import-preview-verdict">
            {t('imports.preview.good')}
          </Tag>
        ) : (
          <Tag color="red" data-testid="import-preview-verdict">
            {t('imports.preview.bad', { count: bad })}
          </Tag>
        )}
      </div>
      <Table<PreviewRow>
        data-testid="import-preview-rows"
        size="small"
        rowKey="row"
        columns={rowColumns}
        dataSource={preview.rows}
        pagination={false}
        scroll={{ x: 64 + preview.fields.length * 140 }}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {preview.more ? `${t('imports.preview.more')} ` : ''}
        {t('imports.preview.note')}
      </Typography.Paragraph>
    </div>
  );
}
