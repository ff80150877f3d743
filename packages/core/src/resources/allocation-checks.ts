/**
 * Validation of an allocation input: every problem with its JSON path, refused at once, before
 * anything is computed (so a bad input never yields a partial plan).
 */
import type { AdjustmentRule, AllocationDealer, AllocationInput, SplitRule } from './allocation.js';
import {
  decimalOf,
  decimalToNumber,
  isFiniteNumber,
  isMoney,
  onCommonScale,
  pow10,
} from './exact.js';
import { refuse, type ResourceIssue } from './issues.js';

const RULES: readonly SplitRule[] = ['equal', 'sales', 'score', 'target'];
const HUNDRED_PERCENT = { percent: 100, basis_points: 10_000 } as const;

/** The weight a dealer's tier rule reads: 1 for `equal`, else the field of that name. */
export function weightOf(dealer: AllocationDealer, rule: SplitRule): number {
  return rule === 'equal' ? 1 : (dealer[rule] as number);
}

/** Throws DomainError('validation_failed') listing every problem of the input; else returns. */
export function checkAllocationInput(input: AllocationInput): void {
  const issues: ResourceIssue[] = [];
  const issue = (path: string, message: string, facts: Record<string, unknown> = {}) =>
    issues.push({ path, message, ...facts });

  if (!isMoney(input.pool)) {
    issue('pool', 'The pool must be a whole number of minor units (fen), 0 or more.', {
      value: input.pool,
    });
  }
  if (!Object.hasOwn(HUNDRED_PERCENT, input.shareUnit)) {
    issue('shareUnit', "The share unit must be 'percent' or 'basis_points'.", {
      value: input.shareUnit,
    });
  }
  const full = input.whenTierFull;
  if (full !== undefined && full !== 'redistribute' && full !== 'unallocated') {
    issue('whenTierFull', "whenTierFull must be 'redistribute' or 'unallocated'.", {
      value: full,
    });
  }
  checkTiers(input, issue);
  checkAdjustments(input.adjustments, issue);
  checkDealers(input, issue);
  if (issues.length > 0) refuse('allocation', issues);
}

type IssueSink = (path: string, message: string, facts?: Record<string, unknown>) => void;

function checkTiers(input: AllocationInput, issue: IssueSink): void {
  if (input.tiers.length === 0) {
    issue('tiers', 'Name at least one tier to share the pool.');
    return;
  }
  const seen = new Set<string>();
  let sharesValid = true;
  input.tiers.forEach((t, i) => {
    if (typeof t.tier !== 'string' || t.tier === '') {
      issue(`tiers[${i}].tier`, 'Each tier needs its code.');
    } else if (seen.has(t.tier)) {
      issue(`tiers[${i}].tier`, `Tier ${t.tier} is listed twice; list each tier once.`, {
        tier: t.tier,
      });
    }
    seen.add(t.tier);
    if (!(isFiniteNumber(t.share) && t.share >= 0)) {
      sharesValid = false;
      issue(`tiers[${i}].share`, `The share of tier ${t.tier} must be a number, 0 or more.`, {
        value: t.share,
      });
    }
    if (!RULES.includes(t.rule)) {
      issue(`tiers[${i}].rule`, `The rule must be one of ${RULES.join(', ')}.`, {
        value: t.rule,
      });
    }
  });
  const expected = HUNDRED_PERCENT[input.shareUnit];
  if (!sharesValid || expected === undefined) return;
  const { digits, scale } = onCommonScale(input.tiers.map((t) => decimalOf(t.share)));
  const sum = digits.reduce((s, d) => s + d, 0n);
  if (sum !== BigInt(expected) * pow10(scale)) {
    const total = decimalToNumber(sum, scale);
    const unit = input.shareUnit === 'percent' ? '%' : ' basis points';
    const list = input.tiers.map((t) => `${t.tier} ${t.share}`).join(', ');
    issue(
      'tiers',
      `The tier shares add up to ${total}${unit} but must add up to exactly ${expected}${unit} (${list}). Adjust them so that they sum to ${expected}.`,
      {
        sum: total,
        expected,
        shares: input.tiers.map((t, i) => ({
          path: `tiers[${i}].share`,
          tier: t.tier,
          share: t.share,
        })),
      },
    );
  }
}

function checkAdjustments(rule: AdjustmentRule | undefined, issue: IssueSink): void {
  if (rule === undefined) return;
  const factor = (path: string, value: unknown) => {
    if (!(isFiniteNumber(value) && value >= 0 && value <= 1)) {
      issue(
        path,
        'An adjustment factor multiplies a weight and must be between 0 and 1 (0.5 halves it).',
        {
          value,
        },
      );
    }
  };
  if (rule.probationFactor !== undefined)
    factor('adjustments.probationFactor', rule.probationFactor);
  if (rule.missedTarget !== undefined) {
    const { periods } = rule.missedTarget;
    if (!(Number.isSafeInteger(periods) && periods >= 1)) {
      issue(
        'adjustments.missedTarget.periods',
        'The number of missed periods must be a whole number, 1 or more.',
        {
          value: periods,
        },
      );
    }
    factor('adjustments.missedTarget.factor', rule.missedTarget.factor);
  }
}

function checkDealers(input: AllocationInput, issue: IssueSink): void {
  const rules = new Map(input.tiers.map((t) => [t.tier, t.rule]));
  const seen = new Set<number>();
  input.dealers.forEach((d, i) => {
    const at = `dealers[${i}]`;
    if (!Number.isSafeInteger(d.dealerId)) {
      issue(`${at}.dealerId`, 'A dealer id must be a whole number.', { value: d.dealerId });
    } else if (seen.has(d.dealerId)) {
      issue(`${at}.dealerId`, `Dealer ${d.dealerId} is listed twice; list each dealer once.`, {
        dealerId: d.dealerId,
      });
    }
    seen.add(d.dealerId);
    const rule = rules.get(d.tier);
    if (rule === undefined) {
      issue(
        `${at}.tier`,
        `Dealer ${d.dealerId} is in tier ${d.tier}, which the budget does not list.`,
        {
          dealerId: d.dealerId,
          tier: d.tier,
        },
      );
    } else if (rule !== 'equal') {
      const w = d[rule];
      if (!(isFiniteNumber(w) && w >= 0)) {
        issue(
          `${at}.${rule}`,
          `Tier ${d.tier} is split by ${rule}; dealer ${d.dealerId} needs a ${rule} of 0 or more.`,
          { dealerId: d.dealerId, value: w },
        );
      }
    }
    checkBounds(d, at, issue);
  });
}

function checkBounds(d: AllocationDealer, at: string, issue: IssueSink): void {
  const floorOk = d.floor === undefined || isMoney(d.floor);
  const capOk = d.cap === undefined || d.cap === null || isMoney(d.cap);
  if (!floorOk) {
    issue(
      `${at}.floor`,
      `The floor of dealer ${d.dealerId} must be a whole number of minor units, 0 or more.`,
      {
        dealerId: d.dealerId,
        value: d.floor,
      },
    );
  }
  if (!capOk) {
    issue(
      `${at}.cap`,
      `The cap of dealer ${d.dealerId} must be a whole number of minor units, 0 or more.`,
      {
        dealerId: d.dealerId,
        value: d.cap,
      },
    );
  }
  if (floorOk && capOk && typeof d.cap === 'number' && d.cap < (d.floor ?? 0)) {
    issue(
      `${at}.cap`,
      `Dealer ${d.dealerId} has a cap of ${d.cap} below its floor of ${d.floor}; raise the cap or lower the floor.`,
      { dealerId: d.dealerId, cap: d.cap, floor: d.floor },
    );
  }
  const missed = d.missedTargetPeriods;
  if (missed !== undefined && !(Number.isSafeInteger(missed) && missed >= 0)) {
    issue(`${at}.missedTargetPeriods`, 'Missed target periods must be a whole number, 0 or more.', {
      dealerId: d.dealerId,
      value: missed,
    });
  }
}

/**
 * Refuses tiers whose dealers' floors add up to more than the tier's share of the pool: the
 * floors could not all be honoured.
 */
export function checkFloors(
  input: AllocationInput,
  floorTotals: readonly bigint[],
  shareAmounts: readonly bigint[],
): void {
  const issues: ResourceIssue[] = [];
  input.tiers.forEach((t, i) => {
    const floors = floorTotals[i]!;
    const amount = shareAmounts[i]!;
    if (floors <= amount) return;
    const dealers = input.dealers
      .filter((d) => d.tier === t.tier && (d.floor ?? 0) > 0)
      .map((d) => d.dealerId)
      .sort((a, b) => a - b);
    issues.push({
      path: `tiers[${i}]`,
      message: `The floors of tier ${t.tier}'s dealers add up to ${floors} but the tier's share of the pool is ${amount} (dealers ${dealers.slice(0, 20).join(', ')}${dealers.length > 20 ? ', …' : ''}). Lower the floors, raise the tier's share or the pool.`,
      tier: t.tier,
      floorTotal: Number(floors),
      tierAmount: Number(amount),
      dealers,
    });
  });
  if (issues.length > 0) refuse('allocation', issues);
}
