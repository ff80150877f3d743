import { CheckOutlined, MinusOutlined } from '@ant-design/icons';
import type { BenefitUnit, BenefitValue } from '@tierline/contract';
import { Typography } from 'antd';
import type { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { basisPointsText } from './benefit-values';

/** A benefit's value as people read it: 1.5%, ¥500,000.00, 2, A, yes/no; a dash for none. */
export function BenefitValueText({
  unit,
  value,
  format,
}: {
  unit: BenefitUnit;
  value: BenefitValue | undefined;
  format: ReturnType<typeof useFormat>;
}) {
  const { t } = useI18n();
  if (value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  switch (unit) {
    case 'basis_points':
      return (
        <span className="tl-num">
          {typeof value === 'number' ? basisPointsText(value) : String(value)}
        </span>
      );
    case 'money':
      return (
        <span className="tl-num">
          {typeof value === 'number' ? format.money(value) : String(value)}
        </span>
      );
    case 'count':
      return (
        <span className="tl-num">
          {typeof value === 'number' ? format.number(value) : String(value)}
        </span>
      );
    case 'level':
    case 'text':
      return <span>{String(value)}</span>;
    case 'flag':
      return value === true ? (
        <span style={{ color: '#389e0d' }}>
          <CheckOutlined /> {t('benefits.flag.yes')}
        </span>
      ) : (
        <Typography.Text type="secondary">
          <MinusOutlined /> {t('benefits.flag.no')}
        </Typography.Text>
      );
  }
}
