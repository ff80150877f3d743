import { daysInMonth, monthIndex, monthRange } from '../month.js';
import { DomainError } from '../domain-error.js';
import { assignByScore, failedConditions, gateMetrics, passes, rankOrder } from './assign.js';
import {
  gapSteps,
  neededValue,
  type ContributionColumns,
  type MetricContribution,
  type ScoredMetric,
  type TierGap,
} from './explain.js';
import {
  applyLifecycle,
  finish,
  type DealerState,
  type ReasonCode,
  type Standing,
  type TierOverride,
} from './lifecycle.js';
import type { MeasureGetter, MeasureLag } from './metrics.js';
import { metricStats, normalise, type MetricStats } from './normalise.js';
import { measuredPeriod, periodMonths, shiftPeriod, yearLag, type Period } from './period.js';
import type { CampaignOverlay } from './policy.js';
import type { ResolvedMetric, ResolvedPolicy } from './resolve.js';
import { entropyWeights } from './weights.js';

/** A period's base measures for every dealer, by measure key (NaN = missing). */
export type MeasureColumns = ReadonlyMap<string, Float64Array>;

export interface AssessmentInput {
  policy: ResolvedPolicy;
  period: Period;
  /** The dealers assessed; every column is indexed like this array. */
  dealerIds: readonly number[];
  /** Measures by lag: 0 is the period, k the period k cycles earlier (see `framesNeeded`). */
  frames: ReadonlyMap<number, MeasureColumns>;
  /** Each dealer's state after its last published decision. */
  previous: ReadonlyMap<number, DealerState>;
  /** Overrides in force for this period, by dealer. */
  overrides: ReadonlyMap<number, TierOverride>;
}

/** The decision for one dealer: its inputs, score, tiers and why. */
export interface TierDecision {
  dealerId: number;
  /** Composite score 0–100. */
  score: number;
  /** 1 = best score of the period. */
  rank: number;
  /** Tier from the score alone. */
  scoreTier: string;
  /** Tier after the hard gates. */
  candidateTier: string;
  previousTier: string | null;
  /** The decided tier, after lifecycle rules and overrides. */
  tier: string;
  standing: Standing;
  periodsBelow: number;
  periodsAtBottom: number;
  reasons: ReasonCode[];
  /**
   * What it takes to reach the next tier up (null in the top tier): the points and failed
   * gates; the per-metric routes are in the result's columns (`gapOf` puts them together).
   */
  gap: GapHead | null;
  /** When at risk: what it takes to keep its tier. */
  hold: TierGap | null;
  override: { kind: TierOverride['kind']; reason: string } | null;
}

/** A gap without its per-metric routes. */
export type GapHead = Omit<TierGap, 'metrics'>;

export interface AssessedMetric {
  key: string;
  name: string;
  unit: ResolvedMetric['unit'];
  direction: ResolvedMetric['direction'];
  normalisation: ResolvedMetric['normalisation'];
  missing: ResolvedMetric['missing'];
  cap: number | null;
  /** Share of the score before any dealer's exclusions (0–1). */
  weight: number;
  /** Set when the metric comes from a campaign overlay. */
  campaign: string | null;
  stats: Pick<MetricStats, 'count' | 'min' | 'max' | 'mean' | 'sd'>;
}

export interface AssessmentResult {
  period: Period;
  /** One per dealer, in the order of the input's `dealerIds`. */
  decisions: TierDecision[];
  /** Every dealer's contributions and gap routes, by metric (the order of `metrics`). */
  columns: ContributionColumns;
  metrics: AssessedMetric[];
  /** Each tier's lowest score this period (null when no dealer's score placed it there). */
  tierMinScores: Record<string, number | null>;
  /** Dealers per decided tier. */
  counts: Record<string, number>;
  review: boolean;
  ahp: { cr: number; lambdaMax: number } | null;
}

/** Which earlier periods and measures an assessment of `period` reads. */
export function framesNeeded(
  policy: ResolvedPolicy,
  period: Period,
): { lag: number; period: Period; measures: string[] }[] {
  const decay = policy.policy.timeDecay?.periods ?? 1;
  const yl = yearLag(period.cycle);
  const byLag = new Map<number, Set<string>>();
  for (const metric of activeMetrics(policy, period)) {
    for (const need of metric.needs) {
      if (need.measure === 'period_days' || need.measure === 'period_months') continue;
      for (let k = 0; k < decay; k++) {
        const lag = k + lagOf(need.lag, yl);
        let set = byLag.get(lag);
        if (!set) byLag.set(lag, (set = new Set()));
        set.add(need.measure);
      }
    }
  }
  return [...byLag.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([lag, measures]) => ({
      lag,
      period: measuredPeriod(shiftPeriod(period, lag), policy.policy.window),
      measures: [...measures].sort(),
    }));
}

/**
 * Assess every dealer for one period: raw metric values (decayed if the policy says so),
 * normalisation over the period's population, weights (fixed, or entropy from this period),
 * campaign overlays, the composite score, the tier by score, hard gates, lifecycle rules,
 * overrides, and the explanation of each decision. Pure and deterministic: the same input
 * gives the same result.
 */
export function assess(input: AssessmentInput): AssessmentResult {
  return assessValues({ ...input, values: metricValues(input) });
}

/**
 * The metrics an assessment of `period` reads a value of: the policy's, the running campaign
 * overlays' and those its gates test, in that order.
 */
export function valueKeys(resolved: ResolvedPolicy, period: Period): string[] {
  const policy = resolved.policy;
  const scored = resolved.metrics.map((m) => m.key);
  for (const o of activeOverlays(policy.campaigns, period)) {
    if (!scored.includes(o.metric)) scored.push(o.metric);
  }
  const gated = Object.values(policy.gates).flatMap(gateMetrics);
  return [...new Set([...scored, ...gated])];
}

/**
 * Every dealer's raw value of each metric the assessment reads (`valueKeys`), from the base
 * measures, averaged over the decay periods when the policy says so (NaN = missing).
 */
export function metricValues(input: AssessmentInput): Map<string, Float64Array> {
  const { policy: resolved, period, dealerIds } = input;
  const policy = resolved.policy;
  const n = dealerIds.length;
  const values = new Map<string, Float64Array>();
  const reader = frameReader(input.frames, period, policy.window);
  const decay = policy.timeDecay ?? { periods: 1, factor: 1 };
  for (const key of valueKeys(resolved, period)) {
    const metric = resolved.metric(key);
    const column = new Float64Array(n);
    for (let d = 0; d < n; d++) {
      reader.dealer = d;
      let sum = 0;
      let weight = 0;
      for (let k = 0, f = 1; k < decay.periods; k++, f *= decay.factor) {
        reader.base = k;
        const v = metric.evaluate(reader.get);
        if (Number.isFinite(v)) {
          sum += f * v;
          weight += f;
        }
      }
      column[d] = weight > 0 ? sum / weight : Number.NaN;
    }
    values.set(key, column);
  }
  return values;
}

/**
 * What an assessment decides from, once the metric values are known: the values of each
 * metric of `valueKeys` (indexed like `dealerIds`), the previous states and the overrides.
 * This is what a published run records, so that any decision can be replayed.
 */
export interface AssessmentValues {
  policy: ResolvedPolicy;
  period: Period;
  dealerIds: readonly number[];
  values: ReadonlyMap<string, Float64Array>;
  previous: ReadonlyMap<number, DealerState>;
  overrides: ReadonlyMap<number, TierOverride>;
}

/**
 * Assess from metric values: normalisation over the period's population, weights (fixed, or
 * entropy from this period), campaign overlays, the composite score, the tier by score, hard
 * gates, lifecycle rules, overrides and the explanations. Pure and deterministic.
 */
export function assessValues(input: AssessmentValues): AssessmentResult {
  const { policy: resolved, period, dealerIds, values } = input;
  const policy = resolved.policy;
  const n = dealerIds.length;
  const tiers = policy.tiers;
  const tierIndex = new Map(tiers.map((t, i) => [t.code, i]));
  const overlays = activeOverlays(policy.campaigns, period);

  // Scored metrics with their base shares, then the overlays on top.
  const scoredKeys = resolved.metrics.map((m) => m.key);
  const overlayTotal = overlays.reduce((s, o) => s + o.weight, 0);
  const campaignOf = new Map<string, string>();
  for (const o of overlays) {
    if (!scoredKeys.includes(o.metric)) scoredKeys.push(o.metric);
    campaignOf.set(o.metric, o.code);
  }
  const scored = scoredKeys.map((k) => resolved.metric(k));
  for (const key of valueKeys(resolved, period)) {
    if (values.get(key)?.length !== n) {
      throw new DomainError(
        'validation_failed',
        `The values of metric "${key}" are missing or not one per dealer.`,
        { metric: key },
      );
    }
  }

  // Normalisation over the population of present values.
  const stats = scored.map((m) => metricStats(values.get(m.key)!));
  const normalised = scored.map((m, j) => {
    const raw = values.get(m.key)!;
    const out = new Float64Array(n);
    const s = stats[j]!;
    for (let d = 0; d < n; d++) {
      const v = raw[d]!;
      out[d] = Number.isNaN(v) ? Number.NaN : normalise(v, s, m.normalisation, m.direction);
    }
    return out;
  });

  // Weights: fixed, or entropy of this period's normalised values; overlays take their share.
  const baseCount = resolved.metrics.length;
  const base = resolved.weights ?? entropyWeights(normalised.slice(0, baseCount));
  const weights = scored.map((m, j) => {
    const own = j < baseCount ? (base[j] ?? 0) * (1 - overlayTotal) : 0;
    const overlay = overlays.filter((o) => o.metric === m.key).reduce((s, o) => s + o.weight, 0);
    return own + overlay;
  });

  // Scores and contributions, column by column (see ContributionColumns).
  const m = scored.length;
  const columns: ContributionColumns = {
    value: scored.map((metric) => values.get(metric.key)!),
    normalised: scored.map(() => new Float64Array(n)),
    share: scored.map(() => new Float64Array(n)),
    points: scored.map(() => new Float64Array(n)),
    capped: scored.map(() => new Uint8Array(n)),
    gapTo: scored.map(() => new Float64Array(n).fill(Number.NaN)),
    gapExclusive: scored.map(() => new Uint8Array(n)),
  };
  const scores = new Float64Array(n);
  const hasMissing = new Uint8Array(n);
  for (let d = 0; d < n; d++) {
    let kept = 0;
    for (let j = 0; j < m; j++) {
      const missing = Number.isNaN(columns.value[j]![d]!);
      if (missing) hasMissing[d] = 1;
      if (!(missing && scored[j]!.missing === 'exclude')) kept += weights[j]!;
    }
    let score = 0;
    for (let j = 0; j < m; j++) {
      const metric = scored[j]!;
      const missing = Number.isNaN(columns.value[j]![d]!);
      const excluded = missing && metric.missing === 'exclude';
      const share = excluded || kept <= 0 ? 0 : weights[j]! / kept;
      const norm = !missing
        ? normalised[j]![d]!
        : metric.missing === 'neutral'
          ? 0.5
          : excluded
            ? Number.NaN
            : 0;
      let points = Number.isNaN(norm) ? 0 : 100 * share * norm;
      if (metric.cap !== null && points > metric.cap) {
        points = metric.cap;
        columns.capped[j]![d] = 1;
      }
      columns.normalised[j]![d] = norm;
      columns.share[j]![d] = share;
      columns.points[j]![d] = points;
      score += points;
    }
    scores[d] = score;
  }

  // Tier by score, the tiers' lowest scores, then the gates.
  const byScore = assignByScore(scores, dealerIds, tiers, policy.assignment);
  const tierMin = tiers.map(() => Number.POSITIVE_INFINITY);
  for (let d = 0; d < n; d++) tierMin[byScore[d]!] = Math.min(tierMin[byScore[d]!]!, scores[d]!);
  const minScores = tiers.map((t, i) => {
    if (policy.assignment.method === 'thresholds')
      return i === tiers.length - 1 ? 0 : (policy.assignment.minScores[t.code] ?? 0);
    return Number.isFinite(tierMin[i]!) ? tierMin[i]! : null;
  });
  const order = rankOrder(scores, dealerIds);
  const rank = new Int32Array(n);
  order.forEach((d, r) => (rank[d] = r + 1));

  const review = policy.reviewMonths.includes((monthIndex(period.to) % 12) + 1);
  const campaignUpgrade = overlays.some((o) => o.allowImmediateUpgrade);
  const lifecycleContext = {
    lifecycle: policy.lifecycle,
    tierCount: tiers.length,
    review,
    campaignUpgrade,
  };
  const scoredMetrics: ScoredMetric[] = scored.map((metric, j) => ({ metric, stats: stats[j]! }));
  const counts: Record<string, number> = Object.fromEntries(tiers.map((t) => [t.code, 0]));

  // One reader and one gap builder for every dealer (`d` is the dealer at hand): no closures
  // per dealer, which at 100,000 dealers cost more in garbage collection than the arithmetic.
  let d = 0;
  const value = (key: string): number => values.get(key)?.[d] ?? Number.NaN;
  const gates = tiers.map((t) => policy.gates[t.code] ?? null);
  /** The head of a gap (tier, points, failed gates); its per-metric routes go to the columns. */
  const gapHead = (target: number): GapHead | null => {
    const min = minScores[target];
    if (min === null || min === undefined) return null;
    const gate = gates[target];
    return {
      tier: tiers[target]!.code,
      minScore: min,
      pointsNeeded: Math.max(0, min - scores[d]!),
      gates:
        gate && !passes(gate, value)
          ? failedConditions(gate, value).map((c) => {
              const actual = value(c.metric);
              return { ...c, actual: Number.isNaN(actual) ? null : actual };
            })
          : [],
    };
  };

  const decisions: TierDecision[] = new Array<TierDecision>(n);
  for (d = 0; d < n; d++) {
    const dealerId = dealerIds[d]!;
    const reasons: ReasonCode[] = [];
    let candidate = byScore[d]!;
    while (candidate < tiers.length - 1) {
      const gate = gates[candidate];
      if (!gate || passes(gate, value)) break;
      candidate++;
    }
    if (candidate !== byScore[d]) reasons.push('gate_failed');
    if (hasMissing[d]) reasons.push('missing_data');

    const state = input.previous.get(dealerId);
    const previousIndex = state ? tierIndex.get(state.tier) : undefined;
    const previous = state && previousIndex !== undefined ? { tier: previousIndex, state } : null;
    let outcome = applyLifecycle(previous, candidate, lifecycleContext);
    const override = input.overrides.get(dealerId);
    let applied: TierDecision['override'] = null;
    const overrideIndex = override ? tierIndex.get(override.tier) : undefined;
    if (override && overrideIndex !== undefined) {
      const floor = override.kind === 'floor';
      if (!floor || outcome.tier > overrideIndex) {
        outcome = finish(
          overrideIndex,
          state ?? null,
          0,
          false,
          [...outcome.reasons, floor ? 'override_floor' : 'override_set'],
          lifecycleContext,
        );
        applied = { kind: override.kind, reason: override.reason };
      }
    }
    reasons.push(...outcome.reasons);
    const tier = outcome.tier;
    counts[tiers[tier]!.code]! += 1;

    let gap: GapHead | null = null;
    if (tier > 0) {
      gap = gapHead(tier - 1);
      if (gap && gap.pointsNeeded > 1e-9) {
        for (let j = 0; j < m; j++) {
          const raw = neededValue(
            scoredMetrics[j]!,
            columns.share[j]![d]!,
            columns.points[j]![d]!,
            columns.normalised[j]![d]!,
            gap.pointsNeeded,
          );
          if (raw) {
            columns.gapTo[j]![d] = raw.value;
            columns.gapExclusive[j]![d] = raw.exclusive ? 1 : 0;
          }
        }
      }
    }
    const holdHead = outcome.standing === 'at_risk' ? gapHead(tier) : null;
    decisions[d] = {
      dealerId,
      score: scores[d]!,
      rank: rank[d]!,
      scoreTier: tiers[byScore[d]!]!.code,
      candidateTier: tiers[candidate]!.code,
      previousTier: state?.tier ?? null,
      tier: tiers[tier]!.code,
      standing: outcome.standing,
      periodsBelow: outcome.periodsBelow,
      periodsAtBottom: outcome.periodsAtBottom,
      reasons,
      gap,
      hold: holdHead
        ? {
            ...holdHead,
            metrics: gapSteps(d, scores[d]!, holdHead.minScore, scoredMetrics, columns),
          }
        : null,
      override: applied,
    };
  }

  return {
    period,
    decisions,
    columns,
    metrics: scored.map((m, j) => {
      const { count, min, max, mean, sd } = stats[j]!;
      const summary = { count, min, max, mean, sd };
      return {
        key: m.key,
        name: m.name,
        unit: m.unit,
        direction: m.direction,
        normalisation: m.normalisation,
        missing: m.missing,
        cap: m.cap,
        weight: weights[j]!,
        campaign: campaignOf.get(m.key) ?? null,
        stats: summary,
      };
    }),
    tierMinScores: Object.fromEntries(tiers.map((t, i) => [t.code, minScores[i] ?? null])),
    counts,
    review,
    ahp: resolved.ahp ? { cr: resolved.ahp.cr, lambdaMax: resolved.ahp.lambdaMax } : null,
  };
}

/** Overlays running during any month of the period. */
export function activeOverlays(
  campaigns: readonly CampaignOverlay[],
  period: Period,
): CampaignOverlay[] {
  const from = monthIndex(period.from);
  const to = monthIndex(period.to);
  return campaigns.filter((c) => monthIndex(c.from) <= to && monthIndex(c.to) >= from);
}

function activeMetrics(policy: ResolvedPolicy, period: Period): ResolvedMetric[] {
  const keys = new Set([
    ...policy.metrics.map((m) => m.key),
    ...activeOverlays(policy.policy.campaigns, period).map((o) => o.metric),
    ...Object.values(policy.policy.gates).flatMap(gateMetrics),
  ]);
  return [...keys].map((k) => policy.metric(k));
}

function lagOf(lag: MeasureLag, yl: number): number {
  switch (lag) {
    case 'current':
      return 0;
    case 'previous':
      return 1;
    case 'year_ago':
      return yl;
  }
}

/** A reusable measure getter over the frames; `dealer` and `base` (the decay lag) are set per call. */
function frameReader(
  frames: ReadonlyMap<number, MeasureColumns>,
  period: Period,
  window: number | null,
) {
  const yl = yearLag(period.cycle);
  const calendar = new Map<number, { days: number; months: number }>();
  const calendarOf = (lag: number) => {
    let c = calendar.get(lag);
    if (!c) {
      const p = measuredPeriod(shiftPeriod(period, lag), window);
      const days = monthRange(p.from, p.to).reduce((s, m) => s + daysInMonth(m), 0);
      calendar.set(lag, (c = { days, months: periodMonths(p) }));
    }
    return c;
  };
  const state = {
    dealer: 0,
    base: 0,
    get: ((measure: string, lag: MeasureLag = 'current') => {
      const l = state.base + lagOf(lag, yl);
      if (measure === 'period_days') return calendarOf(l).days;
      if (measure === 'period_months') return calendarOf(l).months;
      const column = frames.get(l)?.get(measure);
      return column ? column[state.dealer]! : Number.NaN;
    }) as MeasureGetter,
  };
  return state;
}

/** One dealer's contributions (index `d` of the result's decisions), as objects. */
export function contributionsOf(result: AssessmentResult, d: number): MetricContribution[] {
  const c = result.columns;
  return result.metrics.map((metric, j) => {
    const value = c.value[j]![d]!;
    const normalised = c.normalised[j]![d]!;
    return {
      metric: metric.key,
      value: Number.isNaN(value) ? null : value,
      normalised: Number.isNaN(normalised) ? null : normalised,
      weight: c.share[j]![d]!,
      points: c.points[j]![d]!,
      missing: Number.isNaN(value) ? metric.missing : null,
      capped: c.capped[j]![d] === 1,
    };
  });
}

/** One dealer's gap to the next tier up with its per-metric routes; null in the top tier. */
export function gapOf(result: AssessmentResult, d: number): TierGap | null {
  const head = result.decisions[d]?.gap;
  if (!head) return null;
  const c = result.columns;
  const metrics: TierGap['metrics'] = [];
  result.metrics.forEach((metric, j) => {
    const to = c.gapTo[j]![d]!;
    if (Number.isNaN(to)) return;
    const from = c.value[j]![d]!;
    metrics.push({
      metric: metric.key,
      from: Number.isNaN(from) ? null : from,
      to,
      exclusive: c.gapExclusive[j]![d] === 1,
    });
  });
  return { ...head, metrics };
}
