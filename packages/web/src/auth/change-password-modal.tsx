import { Alert, App, Form, Input, Modal } from 'antd';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/locale';
import { useChangePassword } from './session';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Rules of a new password (the contract's `Password`: 10 to 200 characters). */
export const passwordLength = { min: 10, max: 200 } as const;

/** Change one's own password: the current one, the new one twice. */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordForm>();
  const change = useChangePassword();
  const wrongCurrent =
    change.error instanceof ApiError && change.error.code === 'validation_failed';

  function close() {
    form.resetFields();
    change.reset();
    onClose();
  }

  return (
    <Modal
      open={open}
      title={t('account.changePassword')}
      okText={t('account.changePassword.save')}
      cancelText={t('app.cancel')}
      confirmLoading={change.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      okButtonProps={{ ...{ 'data-testid': 'change-password-save' } }}
    >
      <Form<PasswordForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        data-testid="change-password-form"
        onFinish={(values) => {
          change.mutate(
            { currentPassword: values.currentPassword, newPassword: values.newPassword },
            {
              onSuccess: () => {
                void message.success(t('account.changePassword.done'));
                close();
              },
            },
          );
        }}
      >
        {change.error === null ? null : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={wrongCurrent ? t('account.changePassword.failed') : t('app.saveFailed')}
            description={change.error.message}
          />
        )}
        <Form.Item
          name="currentPassword"
          label={t('account.currentPassword')}
          rules={[{ required: true, message: t('account.currentPassword.required') }]}
        >
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('account.newPassword')}
          extra={t('account.passwordRule', passwordLength)}
          rules={[
            { required: true, message: t('account.passwordRule', passwordLength) },
            {
              min: passwordLength.min,
              max: passwordLength.max,
              message: t('account.passwordRule', passwordLength),
            },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <ConfirmPasswordItem field="newPassword" />
      </Form>
    </Modal>
  );
}

/** "Repeat the password" that must equal the field it confirms. */
export function ConfirmPasswordItem({ field }: { field: string }) {
  const { t } = useI18n();
  return (
    <Form.Item
      name="confirm"
      label={t('account.confirmPassword')}
      dependencies={[field]}
      rules={[
        { required: true, message: t('account.confirmPassword.required') },
        ({ getFieldValue }) => ({
          validator: (_rule, value) =>
            value === undefined || value === '' || value === getFieldValue(field)
              ? Promise.resolve()
              : Promise.reject(new Error(t('account.confirmPassword.mismatch'))),
        }),
      ]}
    >
      <Input.Password autoComplete="new-password" data-testid="user-password-confirm" />
    </Form.Item>
  );
}
