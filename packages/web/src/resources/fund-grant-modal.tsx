import { Alert, App, DatePicker, Form, Input, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTenant } from '../api/queries';
import { useDealerSearch } from '../dealers/use-dealer-search';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { useGrantFund } from './fund-api';
import { parseMajorAmount } from './fund-money';

interface GrantValues {
  dealerId: number;
  period: string;
  amount: string;
  claimDeadline: Dayjs;
  note?: string;
}

/** Grant a fund to one dealer by hand (admins): amount in yuan, exact to the fen. */
export function FundGrantModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const format = useFormat();
  const minorUnits = useTenant().data?.currencyMinorUnits ?? 2;
  const [form] = Form.useForm<GrantValues>();
  const grant = useGrantFund();
  const { dealers, loading, search } = useDealerSearch();

  function close() {
    grant.reset();
    form.resetFields();
    onClose();
  }

  return (
    <Modal
      open={open}
      title={t('funds.grant.title')}
      okText={t('funds.grant')}
      okButtonProps={{ ...{ 'data-testid': 'fund-grant-save' } }}
      cancelText={t('app.cancel')}
      confirmLoading={grant.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Form<GrantValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => {
          const amount = parseMajorAmount(values.amount, minorUnits)!;
          grant.mutate(
            {
              dealerId: values.dealerId,
              period: values.period.trim(),
              amount,
              claimDeadline: values.claimDeadline.format('YYYY-MM-DD'),
              note: values.note?.trim() ?? '',
            },
            {
              onSuccess: (fund) => {
                void message.success(
                  t('funds.grant.done', {
                    dealer: fund.dealer.name,
                    amount: format.money(fund.amount),
                  }),
                );
                close();
              },
            },
          );
        }}
      >
        {grant.error === null ? null : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('app.saveFailed')}
            description={grant.error.message}
          />
        )}
        <Form.Item
          name="dealerId"
          label={t('funds.grant.dealer')}
          rules={[{ required: true, message: t('funds.grant.required') }]}
        >
          <Select<number>
            data-testid="fund-grant-dealer"
            showSearch={{ filterOption: false, onSearch: search }}
            placeholder={t('funds.grant.dealerSearch')}
            loading={loading}
            options={dealers.map((d) => ({ value: d.id, label: `${d.code} · ${d.name}` }))}
          />
        </Form.Item>
        <Form.Item
          name="period"
          label={t('funds.grant.period')}
          extra={t('funds.grant.periodHint')}
          rules={[{ required: true, whitespace: true, message: t('funds.grant.required') }]}
        >
          <Input maxLength={20} data-testid="fund-grant-period" />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('funds.grant.amount')}
          rules={[{ validator: amountRule(minorUnits, t) }]}
        >
          <Input inputMode="decimal" prefix="¥" data-testid="fund-grant-amount" />
        </Form.Item>
        <Form.Item
          name="claimDeadline"
          label={t('funds.grant.deadline')}
          rules={[{ required: true, message: t('funds.grant.required') }]}
        >
          <DatePicker style={{ width: '100%' }} data-testid="fund-grant-deadline" />
        </Form.Item>
        <Form.Item name="note" label={t('funds.grant.note')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A form rule: an amount in yuan, exact, above zero. */
export function amountRule(
  minorUnits: number,
  t: ReturnType<typeof useI18n>['t'],
  max?: number,
  maxMessage?: string,
) {
  return (_: unknown, value: string | undefined) => {
    const minor = parseMajorAmount(value ?? '', minorUnits);
    if (minor === null) return Promise.reject(new Error(t('funds.amount.invalid')));
    if (minor <= 0) return Promise.reject(new Error(t('funds.amount.positive')));
    if (max !== undefined && minor > max) return Promise.reject(new Error(maxMessage ?? ''));
    return Promise.resolve();
  };
}
