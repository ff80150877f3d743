import type { Policy, TierDefinition } from './policy.js';

/** Ready-made tier schemes, best tier first. */
export const TIER_SCHEMES: Readonly<
  Record<'strategic' | 'letters' | 'metals', readonly TierDefinition[]>
> = {
  strategic: [
    { code: 'strategic', name: '战略', color: '#7B2FBE' },
    { code: 'core', name: '核心', color: '#1677FF' },
    { code: 'potential', name: '潜力', color: '#13A8A8' },
    { code: 'basic', name: '基础', color: '#8C8C8C' },
  ],
  letters: [
    { code: 'A', name: 'A', color: '#389E0D' },
    { code: 'B', name: 'B', color: '#1677FF' },
    { code: 'C', name: 'C', color: '#FAAD14' },
    { code: 'D', name: 'D', color: '#CF1322' },
  ],
  metals: [
    { code: 'diamond', name: '钻石', color: '#36CFC9' },
    { code: 'gold', name: '金', color: '#D4B106' },
    { code: 'silver', name: '银', color: '#A6A6A6' },
    { code: 'bronze', name: '铜', color: '#AD6800' },
  ],
};

/**
 * The default policy on the 战略/核心/潜力/基础 scheme: monthly assessment, quarterly reviews,
 * percentile-normalised metrics weighted by hand, the top tier gated on compliance and
 * collection, demotion after two periods below, probation after three periods at the bottom.
 */
export function defaultPolicy(effectiveFrom: string): Policy {
  return {
    name: 'default',
    description: '默认分级政策：月度评估，季度复核；战略级须零违规且回款率不低于 90%。',
    tiers: TIER_SCHEMES.strategic.map((t) => ({ ...t })),
    cycle: 'monthly',
    reviewMonths: [3, 6, 9, 12],
    normalisation: 'percentile',
    metrics: [
      { metric: 'sales_amount', cap: 30 },
      { metric: 'target_achievement' },
      { metric: 'collection_rate' },
      { metric: 'outlet_coverage' },
      { metric: 'sales_growth_yoy' },
      { metric: 'sku_breadth' },
      { metric: 'new_product_rate' },
      { metric: 'complaint_rate' },
      { metric: 'compliance_score' },
      { metric: 'near_expiry_ratio' },
    ],
    customMetrics: [],
    weights: {
      method: 'manual',
      total: 100,
      values: {
        sales_amount: 25,
        target_achievement: 15,
        collection_rate: 15,
        outlet_coverage: 10,
        sales_growth_yoy: 10,
        sku_breadth: 5,
        new_product_rate: 5,
        complaint_rate: 5,
        compliance_score: 5,
        near_expiry_ratio: 5,
      },
    },
    timeDecay: null,
    assignment: { method: 'thresholds', minScores: { strategic: 70, core: 55, potential: 40 } },
    gates: {
      strategic: {
        all: [
          { metric: 'compliance_events', op: '=', value: 0 },
          { metric: 'collection_rate', op: '>=', value: 90 },
        ],
      },
    },
    lifecycle: {
      promotion: 'immediate',
      maxStepUp: 1,
      demotion: 'consecutive',
      demotionAfter: 2,
      maxStepDown: 1,
      probationAfter: 3,
      eliminationAfter: 6,
    },
    campaigns: [],
    effectiveFrom,
    effectiveTo: null,
  };
}
