import type { NewUser, RegionScope, Role, User, UserPatch } from '@tierline/contract';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { ConfirmPasswordItem, passwordLength } from '../auth/change-password-modal';
import { useSignedIn } from '../auth/session';
import { useI18n } from '../i18n/locale';
import { DealerSelect, type DealerChoice } from './dealer-select';
import { useCreateUser, useUpdateUser } from './identity-queries';
import { RegionTreeSelect } from './region-tree-select';
import { roleHints, roles } from './roles';

interface UserForm {
  login: string;
  displayName: string;
  role: Role;
  regions: RegionScope[];
  dealer: DealerChoice | null;
  password: string;
  confirm: string;
}

/**
 * Creates a user, or edits one's name, role and scope: regions for a channel manager, the
 * dealer for a dealer user. The scope fields follow the chosen role.
 */
export function UserFormModal({
  open,
  user,
  onClose,
}: {
  open: boolean;
  /** The user to edit; undefined to create one. */
  user: User | undefined;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<UserForm>();
  const create = useCreateUser();
  const update = useUpdateUser();
  const me = useSignedIn().user;
  const editing = user !== undefined;
  // Changing one's own role would end one's own session, or lock oneself out of Settings.
  const self = user !== undefined && user.id === me.id;
  const mutation = editing ? update : create;
  const role = Form.useWatch('role', form);

  function close() {
    form.resetFields();
    create.reset();
    update.reset();
    onClose();
  }

  function save(values: UserForm) {
    const regionCodes = values.role === 'channel_manager' ? values.regions.map((r) => r.code) : [];
    const dealerCode = values.role === 'dealer' ? (values.dealer?.code ?? null) : null;
    const done = () => {
      void message.success(editing ? t('users.saved') : t('users.created'));
      close();
    };
    if (user === undefined) {
      const created: NewUser = {
        login: values.login.trim(),
        displayName: values.displayName.trim(),
        role: values.role,
        password: values.password,
        regionCodes,
        ...(dealerCode === null ? {} : { dealerCode }),
      };
      create.mutate(created, { onSuccess: done });
    } else {
      const patch: UserPatch = {
        displayName: values.displayName.trim(),
        role: values.role,
        regionCodes,
        dealerCode,
      };
      update.mutate({ id: user.id, patch }, { onSuccess: done });
    }
  }

  return (
    <Modal
      open={open}
      title={editing ? t('users.edit.title', { login: user.login }) : t('users.create.title')}
      okText={editing ? t('app.save') : t('app.create')}
      cancelText={t('app.cancel')}
      confirmLoading={mutation.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={560}
      okButtonProps={{ ...{ 'data-testid': 'user-form-save' } }}
    >
      <Form<UserForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        data-testid="user-form"
        preserve={false}
        initialValues={{
          login: user?.login ?? '',
          displayName: user?.displayName ?? '',
          role: user?.role ?? 'analyst',
          regions: user?.regions ?? [],
          dealer: user?.dealer ?? null,
        }}
        onFinish={save}
      >
        {mutation.error === null ? null : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="user-form-error"
            title={t('app.saveFailed')}
            description={mutation.error.message}
          />
        )}
        <Form.Item
          name="login"
          label={t('users.col.login')}
          extra={editing ? undefined : t('users.login.hint')}
          rules={[
            { required: true, whitespace: true, message: t('users.login.hint') },
            { pattern: /^[A-Za-z0-9._@+-]{2,100}$/, message: t('users.login.hint') },
          ]}
        >
          <Input disabled={editing} autoComplete="off" data-testid="user-login" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.col.name')}
          rules={[
            { required: true, whitespace: true, max: 100, message: t('users.name.required') },
          ]}
        >
          <Input autoComplete="off" data-testid="user-display-name" />
        </Form.Item>
        <Form.Item
          name="role"
          label={t('users.col.role')}
          extra={self ? t('users.role.self') : role === undefined ? null : t(roleHints[role])}
        >
          <Select
            disabled={self}
            data-testid="user-role"
            options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
        </Form.Item>
        {role === 'channel_manager' ? (
          <Form.Item
            name="regions"
            label={t('users.regions')}
            extra={t('users.regions.hint')}
            rules={[
              { type: 'array', min: 1, required: true, message: t('users.regions.required') },
            ]}
          >
            <RegionTreeSelect placeholder={t('users.regions.placeholder')} />
          </Form.Item>
        ) : null}
        {role === 'dealer' ? (
          <Form.Item
            name="dealer"
            label={t('users.dealer')}
            extra={t('users.dealer.hint')}
            rules={[{ required: true, message: t('users.dealer.required') }]}
          >
            <DealerSelect placeholder={t('users.dealer.placeholder')} />
          </Form.Item>
        ) : null}
        {editing ? null : (
          <>
            <Form.Item
              name="password"
              label={t('users.password')}
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
              <Input.Password autoComplete="new-password" data-testid="user-password" />
            </Form.Item>
            <ConfirmPasswordItem field="password" />
          </>
        )}
      </Form>
    </Modal>
  );
}
