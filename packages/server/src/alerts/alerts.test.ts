import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { addMonths, monthRange } from '@tierline/core';
import {
  ImportMapping,
  type AlertDetail,
  type AlertPage,
  type DealerHealth,
  type PortalAlert,
} from '@tierline/contract';
import { buildApp } from '../app.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import type { AppUserRow } from '../db/database.js';
import { withTenant } from '../db/tenant-scope.js';
import { runImport } from '../imports/import.service.js';
import { createTestStore, unique, type TestStore } from '../test/test-store.js';
import {
  makeChannel,
  makeDealer,
  makeUser,
  sessionHeaders,
  tokenHeaders,
  type TestChannel,
} from '../test/factories.js';
import { evaluateAlerts, evaluateAllTenants } from './alert-evaluation.service.js';
import { saveRule, setRuleEnabled } from './alert-rule.service.js';

const engine = process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite';
const CLI: AuditOrigin = {
  actor: { kind: 'cli', id: null, name: 'cli:alerts-test' },
  ip: null,
  userAgent: null,
};

let store: TestStore;
let app: FastifyInstance;
let a: TestChannel;
let b: TestChannel;
const dealer = {} as Record<'gd' | 'sd' | 'sub' | 'b', { id: number; code: string }>;
const user = {} as Record<'admin' | 'manager' | 'analyst' | 'dealer' | 'adminB', AppUserRow>;

/** A rule that fires when a month's sales are below ¥500 (50,000 fen). */
const lowSales = (severity: 'warning' | 'critical' = 'warning') => ({
  code: 'low_sales',
  name: '月销售额过低',
  kind: 'threshold',
  severity,
  params: { measure: 'sales_amount', op: '<', value: 50_000, periods: 1 },
});

/** Write (or overwrite) a dealer's monthly sales; every other measure 0, target as given. */
async function setSales(
  tenantId: number,
  dealerId: number,
  sales: Record<string, number>,
  target: number | null = null,
): Promise<void> {
  for (const [month, amount] of Object.entries(sales)) {
    await sql`
      insert into dealer_month (tenant_id, dealer_id, month, sales_amount, sales_quantity,
        order_count, order_line_count, sku_count, new_product_amount, ordering_outlet_count,
        visited_outlet_count, visit_count, invoice_amount, payment_amount, target_amount,
        complaint_count, compliance_event_count, compliance_severity_points, inventory_quantity,
        inventory_value, near_expiry_value, batch_tracked_quantity, campaign_tasks_planned,
        campaign_tasks_completed)
      values (${tenantId}, ${dealerId}, ${`${month}-01`}::date, ${amount}, ${Math.round(amount / 100)},
        1, 1, 1, 0, 0, 0, 0, 0, 0, ${target}, 0, 0, 0, 0, 0, 0, 0, 0, 0)
      on conflict (tenant_id, dealer_id, month) do update set sales_amount = excluded.sales_amount,
        sales_quantity = excluded.sales_quantity, target_amount = excluded.target_amount`.execute(
      store.db,
    );
  }
}

const evaluate = (tenantId: number, asOf: string, dealerIds?: number[]) =>
  evaluateAlerts(store.db, tenantId, { asOf, origin: CLI, trigger: 'cli', dealerIds });

async function alertsOf(tenantId: number, dealerId: number) {
  return store.db
    .selectFrom('alert')
    .select([
      'id',
      'status',
      'severity',
      'month',
      'rule_code',
      'owner_user_id',
      'resolved_by',
      'cleared_at',
    ])
    .where('tenant_id', '=', tenantId)
    .where('dealer_id', '=', dealerId)
    .orderBy('id')
    .execute();
}

async function eventsOf(tenantId: number, alertId: number) {
  const rows = await store.db
    .selectFrom('alert_event')
    .select(['kind', 'actor_name'])
    .where('tenant_id', '=', tenantId)
    .where('alert_id', '=', alertId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.kind);
}

async function as(who: keyof typeof user) {
  const u = user[who];
  return sessionHeaders(store.db, u.tenant_id, u.id);
}

beforeAll(async () => {
  store = await createTestStore();
  a = await makeChannel(store.db);
  b = await makeChannel(store.db);
  const make = async (
    t: TestChannel,
    region: number,
    extra: Partial<Parameters<typeof makeDealer>[2]> = {},
  ) => {
    const code = unique('AL').toUpperCase();
    return {
      id: await makeDealer(store.db, t.tenantId, { code, region_id: region, ...extra }),
      code,
    };
  };
  dealer.gd = await make(a, a.regions.th);
  dealer.sd = await make(a, a.regions.sd);
  // A 二级 dealer in 山东 that buys from the 广东 dealer: the 广东 manager owns its alerts.
  dealer.sub = await make(a, a.regions.sd, { chain_level: 2, parent_id: dealer.gd.id });
  dealer.b = await make(b, b.regions.th);
  user.admin = await makeUser(store.db, a.tenantId, { role: 'admin' });
  user.manager = await makeUser(store.db, a.tenantId, {
    role: 'channel_manager',
    regionIds: [a.regions.gd],
  });
  user.analyst = await makeUser(store.db, a.tenantId, { role: 'analyst' });
  user.dealer = await makeUser(store.db, a.tenantId, { role: 'dealer', dealerId: dealer.gd.id });
  user.adminB = await makeUser(store.db, b.tenantId, { role: 'admin' });
  const year = monthRange('2024-07', '2025-05');
  for (const [t, d] of [
    [a, dealer.gd],
    [a, dealer.sd],
    [a, dealer.sub],
    [b, dealer.b],
  ] as const) {
    await setSales(t.tenantId, d.id, Object.fromEntries(year.map((m) => [m, 100_000])));
  }
  for (const t of [a, b]) {
    await withTenant(store.db, t.tenantId, (trx) =>
      saveRule(trx, t.tenantId, lowSales(), 'test', CLI, { kind: 'create' }),
    );
  }
  app = await buildApp({
    db: store.db,
    engine: store.engine,
    defaultTenant: a.slug,
    store,
    version: 'test',
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await store?.destroy();
});

describe(`alert lifecycle (${engine})`, () => {
  it('opens one alert per rule and dealer, owned by the manager of its region, and updates it', async () => {
    await setSales(a.tenantId, dealer.gd.id, { '2025-06': 30_000 });
    const first = await evaluate(a.tenantId, '2025-06', [dealer.gd.id]);
    expect(first).toMatchObject({ asOf: '2025-06', day: '2025-06-30', opened: 1, dealers: 1 });
    let rows = await alertsOf(a.tenantId, dealer.gd.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'open',
      severity: 'warning',
      month: '2025-06',
      owner_user_id: user.manager.id,
    });

    // The same data again: nothing changes, still one alert.
    const again = await evaluate(a.tenantId, '2025-06', [dealer.gd.id]);
    expect(again).toMatchObject({ opened: 0, updated: 0, unchanged: 1 });
    // New numbers: the alert is updated, not duplicated.
    await setSales(a.tenantId, dealer.gd.id, { '2025-06': 40_000 });
    expect(await evaluate(a.tenantId, '2025-06', [dealer.gd.id])).toMatchObject({
      opened: 0,
      updated: 1,
    });
    // A stricter version of the rule escalates it.
    await withTenant(store.db, a.tenantId, (trx) =>
      saveRule(trx, a.tenantId, lowSales('critical'), 'stricter', CLI, {
        kind: 'version',
        code: 'low_sales',
      }),
    );
    expect(await evaluate(a.tenantId, '2025-06', [dealer.gd.id])).toMatchObject({ escalated: 1 });
    rows = await alertsOf(a.tenantId, dealer.gd.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.severity).toBe('critical');
    expect(await eventsOf(a.tenantId, rows[0]!.id)).toEqual(['opened', 'updated', 'escalated']);
    // Concurrent evaluations serialise on the tenant's lock and still leave one alert.
    await Promise.all([1, 2, 3].map(() => evaluate(a.tenantId, '2025-06')));
    expect(await alertsOf(a.tenantId, dealer.gd.id)).toHaveLength(1);
  });

  it('acknowledges, comments, assigns and refuses what the status or the caller does not allow', async () => {
    const [alert] = await alertsOf(a.tenantId, dealer.gd.id);
    const post = async (who: keyof typeof user, path: string, payload: object) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/alerts/${alert!.id}/${path}`,
        headers: await as(who),
        payload,
      });
    const ack = await post('manager', 'acknowledge', { comment: '已联系经销商' });
    expect(ack.statusCode).toBe(200);
    expect(ack.json<AlertDetail>()).toMatchObject({ status: 'acknowledged' });
    expect((await post('manager', 'acknowledge', {})).statusCode).toBe(409);
    expect((await post('manager', 'comments', { text: '本周拜访' })).statusCode).toBe(200);
    // A 深圳 manager sees nothing of a 广州 dealer; tenant B's admin neither.
    const outsider = await makeUser(store.db, a.tenantId, {
      role: 'channel_manager',
      regionIds: [a.regions.sz],
    });
    const out = await app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${alert!.id}/acknowledge`,
      headers: await sessionHeaders(store.db, a.tenantId, outsider.id),
      payload: {},
    });
    expect(out.statusCode).toBe(404);
    expect((await post('adminB', 'comments', { text: 'x' })).statusCode).toBe(404);
    expect((await post('analyst', 'comments', { text: 'x' })).statusCode).toBe(403);
    // Owners: an analyst cannot own alerts, nor a manager who does not see the dealer.
    expect((await post('admin', 'assign', { ownerUserId: user.analyst.id })).statusCode).toBe(400);
    expect((await post('admin', 'assign', { ownerUserId: outsider.id })).statusCode).toBe(400);
    const assigned = await post('admin', 'assign', { ownerUserId: user.admin.id });
    expect(assigned.json<AlertDetail>().owner).toEqual({ id: user.admin.id, name: 'Test admin' });
    expect((await post('admin', 'dismiss', { reason: 'no' })).statusCode).toBe(400);
    const detail = await app.inject({
      url: `/api/v1/alerts/${alert!.id}`,
      headers: await as('analyst'),
    });
    expect(detail.json<AlertDetail>().events.map((e) => e.kind)).toEqual([
      'opened',
      'updated',
      'escalated',
      'acknowledged',
      'commented',
      'assigned',
    ]);
    expect(detail.json<AlertDetail>().series.at(-1)).toMatchObject({
      month: '2025-06',
      sales: 40_000,
    });
  });

  it('resolves by itself when the condition clears, and opens a new alert when it returns', async () => {
    const channel = await store.db
      .insertInto('notification_channel')
      .values({
        tenant_id: a.tenantId,
        name: unique('hook'),
        kind: 'webhook',
        config: JSON.stringify({ url: 'http://127.0.0.1:9/hook' }),
        secret: 'a-secret-of-the-test',
        min_severity: 'info',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await setSales(a.tenantId, dealer.gd.id, { '2025-06': 90_000 });
    const cleared = await evaluate(a.tenantId, '2025-06', [dealer.gd.id]);
    expect(cleared).toMatchObject({ resolved: 1, notices: 1 });
    const [first] = await alertsOf(a.tenantId, dealer.gd.id);
    expect(first).toMatchObject({ status: 'resolved', resolved_by: 'system' });
    expect((await eventsOf(a.tenantId, first!.id)).at(-1)).toBe('resolved');
    const deliveries = await store.db
      .selectFrom('notification_delivery')
      .select(['event', 'alert_id'])
      .where('tenant_id', '=', a.tenantId)
      .where('channel_id', '=', channel.id)
      .execute();
    expect(deliveries).toEqual([{ event: 'resolved', alert_id: first!.id }]);

    await setSales(a.tenantId, dealer.gd.id, { '2025-06': 10_000 });
    expect(await evaluate(a.tenantId, '2025-06', [dealer.gd.id])).toMatchObject({
      opened: 1,
      notices: 1,
    });
    expect((await alertsOf(a.tenantId, dealer.gd.id)).map((r) => r.status)).toEqual([
      'resolved',
      'open',
    ]);
  });

  it('keeps a dismissed condition quiet until it clears; reopens a hand-resolved alert on a later month', async () => {
    const [, second] = await alertsOf(a.tenantId, dealer.gd.id);
    const dismiss = await app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${second!.id}/dismiss`,
      headers: await as('manager'),
      payload: { reason: '经销商装修停业一个月' },
    });
    expect(dismiss.statusCode).toBe(200);
    expect(await evaluate(a.tenantId, '2025-06', [dealer.gd.id])).toMatchObject({
      opened: 0,
      unchanged: 1,
    });
    await setSales(a.tenantId, dealer.gd.id, { '2025-06': 90_000 });
    await evaluate(a.tenantId, '2025-06', [dealer.gd.id]);
    expect((await alertsOf(a.tenantId, dealer.gd.id)).at(-1)?.cleared_at).not.toBeNull();
    await setSales(a.tenantId, dealer.gd.id, { '2025-06': 10_000 });
    expect(await evaluate(a.tenantId, '2025-06', [dealer.gd.id])).toMatchObject({ opened: 1 });

    const third = (await alertsOf(a.tenantId, dealer.gd.id)).at(-1)!;
    const resolve = await app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${third.id}/resolve`,
      headers: await as('admin'),
      payload: { note: '已补货' },
    });
    expect(resolve.json<AlertDetail>()).toMatchObject({ status: 'resolved', resolution: '已补货' });
    expect(await evaluate(a.tenantId, '2025-06', [dealer.gd.id])).toMatchObject({
      opened: 0,
      reopened: 0,
    });
    await setSales(a.tenantId, dealer.gd.id, { '2025-07': 20_000 });
    expect(await evaluate(a.tenantId, '2025-07', [dealer.gd.id])).toMatchObject({ reopened: 1 });
    const rows = await alertsOf(a.tenantId, dealer.gd.id);
    expect(rows.map((r) => r.status)).toEqual(['resolved', 'dismissed', 'open']);
    expect(await eventsOf(a.tenantId, third.id)).toEqual(['opened', 'resolved', 'reopened']);
  });

  it('resolves the open alerts of a disabled rule', async () => {
    await setSales(a.tenantId, dealer.sd.id, { '2025-07': 10_000 });
    await evaluate(a.tenantId, '2025-07');
    expect((await alertsOf(a.tenantId, dealer.sd.id)).at(-1)?.status).toBe('open');
    await withTenant(store.db, a.tenantId, (trx) =>
      setRuleEnabled(trx, a.tenantId, 'low_sales', false, '', CLI),
    );
    const result = await evaluate(a.tenantId, '2025-07');
    expect(result.resolved).toBeGreaterThanOrEqual(2);
    expect((await alertsOf(a.tenantId, dealer.sd.id)).at(-1)?.status).toBe('resolved');
    await withTenant(store.db, a.tenantId, (trx) =>
      setRuleEnabled(trx, a.tenantId, 'low_sales', true, '', CLI),
    );
    await evaluate(a.tenantId, '2025-07');
  });
});

describe(`the board, scope and the portal (${engine})`, () => {
  beforeAll(async () => {
    await setSales(a.tenantId, dealer.sub.id, { '2025-07': 5_000 });
    await setSales(b.tenantId, dealer.b.id, { '2025-07': 5_000 });
    await evaluate(a.tenantId, '2025-07');
    await evaluate(b.tenantId, '2025-07');
  });

  it('lists what the caller may see, with totals per severity and status', async () => {
    const list = async (who: keyof typeof user, query = '') =>
      (
        await app.inject({ url: `/api/v1/alerts${query}`, headers: await as(who) })
      ).json<AlertPage>();
    const admin = await list('admin', '?status=active');
    expect(new Set(admin.items.map((i) => i.dealer.code))).toEqual(
      new Set([dealer.gd.code, dealer.sd.code, dealer.sub.code]),
    );
    expect(admin.totals.status.open).toBe(3);
    expect(admin.totals.status.resolved).toBeGreaterThan(0);
    const manager = await list('manager', '?status=active');
    expect(manager.items.map((i) => i.dealer.code).sort()).toEqual(
      [dealer.gd.code, dealer.sub.code].sort(),
    );
    expect(manager.items.find((i) => i.dealer.code === dealer.sub.code)?.owner?.id).toBe(
      user.manager.id,
    );
    expect((await list('manager', '?owner=me&status=active')).total).toBeGreaterThanOrEqual(1);
    expect(
      (await list('admin', '?region=370000&status=active')).items.map((i) => i.dealer.code).sort(),
    ).toEqual([dealer.sd.code, dealer.sub.code].sort());
    expect((await list('admin', `?dealer=${dealer.b.id}`)).total).toBe(0);
    const adminB = await list('adminB');
    expect(adminB.items.map((i) => i.dealer.code)).toEqual([dealer.b.code]);
    const token = await app.inject({
      url: '/api/v1/alerts',
      headers: await tokenHeaders(store.db, a.tenantId, 'read'),
    });
    expect(token.statusCode).toBe(200);
    // Keyset paging walks every alert once.
    const seen: number[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await list('admin', `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    }
    expect(seen.length).toBe((await list('admin')).total);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('shows a dealer its own open alerts in the portal, without owner or comments, and its health', async () => {
    const portal = await app.inject({ url: '/api/v1/portal/alerts', headers: await as('dealer') });
    const items = portal.json<{ items: PortalAlert[] }>().items;
    expect(items.length).toBeGreaterThan(0);
    expect(portal.body).not.toContain(user.manager.display_name);
    expect(portal.body).not.toContain('本周拜访');
    expect(Object.keys(items[0]!).sort()).toEqual([
      'id',
      'month',
      'openedAt',
      'severity',
      'status',
      'summary',
      'title',
      'titleEn',
    ]);
    const health = await app.inject({
      url: `/api/v1/dealers/${dealer.gd.id}/health`,
      headers: await as('manager'),
    });
    expect(health.json<DealerHealth>()).toMatchObject({
      band: 'red',
      dealer: { code: dealer.gd.code },
    });
    const hidden = await app.inject({
      url: `/api/v1/dealers/${dealer.sd.id}/health`,
      headers: await as('manager'),
    });
    expect(hidden.statusCode).toBe(404);
    const other = await app.inject({
      url: `/api/v1/dealers/${dealer.b.id}/health`,
      headers: await as('admin'),
    });
    expect(other.statusCode).toBe(404);
  });
});

describe(`rules over the API (${engine})`, () => {
  it('creates, versions, disables and previews rules; explains a bad document by its paths', async () => {
    const headers = await as('admin');
    const code = `api_${unique('r').slice(2)}`;
    const document = { ...lowSales(), code };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts/rules',
      headers,
      payload: { document },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code, version: 1, document: { enabled: true } });
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts/rules',
      headers,
      payload: { document },
    });
    expect(again.statusCode).toBe(409);
    const bad = await app.inject({
      method: 'POST',
      url: `/api/v1/alerts/rules/${code}/versions`,
      headers,
      payload: { document: { ...document, params: { measure: 'happiness', op: '<', value: 1 } } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: { code: 'validation_failed', details: { issues: [{ path: 'params.measure' }] } },
    });
    const disabled = await app.inject({
      method: 'PATCH',
      url: `/api/v1/alerts/rules/${code}`,
      headers,
      payload: { enabled: false },
    });
    expect(disabled.json()).toMatchObject({ version: 2, document: { enabled: false } });
    const versions = await app.inject({
      url: `/api/v1/alerts/rules/${code}`,
      headers: await as('analyst'),
    });
    expect(versions.json<{ items: { version: number }[] }>().items.map((v) => v.version)).toEqual([
      2, 1,
    ]);
    const list = await app.inject({ url: '/api/v1/alerts/rules', headers: await as('manager') });
    expect(list.json<{ items: { code: string; enabled: boolean }[] }>().items).toContainEqual(
      expect.objectContaining({ code, enabled: false }),
    );

    // What the rule would have raised month by month, writing nothing.
    const before = await store.db
      .selectFrom('alert')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const preview = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts/rules/preview',
      headers,
      payload: { document, from: '2025-05', to: '2025-07' },
    });
    expect(preview.statusCode).toBe(200);
    const months = preview.json<{
      months: { month: string; raised: number; dealers: { code: string }[] }[];
    }>().months;
    expect(months.map((m) => m.month)).toEqual(['2025-05', '2025-06', '2025-07']);
    expect(months[0]?.raised).toBe(0);
    expect(months[2]?.dealers.map((d) => d.code)).toContain(dealer.sd.code);
    const after = await store.db
      .selectFrom('alert')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    const tooLong = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts/rules/preview',
      headers,
      payload: { document, from: '2020-01', to: '2025-07' },
    });
    expect(tooLong.statusCode).toBe(400);
    const catalogue = await app.inject({ url: '/api/v1/alerts/rules/catalogue', headers });
    expect(
      catalogue.json<{ defaults: unknown[]; measures: { key: string }[] }>().defaults,
    ).toHaveLength(9);
  });
});

describe(`evaluation after imports (${engine})`, () => {
  it('raises an alert from an import of new facts and resolves it with a later import, with no manual step', async () => {
    const t = await makeChannel(store.db);
    const code = unique('IMP').toUpperCase();
    const id = await makeDealer(store.db, t.tenantId, { code, region_id: t.regions.th });
    await withTenant(store.db, t.tenantId, (trx) =>
      saveRule(
        trx,
        t.tenantId,
        {
          code: 'target_miss',
          name: '未达成目标',
          kind: 'missed_target',
          severity: 'warning',
          params: { periods: 1, below: 0.9, overall: 0.9, seasonal: false },
        },
        '',
        CLI,
        { kind: 'create' },
      ),
    );
    const load = (kind: 'targets' | 'order_lines', csv: string) =>
      runImport(store, {
        tenantId: t.tenantId,
        mapping: ImportMapping.parse({ kind }),
        fileName: `${kind}.csv`,
        input: Readable.from([Buffer.from(csv)]),
        origin: CLI,
        source: 'file',
      });
    const month = addMonths(new Date().toISOString().slice(0, 7), -2);
    expect(
      (await load('targets', `dealer_code,month,amount\n${code},${month},10000.00\n`)).outcome,
    ).toBe('applied');
    // A target and no sales yet: already a miss.
    expect(await alertsOf(t.tenantId, id)).toMatchObject([{ status: 'open', month }]);
    const first = await load(
      'order_lines',
      `order_no,line_no,dealer_code,sku,ordered_on,quantity,unit_price,amount\nSO-1,1,${code},SKU-1,${month}-10,100,30.00,3000.00\n`,
    );
    expect(first.outcome).toBe('applied');
    let rows = await alertsOf(t.tenantId, id);
    expect(rows).toMatchObject([{ status: 'open', rule_code: 'target_miss', month }]);
    await load(
      'order_lines',
      `order_no,line_no,dealer_code,sku,ordered_on,quantity,unit_price,amount\nSO-2,1,${code},SKU-3,${month}-20,120,60.00,7200.00\n`,
    );
    rows = await alertsOf(t.tenantId, id);
    expect(rows).toMatchObject([{ status: 'resolved', resolved_by: 'system' }]);
    expect(await eventsOf(t.tenantId, rows[0]!.id)).toEqual(['opened', 'updated', 'resolved']);
    const audit = await store.db
      .selectFrom('audit_event')
      .select('action')
      .where('tenant_id', '=', t.tenantId)
      .where('action', '=', 'alerts.evaluated')
      .execute();
    expect(audit).toHaveLength(3);
  });

  it('the scheduled evaluation installs the default rules of a tenant that has none', async () => {
    const t = await makeChannel(store.db);
    const d = await makeDealer(store.db, t.tenantId, { region_id: t.regions.th });
    await setSales(t.tenantId, d, { '2025-01': 100_000 });
    const results = await evaluateAllTenants(store.db);
    expect(results.find((r) => r.tenantId === t.tenantId)?.result).toMatchObject({
      rules: 9,
      dealers: 1,
    });
    const rules = await store.db
      .selectFrom('alert_rule')
      .select('code')
      .where('tenant_id', '=', t.tenantId)
      .execute();
    expect(rules.map((r) => r.code)).toContain('sales_decline');
  });
});
