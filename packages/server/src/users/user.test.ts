import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import type {
  ApiToken,
  ApiTokenList,
  AuditPage,
  CreatedApiToken,
  ErrorBody,
  User,
  UserList,
} from '@tierline/contract';
import { buildApp } from '../app.js';
import { createTestStore, type TestStore } from '../test/test-store.js';
import {
  makeChannel,
  makeDealer,
  makeUser,
  sessionHeaders,
  type TestChannel,
} from '../test/factories.js';
import { neutralizeCell } from '../export/table-export.js';

let store: TestStore;
let app: FastifyInstance;
let channel: TestChannel;
let admin: Record<string, string>;
let adminId: number;
let dealerCode: string;

beforeAll(async () => {
  store = await createTestStore();
  channel = await makeChannel(store.db);
  const dealerId = await makeDealer(store.db, channel.tenantId, {
    region_id: channel.regions.th,
    code: 'GZ-7',
  });
  dealerCode = 'GZ-7';
  expect(dealerId).toBeGreaterThan(0);
  const row = await makeUser(store.db, channel.tenantId, { role: 'admin', login: 'root' });
  adminId = row.id;
  admin = await sessionHeaders(store.db, channel.tenantId, row.id);
  app = await buildApp({
    db: store.db,
    engine: store.engine,
    defaultTenant: channel.slug,
    version: 'test',
  });
});
afterAll(async () => {
  await app.close();
  await store.destroy();
});

function post(url: string, payload: unknown) {
  return app.inject({ method: 'POST', url, headers: admin, payload: payload as object });
}
function patch(url: string, payload: unknown) {
  return app.inject({ method: 'PATCH', url, headers: admin, payload: payload as object });
}

describe('users', () => {
  it('creates users of every role with their scope, and never shows a password hash', async () => {
    const manager = await post('/api/v1/users', {
      login: 'Chen@Example.com',
      displayName: '陈经理',
      role: 'channel_manager',
      password: 'manager password',
      regionCodes: ['440000'],
    });
    expect(manager.statusCode).toBe(201);
    expect(manager.json<User>()).toMatchObject({
      login: 'chen@example.com',
      role: 'channel_manager',
      status: 'active',
      regions: [{ code: '440000', name: '广东省' }],
      dealer: null,
      lockedUntil: null,
    });
    const dealer = await post('/api/v1/users', {
      login: 'gz7',
      displayName: '广州七号',
      role: 'dealer',
      password: 'dealer password',
      dealerCode,
    });
    expect(dealer.statusCode).toBe(201);
    expect(dealer.json<User>().dealer).toMatchObject({ code: dealerCode });

    const list = (await app.inject({ url: '/api/v1/users', headers: admin })).json<UserList>();
    expect(list.items.map((u) => u.login)).toEqual(['chen@example.com', 'gz7', 'root']);
    expect(JSON.stringify(list)).not.toMatch(/scrypt|password/i);

    const audit = (
      await app.inject({ url: '/api/v1/audit?action=user.create', headers: admin })
    ).json<AuditPage>();
    expect(audit.items.map((e) => e.entity.id)).toEqual([
      String(dealer.json<User>().id),
      String(manager.json<User>().id),
    ]);
    expect(audit.items[0]?.actor).toEqual({ kind: 'user', id: adminId, name: 'root' });
    expect(JSON.stringify(audit)).not.toMatch(/scrypt|dealer password/);
  });

  it.each([
    [{ role: 'channel_manager' }, /needs at least one region/],
    [{ role: 'channel_manager', regionCodes: ['999999'] }, /Unknown region code: 999999/],
    [{ role: 'dealer' }, /needs its dealer/],
    [{ role: 'dealer', dealerCode: 'NOPE' }, /Unknown dealer code: NOPE/],
    [{ role: 'analyst', dealerCode: 'GZ-7' }, /has no dealer/],
    [{ role: 'admin', regionCodes: ['440000'] }, /has no regions/],
    [{ role: 'analyst', password: 'short' }, /at least 10 characters/],
    [{ role: 'analyst', login: 'has space' }, /letters, digits/],
    [{ role: 'boss' }, /role/],
  ])('refuses %j with a clear message', async (fields, message) => {
    const response = await post('/api/v1/users', {
      login: 'someone',
      displayName: 'Someone',
      password: 'long enough password',
      ...fields,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.message).toMatch(message);
    const list = (await app.inject({ url: '/api/v1/users', headers: admin })).json<UserList>();
    expect(list.items.map((u) => u.login)).not.toContain('someone');
  });

  it('refuses a login that is taken', async () => {
    const response = await post('/api/v1/users', {
      login: 'ROOT',
      displayName: 'Another root',
      role: 'analyst',
      password: 'long enough password',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json<ErrorBody>().error.message).toBe(
      'A user with login "root" already exists.',
    );
  });

  it('keeps the last active admin', async () => {
    const demote = await patch(`/api/v1/users/${adminId}`, { role: 'analyst' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json<ErrorBody>().error.message).toMatch(/last active admin/);
    const disable = await patch(`/api/v1/users/${adminId}`, { status: 'disabled' });
    expect(disable.statusCode).toBe(409);
  });

  it('changes a role with its scope, and records before and after', async () => {
    const user = await makeUser(store.db, channel.tenantId, { role: 'analyst', login: 'he' });
    const changed = await patch(`/api/v1/users/${user.id}`, {
      role: 'channel_manager',
      regionCodes: ['370000'],
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<User>().regions).toEqual([{ code: '370000', name: '山东省' }]);
    const back = await patch(`/api/v1/users/${user.id}`, { role: 'analyst' });
    expect(back.json<User>()).toMatchObject({ role: 'analyst', regions: [] });
    const audit = (
      await app.inject({ url: `/api/v1/audit?entityType=user&entityId=${user.id}`, headers: admin })
    ).json<AuditPage>();
    expect(audit.items[0]?.before).toMatchObject({ role: 'channel_manager' });
    expect(audit.items[0]?.after).toMatchObject({ role: 'analyst' });
    expect((await patch('/api/v1/users/987654', { displayName: 'x' })).statusCode).toBe(404);
  });
});

describe('API tokens', () => {
  it('are shown once, work as bearer tokens within their scope, and stop when revoked', async () => {
    const created = await post('/api/v1/tokens', { name: 'SAP connector', scope: 'read' });
    expect(created.statusCode).toBe(201);
    const { token, secret } = created.json<CreatedApiToken>();
    expect(secret).toMatch(new RegExp(`^tl_${channel.tenantId}_[A-Za-z0-9_-]{43}$`));
    expect(secret.startsWith(token.prefix)).toBe(true);

    const list = (await app.inject({ url: '/api/v1/tokens', headers: admin })).json<ApiTokenList>();
    expect(JSON.stringify(list)).not.toContain(secret.slice(token.prefix.length));

    const bearer = { authorization: `Bearer ${secret}` };
    expect((await app.inject({ url: '/api/v1/dealers', headers: bearer })).statusCode).toBe(200);
    const denied = await app.inject({ url: '/api/v1/users', headers: bearer });
    expect(denied.statusCode).toBe(403);
    expect(denied.json<ErrorBody>().error.message).toBe(
      'A read token may not do this (it needs users:manage).',
    );
    const used = (await app.inject({ url: '/api/v1/tokens', headers: admin })).json<ApiTokenList>();
    expect(used.items.find((t) => t.id === token.id)?.lastUsedAt).not.toBeNull();

    const revoked = await app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${token.id}`,
      headers: admin,
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json<ApiToken>().revokedAt).not.toBeNull();
    const after = await app.inject({ url: '/api/v1/dealers', headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(after.json<ErrorBody>().error.message).toMatch(/revoked/);
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${token.id}`,
      headers: admin,
    });
    expect(again.statusCode).toBe(409);

    const audit = (
      await app.inject({ url: '/api/v1/audit?action=token.&limit=10', headers: admin })
    ).json<AuditPage>();
    expect(audit.items.map((e) => e.action)).toEqual(['token.revoke', 'token.create']);
    expect(JSON.stringify(audit)).not.toContain(secret.slice(token.prefix.length));
  });

  it('expire', async () => {
    const created = (
      await post('/api/v1/tokens', { name: 'short-lived', scope: 'ingest', expiresInDays: 1 })
    ).json<CreatedApiToken>();
    await store.db
      .updateTable('api_token')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', created.token.id)
      .execute();
    const response = await app.inject({
      url: '/api/v1/tenant',
      headers: { authorization: `Bearer ${created.secret}` },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('audit trail', () => {
  it('pages newest first with a cursor', async () => {
    const first = (
      await app.inject({ url: '/api/v1/audit?limit=2', headers: admin })
    ).json<AuditPage>();
    expect(first.items).toHaveLength(2);
    expect(first.total).toBeGreaterThan(4);
    const second = (
      await app.inject({ url: `/api/v1/audit?limit=2&cursor=${first.nextCursor}`, headers: admin })
    ).json<AuditPage>();
    const ids = [...first.items, ...second.items].map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(4);
  });

  it('exports CSV and XLSX with formula-like cells neutralised', async () => {
    // A failed sign-in records the login as typed: here, a formula.
    const attempt = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { login: '=cmd|calc!a0', password: 'whatever it is' },
    });
    expect(attempt.statusCode).toBe(401);
    const query = 'action=session.sign_in_failed&actor=%3Dcmd%7Ccalc!a0';
    const csv = await app.inject({
      url: `/api/v1/audit/export?format=csv&${query}`,
      headers: admin,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="audit-.*\.csv"/);
    const lines = csv.body.split('\r\n').length > 1 ? csv.body.split('\r\n') : csv.body.split('\n');
    expect(lines[0]).toBe(
      '\uFEFFat,actor_kind,actor,action,entity_type,entity_id,ip,user_agent,before,after',
    );
    expect(lines[1]?.split(',').slice(1, 4)).toEqual([
      'anonymous',
      "'=cmd|calc!a0",
      'session.sign_in_failed',
    ]);

    const xlsx = await app.inject({
      url: `/api/v1/audit/export?format=xlsx&${query}`,
      headers: admin,
    });
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const row = workbook.getWorksheet('audit')?.getRow(2);
    expect(row?.getCell(3).value).toBe("'=cmd|calc!a0");
    expect(row?.getCell(4).value).toBe('session.sign_in_failed');
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+86 138', "'+86 138"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['广州', '广州'],
    [-5, -5],
    [null, null],
  ])('neutralises %j as %j', (cell, expected) => {
    expect(neutralizeCell(cell)).toBe(expected);
  });
});
