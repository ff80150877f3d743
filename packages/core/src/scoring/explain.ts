import type { GateCondition } from './policy.js';
import { denormalise, type MetricStats } from './normalise.js';
import type { ResolvedMetric } from './resolve.js';

/** One metric's part in a dealer's score. */
export interface MetricContribution {
  metric: string;
  /** Raw value (decayed over trailing periods when the policy says so); null when missing. */
  value: number | null;
  /** Normalised value 0–1 that entered the score; null when the metric was excluded. */
  normalised: number | null;
  /** Share of the score (0–1) the metric had for this dealer, after exclusions. */
  weight: number;
  /** Score points it brought (0–100 in all). */
  points: number;
  /** The missing-data rule applied, when the value was missing. */
  missing: 'zero' | 'neutral' | 'exclude' | null;
  /** Its points were cut to the metric's cap. */
  capped: boolean;
}

/** The smallest change in one metric, the others unchanged, that reaches a tier's score. */
export interface GapStep {
  metric: string;
  from: number | null;
  to: number;
  /** True when the value must go strictly beyond `to` (percentile ranks move in steps). */
  exclusive: boolean;
}

/** What a dealer needs for a tier: score points, each single-metric route, and failed gates. */
export interface TierGap {
  tier: string;
  /** The tier's lowest score this period (its threshold, or its lowest member's score). */
  minScore: number;
  /** Points still missing; 0 when the score already suffices. */
  pointsNeeded: number;
  metrics: GapStep[];
  /** Gate conditions of the tier the dealer fails, with its value (null when missing). */
  gates: (GateCondition & { actual: number | null })[];
}

export interface ScoredMetric {
  metric: ResolvedMetric;
  stats: MetricStats;
}

/**
 * Every dealer's contributions, one typed array per scored metric (in the order of the run's
 * metrics) indexed like the run's dealers: what the engine computes, without one object per
 * dealer and metric (1.5 million objects at 100,000 dealers cost more than the arithmetic).
 * `contributionsOf` and `gapOf` turn one dealer's slice into objects.
 */
export interface ContributionColumns {
  /** Raw value; NaN when missing. */
  value: Float64Array[];
  /** Normalised value that entered the score; NaN when the metric was excluded. */
  normalised: Float64Array[];
  /** Share of the score (0–1) the metric had for the dealer, after exclusions. */
  share: Float64Array[];
  points: Float64Array[];
  capped: Uint8Array[];
  /** The raw value that alone reaches the next tier up; NaN when this metric alone cannot. */
  gapTo: Float64Array[];
  /** 1 when the value must go strictly beyond `gapTo`. */
  gapExclusive: Uint8Array[];
}

/**
 * The raw value metric j needs, others unchanged, to bring `score` to `minScore`. For share w
 * and points p, the needed normalised value is (p + Δ) / (100·w); it is turned back into a
 * raw value by inverting the normalisation over this period's population (`denormalise`).
 * Null when the metric cannot close the gap alone (capped, excluded, or needing more than the
 * best value). Population statistics are held fixed: the answer is exact for min-max and
 * z-score and for percentile ranks up to the dealer's own place in the population.
 */
export function neededValue(
  scored: ScoredMetric,
  share: number,
  points: number,
  normalised: number,
  delta: number,
): { value: number; exclusive: boolean } | null {
  if (Number.isNaN(normalised) || share <= 0) return null;
  const ceiling = Math.min(scored.metric.cap ?? 100, 100 * share);
  const needed = points + delta;
  if (needed > ceiling + 1e-9) return null;
  const raw = denormalise(
    needed / (100 * share),
    scored.stats,
    scored.metric.normalisation,
    scored.metric.direction,
  );
  if (raw === null || !Number.isFinite(raw.value)) return null;
  // A target the metric cannot take (a complaint rate below 0, a compliance score above 100)
  // is no route.
  const [min, max] = scored.metric.range;
  if (raw.value < min || raw.value > max) return null;
  if (
    raw.exclusive &&
    (scored.metric.direction === 'higher' ? raw.value >= max : raw.value <= min)
  ) {
    return null;
  }
  return raw;
}

/** The single-metric routes of dealer `d` from `score` to `minScore` (empty when none is needed). */
export function gapSteps(
  d: number,
  score: number,
  minScore: number,
  scored: readonly ScoredMetric[],
  columns: ContributionColumns,
): GapStep[] {
  const delta = minScore - score;
  if (delta <= 1e-9) return [];
  const steps: GapStep[] = [];
  scored.forEach((s, j) => {
    const raw = neededValue(
      s,
      columns.share[j]![d]!,
      columns.points[j]![d]!,
      columns.normalised[j]![d]!,
      delta,
    );
    if (!raw) return;
    const from = columns.value[j]![d]!;
    steps.push({
      metric: s.metric.key,
      from: Number.isNaN(from) ? null : from,
      to: raw.value,
      exclusive: raw.exclusive,
    });
  });
  return steps;
}
