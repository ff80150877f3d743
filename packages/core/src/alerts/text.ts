import type { AlertContext, Bilingual } from './types.js';

/** Group digits by three: 1234567 → "1,234,567". */
function grouped(n: number): string {
  const s = String(Math.abs(Math.round(n)));
  return `${n < 0 ? '-' : ''}${s.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/**
 * An amount in minor units as whole major units, for texts: "¥12,345" (or "-¥12,345") for CNY, "USD 12,345"
 * otherwise (the reports carry the exact minor units next to it).
 */
export function formatMoney(minor: number, currency: AlertContext['currency']): string {
  const code = currency?.code ?? 'CNY';
  const units = currency?.minorUnits ?? 2;
  const major = grouped(Math.abs(minor) / 10 ** units);
  const sign = Math.round(minor / 10 ** units) < 0 ? '-' : '';
  return code === 'CNY' ? `${sign}¥${major}` : `${sign}${code} ${major}`;
}

/** A ratio as a percentage with at most one decimal: −0.2345 → "-23.5%". */
export function formatPercent(ratio: number): string {
  const p = Math.round(ratio * 1000) / 10;
  return `${p}%`;
}

/** A plain number, grouped, with up to two decimals. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return grouped(n);
  return String(Math.round(n * 100) / 100);
}

export function both(zh: string, en: string): Bilingual {
  return { zh, en };
}
