import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { defaultPolicy } from '@tierline/core';
import type {
  CreateRebateProgram,
  ErrorBody,
  LedgerEntryPage,
  PortalRebates,
  RebateLine,
  RebatePreview,
  RebateProgram,
  RebateSettlementPage,
  RebateSettlementResult,
} from '@tierline/contract';
import { buildApp } from '../app.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import { withTenant } from '../db/tenant-scope.js';
import { createTestStore, unique, type TestStore } from '../test/test-store.js';
import {
  makeChannel,
  makeDealer,
  makeUser,
  sessionHeaders,
  type TestChannel,
} from '../test/factories.js';
import { createPolicyVersion } from '../tiering/policy.service.js';
import {
  approveRun,
  createRun,
  overrideDecision,
  publishRun,
} from '../tiering/assessment.service.js';
import { seedDemoRebates } from './rebate-demo.js';

/**
 * Ladder rebates over a small channel whose figures are worked out by hand below: four
 * dealers of tenant A with published tiers (set by overrides on a published run), monthly
 * sales 2025-04 to 2025-08, so 2025-Q3 is two months of three in; and tenant B.
 *
 * | dealer | region | tier      | Q2 (previous) | Jul       | Aug       | Q3 to date | projected |
 * |--------|--------|-----------|---------------|-----------|-----------|------------|-----------|
 * | d1     | 广州   | strategic | 9,000,000     | 3,000,000 | 3,000,000 | 6,000,000  | 9,000,000 |
 * | d2     | 天河   | core      | 6,000,000     | 1,000,000 | 1,500,000 | 2,500,000  | 3,750,000 |
 * | d3     | 山东   | core      | 1,200,000     |   400,000 |   400,000 |   800,000  | 1,200,000 |
 * | own    | 广州   | basic     | 6,000,000     | 2,000,000 | 2,100,000 | 4,100,000  | 6,150,000 |
 *
 * (Amounts in fen; projected = to date × 3 / 2.) Ladders: strategic [0, 1,000,000) 2 %,
 * [1,000,000, 5,000,000) 3 %, [5,000,000, ∞) 5 %; default [0, 5,000,000) 1 %, [5,000,000, ∞) 2 %.
 */

let store: TestStore;
let app: FastifyInstance;
let a: TestChannel;
let b: TestChannel;
const dealer = {} as Record<
  'd1' | 'd2' | 'd3' | 'own' | 'fresh' | 'b',
  { id: number; code: string }
>;
type Who = 'admin' | 'analyst' | 'manager' | 'dealer' | 'adminB';
const as = {} as Record<Who, Record<string, string>>;

const MAKER: AuditOrigin = {
  actor: { kind: 'cli', id: null, name: 'cli:maker' },
  ip: null,
  userAgent: null,
};
const CHECKER: AuditOrigin = {
  actor: { kind: 'cli', id: null, name: 'cli:checker' },
  ip: null,
  userAgent: null,
};

const strategic = [
  { from: 0, to: 1_000_000, rateBasisPoints: 200 },
  { from: 1_000_000, to: 5_000_000, rateBasisPoints: 300 },
  { from: 5_000_000, to: null, rateBasisPoints: 500 },
];
const fallback = [
  { from: 0, to: 5_000_000, rateBasisPoints: 100 },
  { from: 5_000_000, to: null, rateBasisPoints: 200 },
];

function program(code: string, overrides: Partial<CreateRebateProgram> = {}): CreateRebateProgram {
  return {
    code,
    name: `阶梯返利 ${code}`,
    periodKind: 'quarterly',
    basis: 'sales',
    method: 'marginal',
    ladders: { default: fallback, tiers: { strategic } },
    active: true,
    ...overrides,
  };
}

const get = (url: string, headers: Record<string, string>) =>
  app.inject({ method: 'GET', url, headers });
const send = (
  method: 'POST' | 'PATCH',
  url: string,
  headers: Record<string, string>,
  payload: unknown,
) => app.inject({ method, url, headers, payload: payload as Record<string, unknown> });

async function count(table: string, tenantId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.table(table)} where tenant_id = ${tenantId}`.execute(
    store.db,
  );
  return rows[0]!.n;
}

async function sales(tenantId: number, dealerId: number, months: Record<string, number>) {
  await store.db
    .insertInto('dealer_month')
    .values(
      Object.entries(months).map(([month, amount]) => ({
        tenant_id: tenantId,
        dealer_id: dealerId,
        month: `${month}-01`,
        sales_amount: amount,
      })) as never,
    )
    .execute();
}

/** A published run of 2025-06 whose tiers are set by overrides (made by one, approved by another). */
async function publishTiers(tenantId: number, tiers: Record<number, string>) {
  await withTenant(store.db, tenantId, async (trx) => {
    const policy = await createPolicyVersion(trx, tenantId, defaultPolicy('2025-01'), '', MAKER);
    const run = await createRun(trx, tenantId, { period: '2025-06', policy: policy.name }, MAKER);
    for (const [dealerId, tier] of Object.entries(tiers)) {
      await overrideDecision(
        trx,
        tenantId,
        { kind: 'tenant' },
        run.id,
        {
          dealerId: Number(dealerId),
          kind: 'once',
          tier,
          reason: 'rebate test fixture',
          until: null,
        },
        MAKER,
      );
    }
    await approveRun(trx, tenantId, run.id, CHECKER);
    await publishRun(trx, tenantId, run.id, CHECKER);
  });
}

beforeAll(async () => {
  store = await createTestStore();
  const db = store.db;
  a = await makeChannel(db);
  b = await makeChannel(db);
  const make = async (tenantId: number, label: string, region: number) => {
    const code = unique(label).toUpperCase();
    return { id: await makeDealer(db, tenantId, { code, region_id: region }), code };
  };
  dealer.d1 = await make(a.tenantId, 'R1', a.regions.gz);
  dealer.d2 = await make(a.tenantId, 'R2', a.regions.th);
  dealer.d3 = await make(a.tenantId, 'R3', a.regions.sd);
  dealer.own = await make(a.tenantId, 'R4', a.regions.gz);
  dealer.b = await make(b.tenantId, 'RB', b.regions.th);
  const flat = (amount: number, months: string[]) =>
    Object.fromEntries(months.map((m) => [m, amount]));
  const q2 = ['2025-04', '2025-05', '2025-06'];
  await sales(a.tenantId, dealer.d1.id, {
    ...flat(3_000_000, q2),
    '2025-07': 3_000_000,
    '2025-08': 3_000_000,
  });
  await sales(a.tenantId, dealer.d2.id, {
    ...flat(2_000_000, q2),
    '2025-07': 1_000_000,
    '2025-08': 1_500_000,
  });
  await sales(a.tenantId, dealer.d3.id, {
    ...flat(400_000, q2),
    '2025-07': 400_000,
    '2025-08': 400_000,
  });
  await sales(a.tenantId, dealer.own.id, {
    ...flat(2_000_000, q2),
    '2025-07': 2_000_000,
    '2025-08': 2_100_000,
  });
  await sales(b.tenantId, dealer.b.id, {
    ...flat(5_000_000, q2),
    '2025-07': 5_000_000,
    '2025-08': 5_000_000,
  });
  await publishTiers(a.tenantId, {
    [dealer.d1.id]: 'strategic',
    [dealer.d2.id]: 'core',
    [dealer.d3.id]: 'core',
    [dealer.own.id]: 'basic',
  });
  await publishTiers(b.tenantId, { [dealer.b.id]: 'strategic' });
  // A dealer onboarded in Q3: no previous-quarter sales, no published tier (default ladder).
  dealer.fresh = await make(a.tenantId, 'R5', a.regions.th);
  await sales(a.tenantId, dealer.fresh.id, { '2025-07': 100_000, '2025-08': 100_000 });

  const session = async (tenantId: number, input: Parameters<typeof makeUser>[2]) =>
    sessionHeaders(db, tenantId, (await makeUser(db, tenantId, input)).id);
  as.admin = await session(a.tenantId, { role: 'admin' });
  as.analyst = await session(a.tenantId, { role: 'analyst' });
  as.manager = await session(a.tenantId, { role: 'channel_manager', regionIds: [a.regions.gd] });
  as.dealer = await session(a.tenantId, { role: 'dealer', dealerId: dealer.own.id });
  as.adminB = await session(b.tenantId, { role: 'admin' });
  app = await buildApp({ db, engine: store.engine, store, defaultTenant: a.slug, version: 'test' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await store?.destroy();
});

const programs: Record<string, RebateProgram> = {};

async function create(body: CreateRebateProgram, headers = as.admin): Promise<RebateProgram> {
  const res = await send('POST', '/api/v1/rebates/programs', headers, body);
  expect(res.statusCode, res.body).toBe(201);
  programs[body.code] = res.json<RebateProgram>();
  return programs[body.code]!;
}

async function preview(query: string, headers = as.admin): Promise<RebatePreview> {
  const res = await get(`/api/v1/rebates/preview?${query}`, headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<RebatePreview>();
}

const lineOf = (p: RebatePreview, key: keyof typeof dealer): RebateLine =>
  p.items.find((l) => l.dealer.id === dealer[key].id)!;

describe('rebate programs', () => {
  it('creates a program and lists it, with its method as chosen', async () => {
    const created = await create(program('q-sales'));
    expect(created).toMatchObject({
      code: 'q-sales',
      method: 'marginal',
      basis: 'sales',
      periodKind: 'quarterly',
      settlements: 0,
      closedPeriods: [],
      ladders: { default: fallback, tiers: { strategic } },
    });
    const list = await get('/api/v1/rebates/programs', as.analyst);
    expect(list.json<{ items: RebateProgram[] }>().items.map((p) => p.code)).toEqual(['q-sales']);
    const one = await get(`/api/v1/rebates/programs/${created.id}`, as.manager);
    expect(one.json<RebateProgram>().id).toBe(created.id);
  });

  it('refuses overlapping, gapped and over-100 % brackets with their paths, writing nothing', async () => {
    const before = [
      await count('rebate_program', a.tenantId),
      await count('audit_event', a.tenantId),
    ];
    const res = await send(
      'POST',
      '/api/v1/rebates/programs',
      as.admin,
      program('bad-ladder', {
        ladders: {
          default: [
            { from: 0, to: 5_000_000, rateBasisPoints: 100 },
            { from: 6_000_000, to: null, rateBasisPoints: 200 },
          ],
          tiers: {
            strategic: [
              { from: 0, to: 2_000_000, rateBasisPoints: 200 },
              { from: 1_000_000, to: null, rateBasisPoints: 10_001 },
            ],
          },
        },
      }),
    );
    expect(res.statusCode).toBe(400);
    const error = res.json<ErrorBody>().error;
    expect(error.code).toBe('validation_failed');
    const issues = (error.details as { issues: { path: string; message: string }[] }).issues;
    expect(issues.map((i) => i.path).sort()).toEqual([
      'ladders.default[1].from',
      'ladders.tiers.strategic[1].from',
      'ladders.tiers.strategic[1].rateBasisPoints',
    ]);
    expect(issues.find((i) => i.path === 'ladders.default[1].from')!.message).toMatch(/gap/);
    expect(issues.find((i) => i.path === 'ladders.tiers.strategic[1].from')!.message).toMatch(
      /overlap/,
    );
    expect(issues.find((i) => i.path.endsWith('rateBasisPoints'))!.message).toMatch(
      /10,000 basis points/,
    );
    expect([
      await count('rebate_program', a.tenantId),
      await count('audit_event', a.tenantId),
    ]).toEqual(before);
  });

  it('refuses a program without a method, without any ladder, or with a code taken', async () => {
    const before = await count('rebate_program', a.tenantId);
    const noMethod: Partial<CreateRebateProgram> = program('no-method');
    delete noMethod.method;
    const missing = await send('POST', '/api/v1/rebates/programs', as.admin, noMethod);
    expect(missing.statusCode).toBe(400);
    expect(missing.json<ErrorBody>().error.message).toMatch(/body\.method/);
    const empty = await send(
      'POST',
      '/api/v1/rebates/programs',
      as.admin,
      program('no-ladder', { ladders: { default: null, tiers: {} } }),
    );
    expect(empty.statusCode).toBe(400);
    expect(empty.json<ErrorBody>().error.message).toMatch(
      /^The rebate ladders are not valid: ladders: /,
    );
    const taken = await send('POST', '/api/v1/rebates/programs', as.admin, program('q-sales'));
    expect(taken.statusCode).toBe(409);
    expect(await count('rebate_program', a.tenantId)).toBe(before);
  });

  it('lets only an admin write, and hides each tenant’s programs from the other', async () => {
    for (const who of ['analyst', 'manager', 'dealer'] as const) {
      const res = await send('POST', '/api/v1/rebates/programs', as[who], program(`by-${who}`));
      expect(res.statusCode, who).toBe(403);
    }
    expect((await get('/api/v1/rebates/programs', as.dealer)).statusCode).toBe(403);
    const id = programs['q-sales']!.id;
    expect((await get(`/api/v1/rebates/programs/${id}`, as.adminB)).statusCode).toBe(404);
    const patch = await send('PATCH', `/api/v1/rebates/programs/${id}`, as.adminB, { name: 'x' });
    expect(patch.statusCode).toBe(404);
    expect(
      (await get('/api/v1/rebates/programs', as.adminB)).json<{ items: unknown[] }>().items,
    ).toEqual([]);
    // B may use the same code for its own program.
    await create(program('q-sales'), as.adminB);
    const preview = await get('/api/v1/rebates/preview?program=q-sales&period=2025-Q3', as.adminB);
    expect(preview.json<RebatePreview>().items.map((l) => l.dealer.code)).toEqual([dealer.b.code]);
  });
});

describe('rebate preview', () => {
  it('shows hand-worked marginal figures: to date, run-rate projection, next bracket', async () => {
    const p = await preview('program=q-sales&period=2025-Q3&asOf=2025-08');
    expect(p).toMatchObject({
      period: '2025-Q3',
      periodFrom: '2025-07',
      periodTo: '2025-09',
      previousPeriod: '2025-Q2',
      asOf: '2025-08',
      monthsElapsed: 2,
      monthsTotal: 3,
      projection: 'run_rate',
      closed: false,
    });
    expect(lineOf(p, 'd1')).toMatchObject({
      tier: 'strategic',
      ladder: { source: 'tier' },
      salesToDate: 6_000_000,
      projectedSales: 9_000_000,
      previousSales: 9_000_000,
      // 1,000,000 × 2 % + 4,000,000 × 3 % + 1,000,000 × 5 %
      current: { amount: 190_000, bracket: 2, rateBasisPoints: 500, salesFrom: 5_000_000 },
      // … + 4,000,000 × 5 %
      projected: { amount: 340_000, bracket: 2 },
      next: null,
      alreadyPaid: 0,
      due: 190_000,
    });
    expect(lineOf(p, 'd2')).toMatchObject({
      tier: 'core',
      ladder: { source: 'default' },
      salesToDate: 2_500_000,
      projectedSales: 3_750_000,
      current: { amount: 25_000, bracket: 0 },
      projected: { amount: 37_500, bracket: 0 },
      next: {
        bracket: 1,
        rateBasisPoints: 200,
        salesNeeded: 5_000_000,
        shortfall: 1_250_000,
        rebateAtNext: 50_000,
        extraRebate: 12_500,
      },
    });
    expect(lineOf(p, 'own')).toMatchObject({
      current: { amount: 41_000 },
      // 5,000,000 × 1 % + 1,150,000 × 2 %
      projected: { amount: 73_000, bracket: 1 },
      next: null,
    });
    expect(lineOf(p, 'd3')).toMatchObject({
      current: { amount: 8_000 },
      projected: { amount: 12_000 },
      next: { shortfall: 3_800_000, rebateAtNext: 50_000, extraRebate: 38_000 },
    });
    expect(p.totals).toEqual({
      dealers: 5,
      salesToDate: 6_000_000 + 2_500_000 + 800_000 + 4_100_000 + 200_000,
      projectedSales: 9_000_000 + 3_750_000 + 1_200_000 + 6_150_000 + 300_000,
      currentRebate: 190_000 + 25_000 + 8_000 + 41_000 + 2_000,
      projectedRebate: 340_000 + 37_500 + 12_000 + 73_000 + 3_000,
      alreadyPaid: 0,
      due: 190_000 + 25_000 + 8_000 + 41_000 + 2_000,
    });
  });

  it('computes the same dealers retroactively: the whole sales at the rate reached', async () => {
    await create(program('q-retro', { method: 'retroactive' }));
    const p = await preview('program=q-retro&period=2025-Q3&asOf=2025-08');
    expect(lineOf(p, 'd1')).toMatchObject({
      current: { amount: 300_000, rateBasisPoints: 500 },
      projected: { amount: 450_000 },
    });
    expect(lineOf(p, 'd2')).toMatchObject({
      current: { amount: 25_000 },
      projected: { amount: 37_500 },
      // At 5,000,000 the whole sales earn 2 %: 100,000.
      next: { salesNeeded: 5_000_000, rebateAtNext: 100_000, extraRebate: 62_500 },
    });
  });

  it('measures growth against the previous quarter, and says when there is none', async () => {
    await create(
      program('q-growth', {
        basis: 'growth',
        method: 'retroactive',
        ladders: {
          default: [
            { from: -100, to: 0, rateBasisPoints: 0 },
            { from: 0, to: 10, rateBasisPoints: 100 },
            { from: 10, to: null, rateBasisPoints: 200 },
          ],
          tiers: {},
        },
      }),
    );
    const p = await preview('program=q-growth&period=2025-Q3&asOf=2025-08');
    // d1: 6,000,000 to date against 9,000,000 is −33 %: rate 0. Projected 9,000,000 is +0 %: 1 %.
    expect(lineOf(p, 'd1')).toMatchObject({
      eligible: true,
      previousSales: 9_000_000,
      current: { amount: 0, bracket: 0 },
      projected: { amount: 90_000, bracket: 1 },
      next: {
        bracket: 2,
        salesNeeded: 9_900_000,
        shortfall: 900_000,
        rebateAtNext: 198_000,
        extraRebate: 108_000,
      },
    });
    expect(lineOf(p, 'fresh')).toMatchObject({
      eligible: false,
      previousSales: null,
      current: { amount: 0 },
      note: expect.stringMatching(/previous period/),
    });
  });

  it('limits lines and totals to a channel manager’s dealers, and pages and searches them', async () => {
    const p = await preview('program=q-sales&period=2025-Q3&asOf=2025-08&limit=2', as.manager);
    expect(p.total).toBe(4);
    expect(p.totals.dealers).toBe(4);
    expect(p.totals.currentRebate).toBe(190_000 + 25_000 + 41_000 + 2_000);
    expect(p.items).toHaveLength(2);
    expect(p.nextOffset).toBe(2);
    const rest = await preview(
      'program=q-sales&period=2025-Q3&asOf=2025-08&limit=2&offset=2',
      as.manager,
    );
    const seen = [...p.items, ...rest.items].map((l) => l.dealer.id);
    expect(seen).not.toContain(dealer.d3.id);
    expect(new Set(seen).size).toBe(4);
    const found = await preview(
      `program=q-sales&period=2025-Q3&asOf=2025-08&q=${dealer.d2.code}`,
      as.manager,
    );
    expect(found.items.map((l) => l.dealer.id)).toEqual([dealer.d2.id]);
    const hidden = await preview(`program=q-sales&period=2025-Q3&q=${dealer.d3.code}`, as.manager);
    expect(hidden.total).toBe(0);
    const closest = await preview(
      'program=q-sales&period=2025-Q3&asOf=2025-08&sort=shortfall',
      as.admin,
    );
    expect(closest.items[0]!.dealer.id).toBe(dealer.d2.id);
  });

  it('refuses a period of another kind, a future period and asOf past the data', async () => {
    for (const [query, pattern] of [
      ['period=2025-08', /quarterly period; 2025-08 is not one/],
      ['period=2025-Q4', /no sales to count yet/],
      ['period=2025-Q3&asOf=2025-09', /after the latest month with data \(2025-08\)/],
    ] as const) {
      const res = await get(`/api/v1/rebates/preview?program=q-sales&${query}`, as.admin);
      expect(res.statusCode, query).toBe(400);
      expect(res.json<ErrorBody>().error.message).toMatch(pattern);
    }
    expect(
      (await get('/api/v1/rebates/preview?program=q-sales&period=2025-Q3', as.dealer)).statusCode,
    ).toBe(403);
  });

  it('exports the preview in major units, only the caller’s dealers', async () => {
    const res = await get(
      '/api/v1/rebates/preview/export?program=q-sales&period=2025-Q3&format=csv',
      as.manager,
    );
    expect(res.statusCode).toBe(200);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(
      /^program,period,as_of,dealer_code,dealer_name,tier,ladder,eligible,sales_to_date/,
    );
    expect(lines).toHaveLength(1 + 4);
    const d1 = lines.find((l) => l.includes(dealer.d1.code))!.split(',');
    // sales to date 60,000.00 yuan, current rebate 1,900.00 yuan at 5 %
    expect(d1.slice(8, 13)).toEqual(['60000', '90000', '90000', '5', '1900']);
    expect(res.body).not.toContain(dealer.d3.code);
    const xlsx = await get(
      '/api/v1/rebates/preview/export?program=q-sales&period=2025-Q3&format=xlsx',
      as.admin,
    );
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('the dealer portal', () => {
  it('shows the dealer its own projection in each active program, and no one else’s', async () => {
    const res = await get('/api/v1/portal/rebates', as.dealer);
    expect(res.statusCode, res.body).toBe(200);
    const portal = res.json<PortalRebates>();
    expect(portal.asOf).toBe('2025-08');
    expect(portal.items.map((i) => i.program.code).sort()).toEqual([
      'q-growth',
      'q-retro',
      'q-sales',
    ]);
    const sales = portal.items.find((i) => i.program.code === 'q-sales')!;
    expect(sales).toMatchObject({
      period: '2025-Q3',
      monthsElapsed: 2,
      monthsTotal: 3,
      line: { salesToDate: 4_100_000, projected: { amount: 73_000 } },
    });
    for (const other of [dealer.d1, dealer.d2, dealer.d3, dealer.fresh]) {
      expect(res.body).not.toContain(other.code);
    }
    expect(res.body).not.toContain('totals');
    expect((await get('/api/v1/portal/rebates', as.admin)).statusCode).toBe(403);
  });
});

describe('settlements', () => {
  let interim: RebateSettlementResult;

  it('settles an interim settlement: one row, one ledger record per dealer, one audit event', async () => {
    const ledgerBefore = await count('ledger_entry', a.tenantId);
    const res = await send('POST', '/api/v1/rebates/settlements', as.admin, {
      program: 'q-retro',
      period: '2025-Q3',
    });
    expect(res.statusCode, res.body).toBe(201);
    interim = res.json<RebateSettlementResult>();
    expect(interim.batch).toMatchObject({
      period: '2025-Q3',
      seq: 1,
      final: false,
      asOf: '2025-08',
      dealers: 5,
      rebate: 300_000 + 25_000 + 8_000 + 41_000 + 2_000,
      alreadyPaid: 0,
      clawbacks: 0,
    });
    expect(interim.ledger.count).toBe(5);
    expect(await count('ledger_entry', a.tenantId)).toBe(ledgerBefore + 5);
    const { rows } = await sql<{ record: Record<string, unknown> }>`
      select record::jsonb as record from ledger_entry
      where tenant_id = ${a.tenantId} and kind = 'rebate_settlement' and dealer_id = ${dealer.d1.id}`.execute(
      store.db,
    );
    expect(rows[0]!.record).toMatchObject({
      program: { code: 'q-retro' },
      period: '2025-Q3',
      method: 'retroactive',
      sales: 6_000_000,
      rebate: 300_000,
      rateBasisPoints: 500,
      alreadyPaid: 0,
      due: 300_000,
      clawback: false,
      final: false,
    });
    expect(JSON.stringify(rows[0]!.record)).not.toMatch(/admin/);
    const audit = await sql<{ n: number }>`
      select count(*)::int as n from audit_event
      where tenant_id = ${a.tenantId} and action = 'rebate.settled'`.execute(store.db);
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('fixes a settled program’s terms but lets its name change', async () => {
    const id = programs['q-retro']!.id;
    const before = await get(`/api/v1/rebates/programs/${id}`, as.admin);
    const res = await send('PATCH', `/api/v1/rebates/programs/${id}`, as.admin, {
      ladders: { default: fallback, tiers: {} },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.message).toMatch(/cannot change.*Create a new program/);
    expect((await get(`/api/v1/rebates/programs/${id}`, as.admin)).json()).toEqual(before.json());
    const renamed = await send('PATCH', `/api/v1/rebates/programs/${id}`, as.admin, {
      name: '季度全额返利',
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json<RebateProgram>()).toMatchObject({ name: '季度全额返利', settlements: 1 });
    // An unsettled program's ladders may change, checked again.
    const growth = programs['q-growth']!.id;
    const bad = await send('PATCH', `/api/v1/rebates/programs/${growth}`, as.admin, {
      ladders: { default: [{ from: 0, to: 10, rateBasisPoints: 100 }], tiers: {} },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.message).toMatch(/ladders\.default\[0\]\.to/);
  });

  it('refuses a final settlement before the period’s data is complete', async () => {
    const res = await send('POST', '/api/v1/rebates/settlements', as.admin, {
      program: 'q-retro',
      period: '2025-Q3',
      final: true,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.message).toMatch(/needs the whole of 2025-Q3/);
    expect(await count('rebate_settlement', a.tenantId)).toBe(5);
  });

  it('trues up in the final settlement: pays only the difference and flags a clawback', async () => {
    // September: d1 sells 500,000 more; d2's returns exceed its sales (−600,000).
    await sales(a.tenantId, dealer.d1.id, { '2025-09': 500_000 });
    await sales(a.tenantId, dealer.d2.id, { '2025-09': -600_000 });
    const shown = await preview('program=q-retro&period=2025-Q3');
    expect(shown).toMatchObject({ asOf: '2025-09', monthsElapsed: 3, settlements: 1 });
    expect(lineOf(shown, 'd1')).toMatchObject({ alreadyPaid: 300_000, due: 25_000 });
    const res = await send('POST', '/api/v1/rebates/settlements', as.admin, {
      program: 'q-retro',
      period: '2025-Q3',
      final: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const final = res.json<RebateSettlementResult>();
    expect(final.batch).toMatchObject({ seq: 2, final: true, asOf: '2025-09', clawbacks: 1 });
    const page = await get(
      '/api/v1/rebates/settlements?program=q-retro&period=2025-Q3&limit=100',
      as.admin,
    );
    const lines = page.json<RebateSettlementPage>().items.filter((l) => l.seq === 2);
    // d1: 6,500,000 × 5 % = 325,000 earned, 300,000 paid: 25,000 due.
    expect(lines.find((l) => l.dealer.id === dealer.d1.id)).toMatchObject({
      sales: 6_500_000,
      rebate: 325_000,
      alreadyPaid: 300_000,
      due: 25_000,
      clawback: false,
    });
    // d2: 1,900,000 × 1 % = 19,000 earned, 25,000 paid: 6,000 clawed back.
    expect(lines.find((l) => l.dealer.id === dealer.d2.id)).toMatchObject({
      sales: 1_900_000,
      rebate: 19_000,
      alreadyPaid: 25_000,
      due: -6_000,
      clawback: true,
    });
    const again = await send('POST', '/api/v1/rebates/settlements', as.admin, {
      program: 'q-retro',
      period: '2025-Q3',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().error.message).toMatch(/is closed/);
    const closed = await get(`/api/v1/rebates/programs/${programs['q-retro']!.id}`, as.analyst);
    expect(closed.json<RebateProgram>().closedPeriods).toEqual(['2025-Q3']);
  });

  it('shows settlements only for the caller’s dealers, and lets only an admin settle', async () => {
    const manager = (
      await get('/api/v1/rebates/settlements?program=q-retro&limit=100', as.manager)
    ).json<RebateSettlementPage>();
    expect(manager.items.map((l) => l.dealer.id)).not.toContain(dealer.d3.id);
    expect(manager.batches.map((x) => x.dealers)).toEqual([4, 4]);
    const admin = (
      await get('/api/v1/rebates/settlements?program=q-retro&limit=3', as.admin)
    ).json<RebateSettlementPage>();
    expect(admin.total).toBe(10);
    expect(admin.items).toHaveLength(3);
    const next = (
      await get(
        `/api/v1/rebates/settlements?program=q-retro&limit=100&cursor=${admin.nextCursor}`,
        as.admin,
      )
    ).json<RebateSettlementPage>();
    expect(next.items).toHaveLength(7);
    expect((await get('/api/v1/rebates/settlements?program=q-retro', as.adminB)).statusCode).toBe(
      404,
    );
    const before = await count('rebate_settlement', a.tenantId);
    for (const who of ['analyst', 'manager', 'dealer'] as const) {
      const res = await send('POST', '/api/v1/rebates/settlements', as[who], {
        program: 'q-sales',
        period: '2025-Q3',
      });
      expect(res.statusCode, who).toBe(403);
    }
    const cross = await send('POST', '/api/v1/rebates/settlements', as.adminB, {
      program: 'q-retro',
      period: '2025-Q3',
    });
    expect(cross.statusCode).toBe(404);
    expect(await count('rebate_settlement', a.tenantId)).toBe(before);
  });

  it('lets the dealer open its own settlement records in the ledger, and no other', async () => {
    const res = await get('/api/v1/ledger/entries?kind=rebate_settlement&limit=100', as.dealer);
    expect(res.statusCode).toBe(200);
    const entries = res.json<LedgerEntryPage>().items;
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.dealer?.id === dealer.own.id)).toBe(true);
    const manager = (
      await get('/api/v1/ledger/entries?kind=rebate_settlement&limit=100', as.manager)
    ).json<LedgerEntryPage>().items;
    expect(manager).toHaveLength(8);
    expect(manager.map((e) => e.dealer?.id)).not.toContain(dealer.d3.id);
  });
});

describe('the demo seed', () => {
  it('creates the demo program and settles the last complete quarter, interim then final', async () => {
    await withTenant(store.db, b.tenantId, (trx) => seedDemoRebates(trx, b.tenantId, MAKER));
    const page = await get('/api/v1/rebates/settlements?program=q-ladder', as.adminB);
    expect(page.statusCode, page.body).toBe(200);
    const batches = page.json<RebateSettlementPage>().batches;
    expect(batches.map((x) => [x.period, x.seq, x.final, x.asOf])).toEqual([
      ['2025-Q2', 2, true, '2025-06'],
      ['2025-Q2', 1, false, '2025-05'],
    ]);
    // B's strategic dealer: 10,000,000 by May, 15,000,000 in the quarter, all at 2 %.
    expect(batches.map((x) => x.due)).toEqual([100_000, 200_000]);
  });
});
