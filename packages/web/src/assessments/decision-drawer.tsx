import type { OverrideKind, RunDetail } from '@tierline/contract';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Divider,
  Drawer,
  Form,
  Input,
  Radio,
  Select,
  Skeleton,
  Space,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { DecisionExplanation } from '../tiering/decision-explanation';
import { useCan, useDecision, useOverride } from '../tiering/tier-api';

const kinds: readonly OverrideKind[] = ['once', 'lock', 'until', 'floor'];

/** A decision of a run explained; on a draft, the caller may override it with a reason. */
export function DecisionDrawer({
  run,
  dealerId,
  onClose,
}: {
  run: RunDetail;
  dealerId: number | null;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const can = useCan();
  const decision = useDecision(run.id, dealerId);
  const data = decision.data;
  return (
    <Drawer
      open={dealerId !== null}
      onClose={onClose}
      size={720}
      destroyOnHidden
      data-testid="decision-drawer"
      title={
        data === undefined ? (
          t('decision.title')
        ) : (
          <Space size={8} wrap>
            <span>{data.dealer.name}</span>
            <Typography.Text type="secondary" className="tl-code">
              {data.dealer.code}
            </Typography.Text>
          </Space>
        )
      }
      extra={
        data !== undefined && can('dealers:read') ? (
          <Link to={`/dealers/${data.dealer.id}`}>{t('decision.openDealer')}</Link>
        ) : null
      }
    >
      {decision.error !== null ? (
        <QueryError error={decision.error} onRetry={() => void decision.refetch()} />
      ) : data === undefined ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <div data-testid="decision-detail">
          <DecisionExplanation decision={data} />
          {run.status === 'draft' && can('assessments:override') ? (
            <>
              <Divider />
              <OverrideForm run={run} dealerId={data.dealer.id} current={data.tier} />
            </>
          ) : null}
        </div>
      )}
    </Drawer>
  );
}

interface OverrideValues {
  kind: OverrideKind;
  tier: string;
  reason: string;
  until?: Dayjs | null;
}

/** Sets a dealer's tier by hand on a draft: the kind, the tier, a required reason, a last month. */
function OverrideForm({
  run,
  dealerId,
  current,
}: {
  run: RunDetail;
  dealerId: number;
  current: string;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<OverrideValues>();
  const override = useOverride(run.id);
  const kind = Form.useWatch('kind', form) ?? 'once';

  function submit(values: OverrideValues) {
    override.mutate(
      {
        dealerId,
        kind: values.kind,
        tier: values.tier,
        reason: values.reason.trim(),
        until:
          values.kind === 'until' || values.kind === 'floor'
            ? (values.until?.format('YYYY-MM') ?? null)
            : null,
      },
      {
        onSuccess: (decision) => {
          void message.success(t('override.done', { dealer: decision.dealer.name }));
          form.resetFields(['reason']);
        },
      },
    );
  }

  return (
    <div data-testid="override-form">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('override.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('override.text')}</Typography.Paragraph>
      <Form<OverrideValues>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'once', tier: current, reason: '' }}
        onFinish={submit}
        requiredMark
      >
        <Form.Item name="kind" label={t('override.kind')} rules={[{ required: true }]}>
          <Radio.Group data-testid="override-kind">
            <Space orientation="vertical" size={4}>
              {kinds.map((k) => (
                <Radio key={k} value={k}>
                  {t(`override.kind.${k}`)}
                  <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
                    {t(`override.kind.${k}.hint`)}
                  </Typography.Text>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="tier" label={t('override.tier')} rules={[{ required: true }]}>
          <Select<string>
            data-testid="override-tier"
            style={{ maxWidth: 240 }}
            options={run.tiers.map((tier) => ({
              value: tier.code,
              label: (
                <Space size={6}>
                  <span className="tl-dot" style={{ background: tier.color }} />
                  {tier.name}
                </Space>
              ),
            }))}
          />
        </Form.Item>
        {kind === 'until' || kind === 'floor' ? (
          <Form.Item
            name="until"
            label={t('override.until')}
            extra={t(kind === 'until' ? 'override.until.required' : 'override.until.optional')}
            rules={
              kind === 'until' ? [{ required: true, message: t('override.until.missing') }] : []
            }
          >
            <DatePicker picker="month" data-testid="override-until" format="YYYY-MM" />
          </Form.Item>
        ) : null}
        <Form.Item
          name="reason"
          label={t('override.reason')}
          rules={[
            {
              validator: (_rule, value: string | undefined) =>
                (value ?? '').trim().length >= 5
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('override.reason.rule'))),
            },
          ]}
        >
          <Input.TextArea
            data-testid="override-reason"
            rows={3}
            maxLength={500}
            showCount
            placeholder={t('override.reason.placeholder')}
          />
        </Form.Item>
        {override.error === null ? null : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="override-error"
            title={t('override.failed')}
            description={override.error.message}
          />
        )}
        <Button
          type="primary"
          htmlType="submit"
          loading={override.isPending}
          data-testid="override-submit"
        >
          {t('override.submit')}
        </Button>
      </Form>
    </div>
  );
}
