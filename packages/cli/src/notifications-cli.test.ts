import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueAlertNotices, getTenantBySlug, openStore, withTenant } from '@tierline/server';
import type { NotificationDelivery } from '@tierline/contract';
import { runCli, startServe, stop } from './test-cli.js';

const SECRET = 'cli-webhook-secret-0001';

let dir: string;
let server: http.Server;
let base: string;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
const data = () => ['--data-dir', join(dir, 'data'), '--tenant', 'acme'];
const allow = { TIERLINE_NOTIFY_ALLOW_PRIVATE: '1' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tierline-notify-'));
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body });
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(
        String(req.headers['x-tierline-signature']),
      ) ?? [null, '', ''];
      const expected = createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
      res.writeHead(v1 === expected ? 200 : 401).end(v1 === expected ? 'ok' : 'bad signature');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tenant = await runCli([
    'tenant',
    'create',
    'acme',
    '--name',
    'Acme 食品',
    '--no-china-regions',
    '--data-dir',
    join(dir, 'data'),
  ]);
  expect(tenant.code, tenant.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('tierline notifications', () => {
  it('adds a channel from a file, refusing bad ones and private targets', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', kind: 'webhook', config: { url: 'ftp://x' } }));
    const refused = await runCli(['notifications', 'channels', 'add', '--file', bad, ...data()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('config.url: must be an http:// or https:// URL');

    const file = join(dir, 'channel.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: '运营中心 webhook',
        kind: 'webhook',
        config: { url: `${base}/hook` },
        secret: SECRET,
        minSeverity: 'info',
      }),
    );
    const private_ = await runCli(['notifications', 'channels', 'add', '--file', file, ...data()]);
    expect(private_.code).toBe(1);
    expect(private_.stderr).toMatch(
      /loopback, private or local address.*TIERLINE_NOTIFY_ALLOW_PRIVATE/,
    );

    const added = await runCli(
      ['notifications', 'channels', 'add', '--file', file, ...data()],
      allow,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(
      /^Added channel 1:\n\s+1\s+on\s+webhook\s+运营中心 webhook\s+\[≥info/,
    );
    expect(added.stdout).toContain('(secret set)');
    expect(added.stdout).not.toContain(SECRET);

    const list = await runCli(['notifications', 'channels', 'list', ...data()]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(`${base}/hook`);
    expect(list.stdout).not.toContain(SECRET);
  });

  it('sends a test message over a channel', async () => {
    const tested = await runCli(['notifications', 'channels', 'test', '1', ...data()], allow);
    expect(tested.code, tested.stderr + tested.stdout).toBe(0);
    expect(tested.stdout).toMatch(/delivered\s+1× 200 .* 运营中心 webhook \(webhook\)\s+test/);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers['x-tierline-event']).toBe('test');
    const missing = await runCli(['notifications', 'channels', 'test', '99', ...data()], allow);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Notification channel 99 does not exist.');
  });

  it('delivers what alert evaluation queued, and shows the log', async () => {
    // What the alerts engine does after an import: queue notices in its transaction.
    const store = await openStore({ dataDir: join(dir, 'data') });
    try {
      const tenant = await getTenantBySlug(store.db, 'acme');
      const alert = {
        id: 7,
        rule: 'sales-decline',
        ruleName: '销售额连续下滑',
        severity: 'critical' as const,
        status: 'open' as const,
        dealer: { id: 1, code: 'GD001', name: '广州天河食品', region: null },
        owner: null,
        title: '销售额连续两个月下降超过 20%',
        summary: '饮料品类下降 32%。',
        openedAt: '2026-03-01T00:00:00.000Z',
      };
      const queued = await withTenant(store.db, tenant.id, (trx) =>
        enqueueAlertNotices(trx, tenant.id, [{ event: 'opened', alert }]),
      );
      expect(queued).toBe(1);
    } finally {
      await store.close();
    }
    const deliver = await runCli(
      ['notifications', 'deliver', '--data-dir', join(dir, 'data')],
      allow,
    );
    expect(deliver.code, deliver.stderr).toBe(0);
    expect(deliver.stdout).toBe('Attempted 1: 1 delivered, 0 failed (to be retried), 0 dead.\n');
    expect(received).toHaveLength(2);
    expect(JSON.parse(received[1]!.body)).toMatchObject({ event: 'opened', alert: { id: 7 } });
    const again = await runCli(
      ['notifications', 'deliver', '--data-dir', join(dir, 'data')],
      allow,
    );
    expect(again.stdout).toBe('Attempted 0: 0 delivered, 0 failed (to be retried), 0 dead.\n');

    const log = await runCli(['notifications', 'log', '--status', 'delivered', ...data()]);
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).toMatch(/opened alert 7/);
    expect(log.stdout).toContain('2 of 2 deliveries.');
    const json = await runCli(['notifications', 'log', '--format', 'json', ...data()]);
    const items = JSON.parse(json.stdout) as NotificationDelivery[];
    expect(items.map((d) => d.event)).toEqual(['opened', 'test']);
    expect(json.stdout).not.toContain(SECRET);
    const wrong = await runCli(['notifications', 'log', '--status', 'lost', ...data()]);
    expect(wrong.code).toBe(2);
  });

  it('sends due notifications from serve, every TIERLINE_NOTIFY_SECONDS', async () => {
    const store = await openStore({ dataDir: join(dir, 'data') });
    try {
      const tenant = await getTenantBySlug(store.db, 'acme');
      const alert = {
        id: 8,
        rule: 'missed-target',
        ruleName: '连续三个月未达标',
        severity: 'warning' as const,
        status: 'resolved' as const,
        dealer: { id: 1, code: 'GD001', name: '广州天河食品', region: null },
        owner: null,
        title: '目标完成率恢复',
        summary: '',
        openedAt: '2026-03-01T00:00:00.000Z',
      };
      await withTenant(store.db, tenant.id, (trx) =>
        enqueueAlertNotices(trx, tenant.id, [{ event: 'resolved', alert }]),
      );
    } finally {
      await store.close();
    }
    const before = received.length;
    const serve = await startServe(
      ['--no-demo', '--port', '0', '--data-dir', join(dir, 'data'), '--tenant', 'acme'],
      { ...allow, TIERLINE_NOTIFY_SECONDS: '1' },
    );
    try {
      const deadline = Date.now() + 20_000;
      while (received.length === before && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(received.length).toBe(before + 1);
      expect(received.at(-1)?.headers['x-tierline-event']).toBe('resolved');
    } finally {
      await stop(serve.child);
    }
  });
});
