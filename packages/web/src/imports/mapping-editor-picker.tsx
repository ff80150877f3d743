import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { ImportKind, ImportPreview } from '@tierline/contract';
import { App, Button, Popconfirm, Select, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/locale';
import { useCan } from '../tiering/tier-api';
import { useDeleteMapping, useKindFields, useSavedMappings, type ChosenFile } from './import-api';
import { MappingEditor, type EditorTarget } from './mapping-editor';

/**
 * The saved mapping an import reads with (none: columns matched by header), and for those who
 * may save mappings, buttons that create one, edit the selected one or delete it.
 */
export function MappingPicker({
  kind,
  value,
  onChange,
  preview,
  chosen,
}: {
  kind: ImportKind;
  value: string | undefined;
  onChange: (name: string | undefined) => void;
  /** The page's preview of the chosen file, for its header and the fields it lists. */
  preview: ImportPreview | undefined;
  chosen: ChosenFile | null;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const mappings = useSavedMappings();
  // Saving mappings needs what importing does; the server checks it anyway.
  const mayEdit = useCan()('ingest:write');
  const [editor, setEditor] = useState<{ target: EditorTarget; serial: number } | null>(null);
  const kindFields = useKindFields(kind);
  const remove = useDeleteMapping();

  const forKind = (mappings.data?.items ?? []).filter((m) => m.kind === kind);
  const selected = forKind.find((m) => m.name === value);
  const fields = preview?.kind === kind ? preview.fields : kindFields.data;
  // What the header alone matches, shown for the fields a new mapping leaves to it.
  const matched = new Map(
    value === undefined && preview?.kind === kind
      ? preview.fields.flatMap((f) =>
          f.source === 'column' && f.column !== null ? [[f.field, f.column] as const] : [],
        )
      : [],
  );
  const openEditor = (target: EditorTarget) =>
    setEditor((current) => ({ target, serial: (current?.serial ?? 0) + 1 }));

  return (
    <>
      <Space.Compact style={{ width: '100%' }}>
        <Select<string>
          data-testid="import-mapping"
          value={value ?? ''}
          onChange={(name) => onChange(name === '' ? undefined : name)}
          loading={mappings.isPending}
          style={{ flex: 1, minWidth: 0 }}
          options={[
            { value: '', label: t('imports.mapping.auto') },
            ...(forKind.length === 0
              ? []
              : [
                  {
                    label: t('imports.mapping.saved'),
                    options: forKind.map((m) => ({ value: m.name, label: m.name })),
                  },
                ]),
          ]}
        />
        {mayEdit ? (
          <>
            <Tooltip title={t('imports.mapping.edit')}>
              <Button
                icon={<EditOutlined />}
                aria-label={t('imports.mapping.edit')}
                disabled={selected === undefined || fields === undefined}
                onClick={() =>
                  selected === undefined ? undefined : openEditor({ mode: 'edit', saved: selected })
                }
                data-testid="import-mapping-edit"
              />
            </Tooltip>
            <Popconfirm
              title={t('imports.mapping.deleteConfirm', { name: value ?? '' })}
              disabled={selected === undefined}
              okButtonProps={{
                danger: true,
                'data-testid': 'import-mapping-delete-confirm',
              }}
              onConfirm={() => {
                const name = value;
                if (name === undefined) return;
                remove.mutate(name, {
                  onSuccess: () => {
                    void message.success(t('imports.mapping.deleted', { name }));
                    onChange(undefined);
                  },
                  onError: (error) =>
                    void message.error(`${t('imports.mapping.deleteFailed')}: ${error.message}`),
                });
              }}
            >
              <Tooltip title={t('imports.mapping.delete')}>
                <Button
                  icon={<DeleteOutlined />}
                  aria-label={t('imports.mapping.delete')}
                  disabled={selected === undefined}
                  loading={remove.isPending}
                  data-testid="import-mapping-delete"
                />
              </Tooltip>
            </Popconfirm>
            <Button
              icon={<PlusOutlined />}
              loading={fields === undefined && kindFields.isPending}
              disabled={fields === undefined}
              onClick={() => openEditor({ mode: 'new' })}
              data-testid="import-mapping-new"
            >
              {t('imports.mapping.new')}
            </Button>
          </>
        ) : null}
      </Space.Compact>
      {editor === null || fields === undefined ? null : (
        <MappingEditor
          key={editor.serial}
          target={editor.target}
          kind={kind}
          kindFields={fields}
          header={preview?.header ?? null}
          matched={matched}
          file={chosen}
          takenNames={(mappings.data?.items ?? []).map((m) => m.name)}
          onClose={() => setEditor(null)}
          onSaved={(name) => {
            setEditor(null);
            onChange(name);
          }}
        />
      )}
    </>
  );
}
