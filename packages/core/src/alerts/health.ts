import { both, formatPercent } from './text.js';
import type { AlertSeverity, Bilingual } from './types.js';

/** A dealer's health at a glance. */
export type HealthBand = 'green' | 'yellow' | 'red';

/** A trend at or below this (sales of the last 3 months against a year earlier) is yellow… */
export const TREND_YELLOW = -0.1;
/** …and at or below this, with an open warning, red. */
export const TREND_RED = -0.25;

/**
 * A dealer's health band from its open (or acknowledged) alerts and its sales trend:
 * - red: a critical alert; or three warnings or more; or a warning with the trend at −25 % or worse;
 * - yellow: a warning; or the trend at −10 % or worse; or two info alerts or more;
 * - green: anything else.
 * `trend` is the last 3 months' sales against the same months a year earlier, minus 1 (null:
 * unknown). Every reason is returned in both languages.
 */
export function healthBand(input: {
  readonly open: readonly { readonly severity: AlertSeverity; readonly title?: string }[];
  readonly trend: number | null;
}): { band: HealthBand; reasons: Bilingual[] } {
  const count = (s: AlertSeverity) => input.open.filter((a) => a.severity === s).length;
  const critical = count('critical');
  const warning = count('warning');
  const info = count('info');
  const trend = input.trend;
  const reasons: Bilingual[] = [];
  if (critical > 0)
    reasons.push(both(`${critical} 条严重预警未关闭`, `${critical} open critical alert(s)`));
  if (warning > 0) reasons.push(both(`${warning} 条警告预警未关闭`, `${warning} open warning(s)`));
  if (info > 0) reasons.push(both(`${info} 条提示预警未关闭`, `${info} open info alert(s)`));
  if (trend !== null && trend <= TREND_YELLOW) {
    reasons.push(
      both(
        `近3个月销售额同比 ${formatPercent(trend)}`,
        `Sales of the last 3 months ${formatPercent(trend)} year over year`,
      ),
    );
  }
  const red = critical > 0 || warning >= 3 || (warning > 0 && trend !== null && trend <= TREND_RED);
  const yellow = warning > 0 || info >= 2 || (trend !== null && trend <= TREND_YELLOW);
  const band: HealthBand = red ? 'red' : yellow ? 'yellow' : 'green';
  if (band === 'green')
    reasons.push(both('无未关闭预警，销售趋势正常', 'No open alerts; sales trend normal'));
  return { band, reasons };
}
