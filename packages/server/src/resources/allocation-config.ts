import {
  allocateBudget,
  DomainError,
  type AllocationDealer,
  type AllocationPlan,
  type ResourceIssue,
} from '@tierline/core';
import type { AllocationConfig, AllocationMethod } from '@tierline/contract';
import type { AllocationCandidate } from './allocation-input.repository.js';

/**
 * From an allocation request's configuration and the dealers taking part to core's
 * `allocateBudget`, and its refusals back to the request's own paths (`config.tiers[2].share`,
 * `config.dealerLimits[0].cap`). Pure: no database.
 */

/**
 * The configuration when none is given and none was published before: the policy's tiers best
 * first, 40/30/20/10 with four tiers, otherwise equal basis points adding up to 10,000 (the
 * remainder on the first tier), each split by sales.
 */
export function defaultConfig(tierCodes: readonly string[]): AllocationConfig {
  const n = tierCodes.length;
  const shares =
    n === 4
      ? [4000, 3000, 2000, 1000]
      : tierCodes.map((_, i) => Math.floor(10_000 / n) + (i === 0 ? 10_000 % n : 0));
  return {
    shareUnit: 'basis_points',
    tiers: tierCodes.map((tier, i) => ({ tier, share: shares[i]!, rule: 'sales' })),
  };
}

/** How the amounts are computed, as core's plan records it. */
export function methodOf(config: AllocationConfig): AllocationMethod {
  return {
    rounding: 'largest_remainder',
    ties: 'tier_order_then_dealer_id',
    whenTierFull: config.whenTierFull ?? 'redistribute',
    shareUnit: config.shareUnit,
    adjustments: config.adjustments ?? {},
  };
}

/** Whether a configuration lists exactly these tiers (in any order). */
export function coversTiers(config: AllocationConfig, tierCodes: readonly string[]): boolean {
  const listed = new Set(config.tiers.map((t) => t.tier));
  return listed.size === tierCodes.length && tierCodes.every((t) => listed.has(t));
}

function refuse(issues: readonly ResourceIssue[]): never {
  const first = issues[0]!;
  const head = `${first.path}: ${first.message}`;
  throw new DomainError(
    'validation_failed',
    issues.length > 1 ? `The allocation has ${issues.length} problems; the first: ${head}` : head,
    { issues: issues.slice(0, 100), issueCount: issues.length },
  );
}

export interface PlannedLine {
  sales: number | null;
  score: number | null;
  target: number | null;
}

/**
 * Check the configuration against the policy's tiers and the dealers taking part, then split
 * `pool` with core's `allocateBudget`. Every problem is refused at once with its path in the
 * request; nothing is computed from a bad input.
 */
export function planAllocation(
  pool: number,
  config: AllocationConfig,
  candidates: readonly AllocationCandidate[],
  policyTiers: readonly string[],
): { plan: AllocationPlan; inputs: Map<number, PlannedLine> } {
  const issues: ResourceIssue[] = [];
  const listed = new Map<string, number>();
  config.tiers.forEach((t, i) => {
    if (!policyTiers.includes(t.tier)) {
      issues.push({
        path: `config.tiers[${i}].tier`,
        message: `${t.tier} is not a tier of the policy the allocation reads; use ${policyTiers.join(', ')}.`,
        tier: t.tier,
      });
    }
    if (t.cap !== undefined && t.cap < (t.floor ?? 0)) {
      issues.push({
        path: `config.tiers[${i}].cap`,
        message: `Tier ${t.tier} has a cap of ${t.cap} below its floor of ${t.floor ?? 0}; raise the cap or lower the floor.`,
        tier: t.tier,
        cap: t.cap,
        floor: t.floor ?? 0,
      });
    }
    if (!listed.has(t.tier)) listed.set(t.tier, i);
  });
  const perTier = new Map<string, number>();
  for (const c of candidates) perTier.set(c.tier, (perTier.get(c.tier) ?? 0) + 1);
  for (const [tier, n] of perTier) {
    if (!listed.has(tier)) {
      issues.push({
        path: 'config.tiers',
        message: `Tier ${tier} (${n} dealers) has no share; list every tier of the policy (${policyTiers.join(', ')}), with share 0 to give one nothing.`,
        tier,
      });
    }
  }
  const byId = new Map(candidates.map((c) => [c.dealerId, c]));
  const limitIndex = new Map<number, number>();
  (config.dealerLimits ?? []).forEach((limit, j) => {
    const at = `config.dealerLimits[${j}]`;
    const dealer = byId.get(limit.dealerId);
    if (!dealer) {
      issues.push({
        path: `${at}.dealerId`,
        message: `Dealer ${limit.dealerId} takes no part in this allocation (not trading, or without a published tier); remove its limit.`,
        dealerId: limit.dealerId,
      });
      return;
    }
    if (limitIndex.has(limit.dealerId)) {
      issues.push({
        path: `${at}.dealerId`,
        message: `Dealer ${dealer.code} has two limits; give each dealer one.`,
        dealerId: limit.dealerId,
      });
      return;
    }
    limitIndex.set(limit.dealerId, j);
    const tier = config.tiers[listed.get(dealer.tier) ?? -1];
    const floor = limit.floor ?? tier?.floor ?? 0;
    const cap = limit.cap ?? tier?.cap;
    if (cap !== undefined && cap < floor) {
      issues.push({
        path: `${at}.cap`,
        message: `Dealer ${dealer.code} (id ${dealer.dealerId}) has a cap of ${cap} below its floor of ${floor}; raise the cap or lower the floor.`,
        dealerId: dealer.dealerId,
        cap,
        floor,
      });
    }
  });
  if (issues.length > 0) refuse(issues);

  const limits = config.dealerLimits ?? [];
  const dealers: AllocationDealer[] = candidates.map((c) => {
    const tier = config.tiers[listed.get(c.tier)!]!;
    const j = limitIndex.get(c.dealerId);
    const limit = j === undefined ? undefined : limits[j];
    const cap = limit?.cap ?? tier.cap;
    return {
      dealerId: c.dealerId,
      tier: c.tier,
      sales: c.sales,
      score: c.score,
      target: c.target ?? 0,
      floor: limit?.floor ?? tier.floor ?? 0,
      cap: cap ?? null,
      onProbation: c.standing === 'probation',
      missedTargetPeriods: c.missedTargetPeriods,
    };
  });
  let plan: AllocationPlan;
  try {
    plan = allocateBudget({
      pool,
      shareUnit: config.shareUnit,
      tiers: config.tiers.map((t) => ({ tier: t.tier, share: t.share, rule: t.rule })),
      dealers,
      adjustments: config.adjustments,
      whenTierFull: config.whenTierFull,
    });
  } catch (error) {
    if (!(error instanceof DomainError) || !Array.isArray(error.details?.['issues'])) throw error;
    const where = (path: string): string => {
      const m = /^dealers\[(\d+)\](.*)$/.exec(path);
      if (m) {
        const d = dealers[Number(m[1])]!;
        const j = limitIndex.get(d.dealerId);
        return j === undefined
          ? `config.tiers[${listed.get(d.tier) ?? 0}]${m[2]}`
          : `config.dealerLimits[${j}]${m[2]}`;
      }
      return path === 'pool' ? path : `config.${path}`;
    };
    refuse(
      (error.details['issues'] as ResourceIssue[]).map((issue) => ({
        ...issue,
        path: where(issue.path),
        ...(Array.isArray(issue['shares'])
          ? {
              shares: (issue['shares'] as { path: string }[]).map((s) => ({
                ...s,
                path: where(s.path),
              })),
            }
          : {}),
      })),
    );
  }
  const inputs = new Map<number, PlannedLine>(
    candidates.map((c) => [c.dealerId, { sales: c.sales, score: c.score, target: c.target }]),
  );
  return { plan, inputs };
}
