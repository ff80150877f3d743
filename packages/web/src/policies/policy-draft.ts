import type { PolicyIssue, TierDefinition } from '@tierline/contract';

/**
 * A policy document being edited. It is whatever the JSON editor holds, so it may be any shape:
 * the form reads it through the accessors below (which never throw) and changes it through the
 * updaters (which return a new document and leave the rest untouched). The server's validation
 * says what is wrong with it, by path.
 */
export type Draft = Record<string, unknown>;

export type WeightMethod = 'manual' | 'ahp' | 'entropy';
export type AssignmentMethod = 'thresholds' | 'quotas' | 'natural_breaks';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function numberRecord(value: unknown): Record<string, number> {
  if (!isRecord(value)) return {};
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(value)) {
    const n = num(v);
    if (n !== null) out[key] = n;
  }
  return out;
}

/** The JSON text of a draft, as the JSON editor shows it. */
export function draftJson(draft: unknown): string {
  return JSON.stringify(draft, null, 2);
}

/** The draft of a JSON text, or the syntax error. */
export function parseDraft(text: string): { draft: Draft } | { error: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (!isRecord(value)) return { error: 'not an object' };
    return { draft: value };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The document with `value` at `path` (objects and arrays along it are copied, not changed). */
export function setIn(draft: Draft, path: readonly (string | number)[], value: unknown): Draft {
  const [head, ...rest] = path;
  if (head === undefined) return isRecord(value) ? value : draft;
  return assign(draft, head, rest, value) as Draft;
}

function assign(
  node: unknown,
  key: string | number,
  rest: readonly (string | number)[],
  value: unknown,
): unknown {
  const [next, ...tail] = rest;
  if (typeof key === 'number') {
    const array = Array.isArray(node) ? [...(node as unknown[])] : [];
    array[key] = next === undefined ? value : assign(array[key], next, tail, value);
    return array;
  }
  const object = isRecord(node) ? { ...node } : {};
  if (next === undefined) {
    if (value === undefined) delete object[key];
    else object[key] = value;
  } else {
    object[key] = assign(object[key], next, tail, value);
  }
  return object;
}

// ---- Reading ---------------------------------------------------------------------------

export function draftTiers(draft: Draft): TierDefinition[] {
  const tiers = draft['tiers'];
  if (!Array.isArray(tiers)) return [];
  return tiers.map((t) =>
    isRecord(t)
      ? { code: str(t['code']), name: str(t['name']), color: str(t['color']) }
      : { code: '', name: '', color: '' },
  );
}

export interface DraftMetric {
  metric: string;
  cap: number | null;
}

export function draftMetrics(draft: Draft): DraftMetric[] {
  const metrics = draft['metrics'];
  if (!Array.isArray(metrics)) return [];
  return metrics.map((m) =>
    isRecord(m) ? { metric: str(m['metric']), cap: num(m['cap']) } : { metric: '', cap: null },
  );
}

export type DraftWeights =
  | { method: 'manual'; total: number; values: Record<string, number> }
  | { method: 'ahp'; matrix: number[][] }
  | { method: 'entropy' }
  | { method: null };

export function draftWeights(draft: Draft): DraftWeights {
  const w = draft['weights'];
  if (!isRecord(w)) return { method: null };
  switch (w['method']) {
    case 'manual':
      return { method: 'manual', total: num(w['total']) ?? 100, values: numberRecord(w['values']) };
    case 'ahp': {
      const matrix = Array.isArray(w['matrix'])
        ? (w['matrix'] as unknown[]).map((row) =>
            Array.isArray(row) ? row.map((v) => num(v) ?? Number.NaN) : [],
          )
        : [];
      return { method: 'ahp', matrix };
    }
    case 'entropy':
      return { method: 'entropy' };
    default:
      return { method: null };
  }
}

export type DraftAssignment =
  | { method: 'thresholds'; minScores: Record<string, number> }
  | { method: 'quotas'; percents: Record<string, number> }
  | { method: 'natural_breaks' }
  | { method: null };

export function draftAssignment(draft: Draft): DraftAssignment {
  const a = draft['assignment'];
  if (!isRecord(a)) return { method: null };
  switch (a['method']) {
    case 'thresholds':
      return { method: 'thresholds', minScores: numberRecord(a['minScores']) };
    case 'quotas':
      return { method: 'quotas', percents: numberRecord(a['percents']) };
    case 'natural_breaks':
      return { method: 'natural_breaks' };
    default:
      return { method: null };
  }
}

/** The lifecycle with the schema's defaults for what the document leaves out. */
export interface DraftLifecycle {
  promotion: 'immediate' | 'review';
  maxStepUp: number | null;
  demotion: 'never' | 'automatic' | 'consecutive' | 'review';
  demotionAfter: number;
  maxStepDown: number;
  probationAfter: number | null;
  eliminationAfter: number | null;
}

export function draftLifecycle(draft: Draft): DraftLifecycle {
  const l = isRecord(draft['lifecycle']) ? draft['lifecycle'] : {};
  const promotion = l['promotion'] === 'review' ? 'review' : 'immediate';
  const demotions = ['never', 'automatic', 'consecutive', 'review'] as const;
  const demotion = demotions.find((d) => d === l['demotion']) ?? 'consecutive';
  return {
    promotion,
    maxStepUp: 'maxStepUp' in l ? num(l['maxStepUp']) : 1,
    demotion,
    demotionAfter: num(l['demotionAfter']) ?? 2,
    maxStepDown: num(l['maxStepDown']) ?? 1,
    probationAfter: num(l['probationAfter']),
    eliminationAfter: num(l['eliminationAfter']),
  };
}

export function draftReviewMonths(draft: Draft): number[] {
  const months = draft['reviewMonths'];
  return Array.isArray(months) ? months.filter((m): m is number => typeof m === 'number') : [];
}

export function draftString(draft: Draft, key: string): string {
  return str(draft[key]);
}

/** The sum of the manual weights of the scored metrics. */
export function weightSum(metrics: readonly DraftMetric[], values: Record<string, number>): number {
  return metrics.reduce((sum, m) => sum + (values[m.metric] ?? 0), 0);
}

// ---- Changing ----------------------------------------------------------------------------

/** Adds a metric to the scored ones, with weight 0 (manual) or a neutral AHP row and column. */
export function addMetric(draft: Draft, key: string): Draft {
  const metrics = draftMetrics(draft);
  if (metrics.some((m) => m.metric === key)) return draft;
  const raw = Array.isArray(draft['metrics']) ? (draft['metrics'] as unknown[]) : [];
  let next = setIn(draft, ['metrics'], [...raw, { metric: key }]);
  const weights = draftWeights(draft);
  if (weights.method === 'manual') {
    next = setIn(next, ['weights', 'values', key], 0);
  } else if (weights.method === 'ahp') {
    const n = metrics.length;
    const matrix = weights.matrix.map((row) => [...row.slice(0, n), 1]);
    matrix.push(Array.from({ length: n + 1 }, () => 1));
    next = setIn(next, ['weights', 'matrix'], matrix);
  }
  return next;
}

/** Removes a scored metric with its weight (manual) or its AHP row and column. */
export function removeMetric(draft: Draft, key: string): Draft {
  const metrics = draftMetrics(draft);
  const index = metrics.findIndex((m) => m.metric === key);
  if (index < 0) return draft;
  const raw = draft['metrics'] as unknown[];
  let next = setIn(
    draft,
    ['metrics'],
    raw.filter((_, i) => i !== index),
  );
  const weights = draftWeights(draft);
  if (weights.method === 'manual') {
    next = setIn(next, ['weights', 'values', key], undefined);
  } else if (weights.method === 'ahp') {
    const matrix = weights.matrix
      .filter((_, i) => i !== index)
      .map((row) => row.filter((_, j) => j !== index));
    next = setIn(next, ['weights', 'matrix'], matrix);
  }
  return next;
}

/**
 * Scales the manual weights so that they add up to their total, keeping their proportions
 * (whole numbers when the total is 100 and rounding allows, the remainder on the largest).
 */
export function scaleWeightsToTotal(draft: Draft): Draft {
  const weights = draftWeights(draft);
  if (weights.method !== 'manual') return draft;
  const metrics = draftMetrics(draft);
  const sum = weightSum(metrics, weights.values);
  if (sum <= 0 || metrics.length === 0) return draft;
  const step = weights.total >= 10 ? 1 : 0.01;
  const scaled = metrics.map(
    (m) => Math.round(((weights.values[m.metric] ?? 0) * weights.total) / sum / step) * step,
  );
  const rest = weights.total - scaled.reduce((s, v) => s + v, 0);
  const largest = scaled.indexOf(Math.max(...scaled));
  scaled[largest] = Number(((scaled[largest] ?? 0) + rest).toFixed(6));
  const values = Object.fromEntries(metrics.map((m, i) => [m.metric, scaled[i] ?? 0]));
  return setIn(draft, ['weights', 'values'], values);
}

/**
 * Switches the weighting method. Manual starts from `derived` (the weights the server derived
 * for the current document, as shares) or equal weights; AHP from a matrix of ones (equal
 * weights, perfectly consistent); entropy needs nothing.
 */
export function setWeightMethod(
  draft: Draft,
  method: WeightMethod,
  derived: Record<string, number> | null,
): Draft {
  const metrics = draftMetrics(draft);
  switch (method) {
    case 'manual': {
      const equal = metrics.length === 0 ? 0 : 100 / metrics.length;
      const values = Object.fromEntries(
        metrics.map((m) => [m.metric, derived?.[m.metric] ?? equal / 100]),
      );
      const next = setIn(draft, ['weights'], {
        method: 'manual',
        total: 100,
        values: Object.fromEntries(
          Object.entries(values).map(([k, v]) => [k, Math.round(v * 1000) / 10]),
        ),
      });
      return scaleWeightsToTotal(next);
    }
    case 'ahp':
      return setIn(draft, ['weights'], {
        method: 'ahp',
        matrix: metrics.map(() => metrics.map(() => 1)),
      });
    case 'entropy':
      return setIn(draft, ['weights'], { method: 'entropy' });
  }
}

/**
 * Switches the assignment method, with starting values: thresholds evenly spaced below 100,
 * quotas shared evenly (the remainder on the bottom tier).
 */
export function setAssignmentMethod(draft: Draft, method: AssignmentMethod): Draft {
  const codes = draftTiers(draft).map((t) => t.code);
  switch (method) {
    case 'thresholds': {
      const k = codes.length;
      const minScores = Object.fromEntries(
        codes.slice(0, -1).map((code, i) => [code, Math.round((100 * (k - 1 - i)) / k)]),
      );
      return setIn(draft, ['assignment'], { method, minScores });
    }
    case 'quotas': {
      const share = codes.length === 0 ? 0 : Math.floor(100 / codes.length);
      const percents = Object.fromEntries(
        codes.map((code, i) => [
          code,
          i === codes.length - 1 ? 100 - share * (codes.length - 1) : share,
        ]),
      );
      return setIn(draft, ['assignment'], { method, percents });
    }
    case 'natural_breaks':
      return setIn(draft, ['assignment'], { method });
  }
}

function renameKeys(
  value: unknown,
  rename: (key: string) => string | null,
): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const next = rename(key);
    if (next !== null) out[next] = v;
  }
  return out;
}

/** Renames keys of the thresholds, quotas and gates that follow tier codes. */
function mapTierKeys(draft: Draft, rename: (code: string) => string | null): Draft {
  let next = draft;
  const assignment = draft['assignment'];
  if (isRecord(assignment)) {
    for (const field of ['minScores', 'percents']) {
      const renamed = renameKeys(assignment[field], rename);
      if (renamed !== undefined) next = setIn(next, ['assignment', field], renamed);
    }
  }
  const gates = renameKeys(draft['gates'], rename);
  if (gates !== undefined) next = setIn(next, ['gates'], gates);
  return next;
}

/** Changes one field of a tier; a new code also renames its thresholds, quotas and gates. */
export function setTierField(
  draft: Draft,
  index: number,
  field: keyof TierDefinition,
  value: string,
): Draft {
  const before = draftTiers(draft)[index];
  let next = setIn(draft, ['tiers', index, field], value);
  if (field === 'code' && before !== undefined && before.code !== '' && before.code !== value) {
    next = mapTierKeys(next, (code) => (code === before.code ? value : code));
  }
  return next;
}

/**
 * Replaces the tiers with a scheme (e.g. 钻石/金/银/铜). Thresholds, quotas and gates move with
 * their position: the old first tier's threshold becomes the new first tier's; the ones beyond
 * the new scheme's length are dropped.
 */
export function applyScheme(draft: Draft, scheme: readonly TierDefinition[]): Draft {
  const old = draftTiers(draft).map((t) => t.code);
  const mapped = mapTierKeys(draft, (code) => {
    const i = old.indexOf(code);
    return i < 0 ? code : (scheme[i]?.code ?? null);
  });
  return setIn(
    mapped,
    ['tiers'],
    scheme.map((t) => ({ ...t })),
  );
}

/** Adds a tier at the bottom, with a code and name not yet used. */
export function addTier(draft: Draft): Draft {
  const tiers = draftTiers(draft);
  let n = tiers.length + 1;
  while (tiers.some((t) => t.code === `tier${n}`)) n += 1;
  const raw = Array.isArray(draft['tiers']) ? (draft['tiers'] as unknown[]) : [];
  return setIn(draft, ['tiers'], [...raw, { code: `tier${n}`, name: `T${n}`, color: '#8C8C8C' }]);
}

/** Removes a tier with its threshold, quota and gate. */
export function removeTier(draft: Draft, index: number): Draft {
  const tier = draftTiers(draft)[index];
  if (tier === undefined) return draft;
  const raw = draft['tiers'] as unknown[];
  const next = setIn(
    draft,
    ['tiers'],
    raw.filter((_, i) => i !== index),
  );
  return mapTierKeys(next, (code) => (code === tier.code ? null : code));
}

/** Moves a tier one place up (-1) or down (1). */
export function moveTier(draft: Draft, index: number, delta: -1 | 1): Draft {
  const raw = Array.isArray(draft['tiers']) ? [...(draft['tiers'] as unknown[])] : [];
  const target = index + delta;
  if (target < 0 || target >= raw.length || index < 0 || index >= raw.length) return draft;
  [raw[index], raw[target]] = [raw[target], raw[index]];
  return setIn(draft, ['tiers'], raw);
}

// ---- Validation issues --------------------------------------------------------------------

/** The path of a field as the server writes it: ['tiers', 0, 'color'] → 'tiers[0].color'. */
export function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The messages of the issues at `path` or below it. */
export function issuesAt(issues: readonly PolicyIssue[], path: string): string[] {
  return issues
    .filter(
      (i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`),
    )
    .map((i) => i.message);
}
