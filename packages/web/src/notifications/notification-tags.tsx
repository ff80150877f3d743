import type {
  NotificationChannelKind,
  NotificationDeliveryStatus,
  NotificationEvent,
} from '@tierline/contract';
import { Tag } from 'antd';
import { useI18n } from '../i18n/locale';
import { deliveryStatusColour } from './delivery-log';

const kindColour: Readonly<Record<NotificationChannelKind, string>> = {
  dingtalk: 'blue',
  wecom: 'green',
  feishu: 'cyan',
  webhook: 'purple',
  email: 'default',
};

export function ChannelKindTag({ kind }: { kind: NotificationChannelKind }) {
  const { t } = useI18n();
  return <Tag color={kindColour[kind]}>{t(`notifications.kind.${kind}`)}</Tag>;
}

export function DeliveryStatusTag({ status }: { status: NotificationDeliveryStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={deliveryStatusColour[status]} data-testid={`delivery-status-${status}`}>
      {t(`notifications.log.status.${status}`)}
    </Tag>
  );
}

export function EventTag({ event }: { event: NotificationEvent | 'test' }) {
  const { t } = useI18n();
  return <Tag variant="outlined">{t(`notifications.event.${event}`)}</Tag>;
}
