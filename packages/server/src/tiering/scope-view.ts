import type {
  AssessedMetric,
  DealerTier,
  DecisionDetail,
  RunDetail,
  TierGap,
} from '@tierline/contract';
import type { DealerScope } from '../auth/policy.js';

/**
 * What of a run's population a caller with a narrower scope than the tenant may see. A channel
 * manager or a dealer user sees its own dealers' figures, never statistics over the others:
 * a run's metric statistics (min, max, mean, sd over every dealer) are withheld, and the
 * values a dealer needs for the next tier — which for percentile ranks are other dealers'
 * exact figures — are rounded outward (money to two significant digits, rates and counts to
 * one decimal), so that the target stays true ("at least") without naming another dealer's
 * number. A dealer user does not see which staff login set an override.
 */
export function metricsForScope(metrics: AssessedMetric[], scope: DealerScope): AssessedMetric[] {
  if (scope.kind === 'tenant') return metrics;
  return metrics.map((m) => ({ ...m, stats: null }));
}

export function runForScope<T extends RunDetail>(run: T, scope: DealerScope): T {
  return scope.kind === 'tenant' ? run : { ...run, metrics: metricsForScope(run.metrics, scope) };
}

export function decisionForScope(detail: DecisionDetail, scope: DealerScope): DecisionDetail {
  if (scope.kind === 'tenant') return detail;
  const byKey = new Map(detail.metrics.map((m) => [m.key, m]));
  const blur = (gap: TierGap | null): TierGap | null =>
    gap && {
      ...gap,
      metrics: gap.metrics.map((step) => {
        const metric = byKey.get(step.metric);
        return metric ? { ...step, to: outward(step.to, metric), exclusive: false } : step;
      }),
    };
  return {
    ...detail,
    metrics: metricsForScope(detail.metrics, scope),
    gap: blur(detail.gap),
    hold: blur(detail.hold),
    override:
      detail.override && scope.kind === 'dealer'
        ? { ...detail.override, by: null }
        : detail.override,
  };
}

export function dealerTierForScope(tier: DealerTier, scope: DealerScope): DealerTier {
  return tier.current ? { ...tier, current: decisionForScope(tier.current, scope) } : tier;
}

/**
 * Round a target away from the population: up when higher is better, down when lower is. A
 * value already on the grid moves one step on, so the target never equals the figure it came
 * from.
 */
function outward(value: number, metric: AssessedMetric): number {
  const up = metric.direction === 'higher';
  if (metric.unit === 'money') {
    if (value === 0) return 0;
    const magnitude = 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
    const scaled = value / magnitude;
    return (up ? Math.floor(scaled) + 1 : Math.ceil(scaled) - 1) * magnitude;
  }
  const step = 0.1;
  const scaled = value / step;
  const rounded = up ? Math.floor(scaled) + 1 : Math.ceil(scaled) - 1;
  // Rates and counts are never negative: "at most 0" stays 0.
  return Math.max(value >= 0 ? 0 : Number.NEGATIVE_INFINITY, Number((rounded * step).toFixed(1)));
}
