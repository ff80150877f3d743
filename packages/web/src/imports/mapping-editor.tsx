import { EyeOutlined } from '@ant-design/icons';
import type { ImportKind, ImportPreview, SavedImportMapping } from '@tierline/contract';
import {
  Alert,
  App,
  Button,
  Col,
  Divider,
  Drawer,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Tooltip,
  Typography,
} from 'antd';
import { useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/locale';
import {
  usePreviewWithMapping,
  useSaveMapping,
  type ChosenFile,
  type KindField,
} from './import-api';
import { ImportPreviewView } from './import-preview';
import { MappingFieldsTable } from './mapping-editor-fields';
import { MappingFilters } from './mapping-editor-filters';
import { importErrorText } from './reason-text';
import {
  emptyForm,
  formOf,
  mappingOf,
  messagesAt,
  nameProblem,
  serverProblems,
  type Delimiter,
  type FieldRow,
  type FormProblem,
  type MappingForm,
  type PathMessage,
} from './mapping-editor-model';

const encodings = ['utf-8', 'gb18030', 'gbk', 'utf-16le', 'utf-16be'] as const;

/** What the editor opens: a new mapping of the page's kind, or a saved one. */
export type EditorTarget = { mode: 'new' } | { mode: 'edit'; saved: SavedImportMapping };

/**
 * A drawer that creates or edits a saved mapping: file settings, the source of every field
 * of the kind (with value maps, date formats, scales, fallbacks), a row filter and what to do
 * with repeated keys; it previews the chosen file with the unsaved mapping and shows the
 * server's objections by path. Mounted per opening, so its state starts from `target`.
 */
export function MappingEditor({
  target,
  kind,
  kindFields,
  header,
  matched,
  file,
  takenNames,
  onClose,
  onSaved,
}: {
  target: EditorTarget;
  kind: ImportKind;
  kindFields: readonly KindField[];
  /** The chosen file's header cells, offered as columns. */
  header: readonly string[] | null;
  matched: ReadonlyMap<string, string>;
  file: ChosenFile | null;
  /** Names of the saved mappings, which a new one must not take. */
  takenNames: readonly string[];
  onClose: () => void;
  onSaved: (name: string) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const names = kindFields.map((f) => f.field);
  const [name, setName] = useState(target.mode === 'edit' ? target.saved.name : '');
  const [form, setForm] = useState<MappingForm>(() =>
    target.mode === 'edit' ? formOf(target.saved.mapping, names) : emptyForm(kind, names),
  );
  // The form's own problems show once a save or preview was tried; the name's only on saving.
  const [tried, setTried] = useState<'save' | 'preview' | null>(null);
  // What the server refused, by path, or its message when it names no path.
  const [refused, setRefused] = useState<{
    action: 'save' | 'preview';
    problems: PathMessage[];
    message: string | null;
  } | null>(null);
  const save = useSaveMapping();
  const preview = usePreviewWithMapping();
  const [previewed, setPreviewed] = useState<ImportPreview | null>(null);
  const previewRef = useRef<HTMLDivElement>(null);
  const problemsRef = useRef<HTMLDivElement>(null);
  // The list of problems sits at the top of a long drawer: bring it into view.
  const showProblems = () =>
    setTimeout(
      () => problemsRef.current?.scrollIntoView({ behavior: 'smooth', block: 'nearest' }),
      50,
    );

  const { mapping, problems } = mappingOf(form);
  const own: FormProblem[] = [...problems];
  const badName = target.mode === 'new' ? nameProblem(name) : null;
  if (badName !== null) own.unshift(badName);
  else if (target.mode === 'new' && takenNames.includes(name.trim())) {
    own.unshift({ path: 'name', key: 'imports.editor.problem.nameTaken' });
  }
  const local = tried === 'save' ? own : tried === 'preview' ? problems : [];
  const shown: PathMessage[] = [
    ...local.map((p) => ({ path: p.path, message: t(p.key, p.vars) })),
    ...(refused?.problems ?? []),
  ];
  const failure = refused?.message ?? null;
  const columns = previewed?.header ?? header;

  function update(next: MappingForm) {
    setForm(next);
    // What the server said was about the mapping it was sent.
    setRefused(null);
  }
  const updateRow = (field: string, part: Partial<FieldRow>) =>
    update({
      ...form,
      fields: form.fields.map((r) => (r.field === field ? { ...r, ...part } : r)),
    });

  function fail(action: 'save' | 'preview', error: Error) {
    const byPath = error instanceof ApiError ? serverProblems(error.details, t) : [];
    setRefused({
      action,
      problems: byPath,
      message: byPath.length > 0 ? null : importErrorText(error, t),
    });
    showProblems();
  }

  function submit() {
    setTried('save');
    if (own.length > 0) {
      showProblems();
      return;
    }
    const saveName = name.trim();
    save.mutate(
      { name: saveName, mapping },
      {
        onSuccess: (saved) => {
          void message.success(t('imports.editor.saved', { name: saved.name }));
          onSaved(saved.name);
        },
        onError: (error) => fail('save', error),
      },
    );
  }

  function runPreview() {
    if (file === null) return;
    setTried((current) => current ?? 'preview');
    if (problems.length > 0) {
      showProblems();
      return;
    }
    preview.mutate(
      { file: file.file, mapping },
      {
        onSuccess: (answer) => {
          setPreviewed(answer);
          setRefused(null);
          setTimeout(() => previewRef.current?.scrollIntoView({ behavior: 'smooth' }), 50);
        },
        onError: (error) => {
          setPreviewed(null);
          fail('preview', error);
        },
      },
    );
  }

  const nameMessages = messagesAt(shown, 'name');
  const settingsAt = (path: string) => {
    const list = messagesAt(shown, path);
    return list.length === 0 ? {} : { validateStatus: 'error' as const, help: list.join('; ') };
  };

  return (
    <Drawer
      open
      onClose={onClose}
      size={1100}
      destroyOnHidden
      data-testid="mapping-editor"
      title={
        target.mode === 'new'
          ? t('imports.editor.titleNew', { kind: t(`imports.kind.${kind}`) })
          : t('imports.editor.titleEdit', { name: target.saved.name })
      }
      extra={
        <Space>
          <Tooltip title={file === null ? t('imports.editor.previewNeedsFile') : undefined}>
            <Button
              icon={<EyeOutlined />}
              disabled={file === null}
              loading={preview.isPending}
              onClick={runPreview}
              data-testid="mapping-editor-preview"
            >
              {t('imports.editor.preview')}
            </Button>
          </Tooltip>
          <Button onClick={onClose}>{t('app.cancel')}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            onClick={submit}
            data-testid="mapping-editor-save"
          >
            {t('imports.editor.save')}
          </Button>
        </Space>
      }
    >
      <Form layout="vertical" component={false}>
        <div ref={problemsRef} />
        {shown.length === 0 && failure === null ? null : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="mapping-editor-problems"
            title={t(
              refused?.action === 'preview'
                ? 'imports.editor.previewFailed'
                : refused?.action === 'save'
                  ? 'imports.editor.failed'
                  : 'imports.editor.problems',
            )}
            description={
              failure ?? (
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {shown.map((p, i) => (
                    <li key={i}>
                      {p.path === '' ? null : <span className="tl-code">{p.path}</span>}
                      {p.path === '' ? '' : '：'}
                      {p.message}
                    </li>
                  ))}
                </ul>
              )
            }
          />
        )}
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              label={t('imports.editor.name')}
              validateStatus={nameMessages.length > 0 ? 'error' : undefined}
              help={nameMessages.length > 0 ? nameMessages.join('; ') : undefined}
            >
              <Input
                value={name}
                disabled={target.mode === 'edit'}
                maxLength={60}
                placeholder={t('imports.editor.namePlaceholder')}
                onChange={(e) => {
                  setName(e.target.value);
                  setRefused(null);
                }}
                data-testid="mapping-editor-name"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item label={t('imports.editor.kind')}>
              <Input value={t(`imports.kind.${form.kind}`)} disabled />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item label={t('imports.header')} {...settingsAt('header')}>
              <Select<string>
                value={form.header ? 'yes' : 'no'}
                onChange={(v) => update({ ...form, header: v === 'yes' })}
                options={[
                  { value: 'yes', label: t('imports.header.yes') },
                  { value: 'no', label: t('imports.header.no') },
                ]}
                popupMatchSelectWidth={false}
                data-testid="mapping-editor-header"
              />
            </Form.Item>
          </Col>
          <Col xs={8} md={3}>
            <Form.Item label={t('imports.delimiter')} {...settingsAt('delimiter')}>
              <Select<string>
                value={form.delimiter}
                onChange={(v) => update({ ...form, delimiter: v as Delimiter | '' })}
                popupMatchSelectWidth={false}
                options={[
                  { value: '', label: t('imports.auto') },
                  { value: ',', label: t('imports.delimiter.comma') },
                  { value: '\t', label: t('imports.delimiter.tab') },
                  { value: '|', label: t('imports.delimiter.pipe') },
                  { value: ';', label: t('imports.delimiter.semicolon') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={8} md={3}>
            <Form.Item label={t('imports.encoding')} {...settingsAt('encoding')}>
              <Select<string>
                value={form.encoding}
                onChange={(encoding) => update({ ...form, encoding })}
                popupMatchSelectWidth={false}
                options={[
                  { value: '', label: t('imports.auto') },
                  ...encodings.map((e) => ({ value: e, label: e })),
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={8} md={2}>
            <Form.Item label={t('imports.editor.sheet')} {...settingsAt('sheet')}>
              <Input
                value={form.sheet}
                placeholder={t('imports.editor.sheetPlaceholder')}
                onChange={(e) => update({ ...form, sheet: e.target.value })}
              />
            </Form.Item>
          </Col>
        </Row>

        <Typography.Title level={5} style={{ marginTop: 8 }}>
          {t('imports.editor.fields')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {t('imports.editor.fieldsHint')}
        </Typography.Paragraph>
        <MappingFieldsTable
          rows={form.fields}
          kindFields={kindFields}
          header={columns}
          matched={matched}
          problems={shown}
          onChange={updateRow}
        />

        <Divider />
        <Typography.Title level={5}>{t('imports.editor.where')}</Typography.Title>
        <Typography.Paragraph type="secondary">
          {t('imports.editor.whereHint')}
        </Typography.Paragraph>
        <MappingFilters
          rows={form.where}
          header={columns}
          problems={shown}
          onChange={(where) => update({ ...form, where })}
        />

        <Divider />
        <Form.Item label={t('imports.editor.duplicates')} {...settingsAt('duplicates')}>
          <Radio.Group
            value={form.duplicates}
            onChange={(e) => update({ ...form, duplicates: e.target.value as 'reject' | 'last' })}
            data-testid="mapping-editor-duplicates"
          >
            <Radio value="reject">{t('imports.editor.duplicates.reject')}</Radio>
            <Radio value="last">{t('imports.editor.duplicates.last')}</Radio>
          </Radio.Group>
        </Form.Item>
      </Form>

      <div ref={previewRef}>
        {previewed === null ? null : (
          <>
            <Divider />
            <Typography.Title level={5}>{t('imports.editor.previewTitle')}</Typography.Title>
            <ImportPreviewView preview={previewed} />
          </>
        )}
      </div>
    </Drawer>
  );
}
