import { describe, expect, it } from 'vitest';
import { DomainError } from '@tierline/core';
import type { AllocationConfig } from '@tierline/contract';
import { coversTiers, defaultConfig, planAllocation } from './allocation-config.js';
import type { AllocationCandidate } from './allocation-input.repository.js';

const candidate = (dealerId: number, tier: string, extra: Partial<AllocationCandidate> = {}) => ({
  dealerId,
  code: `D${dealerId}`,
  tier,
  standing: 'good' as const,
  score: 50,
  sales: 1000,
  target: null,
  missedTargetPeriods: 0,
  ...extra,
});

function issues(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) {
      return { message: error.message, issues: error.details!['issues'] as { path: string }[] };
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the default configuration', () => {
  it('is 40/30/20/10 by sales for four tiers', () => {
    expect(defaultConfig(['s', 'c', 'p', 'b'])).toEqual({
      shareUnit: 'basis_points',
      tiers: [
        { tier: 's', share: 4000, rule: 'sales' },
        { tier: 'c', share: 3000, rule: 'sales' },
        { tier: 'p', share: 2000, rule: 'sales' },
        { tier: 'b', share: 1000, rule: 'sales' },
      ],
    });
  });

  it('is equal basis points otherwise, the remainder on the first tier', () => {
    expect(defaultConfig(['a', 'b', 'c']).tiers.map((t) => t.share)).toEqual([3334, 3333, 3333]);
    expect(defaultConfig(['a', 'b', 'c', 'd', 'e', 'f']).tiers.map((t) => t.share)).toEqual([
      1670, 1666, 1666, 1666, 1666, 1666,
    ]);
  });

  it('is reused only when it lists exactly the policy’s tiers', () => {
    const config = defaultConfig(['a', 'b']);
    expect(coversTiers(config, ['b', 'a'])).toBe(true);
    expect(coversTiers(config, ['a', 'b', 'c'])).toBe(false);
  });
});

describe('planAllocation', () => {
  const config: AllocationConfig = {
    shareUnit: 'percent',
    tiers: [
      { tier: 'a', share: 60, rule: 'sales', cap: 500 },
      { tier: 'b', share: 40, rule: 'equal' },
    ],
  };

  it('applies tier caps, then a dealer’s own limit instead', () => {
    const { plan } = planAllocation(
      1000,
      { ...config, dealerLimits: [{ dealerId: 2, cap: 100 }] },
      [candidate(1, 'a'), candidate(2, 'a'), candidate(3, 'b')],
      ['a', 'b'],
    );
    expect(plan.lines.map((l) => [l.dealerId, l.amount, l.cap])).toEqual([
      [1, 500, 500],
      [2, 100, 100],
      [3, 400, null],
    ]);
  });

  it('names the request’s paths: policy tiers, limits of unknown dealers, caps below floors', () => {
    const refused = issues(() =>
      planAllocation(
        1000,
        {
          ...config,
          tiers: [
            { tier: 'a', share: 60, rule: 'sales', floor: 10, cap: 5 },
            { tier: 'z', share: 40, rule: 'equal' },
          ],
          dealerLimits: [
            { dealerId: 9, cap: 1 },
            { dealerId: 1, floor: 50, cap: 20 },
          ],
        },
        [candidate(1, 'a'), candidate(3, 'b')],
        ['a', 'b'],
      ),
    );
    expect(refused.issues.map((i) => i.path)).toEqual([
      'config.tiers[0].cap',
      'config.tiers[1].tier',
      'config.tiers',
      'config.dealerLimits[0].dealerId',
      'config.dealerLimits[1].cap',
    ]);
    expect(refused.message).toMatch(
      /^The allocation has 5 problems; the first: config\.tiers\[0\]\.cap: /,
    );
  });

  it("maps core's refusals back to the request: shares, adjustments, floors over a tier's share", () => {
    const shares = issues(() =>
      planAllocation(
        1000,
        {
          ...config,
          tiers: [
            { tier: 'a', share: 60, rule: 'sales' },
            { tier: 'b', share: 30, rule: 'equal', floor: 300 },
          ],
          adjustments: { probationFactor: 0.5, missedTarget: { periods: 1, factor: 0.5 } },
        },
        [candidate(1, 'a'), candidate(3, 'b'), candidate(4, 'b')],
        ['a', 'b'],
      ),
    );
    expect(shares.issues).toEqual([
      expect.objectContaining({
        path: 'config.tiers',
        sum: 90,
        shares: [
          expect.objectContaining({ path: 'config.tiers[0].share' }),
          expect.objectContaining({ path: 'config.tiers[1].share' }),
        ],
      }),
    ]);
    const floors = issues(() =>
      planAllocation(
        1000,
        {
          ...config,
          tiers: [config.tiers[0]!, { tier: 'b', share: 40, rule: 'equal', floor: 300 }],
        },
        [candidate(1, 'a'), candidate(3, 'b'), candidate(4, 'b')],
        ['a', 'b'],
      ),
    );
    expect(floors.issues[0]!.path).toBe('config.tiers[1]');
  });

  it('marks dealers on probation and counts missed targets for the adjustments', () => {
    const { plan, inputs } = planAllocation(
      300,
      {
        shareUnit: 'percent',
        tiers: [{ tier: 'a', share: 100, rule: 'equal' }],
        adjustments: { probationFactor: 0.5, missedTarget: { periods: 2, factor: 0.5 } },
      },
      [
        candidate(1, 'a'),
        candidate(2, 'a', { standing: 'probation' }),
        candidate(3, 'a', { missedTargetPeriods: 2, target: 7 }),
      ],
      ['a'],
    );
    expect(plan.lines.map((l) => [l.amount, l.adjustments.map((x) => x.reason)])).toEqual([
      [150, []],
      [75, ['probation']],
      [75, ['missed_target']],
    ]);
    expect(inputs.get(3)).toEqual({ sales: 1000, score: 50, target: 7 });
  });
});
