import type { AllocationPurpose, AllocationStatus } from '@tierline/contract';
import { Tag } from 'antd';
import { useI18n } from '../i18n/locale';

const statusColor: Record<AllocationStatus, string> = {
  draft: 'blue',
  published: 'green',
  discarded: 'default',
};

export function AllocationStatusTag({ status }: { status: AllocationStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={statusColor[status]} data-testid="allocation-status" data-status={status}>
      {t(`allocations.status.${status}`)}
    </Tag>
  );
}

export function PurposeTag({ purpose }: { purpose: AllocationPurpose }) {
  const { t } = useI18n();
  return (
    <Tag color={purpose === 'market_fund' ? 'purple' : 'geekblue'} data-purpose={purpose}>
      {t(`allocations.purpose.${purpose}`)}
    </Tag>
  );
}
