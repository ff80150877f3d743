import type {
  AllocationPurpose,
  AllocationRule,
  CreateAllocation,
  TierDefinition,
} from '@tierline/contract';

/**
 * The "New allocation" form as plain data, and the request it makes: amounts typed in major
 * units (元) become exact minor units, shares are percentages that must add up to exactly 100,
 * and each problem is named by its field. Pure, so it is tested without a browser.
 */

export interface TierRow {
  tier: string;
  /** Percent, as typed: "40", "33.33". */
  share: string;
  rule: AllocationRule;
  /** Per dealer, in major units; empty for none. */
  floor: string;
  cap: string;
}

export interface AllocationForm {
  period: string;
  purpose: AllocationPurpose;
  /** Major units, as typed. */
  pool: string;
  claimDeadline: string | null;
  name: string;
  tiers: TierRow[];
  /** Empty: no probation adjustment. */
  probationFactor: string;
  /** Empty: no missed-target adjustment. */
  missedPeriods: string;
  missedFactor: string;
  whenTierFull: 'redistribute' | 'unallocated';
}

export type FormProblem =
  | 'period'
  | 'pool'
  | 'claimDeadline'
  | 'share'
  | 'shareSum'
  | 'amount'
  | 'capBelowFloor'
  | 'factor'
  | 'periods';

/** One problem of the form: which field and why. */
export interface FieldProblem {
  field: string;
  problem: FormProblem;
}

/**
 * Text typed as an amount in major units ("30000", "30,000.5", "¥1,234.56") as exact minor units;
 * null when it is not such an amount (a sign, an exponent, more decimals than the currency has,
 * or past 2^53).
 */
export function parseAmount(text: string, minorUnits: number): number | null {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text.replace(/[\s,¥￥]/g, ''));
  if (!m) return null;
  const fraction = m[2] ?? '';
  if (fraction.length > minorUnits) return null;
  const minor =
    BigInt(m[1]!) * 10n ** BigInt(minorUnits) + BigInt(fraction.padEnd(minorUnits, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(minor);
}

/** A percentage with at most two decimals as hundredths of a percent (basis points): exact. */
function hundredths(text: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** The shares' exact sum in percent (33.33 + 33.33 + 33.34 is 100), or null when one is not a share. */
export function shareSum(rows: readonly Pick<TierRow, 'share'>[]): number | null {
  let total = 0;
  for (const row of rows) {
    const h = hundredths(row.share);
    if (h === null) return null;
    total += h;
  }
  return total / 100;
}

/**
 * Shares of a tier scheme in percent: 40/30/20/10 for four tiers, else equal, in hundredths of a
 * percent, the remainder on the first tier (three tiers: 33.34, 33.33, 33.33).
 */
export function defaultTierRows(tiers: readonly TierDefinition[]): TierRow[] {
  const n = tiers.length;
  const shares =
    n === 4
      ? [4000, 3000, 2000, 1000]
      : tiers.map((_, i) => Math.floor(10_000 / n) + (i === 0 ? 10_000 % n : 0));
  return tiers.map((t, i) => ({
    tier: t.code,
    share: String(shares[i]! / 100),
    rule: 'sales',
    floor: '',
    cap: '',
  }));
}

function factor(text: string): number | null {
  const v = Number(text);
  return text.trim() !== '' && Number.isFinite(v) && v >= 0 && v <= 1 ? v : null;
}

/**
 * The API request of a form, or its problems. The server checks everything again (and more:
 * floors over a tier's share, dealers); this only catches what a person can fix in the form.
 */
export function formToRequest(
  form: AllocationForm,
  minorUnits: number,
): { request: CreateAllocation; problems: [] } | { request: null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const period = form.period.trim();
  if (!/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$/.test(period)) {
    problems.push({ field: 'period', problem: 'period' });
  }
  const pool = parseAmount(form.pool, minorUnits);
  if (pool === null) problems.push({ field: 'pool', problem: 'pool' });
  if (form.purpose === 'market_fund' && form.claimDeadline === null) {
    problems.push({ field: 'claimDeadline', problem: 'claimDeadline' });
  }
  const tiers = form.tiers.map((row, i) => {
    const h = hundredths(row.share);
    if (h === null) problems.push({ field: `tiers.${i}.share`, problem: 'share' });
    const floor = row.floor.trim() === '' ? undefined : parseAmount(row.floor, minorUnits);
    const cap = row.cap.trim() === '' ? undefined : parseAmount(row.cap, minorUnits);
    if (floor === null) problems.push({ field: `tiers.${i}.floor`, problem: 'amount' });
    if (cap === null) problems.push({ field: `tiers.${i}.cap`, problem: 'amount' });
    if (typeof floor === 'number' && typeof cap === 'number' && cap < floor) {
      problems.push({ field: `tiers.${i}.cap`, problem: 'capBelowFloor' });
    }
    return {
      tier: row.tier,
      share: (h ?? 0) / 100,
      rule: row.rule,
      ...(typeof floor === 'number' ? { floor } : {}),
      ...(typeof cap === 'number' ? { cap } : {}),
    };
  });
  const sum = shareSum(form.tiers);
  if (sum !== null && sum !== 100) problems.push({ field: 'tiers', problem: 'shareSum' });

  const adjustments: NonNullable<NonNullable<CreateAllocation['config']>['adjustments']> = {};
  if (form.probationFactor.trim() !== '') {
    const f = factor(form.probationFactor);
    if (f === null) problems.push({ field: 'probationFactor', problem: 'factor' });
    else adjustments.probationFactor = f;
  }
  if (form.missedPeriods.trim() !== '') {
    const periods = Number(form.missedPeriods);
    const f = factor(form.missedFactor);
    if (!Number.isInteger(periods) || periods < 1 || periods > 120) {
      problems.push({ field: 'missedPeriods', problem: 'periods' });
    }
    if (f === null) problems.push({ field: 'missedFactor', problem: 'factor' });
    if (problems.every((p) => p.field !== 'missedPeriods' && p.field !== 'missedFactor')) {
      adjustments.missedTarget = { periods, factor: f! };
    }
  }
  if (problems.length > 0 || pool === null) return { request: null, problems };
  return {
    request: {
      period,
      pool,
      purpose: form.purpose,
      ...(form.purpose === 'market_fund' && form.claimDeadline !== null
        ? { claimDeadline: form.claimDeadline }
        : {}),
      ...(form.name.trim() === '' ? {} : { name: form.name.trim() }),
      config: {
        shareUnit: 'percent',
        tiers,
        ...(Object.keys(adjustments).length === 0 ? {} : { adjustments }),
        whenTierFull: form.whenTierFull,
      },
    },
    problems: [],
  };
}

/** Whether a dealer moved up, down or stayed between two allocations (best tier first). */
export function tierMove(
  tierOrder: readonly string[],
  previous: string | null,
  current: string,
): 'new' | 'up' | 'down' | 'same' {
  if (previous === null) return 'new';
  const a = tierOrder.indexOf(previous);
  const b = tierOrder.indexOf(current);
  if (a === b || a < 0 || b < 0) return previous === current ? 'same' : 'new';
  return b < a ? 'up' : 'down';
}
