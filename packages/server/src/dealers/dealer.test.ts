import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DealerDetail, DealerPage, ErrorBody } from '@tierline/contract';
import { buildApp } from '../app.js';
import { createTestStore, type TestStore } from '../test/test-store.js';
import {
  makeChannel,
  makeDealer,
  makeUser,
  sessionHeaders,
  type TestChannel,
} from '../test/factories.js';
import { refreshRollups } from '../rollups/rollup.repository.js';

let store: TestStore;
let app: FastifyInstance;
let a: TestChannel;
let b: TestChannel;
let asA: Record<string, string>;
let asB: Record<string, string>;
const ids: Record<string, number> = {};

beforeAll(async () => {
  store = await createTestStore();
  a = await makeChannel(store.db);
  b = await makeChannel(store.db);
  const db = store.db;
  ids['leader'] = await makeDealer(db, a.tenantId, {
    code: 'GD001',
    name: '广州天河食品贸易有限公司',
    region_id: a.regions.th,
    tags: ['KA'],
    onboarded_on: '2021-03-01',
  });
  ids['sub'] = await makeDealer(db, a.tenantId, {
    code: 'GD002',
    name: '深圳南山百货商行',
    region_id: a.regions.ns,
    chain_level: 2,
    parent_id: ids['leader'],
    channel_type: 'wholesaler',
    status: 'probation',
    onboarded_on: '2022-06-01',
  });
  ids['sd'] = await makeDealer(db, a.tenantId, {
    code: 'SD001',
    name: '济南100%_特殊商贸',
    region_id: a.regions.sd,
    status: 'suspended',
    tags: ['KA', '餐饮'],
    onboarded_on: '2020-01-10',
  });
  for (let i = 0; i < 7; i++) {
    ids[`x${i}`] = await makeDealer(db, a.tenantId, {
      code: `GZ1${i}`,
      name: `广州批发${i}号`,
      region_id: a.regions.gz,
      onboarded_on: `2023-0${i + 1}-01`,
    });
  }
  ids['other'] = await makeDealer(db, b.tenantId, {
    code: 'GD001',
    name: '另一租户的经销商',
    region_id: b.regions.th,
  });

  // Facts for the leader: two months of orders and a payment.
  const [p1, p2, p3] = a.productIds as [number, number, number];
  await db
    .insertInto('order_line')
    .values([
      {
        tenant_id: a.tenantId,
        order_no: 'O1',
        line_no: 1,
        dealer_id: ids['leader'],
        product_id: p1,
        outlet_id: null,
        ordered_on: '2026-09-03',
        quantity: 10,
        unit_price: 3000,
        amount: 30000,
      },
      {
        tenant_id: a.tenantId,
        order_no: 'O1',
        line_no: 2,
        dealer_id: ids['leader'],
        product_id: p3,
        outlet_id: null,
        ordered_on: '2026-09-03',
        quantity: 5,
        unit_price: 6000,
        amount: 30000,
      },
      {
        tenant_id: a.tenantId,
        order_no: 'O2',
        line_no: 1,
        dealer_id: ids['leader'],
        product_id: p2,
        outlet_id: null,
        ordered_on: '2026-10-20',
        quantity: 2,
        unit_price: 4500,
        amount: 9000,
      },
    ])
    .execute();
  await db
    .insertInto('payment')
    .values({
      tenant_id: a.tenantId,
      payment_no: 'P1',
      dealer_id: ids['leader'],
      invoice_no: null,
      paid_on: '2026-10-05',
      amount: 60000,
    })
    .execute();
  await db
    .insertInto('sales_target')
    .values({
      tenant_id: a.tenantId,
      dealer_id: ids['leader'],
      month: '2026-09-01',
      amount: 50000,
    })
    .execute();
  await refreshRollups(db, a.tenantId);
  asA = await sessionHeaders(
    db,
    a.tenantId,
    (await makeUser(db, a.tenantId, { role: 'analyst' })).id,
  );
  asB = await sessionHeaders(
    db,
    b.tenantId,
    (await makeUser(db, b.tenantId, { role: 'admin' })).id,
  );
  app = await buildApp({ db, engine: store.engine, defaultTenant: a.slug, version: 'test' });
});

/** GET as tenant A's analyst. */
function get(url: string) {
  return app.inject({ method: 'GET', url, headers: asA });
}

afterAll(async () => {
  await app.close();
  await store.destroy();
});

async function list(query: string, headers: Record<string, string> = asA) {
  const response = await app.inject({ method: 'GET', url: `/api/v1/dealers?${query}`, headers });
  return { status: response.statusCode, body: response.json<DealerPage & ErrorBody>() };
}

describe('GET /api/v1/dealers', () => {
  it('pages through every dealer exactly once, in order, with the total', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, body }: { status: number; body: DealerPage } = await list(
        `limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(status).toBe(200);
      expect(body.total).toBe(10);
      seen.push(...body.items.map((d) => d.code));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(10);
  });

  it('sorts descending by name with a working cursor', async () => {
    const first = await list('sort=name&order=desc&limit=4');
    const second = await list(`sort=name&order=desc&limit=4&cursor=${first.body.nextCursor}`);
    const names = [...first.body.items, ...second.body.items].map((d) => d.name);
    expect(names).toEqual([...names].sort((x, y) => (x < y ? 1 : x > y ? -1 : 0)));
    expect(new Set(names).size).toBe(8);
  });

  it('filters by a region and everything below it', async () => {
    const gd = await list('region=440000');
    expect(gd.body.total).toBe(9);
    expect(gd.body.items.map((d) => d.code)).not.toContain('SD001');
    const sz = await list('region=440300');
    expect(sz.body.items.map((d) => d.code)).toEqual(['GD002']);
    expect(sz.body.items[0]?.region.path).toEqual(['广东省', '深圳市', '南山区']);
  });

  it('filters by status, channel type, chain level and tag', async () => {
    expect((await list('status=probation,suspended')).body.items.map((d) => d.code)).toEqual([
      'GD002',
      'SD001',
    ]);
    expect((await list('channelType=wholesaler')).body.total).toBe(1);
    const level2 = await list('chainLevel=2');
    expect(level2.body.items.map((d) => d.code)).toEqual(['GD002']);
    expect(level2.body.items[0]?.parent).toEqual({
      id: ids['leader'],
      code: 'GD001',
      name: '广州天河食品贸易有限公司',
    });
    expect((await list('tag=KA')).body.total).toBe(2);
    expect((await list(`tag=${encodeURIComponent('餐饮')}`)).body.total).toBe(1);
  });

  it('searches code prefixes and name substrings, treating % and _ literally', async () => {
    expect((await list('q=gz1')).body.total).toBe(7);
    expect((await list(`q=${encodeURIComponent('南山')}`)).body.items.map((d) => d.code)).toEqual([
      'GD002',
    ]);
    expect((await list(`q=${encodeURIComponent('100%_')}`)).body.items.map((d) => d.code)).toEqual([
      'SD001',
    ]);
    expect((await list(`q=${encodeURIComponent('%')}`)).body.items.map((d) => d.code)).toEqual([
      'SD001',
    ]);
  });

  it('reports trailing-12-month sales from the rollups', async () => {
    const { body } = await list('q=GD001');
    expect(body.dataTo).toBe('2026-10');
    expect(body.items[0]?.sales12m).toBe(69000);
  });

  it('rejects bad parameters with 400 and the field path', async () => {
    const bad = await list('limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details).toMatchObject({
      fields: [expect.objectContaining({ in: 'querystring', path: 'limit' })],
    });
    expect((await list('status=closed')).status).toBe(400);
    expect((await list('sort=sales')).status).toBe(400);
    const cursor = await list('cursor=not-a-cursor');
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.message).toMatch(/cursor/);
  });

  it("never shows another tenant's dealers", async () => {
    const fromA = await list('q=GD001');
    expect(fromA.body.items.map((d) => d.id)).toEqual([ids['leader']]);
    const fromB = await list('limit=100', asB);
    expect(fromB.body.items.map((d) => d.id)).toEqual([ids['other']]);
    const anonymous = await list('limit=1', {});
    expect(anonymous.status).toBe(401);
  });
});

describe('GET /api/v1/dealers/:id', () => {
  it('returns master data, monthly rollups and category sales', async () => {
    const response = await get(`/api/v1/dealers/${ids['leader']}`);
    expect(response.statusCode).toBe(200);
    const dealer = response.json<DealerDetail>();
    expect(dealer.code).toBe('GD001');
    expect(dealer.subDealerCount).toBe(1);
    expect(dealer.contacts[0]?.name).toBe('张三');
    expect(
      dealer.months.map((m) => [m.month, m.salesAmount, m.paymentAmount, m.targetAmount]),
    ).toEqual([
      ['2026-09', 60000, 0, 50000],
      ['2026-10', 9000, 60000, null],
    ]);
    expect(dealer.months[0]?.skuCount).toBe(2);
    expect(dealer.categories12m).toEqual([
      { category: '饮料', salesAmount: 39000, salesQuantity: 12 },
      { category: '休闲零食', salesAmount: 30000, salesQuantity: 5 },
    ]);
  });

  it("answers 404 for an unknown id and for another tenant's dealer", async () => {
    for (const id of [999999, ids['other']]) {
      const response = await get(`/api/v1/dealers/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.json<ErrorBody>().error).toMatchObject({ code: 'not_found' });
    }
  });

  it('answers 400 for an id that is not a number', async () => {
    const response = await get('/api/v1/dealers/abc');
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.code).toBe('validation_failed');
  });
});

describe('GET /api/v1/dealers/facets', () => {
  it('counts dealers per status and lists channel types and tags', async () => {
    const response = await get('/api/v1/dealers/facets');
    expect(response.json()).toEqual({
      channelTypes: ['distributor', 'wholesaler'],
      tags: ['KA', '餐饮'],
      statusCounts: { active: 8, probation: 1, suspended: 1, terminated: 0 },
    });
  });
});
