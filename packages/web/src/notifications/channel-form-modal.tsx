import type { NotificationChannel } from '@tierline/contract';
import {
  Alert,
  App,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Select,
  Switch,
} from 'antd';
import { useMemo, useState } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/locale';
import {
  channelFormValues,
  channelKinds,
  channelPatch,
  newChannelBody,
  notificationEvents,
  notificationSeverities,
  serverFieldErrors,
  takesSecret,
  type ChannelFormValues,
} from './channel-form';
import { useCreateChannel, useUpdateChannel } from './notification-api';
import { RegionCodesSelect } from './region-codes-select';

// What the browser checks before sending; the server checks everything again and its messages
// land on the same fields.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const urlPattern = /^https?:\/\/\S+$/i;

/**
 * Adds a channel, or edits one: the fields of its kind (robot or webhook URL, Feishu's format,
 * the SMTP server and addresses), the write-only secret, and what it subscribes to. The
 * server's refusals show on the field they name (`config.url` on the URL), the rest above.
 */
export function ChannelFormModal({
  channel,
  onClose,
}: {
  /** The channel to edit; undefined to add one. */
  channel: NotificationChannel | undefined;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ChannelFormValues>();
  const create = useCreateChannel();
  const update = useUpdateChannel();
  const mutation = channel === undefined ? create : update;
  const initial = useMemo(() => channelFormValues(channel), [channel]);
  const [problems, setProblems] = useState<string[]>([]);
  const kind = Form.useWatch('kind', form) ?? initial.kind;
  const clearSecret = Form.useWatch('clearSecret', form) ?? false;
  const security = Form.useWatch('security', form);

  function refused(error: Error) {
    if (!(error instanceof ApiError)) {
      setProblems([error.message]);
      return;
    }
    const { fields, other } = serverFieldErrors(error.details, error.message);
    form.setFields(fields.map((f) => ({ name: f.name, errors: f.errors })));
    setProblems(other);
  }

  function save() {
    // Every field, including those of the kinds not shown (which the mapping ignores).
    const values = { ...initial, ...form.getFieldsValue(true) } as ChannelFormValues;
    setProblems([]);
    if (channel === undefined) {
      create.mutate(newChannelBody(values), {
        onSuccess: () => {
          void message.success(t('notifications.created'));
          onClose();
        },
        onError: refused,
      });
    } else {
      update.mutate(
        { id: channel.id, patch: channelPatch(values, channel) },
        {
          onSuccess: () => {
            void message.success(t('notifications.saved'));
            onClose();
          },
          onError: refused,
        },
      );
    }
  }

  const masked =
    channel !== undefined && channel.kind !== 'email' && channel.config.url.includes('…');
  return (
    <Modal
      open
      title={
        channel === undefined
          ? t('notifications.form.create')
          : t('notifications.form.edit', { name: channel.name })
      }
      okText={channel === undefined ? t('app.create') : t('app.save')}
      cancelText={t('app.cancel')}
      confirmLoading={mutation.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={680}
      okButtonProps={{ ...{ 'data-testid': 'channel-form-save' } }}
    >
      <Form<ChannelFormValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={initial}
        onFinish={save}
        data-testid="channel-form"
      >
        {problems.length === 0 ? null : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="channel-form-error"
            title={t('notifications.form.failed')}
            description={
              problems.length === 1 ? (
                problems[0]
              ) : (
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              )
            }
          />
        )}
        <Row gutter={16}>
          <Col xs={24} sm={14}>
            <Form.Item
              name="name"
              label={t('notifications.form.name')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  max: 100,
                  message: t('notifications.form.name.required'),
                },
              ]}
            >
              <Input autoComplete="off" maxLength={100} data-testid="channel-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item
              name="kind"
              label={t('notifications.form.kind')}
              extra={channel === undefined ? undefined : t('notifications.form.kind.fixed')}
            >
              <Select
                disabled={channel !== undefined}
                data-testid="channel-kind"
                options={channelKinds.map((k) => ({
                  value: k,
                  label: t(`notifications.kind.${k}`),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        {kind === 'email' ? (
          <>
            <Row gutter={16}>
              <Col xs={24} sm={12}>
                <Form.Item
                  name="host"
                  label={t('notifications.form.host')}
                  rules={[
                    {
                      required: true,
                      whitespace: true,
                      message: t('notifications.form.host.required'),
                    },
                  ]}
                >
                  <Input
                    autoComplete="off"
                    placeholder="smtp.example.com"
                    data-testid="channel-host"
                  />
                </Form.Item>
              </Col>
              <Col xs={12} sm={5}>
                <Form.Item name="port" label={t('notifications.form.port')}>
                  <InputNumber min={1} max={65535} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={7}>
                <Form.Item
                  name="security"
                  label={t('notifications.form.security')}
                  extra={security === 'none' ? t('notifications.form.security.hint') : undefined}
                >
                  <Select
                    options={(['starttls', 'tls', 'none'] as const).map((s) => ({
                      value: s,
                      label: t(`notifications.form.security.${s}`),
                    }))}
                  />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={16}>
              <Col xs={24} sm={12}>
                <Form.Item name="user" label={t('notifications.form.user')}>
                  <Input autoComplete="off" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item
                  name="from"
                  label={t('notifications.form.from')}
                  rules={[
                    {
                      required: true,
                      pattern: emailPattern,
                      message: t('notifications.form.email.invalid'),
                    },
                  ]}
                >
                  <Input autoComplete="off" placeholder="alerts@example.com" />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item
              name="to"
              label={t('notifications.form.to')}
              extra={t('notifications.form.to.hint')}
              rules={[
                {
                  type: 'array',
                  required: true,
                  min: 1,
                  max: 50,
                  message: t('notifications.form.to.required'),
                },
                {
                  validator: async (_rule, value: string[] | undefined) => {
                    if ((value ?? []).some((address) => !emailPattern.test(address.trim()))) {
                      throw new Error(t('notifications.form.email.invalid'));
                    }
                  },
                },
              ]}
            >
              <Select
                mode="tags"
                open={false}
                suffixIcon={null}
                tokenSeparators={[',', ';', ' ', '，', '；']}
                data-testid="channel-to"
              />
            </Form.Item>
          </>
        ) : (
          <>
            <Form.Item
              name="url"
              label={t('notifications.form.url')}
              extra={
                masked
                  ? t('notifications.form.url.masked')
                  : t(`notifications.form.url.hint.${kind}`)
              }
              rules={[
                {
                  required: true,
                  pattern: urlPattern,
                  message: t('notifications.form.url.required'),
                },
              ]}
            >
              <Input autoComplete="off" spellCheck={false} data-testid="channel-url" />
            </Form.Item>
            {kind === 'feishu' ? (
              <Form.Item name="format" label={t('notifications.form.format')}>
                <Radio.Group
                  optionType="button"
                  options={(['interactive', 'text'] as const).map((f) => ({
                    value: f,
                    label: t(`notifications.form.format.${f}`),
                  }))}
                />
              </Form.Item>
            ) : null}
          </>
        )}
        {kind === 'wecom' ? null : (
          <Form.Item
            name="secret"
            label={t(`notifications.form.secret.${kind}`)}
            extra={
              channel?.hasSecret === true
                ? t('notifications.form.secret.keep')
                : t('notifications.form.secret.hint')
            }
            style={channel?.hasSecret === true ? { marginBottom: 8 } : undefined}
          >
            <Input.Password
              autoComplete="new-password"
              maxLength={500}
              disabled={clearSecret}
              data-testid="channel-secret"
            />
          </Form.Item>
        )}
        {channel?.hasSecret === true && takesSecret(channel.kind) ? (
          <Form.Item name="clearSecret" valuePropName="checked">
            <Checkbox>{t('notifications.form.secret.clear')}</Checkbox>
          </Form.Item>
        ) : null}
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Form.Item name="minSeverity" label={t('notifications.form.minSeverity')}>
              <Select
                options={notificationSeverities.map((s) => ({
                  value: s,
                  label: t(`alerts.severity.${s}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item
              name="events"
              label={t('notifications.form.events')}
              rules={[
                {
                  type: 'array',
                  required: true,
                  min: 1,
                  message: t('notifications.form.events.required'),
                },
              ]}
            >
              <Checkbox.Group
                options={notificationEvents.map((e) => ({
                  value: e,
                  label: t(`notifications.event.${e}`),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="regionCodes"
          label={t('notifications.form.regions')}
          extra={t('notifications.form.regions.hint')}
        >
          <RegionCodesSelect placeholder={t('notifications.form.regions.placeholder')} />
        </Form.Item>
        <Form.Item
          name="enabled"
          label={t('notifications.form.enabled')}
          valuePropName="checked"
          style={{ marginBottom: 0 }}
        >
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
