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
 * The default policy on the 战略/核心/潜力/基础 scheme: monthly assessment of percentile-ranked
 * metrics weighted by hand, each averaged over the last three months (weights 1, 0.6, 0.36) so
 * that one lumpy month does not move a tier; promotion one tier at a time at the quarterly
 * reviews; demotion one tier after three months in a row below (at risk until then); the top
 * tier gated on no compliance event and a collection rate of at least 90 %; probation after
 * three months in the bottom tier and elimination (淘汰) proposed after six.
 *
 * Calibrated on the demo channel (`tierline simulate`, 400 dealers, 12 months): about 5–15 %
 * 战略, 40–50 % 核心, 30–35 % 潜力, 10–15 % 基础, and 5–8 % of dealers moving in a month
 * between reviews.
 */
export function defaultPolicy(effectiveFrom: string): Policy {
  return {
    name: 'default',
    description:
      '默认分级政策：按月评估（近三个月加权），季度复核时晋级；连续三个月低于本级则降一级；战略级须零违规且回款率不低于 90%。',
    tiers: TIER_SCHEMES.strategic.map((t) => ({ ...t })),
    cycle: 'monthly',
    window: null,
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
    timeDecay: { periods: 3, factor: 0.6 },
    assignment: { method: 'thresholds', minScores: { strategic: 66, core: 52, potential: 40 } },
    gates: {
      strategic: {
        all: [
          { metric: 'compliance_events', op: '=', value: 0 },
          { metric: 'collection_rate', op: '>=', value: 90 },
        ],
      },
    },
    lifecycle: {
      promotion: 'review',
      maxStepUp: 1,
      demotion: 'consecutive',
      demotionAfter: 3,
      maxStepDown: 1,
      probationAfter: 3,
      eliminationAfter: 6,
    },
    campaigns: [],
    effectiveFrom,
    effectiveTo: null,
  };
}
