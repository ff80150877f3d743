import type { AlertSeverity, AlertStatus } from '@tierline/contract';
import { Tag } from 'antd';
import { useI18n } from '../i18n/locale';

const severityColour: Record<AlertSeverity, string> = {
  critical: 'red',
  warning: 'orange',
  info: 'blue',
};

const statusColour: Record<AlertStatus, string> = {
  open: 'volcano',
  acknowledged: 'gold',
  resolved: 'green',
  dismissed: 'default',
};

export function SeverityTag({ severity }: { severity: AlertSeverity }) {
  const { t } = useI18n();
  return (
    <Tag color={severityColour[severity]} data-testid={`severity-${severity}`}>
      {t(`alerts.severity.${severity}`)}
    </Tag>
  );
}

export function AlertStatusTag({ status }: { status: AlertStatus }) {
  const { t } = useI18n();
  return <Tag color={statusColour[status]}>{t(`alerts.status.${status}`)}</Tag>;
}
