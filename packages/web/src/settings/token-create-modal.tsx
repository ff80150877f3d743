import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import type { CreatedApiToken, NewApiToken, TokenScope } from '@tierline/contract';
import { Alert, Button, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/locale';
import { useCreateToken } from './identity-queries';

interface TokenForm {
  name: string;
  scope: TokenScope;
  expiresInDays: number | 'never';
}

const expiryChoices = [30, 90, 365] as const;

/**
 * Creates an API token for a connector, then shows its secret this one time: the server keeps
 * only a hash, so the secret cannot be shown again once this dialog closes.
 */
export function TokenCreateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<TokenForm>();
  const create = useCreateToken();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  function close() {
    setCreated(null);
    create.reset();
    form.resetFields();
    onClose();
  }

  if (created !== null) {
    // Its own key: closing unmounts it at once, so the secret leaves the page with the dialog.
    return (
      <Modal
        key="secret"
        open={open}
        title={t('tokens.created.title', { name: created.token.name })}
        closable={false}
        maskClosable={false}
        keyboard={false}
        width={620}
        footer={
          <Button type="primary" onClick={close} data-testid="token-secret-done">
            {t('tokens.created.done')}
          </Button>
        }
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('tokens.created.once')}
          description={t('tokens.created.onceText')}
        />
        <Typography.Paragraph
          className="tl-secret"
          data-testid="token-secret"
          copyable={{
            text: created.secret,
            tooltips: false,
            icon: [
              <span key="copy" className="tl-copy" data-testid="token-copy">
                <CopyOutlined /> {t('tokens.copy')}
              </span>,
              <span key="copied" className="tl-copy tl-copied">
                <CheckOutlined /> {t('tokens.copied')}
              </span>,
            ],
          }}
        >
          {created.secret}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('tokens.created.usage')}
          <br />
          <Typography.Text code>Authorization: Bearer {created.token.prefix}…</Typography.Text>
        </Typography.Paragraph>
      </Modal>
    );
  }

  return (
    <Modal
      key="form"
      open={open}
      title={t('tokens.create.title')}
      okText={t('app.create')}
      cancelText={t('app.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      okButtonProps={{ ...{ 'data-testid': 'token-form-save' } }}
    >
      <Form<TokenForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ scope: 'ingest', expiresInDays: 365 }}
        onFinish={(values) => {
          const token: NewApiToken = {
            name: values.name.trim(),
            scope: values.scope,
            ...(values.expiresInDays === 'never' ? {} : { expiresInDays: values.expiresInDays }),
          };
          create.mutate(token, { onSuccess: setCreated });
        }}
      >
        {create.error === null ? null : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('app.saveFailed')}
            description={create.error.message}
          />
        )}
        <Form.Item
          name="name"
          label={t('tokens.col.name')}
          extra={t('tokens.name.hint')}
          rules={[
            { required: true, whitespace: true, max: 100, message: t('tokens.name.required') },
          ]}
        >
          <Input autoComplete="off" autoFocus data-testid="token-name" />
        </Form.Item>
        <Form.Item name="scope" label={t('tokens.col.scope')}>
          <Radio.Group data-testid="token-scope">
            <Space orientation="vertical">
              <Radio value="ingest">
                {t('tokens.scope.ingest')}
                <Typography.Text type="secondary">
                  {' '}
                  — {t('tokens.scope.ingest.hint')}
                </Typography.Text>
              </Radio>
              <Radio value="read">
                {t('tokens.scope.read')}
                <Typography.Text type="secondary"> — {t('tokens.scope.read.hint')}</Typography.Text>
              </Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="expiresInDays" label={t('tokens.expiry')}>
          <Select
            data-testid="token-expiry"
            options={[
              ...expiryChoices.map((days) => ({
                value: days,
                label: t('tokens.expiry.days', { days }),
              })),
              { value: 'never', label: t('tokens.expiry.never') },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
