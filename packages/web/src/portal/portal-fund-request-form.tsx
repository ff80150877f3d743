import { Alert, App, DatePicker, Form, Input, Modal, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTenant } from '../api/queries';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { useFundErrorText } from '../resources/fund-ui';
import { useSubmitFundRequest } from '../resources/fund-api';
import { amountRule } from '../resources/fund-grant-modal';
import { parseMajorAmount } from '../resources/fund-money';

interface RequestValues {
  title: string;
  amount: string;
  activity: [Dayjs, Dayjs];
  description?: string;
}

/**
 * "申请费用": a request for pre-approval from the dealer's own funds. The amount is typed in
 * yuan and sent in fen, exactly; a refusal (over the available balance, past the claim
 * deadline) shows the server's message with its figures.
 */
export function PortalFundRequestForm({
  open,
  available,
  onClose,
}: {
  open: boolean;
  available: number;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const format = useFormat();
  const errorText = useFundErrorText();
  const minorUnits = useTenant().data?.currencyMinorUnits ?? 2;
  const [form] = Form.useForm<RequestValues>();
  const submit = useSubmitFundRequest();

  function close() {
    submit.reset();
    form.resetFields();
    onClose();
  }

  return (
    <Modal
      open={open}
      title={t('funds.portal.request')}
      okText={t('funds.form.submit')}
      okButtonProps={{ ...{ 'data-testid': 'fund-request-submit' } }}
      cancelText={t('app.cancel')}
      confirmLoading={submit.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Form<RequestValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) =>
          submit.mutate(
            {
              title: values.title.trim(),
              amount: parseMajorAmount(values.amount, minorUnits)!,
              activityFrom: values.activity[0].format('YYYY-MM-DD'),
              activityTo: values.activity[1].format('YYYY-MM-DD'),
              description: values.description?.trim() ?? '',
            },
            {
              onSuccess: () => {
                void message.success(t('funds.form.done'));
                close();
              },
            },
          )
        }
      >
        {submit.error === null ? null : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('funds.failed')}
            description={errorText(submit.error)}
            data-testid="fund-request-error"
          />
        )}
        <Typography.Paragraph type="secondary">
          {t('funds.form.available', { amount: format.money(available) })}
        </Typography.Paragraph>
        <Form.Item
          name="title"
          label={t('funds.form.title')}
          rules={[{ required: true, whitespace: true, message: t('funds.form.titleRequired') }]}
        >
          <Input maxLength={200} data-testid="fund-request-title" />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('funds.form.amount')}
          rules={[{ validator: amountRule(minorUnits, t) }]}
        >
          <Input inputMode="decimal" prefix="¥" data-testid="fund-request-amount" />
        </Form.Item>
        <Form.Item
          name="activity"
          label={t('funds.form.activity')}
          rules={[{ required: true, message: t('funds.form.activityRequired') }]}
        >
          <DatePicker.RangePicker style={{ width: '100%' }} className="tl-fund-activity" />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('funds.form.description')}
          extra={t('funds.form.descriptionHint')}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="fund-request-description" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
