import type { Lifecycle } from './policy.js';

/** How a dealer stands within its tier. */
export type Standing = 'good' | 'at_risk' | 'probation' | 'elimination';

/** What carries over from a dealer's last published decision to the next assessment. */
export interface DealerState {
  tier: string;
  standing: Standing;
  /** Periods in a row the score has placed the dealer below its tier. */
  periodsBelow: number;
  /** Periods in a row in the bottom tier. */
  periodsAtBottom: number;
}

/**
 * A manual override, with its required reason: `once` sets the tier of one assessment run;
 * `lock` holds a tier until revoked; `until` holds it to the end of a month; `floor` keeps the
 * dealer at or above a tier until revoked or until `until`.
 */
export interface TierOverride {
  kind: 'once' | 'lock' | 'until' | 'floor';
  tier: string;
  reason: string;
  /** Last month it applies, 'YYYY-MM' (for `until`, and optionally `floor`). */
  until: string | null;
}

/** Why a decision came out as it did. Stored with each decision; stable codes. */
export type ReasonCode =
  | 'entry'
  | 'unchanged'
  | 'promoted'
  | 'promotion_limited'
  | 'promotion_awaits_review'
  | 'campaign_upgrade'
  | 'demoted'
  | 'demotion_limited'
  | 'at_risk'
  | 'demotion_disabled'
  | 'gate_failed'
  | 'missing_data'
  | 'override_set'
  | 'override_floor'
  | 'probation'
  | 'elimination_proposed';

export interface LifecycleContext {
  lifecycle: Lifecycle;
  tierCount: number;
  /** The period ends in a review month. */
  review: boolean;
  /** A running campaign overlay allows promotion outside review dates. */
  campaignUpgrade: boolean;
}

export interface LifecycleOutcome {
  tier: number;
  standing: Standing;
  periodsBelow: number;
  periodsAtBottom: number;
  reasons: ReasonCode[];
}

/**
 * Apply the lifecycle rules to one dealer: from its previous tier (index, 0 = best; null when
 * it has none) and the tier its score and gates give (`candidate`), decide its tier.
 *
 * - Up: immediately, or only at a review date unless a campaign allows it; at most
 *   `maxStepUp` tiers at once.
 * - Down: never; automatically; after `demotionAfter` periods in a row below; or at a review
 *   date. Until then the dealer stays and is `at_risk`. At most `maxStepDown` tiers at once.
 * - Bottom: after `probationAfter` periods in a row there, probation; after
 *   `eliminationAfter`, elimination (淘汰) is proposed.
 * Overrides are applied afterwards by the caller.
 */
export function applyLifecycle(
  previous: { tier: number; state: DealerState } | null,
  candidate: number,
  context: LifecycleContext,
): LifecycleOutcome {
  const { lifecycle, tierCount, review, campaignUpgrade } = context;
  const reasons: ReasonCode[] = [];
  let tier = candidate;
  let periodsBelow = 0;
  let atRisk = false;
  if (!previous) {
    reasons.push('entry');
  } else if (candidate < previous.tier) {
    if (lifecycle.promotion === 'review' && !review && !campaignUpgrade) {
      tier = previous.tier;
      reasons.push('promotion_awaits_review');
    } else {
      const limit = lifecycle.maxStepUp ?? tierCount;
      tier = Math.max(candidate, previous.tier - limit);
      reasons.push('promoted');
      if (tier !== candidate) reasons.push('promotion_limited');
      if (lifecycle.promotion === 'review' && !review) reasons.push('campaign_upgrade');
    }
  } else if (candidate > previous.tier) {
    const below = previous.state.periodsBelow + 1;
    const demote =
      lifecycle.demotion === 'automatic' ||
      (lifecycle.demotion === 'consecutive' && below >= lifecycle.demotionAfter) ||
      (lifecycle.demotion === 'review' && review);
    if (demote) {
      tier = Math.min(candidate, previous.tier + lifecycle.maxStepDown);
      reasons.push('demoted');
      if (tier !== candidate) reasons.push('demotion_limited');
    } else {
      tier = previous.tier;
      periodsBelow = below;
      atRisk = true;
      reasons.push(lifecycle.demotion === 'never' ? 'demotion_disabled' : 'at_risk');
    }
  } else {
    reasons.push('unchanged');
  }
  return finish(tier, previous?.state ?? null, periodsBelow, atRisk, reasons, context);
}

/** Bottom-tier counting and standing, for a tier already decided (also after an override). */
export function finish(
  tier: number,
  previous: DealerState | null,
  periodsBelow: number,
  atRisk: boolean,
  reasons: ReasonCode[],
  context: Pick<LifecycleContext, 'lifecycle' | 'tierCount'>,
): LifecycleOutcome {
  const { lifecycle, tierCount } = context;
  const atBottom = tier === tierCount - 1;
  const periodsAtBottom = atBottom ? (previous?.periodsAtBottom ?? 0) + 1 : 0;
  let standing: Standing = atRisk ? 'at_risk' : 'good';
  if (
    atBottom &&
    lifecycle.eliminationAfter !== null &&
    periodsAtBottom >= lifecycle.eliminationAfter
  ) {
    standing = 'elimination';
    reasons.push('elimination_proposed');
  } else if (
    atBottom &&
    lifecycle.probationAfter !== null &&
    periodsAtBottom >= lifecycle.probationAfter
  ) {
    standing = 'probation';
    reasons.push('probation');
  }
  return { tier, standing, periodsBelow, periodsAtBottom, reasons };
}
