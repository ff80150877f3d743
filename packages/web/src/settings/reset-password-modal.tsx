import type { User } from '@tierline/contract';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { ConfirmPasswordItem, passwordLength } from '../auth/change-password-modal';
import { useI18n } from '../i18n/locale';
import { useUpdateUser } from './identity-queries';

interface ResetForm {
  password: string;
  confirm: string;
}

/** Sets a new password for a user (their sessions end); the admin hands it over in person. */
export function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ResetForm>();
  const update = useUpdateUser();
  return (
    <Modal
      open
      title={t('users.resetPassword.title', { login: user.login })}
      okText={t('users.resetPassword')}
      cancelText={t('app.cancel')}
      confirmLoading={update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ ...{ 'data-testid': 'reset-password-save' } }}
    >
      <Typography.Paragraph type="secondary">{t('users.resetPassword.text')}</Typography.Paragraph>
      <Form<ResetForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) =>
          update.mutate(
            { id: user.id, patch: { password: values.password } },
            {
              onSuccess: () => {
                void message.success(t('users.resetPassword.done', { login: user.login }));
                onClose();
              },
            },
          )
        }
      >
        {update.error === null ? null : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('app.saveFailed')}
            description={update.error.message}
          />
        )}
        <Form.Item
          name="password"
          label={t('account.newPassword')}
          extra={t('account.passwordRule', passwordLength)}
          rules={[
            {
              required: true,
              min: passwordLength.min,
              max: passwordLength.max,
              message: t('account.passwordRule', passwordLength),
            },
          ]}
        >
          <Input.Password autoComplete="new-password" autoFocus />
        </Form.Item>
        <ConfirmPasswordItem field="password" />
      </Form>
    </Modal>
  );
}
