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
 * The single-metric routes from `score` to `minScore`. For metric j with share w and points
 * p, the needed normalised value is (p + Δ) / (100·w); it is turned back into a raw value by
 * inverting the normalisation over this period's population (`denormalise`). A metric that
 * cannot close the gap alone (capped, excluded, or needing more than the best value) is left
 * out. Population statistics are held fixed: the answer is exact for min-max and z-score
 * and for percentile ranks up to the dealer's own place in the population.
 */
export function gapSteps(
  score: number,
  minScore: number,
  scored: readonly ScoredMetric[],
  contributions: readonly MetricContribution[],
): GapStep[] {
  const delta = minScore - score;
  if (delta <= 1e-9) return [];
  const steps: GapStep[] = [];
  scored.forEach(({ metric, stats }, j) => {
    const c = contributions[j];
    if (!c || c.normalised === null || c.weight <= 0) return;
    const ceiling = Math.min(metric.cap ?? 100, 100 * c.weight);
    const needed = c.points + delta;
    if (needed > ceiling + 1e-9) return;
    const target = needed / (100 * c.weight);
    const raw = denormalise(target, stats, metric.normalisation, metric.direction);
    if (raw === null || !Number.isFinite(raw.value)) return;
    steps.push({ metric: metric.key, from: c.value, to: raw.value, exclusive: raw.exclusive });
  });
  return steps;
}
