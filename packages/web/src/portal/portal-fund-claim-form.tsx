import { UploadOutlined } from '@ant-design/icons';
import type { PortalFundRequest, ProofUpload } from '@tierline/contract';
import { PROOF_CONTENT_TYPES, PROOF_MAX_BYTES, PROOF_MAX_FILES } from '@tierline/contract';
import { Alert, App, Button, Form, Input, Modal, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { useRef, useState } from 'react';
import { useTenant } from '../api/queries';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { useFundErrorText } from '../resources/fund-ui';
import { useSubmitFundClaim } from '../resources/fund-api';
import { amountRule } from '../resources/fund-grant-modal';
import { fileToBase64, parseMajorAmount } from '../resources/fund-money';

interface ClaimValues {
  amount: string;
  note?: string;
}

const EXTENSIONS = Object.values(PROOF_CONTENT_TYPES).flat();
const ACCEPT = EXTENSIONS.map((e) => `.${e}`).join(',');

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/**
 * "提交核销": a claim against an approved request with its proof files. Files are chosen with
 * antd Upload but never sent on their own (`beforeUpload` keeps them): they go with the claim
 * in one request, as base64, so that a claim and its proof are written together or not at all.
 * The browser checks type and size first; the server checks the content again.
 */
export function PortalFundClaimForm({
  request,
  onClose,
}: {
  request: PortalFundRequest | null;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const format = useFormat();
  const errorText = useFundErrorText();
  const minorUnits = useTenant().data?.currencyMinorUnits ?? 2;
  const [form] = Form.useForm<ClaimValues>();
  const [files, setFilesState] = useState<UploadFile[]>([]);
  // antd calls beforeUpload once per file of a multiple choice, before React re-renders.
  const filesRef = useRef<UploadFile[]>([]);
  const setFiles = (next: UploadFile[]) => {
    filesRef.current = next;
    setFilesState(next);
  };
  const [fileError, setFileError] = useState<string | null>(null);
  const submit = useSubmitFundClaim();

  function close() {
    submit.reset();
    form.resetFields();
    setFiles([]);
    setFileError(null);
    onClose();
  }

  async function send(values: ClaimValues) {
    if (request === null) return;
    if (files.length === 0) {
      setFileError(t('funds.claim.noFiles'));
      return;
    }
    const proofs: ProofUpload[] = [];
    for (const f of files) {
      const blob = f.originFileObj;
      if (blob === undefined) continue;
      proofs.push({
        fileName: f.name,
        contentType: blob.type,
        contentBase64: await fileToBase64(blob),
      });
    }
    submit.mutate(
      {
        requestId: request.id,
        amount: parseMajorAmount(values.amount, minorUnits)!,
        note: values.note?.trim() ?? '',
        proofs,
      },
      {
        onSuccess: () => {
          void message.success(t('funds.claim.done'));
          close();
        },
      },
    );
  }

  return (
    <Modal
      open={request !== null}
      title={request === null ? null : t('funds.claim.title', { title: request.title })}
      okText={t('funds.claim.submit')}
      okButtonProps={{ ...{ 'data-testid': 'fund-claim-submit' } }}
      cancelText={t('app.cancel')}
      confirmLoading={submit.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      {request === null ? null : (
        <Form<ClaimValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => void send(values)}
        >
          {submit.error === null ? null : (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('funds.failed')}
              description={errorText(submit.error)}
              data-testid="fund-claim-error"
            />
          )}
          <Typography.Paragraph type="secondary">
            {t('funds.claim.approved', {
              amount: format.money(request.amount),
              deadline: request.claimDeadline,
            })}
          </Typography.Paragraph>
          <Form.Item
            name="amount"
            label={t('funds.claim.amount')}
            extra={t('funds.claim.amountHint')}
            rules={[
              {
                validator: amountRule(
                  minorUnits,
                  t,
                  request.amount,
                  t('funds.claim.approved', {
                    amount: format.money(request.amount),
                    deadline: request.claimDeadline,
                  }),
                ),
              },
            ]}
          >
            <Input inputMode="decimal" prefix="¥" data-testid="fund-claim-amount" />
          </Form.Item>
          <Form.Item name="note" label={t('funds.claim.note')}>
            <Input.TextArea rows={2} maxLength={2000} data-testid="fund-claim-note" />
          </Form.Item>
          <Form.Item
            label={t('funds.claim.files')}
            extra={t('funds.claim.filesHint')}
            validateStatus={fileError === null ? undefined : 'error'}
            help={fileError ?? undefined}
          >
            <Upload
              multiple
              accept={ACCEPT}
              fileList={files}
              maxCount={PROOF_MAX_FILES}
              beforeUpload={(file) => {
                if (!EXTENSIONS.includes(extensionOf(file.name) as never)) {
                  setFileError(t('funds.claim.badType', { name: file.name }));
                  return Upload.LIST_IGNORE;
                }
                const total = filesRef.current.reduce((sum, f) => sum + (f.size ?? 0), 0);
                if (total + file.size > PROOF_MAX_BYTES) {
                  setFileError(t('funds.claim.tooBig'));
                  return Upload.LIST_IGNORE;
                }
                setFileError(null);
                setFiles([
                  ...filesRef.current,
                  { uid: file.uid, name: file.name, size: file.size, originFileObj: file },
                ]);
                // Kept, not uploaded: the files travel with the claim.
                return false;
              }}
              onRemove={(file) => {
                setFiles(filesRef.current.filter((f) => f.uid !== file.uid));
                setFileError(null);
              }}
            >
              <Button icon={<UploadOutlined />} data-testid="fund-claim-upload">
                {t('funds.claim.upload')}
              </Button>
            </Upload>
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
