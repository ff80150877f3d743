import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../test/test-store.js';
import { makeChannel, makeDealer, type TestChannel } from '../test/factories.js';
import { refreshRollups } from './rollup.repository.js';

let store: TestStore;
let channel: TestChannel;
let d1: number;
let d2: number;

beforeAll(async () => {
  store = await createTestStore();
  channel = await makeChannel(store.db);
  const db = store.db;
  d1 = await makeDealer(db, channel.tenantId, { region_id: channel.regions.th });
  d2 = await makeDealer(db, channel.tenantId, { region_id: channel.regions.ns });
  const t = channel.tenantId;
  const [p1, p2, p3] = channel.productIds as [number, number, number];
  const outlet = await db
    .insertInto('outlet')
    .values({
      tenant_id: t,
      code: 'OUT-1',
      name: '天河便利店',
      dealer_id: d1,
      region_id: channel.regions.th,
      outlet_type: 'convenience',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const campaign = await db
    .insertInto('campaign')
    .values({
      tenant_id: t,
      code: 'C-618',
      name: '618',
      starts_on: '2026-06-01',
      ends_on: '2026-06-20',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('product')
    .values({
      tenant_id: t,
      sku: 'NEW-1',
      name: '新品气泡水',
      category: '饮料',
      shelf_life_days: 300,
      list_price: 5000,
      launched_on: '2026-01-10',
    })
    .execute();
  const fresh = await db
    .selectFrom('product')
    .select('id')
    .where('tenant_id', '=', t)
    .where('sku', '=', 'NEW-1')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('order_line')
    .values([
      {
        tenant_id: t,
        order_no: 'A',
        line_no: 1,
        dealer_id: d1,
        product_id: p1,
        outlet_id: outlet.id,
        ordered_on: '2026-06-01',
        quantity: 10,
        unit_price: 3000,
        amount: 30000,
      },
      {
        tenant_id: t,
        order_no: 'A',
        line_no: 2,
        dealer_id: d1,
        product_id: fresh.id,
        outlet_id: outlet.id,
        ordered_on: '2026-06-01',
        quantity: 1,
        unit_price: 5000,
        amount: 5000,
      },
      {
        tenant_id: t,
        order_no: 'B',
        line_no: 1,
        dealer_id: d1,
        product_id: p3,
        outlet_id: null,
        ordered_on: '2026-06-30',
        quantity: 2,
        unit_price: 6000,
        amount: 12000,
      },
      {
        tenant_id: t,
        order_no: 'C',
        line_no: 1,
        dealer_id: d2,
        product_id: p2,
        outlet_id: null,
        ordered_on: '2026-07-15',
        quantity: 4,
        unit_price: 4500,
        amount: 18000,
      },
    ])
    .execute();
  await db
    .insertInto('invoice')
    .values({
      tenant_id: t,
      invoice_no: 'I1',
      dealer_id: d1,
      issued_on: '2026-06-30',
      due_on: '2026-07-30',
      amount: 47000,
    })
    .execute();
  await db
    .insertInto('payment')
    .values({
      tenant_id: t,
      payment_no: 'P1',
      dealer_id: d1,
      invoice_no: 'I1',
      paid_on: '2026-07-20',
      amount: 40000,
    })
    .execute();
  await db
    .insertInto('sales_target')
    .values({ tenant_id: t, dealer_id: d1, month: '2026-06-01', amount: 50000 })
    .execute();
  await db
    .insertInto('outlet_visit')
    .values([
      {
        tenant_id: t,
        visit_no: 'V1',
        dealer_id: d1,
        outlet_id: outlet.id,
        visited_on: '2026-06-02',
      },
      {
        tenant_id: t,
        visit_no: 'V2',
        dealer_id: d1,
        outlet_id: outlet.id,
        visited_on: '2026-06-16',
      },
    ])
    .execute();
  await db
    .insertInto('complaint')
    .values({
      tenant_id: t,
      complaint_no: 'K1',
      dealer_id: d1,
      outlet_id: null,
      product_id: p1,
      received_on: '2026-06-05',
      topic: '物流延迟',
      body: '到货晚了三天',
    })
    .execute();
  await db
    .insertInto('compliance_event')
    .values({
      tenant_id: t,
      event_no: 'E1',
      dealer_id: d1,
      occurred_on: '2026-06-09',
      kind: 'cross_region_selling',
      severity: 3,
      resolved_on: null,
    })
    .execute();
  // Two snapshots in June: only the last one (June 30) counts. p1 has 365 days of shelf life:
  // 100 days left is near expiry (<= 1/3), 200 days is not.
  await db
    .insertInto('inventory_snapshot')
    .values([
      {
        tenant_id: t,
        dealer_id: d1,
        product_id: p1,
        snapshot_on: '2026-06-15',
        batch_no: 'B0',
        expires_on: '2026-12-01',
        quantity: 999,
      },
      {
        tenant_id: t,
        dealer_id: d1,
        product_id: p1,
        snapshot_on: '2026-06-30',
        batch_no: 'B1',
        expires_on: '2026-10-08',
        quantity: 10,
      },
      {
        tenant_id: t,
        dealer_id: d1,
        product_id: p1,
        snapshot_on: '2026-06-30',
        batch_no: '',
        expires_on: '2027-01-16',
        quantity: 5,
      },
    ])
    .execute();
  await db
    .insertInto('campaign_execution')
    .values({
      tenant_id: t,
      execution_no: 'X1',
      campaign_id: campaign.id,
      dealer_id: d1,
      reported_on: '2026-06-20',
      tasks_planned: 10,
      tasks_completed: 7,
    })
    .execute();
});

afterAll(async () => {
  await store.destroy();
});

async function rollups() {
  return store.db
    .selectFrom('dealer_month')
    .selectAll()
    .where('tenant_id', '=', channel.tenantId)
    .orderBy('dealer_id')
    .orderBy('month')
    .execute();
}

describe('refreshRollups', () => {
  it('aggregates every fact table into the dealer month', async () => {
    await refreshRollups(store.db, channel.tenantId);
    const june = (await rollups()).find((r) => r.dealer_id === d1 && r.month === '2026-06-01');
    expect(june).toMatchObject({
      sales_amount: 47000,
      sales_quantity: 13,
      order_count: 2,
      order_line_count: 3,
      sku_count: 3,
      new_product_amount: 5000,
      ordering_outlet_count: 1,
      visited_outlet_count: 1,
      visit_count: 2,
      invoice_amount: 47000,
      payment_amount: 0,
      target_amount: 50000,
      complaint_count: 1,
      compliance_event_count: 1,
      compliance_severity_points: 3,
      inventory_quantity: 15,
      inventory_value: 45000,
      near_expiry_value: 30000,
      batch_tracked_quantity: 10,
      campaign_tasks_planned: 10,
      campaign_tasks_completed: 7,
    });
    const july = (await rollups()).find((r) => r.dealer_id === d1 && r.month === '2026-07-01');
    expect(july).toMatchObject({ sales_amount: 0, payment_amount: 40000, target_amount: null });
  });

  it('gives the same rows refreshed per dealer as rebuilt for the tenant', async () => {
    await refreshRollups(store.db, channel.tenantId);
    const rebuilt = await rollups();
    // Change a fact of d2, refresh only d2, then compare with a full rebuild.
    await store.db
      .insertInto('order_line')
      .values({
        tenant_id: channel.tenantId,
        order_no: 'D',
        line_no: 1,
        dealer_id: d2,
        product_id: channel.productIds[0] as number,
        outlet_id: null,
        ordered_on: '2026-08-02',
        quantity: 1,
        unit_price: 3000,
        amount: 3000,
      })
      .execute();
    await refreshRollups(store.db, channel.tenantId, { dealerIds: [d2] });
    const incremental = await rollups();
    expect(incremental.length).toBe(rebuilt.length + 1);
    expect(incremental.filter((r) => r.dealer_id === d1)).toEqual(
      rebuilt.filter((r) => r.dealer_id === d1),
    );
    await refreshRollups(store.db, channel.tenantId);
    expect(await rollups()).toEqual(incremental);
    const categories = await store.db
      .selectFrom('dealer_category_month')
      .selectAll()
      .where('tenant_id', '=', channel.tenantId)
      .where('dealer_id', '=', d2)
      .orderBy('month')
      .execute();
    expect(categories.map((c) => [c.category, c.month, c.sales_amount])).toEqual([
      ['饮料', '2026-07-01', 18000],
      ['饮料', '2026-08-01', 3000],
    ]);
  });

  it('refreshes only the months in scope, and a refresh of every changed month equals a rebuild', async () => {
    await refreshRollups(store.db, channel.tenantId);
    const t = channel.tenantId;
    const sales = async (month: string) =>
      (await rollups()).find((r) => r.dealer_id === d2 && r.month === month)?.sales_amount;
    const july = await sales('2026-07-01');
    // A line in September (a new month) and a change to July's line.
    await store.db
      .insertInto('order_line')
      .values({
        tenant_id: t,
        order_no: 'M',
        line_no: 1,
        dealer_id: d2,
        product_id: channel.productIds[0] as number,
        outlet_id: null,
        ordered_on: '2026-09-30',
        quantity: 2,
        unit_price: 3000,
        amount: 6000,
      })
      .execute();
    await store.db
      .updateTable('order_line')
      .set((eb) => ({ amount: eb('amount', '+', 100) }))
      .where('tenant_id', '=', t)
      .where('dealer_id', '=', d2)
      .where('ordered_on', '>=', '2026-07-01')
      .where('ordered_on', '<', '2026-08-01')
      .execute();
    await refreshRollups(store.db, t, {
      dealerIds: [d2],
      months: { from: '2026-09-01', to: '2026-09-01' },
    });
    expect(await sales('2026-09-01')).toBe(6000);
    // July is outside the scope: untouched, so still the old figure.
    expect(await sales('2026-07-01')).toBe(july);
    await refreshRollups(store.db, t, {
      dealerIds: [d2],
      months: { from: '2026-07-01', to: '2026-09-01' },
    });
    const incremental = await rollups();
    expect(await sales('2026-07-01')).toBeGreaterThan(july as number);
    await refreshRollups(store.db, t);
    expect(await rollups()).toEqual(incremental);
  });

  it('refuses a month range that is not of first days of months', async () => {
    await expect(
      refreshRollups(store.db, channel.tenantId, {
        months: { from: '2026-07-15', to: '2026-08-01' },
      }),
    ).rejects.toThrow(/first days of months/);
  });
});
