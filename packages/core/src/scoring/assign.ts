import { classOf, naturalBreaks } from './natural-breaks.js';
import type {
  Assignment,
  ComparisonOperator,
  Gate,
  GateCondition,
  TierDefinition,
} from './policy.js';

/**
 * Tier index (0 = best) of each dealer from its score alone, by the policy's method:
 * - `thresholds`: the best tier whose minimum score the dealer reaches; else the bottom.
 * - `quotas`: dealers ranked by score (ties by dealer id, ascending), the first round(p₁·N)
 *   to the top tier, the next round((p₁+p₂)·N) − round(p₁·N) to the second, and so on, so the
 *   counts always add up to N and each differs from pᵢ·N by less than one.
 * - `natural_breaks`: Jenks classes of the scores, the highest class to the top tier.
 */
export function assignByScore(
  scores: Float64Array,
  dealerIds: readonly number[],
  tiers: readonly TierDefinition[],
  assignment: Assignment,
): Int32Array {
  const n = scores.length;
  const out = new Int32Array(n);
  const bottom = tiers.length - 1;
  switch (assignment.method) {
    case 'thresholds': {
      const mins = tiers.slice(0, -1).map((t) => assignment.minScores[t.code] ?? Infinity);
      for (let d = 0; d < n; d++) {
        const s = scores[d]!;
        let tier = bottom;
        for (let t = 0; t < mins.length; t++) {
          if (s >= mins[t]! - 1e-9) {
            tier = t;
            break;
          }
        }
        out[d] = tier;
      }
      return out;
    }
    case 'quotas': {
      const order = rankOrder(scores, dealerIds);
      let start = 0;
      let cumulative = 0;
      tiers.forEach((t, i) => {
        cumulative += assignment.percents[t.code] ?? 0;
        const end = i === bottom ? n : Math.min(n, Math.round((cumulative / 100) * n));
        for (let r = start; r < end; r++) out[order[r]!] = i;
        start = Math.max(start, end);
      });
      return out;
    }
    case 'natural_breaks': {
      const bounds = naturalBreaks(scores, tiers.length);
      const classes = bounds.length;
      for (let d = 0; d < n; d++) out[d] = classes - 1 - classOf(scores[d]!, bounds);
      return out;
    }
  }
}

/** Dealer positions by score descending, ties by dealer id ascending (the rank order). */
export function rankOrder(scores: Float64Array, dealerIds: readonly number[]): Int32Array {
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => scores[b]! - scores[a]! || dealerIds[a]! - dealerIds[b]!);
  return order;
}

/** Whether a raw value satisfies a comparison; a missing (NaN) value satisfies none. */
export function compare(value: number, op: ComparisonOperator, target: number): boolean {
  if (Number.isNaN(value)) return false;
  switch (op) {
    case '>=':
      return value >= target;
    case '>':
      return value > target;
    case '<=':
      return value <= target;
    case '<':
      return value < target;
    case '=':
      return value === target;
    case '!=':
      return value !== target;
  }
}

/**
 * The conditions of `gate` a dealer fails, given its raw metric values; empty when it passes.
 * For `any`, a failed group reports all its conditions (any one of them would do).
 */
export function failedConditions(gate: Gate, value: (metric: string) => number): GateCondition[] {
  if ('all' in gate) return gate.all.flatMap((g) => failedConditions(g, value));
  if ('any' in gate) {
    const failures = gate.any.map((g) => failedConditions(g, value));
    return failures.some((f) => f.length === 0) ? [] : failures.flat();
  }
  return compare(value(gate.metric), gate.op, gate.value) ? [] : [gate];
}

/** Whether a dealer passes `gate` (the allocation-free form of `failedConditions(…).length === 0`). */
export function passes(gate: Gate, value: (metric: string) => number): boolean {
  if ('all' in gate) return gate.all.every((g) => passes(g, value));
  if ('any' in gate) return gate.any.some((g) => passes(g, value));
  return compare(value(gate.metric), gate.op, gate.value);
}

/** Every metric a gate names. */
export function gateMetrics(gate: Gate): string[] {
  if ('all' in gate) return gate.all.flatMap(gateMetrics);
  if ('any' in gate) return gate.any.flatMap(gateMetrics);
  return [gate.metric];
}
