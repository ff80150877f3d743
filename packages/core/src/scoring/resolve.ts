import { DomainError } from '../domain-error.js';
import { monthIndex } from '../month.js';
import { CYCLE_MONTHS } from './period.js';
import { compileFormula, type CompiledFormula } from './formula.js';
import {
  BUILT_IN_METRIC_MAP,
  type MeasureGetter,
  type MeasureNeed,
  type MetricUnit,
  type MissingRule,
} from './metrics.js';
import type { Direction, Normalisation } from './normalise.js';
import type { Gate, Policy, PolicyIssue } from './policy.js';
import { ahpWeights, assertAhpConsistent, manualWeights, type AhpResult } from './weights.js';

/** A metric ready to evaluate: the library's or a custom formula, with the policy's settings. */
export interface ResolvedMetric {
  key: string;
  name: string;
  unit: MetricUnit;
  direction: Direction;
  definition: string;
  missing: MissingRule;
  cap: number | null;
  normalisation: Normalisation;
  /** Base measures it reads, including through the metrics it refers to. */
  needs: readonly MeasureNeed[];
  /** The values it can take (custom formulas: unbounded). */
  range: readonly [number, number];
  evaluate: (get: MeasureGetter) => number;
}

/** A checked policy with its metrics compiled and its fixed weights derived. */
export interface ResolvedPolicy {
  policy: Policy;
  /** The policy's scored metrics, in its order. */
  metrics: readonly ResolvedMetric[];
  /** Weights of `metrics` summing to 1, or null for entropy weights (derived per period). */
  weights: readonly number[] | null;
  ahp: AhpResult | null;
  /** Every metric the policy can name (library, custom), resolved on demand. */
  metric: (key: string) => ResolvedMetric;
}

/**
 * Check a policy's meaning (its shape is the contract's job) and return every problem, each
 * with its JSON path. Empty when the policy can be used.
 */
export function policyIssues(policy: Policy): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  try {
    resolvePolicy(policy, issues);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (issues.length === 0) issues.push({ path: pathOf(error), message: error.message });
  }
  return issues;
}

/** Resolve a policy, throwing one `validation_failed` error listing every issue. */
export function resolvePolicy(policy: Policy, sink?: PolicyIssue[]): ResolvedPolicy {
  const issues: PolicyIssue[] = sink ?? [];
  const issue = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  const tierCodes = policy.tiers.map((t) => t.code);
  const tierSet = new Set(tierCodes);

  // Tiers.
  if (policy.tiers.length < 2) issue('tiers', 'A scheme needs at least two tiers.');
  policy.tiers.forEach((t, i) => {
    if (tierCodes.indexOf(t.code) !== i)
      issue(`tiers[${i}].code`, `Tier code "${t.code}" is used twice.`);
  });

  // Metrics: custom ones first, so that formulas can be compiled against every key.
  const customKeys = new Set<string>();
  policy.customMetrics.forEach((c, i) => {
    if (BUILT_IN_METRIC_MAP.has(c.key)) {
      issue(`customMetrics[${i}].key`, `"${c.key}" is a built-in metric; choose another key.`);
    } else if (customKeys.has(c.key)) {
      issue(`customMetrics[${i}].key`, `Custom metric "${c.key}" is defined twice.`);
    }
    customKeys.add(c.key);
  });
  const isMetric = (name: string): boolean => BUILT_IN_METRIC_MAP.has(name) || customKeys.has(name);
  const compiled = new Map<string, CompiledFormula>();
  policy.customMetrics.forEach((c, i) => {
    try {
      compiled.set(c.key, compileFormula(c.formula, `customMetrics[${i}].formula`, isMetric));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      issue(pathOf(error), error.message);
    }
  });
  policy.customMetrics.forEach((c, i) => {
    const cycle = findCycle(c.key, compiled);
    if (cycle && cycle[0] === c.key) {
      issue(`customMetrics[${i}].formula`, `The formula is circular: ${cycle.join(' → ')}.`);
    }
  });

  const settings = new Map(policy.metrics.map((m) => [m.metric, m]));
  const resolved = new Map<string, ResolvedMetric>();
  const resolve = (key: string): ResolvedMetric => {
    const done = resolved.get(key);
    if (done) return done;
    const own = settings.get(key);
    const builtIn = BUILT_IN_METRIC_MAP.get(key);
    const common = {
      cap: own?.cap ?? null,
      normalisation: own?.normalisation ?? policy.normalisation,
    };
    let metric: ResolvedMetric;
    if (builtIn) {
      metric = {
        key,
        name: builtIn.name.zh,
        unit: builtIn.unit,
        direction: builtIn.direction,
        definition: builtIn.definition,
        missing: own?.missing ?? builtIn.missing,
        needs: builtIn.needs,
        range: builtIn.range,
        evaluate: builtIn.compute,
        ...common,
      };
    } else {
      const custom = policy.customMetrics.find((c) => c.key === key);
      const formula = compiled.get(key);
      if (!custom || !formula) {
        throw new DomainError('validation_failed', `"${key}" is not a metric of this policy.`, {
          path: 'metrics',
        });
      }
      const refs = formula.metrics.map(resolve);
      const needs = new Map<string, MeasureNeed>();
      for (const n of [...formula.needs, ...refs.flatMap((r) => r.needs)]) {
        needs.set(`${n.lag}:${n.measure}`, n);
      }
      const byKey = new Map(refs.map((r) => [r.key, r]));
      metric = {
        key,
        name: custom.name,
        unit: custom.unit,
        direction: custom.direction,
        definition: `${custom.definition} (= ${custom.formula})`.trim(),
        missing: own?.missing ?? custom.missing,
        needs: [...needs.values()],
        range: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
        evaluate: (get) => formula.evaluate(get, (k) => byKey.get(k)?.evaluate(get) ?? Number.NaN),
        ...common,
      };
    }
    resolved.set(key, metric);
    return metric;
  };
  const known = (key: string): boolean =>
    BUILT_IN_METRIC_MAP.has(key) || (compiled.has(key) && !findCycle(key, compiled));

  if (policy.metrics.length === 0) issue('metrics', 'Score at least one metric.');
  const seen = new Set<string>();
  policy.metrics.forEach((m, i) => {
    if (!isMetric(m.metric)) {
      issue(`metrics[${i}].metric`, `Unknown metric "${m.metric}". ${knownMetricsHint()}`);
    } else if (seen.has(m.metric)) {
      issue(`metrics[${i}].metric`, `Metric "${m.metric}" is listed twice.`);
    }
    seen.add(m.metric);
    if (m.cap !== undefined && m.cap !== null && !(m.cap > 0 && m.cap <= 100)) {
      issue(
        `metrics[${i}].cap`,
        'A cap is a number of score points between 0 (exclusive) and 100.',
      );
    }
  });

  // Weights.
  let weights: number[] | null = null;
  let ahp: AhpResult | null = null;
  const labels = policy.metrics.map((m) => m.metric);
  switch (policy.weights.method) {
    case 'manual': {
      const values = policy.weights.values;
      for (const key of Object.keys(values)) {
        if (!seen.has(key))
          issue(`weights.values.${key}`, `"${key}" has a weight but is not among the metrics.`);
      }
      const missing = labels.filter((k) => values[k] === undefined);
      for (const k of missing) issue(`weights.values.${k}`, `Metric "${k}" has no weight.`);
      if (missing.length === 0) {
        try {
          weights = manualWeights(
            labels.map((k) => values[k] ?? 0),
            policy.weights.total,
            labels,
          );
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          issue(pathOf(error, 'weights.values'), error.message);
        }
      }
      break;
    }
    case 'ahp': {
      const n = policy.weights.matrix.length;
      if (n !== labels.length) {
        issue(
          'weights.matrix',
          `The matrix has ${n} rows but the policy scores ${labels.length} metrics; give one row and column per metric, in the order of "metrics".`,
        );
        break;
      }
      try {
        ahp = ahpWeights(policy.weights.matrix);
        assertAhpConsistent(ahp, labels);
        weights = ahp.weights;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        issue(`weights.matrix${prefixPath(pathOf(error, ''))}`, error.message);
      }
      break;
    }
    case 'entropy':
      break;
  }

  // Assignment.
  const assignment = policy.assignment;
  switch (assignment.method) {
    case 'thresholds': {
      const ms = assignment.minScores;
      for (const key of Object.keys(ms)) {
        if (!tierSet.has(key))
          issue(`assignment.minScores.${key}`, `"${key}" is not a tier of the scheme.`);
      }
      let previous = Number.POSITIVE_INFINITY;
      policy.tiers.slice(0, -1).forEach((t) => {
        const v = ms[t.code];
        if (v === undefined) {
          issue(`assignment.minScores.${t.code}`, `Tier "${t.code}" needs a minimum score.`);
          return;
        }
        if (!(v >= 0 && v <= 100))
          issue(`assignment.minScores.${t.code}`, 'A minimum score is between 0 and 100.');
        if (v >= previous) {
          issue(
            `assignment.minScores.${t.code}`,
            `Thresholds are out of order: "${t.code}" needs ${v}, not less than the tier above it (${previous}). Each tier's minimum must be lower than the one above.`,
          );
        }
        previous = v;
      });
      break;
    }
    case 'quotas': {
      const ps = assignment.percents;
      let sum = 0;
      for (const [key, v] of Object.entries(ps)) {
        if (!tierSet.has(key))
          issue(`assignment.percents.${key}`, `"${key}" is not a tier of the scheme.`);
        if (!(v >= 0 && v <= 100))
          issue(`assignment.percents.${key}`, 'A quota is a percentage between 0 and 100.');
        sum += v;
      }
      for (const code of tierCodes) {
        if (ps[code] === undefined)
          issue(`assignment.percents.${code}`, `Tier "${code}" needs a quota.`);
      }
      if (Math.abs(sum - 100) > 1e-9)
        issue('assignment.percents', `Quotas add up to ${round(sum)}%, not 100%.`);
      break;
    }
    case 'natural_breaks':
      break;
  }

  // Gates.
  const bottom = tierCodes[tierCodes.length - 1];
  for (const [code, gate] of Object.entries(policy.gates)) {
    if (!tierSet.has(code)) issue(`gates.${code}`, `"${code}" is not a tier of the scheme.`);
    if (code === bottom)
      issue(
        `gates.${code}`,
        'The bottom tier cannot have a gate: every dealer must land somewhere.',
      );
    checkGate(gate, `gates.${code}`, known, issue);
  }

  // Lifecycle, cycle, decay, effective dates.
  const l = policy.lifecycle;
  if (l.maxStepUp !== null && !(Number.isInteger(l.maxStepUp) && l.maxStepUp >= 1))
    issue('lifecycle.maxStepUp', 'maxStepUp is a whole number of tiers, at least 1, or null.');
  if (!(Number.isInteger(l.maxStepDown) && l.maxStepDown >= 1))
    issue('lifecycle.maxStepDown', 'maxStepDown is a whole number of tiers, at least 1.');
  if (!(Number.isInteger(l.demotionAfter) && l.demotionAfter >= 1))
    issue('lifecycle.demotionAfter', 'demotionAfter is a whole number of periods, at least 1.');
  for (const key of ['probationAfter', 'eliminationAfter'] as const) {
    const v = l[key];
    if (v !== null && !(Number.isInteger(v) && v >= 1))
      issue(`lifecycle.${key}`, `${key} is a whole number of periods, at least 1, or null.`);
  }
  if (
    l.probationAfter !== null &&
    l.eliminationAfter !== null &&
    l.eliminationAfter < l.probationAfter
  ) {
    issue('lifecycle.eliminationAfter', 'Elimination cannot come before probation.');
  }
  policy.reviewMonths.forEach((m, i) => {
    if (!(Number.isInteger(m) && m >= 1 && m <= 12))
      issue(`reviewMonths[${i}]`, 'A review month is 1 to 12.');
  });
  if ((l.promotion === 'review' || l.demotion === 'review') && policy.reviewMonths.length === 0) {
    issue(
      'reviewMonths',
      'The lifecycle waits for review dates, so name at least one review month.',
    );
  }
  if (policy.window !== null) {
    const least = CYCLE_MONTHS[policy.cycle];
    if (!(Number.isInteger(policy.window) && policy.window >= least && policy.window <= 36)) {
      issue(
        'window',
        `A trailing window is a whole number of months from ${least} (the length of a ${policy.cycle} period) to 36.`,
      );
    }
  }
  if (policy.timeDecay) {
    const { periods, factor } = policy.timeDecay;
    if (!(Number.isInteger(periods) && periods >= 1 && periods <= 12))
      issue('timeDecay.periods', 'Time decay spans 1 to 12 periods.');
    if (!(factor > 0 && factor <= 1))
      issue('timeDecay.factor', 'The decay factor is above 0 and at most 1.');
  }
  if (
    policy.effectiveTo !== null &&
    monthIndex(policy.effectiveTo) < monthIndex(policy.effectiveFrom)
  ) {
    issue('effectiveTo', 'The policy ends before it starts.');
  }

  // Campaign overlays.
  let overlayTotal = 0;
  policy.campaigns.forEach((c, i) => {
    if (!known(c.metric)) issue(`campaigns[${i}].metric`, `Unknown metric "${c.metric}".`);
    if (!(c.weight > 0 && c.weight < 1))
      issue(
        `campaigns[${i}].weight`,
        'An overlay takes a share of the score above 0 and below 1 (0.1 = 10 %).',
      );
    if (monthIndex(c.to) < monthIndex(c.from))
      issue(`campaigns[${i}].to`, 'The campaign ends before it starts.');
    overlayTotal += c.weight;
  });
  if (overlayTotal >= 1) issue('campaigns', 'Overlays together would take the whole score.');

  if (issues.length > 0) {
    const first = issues[0]!;
    throw new DomainError(
      'validation_failed',
      issues.length === 1
        ? `${first.path}: ${first.message}`
        : `The policy has ${issues.length} problems; the first: ${first.path}: ${first.message}`,
      { issues },
    );
  }
  return {
    policy,
    metrics: policy.metrics.map((m) => resolve(m.metric)),
    weights,
    ahp,
    metric: resolve,
  };
}

function checkGate(
  gate: Gate,
  path: string,
  known: (key: string) => boolean,
  issue: (p: string, m: string) => void,
): void {
  if ('all' in gate) gate.all.forEach((g, i) => checkGate(g, `${path}.all[${i}]`, known, issue));
  else if ('any' in gate)
    gate.any.forEach((g, i) => checkGate(g, `${path}.any[${i}]`, known, issue));
  else if (!known(gate.metric))
    issue(`${path}.metric`, `Unknown metric "${gate.metric}". ${knownMetricsHint()}`);
}

/** The chain of custom metrics that leads from `start` back to itself, if any. */
function findCycle(start: string, compiled: ReadonlyMap<string, CompiledFormula>): string[] | null {
  const visit = (key: string, trail: string[]): string[] | null => {
    for (const ref of compiled.get(key)?.metrics ?? []) {
      if (ref === start) return [...trail, ref];
      if (trail.includes(ref) || !compiled.has(ref)) continue;
      const found = visit(ref, [...trail, ref]);
      if (found) return found;
    }
    return null;
  };
  return visit(start, [start]);
}

function knownMetricsHint(): string {
  return `Built-in metrics: ${[...BUILT_IN_METRIC_MAP.keys()].join(', ')}; or define it under customMetrics.`;
}

function pathOf(error: DomainError, fallback = ''): string {
  const p = error.details?.['path'];
  return typeof p === 'string' ? p : fallback;
}

function prefixPath(p: string): string {
  if (!p) return '';
  return p.startsWith('[') ? p : `.${p}`;
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
