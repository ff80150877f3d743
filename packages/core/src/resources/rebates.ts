/**
 * Ladder rebates (阶梯返利): a rate per bracket of sales or of growth, paid retroactively (the
 * whole sales at the rate reached) or marginally (each bracket's part at its own rate), exact in
 * minor units; a projection before settlement and a true-up against what was already paid.
 * Formulas and worked examples: docs/resources.md.
 */
import { distributeRemainders } from './apportion.js';
import {
  decimalOf,
  divideCeil,
  divideHalfUp,
  isFiniteNumber,
  isMoney,
  onCommonScale,
  pow10,
} from './exact.js';
import { refuse, type ResourceIssue } from './issues.js';

/** `retroactive`: all sales at the rate of the highest bracket reached; `marginal`: each bracket's part at its own rate. */
export type RebateMethod = 'retroactive' | 'marginal';

/**
 * What decides the bracket. `sales`: bracket bounds are sales in minor units. `growth`: bounds
 * are growth in percent over the previous period's sales (10 = +10 %); the rebate is still paid
 * on sales, and bracket `[a, b)` holds the sales from previous × (1 + a/100) up to
 * previous × (1 + b/100), each rounded up to a whole minor unit.
 */
export type RebateBasis = 'sales' | 'growth';

/** A bracket `[from, to)` (to null: no upper bound) with its rate in basis points (1500 = 15 %). */
export interface RebateBracket {
  from: number;
  to: number | null;
  rateBasisPoints: number;
}

/**
 * A ladder: brackets sorted, contiguous (each `to` is the next `from`), the last one open
 * (`to: null`). Sales below the first bracket earn nothing.
 */
export interface RebateLadder {
  basis: RebateBasis;
  method: RebateMethod;
  brackets: readonly RebateBracket[];
}

/** The base of one dealer and period: minor units, safe integers. */
export interface RebateBase {
  /** Sales of the period (negative, net of returns, earns nothing). */
  sales: number;
  /** Sales of the comparison period; required (> 0) for a `growth` ladder. */
  previousSales?: number | undefined;
}

/** One bracket's part of a rebate. */
export interface RebateLine {
  /** Index into the ladder's brackets. */
  bracket: number;
  /** The bracket's bounds in the ladder's units (minor units or growth percent). */
  from: number;
  to: number | null;
  /** The bracket's bounds in sales (minor units), the same as from/to for a `sales` ladder. */
  salesFrom: number;
  salesTo: number | null;
  rateBasisPoints: number;
  /** Sales paid at this rate: all sales (retroactive) or the bracket's part of them (marginal). */
  base: number;
  /** This line's part of the rounded total (the lines add up to the total). */
  amount: number;
}

/** A computed rebate and how it was computed. */
export interface RebateResult {
  basis: RebateBasis;
  method: RebateMethod;
  sales: number;
  previousSales: number | null;
  /** (sales − previous) / previous × 100 for a `growth` ladder, else null. */
  growthPercent: number | null;
  /** Index of the highest bracket reached, or null below the first bracket. */
  bracket: number | null;
  /** That bracket's rate (0 when none is reached). */
  rateBasisPoints: number;
  /** Minor units, ≥ 0. */
  amount: number;
  /** Retroactive: the one bracket reached; marginal: every bracket up to the one reached. */
  lines: RebateLine[];
  /** Computed exactly, rounded once half up to a whole minor unit; lines by largest remainder. */
  rounding: 'half_up_total';
}

/** Where the next bracket starts and what reaching it would pay. */
export interface NextBracket {
  bracket: number;
  /** In the ladder's units. */
  from: number;
  /** Sales (minor units) at which the bracket is reached. */
  salesNeeded: number;
  /** salesNeeded − projected sales (> 0). */
  shortfall: number;
  /** The rebate at exactly salesNeeded. */
  rebateAtNext: number;
  /** rebateAtNext − the projected rebate. */
  extraRebate: number;
}

/** The outcome of {@link projectRebate}. */
export interface RebateProjection {
  projected: RebateResult;
  /** Null at the top bracket. */
  next: NextBracket | null;
}

/** The outcome of {@link settleRebate}. */
export interface RebateSettlement {
  rebate: RebateResult;
  alreadyPaid: number;
  /** rebate.amount − alreadyPaid: still to pay, or, when negative, to claw back. */
  due: number;
  /** due < 0: the dealer was paid more than the period earned. */
  clawback: boolean;
}

const TEN_THOUSAND = 10_000n;

/**
 * Checks a ladder, listing every problem with its path: no brackets, a bound that is not a number
 * (sales bounds: whole minor units ≥ 0; growth bounds: ≥ −100), `to` not above `from`, brackets
 * out of order, overlapping (including an open bracket that is not last) or with a gap between
 * them, a last bracket that is not open, a rate below 0 or above 10,000 basis points (100 %).
 * Pair issues name both bracket indexes in `details.issues[k].brackets`. Throws
 * DomainError('validation_failed'); returns nothing when the ladder is good.
 */
export function checkRebateLadder(ladder: RebateLadder): void {
  const issues = ladderIssues(ladder);
  if (issues.length > 0) refuse('rebate ladder', issues);
}

/**
 * The rebate on a base by the ladder's method, exact then rounded once half up.
 * - retroactive: sales × rate of the highest bracket reached (sales ≥ its start).
 * - marginal: Σ over brackets of (the part of sales inside the bracket) × its rate.
 * Sales below the first bracket earn 0. Lines split the rounded total by largest remainder,
 * ties to the lower bracket, so they add up to it. Throws DomainError('validation_failed') for
 * a bad ladder (see {@link checkRebateLadder}), non-integer sales, or a growth ladder without a
 * positive previousSales.
 *
 * @example
 * // 8,000,000 fen of sales; brackets [0, 1,000,000) 2 %, [1,000,000, 5,000,000) 3 %, [5,000,000, ∞) 5 %
 * // marginal: 20,000 + 120,000 + 150,000 = 290,000; retroactive: 8,000,000 × 5 % = 400,000.
 */
export function computeRebate(ladder: RebateLadder, base: RebateBase): RebateResult {
  checkRebateInput(ladder, base);
  return rebateAt(ladder, base, BigInt(base.sales));
}

/**
 * The rebate a projected base would earn, and the next bracket: the sales needed to reach it,
 * the shortfall from the projection and the extra rebate reaching it would bring (computed by
 * the same rules at exactly that sales). Same errors as {@link computeRebate}.
 */
export function projectRebate(ladder: RebateLadder, projected: RebateBase): RebateProjection {
  checkRebateInput(ladder, projected);
  const result = rebateAt(ladder, projected, BigInt(projected.sales));
  const index = result.bracket === null ? 0 : result.bracket + 1;
  const bracket = ladder.brackets[index];
  if (bracket === undefined) return { projected: result, next: null };
  const needed = thresholdsOf(ladder, projected)[index]!;
  const there = rebateAt(ladder, projected, needed);
  return {
    projected: result,
    next: {
      bracket: index,
      from: bracket.from,
      salesNeeded: Number(needed),
      shortfall: Number(needed) - projected.sales,
      rebateAtNext: there.amount,
      extraRebate: there.amount - result.amount,
    },
  };
}

/**
 * True-up within a period: the rebate earned on the actual base less what was already paid.
 * A negative `due` is a clawback (flagged). alreadyPaid is in minor units, ≥ 0; refused with
 * path `alreadyPaid` otherwise. Same other errors as {@link computeRebate}.
 */
export function settleRebate(
  ladder: RebateLadder,
  actual: RebateBase,
  alreadyPaid: number,
): RebateSettlement {
  const paidIssues: ResourceIssue[] = isMoney(alreadyPaid)
    ? []
    : [
        {
          path: 'alreadyPaid',
          message: 'What was already paid must be a whole number of minor units, 0 or more.',
          value: alreadyPaid,
        },
      ];
  checkRebateInput(ladder, actual, paidIssues);
  const rebate = rebateAt(ladder, actual, BigInt(actual.sales));
  const due = rebate.amount - alreadyPaid;
  return { rebate, alreadyPaid, due, clawback: due < 0 };
}

/** The computation proper, at sales `sales` (validated input). */
function rebateAt(ladder: RebateLadder, base: RebateBase, sales: bigint): RebateResult {
  const thresholds = thresholdsOf(ladder, base);
  const reached = lastIndexWhere(thresholds, (t) => t <= sales);
  const rates = onCommonScale(ladder.brackets.map((b) => decimalOf(b.rateBasisPoints)));
  const denominator = pow10(rates.scale) * TEN_THOUSAND;
  const parts = partsOf(ladder.method, thresholds, reached, sales);
  const numerators = parts.map((p) => p.base * rates.digits[p.bracket]!);
  const total = divideHalfUp(
    numerators.reduce((s, n) => s + n, 0n),
    denominator,
  );
  const quotients = numerators.map((n) => n / denominator);
  const amounts = distributeRemainders(
    quotients,
    numerators.map((n) => n % denominator),
    parts.map((p) => p.bracket),
    total - quotients.reduce((s, q) => s + q, 0n),
  );
  const previous = base.previousSales ?? null;
  return {
    basis: ladder.basis,
    method: ladder.method,
    sales: Number(sales),
    previousSales: previous,
    growthPercent:
      ladder.basis === 'growth' && previous !== null
        ? ((Number(sales) - previous) / previous) * 100
        : null,
    bracket: reached < 0 ? null : reached,
    rateBasisPoints: reached < 0 ? 0 : ladder.brackets[reached]!.rateBasisPoints,
    amount: Number(total),
    lines: parts.map((p, k) => {
      const b = ladder.brackets[p.bracket]!;
      const next = thresholds[p.bracket + 1];
      return {
        bracket: p.bracket,
        from: b.from,
        to: b.to,
        salesFrom: Number(thresholds[p.bracket]!),
        salesTo: next === undefined ? null : Number(next),
        rateBasisPoints: b.rateBasisPoints,
        base: Number(p.base),
        amount: Number(amounts[k]!),
      };
    }),
    rounding: 'half_up_total',
  };
}

/** The sales paid at each rate: all sales at the reached bracket, or each bracket's slice. */
function partsOf(
  method: RebateMethod,
  thresholds: readonly bigint[],
  reached: number,
  sales: bigint,
): { bracket: number; base: bigint }[] {
  if (reached < 0) return [];
  switch (method) {
    case 'retroactive':
      return [{ bracket: reached, base: sales }];
    case 'marginal':
      return thresholds.slice(0, reached + 1).map((from, i) => {
        const to = thresholds[i + 1];
        const top = to === undefined || to > sales ? sales : to;
        return { bracket: i, base: top - from };
      });
  }
}

/** Each bracket's start in sales (minor units); growth bounds rounded up to a whole unit. */
function thresholdsOf(ladder: RebateLadder, base: RebateBase): bigint[] {
  if (ladder.basis === 'sales') return ladder.brackets.map((b) => BigInt(b.from));
  const previous = BigInt(base.previousSales ?? 0);
  return ladder.brackets.map((b) => {
    const { digits, scale } = decimalOf(b.from);
    const hundred = 100n * pow10(scale);
    return divideCeil(previous * (hundred + digits), hundred);
  });
}

function lastIndexWhere<T>(values: readonly T[], test: (value: T) => boolean): number {
  for (let i = values.length - 1; i >= 0; i--) if (test(values[i]!)) return i;
  return -1;
}

/** Ladder issues plus the base's (plus any the caller found); refuses them all at once. */
function checkRebateInput(
  ladder: RebateLadder,
  base: RebateBase,
  more: readonly ResourceIssue[] = [],
): void {
  const issues = [...ladderIssues(ladder), ...more];
  if (!Number.isSafeInteger(base.sales)) {
    issues.push({
      path: 'sales',
      message: 'Sales must be a whole number of minor units.',
      value: base.sales,
    });
  }
  const previous = base.previousSales;
  if (ladder.basis === 'growth' && !(isMoney(previous) && previous > 0)) {
    issues.push({
      path: 'previousSales',
      message:
        'A growth ladder needs the previous period’s sales, a whole number of minor units above 0.',
      value: previous,
    });
  }
  if (issues.length > 0) refuse('rebate', issues);
}

function ladderIssues(ladder: RebateLadder): ResourceIssue[] {
  const issues: ResourceIssue[] = [];
  const issue = (path: string, message: string, facts: Record<string, unknown> = {}) =>
    issues.push({ path, message, ...facts });
  if (ladder.basis !== 'sales' && ladder.basis !== 'growth') {
    issue('basis', "The basis must be 'sales' or 'growth'.", { value: ladder.basis });
  }
  if (ladder.method !== 'retroactive' && ladder.method !== 'marginal') {
    issue('method', "The method must be 'retroactive' or 'marginal'.", { value: ladder.method });
  }
  const brackets = ladder.brackets;
  if (brackets.length === 0) {
    issue('brackets', 'A ladder needs at least one bracket.');
    return issues;
  }
  const bound = ladder.basis === 'growth' ? growthBound : salesBound;
  brackets.forEach((b, i) => {
    const at = `brackets[${i}]`;
    if (!bound(b.from)) issue(`${at}.from`, boundMessage(ladder.basis), { value: b.from });
    if (b.to !== null && !bound(b.to))
      issue(`${at}.to`, boundMessage(ladder.basis), { value: b.to });
    else if (b.to !== null && bound(b.from) && b.to <= b.from) {
      issue(`${at}.to`, `Bracket ${i} ends at ${b.to}, not above where it starts (${b.from}).`, {
        from: b.from,
        to: b.to,
      });
    }
    const rate = b.rateBasisPoints;
    if (!(isFiniteNumber(rate) && rate >= 0 && rate <= 10_000)) {
      issue(
        `${at}.rateBasisPoints`,
        `The rate of bracket ${i} must be between 0 and 10,000 basis points (100 %); got ${rate}.`,
        { value: rate },
      );
    }
  });
  for (let i = 0; i + 1 < brackets.length; i++) {
    const a = brackets[i]!;
    const b = brackets[i + 1]!;
    if (bound(a.from) && bound(b.from) && (a.to === null || bound(a.to))) pairIssue(a, b, i, issue);
  }
  if (brackets[brackets.length - 1]!.to !== null) {
    issue(
      `brackets[${brackets.length - 1}].to`,
      'The last bracket must be open-ended (to: null) so that every base above it has a rate.',
    );
  }
  return issues;
}

/** Order, overlap and gap between bracket i and i + 1. */
function pairIssue(
  a: RebateBracket,
  b: RebateBracket,
  i: number,
  issue: (path: string, message: string, facts?: Record<string, unknown>) => void,
): void {
  const pair = { brackets: [i, i + 1] };
  const at = `brackets[${i + 1}].from`;
  if (b.from < a.from) {
    issue(
      at,
      `Brackets ${i} and ${i + 1} are out of order: bracket ${i + 1} starts at ${b.from}, before bracket ${i} (${a.from}). List brackets from lowest to highest.`,
      pair,
    );
  } else if (a.to === null || a.to > b.from) {
    const end = a.to === null ? 'has no upper bound' : `runs to ${a.to}`;
    issue(
      at,
      `Brackets ${i} and ${i + 1} overlap: bracket ${i} ${end} but bracket ${i + 1} starts at ${b.from}. Each bracket must end where the next one starts.`,
      pair,
    );
  } else if (a.to < b.from) {
    issue(
      at,
      `There is a gap between brackets ${i} and ${i + 1}: bracket ${i} ends at ${a.to} but bracket ${i + 1} starts at ${b.from}. Each bracket must end where the next one starts.`,
      pair,
    );
  }
}

function salesBound(x: unknown): boolean {
  return isMoney(x);
}

function growthBound(x: unknown): boolean {
  return isFiniteNumber(x) && x >= -100;
}

function boundMessage(basis: RebateBasis): string {
  return basis === 'growth'
    ? 'A growth bound is a percentage, −100 or more (10 = +10 %).'
    : 'A sales bound is a whole number of minor units, 0 or more.';
}
