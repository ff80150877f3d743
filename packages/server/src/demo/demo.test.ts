import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDemoChannel, DomainError, type DemoChannel } from '@tierline/core';
import { createTestStore, unique, type TestStore } from '../test/test-store.js';
import { readRegions } from './demo.repository.js';
import { loadDemo, type DemoProgress, type LoadDemoResult } from './demo.service.js';

const OPTIONS = { dealers: 60, months: 24, seed: 7, endMonth: '2025-06' } as const;
const FACT_TABLES = [
  'order_line',
  'invoice',
  'payment',
  'sales_target',
  'inventory_snapshot',
  'outlet_visit',
  'complaint',
  'compliance_event',
  'qualification',
  'campaign_execution',
] as const;

let store: TestStore;
let slug: string;
let result: LoadDemoResult;
let channel: DemoChannel;
const progress: DemoProgress[] = [];

async function tableCount(table: string, tenantId: number): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*) as n from ${sql.table(table)} where tenant_id = ${tenantId}`.execute(store.db);
  return rows[0]?.n ?? -1;
}

beforeAll(async () => {
  store = await createTestStore();
  slug = unique('demo');
  result = await loadDemo(store, { ...OPTIONS, slug, onProgress: (p) => progress.push(p) });
  // The same generator over the regions the loader read back must give the same channel.
  const { regions } = await readRegions(store.db, result.tenantId);
  channel = createDemoChannel({ ...OPTIONS, regions });
});

afterAll(async () => {
  await store?.destroy();
});

describe('loadDemo', () => {
  test('creates a demo tenant whose row counts match the generator', async () => {
    const tenant = await store.db
      .selectFrom('tenant')
      .selectAll()
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    expect(tenant.is_demo).toBe(true);
    expect(tenant.id).toBe(result.tenantId);
    const expected: Record<string, number> = {
      dealer: channel.dealers.length,
      product: channel.products.length,
      outlet: channel.outletCount,
      campaign: channel.campaigns.length,
      order_line: [...channel.orderLines()].length,
      invoice: [...channel.invoices()].length,
      payment: [...channel.payments()].length,
      sales_target: [...channel.targets()].length,
      inventory_snapshot: [...channel.inventorySnapshots()].length,
      outlet_visit: [...channel.outletVisits()].length,
      complaint: [...channel.complaints()].length,
      compliance_event: [...channel.complianceEvents()].length,
      qualification: [...channel.qualifications()].length,
      campaign_execution: [...channel.campaignExecutions()].length,
    };
    for (const [table, n] of Object.entries(expected)) {
      expect.soft(result.counts[table], table).toBe(n);
      expect.soft(await tableCount(table, result.tenantId), table).toBe(n);
    }
    expect(expected['order_line']).toBeGreaterThan(5_000);
    expect(result.counts['region']).toBe(await tableCount('region', result.tenantId));
    expect(result.seconds).toBeGreaterThan(0);
  });

  test('rollups add up to the order lines, month by month', async () => {
    const { rows } = await sql<{ lines: number; rollup: number; months: number }>`
      select
        (select coalesce(sum(amount), 0) from order_line where tenant_id = ${result.tenantId}) as lines,
        (select coalesce(sum(sales_amount), 0) from dealer_month where tenant_id = ${result.tenantId}) as rollup,
        (select count(*) from dealer_month where tenant_id = ${result.tenantId}) as months
    `.execute(store.db);
    const totals = rows[0];
    const generated = [...channel.orderLines()].reduce((s, l) => s + l.amount, 0);
    expect(totals?.lines).toBe(generated);
    expect(totals?.rollup).toBe(generated);
    expect(totals?.months).toBe(result.counts['dealer_month']);
    const perMonth = await store.db
      .selectFrom('dealer_month')
      .select(['month', (eb) => eb.fn.sum<number>('sales_amount').as('sales')])
      .where('tenant_id', '=', result.tenantId)
      .groupBy('month')
      .orderBy('month')
      .execute();
    const expected = new Map<string, number>();
    for (const l of channel.orderLines()) {
      const month = `${l.orderedOn.slice(0, 7)}-01`;
      expected.set(month, (expected.get(month) ?? 0) + l.amount);
    }
    expect(
      perMonth.filter((m) => Number(m.sales) > 0).map((m) => [m.month, Number(m.sales)]),
    ).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)));
    expect(result.counts['dealer_category_month']).toBeGreaterThan(0);
  });

  test('keeps the chain: 二级 dealers point at 一级 parents; tags carry the archetype', async () => {
    const dealers = await store.db
      .selectFrom('dealer as d')
      .leftJoin('dealer as p', (j) =>
        j.onRef('p.tenant_id', '=', 'd.tenant_id').onRef('p.id', '=', 'd.parent_id'),
      )
      .select([
        'd.code',
        'd.chain_level',
        'p.chain_level as parent_level',
        'p.code as parent_code',
        'd.tags',
      ])
      .where('d.tenant_id', '=', result.tenantId)
      .orderBy('d.code')
      .execute();
    expect(dealers.map((d) => d.parent_code)).toEqual(channel.dealers.map((d) => d.parentCode));
    for (const d of dealers) {
      if (d.chain_level === 2) expect(d.parent_level).toBe(1);
      expect(d.tags.some((t) => t.startsWith('archetype'))).toBe(false);
    }
  });

  test('reports progress through every phase, never beyond the total', () => {
    const phases = new Set(progress.map((p) => p.phase));
    for (const phase of ['regions', 'products', 'dealers', 'outlets', ...FACT_TABLES, 'rollups']) {
      expect(phases.has(phase), phase).toBe(true);
    }
    expect(progress.every((p) => p.done <= p.total)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ phase: 'rollups', done: 1, total: 1 });
  });

  test('refuses a second load of the same slug and writes nothing', async () => {
    const before = await Promise.all(
      ['tenant', 'region', 'dealer', 'order_line'].map((t) => totalCount(t)),
    );
    const again = loadDemo(store, { ...OPTIONS, slug });
    await expect(again).rejects.toThrow(DomainError);
    await expect(again).rejects.toMatchObject({ code: 'conflict' });
    const after = await Promise.all(
      ['tenant', 'region', 'dealer', 'order_line'].map((t) => totalCount(t)),
    );
    expect(after).toEqual(before);
  });

  test('rejects bad options before touching the database', async () => {
    const tenants = await totalCount('tenant');
    const fresh = unique('demo');
    await expect(loadDemo(store, { ...OPTIONS, slug: fresh, months: 0 })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(await totalCount('tenant')).toBe(tenants);
  });
});

async function totalCount(table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(
    store.db,
  );
  return rows[0]?.n ?? -1;
}
