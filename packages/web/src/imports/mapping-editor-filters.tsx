import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Flex, Select, Typography } from 'antd';
import { useI18n } from '../i18n/locale';
import { ColumnInput } from './mapping-editor-inputs';
import { messagesAt, type FilterRow, type PathMessage } from './mapping-editor-model';

/** The mapping accepts at most this many conditions (contract ImportMapping.where). */
const MAX_CONDITIONS = 20;

/** The row filter: conditions on columns that every imported row meets. */
export function MappingFilters({
  rows,
  header,
  problems,
  onChange,
}: {
  rows: readonly FilterRow[];
  header: readonly string[] | null;
  problems: readonly PathMessage[];
  onChange: (rows: FilterRow[]) => void;
}) {
  const { t } = useI18n();
  const set = (i: number, part: Partial<FilterRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...part } : r)));
  return (
    <div data-testid="mapping-filters">
      {rows.map((row, i) => {
        const own = messagesAt(problems, `where.${i}`);
        return (
          <div key={i} style={{ marginBottom: 8 }} data-testid="mapping-filter">
            <Flex gap={8} align="center" wrap>
              <div style={{ width: 200 }}>
                <ColumnInput
                  value={row.column}
                  onChange={(column) => set(i, { column })}
                  header={header}
                  testId="mapping-filter-column"
                  status={
                    messagesAt(problems, `where.${i}.column`).length > 0 ? 'error' : undefined
                  }
                />
              </div>
              <Select<FilterRow['mode']>
                size="small"
                value={row.mode}
                onChange={(mode) => set(i, { mode })}
                options={[
                  { value: 'in', label: t('imports.editor.where.in') },
                  { value: 'notIn', label: t('imports.editor.where.notIn') },
                ]}
                style={{ width: 110 }}
                data-testid="mapping-filter-mode"
              />
              <Select<string[]>
                size="small"
                mode="tags"
                value={row.values}
                onChange={(values) => set(i, { values })}
                placeholder={t('imports.editor.where.values')}
                open={false}
                suffixIcon={null}
                style={{ flex: 1, minWidth: 200 }}
                data-testid="mapping-filter-values"
              />
              <Checkbox checked={row.empty} onChange={(e) => set(i, { empty: e.target.checked })}>
                {t('imports.editor.where.empty')}
              </Checkbox>
              <Button
                size="small"
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('imports.mapping.delete')}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              />
            </Flex>
            {own.map((m) => (
              <Typography.Text key={m} type="danger" style={{ display: 'block', fontSize: 12 }}>
                {m}
              </Typography.Text>
            ))}
          </div>
        );
      })}
      <Button
        size="small"
        icon={<PlusOutlined />}
        disabled={rows.length >= MAX_CONDITIONS}
        onClick={() => onChange([...rows, { column: '', mode: 'notIn', values: [], empty: false }])}
        data-testid="mapping-filter-add"
      >
        {t('imports.editor.whereAdd')}
      </Button>
    </div>
  );
}
