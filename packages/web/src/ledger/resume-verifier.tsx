import { FileSearchOutlined, UploadOutlined } from '@ant-design/icons';
import type { LedgerInfo } from '@tierline/contract';
import { verifyResume, type ResumeVerification } from '@tierline/core/ledger';
import { Alert, Button, Form, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/locale';
import { MachineText, VerifierKeyField } from './ledger-ui';
import { ResumeResult } from './resume-result';
import { keyError } from './verifier-key';

interface ChosenResume {
  serial: number;
  name: string;
  /** The parsed JSON, or undefined when the file is not JSON. */
  content: unknown;
}

/** Verifies a résumé file chosen here (read in the browser, never uploaded) with `verifyResume`. */
export function ResumeVerifier({ info }: { info: LedgerInfo | undefined }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<ChosenResume | null>(null);
  const [keyInput, setKeyInput] = useState<string | null>(null);
  const [result, setResult] = useState<ResumeVerification | null>(null);
  const key = keyInput ?? info?.verifierKey ?? '';
  const badKey = key.trim() !== '' && keyError(key);

  const fileList: UploadFile[] =
    chosen === null ? [] : [{ uid: String(chosen.serial), name: chosen.name, status: 'done' }];

  async function choose(file: File) {
    const text = await file.text();
    let content: unknown;
    try {
      content = JSON.parse(text);
    } catch {
      content = undefined;
    }
    setResult(null);
    setChosen({ serial: (chosen?.serial ?? 0) + 1, name: file.name, content });
  }

  const fileKey =
    typeof chosen?.content === 'object' &&
    chosen.content !== null &&
    'verifierKey' in chosen.content &&
    typeof chosen.content.verifierKey === 'string'
      ? chosen.content.verifierKey
      : null;

  return (
    <div data-testid="verify-resume">
      <Typography.Paragraph type="secondary">{t('verify.resume.text')}</Typography.Paragraph>
      <div style={{ maxWidth: 900 }}>
        <Upload.Dragger
          data-testid="verify-resume-upload"
          accept=".json,application/json"
          multiple={false}
          fileList={fileList}
          beforeUpload={(file) => {
            void choose(file);
            // Read here; nothing is uploaded anywhere.
            return false;
          }}
          onRemove={() => {
            setChosen(null);
            setResult(null);
          }}
        >
          <p className="ant-upload-drag-icon">
            <UploadOutlined />
          </p>
          <p className="ant-upload-text">{t('verify.resume.drop')}</p>
          <p className="ant-upload-hint">{t('verify.resume.dropHint')}</p>
        </Upload.Dragger>
        {chosen !== null && chosen.content === undefined ? (
          <Alert
            style={{ marginTop: 12 }}
            type="error"
            showIcon
            data-testid="verify-resume-not-json"
            title={t('verify.resume.notJson', { file: chosen.name })}
          />
        ) : null}
        <Form layout="vertical" style={{ marginTop: 16 }}>
          <VerifierKeyField
            testId="verify-resume-key"
            value={key}
            onChange={(text) => {
              setKeyInput(text);
              setResult(null);
            }}
          />
          <Button
            type="primary"
            icon={<FileSearchOutlined />}
            disabled={
              chosen === null || chosen.content === undefined || badKey || key.trim() === ''
            }
            onClick={() => chosen !== null && setResult(verifyResume(chosen.content, key.trim()))}
            data-testid="verify-resume-run"
          >
            {t('verify.resume.run')}
          </Button>
        </Form>
      </div>
      {result === null ? null : <ResumeResult result={result} fileKey={fileKey} trustedKey={key} />}
      {chosen === null ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
          <MachineText>tierline ledger verify-resume FILE --vkey KEY</MachineText>{' '}
          {t('verify.resume.cli')}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}
