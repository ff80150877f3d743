import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type {
  ErrorBody,
  NotificationChannel,
  NotificationChannelList,
  NotificationDelivery,
  NotificationDeliveryPage,
} from '@tierline/contract';
import { buildApp } from '../app.js';
import { requestLogOptions } from '../server.js';
import { withTenant } from '../db/tenant-scope.js';
import { createTestStore, unique, type TestStore } from '../test/test-store.js';
import { unseal } from './sealed.js';
import {
  makeChannel,
  makeDealer,
  makeUser,
  sessionHeaders,
  tokenHeaders,
  type TestChannel,
} from '../test/factories.js';
import { enqueueAlertNotices, type AlertNotice } from './notification.service.js';

/** The notifications API: channels with write-only secrets, the delivery log, test and retry. */

const engine = process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite';
const SECRET = 'SEC-route-test-signing-secret';
const TOKEN = 'access-token-0123456789';

let store: TestStore;
let app: FastifyInstance;
let a: TestChannel;
let b: TestChannel;
let admin: Record<string, string>;
let adminB: Record<string, string>;
let manager: Record<string, string>;
let analyst: Record<string, string>;
let readToken: Record<string, string>;
let dealerId: number;
let base: string;
let server: http.Server;
const logLines: string[] = [];
let answers = 0;

function notice(id: number): AlertNotice {
  return {
    event: 'opened',
    alert: {
      id,
      rule: 'missed-target',
      ruleName: '连续三个月未达标',
      severity: 'warning',
      status: 'open',
      dealer: { id: dealerId, code: 'GD001', name: '广州天河食品', region: '440106' },
      owner: null,
      title: '连续三个月未完成目标',
      summary: '目标完成率 72%、68%、65%。',
      openedAt: '2026-03-01T00:00:00.000Z',
    },
  };
}

async function post<T>(url: string, headers: Record<string, string>, payload?: unknown) {
  const response = await app.inject({ method: 'POST', url, headers, payload: payload as object });
  return { status: response.statusCode, body: response.json<T>(), text: response.body };
}

beforeAll(async () => {
  process.env['TIERLINE_NOTIFY_ALLOW_PRIVATE'] = '1';
  store = await createTestStore();
  a = await makeChannel(store.db);
  b = await makeChannel(store.db);
  dealerId = await makeDealer(store.db, a.tenantId, { code: 'GD001', region_id: a.regions.th });
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  app = await buildApp({
    db: store.db,
    engine: store.engine,
    store,
    defaultTenant: a.slug,
    version: 'test',
    logger: { ...requestLogOptions(stream), level: 'debug' },
  });
  admin = await sessionHeaders(
    store.db,
    a.tenantId,
    (await makeUser(store.db, a.tenantId, { role: 'admin' })).id,
  );
  adminB = await sessionHeaders(
    store.db,
    b.tenantId,
    (await makeUser(store.db, b.tenantId, { role: 'admin' })).id,
  );
  manager = await sessionHeaders(
    store.db,
    a.tenantId,
    (await makeUser(store.db, a.tenantId, { role: 'channel_manager', regionIds: [a.regions.gd] }))
      .id,
  );
  analyst = await sessionHeaders(
    store.db,
    a.tenantId,
    (await makeUser(store.db, a.tenantId, { role: 'analyst' })).id,
  );
  readToken = await tokenHeaders(store.db, a.tenantId, 'read');
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      answers++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await store?.destroy();
  delete process.env['TIERLINE_NOTIFY_ALLOW_PRIVATE'];
});

describe(`notifications API (${engine})`, () => {
  let channel: NotificationChannel;

  it('creates a channel: the secret is write-only and the robot token masked', async () => {
    const created = await post<NotificationChannel>('/api/v1/notifications/channels', admin, {
      name: '华南大区钉钉群',
      kind: 'dingtalk',
      config: { url: `${base}/robot/send?access_token=${TOKEN}` },
      secret: SECRET,
      minSeverity: 'warning',
      regionCodes: ['440000'],
    });
    expect(created.status).toBe(201);
    channel = created.body;
    expect(channel).toMatchObject({
      name: '华南大区钉钉群',
      kind: 'dingtalk',
      hasSecret: true,
      minSeverity: 'warning',
      events: ['opened', 'escalated', 'resolved'],
      regionCodes: ['440000'],
      enabled: true,
    });
    expect(channel.kind === 'dingtalk' && channel.config.url).toBe(
      `${base}/robot/send?access_token=acce…`,
    );
    expect(created.text).not.toContain(SECRET);
    expect(created.text).not.toContain(TOKEN);
    const list = await app.inject({ url: '/api/v1/notifications/channels', headers: admin });
    expect(list.json<NotificationChannelList>().items.map((c) => c.id)).toEqual([channel.id]);
    expect(list.body).not.toContain(SECRET);
    expect(list.body).not.toContain(TOKEN);
    // The audit trail holds the channel as answers show it.
    const audit = await store.db
      .selectFrom('audit_event')
      .select(['action', 'after'])
      .where('tenant_id', '=', a.tenantId)
      .where('entity_type', '=', 'notification_channel')
      .execute();
    expect(audit.map((e) => e.action)).toEqual(['notification_channel.create']);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(JSON.stringify(audit)).not.toContain(TOKEN);
  });

  it('refuses bad input with the field path and writes nothing', async () => {
    const before = await store.db.selectFrom('notification_channel').select('id').execute();
    const cases: [unknown, RegExp][] = [
      [{ name: 'x', kind: 'webhook', config: { url: 'ftp://example.com' } }, /config\.url/],
      [
        { name: 'x', kind: 'email', config: { host: 'smtp.example.com', from: 'nope', to: [] } },
        /config\.from|config\.to/,
      ],
      [{ name: 'x', kind: 'sms', config: {} }, /kind/],
      [{ name: '', kind: 'webhook', config: { url: 'https://example.com' } }, /name/],
      [
        { name: 'x', kind: 'webhook', config: { url: 'https://example.com' }, events: [] },
        /events/,
      ],
      [{ name: 'x', kind: 'webhook', config: { url: 'https://example.com', extra: 1 } }, /config/],
    ];
    for (const [payload, path] of cases) {
      const response = await post<ErrorBody>('/api/v1/notifications/channels', admin, payload);
      expect(response.status, JSON.stringify(payload)).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.message).toMatch(path);
    }
    const duplicate = await post<ErrorBody>('/api/v1/notifications/channels', admin, {
      name: '华南大区钉钉群',
      kind: 'webhook',
      config: { url: 'https://example.com/hook' },
    });
    expect(duplicate.status).toBe(409);
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/notifications/channels/${channel.id}`,
      headers: admin,
      payload: { config: { url: 'javascript:alert(1)' } },
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json<ErrorBody>().error.message).toMatch(/^config\.url/);
    expect(await store.db.selectFrom('notification_channel').select('id').execute()).toEqual(
      before,
    );
  });

  it('changes a channel: a masked URL sent back keeps the stored one; credentials are stored sealed; null clears the secret', async () => {
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/notifications/channels/${channel.id}`,
      headers: admin,
      payload: { config: channel.config, minSeverity: 'info', regionCodes: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json<NotificationChannel>()).toMatchObject({
      minSeverity: 'info',
      regionCodes: null,
      hasSecret: true,
    });
    const stored = await store.db
      .selectFrom('notification_channel')
      .select(['config', 'secret'])
      .where('id', '=', channel.id)
      .executeTakeFirstOrThrow();
    // Stored sealed (sealed.ts): neither the token nor the secret is in the row, and both open.
    expect(JSON.stringify(stored)).not.toContain(TOKEN);
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    expect(unseal(stored.config['url'] as string, a.tenantId, 'url')).toBe(
      `${base}/robot/send?access_token=${TOKEN}`,
    );
    expect(unseal(stored.secret!, a.tenantId, 'secret')).toBe(SECRET);
    // Bound to its tenant and field: copied elsewhere, it does not open.
    expect(() => unseal(stored.secret!, b.tenantId, 'secret')).toThrow(/altered or belongs/);
    expect(() => unseal(stored.secret!, a.tenantId, 'url')).toThrow(/altered or belongs/);
    const cleared = await app.inject({
      method: 'PATCH',
      url: `/api/v1/notifications/channels/${channel.id}`,
      headers: admin,
      payload: { secret: null },
    });
    expect(cleared.json<NotificationChannel>().hasSecret).toBe(false);
    const restored = await app.inject({
      method: 'PATCH',
      url: `/api/v1/notifications/channels/${channel.id}`,
      headers: admin,
      payload: { secret: SECRET },
    });
    expect(restored.json<NotificationChannel>().hasSecret).toBe(true);
    expect(restored.body).not.toContain(SECRET);
  });

  it('sends a test message and lists the delivery log with filters and keyset pages', async () => {
    const tested = await post<NotificationDelivery>(
      `/api/v1/notifications/channels/${channel.id}/test`,
      admin,
    );
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({
      event: 'test',
      status: 'delivered',
      attempts: 1,
      responseStatus: 200,
      channel: { id: channel.id, name: '华南大区钉钉群', kind: 'dingtalk' },
    });
    expect(answers).toBe(1);
    expect(tested.text).not.toContain(SECRET);
    await withTenant(store.db, a.tenantId, (trx) =>
      enqueueAlertNotices(trx, a.tenantId, [notice(101), notice(102), notice(103)]),
    );
    const first = await app.inject({
      url: '/api/v1/notifications/deliveries?limit=2',
      headers: admin,
    });
    const page1 = first.json<NotificationDeliveryPage>();
    expect(page1.total).toBe(4);
    expect(page1.items.map((d) => d.alertId)).toEqual([103, 102]);
    const second = await app.inject({
      url: `/api/v1/notifications/deliveries?limit=2&cursor=${page1.nextCursor}`,
      headers: admin,
    });
    const page2 = second.json<NotificationDeliveryPage>();
    expect(page2.items.map((d) => d.alertId)).toEqual([101, null]);
    expect(page2.nextCursor).toBeNull();
    const pending = await app.inject({
      url: '/api/v1/notifications/deliveries?status=pending',
      headers: admin,
    });
    expect(pending.json<NotificationDeliveryPage>().total).toBe(3);
    const byAlert = await app.inject({
      url: '/api/v1/notifications/deliveries?alertId=102',
      headers: admin,
    });
    expect(
      byAlert.json<NotificationDeliveryPage>().items.map((d) => d.payload.alert.title),
    ).toEqual(['连续三个月未完成目标']);
    const badCursor = await app.inject({
      url: '/api/v1/notifications/deliveries?cursor=nonsense',
      headers: admin,
    });
    expect(badCursor.statusCode).toBe(400);
    // Only a failed or dead delivery can be retried.
    const retry = await post<ErrorBody>(
      `/api/v1/notifications/deliveries/${tested.body.id}/retry`,
      admin,
    );
    expect(retry.status).toBe(409);
  });

  it("keeps every tenant's channels and deliveries to itself", async () => {
    const list = await app.inject({ url: '/api/v1/notifications/channels', headers: adminB });
    expect(list.json<NotificationChannelList>().items).toEqual([]);
    const log = await app.inject({ url: '/api/v1/notifications/deliveries', headers: adminB });
    expect(log.json<NotificationDeliveryPage>()).toMatchObject({ items: [], total: 0 });
    const delivery = (
      await app.inject({ url: '/api/v1/notifications/deliveries?limit=1', headers: admin })
    ).json<NotificationDeliveryPage>().items[0]!;
    const sentBefore = answers;
    for (const [method, url, payload] of [
      ['PATCH', `/api/v1/notifications/channels/${channel.id}`, { name: 'taken over' }],
      ['POST', `/api/v1/notifications/channels/${channel.id}/test`, undefined],
      ['DELETE', `/api/v1/notifications/channels/${channel.id}`, undefined],
      ['POST', `/api/v1/notifications/deliveries/${delivery.id}/retry`, undefined],
    ] as const) {
      const response = await app.inject({ method, url, headers: adminB, payload });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    expect(answers).toBe(sentBefore);
    const still = await app.inject({ url: '/api/v1/notifications/channels', headers: admin });
    expect(still.json<NotificationChannelList>().items[0]?.name).toBe('华南大区钉钉群');
  });

  it('lets only admins configure notifications', async () => {
    for (const headers of [manager, analyst, readToken]) {
      expect(
        (await app.inject({ url: '/api/v1/notifications/channels', headers })).statusCode,
      ).toBe(403);
      expect(
        (await app.inject({ url: '/api/v1/notifications/deliveries', headers })).statusCode,
      ).toBe(403);
      const created = await post<ErrorBody>('/api/v1/notifications/channels', headers, {
        name: unique('nope'),
        kind: 'webhook',
        config: { url: 'https://example.com' },
      });
      expect(created.status).toBe(403);
    }
    expect((await app.inject({ url: '/api/v1/notifications/channels' })).statusCode).toBe(401);
  });

  it('deletes a channel with its log', async () => {
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/notifications/channels/${channel.id}`,
      headers: admin,
    });
    expect(deleted.statusCode).toBe(204);
    const log = await app.inject({ url: '/api/v1/notifications/deliveries', headers: admin });
    expect(log.json<NotificationDeliveryPage>().total).toBe(0);
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/v1/notifications/channels/${channel.id}`,
      headers: admin,
    });
    expect(again.statusCode).toBe(404);
  });

  it('never writes a secret or a robot token to the request log', () => {
    const text = logLines.join('');
    expect(text).toContain('/api/v1/notifications/channels');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
  });
});
