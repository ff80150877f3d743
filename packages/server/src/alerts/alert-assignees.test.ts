import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AlertAssigneeList, AlertDetail, ErrorBody } from '@tierline/contract';
import { buildApp } from '../app.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import type { AppUserRow } from '../db/database.js';
import { withTenant } from '../db/tenant-scope.js';
import { createTestStore, unique, type TestStore } from '../test/test-store.js';
import {
  makeChannel,
  makeDealer,
  makeUser,
  sessionHeaders,
  tokenHeaders,
  type TestChannel,
} from '../test/factories.js';
import { saveRule } from './alert-rule.service.js';

const engine = process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite';
const CLI: AuditOrigin = {
  actor: { kind: 'cli', id: null, name: 'cli:assignees-test' },
  ip: null,
  userAgent: null,
};

let store: TestStore;
let app: FastifyInstance;
let a: TestChannel;
let b: TestChannel;
const dealer = {} as Record<'gd' | 'sz' | 'sd' | 'sub' | 'b', number>;
const user = {} as Record<
  | 'admin'
  | 'disabledAdmin'
  | 'managerGd'
  | 'managerSz'
  | 'managerSd'
  | 'managerNone'
  | 'analyst'
  | 'dealer'
  | 'adminB'
  | 'managerB',
  AppUserRow
>;

async function get(who: keyof typeof user, dealerId?: number) {
  const u = user[who];
  return app.inject({
    url: `/api/v1/alerts/assignees${dealerId === undefined ? '' : `?dealerId=${dealerId}`}`,
    headers: await sessionHeaders(store.db, u.tenant_id, u.id),
  });
}

async function listed(who: keyof typeof user, dealerId?: number): Promise<number[]> {
  const response = await get(who, dealerId);
  expect(response.statusCode, response.body).toBe(200);
  return response
    .json<AlertAssigneeList>()
    .items.map((i) => i.id)
    .sort((x, y) => x - y);
}

const ids = (...who: (keyof typeof user)[]) => who.map((w) => user[w].id).sort((x, y) => x - y);

/** An open alert of the dealer under a disabled rule of its own. */
async function openAlert(tenantId: number, dealerId: number): Promise<number> {
  const code = `assignees_${unique('r').slice(2)}`;
  const rule = await withTenant(store.db, tenantId, (trx) =>
    saveRule(
      trx,
      tenantId,
      {
        code,
        name: '分配测试',
        kind: 'threshold',
        severity: 'warning',
        enabled: false,
        params: { measure: 'sales_amount', op: '<', value: 0, periods: 1 },
      },
      'test',
      CLI,
      { kind: 'create' },
    ),
  );
  const row = await store.db
    .insertInto('alert')
    .values({
      tenant_id: tenantId,
      rule_id: rule.id,
      rule_code: code,
      rule_version: rule.version,
      kind: 'threshold',
      dealer_id: dealerId,
      status: 'open',
      severity: 'warning',
      title: '分配测试',
      title_en: 'Assign test',
      month: '2025-06',
      evidence: JSON.stringify({
        summary: { zh: '测试', en: 'test' },
        measure: null,
        points: [],
        items: [],
      }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  store = await createTestStore();
  a = await makeChannel(store.db);
  b = await makeChannel(store.db);
  dealer.gd = await makeDealer(store.db, a.tenantId, { region_id: a.regions.th });
  dealer.sz = await makeDealer(store.db, a.tenantId, { region_id: a.regions.ns });
  dealer.sd = await makeDealer(store.db, a.tenantId, { region_id: a.regions.sd });
  // A 二级 dealer in 山东 buying from the 广东 dealer: the 广东 manager sees it too.
  dealer.sub = await makeDealer(store.db, a.tenantId, {
    region_id: a.regions.sd,
    chain_level: 2,
    parent_id: dealer.gd,
  });
  dealer.b = await makeDealer(store.db, b.tenantId, { region_id: b.regions.th });

  user.admin = await makeUser(store.db, a.tenantId, { role: 'admin' });
  user.disabledAdmin = await makeUser(store.db, a.tenantId, { role: 'admin' });
  await store.db
    .updateTable('app_user')
    .set({ status: 'disabled' })
    .where('tenant_id', '=', a.tenantId)
    .where('id', '=', user.disabledAdmin.id)
    .execute();
  const manager = (regionIds: number[]) =>
    makeUser(store.db, a.tenantId, { role: 'channel_manager', regionIds });
  user.managerGd = await manager([a.regions.gd]);
  user.managerSz = await manager([a.regions.sz]);
  user.managerSd = await manager([a.regions.sd]);
  user.managerNone = await manager([]);
  user.analyst = await makeUser(store.db, a.tenantId, { role: 'analyst' });
  user.dealer = await makeUser(store.db, a.tenantId, { role: 'dealer', dealerId: dealer.gd });
  user.adminB = await makeUser(store.db, b.tenantId, { role: 'admin' });
  user.managerB = await makeUser(store.db, b.tenantId, {
    role: 'channel_manager',
    regionIds: [b.regions.gd],
  });
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

describe(`who may own an alert (${engine})`, () => {
  it("lists the tenant's active users who may manage alerts, never another tenant's", async () => {
    const everyone = ids('admin', 'managerGd', 'managerSz', 'managerSd', 'managerNone');
    expect(await listed('admin')).toEqual(everyone);
    expect(await listed('managerGd')).toEqual(everyone);
    expect(await listed('adminB')).toEqual(ids('adminB', 'managerB'));
    // Names and roles only: no login leaves the server.
    const body = (await get('admin')).json<AlertAssigneeList>();
    expect(body.items.find((i) => i.id === user.managerGd.id)).toEqual({
      id: user.managerGd.id,
      name: 'Test channel_manager',
      role: 'channel_manager',
    });
    expect(JSON.stringify(body)).not.toContain(user.managerGd.login);
  });

  it('keeps to the managers whose regions cover the dealer', async () => {
    // 天河区 is under 广东省 (managerGd), not under 深圳市 or 山东省.
    expect(await listed('admin', dealer.gd)).toEqual(ids('admin', 'managerGd'));
    // 南山区 is under 深圳市 and 广东省.
    expect(await listed('admin', dealer.sz)).toEqual(ids('admin', 'managerGd', 'managerSz'));
    expect(await listed('admin', dealer.sd)).toEqual(ids('admin', 'managerSd'));
    // The 山东 sub-dealer of a 广东 一级 dealer is in both managers' scope.
    expect(await listed('admin', dealer.sub)).toEqual(ids('admin', 'managerGd', 'managerSd'));
    // A manager asks about a dealer of its own scope and gets every eligible owner of it.
    expect(await listed('managerGd', dealer.sz)).toEqual(ids('admin', 'managerGd', 'managerSz'));
  });

  it('answers not-found for a dealer outside the caller’s scope or tenant', async () => {
    expect((await get('managerGd', dealer.sd)).statusCode).toBe(404);
    expect((await get('adminB', dealer.gd)).statusCode).toBe(404);
    expect((await get('admin', dealer.b)).statusCode).toBe(404);
    expect((await get('admin', 0)).statusCode).toBe(400);
  });

  it('refuses callers who may not manage alerts', async () => {
    for (const who of ['analyst', 'dealer'] as const) {
      const response = await get(who);
      expect(response.statusCode).toBe(403);
      expect(response.json<ErrorBody>().error.code).toBe('forbidden');
    }
    const token = await app.inject({
      url: '/api/v1/alerts/assignees',
      headers: await tokenHeaders(store.db, a.tenantId, 'read'),
    });
    expect(token.statusCode).toBe(403);
  });

  it('assigns exactly the users it lists for the dealer, and refuses the rest clearly', async () => {
    const headers = await sessionHeaders(store.db, a.tenantId, user.admin.id);
    for (const dealerId of [dealer.gd, dealer.sub]) {
      const eligible = new Set(await listed('admin', dealerId));
      for (const [who, u] of Object.entries(user)) {
        const alertId = await openAlert(a.tenantId, dealerId);
        const response = await app.inject({
          method: 'POST',
          url: `/api/v1/alerts/${alertId}/assign`,
          headers,
          payload: { ownerUserId: u.id },
        });
        if (eligible.has(u.id)) {
          expect(response.statusCode, `${who} owns ${dealerId}`).toBe(200);
          expect(response.json<AlertDetail>().owner?.id).toBe(u.id);
        } else {
          expect(response.statusCode, `${who} refused for ${dealerId}`).toBe(400);
          const { error } = response.json<ErrorBody>();
          expect(error.code).toBe('validation_failed');
          expect(error.message).toMatch(/cannot own this alert/);
          expect(error.details).toEqual({ field: 'ownerUserId', value: u.id });
        }
      }
    }
  });
});
