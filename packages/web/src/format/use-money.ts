import { useMemo } from 'react';
import { useTenant } from '../api/queries';
import { useI18n } from '../i18n/locale';
import { formatMoney, formatMoneyShort, formatNumber, formatPercent } from './money';

/** Formatters bound to the tenant's currency and the UI language. */
export function useFormat() {
  const { locale } = useI18n();
  const tenant = useTenant().data;
  const currency = tenant?.currency ?? 'CNY';
  const minorUnits = tenant?.currencyMinorUnits ?? 2;
  return useMemo(() => {
    const fmt = { currency, minorUnits, locale };
    return {
      money: (minor: number) => formatMoney(minor, fmt),
      moneyShort: (minor: number) => formatMoneyShort(minor, fmt),
      number: (value: number, maxFractionDigits = 0) =>
        formatNumber(value, locale, maxFractionDigits),
      percent: (ratio: number) => formatPercent(ratio, locale),
    };
  }, [currency, minorUnits, locale]);
}
