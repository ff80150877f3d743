import type { RebateProgramRef } from '@tierline/contract';
import { Space, Tag, Tooltip } from 'antd';
import { useI18n } from '../i18n/locale';
import { percentText } from './rebate-ladder';

/** A rate in basis points as the UI shows it: 250 → "2.5%". */
export function useRate(): (basisPoints: number) => string {
  const { locale } = useI18n();
  return (basisPoints) =>
    `${Number(percentText(basisPoints)).toLocaleString(locale, { maximumFractionDigits: 2 })}%`;
}

/** A program's terms as tags: period kind, basis, method (with its one-line explanation). */
export function ProgramTerms({ program }: { program: RebateProgramRef }) {
  const { t } = useI18n();
  return (
    <Space size={[4, 4]} wrap>
      <Tag>{t(`rebates.kind.${program.periodKind}`)}</Tag>
      <Tag color={program.basis === 'growth' ? 'green' : 'blue'}>
        {t(`rebates.basis.${program.basis}`)}
      </Tag>
      <Tooltip title={t(`rebates.method.${program.method}.hint`)}>
        <Tag
          color={program.method === 'retroactive' ? 'purple' : 'cyan'}
          data-testid="rebate-method"
        >
          {t(`rebates.method.${program.method}`)}
        </Tag>
      </Tooltip>
    </Space>
  );
}
