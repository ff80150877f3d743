import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import type { NewNotificationChannel, NotificationDelivery } from '@tierline/contract';
import { createTestStore, unique, type TestStore } from '../test/test-store.js';
import { makeChannel, makeDealer, type TestChannel } from '../test/factories.js';
import { withTenant } from '../db/tenant-scope.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import { createChannel, retryDelivery, testChannel } from './channel.service.js';
import { backoffMs, deliverDueNotifications } from './delivery.service.js';
import { enqueueAlertNotices, type AlertNotice } from './notification.service.js';
import { getDelivery, listDeliveries } from './notification.repository.js';
import { isPrivateAddress } from './address-guard.js';

/**
 * Deliveries to real servers on loopback: a webhook receiver that verifies the signature as
 * docs/notifications.md tells receivers to, robot-compatible servers that check each vendor's
 * documented signing and body shape and answer as the vendor does (errors included), and an
 * SMTP server that receives the mail.
 */

const engine = process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite';
const SYSTEM: AuditOrigin = {
  actor: { kind: 'system', id: null, name: 'notify test' },
  ip: null,
  userAgent: null,
};

const WEBHOOK_SECRET = 'whsec-test-0123456789';
const DINGTALK_TOKEN = 'dt-access-token-abc';
const DINGTALK_SECRET = 'SEC0123456789abcdef';
const WECOM_KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const FEISHU_HOOK = 'b1a2c3d4-feishu-hook';
const FEISHU_SECRET = 'feishu-signing-secret';
const SMTP_USER = 'notifier';
const SMTP_PASSWORD = 'smtp-pass-word-42';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let store: TestStore;
let a: TestChannel;
let dealerId: number;
let dealerCode: string;
let base: string;
let otherBase: string;
let server: http.Server;
let smtp: SMTPServer;
let smtpPort: number;
const received: Received[] = [];
const mails: { from: string; to: string[]; raw: string }[] = [];
let flakyFailures = 0;
const hanging: http.ServerResponse[] = [];

function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** How a receiver verifies `X-Tierline-Signature` (docs/notifications.md). */
function verifyWebhook(secret: string, header: string | undefined, body: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) return false;
  const t = Number(match[1]);
  if (Math.abs(Date.now() / 1000 - t) > 300) return false; // replay window: 5 minutes
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(match[2], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', 'http://loopback');
  received.push({ path: url.pathname, headers: req.headers, body });
  const parsed = (() => {
    try {
      return JSON.parse(body) as Record<string, any>;
    } catch {
      return null;
    }
  })();
  switch (url.pathname) {
    case '/hook': {
      if (!verifyWebhook(WEBHOOK_SECRET, req.headers['x-tierline-signature'] as string, body)) {
        res.writeHead(401).end('bad signature');
        return;
      }
      const ok =
        parsed?.['deliveryId'] === Number(req.headers['x-tierline-delivery']) &&
        parsed['event'] === req.headers['x-tierline-event'] &&
        typeof parsed['sentAt'] === 'string' &&
        typeof parsed['alert']?.['id'] === 'number' &&
        typeof parsed['tenant']?.['slug'] === 'string';
      res.writeHead(ok ? 200 : 400).end(ok ? 'ok' : 'bad body');
      return;
    }
    // DingTalk custom robot: POST /robot/send?access_token=…&timestamp=<ms>&sign=…
    case '/robot/send': {
      if (url.searchParams.get('access_token') !== DINGTALK_TOKEN) {
        json(res, 200, { errcode: 300001, errmsg: 'token is not exist' });
        return;
      }
      const timestamp = Number(url.searchParams.get('timestamp'));
      const sign = url.searchParams.get('sign');
      const expected = createHmac('sha256', DINGTALK_SECRET)
        .update(`${timestamp}\n${DINGTALK_SECRET}`)
        .digest('base64');
      if (Math.abs(Date.now() - timestamp) > 3_600_000 || sign !== expected) {
        json(res, 200, { errcode: 310000, errmsg: 'sign not match, more: [https://ding-doc]' });
        return;
      }
      if (
        parsed?.['msgtype'] !== 'markdown' ||
        typeof parsed['markdown']?.['title'] !== 'string' ||
        typeof parsed['markdown']?.['text'] !== 'string'
      ) {
        json(res, 200, { errcode: 40035, errmsg: '缺少参数 json' });
        return;
      }
      json(res, 200, { errcode: 0, errmsg: 'ok' });
      return;
    }
    // WeCom group robot: POST /cgi-bin/webhook/send?key=…
    case '/cgi-bin/webhook/send': {
      if (url.searchParams.get('key') !== WECOM_KEY) {
        json(res, 200, { errcode: 93000, errmsg: 'invalid webhook url' });
        return;
      }
      const content = parsed?.['markdown']?.['content'];
      if (
        parsed?.['msgtype'] !== 'markdown' ||
        typeof content !== 'string' ||
        Buffer.byteLength(content) > 4096
      ) {
        json(res, 200, { errcode: 40058, errmsg: 'markdown.content exceed max length 4096' });
        return;
      }
      json(res, 200, { errcode: 0, errmsg: 'ok' });
      return;
    }
    case `/open-apis/bot/v2/hook/${FEISHU_HOOK}`: {
      const timestamp = Number(parsed?.['timestamp']);
      const expected = createHmac('sha256', `${timestamp}\n${FEISHU_SECRET}`)
        .update('')
        .digest('base64');
      if (Math.abs(Date.now() / 1000 - timestamp) > 3600 || parsed?.['sign'] !== expected) {
        json(res, 200, {
          code: 19021,
          msg: 'sign match fail or timestamp is not within one hour from current time',
          data: {},
        });
        return;
      }
      const card = parsed['card'];
      const valid =
        (parsed['msg_type'] === 'interactive' &&
          typeof card?.header?.title?.content === 'string' &&
          Array.isArray(card?.elements)) ||
        (parsed['msg_type'] === 'text' && typeof parsed['content']?.['text'] === 'string');
      if (!valid) {
        json(res, 400, { code: 9499, msg: 'Bad Request', data: {} });
        return;
      }
      json(res, 200, {
        StatusCode: 0,
        StatusMessage: 'success',
        code: 0,
        data: {},
        msg: 'success',
      });
      return;
    }
    case '/flaky':
      if (flakyFailures > 0) {
        flakyFailures--;
        res.writeHead(500).end('temporarily broken');
      } else {
        res.writeHead(200).end('ok');
      }
      return;
    case '/always500':
      res.writeHead(500).end('x'.repeat(5000));
      return;
    case '/hang':
      hanging.push(res);
      return;
    case '/redirect-same':
      res.writeHead(307, { location: '/flaky' }).end();
      return;
    case '/redirect-other':
      res.writeHead(307, { location: `${otherBase}/flaky` }).end();
      return;
    default:
      res.writeHead(404).end('not found');
  }
}

/** A raw RFC 5322 message's subject and its text/plain and text/html parts, decoded. */
function parseMail(raw: string): { subject: string; text: string; html: string } {
  const decodeWords = (value: string) =>
    value
      .replace(/\r?\n[ \t]+/g, ' ')
      .replace(/\?=\s+=\?/g, '?==?')
      .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
        enc.toLowerCase() === 'b'
          ? Buffer.from(data, 'base64').toString('utf8')
          : Buffer.from(
              data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h: string) => `%${h}`),
              'utf8',
            )
              .toString()
              .replace(/%([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
      );
  const [head = ''] = raw.split(/\r?\n\r?\n/);
  const subjectLine = /^Subject: (.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1] ?? '';
  const subject = decodeWords(subjectLine);
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1] ?? '';
  const parts: Record<string, string> = {};
  for (const part of raw.split(`--${boundary}`)) {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const headers = part.slice(0, split);
    const body = part.slice(split).trim();
    const type = /content-type: (text\/(?:plain|html))/i.exec(headers)?.[1]?.toLowerCase();
    if (!type) continue;
    const encoding = /content-transfer-encoding: (\S+)/i.exec(headers)?.[1]?.toLowerCase();
    const decoded =
      encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : encoding === 'quoted-printable'
          ? Buffer.from(
              body
                .replace(/=\r?\n/g, '')
                .replace(/=([0-9A-F]{2})/g, (_m, h: string) =>
                  String.fromCharCode(parseInt(h, 16)),
                ),
              'latin1',
            ).toString('utf8')
          : body;
    parts[type] = decoded;
  }
  return { subject, text: parts['text/plain'] ?? '', html: parts['text/html'] ?? '' };
}

function notice(
  overrides: Partial<AlertNotice['alert']> = {},
  event: AlertNotice['event'] = 'opened',
): AlertNotice {
  return {
    event,
    alert: {
      id: Math.floor(Math.random() * 1e9),
      rule: 'sales-decline',
      ruleName: '销售额连续下滑',
      severity: 'critical',
      status: 'open',
      dealer: {
        id: dealerId,
        code: dealerCode,
        name: '广州天河食品贸易有限公司',
        region: '440106',
      },
      owner: 'manager-gd',
      title: '销售额连续两个月下降超过 20%',
      summary:
        '饮料品类销售额环比下降 32%，主要来自天河区 3 家终端停止订货。\n建议：走访终端，核实库存。',
      openedAt: '2026-03-01T02:00:00.000Z',
      ...overrides,
    },
  };
}

async function addChannel(input: Record<string, unknown>): Promise<number> {
  const channel = await createChannel(
    store.db,
    a.tenantId,
    {
      minSeverity: 'info',
      events: ['opened', 'escalated', 'resolved'],
      regionCodes: null,
      enabled: true,
      ...input,
    } as NewNotificationChannel,
    SYSTEM,
  );
  return channel.id;
}

async function enqueue(notices: AlertNotice[]): Promise<number> {
  return withTenant(store.db, a.tenantId, (trx) => enqueueAlertNotices(trx, a.tenantId, notices));
}

async function deliveriesOf(channelId: number): Promise<NotificationDelivery[]> {
  const page = await withTenant(store.db, a.tenantId, (trx) =>
    listDeliveries(trx, a.tenantId, { channelId, limit: 100 }),
  );
  return page.items;
}

beforeAll(async () => {
  process.env['TIERLINE_NOTIFY_ALLOW_PRIVATE'] = '1';
  store = await createTestStore();
  a = await makeChannel(store.db);
  await store.db
    .updateTable('tenant')
    .set({ time_zone: 'Asia/Shanghai' })
    .where('id', '=', a.tenantId)
    .execute();
  dealerCode = unique('GD');
  dealerId = await makeDealer(store.db, a.tenantId, { code: dealerCode, region_id: a.regions.th });
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  // The same server under another host name: another origin.
  otherBase = `http://localhost:${port}`;
  smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

afterEach(async () => {
  // Nothing a test leaves due is sent by the next one.
  await sql`update notification_delivery set status = 'dead', next_attempt_at = null
    where status in ('pending', 'failed')`.execute(store.db);
  await sql`update notification_channel set enabled = false`.execute(store.db);
  received.length = 0;
  mails.length = 0;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await store?.destroy();
  delete process.env['TIERLINE_NOTIFY_ALLOW_PRIVATE'];
});

describe(`notification delivery (${engine})`, () => {
  it('signs webhooks so that a receiver can verify them, and logs the delivery', async () => {
    const channelId = await addChannel({
      name: unique('webhook'),
      kind: 'webhook',
      config: { url: `${base}/hook` },
      secret: WEBHOOK_SECRET,
    });
    expect(await enqueue([notice()])).toBe(1);
    const run = await deliverDueNotifications(store.db);
    expect(run).toEqual({ attempted: 1, delivered: 1, failed: 0, dead: 0, deferred: 0 });
    const [delivery] = await deliveriesOf(channelId);
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 1,
      responseStatus: 200,
      responseBody: 'ok',
      lastError: null,
      event: 'opened',
    });
    expect(delivery?.deliveredAt).not.toBeNull();
    const hit = received.find((r) => r.path === '/hook');
    expect(hit?.headers['x-tierline-delivery']).toBe(String(delivery?.id));
    expect(hit?.headers['x-tierline-event']).toBe('opened');
    const body = JSON.parse(hit?.body ?? '{}') as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      ['alert', 'deliveryId', 'event', 'link', 'sentAt', 'tenant'].sort(),
    );
    // The payload logged is what was sent, without the secret.
    expect(JSON.stringify(delivery)).not.toContain(WEBHOOK_SECRET);
    // A tampered body fails verification.
    expect(
      verifyWebhook(
        WEBHOOK_SECRET,
        hit?.headers['x-tierline-signature'] as string,
        `${hit?.body} `,
      ),
    ).toBe(false);
  });

  it('sends DingTalk markdown with the documented signature, and reads errcode', async () => {
    const good = await addChannel({
      name: unique('dingtalk'),
      kind: 'dingtalk',
      config: { url: `${base}/robot/send?access_token=${DINGTALK_TOKEN}` },
      secret: DINGTALK_SECRET,
    });
    const bad = await addChannel({
      name: unique('dingtalk-wrong-secret'),
      kind: 'dingtalk',
      config: { url: `${base}/robot/send?access_token=${DINGTALK_TOKEN}` },
      secret: 'SECwrong',
    });
    await enqueue([notice()]);
    const run = await deliverDueNotifications(store.db, { random: () => 0.5 });
    expect(run).toMatchObject({ attempted: 2, delivered: 1, failed: 1 });
    const [ok] = await deliveriesOf(good);
    expect(ok).toMatchObject({ status: 'delivered', responseStatus: 200 });
    const hit = received.find((r) => r.path === '/robot/send' && r.body.includes('markdown'));
    const body = JSON.parse(hit?.body ?? '{}') as { markdown: { title: string; text: string } };
    expect(body.markdown.title).toBe('【严重】新预警：销售额连续两个月下降超过 20%');
    expect(body.markdown.text).toContain('**经销商**：广州天河食品贸易有限公司');
    expect(body.markdown.text).toContain('**发生时间**：2026-03-01 10:00');
    expect(body.markdown.text).toContain('> 饮料品类销售额环比下降 32%');
    const [failed] = await deliveriesOf(bad);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 200 });
    expect(failed?.lastError).toMatch(/^errcode 310000: sign not match/);
    expect(failed?.responseBody).toContain('310000');
  });

  it('holds a robot to its documented rate: 20 a minute for WeCom, the rest deferred untried', async () => {
    const wecom = await addChannel({
      name: unique('wecom-rate'),
      kind: 'wecom',
      config: { url: `${base}/cgi-bin/webhook/send?key=${WECOM_KEY}` },
    });
    await enqueue(Array.from({ length: 25 }, () => notice()));
    const t0 = new Date(Date.now() + 3_600_000);
    const first = await deliverDueNotifications(store.db, { now: t0, limit: 100 });
    expect(first).toMatchObject({ attempted: 20, delivered: 20, deferred: 5 });
    const held = (await deliveriesOf(wecom)).filter((d) => d.status !== 'delivered');
    expect(held).toHaveLength(5);
    for (const d of held) {
      // Not an attempt: the next one is the first, when the minute is over.
      expect(d).toMatchObject({ status: 'pending', attempts: 0 });
      expect(d.nextAttemptAt).toBe(new Date(t0.getTime() + 60_000).toISOString());
    }
    // Half a minute later nothing is due; after the minute the rest goes.
    const early = await deliverDueNotifications(store.db, { now: new Date(t0.getTime() + 30_000) });
    expect(early).toMatchObject({ attempted: 0, deferred: 0 });
    const later = await deliverDueNotifications(store.db, { now: new Date(t0.getTime() + 60_001) });
    expect(later).toMatchObject({ attempted: 5, delivered: 5, deferred: 0 });
    expect(received.filter((r) => r.path === '/cgi-bin/webhook/send')).toHaveLength(25);
  });

  it('sends WeCom markdown within 4,096 bytes and Feishu cards with the documented sign', async () => {
    const wecom = await addChannel({
      name: unique('wecom'),
      kind: 'wecom',
      config: { url: `${base}/cgi-bin/webhook/send?key=${WECOM_KEY}` },
    });
    const feishu = await addChannel({
      name: unique('feishu'),
      kind: 'feishu',
      config: { url: `${base}/open-apis/bot/v2/hook/${FEISHU_HOOK}` },
      secret: FEISHU_SECRET,
    });
    const feishuText = await addChannel({
      name: unique('feishu-text'),
      kind: 'feishu',
      config: { url: `${base}/open-apis/bot/v2/hook/${FEISHU_HOOK}`, format: 'text' },
      secret: FEISHU_SECRET,
    });
    const feishuUnsigned = await addChannel({
      name: unique('feishu-unsigned'),
      kind: 'feishu',
      config: { url: `${base}/open-apis/bot/v2/hook/${FEISHU_HOOK}` },
    });
    // A summary far beyond WeCom's limit is cut, not refused.
    await enqueue([notice({ summary: '下滑'.repeat(3000) })]);
    await deliverDueNotifications(store.db, { random: () => 0.5 });
    expect((await deliveriesOf(wecom))[0]).toMatchObject({ status: 'delivered' });
    expect((await deliveriesOf(feishu))[0]).toMatchObject({ status: 'delivered' });
    expect((await deliveriesOf(feishuText))[0]).toMatchObject({ status: 'delivered' });
    const unsigned = (await deliveriesOf(feishuUnsigned))[0];
    expect(unsigned).toMatchObject({ status: 'failed' });
    expect(unsigned?.lastError).toMatch(/^code 19021: sign match fail/);
    const wecomHit = received.find((r) => r.path === '/cgi-bin/webhook/send');
    const content = (JSON.parse(wecomHit?.body ?? '{}') as { markdown: { content: string } })
      .markdown.content;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096);
    expect(content).toContain('…');
    const card = received
      .filter((r) => r.path.startsWith('/open-apis/'))
      .map(
        (r) => JSON.parse(r.body) as { msg_type: string; card?: { header: { template: string } } },
      )
      .find((b) => b.msg_type === 'interactive' && b.card);
    expect(card?.card?.header.template).toBe('red');
  });

  it('e-mails over SMTP with a subject, a text and an HTML part', async () => {
    await store.db
      .updateTable('tenant')
      .set({ locale: 'en-US' })
      .where('id', '=', a.tenantId)
      .execute();
    try {
      const channelId = await addChannel({
        name: unique('email'),
        kind: 'email',
        config: {
          host: '127.0.0.1',
          port: smtpPort,
          security: 'none',
          user: SMTP_USER,
          from: 'alerts@tierline.example',
          to: ['manager@dealer.example', 'director@dealer.example'],
        },
        secret: SMTP_PASSWORD,
      });
      await enqueue([
        notice(
          {
            title: 'Sales fell <20%> two months running',
            summary: 'Drinks fell 32% & snacks held.',
          },
          'escalated',
        ),
      ]);
      const run = await deliverDueNotifications(store.db);
      expect(run).toMatchObject({ delivered: 1 });
      const [delivery] = await deliveriesOf(channelId);
      expect(delivery).toMatchObject({ status: 'delivered', responseStatus: 250 });
      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      expect(mail.from).toBe('alerts@tierline.example');
      expect(mail.to).toEqual(['manager@dealer.example', 'director@dealer.example']);
      const parsed = parseMail(mail.raw);
      expect(parsed.subject).toBe(
        '[Critical] Alert escalated: Sales fell <20%> two months running',
      );
      expect(parsed.text).toContain('Dealer: 广州天河食品贸易有限公司');
      expect(parsed.text).toContain('Drinks fell 32% & snacks held.');
      expect(parsed.html).toContain('Sales fell &lt;20%&gt; two months running');
      expect(parsed.html).toContain('Drinks fell 32% &amp; snacks held.');
      expect(mail.raw).not.toContain(SMTP_PASSWORD);
    } finally {
      await store.db
        .updateTable('tenant')
        .set({ locale: 'zh-CN' })
        .where('id', '=', a.tenantId)
        .execute();
    }
  });

  it('reports a refused SMTP login as a failure', async () => {
    const channelId = await addChannel({
      name: unique('email-bad'),
      kind: 'email',
      config: {
        host: '127.0.0.1',
        port: smtpPort,
        security: 'none',
        user: SMTP_USER,
        from: 'a@tierline.example',
        to: ['b@dealer.example'],
      },
      secret: 'wrong password',
    });
    await enqueue([notice()]);
    await deliverDueNotifications(store.db, { random: () => 0.5 });
    const [delivery] = await deliveriesOf(channelId);
    expect(delivery).toMatchObject({ status: 'failed', responseStatus: 535 });
    expect(delivery?.lastError).toMatch(/Invalid username or password/);
    expect(JSON.stringify(delivery)).not.toContain('wrong password');
    expect(mails).toHaveLength(0);
  });

  it('retries with exponential backoff after a 500, then succeeds', async () => {
    flakyFailures = 2;
    const channelId = await addChannel({
      name: unique('flaky'),
      kind: 'webhook',
      config: { url: `${base}/flaky` },
    });
    await enqueue([notice()]);
    const t0 = new Date();
    expect(await deliverDueNotifications(store.db, { now: t0, random: () => 0.5 })).toMatchObject({
      failed: 1,
    });
    let [delivery] = await deliveriesOf(channelId);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 500 });
    expect(delivery?.lastError).toBe('answered HTTP 500');
    expect(new Date(delivery!.nextAttemptAt!).getTime() - t0.getTime()).toBe(30_000);
    // Not due yet: nothing is sent.
    const t1 = new Date(t0.getTime() + 29_000);
    expect(await deliverDueNotifications(store.db, { now: t1 })).toMatchObject({ attempted: 0 });
    const t2 = new Date(t0.getTime() + 30_000);
    expect(await deliverDueNotifications(store.db, { now: t2, random: () => 0.5 })).toMatchObject({
      failed: 1,
    });
    [delivery] = await deliveriesOf(channelId);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 2 });
    expect(new Date(delivery!.nextAttemptAt!).getTime() - t2.getTime()).toBe(60_000);
    const t3 = new Date(t2.getTime() + 60_000);
    expect(await deliverDueNotifications(store.db, { now: t3 })).toMatchObject({ delivered: 1 });
    [delivery] = await deliveriesOf(channelId);
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 3,
      responseStatus: 200,
      lastError: null,
    });
  });

  it('gives up after the last attempt (dead), keeping 1 KB of the answer', async () => {
    const channelId = await addChannel({
      name: unique('broken'),
      kind: 'webhook',
      config: { url: `${base}/always500` },
    });
    await enqueue([notice()]);
    let now = new Date();
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      await deliverDueNotifications(store.db, { now, maxAttempts: 3, random: () => 0.5 });
      const [delivery] = await deliveriesOf(channelId);
      seen.push(`${delivery?.status}/${delivery?.attempts}`);
      now = new Date(now.getTime() + 10 * 60_000);
    }
    expect(seen).toEqual(['failed/1', 'failed/2', 'dead/3']);
    const [dead] = await deliveriesOf(channelId);
    expect(dead?.nextAttemptAt).toBeNull();
    expect(dead?.responseBody?.length).toBeLessThanOrEqual(1024);
    expect(
      await deliverDueNotifications(store.db, { now: new Date(now.getTime() + 86_400_000) }),
    ).toMatchObject({ attempted: 0 });
  });

  it('backs off 30 s × 2^(attempt − 1) with ±25 % jitter', () => {
    expect([1, 2, 3, 7].map((n) => backoffMs(n, 30_000, 0.5))).toEqual([
      30_000, 60_000, 120_000, 1_920_000,
    ]);
    expect(backoffMs(1, 30_000, 0)).toBe(22_500);
    expect(backoffMs(1, 30_000, 0.999_999)).toBeLessThanOrEqual(37_500);
  });

  it('gives up on a target that does not answer in time', async () => {
    const channelId = await addChannel({
      name: unique('hang'),
      kind: 'webhook',
      config: { url: `${base}/hang` },
    });
    await enqueue([notice()]);
    const started = Date.now();
    await deliverDueNotifications(store.db, { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    const [delivery] = await deliveriesOf(channelId);
    expect(delivery).toMatchObject({ status: 'failed', responseStatus: null });
    expect(delivery?.lastError).toMatch(/no answer within/);
  });

  it('follows a 307 on the same origin but never a redirect to another host', async () => {
    flakyFailures = 0;
    const same = await addChannel({
      name: unique('redir-same'),
      kind: 'webhook',
      config: { url: `${base}/redirect-same` },
    });
    const other = await addChannel({
      name: unique('redir-other'),
      kind: 'webhook',
      config: { url: `${base}/redirect-other` },
    });
    await enqueue([notice()]);
    await deliverDueNotifications(store.db);
    expect((await deliveriesOf(same))[0]).toMatchObject({ status: 'delivered' });
    const refused = (await deliveriesOf(other))[0];
    expect(refused).toMatchObject({ status: 'failed' });
    expect(refused?.lastError).toMatch(/redirect to another host .*not followed/);
    expect(received.filter((r) => r.path === '/flaky')).toHaveLength(1);
  });

  it('matches channels by event, least severity and region (with sub-regions)', async () => {
    const gd = await addChannel({
      name: unique('gd'),
      kind: 'webhook',
      config: { url: `${base}/flaky` },
      regionCodes: ['440000'],
    });
    const sd = await addChannel({
      name: unique('sd'),
      kind: 'webhook',
      config: { url: `${base}/flaky` },
      regionCodes: ['370000'],
    });
    const critical = await addChannel({
      name: unique('critical'),
      kind: 'webhook',
      config: { url: `${base}/flaky` },
      minSeverity: 'critical',
    });
    const resolvedOnly = await addChannel({
      name: unique('resolved'),
      kind: 'webhook',
      config: { url: `${base}/flaky` },
      events: ['resolved'],
    });
    const disabled = await addChannel({
      name: unique('off'),
      kind: 'webhook',
      config: { url: `${base}/flaky` },
      enabled: false,
    });
    const written = await enqueue([
      notice({ severity: 'warning' }),
      notice({ severity: 'critical' }, 'resolved'),
    ]);
    // gd: both; sd: none; critical: the resolved critical one; resolvedOnly: one; disabled: none.
    expect(written).toBe(4);
    expect((await deliveriesOf(gd)).length).toBe(2);
    expect((await deliveriesOf(sd)).length).toBe(0);
    expect((await deliveriesOf(critical)).map((d) => d.event)).toEqual(['resolved']);
    expect((await deliveriesOf(resolvedOnly)).map((d) => d.event)).toEqual(['resolved']);
    expect((await deliveriesOf(disabled)).length).toBe(0);
    expect(await enqueue([])).toBe(0);
  });

  it("enqueues inside the caller's transaction: a rollback leaves no delivery", async () => {
    const channelId = await addChannel({
      name: unique('rollback'),
      kind: 'webhook',
      config: { url: `${base}/flaky` },
    });
    const failure = new Error('evaluation failed');
    await expect(
      withTenant(store.db, a.tenantId, async (trx) => {
        expect(await enqueueAlertNotices(trx, a.tenantId, [notice()])).toBe(1);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await deliveriesOf(channelId)).toEqual([]);
    expect(await deliverDueNotifications(store.db)).toMatchObject({ attempted: 0 });
  });

  it('marks deliveries of a channel disabled since as dead instead of sending them', async () => {
    const channelId = await addChannel({
      name: unique('disable-later'),
      kind: 'webhook',
      config: { url: `${base}/flaky` },
    });
    await enqueue([notice()]);
    await store.db
      .updateTable('notification_channel')
      .set({ enabled: false })
      .where('id', '=', channelId)
      .execute();
    expect(await deliverDueNotifications(store.db)).toMatchObject({ dead: 1 });
    expect((await deliveriesOf(channelId))[0]).toMatchObject({
      status: 'dead',
      lastError: 'the channel is disabled',
    });
    expect(received).toHaveLength(0);
  });

  it('sends a test message now and retries a dead delivery on request', async () => {
    flakyFailures = 1;
    const channelId = await addChannel({
      name: unique('test-msg'),
      kind: 'webhook',
      config: { url: `${base}/flaky` },
    });
    const first = await testChannel(store.db, a.tenantId, channelId, SYSTEM);
    expect(first).toMatchObject({
      event: 'test',
      alertId: null,
      status: 'dead',
      attempts: 1,
      lastError: 'answered HTTP 500',
    });
    expect(first.payload.alert.title).toContain('测试');
    const retried = await retryDelivery(store.db, a.tenantId, first.id, SYSTEM);
    expect(retried).toMatchObject({ status: 'delivered', attempts: 1 });
    await expect(retryDelivery(store.db, a.tenantId, first.id, SYSTEM)).rejects.toMatchObject({
      code: 'conflict',
    });
    const audit = await store.db
      .selectFrom('audit_event')
      .select('action')
      .where('tenant_id', '=', a.tenantId)
      .where('action', 'in', ['notification_channel.test', 'notification_delivery.retry'])
      .execute();
    expect(audit.map((r) => r.action).sort()).toEqual([
      'notification_channel.test',
      'notification_delivery.retry',
    ]);
  });

  it('never lets two workers send the same delivery', async () => {
    const channelId = await addChannel({
      name: unique('race'),
      kind: 'webhook',
      config: { url: `${base}/flaky` },
    });
    flakyFailures = 0;
    await enqueue(Array.from({ length: 12 }, () => notice()));
    const runs = await Promise.all([
      deliverDueNotifications(store.db, { limit: 8 }),
      deliverDueNotifications(store.db, { limit: 8 }),
      deliverDueNotifications(store.db, { limit: 8 }),
    ]);
    expect(runs.reduce((n, r) => n + r.attempted, 0)).toBe(12);
    expect(received.filter((r) => r.path === '/flaky')).toHaveLength(12);
    const ids = new Set(received.map((r) => r.headers['x-tierline-delivery']));
    expect(ids.size).toBe(12);
    expect(
      (await deliveriesOf(channelId)).every((d) => d.status === 'delivered' && d.attempts === 1),
    ).toBe(true);
  });

  /** A webhook channel saved as if TIERLINE_NOTIFY_ALLOW_PRIVATE=1 were set. */
  async function addChannelAllowed(url: string): Promise<number> {
    process.env['TIERLINE_NOTIFY_ALLOW_PRIVATE'] = '1';
    try {
      return await addChannel({ name: unique('literal'), kind: 'webhook', config: { url } });
    } finally {
      delete process.env['TIERLINE_NOTIFY_ALLOW_PRIVATE'];
    }
  }

  it('refuses private targets unless TIERLINE_NOTIFY_ALLOW_PRIVATE=1, when saving and when connecting', async () => {
    expect(
      [
        '127.0.0.1',
        '10.1.2.3',
        '169.254.169.254',
        '::1',
        '::ffff:192.168.1.1',
        'fd00::1',
        '100.64.0.1',
      ].every(isPrivateAddress),
    ).toBe(true);
    expect(['8.8.8.8', '2001:4860:4860::8888', '223.5.5.5'].some(isPrivateAddress)).toBe(false);
    const channelId = await addChannel({
      name: unique('private'),
      kind: 'webhook',
      config: { url: `${otherBase}/flaky` },
    });
    delete process.env['TIERLINE_NOTIFY_ALLOW_PRIVATE'];
    try {
      for (const url of [
        'http://127.0.0.1/x',
        'http://localhost:8080/x',
        'http://[::1]/x',
        'http://169.254.169.254/latest',
        'http://intranet/x',
        'ftp://example.com/x',
      ]) {
        await expect(
          addChannel({ name: unique('refused'), kind: 'webhook', config: { url } }),
        ).rejects.toMatchObject({ code: 'validation_failed' });
      }
      await expect(
        addChannel({
          name: unique('smtp-refused'),
          kind: 'email',
          config: { host: '10.0.0.5', from: 'a@b.example', to: ['c@d.example'] },
        }),
      ).rejects.toMatchObject({
        code: 'validation_failed',
        message: expect.stringMatching(/^config\.host/),
      });
      // A stored name that resolves to loopback is refused at connection time.
      await store.db
        .updateTable('notification_channel')
        .set({ enabled: true })
        .where('id', '=', channelId)
        .execute();
      await enqueue([notice()]);
      await deliverDueNotifications(store.db);
      const [delivery] = await deliveriesOf(channelId);
      expect(delivery?.status).toBe('failed');
      expect(delivery?.lastError).toMatch(/localhost resolves to (127\.0\.0\.1|::1).*refused/);
      // So is an address literal saved while private targets were allowed.
      const literal = await addChannelAllowed(`${base}/flaky`);
      await enqueue([notice()]);
      await deliverDueNotifications(store.db);
      expect((await deliveriesOf(literal))[0]?.lastError).toMatch(/127\.0\.0\.1.*refused/);
      expect(received).toHaveLength(0);
    } finally {
      process.env['TIERLINE_NOTIFY_ALLOW_PRIVATE'] = '1';
    }
  });

  it('gets a delivery only within its tenant', async () => {
    const channelId = await addChannel({
      name: unique('iso'),
      kind: 'webhook',
      config: { url: `${base}/flaky` },
    });
    await enqueue([notice()]);
    const [delivery] = await deliveriesOf(channelId);
    const other = await makeChannel(store.db);
    await expect(
      withTenant(store.db, other.tenantId, (trx) => getDelivery(trx, other.tenantId, delivery!.id)),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      retryDelivery(store.db, other.tenantId, delivery!.id, SYSTEM),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(testChannel(store.db, other.tenantId, channelId, SYSTEM)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
