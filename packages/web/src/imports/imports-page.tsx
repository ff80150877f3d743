import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import type { ImportKind } from '@tierline/contract';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Row,
  Select,
  Skeleton,
  Space,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import type { UploadFile } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/locale';
import { PageHeading } from '../layout/page';
import { BatchHistory } from './batch-history';
import {
  importKinds,
  noFileOptions,
  templateUrl,
  usePreview,
  useRunImport,
  type ChosenFile,
  type FileOptions,
} from './import-api';
import { ImportPreviewView } from './import-preview';
import { ImportResultView } from './import-report';
import { importErrorText } from './reason-text';
import { MappingPicker } from './mapping-editor-picker';

const encodings = ['utf-8', 'gb18030', 'utf-16le', 'utf-16be'] as const;

/** Why a preview or an import failed, in the console's language; the English on hover. */
function ErrorText({ error }: { error: Error }) {
  const { t } = useI18n();
  const text = importErrorText(error, t);
  return text === error.message ? (
    <span data-testid="import-error-text">{text}</span>
  ) : (
    <Tooltip title={error.message}>
      <span data-testid="import-error-text">{text}</span>
    </Tooltip>
  );
}

/**
 * Data imports (PRODUCT §1): choose the kind and a saved mapping, upload a CSV or XLSX file,
 * see how it reads and its first rows, run a dry run and read its report, then import; below,
 * the history of batches with their issues.
 */
export default function ImportsPage() {
  const { t } = useI18n();
  const [kind, setKind] = useState<ImportKind>('dealers');
  const [options, setOptions] = useState<FileOptions>(noFileOptions);
  const [chosen, setChosen] = useState<ChosenFile | null>(null);
  const [acceptValid, setAcceptValid] = useState(false);
  const [lastDryRun, setLastDryRun] = useState(false);
  const preview = usePreview(kind, chosen, options);
  const run = useRunImport();
  const fileList: UploadFile[] =
    chosen === null ? [] : [{ uid: String(chosen.serial), name: chosen.file.name, status: 'done' }];

  function change(next: { kind?: ImportKind; options?: FileOptions; chosen?: ChosenFile | null }) {
    // A result belongs to the file and settings it was made with.
    run.reset();
    if (next.kind !== undefined) {
      setKind(next.kind);
      // A saved mapping is for one kind.
      setOptions((current) => ({ ...current, mapping: undefined }));
    }
    if (next.options !== undefined) setOptions(next.options);
    if (next.chosen !== undefined) setChosen(next.chosen);
  }

  function start(dryRun: boolean) {
    if (chosen === null) return;
    setLastDryRun(dryRun);
    run.mutate({ kind, file: chosen.file, options, dryRun, acceptValid });
  }

  const option = <K extends keyof FileOptions>(key: K, value: FileOptions[K]) =>
    change({ options: { ...options, [key]: value } });

  return (
    <div data-testid="imports-page">
      <PageHeading title={t('imports.title')} subtitle={t('imports.subtitle')} />
      <Card variant="borderless" title={t('imports.file.title')}>
        <Row gutter={[24, 16]}>
          <Col xs={24} lg={10}>
            <Form layout="vertical">
              <Form.Item label={t('imports.kind')} style={{ marginBottom: 12 }}>
                <Space.Compact style={{ width: '100%' }}>
                  <Select<ImportKind>
                    data-testid="import-kind"
                    value={kind}
                    onChange={(value) => change({ kind: value })}
                    options={importKinds.map((k) => ({ value: k, label: t(`imports.kind.${k}`) }))}
                    showSearch={{ optionFilterProp: 'label' }}
                    style={{ flex: 1 }}
                  />
                  <Button
                    icon={<DownloadOutlined />}
                    href={templateUrl(kind)}
                    download
                    data-testid="import-template"
                  >
                    {t('imports.template')}
                  </Button>
                </Space.Compact>
              </Form.Item>
              <Form.Item label={t('imports.mapping')} style={{ marginBottom: 12 }}>
                <MappingPicker
                  kind={kind}
                  value={options.mapping}
                  onChange={(name) => option('mapping', name)}
                  preview={preview.data}
                  chosen={chosen}
                />
              </Form.Item>
              <Row gutter={8}>
                <Col span={8}>
                  <Form.Item label={t('imports.encoding')} style={{ marginBottom: 0 }}>
                    <Select<string>
                      data-testid="import-encoding"
                      value={options.encoding ?? ''}
                      onChange={(value) => option('encoding', value === '' ? undefined : value)}
                      options={[
                        { value: '', label: t('imports.auto') },
                        ...encodings.map((e) => ({ value: e, label: e })),
                      ]}
                    />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item label={t('imports.delimiter')} style={{ marginBottom: 0 }}>
                    <Select<string>
                      data-testid="import-delimiter"
                      value={options.delimiter ?? ''}
                      onChange={(value) =>
                        option(
                          'delimiter',
                          value === '' ? undefined : (value as FileOptions['delimiter']),
                        )
                      }
                      options={[
                        { value: '', label: t('imports.auto') },
                        { value: ',', label: t('imports.delimiter.comma') },
                        { value: 'tab', label: t('imports.delimiter.tab') },
                        { value: '|', label: t('imports.delimiter.pipe') },
                        { value: ';', label: t('imports.delimiter.semicolon') },
                      ]}
                    />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item label={t('imports.header')} style={{ marginBottom: 0 }}>
                    <Select<string>
                      data-testid="import-header"
                      value={options.header === false ? 'no' : 'yes'}
                      onChange={(value) => option('header', value === 'no' ? false : undefined)}
                      popupMatchSelectWidth={false}
                      options={[
                        { value: 'yes', label: t('imports.header.yes') },
                        { value: 'no', label: t('imports.header.no') },
                      ]}
                    />
                  </Form.Item>
                </Col>
              </Row>
            </Form>
          </Col>
          <Col xs={24} lg={14}>
            <Upload.Dragger
              data-testid="import-upload"
              accept=".csv,.txt,.tsv,.xlsx"
              multiple={false}
              fileList={fileList}
              beforeUpload={(file) => {
                change({ chosen: { serial: (chosen?.serial ?? 0) + 1, file } });
                // Kept in the page and sent as the raw body on preview and import.
                return false;
              }}
              onRemove={() => change({ chosen: null })}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('imports.upload.text')}</p>
              <p className="ant-upload-hint">{t('imports.upload.hint')}</p>
            </Upload.Dragger>
          </Col>
        </Row>
      </Card>

      <Card variant="borderless" title={t('imports.preview.title')} style={{ marginTop: 16 }}>
        {chosen === null ? (
          <Typography.Text type="secondary">{t('imports.preview.empty')}</Typography.Text>
        ) : preview.error !== null ? (
          <Alert
            type="error"
            showIcon
            data-testid="import-preview-error"
            title={t('imports.preview.failed')}
            description={<ErrorText error={preview.error} />}
          />
        ) : preview.data === undefined ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : (
          <ImportPreviewView preview={preview.data} />
        )}
      </Card>

      {chosen === null ? null : (
        <Card variant="borderless" title={t('imports.result.title')} style={{ marginTop: 16 }}>
          <Space wrap style={{ marginBottom: 16 }}>
            <Checkbox
              checked={acceptValid}
              onChange={(event) => {
                run.reset();
                setAcceptValid(event.target.checked);
              }}
              data-testid="import-accept-valid"
            >
              {t('imports.acceptValid')}
            </Checkbox>
            <Button
              data-testid="import-dry-run"
              loading={run.isPending && lastDryRun}
              disabled={run.isPending}
              onClick={() => start(true)}
            >
              {t('imports.dryRun')}
            </Button>
            <Button
              type="primary"
              data-testid="import-commit"
              loading={run.isPending && !lastDryRun}
              disabled={run.isPending}
              onClick={() => start(false)}
            >
              {t('imports.commit')}
            </Button>
          </Space>
          {run.error === null ? null : (
            <Alert
              type="error"
              showIcon
              data-testid="import-error"
              title={t('imports.failed')}
              description={
                <>
                  <ErrorText error={run.error} />
                  {run.error instanceof ApiError ? (
                    <Typography.Text type="secondary" code style={{ marginLeft: 8 }}>
                      {run.error.code}
                    </Typography.Text>
                  ) : null}
                </>
              }
            />
          )}
          {run.data === undefined ? null : (
            <ImportResultView result={run.data} dryRun={lastDryRun} />
          )}
        </Card>
      )}

      <Card variant="borderless" title={t('imports.history.title')} style={{ marginTop: 16 }}>
        <BatchHistory />
      </Card>
    </div>
  );
}
