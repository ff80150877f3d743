/** Formatters the evidence needs, bound to the tenant's currency and the UI language. */
export interface ValueFormat {
  money: (minor: number) => string;
  number: (value: number, maxFractionDigits?: number) => string;
  percent: (ratio: number) => string;
}

/**
 * A measure's value as a reader expects it: money in the tenant's currency, ratios as
 * percents, days and counts as numbers (at most one decimal); money to the nearest minor unit. Unknown units read as numbers;
 * null reads as a dash.
 */
export function measureValue(
  unit: string | undefined,
  value: number | null,
  format: ValueFormat,
): string {
  if (value === null) return '—';
  switch (unit) {
    case 'money':
      // A channel-adjusted reference (target × the channel's achievement) is not a whole
      // number of minor units; it reads to the nearest one.
      return format.money(Math.round(value));
    case 'ratio':
      return format.percent(value);
    default:
      return format.number(value, 1);
  }
}

/** A relative change with its sign (`+12.5%`, `−30%`); null reads as a dash. */
export function signedPercent(change: number | null, format: ValueFormat): string {
  if (change === null) return '—';
  const text = format.percent(Math.abs(change));
  if (change > 0) return `+${text}`;
  if (change < 0) return `−${text}`;
  return text;
}
