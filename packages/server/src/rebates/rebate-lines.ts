import {
  checkRebateLadder,
  DomainError,
  monthIndex,
  parsePeriod,
  periodMonths,
  periodOfMonth,
  projectRebate,
  shiftPeriod,
  type Cycle,
  type Period,
  type RebateLadder,
  type RebateResult,
  type ResourceIssue,
} from '@tierline/core';
import type {
  RebateAmount,
  RebateBasis,
  RebateBracket,
  RebateLadders,
  RebateLine,
  RebateMethod,
  RebatePeriodKind,
} from '@tierline/contract';

/**
 * What a rebate program computes, dealer by dealer, from numbers the repository read: which
 * ladder a dealer uses, the period and months elapsed, the run-rate projection, and one
 * preview line (core's `computeRebate`/`projectRebate` do the money). No IO here.
 */

const CYCLE_OF: Readonly<Record<RebatePeriodKind, Cycle>> = {
  monthly: 'monthly',
  quarterly: 'quarterly',
  half_year: 'semiannual',
  annual: 'annual',
};

const EXAMPLE: Readonly<Record<RebatePeriodKind, string>> = {
  monthly: '2026-10',
  quarterly: '2026-Q3',
  half_year: '2026-H1',
  annual: '2026',
};

/** The period `key` of a program settled over `kind` periods; refuses a key of another kind. */
export function programPeriod(kind: RebatePeriodKind, key: string, field = 'period'): Period {
  const period = parsePeriod(key);
  if (period.cycle !== CYCLE_OF[kind]) {
    throw new DomainError(
      'validation_failed',
      `This program is settled per ${kind.replace('_', ' ')} period; ${key} is not one. Use e.g. ${EXAMPLE[kind]}.`,
      { field, value: key },
    );
  }
  return period;
}

/** The period of `kind` that holds the month 'YYYY-MM'. */
export function periodHolding(kind: RebatePeriodKind, month: string): Period {
  return periodOfMonth(CYCLE_OF[kind], month);
}

/** The previous period of the same kind: what a growth ladder compares with. */
export function previousPeriod(period: Period): Period {
  return shiftPeriod(period, 1);
}

/** How far into a period sales are counted, given the month they are counted up to. */
export interface PeriodProgress {
  period: Period;
  /** Last month counted: the period's last month, or `asOf` when earlier. */
  countedTo: string;
  monthsElapsed: number;
  monthsTotal: number;
}

/**
 * Months of `period` elapsed as of `asOf` (inclusive); refuses a period that starts after it
 * (nothing to count yet), saying what the latest month is.
 */
export function progressOf(period: Period, asOf: string): PeriodProgress {
  const total = periodMonths(period);
  const elapsed = Math.min(total, monthIndex(asOf) - monthIndex(period.from) + 1);
  if (elapsed < 1) {
    throw new DomainError(
      'validation_failed',
      `${period.key} starts in ${period.from}, after ${asOf}, the last month counted: there are no sales to count yet.`,
      { field: 'period', value: period.key, asOf },
    );
  }
  return {
    period,
    countedTo: elapsed === total ? period.to : asOf,
    monthsElapsed: elapsed,
    monthsTotal: total,
  };
}

/** The month counted up to: `asOf` when given (not after the data), else the latest month. */
export function countedMonth(latest: string | null, asOf: string | undefined): string {
  if (latest === null) {
    throw new DomainError(
      'validation_failed',
      'There is no sales data yet: import orders (or load the demo) before previewing rebates.',
      { field: 'asOf' },
    );
  }
  if (asOf === undefined) return latest;
  if (asOf > latest) {
    throw new DomainError(
      'validation_failed',
      `asOf ${asOf} is after the latest month with data (${latest}); use ${latest} or earlier.`,
      { field: 'asOf', value: asOf, latest },
    );
  }
  return asOf;
}

/**
 * Run-rate projection: sales to date × months in the period / months elapsed, rounded half
 * away from zero to a whole minor unit (exact, in bigint).
 */
export function runRate(salesToDate: number, elapsed: number, total: number): number {
  if (elapsed >= total) return salesToDate;
  const n = BigInt(salesToDate) * BigInt(total);
  const d = BigInt(elapsed);
  const abs = n < 0n ? -n : n;
  const rounded = (2n * abs + d) / (2n * d);
  return Number(n < 0n ? -rounded : rounded);
}

/** A bracket of a stored ladder (the contract's shape is core's). */
function ladderOf(basis: RebateBasis, method: RebateMethod, brackets: readonly RebateBracket[]) {
  return { basis, method, brackets } satisfies RebateLadder;
}

/**
 * Checks every ladder of a program with core's `checkRebateLadder`, each issue's path under
 * `ladders` (e.g. `ladders.tiers.core[1].from`); also that the program has at least one.
 * Throws one DomainError('validation_failed') listing them all.
 */
export function checkProgramLadders(
  basis: RebateBasis,
  method: RebateMethod,
  ladders: RebateLadders,
): void {
  const issues: ResourceIssue[] = [];
  const check = (prefix: string, brackets: readonly RebateBracket[]) => {
    try {
      checkRebateLadder(ladderOf(basis, method, brackets));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const found = (error.details?.['issues'] ?? []) as ResourceIssue[];
      for (const issue of found) {
        const path = issue.path.startsWith('brackets')
          ? `${prefix}${issue.path.slice('brackets'.length)}`
          : issue.path;
        issues.push({ ...issue, path, ladder: prefix });
      }
    }
  };
  if (ladders.default !== null) check('ladders.default', ladders.default);
  for (const [tier, brackets] of Object.entries(ladders.tiers)) {
    check(`ladders.tiers.${tier}`, brackets);
  }
  if (ladders.default === null && Object.keys(ladders.tiers).length === 0) {
    issues.push({
      path: 'ladders',
      message:
        'A program needs a ladder: give a default ladder, or one for at least one tier (e.g. strategic).',
    });
  }
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new DomainError(
      'validation_failed',
      issues.length === 1
        ? `The rebate ladders are not valid: ${first.path}: ${first.message}`
        : `The rebate ladders have ${issues.length} problems; the first: ${first.path}: ${first.message}`,
      { issues: issues.slice(0, 100), issueCount: issues.length },
    );
  }
}

/** The ladder a dealer uses: its published tier's, else the default, else none (not in the program). */
export function ladderFor(
  ladders: RebateLadders,
  tier: string | null,
): { source: 'tier' | 'default'; brackets: RebateBracket[] } | null {
  const own = tier === null ? undefined : ladders.tiers[tier];
  if (own !== undefined) return { source: 'tier', brackets: own };
  if (ladders.default !== null) return { source: 'default', brackets: ladders.default };
  return null;
}

export interface ProgramTerms {
  basis: RebateBasis;
  method: RebateMethod;
  ladders: RebateLadders;
}

export interface DealerFigures {
  tier: string | null;
  salesToDate: number;
  /** Sales of the previous period, or null when it has no data. */
  previousSales: number | null;
  alreadyPaid: number;
}

function amountOf(result: RebateResult): RebateAmount {
  const reached = result.bracket === null ? undefined : result.lines.at(-1);
  return {
    amount: result.amount,
    bracket: result.bracket,
    rateBasisPoints: result.rateBasisPoints,
    salesFrom: reached === undefined ? null : reached.salesFrom,
  };
}

const NOTHING: RebateAmount = { amount: 0, bracket: null, rateBasisPoints: 0, salesFrom: null };

/**
 * One dealer's preview line (without the dealer), or null when the dealer is not in the
 * program (no ladder for its tier and no default). A growth ladder without previous-period
 * sales earns nothing and says why (`eligible: false`).
 */
export function previewLine(
  terms: ProgramTerms,
  figures: DealerFigures,
  progress: Pick<PeriodProgress, 'monthsElapsed' | 'monthsTotal'>,
): Omit<RebateLine, 'dealer'> | null {
  const used = ladderFor(terms.ladders, figures.tier);
  if (used === null) return null;
  const projectedSales = runRate(figures.salesToDate, progress.monthsElapsed, progress.monthsTotal);
  const common = {
    tier: figures.tier,
    ladder: used,
    salesToDate: figures.salesToDate,
    projectedSales,
    previousSales: figures.previousSales,
    alreadyPaid: figures.alreadyPaid,
  };
  if (terms.basis === 'growth' && !(figures.previousSales !== null && figures.previousSales > 0)) {
    return {
      ...common,
      eligible: false,
      note: 'No sales in the previous period: growth cannot be measured, so the growth ladder pays nothing.',
      current: NOTHING,
      projected: NOTHING,
      next: null,
      due: -figures.alreadyPaid,
    };
  }
  const ladder = ladderOf(terms.basis, terms.method, used.brackets);
  const previousSales = figures.previousSales ?? undefined;
  const now = projectRebate(ladder, { sales: figures.salesToDate, previousSales });
  const projection = projectRebate(ladder, { sales: projectedSales, previousSales });
  const next = projection.next;
  return {
    ...common,
    eligible: true,
    note: null,
    current: amountOf(now.projected),
    projected: amountOf(projection.projected),
    next:
      next === null
        ? null
        : {
            bracket: next.bracket,
            from: next.from,
            rateBasisPoints: used.brackets[next.bracket]!.rateBasisPoints,
            salesNeeded: next.salesNeeded,
            shortfall: next.shortfall,
            rebateAtNext: next.rebateAtNext,
            extraRebate: next.extraRebate,
          },
    due: now.projected.amount - figures.alreadyPaid,
  };
}
