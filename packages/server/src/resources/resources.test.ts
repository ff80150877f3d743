import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { defaultPolicy, monthRange } from '@tierline/core';
import type {
  AllocationDetail,
  AllocationLinePage,
  AllocationPreview,
  AllocationSummary,
  Benefit,
  BenefitMatrix,
  DealerPackage,
  ErrorBody,
  ResourceRoi,
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
import { approveRun, createRun, publishRun } from '../tiering/assessment.service.js';

/**
 * Benefits, packages, allocations and ROI through the API, on a real database. Tenant A has
 * eight dealers whose monthly sales are 1, 2, …, 8 million fen, so that a policy scoring sales
 * alone (min–max) places them: 0–1 基础 (on probation from the first period), 2–3 潜力, 4–5 核心,
 * 6–7 战略. Dealers 1 and 5 are in 山东, outside the 广东 manager's regions; dealer 2 missed its
 * target from 2026-05 on. Tenant B mirrors it with three dealers.
 */

let store: TestStore;
let app: FastifyInstance;
let a: TestChannel;
let b: TestChannel;
const dealersA: { id: number; code: string; name: string }[] = [];
const dealersB: { id: number; code: string; name: string }[] = [];
const as = {} as Record<
  'admin' | 'analyst' | 'manager' | 'dealer' | 'adminB',
  Record<string, string>
>;
const CLI: AuditOrigin = {
  actor: { kind: 'cli', id: null, name: 'cli:test' },
  ip: null,
  userAgent: null,
};
const POLICY = 'alloc';
const MONTHS = monthRange('2025-01', '2026-12');
const M = 1_000_000;

function policyDocument() {
  return {
    ...defaultPolicy('2025-01'),
    name: POLICY,
    normalisation: 'minmax' as const,
    metrics: [{ metric: 'sales_amount' }],
    weights: { method: 'manual' as const, total: 100, values: { sales_amount: 100 } },
    timeDecay: null,
    reviewMonths: [],
    gates: {},
    assignment: {
      method: 'thresholds' as const,
      minScores: { strategic: 75, core: 50, potential: 25 },
    },
    lifecycle: {
      promotion: 'immediate' as const,
      maxStepUp: null,
      demotion: 'automatic' as const,
      demotionAfter: 1,
      maxStepDown: 3,
      probationAfter: 1,
      eliminationAfter: null,
    },
  };
}

/** Sales of dealer i in a month: (i + 1) million fen; dealer 0 jumps to 20 million in 2026-09. */
function salesOf(i: number, month: string): number {
  return i === 0 && month === '2026-09' ? 20 * M : (i + 1) * M;
}

function targetOf(i: number, month: string): number {
  return i === 2 && month >= '2026-05' ? 10 * M : (i + 1) * M;
}

async function publish(tenantId: number, period: string) {
  await withTenant(store.db, tenantId, async (trx) => {
    const run = await createRun(trx, tenantId, { policy: POLICY, period }, CLI);
    await approveRun(trx, tenantId, run.id, CLI);
    await publishRun(trx, tenantId, run.id, CLI);
  });
}

beforeAll(async () => {
  store = await createTestStore();
  const db = store.db;
  a = await makeChannel(db);
  b = await makeChannel(db);
  for (let i = 0; i < 8; i++) {
    const code = unique(`RA${i}`).toUpperCase();
    const name = `经销商A${i}-${code}`;
    const region = i === 1 || i === 5 ? a.regions.sd : i % 2 === 0 ? a.regions.th : a.regions.ns;
    dealersA.push({
      id: await makeDealer(db, a.tenantId, { code, name, region_id: region }),
      code,
      name,
    });
  }
  for (let i = 0; i < 3; i++) {
    const code = unique(`RB${i}`).toUpperCase();
    const name = `经销商B${i}-${code}`;
    dealersB.push({
      id: await makeDealer(db, b.tenantId, { code, name, region_id: b.regions.th }),
      code,
      name,
    });
  }
  const rows = [
    ...dealersA.map((d, i) => ({ tenant: a.tenantId, d, i })),
    ...dealersB.map((d, i) => ({ tenant: b.tenantId, d, i })),
  ].flatMap(({ tenant, d, i }) =>
    MONTHS.map((month) => ({
      tenant_id: tenant,
      dealer_id: d.id,
      month: `${month}-01`,
      sales_amount: salesOf(i, month),
      target_amount: targetOf(i, month),
      sales_quantity: 10,
      order_count: 3,
      order_line_count: 10,
      sku_count: 2,
      invoice_amount: salesOf(i, month),
      payment_amount: salesOf(i, month),
      new_product_amount: 0,
      ordering_outlet_count: 2,
      visited_outlet_count: 1,
      visit_count: 1,
      complaint_count: 0,
      compliance_event_count: 0,
      compliance_severity_points: 0,
      inventory_quantity: 0,
      inventory_value: 0,
      near_expiry_value: 0,
      batch_tracked_quantity: 0,
      campaign_tasks_planned: 0,
      campaign_tasks_completed: 0,
    })),
  );
  await db.insertInto('dealer_month').values(rows).execute();
  for (const tenantId of [a.tenantId, b.tenantId]) {
    await withTenant(db, tenantId, (trx) =>
      createPolicyVersion(trx, tenantId, policyDocument(), 'test', CLI),
    );
    await publish(tenantId, '2026-07');
    await publish(tenantId, '2026-08');
  }
  const admin = await makeUser(db, a.tenantId, { role: 'admin' });
  const analyst = await makeUser(db, a.tenantId, { role: 'analyst' });
  const manager = await makeUser(db, a.tenantId, {
    role: 'channel_manager',
    regionIds: [a.regions.gd],
  });
  const dealer = await makeUser(db, a.tenantId, { role: 'dealer', dealerId: dealersA[0]!.id });
  const adminB = await makeUser(db, b.tenantId, { role: 'admin' });
  as.admin = await sessionHeaders(db, a.tenantId, admin.id);
  as.analyst = await sessionHeaders(db, a.tenantId, analyst.id);
  as.manager = await sessionHeaders(db, a.tenantId, manager.id);
  as.dealer = await sessionHeaders(db, a.tenantId, dealer.id);
  as.adminB = await sessionHeaders(db, b.tenantId, adminB.id);
  app = await buildApp({ db, engine: store.engine, store, defaultTenant: a.slug, version: 'test' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await store?.destroy();
});

const get = (url: string, headers: Record<string, string>) =>
  app.inject({ method: 'GET', url, headers });
const send = (
  method: 'POST' | 'PUT' | 'PATCH',
  url: string,
  headers: Record<string, string>,
  payload: unknown = {},
) => app.inject({ method, url, headers, payload: payload as Record<string, unknown> });

async function count(table: string, tenantId = a.tenantId): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.table(table)} where tenant_id = ${tenantId}`.execute(
    store.db,
  );
  return rows[0]!.n;
}

async function ledgerKinds(tenantId = a.tenantId): Promise<Record<string, number>> {
  const { rows } = await sql<{ kind: string; n: number }>`
    select kind, count(*)::int as n from ledger_entry where tenant_id = ${tenantId}
    group by kind`.execute(store.db);
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

const issuesOf = (body: string) =>
  (JSON.parse(body) as ErrorBody).error.details as { issues: { path: string; message: string }[] };

describe('the benefit library', () => {
  const created: Record<string, Benefit> = {};

  it('adds benefits with a unique code, and refuses a taken code or an unknown unit', async () => {
    for (const [code, name, kind, unit] of [
      ['rebate_rate', '返利比例', 'rebate_rate', 'basis_points'],
      ['mdf', '市场费用', 'market_fund', 'money'],
      ['training', '培训次数', 'training', 'count'],
      ['logistics', '物流优先级', 'logistics_priority', 'level'],
      ['priority_supply', '优先供货', 'priority_supply', 'flag'],
    ] as const) {
      const res = await send('POST', '/api/v1/benefits', as.admin, { code, name, kind, unit });
      expect(res.statusCode, res.body).toBe(201);
      created[code] = res.json<Benefit>();
      expect(created[code]).toMatchObject({ code, name, kind, unit, archived: false });
    }
    const taken = await send('POST', '/api/v1/benefits', as.admin, {
      code: 'mdf',
      name: 'x',
      kind: 'custom',
      unit: 'text',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<ErrorBody>().error.message).toContain('mdf exists already');
    const bad = await send('POST', '/api/v1/benefits', as.admin, {
      code: 'Bad Code',
      name: 'x',
      kind: 'custom',
      unit: 'euros',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.message).toMatch(
      /body\.code.*body\.unit|body\.unit.*body\.code/s,
    );
    expect(await count('benefit')).toBe(5);
  });

  it('renames, archives and restores; only admins write; other tenants see nothing', async () => {
    const id = created['training']!.id;
    const renamed = await send('PATCH', `/api/v1/benefits/${id}`, as.admin, { name: '培训名额' });
    expect(renamed.json<Benefit>().name).toBe('培训名额');
    const archived = await send('PATCH', `/api/v1/benefits/${id}`, as.admin, { archived: true });
    expect(archived.json<Benefit>().archived).toBe(true);
    const listed = await get('/api/v1/benefits?archived=exclude', as.analyst);
    expect(listed.json<{ items: Benefit[] }>().items.map((x) => x.code)).not.toContain('training');
    const restored = await send('PATCH', `/api/v1/benefits/${id}`, as.admin, { archived: false });
    expect(restored.json<Benefit>().archived).toBe(false);
    expect(
      (await send('PATCH', `/api/v1/benefits/${id}`, as.manager, { name: 'x' })).statusCode,
    ).toBe(403);
    expect(
      (await send('PATCH', `/api/v1/benefits/${id}`, as.adminB, { name: 'x' })).statusCode,
    ).toBe(404);
    expect((await get('/api/v1/benefits', as.adminB)).json<{ items: Benefit[] }>().items).toEqual(
      [],
    );
    expect((await get('/api/v1/benefits', as.dealer)).statusCode).toBe(403);
    const audit = await sql<{ action: string }>`
      select action from audit_event where tenant_id = ${a.tenantId} and entity_type = 'benefit'
      and entity_id = ${String(id)} order by id`.execute(store.db);
    expect(audit.rows.map((r) => r.action)).toEqual([
      'benefit.created',
      'benefit.updated',
      'benefit.archived',
      'benefit.restored',
    ]);
  });

  const values = {
    rebate_rate: { strategic: 300, core: 200, potential: 150, basic: 100 },
    mdf: { strategic: 5_000_000, core: 2_000_000, potential: 500_000 },
    training: { strategic: 4, core: 2, potential: 1, basic: 0 },
    logistics: { strategic: 'A', core: 'B', potential: 'C', basic: 'C' },
    priority_supply: { strategic: true, core: true, potential: false, basic: false },
  };

  it('saves the value matrix of a policy version, with an audit event and a ledger record', async () => {
    const before = await ledgerKinds();
    const res = await send('PUT', '/api/v1/benefits/values', as.admin, {
      policy: POLICY,
      version: 1,
      values,
    });
    expect(res.statusCode, res.body).toBe(200);
    const matrix = res.json<BenefitMatrix>();
    expect(matrix.tiers.map((t) => t.code)).toEqual(['strategic', 'core', 'potential', 'basic']);
    const byCode = Object.fromEntries(matrix.rows.map((r) => [r.benefit.code, r.values]));
    expect(byCode).toEqual(values);
    expect(await ledgerKinds()).toEqual({ ...before, benefit_values: 1 });
    const { rows } = await sql<{ record: string }>`
      select record from ledger_entry where tenant_id = ${a.tenantId} and kind = 'benefit_values'`.execute(
      store.db,
    );
    const record = JSON.parse(rows[0]!.record) as Record<string, unknown>;
    expect(record).toMatchObject({ policy: { name: POLICY, version: 1 }, values });
    expect(record['digest']).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.record).not.toContain('cli:');
    // Read back by analysts (and the latest version when none is named).
    const read = await get(`/api/v1/benefits/values?policy=${POLICY}`, as.analyst);
    expect(read.json<BenefitMatrix>().rows.length).toBe(5);
  });

  it('refuses values that do not fit, every problem with its path, and saves nothing', async () => {
    const before = await ledgerKinds();
    const res = await send('PUT', '/api/v1/benefits/values', as.admin, {
      policy: POLICY,
      version: 1,
      values: {
        rebate_rate: { strategic: 20_000, gold: 100 },
        mdf: { core: 1.5, basic: -1 },
        priority_supply: { core: 'yes' },
        logistics: { core: 3 },
        nothing: { core: 1 },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(
      issuesOf(res.body)
        .issues.map((i) => i.path)
        .sort(),
    ).toEqual(
      [
        'nothing',
        'rebate_rate.gold',
        'rebate_rate.strategic',
        'logistics.core',
        'mdf.basic',
        'mdf.core',
        'priority_supply.core',
      ]
        .map((p) => `values.${p}`)
        .sort(),
    );
    expect(res.json<ErrorBody>().error.message).toMatch(/^The benefit values have 7 problems/);
    expect(await ledgerKinds()).toEqual(before);
    const read = await get(`/api/v1/benefits/values?policy=${POLICY}&version=1`, as.admin);
    expect(
      Object.fromEntries(read.json<BenefitMatrix>().rows.map((r) => [r.benefit.code, r.values])),
    ).toEqual(values);
    expect(
      (await get(`/api/v1/benefits/values?policy=${POLICY}`, as.adminB)).json<BenefitMatrix>().rows,
    ).toEqual([]);
  });

  it('gives a dealer the benefits of its published tier, in its scope', async () => {
    const top = await get(`/api/v1/dealers/${dealersA[6]!.id}/package`, as.manager);
    expect(top.statusCode, top.body).toBe(200);
    const pkg = top.json<DealerPackage>();
    expect(pkg.current).toMatchObject({
      tier: 'strategic',
      period: '2026-08',
      effectiveFrom: '2026-09-01',
    });
    expect(Object.fromEntries(pkg.current!.benefits.map((x) => [x.benefit.code, x.value]))).toEqual(
      {
        logistics: 'A',
        mdf: 5_000_000,
        priority_supply: true,
        rebate_rate: 300,
        training: 4,
      },
    );
    expect(pkg.history).toEqual([
      expect.objectContaining({
        period: '2026-07',
        tier: 'strategic',
        effectiveFrom: '2026-08-01',
      }),
    ]);
    const portal = await get('/api/v1/portal/package', as.dealer);
    expect(portal.json<DealerPackage>()).toMatchObject({
      dealer: { id: dealersA[0]!.id },
      current: { tier: 'basic' },
    });
    expect(portal.json<DealerPackage>().current!.benefits.map((x) => x.benefit.code)).toEqual([
      'logistics',
      'priority_supply',
      'rebate_rate',
      'training',
    ]);
    // 山东 is outside the manager's regions; another tenant's dealer does not exist.
    expect((await get(`/api/v1/dealers/${dealersA[5]!.id}/package`, as.manager)).statusCode).toBe(
      404,
    );
    expect((await get(`/api/v1/dealers/${dealersA[5]!.id}/package`, as.adminB)).statusCode).toBe(
      404,
    );
    expect((await get(`/api/v1/dealers/${dealersA[0]!.id}/package`, as.dealer)).statusCode).toBe(
      403,
    );
    expect((await get('/api/v1/portal/package', as.admin)).statusCode).toBe(403);
  });
});

const percentConfig = (limits: unknown[] = []) => ({
  shareUnit: 'percent',
  tiers: [
    { tier: 'strategic', share: 40, rule: 'sales' },
    { tier: 'core', share: 30, rule: 'equal', floor: 1_000_000 },
    { tier: 'potential', share: 20, rule: 'target' },
    { tier: 'basic', share: 10, rule: 'equal' },
  ],
  dealerLimits: limits,
  adjustments: { probationFactor: 0.5, missedTarget: { periods: 3, factor: 0.5 } },
});

describe('budget allocation', () => {
  let draft: AllocationDetail;
  const pool = 100 * M;

  it('previews the default split (40/30/20/10 by sales) without writing anything', async () => {
    const res = await send('POST', '/api/v1/allocations', as.admin, {
      period: '2026-09',
      pool,
      dryRun: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json<AllocationPreview>();
    expect(preview).toMatchObject({
      configSource: 'default',
      run: { period: '2026-08' },
      allocated: pool,
      unallocated: 0,
      dealerCount: 8,
      config: { shareUnit: 'basis_points' },
    });
    expect(preview.config.tiers.map((t) => [t.tier, t.share, t.rule])).toEqual([
      ['strategic', 4000, 'sales'],
      ['core', 3000, 'sales'],
      ['potential', 2000, 'sales'],
      ['basic', 1000, 'sales'],
    ]);
    expect(preview.tiers.map((t) => t.amount)).toEqual([40 * M, 30 * M, 20 * M, 10 * M]);
    expect(await count('budget_allocation')).toBe(0);
  });

  it('computes a draft: exact to the fen, caps, floors, probation and missed-target adjustments with reasons', async () => {
    const before = await count('audit_event');
    const res = await send('POST', '/api/v1/allocations', as.admin, {
      period: '2026-09',
      pool,
      name: '九月资源',
      config: percentConfig([{ dealerId: dealersA[7]!.id, cap: 20 * M }]),
    });
    expect(res.statusCode, res.body).toBe(201);
    draft = res.json<AllocationDetail>();
    expect(draft).toMatchObject({
      status: 'draft',
      pool,
      allocated: pool,
      unallocated: 0,
      dealerCount: 8,
    });
    expect(await count('audit_event')).toBe(before + 1);
    const lines = await allLines(draft.id, as.admin);
    expect(lines.reduce((s, l) => s + l.amount, 0)).toBe(pool);
    const by = (i: number) => lines.find((l) => l.dealer.id === dealersA[i]!.id)!;
    // Strategic by sales 7 : 8 of 40M; dealer 7 capped at 20M, dealer 6 takes the rest.
    expect(by(7)).toMatchObject({ amount: 20 * M, capped: true, cap: 20 * M });
    expect(by(6)).toMatchObject({ amount: 20 * M, capped: false });
    // Core equally, each at least its floor.
    expect([by(4).amount, by(5).amount]).toEqual([15 * M, 15 * M]);
    expect(by(4).floor).toBe(1_000_000);
    // Potential by the period's targets: 10M × 0.5 (missed 4 months running) : 4M.
    expect(by(2)).toMatchObject({ amount: 11_111_111, baseWeight: 10 * M, weight: 5 * M });
    expect(by(2).adjustments).toEqual([
      {
        reason: 'missed_target',
        factor: 0.5,
        detail: 'Missed target 4 periods running (rule: 3 or more): weight × 0.5',
      },
    ]);
    expect(by(3).amount).toBe(8_888_889);
    // Basic: both on probation, equally.
    expect(by(0).adjustments).toEqual([
      { reason: 'probation', factor: 0.5, detail: 'On probation: weight × 0.5' },
    ]);
    expect([by(0).amount, by(1).amount]).toEqual([5 * M, 5 * M]);
    expect(draft.tiers!.map((t) => t.amount)).toEqual([40 * M, 30 * M, 20 * M, 10 * M]);
  });

  it('refuses shares that do not add up to 100 % and a cap below a floor, with paths, writing nothing', async () => {
    const before = await Promise.all([count('budget_allocation'), count('budget_allocation_line')]);
    const config = percentConfig();
    config.tiers[3]!.share = 5;
    const shares = await send('POST', '/api/v1/allocations', as.admin, {
      period: '2026-09',
      pool,
      config,
    });
    expect(shares.statusCode).toBe(400);
    expect(shares.json<ErrorBody>().error.message).toBe(
      'config.tiers: The tier shares add up to 95% but must add up to exactly 100% (strategic 40, core 30, potential 20, basic 5). Adjust them so that they sum to 100.',
    );
    expect(issuesOf(shares.body).issues[0]).toMatchObject({ path: 'config.tiers', sum: 95 });
    const capped = await send('POST', '/api/v1/allocations', as.admin, {
      period: '2026-09',
      pool,
      config: percentConfig([{ dealerId: dealersA[3]!.id, floor: 2 * M, cap: M }]),
    });
    expect(capped.statusCode).toBe(400);
    expect(issuesOf(capped.body).issues).toEqual([
      expect.objectContaining({ path: 'config.dealerLimits[0].cap', dealerId: dealersA[3]!.id }),
    ]);
    expect(capped.json<ErrorBody>().error.message).toContain(
      `Dealer ${dealersA[3]!.code} (id ${dealersA[3]!.id}) has a cap of 1000000 below its floor of 2000000`,
    );
    const unknown = await send('POST', '/api/v1/allocations', as.admin, {
      period: '2026-09',
      pool,
      config: percentConfig([{ dealerId: dealersB[0]!.id, cap: M }]),
    });
    expect(issuesOf(unknown.body).issues[0]!.path).toBe('config.dealerLimits[0].dealerId');
    const noRun = await send('POST', '/api/v1/allocations', as.admin, { period: '2026-07', pool });
    expect(noRun.statusCode).toBe(400);
    expect(noRun.json<ErrorBody>().error.message).toContain('No assessment is published');
    const fund = await send('POST', '/api/v1/allocations', as.admin, {
      period: '2026-09',
      pool,
      purpose: 'market_fund',
    });
    expect(fund.json<ErrorBody>().error.message).toContain('claimDeadline');
    expect(
      await Promise.all([count('budget_allocation'), count('budget_allocation_line')]),
    ).toEqual(before);
    expect(
      (await send('POST', '/api/v1/allocations', as.manager, { period: '2026-09', pool }))
        .statusCode,
    ).toBe(403);
  });

  it('pages the lines by tier and amount, with search and a tier filter, inside the scope', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const url = `/api/v1/allocations/${draft.id}/lines?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page: AllocationLinePage = (await get(url, as.admin)).json<AllocationLinePage>();
      expect(page.total).toBe(8);
      seen.push(...page.items.map((l) => l.dealer.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([6, 7, 4, 5, 2, 3, 0, 1].map((i) => dealersA[i]!.id));
    const search = await get(
      `/api/v1/allocations/${draft.id}/lines?q=${dealersA[3]!.code}`,
      as.admin,
    );
    expect(search.json<AllocationLinePage>().items.map((l) => l.dealer.id)).toEqual([
      dealersA[3]!.id,
    ]);
    const basic = await get(`/api/v1/allocations/${draft.id}/lines?tier=basic`, as.admin);
    expect(basic.json<AllocationLinePage>().total).toBe(2);

    const manager = await get(`/api/v1/allocations/${draft.id}/lines?limit=100`, as.manager);
    const ids = manager.json<AllocationLinePage>().items.map((l) => l.dealer.id);
    expect(ids.sort()).toEqual([0, 2, 3, 4, 6, 7].map((i) => dealersA[i]!.id).sort());
    for (const i of [1, 5]) expect(manager.body).not.toContain(dealersA[i]!.code);
    const detail = (
      await get(`/api/v1/allocations/${draft.id}`, as.manager)
    ).json<AllocationDetail>();
    expect(detail).toMatchObject({ tiers: null, notes: [], dealerCount: 6 });
    expect(detail.visibleAmount).toBe(pool - 5 * M - 15 * M);
    expect((await get(`/api/v1/allocations/${draft.id}/lines`, as.dealer)).statusCode).toBe(403);
    expect((await get(`/api/v1/allocations/${draft.id}/lines`, as.adminB)).statusCode).toBe(404);
    expect((await get(`/api/v1/allocations/${draft.id}`, as.adminB)).statusCode).toBe(404);
    expect(
      (await get('/api/v1/allocations', as.adminB)).json<{ items: unknown[] }>().items,
    ).toEqual([]);
  });

  it('publishes atomically with ledger records, once per period and purpose', async () => {
    const before = await ledgerKinds();
    const res = await send('POST', `/api/v1/allocations/${draft.id}/publish`, as.admin);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<AllocationDetail>().status).toBe('published');
    const after = await ledgerKinds();
    expect(after['budget_allocation']).toBe((before['budget_allocation'] ?? 0) + 1);
    expect(after['allocation_line']).toBe((before['allocation_line'] ?? 0) + 8);
    const { rows } = await sql<{ record: string; dealer_id: number | null }>`
      select record, dealer_id from ledger_entry where tenant_id = ${a.tenantId}
        and kind in ('budget_allocation', 'allocation_line') order by idx`.execute(store.db);
    const head = JSON.parse(rows[0]!.record) as Record<string, unknown>;
    expect(head).toMatchObject({
      period: '2026-09',
      purpose: 'general',
      pool,
      allocated: pool,
      unallocated: 0,
    });
    expect(head['configDigest']).toMatch(/^[0-9a-f]{64}$/);
    expect(
      rows.slice(1).reduce((s, r) => s + (JSON.parse(r.record) as { amount: number }).amount, 0),
    ).toBe(pool);
    expect(rows.slice(1).map((r) => r.dealer_id)).toEqual(dealersA.map((d) => d.id));

    // A second draft of the same period and purpose cannot be published, nor the first discarded.
    const second = await send('POST', '/api/v1/allocations', as.admin, {
      period: '2026-09',
      pool: 10 * M,
    });
    expect(second.statusCode).toBe(201);
    const secondDraft = second.json<AllocationDetail>();
    expect(secondDraft.config).toEqual(draft.config);
    const refused = await send('POST', `/api/v1/allocations/${secondDraft.id}/publish`, as.admin);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<ErrorBody>().error.message).toContain(
      '2026-09 already has a published general allocation',
    );
    expect(await ledgerKinds()).toEqual(after);
    expect(
      (await send('POST', `/api/v1/allocations/${draft.id}/discard`, as.admin)).statusCode,
    ).toBe(409);
    const discarded = await send('POST', `/api/v1/allocations/${secondDraft.id}/discard`, as.admin);
    expect(discarded.json<AllocationDetail>().status).toBe('discarded');
    // The lines of a published allocation cannot change, even for the database owner.
    await expect(
      sql`update budget_allocation_line set amount = 0 where tenant_id = ${a.tenantId} and allocation_id = ${draft.id}`.execute(
        store.db,
      ),
    ).rejects.toThrow(/cannot be changed/);
    const list = await get('/api/v1/allocations?status=published', as.analyst);
    expect(list.json<{ items: AllocationSummary[] }>().items.map((x) => x.id)).toEqual([draft.id]);
  });

  it('compares with the previous published allocation: per tier and per dealer', async () => {
    const next = await send('POST', '/api/v1/allocations', as.admin, {
      period: '2026-10',
      pool: 110 * M,
    });
    expect(next.statusCode, next.body).toBe(201);
    const detail = next.json<AllocationDetail>();
    expect(detail.comparison.previous).toMatchObject({ id: draft.id, period: '2026-09' });
    expect(detail.comparison.tiers!.map((t) => t.tier)).toEqual([
      'strategic',
      'core',
      'potential',
      'basic',
    ]);
    for (const t of detail.comparison.tiers!) expect(t.delta).toBe(t.amount - t.previousAmount);
    expect(detail.comparison).toMatchObject({ newDealers: 0, goneDealers: 0, tierChanges: 0 });
    const lines = await allLines(detail.id, as.admin);
    for (const l of lines) {
      expect(l.previousAmount).not.toBeNull();
      expect(l.delta).toBe(l.amount - l.previousAmount!);
    }
    await send('POST', `/api/v1/allocations/${detail.id}/discard`, as.admin);
  });

  it('exports XLSX whose totals match, and CSV lines', async () => {
    const res = await get(`/api/v1/allocations/${draft.id}/export?format=xlsx`, as.admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('2026-09-general');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const tiers = workbook.getWorksheet('tiers')!;
    const lines = workbook.getWorksheet('lines')!;
    const total = tiers.getRow(tiers.rowCount).values as unknown[];
    expect(total[1]).toBe('total');
    expect(total[8]).toBe(1_000_000);
    let sum = 0;
    lines.eachRow((row, n) => {
      if (n > 1) sum += Number(row.getCell(10).value);
    });
    expect(lines.rowCount).toBe(9);
    expect(Math.round(sum * 100)).toBe(pool);
    expect(lines.getRow(1).getCell(1).value).toBe('dealer_code');

    const csv = await get(`/api/v1/allocations/${draft.id}/export?format=csv`, as.manager);
    expect(csv.statusCode).toBe(200);
    const text = csv.body.replace(/^\uFEFF/, '');
    expect(text.trim().split('\n')).toHaveLength(7);
    for (const i of [1, 5]) expect(text).not.toContain(dealersA[i]!.code);
  });

  it('reports resource ROI that reconciles with dealer_month', async () => {
    const res = await get('/api/v1/resources/roi?from=2026-09&to=2026-09', as.admin);
    expect(res.statusCode, res.body).toBe(200);
    const roi = res.json<ResourceRoi>();
    expect(roi.periods).toHaveLength(1);
    const period = roi.periods[0]!;
    const { rows } = await sql<{ sales: number; previous: number }>`
      select sum(sales_amount) filter (where month = '2026-09-01') as sales,
        sum(sales_amount) filter (where month = '2026-08-01') as previous
      from dealer_month where tenant_id = ${a.tenantId}`.execute(store.db);
    expect(period).toMatchObject({
      periodFrom: '2026-09',
      previousFrom: '2026-08',
      previousTo: '2026-08',
    });
    expect(period.total).toMatchObject({
      dealerCount: 8,
      resources: pool,
      sales: Number(rows[0]!.sales),
      previousSales: Number(rows[0]!.previous),
      lift: 19 * M,
      roi: 0.19,
      roiChange: null,
    });
    // Dealer 0 (basic) jumped from 1M to 20M: lift 19M on 5M of resources.
    expect(period.tiers.find((t) => t.tier === 'basic')).toMatchObject({
      resources: 10 * M,
      lift: 19 * M,
      roi: 1.9,
    });
    expect(roi.dealers[0]).toMatchObject({
      dealer: { id: dealersA[6]!.id },
      resources: 20 * M,
      lift: 0,
      roi: 0,
    });
    const manager = (
      await get('/api/v1/resources/roi?from=2026-09&to=2026-09', as.manager)
    ).json<ResourceRoi>();
    expect(manager.periods[0]!.total.dealerCount).toBe(6);
    expect(manager.dealerCount).toBe(6);
    const other = (
      await get('/api/v1/resources/roi?from=2026-01&to=2026-12', as.adminB)
    ).json<ResourceRoi>();
    expect(other.periods).toEqual([]);
  });

  it('credits market funds when a market fund allocation is published', async () => {
    const res = await send('POST', '/api/v1/allocations', as.admin, {
      period: '2026-09',
      pool: 8 * M,
      purpose: 'market_fund',
      claimDeadline: '2026-12-31',
      config: {
        shareUnit: 'percent',
        tiers: ['strategic', 'core', 'potential', 'basic'].map((tier) => ({
          tier,
          share: 25,
          rule: 'equal',
        })),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<AllocationDetail>().id;
    expect((await send('POST', `/api/v1/allocations/${id}/publish`, as.admin)).statusCode).toBe(
      200,
    );
    const funds = await sql<{ n: number; total: number }>`
      select count(*)::int as n, sum(amount) as total from mdf_fund
      where tenant_id = ${a.tenantId} and allocation_id = ${id}`.execute(store.db);
    expect(funds.rows[0]).toMatchObject({ n: 8 });
    expect(Number(funds.rows[0]!.total)).toBe(8 * M);
  });
});

describe('packages follow published tiers', () => {
  it('changes a dealer’s package with a newly published run, from its effective date', async () => {
    // Dealer 0 sold 20 million in 2026-09: the 2026-09 run makes it strategic from 2026-10-01.
    await publish(a.tenantId, '2026-09');
    const url = `/api/v1/dealers/${dealersA[0]!.id}/package`;
    const now = (await get(url, as.admin)).json<DealerPackage>();
    expect(now.current).toMatchObject({
      tier: 'strategic',
      period: '2026-09',
      effectiveFrom: '2026-10-01',
    });
    expect(now.current!.benefits.find((x) => x.benefit.code === 'rebate_rate')!.value).toBe(300);
    expect(now.history.map((h) => [h.tier, h.effectiveFrom])).toEqual([
      ['basic', '2026-08-01'],
      ['strategic', '2026-10-01'],
    ]);
    const before = (await get(`${url}?on=2026-09-30`, as.admin)).json<DealerPackage>();
    expect(before.current).toMatchObject({ tier: 'basic', period: '2026-08' });
    expect(before.current!.benefits.find((x) => x.benefit.code === 'rebate_rate')!.value).toBe(100);
    const portal = (
      await get('/api/v1/portal/package?on=2026-10-01', as.dealer)
    ).json<DealerPackage>();
    expect(portal.current!.tier).toBe('strategic');
    const none = (await get(`${url}?on=2026-07-31`, as.admin)).json<DealerPackage>();
    expect(none.current).toBeNull();
  });
});

async function allLines(id: number, headers: Record<string, string>) {
  const res = await get(`/api/v1/allocations/${id}/lines?limit=500`, headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<AllocationLinePage>().items;
}
