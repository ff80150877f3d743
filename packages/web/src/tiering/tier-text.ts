import type { Gate, GateCondition, MetricUnit, TierDefinition, TierGap } from '@tierline/contract';
import type { MessageKey } from '../i18n/messages';

/** The translate function of `useI18n`. */
export type Translate = (
  key: MessageKey,
  vars?: Readonly<Record<string, string | number>>,
) => string;

/** The formatters of `useFormat`, bound to the tenant's currency and the UI language. */
export interface Formatters {
  money: (minor: number) => string;
  moneyShort: (minor: number) => string;
  number: (value: number, maxFractionDigits?: number) => string;
  percent: (ratio: number) => string;
}

/** What the console knows of a metric: its name in the UI language, unit and direction. */
export interface MetricInfo {
  key: string;
  name: string;
  unit: MetricUnit | null;
  direction: 'higher' | 'lower' | null;
}

/** Everything the sentences need: translations, number formats and metric names. */
export interface TextKit {
  t: Translate;
  format: Formatters;
  metric: (key: string) => MetricInfo;
  tierName: (code: string) => string;
  /**
   * Write metric names in lower case inside a sentence ("raise collection rate from …"), for
   * languages that capitalise names in lists only; acronyms ("SKU breadth") stay as they are.
   */
  lowerNames?: boolean;
}

function inSentence(name: string, lower: boolean | undefined): string {
  if (lower !== true || name.length < 2) return name;
  const [first = '', second = ''] = name;
  return second === second.toLowerCase() ? `${first.toLowerCase()}${name.slice(1)}` : name;
}

/**
 * A metric value in its unit: percent is a number like 86.1 (86.1 %), money is in minor units
 * (fen); days, times, counts and points are plain numbers. `short` abbreviates money (¥1.23万).
 */
export function formatMetricValue(
  value: number | null,
  unit: MetricUnit | null,
  format: Formatters,
  short = false,
): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'percent':
      return format.percent(value / 100);
    case 'money': {
      const minor = Math.round(value);
      return short ? format.moneyShort(minor) : format.money(minor);
    }
    case 'count':
    case 'days':
    case 'times':
    case 'points':
    case null:
      return format.number(value, Math.abs(value) >= 100 ? 1 : 2);
  }
}

/** A gap step whose target is no change at all (ties at the edge of the population). */
function isNoChange(from: number | null, to: number): boolean {
  return from !== null && Math.abs(to - from) <= 1e-9 * Math.max(1, Math.abs(from));
}

/**
 * A target no dealer can reach: below zero for a lower-is-better metric (the library's are all
 * rates, counts, days or amounts), which rounding a target outward can produce.
 */
function isOutOfRange(to: number, info: MetricInfo): boolean {
  return info.direction === 'lower' && to < 0;
}

/**
 * One sentence per way to reach the tier of `gap`: a single-metric route ("将回款率从 86.1% 提高到
 * 90.3%", "raise collection rate from 86.1% to 90.3%"), then each failed gate ("违规次数须为 0").
 * Routes that would need no change (a value tied at the edge of the population) or a value below
 * zero for a lower-is-better metric are left out.
 */
export function gapSentences(gap: TierGap, kit: TextKit): { routes: string[]; gates: string[] } {
  const routes: string[] = [];
  for (const step of gap.metrics) {
    const info = kit.metric(step.metric);
    if (isNoChange(step.from, step.to) || isOutOfRange(step.to, info)) continue;
    const lower = step.from !== null ? step.to < step.from : info.direction === 'lower';
    const to = formatMetricValue(step.to, info.unit, kit.format, true);
    const vars = { metric: inSentence(info.name, kit.lowerNames), to };
    if (step.from === null) {
      routes.push(
        kit.t(
          lower
            ? step.exclusive
              ? 'tier.gap.lowerBelowFromNone'
              : 'tier.gap.lowerFromNone'
            : step.exclusive
              ? 'tier.gap.raiseAboveFromNone'
              : 'tier.gap.raiseFromNone',
          vars,
        ),
      );
      continue;
    }
    const from = formatMetricValue(step.from, info.unit, kit.format, true);
    routes.push(
      kit.t(
        lower
          ? step.exclusive
            ? 'tier.gap.lowerBelow'
            : 'tier.gap.lower'
          : step.exclusive
            ? 'tier.gap.raiseAbove'
            : 'tier.gap.raise',
        { ...vars, from },
      ),
    );
  }
  const gates = gap.gates.map((gate) => gateSentence(gate, kit, gate.actual));
  return { routes, gates };
}

const operatorKeys: Record<GateCondition['op'], MessageKey> = {
  '>=': 'tier.gate.atLeast',
  '>': 'tier.gate.above',
  '<=': 'tier.gate.atMost',
  '<': 'tier.gate.below',
  '=': 'tier.gate.equals',
  '!=': 'tier.gate.notEquals',
};

function isOperator(op: string): op is GateCondition['op'] {
  return Object.hasOwn(operatorKeys, op);
}

/**
 * A gate condition as a sentence: "违规次数须为 0", "collection rate must be at least 90.0%";
 * with the dealer's value when given ("（目前 79.0%）", " (now 79.0%)").
 */
export function gateSentence(
  condition: { metric: string; op: string; value: number },
  kit: TextKit,
  actual?: number | null,
): string {
  const info = kit.metric(condition.metric);
  const value = formatMetricValue(condition.value, info.unit, kit.format);
  const text = isOperator(condition.op)
    ? kit.t(operatorKeys[condition.op], { metric: info.name, value })
    : `${info.name} ${condition.op} ${value}`;
  if (actual === undefined) return text;
  return `${text}${
    actual === null
      ? kit.t('tier.gate.noValue')
      : kit.t('tier.gate.now', { value: formatMetricValue(actual, info.unit, kit.format) })
  }`;
}

/** A gate tree as readable nested text: "全部满足：违规次数须为 0；回款率须不低于 90.0%". */
export function gateText(gate: Gate, kit: TextKit): string {
  if ('all' in gate) {
    return `${kit.t('tier.gate.all')}${gate.all.map((g) => nested(g, kit)).join(kit.t('tier.gate.separator'))}`;
  }
  if ('any' in gate) {
    return `${kit.t('tier.gate.any')}${gate.any.map((g) => nested(g, kit)).join(kit.t('tier.gate.separator'))}`;
  }
  return gateSentence(gate, kit);
}

function nested(gate: Gate, kit: TextKit): string {
  return 'metric' in gate ? gateSentence(gate, kit) : `(${gateText(gate, kit)})`;
}

/** The tier of a code, for its name and colour; an unknown code stands for itself in grey. */
export function tierOf(
  tiers: readonly TierDefinition[],
  code: string | null,
): TierDefinition | null {
  if (code === null) return null;
  return tiers.find((t) => t.code === code) ?? { code, name: code, color: '#8C8C8C' };
}

/** Whether `to` is a better tier than `from` (up), a worse one (down), the same, or a first one. */
export function tierMove(
  tiers: readonly TierDefinition[],
  from: string | null,
  to: string,
): 'up' | 'down' | 'same' | 'new' {
  if (from === null) return 'new';
  const a = tiers.findIndex((t) => t.code === from);
  const b = tiers.findIndex((t) => t.code === to);
  if (a === b) return 'same';
  return b < a ? 'up' : 'down';
}
