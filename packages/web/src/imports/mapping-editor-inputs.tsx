import { DeleteOutlined, PlusOutlined, SnippetsOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Flex, Input, Popover, Space, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/locale';
import { mergePairs, parseValuePairs, type ValuePair } from './mapping-editor-model';

// Inputs of the mapping editor: a column (a header cell to pick or a name or #N to type), the
// messages of a place in the form, and a value map.

/** The header cells as column choices: the cell's text, or `#N` for a cell without one. */
export function columnOptions(header: readonly string[] | null) {
  return (header ?? []).map((cell, i) => ({
    value: cell === '' ? `#${i + 1}` : cell,
    label: `#${i + 1} · ${cell === '' ? '—' : cell}`,
  }));
}

const byText = (input: string, option?: { label?: unknown; value?: unknown }) => {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return `${text(option?.label)} ${text(option?.value)}`
    .toLowerCase()
    .includes(input.trim().toLowerCase());
};

/** A column as text: a header cell to choose, or any header name or `#N` to type. */
export function ColumnInput({
  value,
  onChange,
  header,
  testId,
  status,
  placeholder,
}: {
  value: string;
  onChange: (value: string) => void;
  header: readonly string[] | null;
  testId?: string;
  status?: 'error' | undefined;
  placeholder?: string;
}) {
  const { t } = useI18n();
  return (
    <AutoComplete
      data-testid={testId}
      value={value}
      onChange={(v: string) => onChange(v)}
      options={columnOptions(header)}
      showSearch={{ filterOption: (input, option) => byText(input, option) }}
      placeholder={placeholder ?? t('imports.editor.columnPlaceholder')}
      status={status}
      size="small"
      style={{ width: '100%' }}
      popupMatchSelectWidth={false}
    />
  );
}

export function Problems({ messages }: { messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <div>
      {messages.map((m) => (
        <Typography.Text key={m} type="danger" style={{ display: 'block', fontSize: 12 }}>
          {m}
        </Typography.Text>
      ))}
    </div>
  );
}

/** A value map as editable pairs, with a box to paste many at once. */
export function ValueMapEditor({
  pairs,
  onChange,
  field,
}: {
  pairs: readonly ValuePair[];
  onChange: (pairs: ValuePair[]) => void;
  field: string;
}) {
  const { t } = useI18n();
  const [pasted, setPasted] = useState('');
  const [pasteOpen, setPasteOpen] = useState(false);
  const parsed = parseValuePairs(pasted);
  const set = (i: number, part: Partial<ValuePair>) =>
    onChange(pairs.map((p, j) => (j === i ? { ...p, ...part } : p)));
  return (
    <div data-testid="mapping-values" data-field={field}>
      {pairs.map((pair, i) => (
        <Flex key={i} gap={8} align="center" style={{ marginBottom: 6 }}>
          <Input
            size="small"
            value={pair.from}
            placeholder={t('imports.editor.valueFrom')}
            onChange={(e) => set(i, { from: e.target.value })}
            data-testid="mapping-value-from"
          />
          <span>→</span>
          <Input
            size="small"
            value={pair.to}
            placeholder={t('imports.editor.valueTo')}
            onChange={(e) => set(i, { to: e.target.value })}
            data-testid="mapping-value-to"
          />
          <Button
            size="small"
            type="text"
            icon={<DeleteOutlined />}
            aria-label={t('imports.mapping.delete')}
            onClick={() => onChange(pairs.filter((_, j) => j !== i))}
          />
        </Flex>
      ))}
      <Space size={8}>
        <Button
          size="small"
          icon={<PlusOutlined />}
          onClick={() => onChange([...pairs, { from: '', to: '' }])}
          data-testid="mapping-value-add"
        >
          {t('imports.editor.valueAdd')}
        </Button>
        <Popover
          trigger="click"
          open={pasteOpen}
          onOpenChange={setPasteOpen}
          title={t('imports.editor.valuePasteHint')}
          content={
            <div style={{ width: 320 }}>
              <Input.TextArea
                rows={6}
                value={pasted}
                onChange={(e) => setPasted(e.target.value)}
                placeholder={'合作中\tactive\n暂停 = suspended'}
              />
              {parsed.bad.length === 0 ? null : (
                <Typography.Text type="warning" style={{ fontSize: 12 }}>
                  {t('imports.editor.valuePasteBad', { lines: parsed.bad.join(', ') })}
                </Typography.Text>
              )}
              <Flex justify="end" style={{ marginTop: 8 }}>
                <Button
                  size="small"
                  type="primary"
                  disabled={parsed.pairs.length === 0}
                  onClick={() => {
                    onChange(mergePairs(pairs, parsed.pairs));
                    setPasted('');
                    setPasteOpen(false);
                  }}
                >
                  {t('imports.editor.valuePasteApply', { count: parsed.pairs.length })}
                </Button>
              </Flex>
            </div>
          }
        >
          <Button size="small" icon={<SnippetsOutlined />}>
            {t('imports.editor.valuePaste')}
          </Button>
        </Popover>
      </Space>
    </div>
  );
}
