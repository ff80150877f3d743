import { parseDay } from '../demo/calendar.js';
import { addMonths, monthIndex } from '../month.js';
import { alertMeasure, isSalesRule, maxSeverity } from './rules.js';
import {
  median,
  MIN_CHANNEL_DEALERS,
  monthlyValues,
  monthsFrom,
  robustSd,
  seasonalIndex,
} from './series.js';
import { both, formatMoney, formatNumber, formatPercent } from './text.js';
import type {
  AlertCondition,
  AlertContext,
  AlertEvidence,
  AlertRule,
  Bilingual,
  ChannelMonth,
  DealerAlertInput,
  DeclineParams,
  DiagnosisWindows,
  EvidenceItem,
  EvidencePoint,
} from './types.js';

/** Ratios are compared with this slack, so that exactly −20 % counts as a fall of 20 %. */
const EPSILON = 1e-9;
/** Days a stock snapshot stays current for the stock-out rule. */
const STOCK_FRESH_DAYS = 45;
/** Sales days the stock-out rule divides by (the facts' `soldQuantity` covers them). */
export const STOCK_SALES_DAYS = 30;

/**
 * Months of rollups (ending with the as-of month) that a rule reads: what the server must load.
 *
 * @example ruleLookback(decline yoy, periods 3, window 3) // 17 = 3 − 1 + 3 + 12 … + 1
 */
export function ruleLookback(rule: AlertRule): number {
  switch (rule.kind) {
    case 'missed_target':
    case 'threshold':
    case 'near_expiry_inventory':
      return rule.params.periods;
    case 'decline':
      return rule.params.compare === 'baseline'
        ? rule.params.periods + baselineSpan(rule.params)
        : rule.params.compare === 'mom'
          ? rule.params.periods - 1 + 2 * rule.params.window
          : rule.params.periods - 1 + rule.params.window + 12;
    case 'anomaly':
      return rule.params.periods + rule.params.baseline;
    case 'licence_expiry':
    case 'stockout_risk':
    case 'collection_overdue':
      return 1;
  }
}

/**
 * The last `need` months of a measure up to the as-of month: raw, the channel's seasonal index
 * (from the dealer's sales; all 1 when not `seasonal`) and the values divided by it.
 */
function adjustedSeries(
  input: DealerAlertInput,
  measure: string,
  need: number,
  ctx: AlertContext,
  seasonal: boolean,
) {
  const from = addMonths(ctx.asOf, -(need - 1));
  const months = monthsFrom(from, need);
  const values = monthlyValues(input, measure, from, ctx.asOf);
  const index = seasonal
    ? seasonalIndex(
        channelUpTo(ctx),
        months,
        measure === 'sales_amount' ? values : monthlyValues(input, 'sales_amount', from, ctx.asOf),
      )
    : months.map(() => 1);
  const adjusted = values.map((v, i) => (v === null ? null : v / (index[i] as number)));
  return { months, values, index, adjusted };
}

/** Months before the run a `baseline` decline reads: its level, and the year its swing is measured over. */
function baselineSpan(params: DeclineParams): number {
  const level = params.baseline ?? DEFAULT_BASELINE_MONTHS;
  return (params.swing ?? 0) > 0 ? Math.max(level, SWING_MONTHS) : level;
}

/** Months of a `baseline` decline's level when the rule does not say. */
export const DEFAULT_BASELINE_MONTHS = 6;
/** Months before the run over which a dealer's usual swing is measured. */
const SWING_MONTHS = 12;

/**
 * A `baseline` decline: each of the last `periods` months is at least `percent` % below the
 * dealer's own level, the mean of the `baseline` months before the run (each month divided by
 * the channel's seasonal index when `seasonal`), and, with `swing` k > 0, also more than k times
 * the dealer's usual swing below it (the coefficient of variation of its months over the year
 * before the run), so that ordinary thin months of a dealer who orders in lumps do not count.
 */
function declineAgainstBaseline(
  params: DeclineParams,
  input: DealerAlertInput,
  ctx: AlertContext,
  make: (title: Bilingual, evidence: AlertEvidence, windows: DiagnosisWindows) => AlertCondition,
): AlertCondition | null {
  const { measure, percent, periods, seasonal } = params;
  const baseline = params.baseline ?? DEFAULT_BASELINE_MONTHS;
  const swing = params.swing ?? 0;
  const before = baselineSpan(params);
  const need = periods + before;
  const { months, values, index, adjusted } = adjustedSeries(input, measure, need, ctx, seasonal);
  const levelMonths = adjusted.slice(before - baseline, before);
  if (levelMonths.some((v) => v === null)) return null;
  const level = (levelMonths as number[]).reduce((a, b) => a + b, 0) / baseline;
  if (level <= 0) return null;
  let bar = -percent / 100;
  let cv: number | null = null;
  if (swing > 0) {
    const year = adjusted
      .slice(before - SWING_MONTHS, before)
      .filter((v): v is number => v !== null);
    if (year.length < SWING_MONTHS / 2) return null;
    const mean = year.reduce((a, b) => a + b, 0) / year.length;
    if (mean <= 0) return null;
    cv = Math.sqrt(year.reduce((a, v) => a + (v / mean - 1) ** 2, 0) / (year.length - 1));
    bar = Math.min(bar, -swing * cv);
  }
  const points: EvidencePoint[] = [];
  for (let i = before; i < need; i++) {
    const a = adjusted[i];
    const v = values[i];
    if (a === null || a === undefined || v === null || v === undefined) return null;
    if (a / level - 1 > bar + EPSILON) return null;
    const expected = level * (index[i] as number);
    points.push({
      month: months[i] as string,
      value: v,
      reference: Math.round(expected),
      referenceKind: 'expected',
      change: v / expected - 1,
    });
  }
  const name = alertMeasure(measure)?.name ?? { zh: measure, en: measure };
  const run = months.slice(before);
  const gaps = points.map((p) => formatPercent(p.change ?? 0)).join(', ');
  const levelZh = `前${baseline}个月平均水平${seasonal ? '×渠道季节指数' : ''}`;
  const levelEn = `the mean of the ${baseline} months before${seasonal ? " × the channel's seasonal index" : ''}`;
  const swingZh =
    cv === null ? '' : `；该经销商平时月度波动 ${formatPercent(cv)}，门槛 ${formatPercent(bar)}`;
  const swingEn =
    cv === null
      ? ''
      : `; the dealer's usual monthly swing is ${formatPercent(cv)}, so the bar is ${formatPercent(bar)}`;
  return make(
    both(
      `${name.zh}连续${periods}个月低于自身水平${percent}%以上`,
      `${name.en} more than ${percent}% below the dealer's own level, ${periods} month(s) running`,
    ),
    {
      summary: both(
        `${run.join('、')} ${name.zh}较预期（${levelZh}）变化 ${gaps}${swingZh}。`,
        `${name.en} ${run.join(', ')} against expected (${levelEn}): ${gaps}${swingEn}.`,
      ),
      measure,
      points,
      items: [],
    },
    // The diagnosis compares the run with as many months just before it.
    { current: run, baseline: months.slice(before - periods, before) },
  );
}

/**
 * Every enabled rule that holds for one dealer as of `ctx.asOf` (monthly rules) and `ctx.day`
 * (time rules), each with the numbers that made it hold. Disabled rules are skipped.
 */
export function evaluateDealer(
  rules: readonly AlertRule[],
  input: DealerAlertInput,
  ctx: AlertContext,
): AlertCondition[] {
  const out: AlertCondition[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const condition = evaluateRule(rule, input, ctx);
    if (condition) out.push(condition);
  }
  return out;
}

/**
 * Whether one rule holds for one dealer, and why. Monthly rules need every month they read to be
 * known (a dealer that started too recently, or a month without a target, gives no condition);
 * time rules count days from `ctx.day`. Pure: the same input gives the same condition.
 */
export function evaluateRule(
  rule: AlertRule,
  input: DealerAlertInput,
  ctx: AlertContext,
): AlertCondition | null {
  const make = (
    title: Bilingual,
    evidence: AlertEvidence,
    windows: DiagnosisWindows | null,
    severity = rule.severity,
  ): AlertCondition => ({
    rule: rule.code,
    kind: rule.kind,
    severity,
    month: ctx.asOf,
    title,
    evidence,
    windows: isSalesRule(rule) ? windows : null,
  });
  const measureName = (key: string) => alertMeasure(key)?.name ?? { zh: key, en: key };
  const yearEarlier = (months: readonly string[]) => months.map((m) => addMonths(m, -12));

  switch (rule.kind) {
    case 'missed_target': {
      const { periods, below } = rule.params;
      const from = addMonths(ctx.asOf, -(periods - 1));
      const months = monthsFrom(from, periods);
      const sales = monthlyValues(input, 'sales_amount', from, ctx.asOf);
      const target = monthlyValues(input, 'target_amount', from, ctx.asOf);
      const points: EvidencePoint[] = [];
      let salesSum = 0;
      let targetSum = 0;
      for (let k = 0; k < periods; k++) {
        const s = sales[k];
        const raw = target[k];
        if (s === null || s === undefined || raw === null || raw === undefined || raw <= 0) {
          return null;
        }
        const t = rule.params.seasonal
          ? raw * channelAchievement(ctx, months[k] as string, s, raw)
          : raw;
        if (s / t >= below - EPSILON) return null;
        salesSum += s;
        targetSum += t;
        points.push({
          month: months[k] as string,
          value: s,
          // A target scaled by the channel's achievement is money too: whole minor units.
          reference: Math.round(t),
          referenceKind: 'target',
          change: s / t - 1,
        });
      }
      if (salesSum / targetSum >= rule.params.overall - EPSILON) return null;
      const rates = points.map((p) => formatPercent(1 + (p.change ?? 0))).join(', ');
      return make(
        both(
          `连续${periods}个月未达成销售目标（达成率低于${formatPercent(below)}）`,
          `Below ${formatPercent(below)} of the sales target ${periods} month(s) running`,
        ),
        {
          summary: both(
            `${months.join('、')} 目标达成率分别为 ${rates}。`,
            `Target achievement ${months.join(', ')}: ${rates}.`,
          ),
          measure: 'sales_amount',
          points,
          items: [],
        },
        { current: months, baseline: yearEarlier(months) },
      );
    }

    case 'decline': {
      if (rule.params.compare === 'baseline') {
        return declineAgainstBaseline(rule.params, input, ctx, (title, evidence, windows) =>
          make(title, evidence, windows),
        );
      }
      const { measure, percent, periods, compare, window, seasonal } = rule.params;
      const need = ruleLookback(rule);
      const from = addMonths(ctx.asOf, -(need - 1));
      const months = monthsFrom(from, need);
      const values = monthlyValues(input, measure, from, ctx.asOf);
      const adjust = seasonal;
      const index = adjust
        ? seasonalIndex(
            channelUpTo(ctx),
            months,
            measure === 'sales_amount'
              ? values
              : monthlyValues(input, 'sales_amount', from, ctx.asOf),
          )
        : null;
      const sum = (a: number, b: number, adjusted: boolean): number | null => {
        let total = 0;
        for (let i = a; i <= b; i++) {
          const v = values[i];
          if (v === null || v === undefined) return null;
          total += adjusted && index ? v / (index[i] as number) : v;
        }
        return total;
      };
      const last = need - 1;
      const points: EvidencePoint[] = [];
      for (let k = periods - 1; k >= 0; k--) {
        const e = last - k;
        const [b0, b1] =
          compare === 'mom' ? [e - 2 * window + 1, e - window] : [e - window + 1 - 12, e - 12];
        const cur = sum(e - window + 1, e, false);
        const base = sum(b0, b1, false);
        if (cur === null || base === null || base <= 0) return null;
        const change = cur / base - 1;
        let adjustedChange: number | null = null;
        if (adjust) {
          const ca = sum(e - window + 1, e, true) as number;
          const ba = sum(b0, b1, true) as number;
          adjustedChange = ba > 0 ? ca / ba - 1 : null;
        }
        const tested = adjustedChange ?? change;
        if (tested > -percent / 100 + EPSILON) return null;
        points.push({
          month: months[e] as string,
          value: cur,
          reference: base,
          referenceKind: compare === 'mom' ? 'previous' : 'year_ago',
          change,
          ...(adjust ? { adjustedChange } : {}),
        });
      }
      const name = measureName(measure);
      const span = window === 1 ? '' : `滚动${window}个月`;
      const spanEn = window === 1 ? '' : `rolling ${window}-month `;
      const how = compare === 'mom' ? '环比' : '同比';
      const howEn = compare === 'mom' ? 'against the previous period' : 'against a year earlier';
      const changes = points
        .map((p) => formatPercent((adjust ? p.adjustedChange : p.change) ?? 0))
        .join(', ');
      const current = months.slice(last - window + 1);
      const baseline =
        compare === 'mom'
          ? months.slice(last - (periods - 1) - 2 * window + 1, last - (periods - 1) - window + 1)
          : yearEarlier(current);
      return make(
        both(
          `${span}${name.zh}${how}连续${periods}个月下降超过${percent}%`,
          `${spanEn}${name.en} down more than ${percent}% ${howEn}, ${periods} month(s) running`,
        ),
        {
          summary: both(
            `${points.map((p) => p.month).join('、')} ${span}${name.zh}${how}变化 ${changes}${adjust ? '（经季节调整）' : ''}。`,
            `${spanEn}${name.en} change ${howEn} at ${points.map((p) => p.month).join(', ')}: ${changes}${adjust ? ' (seasonally adjusted)' : ''}.`,
          ),
          measure,
          points,
          items: [],
        },
        { current, baseline },
      );
    }

    case 'threshold': {
      const { measure, op, value, periods } = rule.params;
      const from = addMonths(ctx.asOf, -(periods - 1));
      const months = monthsFrom(from, periods);
      const values = monthlyValues(input, measure, from, ctx.asOf);
      const points: EvidencePoint[] = [];
      for (let k = 0; k < periods; k++) {
        const v = values[k];
        if (v === null || v === undefined || !compareOp(v, op, value)) return null;
        points.push({
          month: months[k] as string,
          value: v,
          reference: value,
          referenceKind: 'threshold',
          change: value !== 0 ? v / value - 1 : null,
        });
      }
      const def = alertMeasure(measure);
      const show = (v: number) =>
        def?.unit === 'money'
          ? formatMoney(v, ctx.currency)
          : def?.unit === 'ratio'
            ? formatPercent(v)
            : formatNumber(v);
      const name = measureName(measure);
      const opZh = { '<': '低于', '<=': '不高于', '>': '高于', '>=': '不低于' }[op];
      const opEn = { '<': 'below', '<=': 'at most', '>': 'above', '>=': 'at least' }[op];
      const run = periods > 1 ? `，连续${periods}个月` : '';
      const runEn = periods > 1 ? `, ${periods} months running` : '';
      return make(
        both(`${name.zh}${opZh}${show(value)}${run}`, `${name.en} ${opEn} ${show(value)}${runEn}`),
        {
          summary: both(
            `${points.map((p) => `${p.month} ${name.zh} ${show(p.value)}`).join('，')}。`,
            `${points.map((p) => `${p.month} ${name.en} ${show(p.value)}`).join(', ')}.`,
          ),
          measure,
          points,
          items: [],
        },
        { current: months, baseline: yearEarlier(months) },
      );
    }

    case 'anomaly': {
      const { measure, k, periods, baseline, minDrop } = rule.params;
      const need = periods + baseline;
      const { months, values, index, adjusted } = adjustedSeries(input, measure, need, ctx, true);
      const history = adjusted.slice(0, baseline).filter((v): v is number => v !== null);
      if (history.length < Math.max(6, Math.ceil(baseline / 2))) return null;
      const level = median(history);
      if (level <= 0) return null;
      const eps = 0.05 * level;
      const residual = (a: number) => Math.log((a + eps) / (level + eps));
      const residuals = history.map(residual);
      const centre = median(residuals);
      const sd = Math.max(robustSd(residuals), 0.05);
      const points: EvidencePoint[] = [];
      for (let i = baseline; i < need; i++) {
        const a = adjusted[i];
        const v = values[i];
        if (a === null || a === undefined || v === null || v === undefined) return null;
        const z = (residual(a) - centre) / sd;
        if (z > -k || a / level - 1 > -minDrop / 100) return null;
        const expected = level * (index[i] as number);
        points.push({
          month: months[i] as string,
          value: v,
          reference: Math.round(expected),
          referenceKind: 'expected',
          change: expected > 0 ? v / expected - 1 : null,
          z: Math.round(z * 100) / 100,
        });
      }
      const name = measureName(measure);
      const run = months.slice(baseline);
      const gaps = points.map((p) => formatPercent(p.change ?? 0)).join(', ');
      return make(
        both(
          `${name.zh}异常下跌：连续${periods}个月显著低于自身历史水平`,
          `${name.en} far below the dealer's own history, ${periods} month(s) running`,
        ),
        {
          summary: both(
            `${run.join('、')} ${name.zh}较预期（近${baseline}个月水平×渠道季节指数）偏离 ${gaps}，z 值 ${points.map((p) => p.z).join(', ')}。`,
            `${name.en} ${run.join(', ')} against expected (the ${baseline}-month level × the channel's seasonal index): ${gaps}; z ${points.map((p) => p.z).join(', ')}.`,
          ),
          measure,
          points,
          items: [],
        },
        { current: run, baseline: yearEarlier(run) },
      );
    }

    case 'licence_expiry': {
      const latest = new Map<string, { number: string; expiresOn: string | null }>();
      for (const l of input.licences ?? []) {
        const seen = latest.get(l.kind);
        // A licence without expiry, or a later one of the same kind, supersedes the others.
        if (
          !seen ||
          (seen.expiresOn !== null && (l.expiresOn === null || l.expiresOn > seen.expiresOn))
        ) {
          latest.set(l.kind, { number: l.number, expiresOn: l.expiresOn });
        }
      }
      const today = parseDay(ctx.day);
      const items: EvidenceItem[] = [];
      for (const [kind, l] of [...latest.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        if (l.expiresOn === null) continue;
        const left = parseDay(l.expiresOn) - today;
        if (left <= rule.params.days) {
          items.push({
            label: `${LICENCE_NAMES[kind] ?? kind} ${l.number}`,
            date: l.expiresOn,
            days: left,
            amount: null,
            quantity: null,
          });
        }
      }
      if (items.length === 0) return null;
      const expired = items.some((i) => (i.days ?? 0) < 0);
      const describe = (i: EvidenceItem, en: boolean) =>
        (i.days ?? 0) < 0
          ? en
            ? `${i.label} expired on ${i.date} (${-(i.days ?? 0)} days ago)`
            : `${i.label} 已于 ${i.date} 过期（${-(i.days ?? 0)} 天）`
          : en
            ? `${i.label} expires on ${i.date} (in ${i.days} days)`
            : `${i.label} 将于 ${i.date} 到期（还剩 ${i.days} 天）`;
      return make(
        expired
          ? both('资质已过期', 'A licence has expired')
          : both(
              `资质将在${rule.params.days}天内到期`,
              `A licence expires within ${rule.params.days} days`,
            ),
        {
          summary: both(
            `${items.map((i) => describe(i, false)).join('；')}。`,
            `${items.map((i) => describe(i, true)).join('; ')}.`,
          ),
          measure: null,
          points: [],
          items,
        },
        null,
        expired ? maxSeverity(rule.severity, 'critical') : rule.severity,
      );
    }

    case 'near_expiry_inventory': {
      const { share, periods, minValue } = rule.params;
      const from = addMonths(ctx.asOf, -(periods - 1));
      const months = monthsFrom(from, periods);
      const stock = monthlyValues(input, 'inventory_value', from, ctx.asOf);
      const near = monthlyValues(input, 'near_expiry_value', from, ctx.asOf);
      const points: EvidencePoint[] = [];
      for (let i = 0; i < periods; i++) {
        const s = stock[i];
        const n = near[i];
        if (s === null || s === undefined || n === null || n === undefined || s <= 0) return null;
        if (n / s < share - EPSILON || n < minValue) return null;
        points.push({
          month: months[i] as string,
          value: n,
          reference: s,
          referenceKind: 'threshold',
          change: n / s,
        });
      }
      const shares = points.map((p) => formatPercent(p.change ?? 0)).join(', ');
      const lastPoint = points[points.length - 1] as EvidencePoint;
      return make(
        both(
          `临期库存占比超过${formatPercent(share)}`,
          `Near-expiry stock above ${formatPercent(share)} of stock`,
        ),
        {
          summary: both(
            `${months.join('、')} 临期库存占月末库存 ${shares}；最近一月临期库存 ${formatMoney(lastPoint.value, ctx.currency)}。`,
            `Near-expiry share of month-end stock ${months.join(', ')}: ${shares}; last month ${formatMoney(lastPoint.value, ctx.currency)} near expiry.`,
          ),
          measure: 'near_expiry_value',
          points,
          items: [],
        },
        null,
      );
    }

    case 'stockout_risk': {
      const today = parseDay(ctx.day);
      const items: EvidenceItem[] = [];
      for (const s of input.stock ?? []) {
        if (s.soldQuantity < rule.params.minQuantity) continue;
        const age = today - parseDay(s.snapshotOn);
        if (age < 0 || age > STOCK_FRESH_DAYS) continue;
        const cover = s.quantity / (s.soldQuantity / STOCK_SALES_DAYS);
        if (cover < rule.params.days) {
          items.push({
            label: `${s.sku} ${s.name}`,
            date: s.snapshotOn,
            days: Math.round(cover * 10) / 10,
            amount: null,
            quantity: s.quantity,
          });
        }
      }
      if (items.length === 0) return null;
      items.sort((a, b) => (a.days ?? 0) - (b.days ?? 0) || a.label.localeCompare(b.label));
      const list = (en: boolean) =>
        items
          .slice(0, 5)
          .map((i) => (en ? `${i.label}: ${i.days} days` : `${i.label}：${i.days} 天`))
          .join(en ? '; ' : '；');
      return make(
        both(
          `${items.length}个SKU库存不足${rule.params.days}天销量`,
          `${items.length} SKU(s) with less than ${rule.params.days} days of stock`,
        ),
        {
          summary: both(
            `按近${STOCK_SALES_DAYS}天销量计算的库存可售天数：${list(false)}。`,
            `Days of cover at the last ${STOCK_SALES_DAYS} days' sales: ${list(true)}.`,
          ),
          measure: null,
          points: [],
          items,
        },
        null,
      );
    }

    case 'collection_overdue': {
      const today = parseDay(ctx.day);
      const items: EvidenceItem[] = [];
      let total = 0;
      for (const invoice of input.openInvoices ?? []) {
        const late = today - parseDay(invoice.dueOn);
        if (late > rule.params.days && invoice.outstanding > 0) {
          total += invoice.outstanding;
          items.push({
            label: invoice.invoiceNo,
            date: invoice.dueOn,
            days: late,
            amount: invoice.outstanding,
            quantity: null,
          });
        }
      }
      if (items.length === 0 || total < rule.params.minAmount) return null;
      items.sort((a, b) => (b.days ?? 0) - (a.days ?? 0) || a.label.localeCompare(b.label));
      const oldest = items[0] as EvidenceItem;
      return make(
        both(
          `逾期超过${rule.params.days}天未回款 ${formatMoney(total, ctx.currency)}`,
          `${formatMoney(total, ctx.currency)} unpaid more than ${rule.params.days} days past due`,
        ),
        {
          summary: both(
            `${items.length} 张发票逾期超过 ${rule.params.days} 天，合计未回款 ${formatMoney(total, ctx.currency)}；最早一张 ${oldest.label} 于 ${oldest.date} 到期，已逾期 ${oldest.days} 天。`,
            `${items.length} invoice(s) more than ${rule.params.days} days overdue, ${formatMoney(total, ctx.currency)} unpaid; the oldest, ${oldest.label}, was due on ${oldest.date} (${oldest.days} days ago).`,
          ),
          measure: null,
          points: [
            {
              month: ctx.asOf,
              value: total,
              reference: rule.params.minAmount,
              referenceKind: 'threshold',
              change: null,
            },
          ],
          items,
        },
        null,
      );
    }
  }
}

const LICENCE_NAMES: Readonly<Record<string, string>> = {
  business_licence: '营业执照',
  food_business_licence: '食品经营许可证',
};

function compareOp(v: number, op: '<' | '<=' | '>' | '>=', value: number): boolean {
  switch (op) {
    case '<':
      return v < value;
    case '<=':
      return v <= value;
    case '>':
      return v > value;
    case '>=':
      return v >= value;
  }
}

/**
 * The other dealers' sales over their targets in a month, at most 1 (1 when unknown or when
 * fewer than MIN_CHANNEL_DEALERS dealers have targets).
 */
function channelAchievement(
  ctx: AlertContext,
  month: string,
  sales: number,
  target: number,
): number {
  const c = ctx.channel.find((x) => x.month === month);
  if (!c || c.target === undefined || c.targetedSales === undefined) return 1;
  if (c.dealers - 1 < MIN_CHANNEL_DEALERS) return 1;
  const others = c.target - target;
  if (others <= 0) return 1;
  return Math.min(1, Math.max(0.2, (c.targetedSales - sales) / others));
}

const UP_TO = new WeakMap<readonly ChannelMonth[], Map<string, readonly ChannelMonth[]>>();
/**
 * The channel's months up to the as-of month: a past evaluation never sees later data. The same
 * array for the same channel and month, so that the seasonal index is indexed once.
 */
function channelUpTo(ctx: AlertContext): readonly ChannelMonth[] {
  let byMonth = UP_TO.get(ctx.channel);
  if (!byMonth) UP_TO.set(ctx.channel, (byMonth = new Map<string, readonly ChannelMonth[]>()));
  let upTo = byMonth.get(ctx.asOf);
  if (!upTo) {
    const end = monthIndex(ctx.asOf);
    upTo = ctx.channel.filter((c) => monthIndex(c.month) <= end);
    byMonth.set(ctx.asOf, upTo);
  }
  return upTo;
}
