import type { DealerStatus } from '@tierline/contract';
import { Tag } from 'antd';
import { useI18n } from '../i18n/locale';

/** Tag colours by dealer status: green is business as usual, grey is over. */
export const statusColor: Record<DealerStatus, string> = {
  active: 'green',
  probation: 'gold',
  suspended: 'volcano',
  terminated: 'default',
};

/** Hex colours matching the tags, for figures and charts. */
export const statusHex: Record<DealerStatus, string> = {
  active: '#389e0d',
  probation: '#d48806',
  suspended: '#d4380d',
  terminated: '#8c8c8c',
};

export function StatusTag({ status }: { status: DealerStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={statusColor[status]} data-testid="dealer-status" data-status={status}>
      {t(`status.${status}`)}
    </Tag>
  );
}
