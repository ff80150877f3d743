import { CheckOutlined, CloseOutlined, DollarOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { useCan } from '../tiering/tier-api';
import { useFundDecision } from './fund-api';
import { useFundErrorText } from './fund-ui';

type Subject = 'request' | 'claim';

/**
 * Approve, reject (with a reason) or pay (with a reference) a request or a claim, as the
 * caller's permissions allow. The server decides the rest: a refusal (maker-checker, a status
 * that moved on, a deadline) shows its own message.
 */
export function FundActions({
  subject,
  id,
  amount,
  canPay = false,
  size = 'small',
}: {
  subject: Subject;
  id: number;
  amount: number;
  /** The claim is approved: offer payment instead of a decision. */
  canPay?: boolean;
  size?: 'small' | 'middle';
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const decide = useFundDecision();
  const errorText = useFundErrorText();
  const [dialog, setDialog] = useState<'reject' | 'pay' | null>(null);

  if (canPay) {
    if (!can('resources:manage')) return null;
    return (
      <>
        <Button
          size={size}
          type="primary"
          icon={<DollarOutlined />}
          data-testid="fund-pay"
          onClick={() => setDialog('pay')}
        >
          {t('funds.pay')}
        </Button>
        <PayModal open={dialog === 'pay'} id={id} amount={amount} onClose={() => setDialog(null)} />
      </>
    );
  }
  if (!can('mdf:decide')) return null;
  return (
    <Space size={4} orientation="vertical" style={{ width: '100%' }}>
      <Space size={4}>
        <Button
          size={size}
          type="primary"
          icon={<CheckOutlined />}
          loading={decide.isPending}
          data-testid={`fund-${subject}-approve`}
          onClick={() =>
            decide.mutate(
              { subject, id, action: 'approve' },
              { onSuccess: () => void message.success(t('funds.done.approve')) },
            )
          }
        >
          {t('funds.approve')}
        </Button>
        <Button
          size={size}
          danger
          icon={<CloseOutlined />}
          data-testid={`fund-${subject}-reject`}
          onClick={() => {
            decide.reset();
            setDialog('reject');
          }}
        >
          {t('funds.reject')}
        </Button>
      </Space>
      {decide.error === null ? null : (
        <Typography.Text type="danger" data-testid="fund-action-error">
          {errorText(decide.error)}
        </Typography.Text>
      )}
      <RejectModal
        open={dialog === 'reject'}
        subject={subject}
        id={id}
        onClose={() => setDialog(null)}
      />
    </Space>
  );
}

function RejectModal({
  open,
  subject,
  id,
  onClose,
}: {
  open: boolean;
  subject: Subject;
  id: number;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const decide = useFundDecision();
  const errorText = useFundErrorText();
  function close() {
    decide.reset();
    form.resetFields();
    onClose();
  }
  return (
    <Modal
      open={open}
      title={t('funds.reject.title', { subject: t(`funds.subject.${subject}`), id })}
      okText={t('funds.reject')}
      okButtonProps={{ danger: true, ...{ 'data-testid': 'fund-reject-confirm' } }}
      cancelText={t('app.cancel')}
      confirmLoading={decide.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Form<{ reason: string }>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) =>
          decide.mutate(
            { subject, id, action: 'reject', reason: values.reason.trim() },
            {
              onSuccess: () => {
                void message.success(t('funds.done.reject'));
                close();
              },
            },
          )
        }
      >
        {decide.error === null ? null : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('funds.failed')}
            description={errorText(decide.error)}
          />
        )}
        <Form.Item
          name="reason"
          label={t('funds.reject.reason')}
          extra={t('funds.reject.reasonHint')}
          rules={[
            {
              validator: (_, value: string | undefined) =>
                (value ?? '').trim().length >= 5
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('funds.reject.reasonShort'))),
            },
          ]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="fund-reject-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PayModal({
  open,
  id,
  amount,
  onClose,
}: {
  open: boolean;
  id: number;
  amount: number;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const format = useFormat();
  const [form] = Form.useForm<{ paymentReference: string }>();
  const decide = useFundDecision();
  const errorText = useFundErrorText();
  function close() {
    decide.reset();
    form.resetFields();
    onClose();
  }
  return (
    <Modal
      open={open}
      title={t('funds.pay.title', { id })}
      okText={t('funds.pay')}
      okButtonProps={{ ...{ 'data-testid': 'fund-pay-confirm' } }}
      cancelText={t('app.cancel')}
      confirmLoading={decide.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {t('funds.pay.amount', { amount: format.money(amount) })}
      </Typography.Paragraph>
      <Form<{ paymentReference: string }>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) =>
          decide.mutate(
            {
              subject: 'claim',
              id,
              action: 'pay',
              paymentReference: values.paymentReference.trim(),
            },
            {
              onSuccess: () => {
                void message.success(t('funds.done.pay'));
                close();
              },
            },
          )
        }
      >
        {decide.error === null ? null : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('funds.failed')}
            description={errorText(decide.error)}
          />
        )}
        <Form.Item
          name="paymentReference"
          label={t('funds.pay.reference')}
          extra={t('funds.pay.referenceHint')}
          rules={[{ required: true, whitespace: true, message: t('funds.pay.referenceRequired') }]}
        >
          <Input maxLength={100} data-testid="fund-pay-reference" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
