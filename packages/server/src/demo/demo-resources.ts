import type { Kysely } from 'kysely';
import { addMonths } from '@tierline/core';
import type { Database } from '../db/database.js';
import { createBenefit, saveBenefitValues } from '../resources/benefit.service.js';
import { createAllocation, publishAllocation } from '../resources/allocation.service.js';
import { seedDemoRebates } from '../rebates/rebate-demo.js';
import { demoOrigin, SYSTEM_ORIGIN } from './demo-tiering.js';

/**
 * The demo's benefit library, valued per tier of the demo policy from the seed's examples
 * (钻石 15 % rebate, ¥500k of market funds and two advanced trainings a year; 铜 8 %, ¥100k,
 * one basic training), on the 战略/核心/潜力/基础 scheme.
 */
const BENEFITS = [
  { code: 'rebate_rate', name: '返利比例', kind: 'rebate_rate', unit: 'basis_points' },
  { code: 'market_fund', name: '年度市场推广费用', kind: 'market_fund', unit: 'money' },
  { code: 'training', name: '年度培训次数', kind: 'training', unit: 'count' },
  { code: 'logistics', name: '物流优先级', kind: 'logistics_priority', unit: 'level' },
  { code: 'credit_limit', name: '信用额度', kind: 'credit_limit', unit: 'money' },
  { code: 'priority_supply', name: '优先供货', kind: 'priority_supply', unit: 'flag' },
] as const;

const VALUES: Record<
  (typeof BENEFITS)[number]['code'],
  Record<string, number | string | boolean>
> = {
  rebate_rate: { strategic: 1500, core: 1200, potential: 1000, basic: 800 },
  market_fund: {
    strategic: 50_000_000,
    core: 30_000_000,
    potential: 20_000_000,
    basic: 10_000_000,
  },
  training: { strategic: 2, core: 2, potential: 1, basic: 1 },
  logistics: { strategic: 'P1 当日发货', core: 'P2 次日发货', potential: 'P3', basic: 'P3' },
  credit_limit: {
    strategic: 300_000_000,
    core: 150_000_000,
    potential: 50_000_000,
    basic: 20_000_000,
  },
  priority_supply: { strategic: true, core: true, potential: false, basic: false },
};

/**
 * Give a demo tenant its resources (issue 6): the benefit library with values for the demo
 * policy; for the month after the data, a published general budget of ¥5,000,000 (strategic
 * dealers capped at ¥80,000 each) and a published market-development-fund budget of
 * ¥3,000,000 (which credits every dealer's fund, claimable for 90 days from today); and the
 * quarterly ladder-rebate program with its last complete quarter settled. The console then
 * opens on published allocations, funds to claim and a rebate preview.
 * Returns counts for the demo's report.
 */
export async function seedDemoResources(
  db: Kysely<Database>,
  tenantId: number,
  endMonth: string,
  today: string,
): Promise<Record<string, number>> {
  const admin = await demoOrigin(db, tenantId, 'admin');
  for (const b of BENEFITS) await createBenefit(db, tenantId, { ...b }, SYSTEM_ORIGIN);
  const policy = await db
    .selectFrom('tier_policy')
    .select(['name', 'version'])
    .where('tenant_id', '=', tenantId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  await saveBenefitValues(
    db,
    tenantId,
    { policy: policy.name, version: policy.version, values: VALUES },
    admin,
  );

  const period = addMonths(endMonth, 1);
  const adjustments = { probationFactor: 0.5, missedTarget: { periods: 3, factor: 0.5 } };
  const general = await createAllocation(
    db,
    tenantId,
    {
      period,
      pool: 500_000_000,
      purpose: 'general',
      name: `${period} 渠道资源预算`,
      config: {
        shareUnit: 'percent',
        tiers: [
          { tier: 'strategic', share: 40, rule: 'sales', cap: 8_000_000 },
          { tier: 'core', share: 30, rule: 'sales' },
          { tier: 'potential', share: 20, rule: 'score' },
          { tier: 'basic', share: 10, rule: 'equal' },
        ],
        adjustments,
      },
      dryRun: false,
    },
    admin,
  );
  await publishAllocation(db, tenantId, general, admin);
  const deadline = new Date(`${today}T00:00:00Z`);
  deadline.setUTCDate(deadline.getUTCDate() + 90);
  const funds = await createAllocation(
    db,
    tenantId,
    {
      period,
      pool: 300_000_000,
      purpose: 'market_fund',
      name: `${period} 市场推广费用`,
      claimDeadline: deadline.toISOString().slice(0, 10),
      config: {
        shareUnit: 'percent',
        tiers: [
          { tier: 'strategic', share: 40, rule: 'score' },
          { tier: 'core', share: 30, rule: 'score' },
          { tier: 'potential', share: 20, rule: 'score' },
          { tier: 'basic', share: 10, rule: 'equal' },
        ],
        adjustments,
      },
      dryRun: false,
    },
    admin,
  );
  await publishAllocation(db, tenantId, funds, admin);

  // The quarterly ladder program, with the last complete quarter settled (interim, then final).
  await seedDemoRebates(db, tenantId, admin);
  return {
    benefit: BENEFITS.length,
    budget_allocation: 2,
    rebate_program: 1,
  };
}
