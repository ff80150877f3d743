/**
 * Budget allocation (预算分配): a pool for a period split across tiers by proportions, then
 * within each tier across its dealers by a rule, with caps, floors, redistribution and
 * adjustments, in exact minor units. Formulas, rounding and a worked example: docs/resources.md.
 */
import { fillByWeight, type FillItem, type FillOutcome } from './apportion.js';
import { checkAllocationInput, checkFloors, weightOf } from './allocation-checks.js';
import { decimalOf, multiplyDecimals, onCommonScale, type Decimal } from './exact.js';

/** How a tier's amount is split across its dealers: equally, or by a weight per dealer. */
export type SplitRule = 'equal' | 'sales' | 'score' | 'target';

/** The unit of tier shares: 40 = 40 % with `percent`; 4000 = 40 % with `basis_points`. */
export type ShareUnit = 'percent' | 'basis_points';

/**
 * What happens to a tier's money when no dealer of it can take more (every dealer with a weight
 * is at its cap, or the tier has none): `redistribute` carries it to the other tiers in
 * proportion to their shares; `unallocated` leaves it as a stated unallocated amount.
 */
export type WhenTierFull = 'redistribute' | 'unallocated';

/** One tier's part of the budget. Tiers are listed best first; the order breaks rounding ties. */
export interface TierBudget {
  /** Tier code as in the policy, e.g. `strategic`. */
  tier: string;
  /** Share of the pool in the input's `shareUnit`; all shares add up to exactly 100 %. */
  share: number;
  /** How the tier's amount is split across its dealers. */
  rule: SplitRule;
}

/**
 * A dealer taking part in the allocation. The weight fields are read by the rule of the
 * dealer's tier (`sales` for the `sales` rule, …): in any unit, ≥ 0, only ratios matter.
 * Amounts (`cap`, `floor`) in minor units.
 */
export interface AllocationDealer {
  dealerId: number;
  /** Tier code; must be one of the input's tiers. */
  tier: string;
  /** Sales in the reference period (for the `sales` rule). */
  sales?: number | undefined;
  /** Score (for the `score` rule). */
  score?: number | undefined;
  /** Sales target (for the `target` rule). */
  target?: number | undefined;
  /** Least amount the dealer gets (default 0). */
  floor?: number | undefined;
  /** Most amount the dealer gets; null or absent for no cap. */
  cap?: number | null | undefined;
  /** On probation (考察期): the adjustment rule's `probationFactor` applies. */
  onProbation?: boolean | undefined;
  /** Consecutive periods, up to the current one, in which the dealer missed its target. */
  missedTargetPeriods?: number | undefined;
}

/**
 * Declared weight adjustments: a dealer's weight is multiplied by each factor that applies
 * (both multiply when both apply) before the tier is split. Factors are in [0, 1].
 */
export interface AdjustmentRule {
  /** Factor for a dealer on probation, e.g. 0.5. */
  probationFactor?: number | undefined;
  /** Factor for a dealer that missed its target `periods` or more periods running. */
  missedTarget?: { periods: number; factor: number } | undefined;
}

/** Everything an allocation needs. Money in minor units (fen), safe integers. */
export interface AllocationInput {
  /** The budget pool, ≥ 0. */
  pool: number;
  shareUnit: ShareUnit;
  tiers: readonly TierBudget[];
  dealers: readonly AllocationDealer[];
  adjustments?: AdjustmentRule | undefined;
  /** Default `redistribute`. */
  whenTierFull?: WhenTierFull | undefined;
}

/** An adjustment applied to one dealer's weight, with its reason. */
export interface DealerAdjustment {
  reason: 'probation' | 'missed_target';
  factor: number;
  /** For a person, e.g. "Missed target 3 periods running (rule: 2 or more): weight × 0.5". */
  detail: string;
}

/** One dealer's amount and everything needed to explain it. */
export interface AllocationLine {
  dealerId: number;
  tier: string;
  /** The rule actually used (`equal` when a weight rule fell back). */
  rule: SplitRule;
  /** The rule's weight before adjustments (1 for `equal`). */
  baseWeight: number;
  /** The weight the split used: baseWeight × every adjustment factor. */
  weight: number;
  /** Minor units. */
  amount: number;
  floor: number;
  cap: number | null;
  /** The cap held the dealer below its proportional share. */
  capped: boolean;
  /** The floor raised the dealer above its proportional share. */
  floored: boolean;
  adjustments: DealerAdjustment[];
}

/** Why a tier could not take all of its money. */
export type TierFullReason = 'no_dealers' | 'no_weight' | 'all_capped';

/** One tier's totals. amount + unallocated = shareAmount + carried. */
export interface TierAllocation {
  tier: string;
  /** As given, in the input's shareUnit. */
  share: number;
  /** The rule as configured. */
  rule: SplitRule;
  /** The rule used: `equal` when every dealer's weight was 0. */
  effectiveRule: SplitRule;
  /** Why the rule fell back to `equal`, or null. */
  fallback: string | null;
  dealerCount: number;
  /** The tier's share of the pool, rounded (these add up to the pool). */
  shareAmount: number;
  /** Received from (> 0) or passed to (< 0) other tiers by redistribution. */
  carried: number;
  /** Allocated to the tier's dealers (the sum of its lines). */
  amount: number;
  /** Left unallocated (only with `whenTierFull: 'unallocated'`). */
  unallocated: number;
  /** Why the tier could take no more, or null when it could. */
  full: TierFullReason | null;
}

/** How the amounts were computed, for the record and for the UI. */
export interface AllocationMethod {
  rounding: 'largest_remainder';
  /** Rounding ties: tiers by their order in the input, dealers by ascending dealer id. */
  ties: 'tier_order_then_dealer_id';
  whenTierFull: WhenTierFull;
  shareUnit: ShareUnit;
  adjustments: AdjustmentRule;
}

/** An allocation: allocated + unallocated = pool, exactly. */
export interface AllocationPlan {
  pool: number;
  allocated: number;
  unallocated: number;
  method: AllocationMethod;
  tiers: TierAllocation[];
  /** By tier (input order), then dealer id ascending. */
  lines: AllocationLine[];
  /** Sentences for a person: fallbacks, carries, unallocated money. */
  notes: string[];
}

/** A tier with its dealers' weights, floors and caps ready for {@link fillByWeight}. */
interface PreparedTier {
  budget: TierBudget;
  effectiveRule: SplitRule;
  fallback: string | null;
  dealers: AllocationDealer[];
  baseWeights: number[];
  adjustments: DealerAdjustment[][];
  items: FillItem[];
  floorTotal: bigint;
  /** Most the tier can give out: null when some dealer with a weight has no cap. */
  capacity: bigint | null;
}

/**
 * Splits `input.pool` across tiers by their shares, then each tier's amount across its dealers
 * by the tier's rule, in exact minor units.
 *
 * 1. Tier shares: pool × share / 100 % (shares must add up to exactly 100 %), rounded by largest
 *    remainder, ties to the earlier tier.
 * 2. Weights per dealer: the rule's field (1 for `equal`); when every dealer of a weight rule has
 *    weight 0 the tier is split equally and `fallback` says so. Each applicable adjustment
 *    factor multiplies the weight.
 * 3. Within a tier: proportional to weight, each dealer between floor and cap; what caps leave
 *    over goes to the other dealers of the tier by weight (see {@link fillByWeight}); rounding
 *    by largest remainder, ties to the smaller dealer id.
 * 4. A tier that cannot give out its amount (every weighted dealer capped, no dealers, or only
 *    zero weights): with `redistribute` (default) the tiers are re-split together, each tier at
 *    most what its dealers can take and the rest in proportion to the shares; with
 *    `unallocated` the excess stays unallocated. Money no tier can take is `unallocated`.
 *
 * Always: the lines add up to `allocated`, allocated + unallocated = pool, every amount is
 * ≥ 0, ≥ its floor and ≤ its cap, and the result does not depend on the order of the dealers.
 * Throws DomainError('validation_failed') with `details.issues` (each with a `path` such as
 * `tiers[2].share` or `dealers[4].cap`) for shares that do not add up to 100 % (with the sum
 * and each share), unknown or duplicate tiers and dealers, missing or negative weights, bad
 * amounts, a cap below a floor, factors outside [0, 1], or floors that exceed their tier's share.
 *
 * @example
 * allocateBudget({ pool: 100_000_000, shareUnit: 'percent',
 *   tiers: [{ tier: 'strategic', share: 40, rule: 'sales' }, …], dealers: […] })
 */
export function allocateBudget(input: AllocationInput): AllocationPlan {
  checkAllocationInput(input);
  const whenTierFull = input.whenTierFull ?? 'redistribute';
  const adjustments = input.adjustments ?? {};
  const pool = BigInt(input.pool);
  const groups = input.tiers.map((t) =>
    input.dealers.filter((d) => d.tier === t.tier).sort((a, b) => a.dealerId - b.dealerId),
  );
  const tiers = input.tiers.map((t, i) => prepareTier(t, groups[i]!, adjustments));
  const shares = onCommonScale(input.tiers.map((t) => decimalOf(t.share))).digits;
  const byShare = (i: number, floor: bigint, cap: bigint | null): FillItem => ({
    weight: shares[i]!,
    floor,
    cap,
    order: i,
  });
  const shareAmounts = fillByWeight(
    pool,
    tiers.map((_, i) => byShare(i, 0n, null)),
  ).amounts;
  checkFloors(
    input,
    tiers.map((t) => t.floorTotal),
    shareAmounts,
  );
  const tierAmounts =
    whenTierFull === 'redistribute'
      ? fillByWeight(
          pool,
          tiers.map((t, i) => byShare(i, t.floorTotal, t.capacity)),
        ).amounts
      : shareAmounts;

  const lines: AllocationLine[] = [];
  const tierResults = tiers.map((t, i) => {
    const amount = tierAmounts[i]!;
    const fill = fillByWeight(amount, t.items);
    t.dealers.forEach((d, k) => lines.push(lineOf(t, d, k, fill.amounts[k]!, fill.outcomes[k]!)));
    return tierResultOf(t, shareAmounts[i]!, amount, fill.leftover);
  });
  const allocated = lines.reduce((s, l) => s + l.amount, 0);
  const plan: AllocationPlan = {
    pool: input.pool,
    allocated,
    unallocated: input.pool - allocated,
    method: {
      rounding: 'largest_remainder',
      ties: 'tier_order_then_dealer_id',
      whenTierFull,
      shareUnit: input.shareUnit,
      adjustments,
    },
    tiers: tierResults,
    lines,
    notes: [],
  };
  plan.notes = notesOf(plan);
  return plan;
}

/** Weights (with fallback and adjustments), floors and caps of one tier's dealers. */
function prepareTier(
  budget: TierBudget,
  dealers: AllocationDealer[],
  rule: AdjustmentRule,
): PreparedTier {
  const configured = dealers.map((d) => weightOf(d, budget.rule));
  const allZero = budget.rule !== 'equal' && dealers.length > 0 && configured.every((w) => w === 0);
  const effectiveRule: SplitRule = allZero ? 'equal' : budget.rule;
  const baseWeights = allZero ? configured.map(() => 1) : configured;
  const adjustments = dealers.map((d) => adjustmentsOf(d, rule));
  const weights: Decimal[] = baseWeights.map((w, k) =>
    adjustments[k]!.reduce((acc, a) => multiplyDecimals(acc, decimalOf(a.factor)), decimalOf(w)),
  );
  const scaled = onCommonScale(weights).digits;
  const items: FillItem[] = dealers.map((d, k) => ({
    weight: scaled[k]!,
    floor: BigInt(d.floor ?? 0),
    cap: d.cap === undefined || d.cap === null ? null : BigInt(d.cap),
    order: d.dealerId,
  }));
  let capacity: bigint | null = 0n;
  for (const it of items) {
    if (it.weight === 0n) capacity = capacity === null ? null : capacity + it.floor;
    else capacity = it.cap === null || capacity === null ? null : capacity + it.cap;
  }
  return {
    budget,
    effectiveRule,
    fallback: allZero
      ? `Every dealer of tier ${budget.tier} has ${budget.rule} 0, so the tier is split equally.`
      : null,
    dealers,
    baseWeights,
    adjustments,
    items,
    floorTotal: items.reduce((s, it) => s + it.floor, 0n),
    capacity,
  };
}

/** The adjustments of the declared rule that apply to a dealer, with their reasons. */
function adjustmentsOf(dealer: AllocationDealer, rule: AdjustmentRule): DealerAdjustment[] {
  const out: DealerAdjustment[] = [];
  if (dealer.onProbation && rule.probationFactor !== undefined) {
    const factor = rule.probationFactor;
    out.push({ reason: 'probation', factor, detail: `On probation: weight × ${factor}` });
  }
  const missed = rule.missedTarget;
  const periods = dealer.missedTargetPeriods ?? 0;
  if (missed && periods >= missed.periods) {
    out.push({
      reason: 'missed_target',
      factor: missed.factor,
      detail: `Missed target ${periods} periods running (rule: ${missed.periods} or more): weight × ${missed.factor}`,
    });
  }
  return out;
}

function lineOf(
  tier: PreparedTier,
  dealer: AllocationDealer,
  k: number,
  amount: bigint,
  outcome: FillOutcome,
): AllocationLine {
  const adjustments = tier.adjustments[k]!;
  const baseWeight = tier.baseWeights[k]!;
  return {
    dealerId: dealer.dealerId,
    tier: tier.budget.tier,
    rule: tier.effectiveRule,
    baseWeight,
    weight: adjustments.reduce((w, a) => w * a.factor, baseWeight),
    amount: Number(amount),
    floor: dealer.floor ?? 0,
    cap: dealer.cap ?? null,
    capped: outcome === 'capped',
    floored: outcome === 'floored' && (dealer.floor ?? 0) > 0,
    adjustments,
  };
}

function tierResultOf(
  t: PreparedTier,
  shareAmount: bigint,
  amount: bigint,
  leftover: bigint,
): TierAllocation {
  const weighted = t.items.some((it) => it.weight > 0n);
  const full: TierFullReason | null =
    t.dealers.length === 0
      ? 'no_dealers'
      : !weighted
        ? 'no_weight'
        : t.capacity !== null && amount >= t.capacity
          ? 'all_capped'
          : null;
  return {
    tier: t.budget.tier,
    share: t.budget.share,
    rule: t.budget.rule,
    effectiveRule: t.effectiveRule,
    fallback: t.fallback,
    dealerCount: t.dealers.length,
    shareAmount: Number(shareAmount),
    carried: Number(amount - shareAmount),
    amount: Number(amount - leftover),
    unallocated: Number(leftover),
    full,
  };
}

/** Sentences that explain what a reader might not expect. */
function notesOf(plan: AllocationPlan): string[] {
  const notes: string[] = [];
  const reasons: Record<TierFullReason, string> = {
    no_dealers: 'has no dealers',
    no_weight: 'has no dealer with a weight above 0',
    all_capped: 'has every dealer at its cap',
  };
  const stranded = plan.method.whenTierFull === 'redistribute' && plan.unallocated > 0;
  for (const t of plan.tiers) {
    if (t.fallback) notes.push(t.fallback);
    if (t.full && (t.carried < 0 || t.unallocated > 0)) {
      const what =
        t.unallocated > 0
          ? `left ${t.unallocated} unallocated`
          : stranded
            ? `gave out ${t.amount} of its share of ${t.shareAmount}`
            : `passed ${-t.carried} to the other tiers in proportion to their shares`;
      notes.push(`Tier ${t.tier} ${reasons[t.full]}; it ${what}.`);
    }
  }
  if (stranded) {
    notes.push(
      `${plan.unallocated} is unallocated: every tier with a share is full (every dealer that takes a share is at its cap).`,
    );
  }
  return notes;
}
