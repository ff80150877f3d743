import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, type TestStore } from '../test/test-store.js';
import { makeChannel, makeDealer } from '../test/factories.js';
import { withTenant } from '../db/tenant-scope.js';
import { creditFundsFromAllocation } from './fund.service.js';

let store: TestStore;
let tenantId = 0;
let otherTenantId = 0;
const dealers: number[] = [];
let periods = 0;

/** A budget allocation with one line per amount (dealers in order); status and purpose as given. */
async function allocation(
  tenant: number,
  dealerIds: number[],
  amounts: number[],
  options: { purpose?: 'general' | 'market_fund'; status?: 'draft' | 'published' } = {},
): Promise<number> {
  const policy = await store.db
    .insertInto('tier_policy')
    .values({ tenant_id: tenant, name: `p${Math.random()}`, version: 1, document: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const run = await store.db
    .insertInto('assessment_run')
    .values({
      tenant_id: tenant,
      policy_id: policy.id,
      period: '2026-01',
      period_from: '2026-01-01',
      period_to: '2026-03-31',
      status: 'draft',
      metrics: '[]',
      counts: '{}',
      tier_min_scores: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // One published allocation per period and purpose: each test allocation has its own period.
  const period = `2026-${String(++periods).padStart(2, '0')}`;
  const total = amounts.reduce((a, b) => a + b, 0);
  const purpose = options.purpose ?? 'market_fund';
  const row = await store.db
    .insertInto('budget_allocation')
    .values({
      tenant_id: tenant,
      period,
      period_from: '2026-01-01',
      period_to: '2026-03-31',
      purpose,
      name: 'MDF',
      pool: total,
      allocated: total,
      unallocated: 0,
      run_id: run.id,
      config: '{}',
      tiers: '[]',
      notes: [],
      claim_deadline: purpose === 'market_fund' ? '2026-06-30' : null,
      status: 'draft',
      published_by: 'admin',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await store.db
    .insertInto('budget_allocation_line')
    .values(
      dealerIds.map((dealerId, i) => ({
        tenant_id: tenant,
        allocation_id: row.id,
        dealer_id: dealerId,
        tier: 'A',
        rule: 'equal' as const,
        base_weight: 1,
        weight: 1,
        amount: amounts[i]!,
        adjustments: '[]',
      })),
    )
    .execute();
  if ((options.status ?? 'published') === 'published') {
    await store.db
      .updateTable('budget_allocation')
      .set({ status: 'published', published_at: new Date() })
      .where('tenant_id', '=', tenant)
      .where('id', '=', row.id)
      .execute();
  }
  return row.id;
}

beforeAll(async () => {
  store = await createTestStore();
  const channel = await makeChannel(store.db);
  tenantId = channel.tenantId;
  for (let i = 0; i < 3; i++)
    dealers.push(await makeDealer(store.db, tenantId, { region_id: channel.regions.th }));
  otherTenantId = (await makeChannel(store.db)).tenantId;
}, 60_000);

afterAll(async () => {
  await store?.destroy();
});

describe('creditFundsFromAllocation', () => {
  it('credits one fund per dealer with an amount above zero, once', async () => {
    const id = await allocation(tenantId, dealers, [500_000, 0, 123_456]);
    const count = await withTenant(store.db, tenantId, (trx) =>
      creditFundsFromAllocation(trx, tenantId, id),
    );
    expect(count).toBe(2);
    const funds = await store.db
      .selectFrom('mdf_fund')
      .select(['dealer_id', 'amount', 'period', 'claim_deadline', 'allocation_id', 'created_by'])
      .where('tenant_id', '=', tenantId)
      .where('allocation_id', '=', id)
      .orderBy('dealer_id')
      .execute();
    expect(funds).toEqual([
      {
        dealer_id: dealers[0],
        amount: 500_000,
        period: '2026-01',
        claim_deadline: '2026-06-30',
        allocation_id: id,
        created_by: 'admin',
      },
      {
        dealer_id: dealers[2],
        amount: 123_456,
        period: '2026-01',
        claim_deadline: '2026-06-30',
        allocation_id: id,
        created_by: 'admin',
      },
    ]);
    // Again: nothing more.
    const again = await withTenant(store.db, tenantId, (trx) =>
      creditFundsFromAllocation(trx, tenantId, id),
    );
    expect(again).toBe(0);
  });

  it('refuses a draft, a general allocation and another tenant’s allocation, crediting nothing', async () => {
    const draft = await allocation(tenantId, dealers, [1, 2, 3], { status: 'draft' });
    await expect(
      withTenant(store.db, tenantId, (trx) => creditFundsFromAllocation(trx, tenantId, draft)),
    ).rejects.toThrow(/draft; funds are credited only from a published allocation/);
    const general = await allocation(tenantId, dealers, [1, 2, 3], { purpose: 'general' });
    await expect(
      withTenant(store.db, tenantId, (trx) => creditFundsFromAllocation(trx, tenantId, general)),
    ).rejects.toThrow(/not market development funds/);
    const theirs = await allocation(tenantId, dealers, [7, 8, 9]);
    await expect(
      withTenant(store.db, otherTenantId, (trx) =>
        creditFundsFromAllocation(trx, otherTenantId, theirs),
      ),
    ).rejects.toThrow(/does not exist/);
    const n = await sql<{ n: number }>`
      select count(*)::int as n from mdf_fund where allocation_id in (${draft}, ${general}, ${theirs})`.execute(
      store.db,
    );
    expect(n.rows[0]!.n).toBe(0);
  });
});
