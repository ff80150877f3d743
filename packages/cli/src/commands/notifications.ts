import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { DomainError } from '@tierline/core';
import {
  NewNotificationChannel,
  NotificationDeliveryStatus,
  type NotificationChannel,
  type NotificationDelivery,
} from '@tierline/contract';
import {
  createNotificationChannel,
  deliverDueNotifications,
  getTenantBySlug,
  listNotificationChannels,
  listNotificationDeliveries,
  testNotificationChannel,
  withTenant,
  type Store,
} from '@tierline/server';
import {
  openStoreFromOptions,
  tenantOption,
  addStoreOptions,
  type StoreOptions,
  type TenantOptions,
} from '../store-options.js';
import { EXIT, fail, parseInteger, UsageError } from '../errors.js';
import { cliOrigin } from '../cli-origin.js';

/** Open the store, find the tenant, run `fn`, close. */
async function withStore<T>(
  opts: TenantOptions,
  fn: (store: Store, tenantId: number) => Promise<T>,
): Promise<T> {
  const store = await openStoreFromOptions(opts);
  try {
    const tenant = await getTenantBySlug(store.db, opts.tenant);
    return await fn(store, tenant.id);
  } finally {
    await store.close();
  }
}

/** Where a channel sends: its (masked) URL, or the SMTP server and recipients. */
function target(channel: NotificationChannel): string {
  if (channel.kind === 'email') {
    const c = channel.config;
    return `smtp://${c.host}:${c.port} (${c.security}) → ${c.to.join(', ')}`;
  }
  return channel.config.url;
}

function channelLine(c: NotificationChannel): string {
  const filter = [
    `≥${c.minSeverity}`,
    c.events.join('/'),
    c.regionCodes ? `regions ${c.regionCodes.join(',')}` : 'all regions',
  ].join(' ');
  return `${String(c.id).padStart(4)}  ${c.enabled ? 'on ' : 'off'}  ${c.kind.padEnd(8)}  ${c.name}  [${filter}]  ${target(c)}${c.hasSecret ? '  (secret set)' : ''}\n`;
}

function deliveryLine(d: NotificationDelivery): string {
  const when = (d.deliveredAt ?? d.nextAttemptAt ?? d.createdAt).replace('T', ' ').slice(0, 19);
  const answer = d.responseStatus === null ? '' : ` ${d.responseStatus}`;
  const error = d.lastError ? `  ${d.lastError}` : '';
  return `${String(d.id).padStart(6)}  ${d.status.padEnd(9)} ${String(d.attempts).padStart(2)}×${answer}  ${when}  ${d.channel.name} (${d.channel.kind})  ${d.event}${d.alertId === null ? '' : ` alert ${d.alertId}`}${error}\n`;
}

async function readChannelFile(file: string): Promise<NewNotificationChannel> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`Cannot read ${file}: no such file.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = NewNotificationChannel.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `${i.path.map(String).join('.') || '(file)'}: ${i.message}`,
    );
    throw new DomainError(
      'validation_failed',
      `${file} is not a notification channel:\n  ${issues.join('\n  ')}`,
    );
  }
  return parsed.data;
}

export function notificationsCommand(): Command {
  const notifications = new Command('notifications').description(
    'Alert notifications: channels (webhook, DingTalk, WeCom, Feishu, e-mail), delivery, the delivery log',
  );
  const channels = notifications
    .command('channels')
    .description('Notification channels (their secrets are never shown)');

  tenantOption(channels.command('list').description('List the channels')).action(
    async (opts: TenantOptions) => {
      try {
        const items = await withStore(opts, (store, tenantId) =>
          withTenant(store.db, tenantId, (trx) => listNotificationChannels(trx, tenantId), {
            readOnly: true,
          }),
        );
        for (const c of items) process.stdout.write(channelLine(c));
        if (items.length === 0) {
          process.stdout.write(
            'No notification channels yet: add one with `tierline notifications channels add --file channel.json`.\n',
          );
        }
      } catch (error) {
        fail(error);
      }
    },
  );

  tenantOption(
    channels
      .command('add')
      .description('Add a channel from a JSON file (see docs/notifications.md)')
      .requiredOption('--file <file>', 'channel JSON: name, kind, config, secret, filter'),
  ).action(async (opts: TenantOptions & { file: string }) => {
    try {
      const input = await readChannelFile(opts.file);
      const created = await withStore(opts, (store, tenantId) =>
        createNotificationChannel(store.db, tenantId, input, cliOrigin()),
      );
      process.stdout.write(`Added channel ${created.id}:\n${channelLine(created)}`);
    } catch (error) {
      fail(error);
    }
  });

  tenantOption(
    channels
      .command('test')
      .description('Send a test message over a channel now and show how it went')
      .argument('<id>', 'channel id', parseInteger('id', 1, Number.MAX_SAFE_INTEGER)),
  ).action(async (id: number, opts: TenantOptions) => {
    try {
      const delivery = await withStore(opts, (store, tenantId) =>
        testNotificationChannel(store.db, tenantId, id, cliOrigin()),
      );
      process.stdout.write(deliveryLine(delivery));
      if (delivery.status !== 'delivered') {
        if (delivery.responseBody) process.stdout.write(`  answer: ${delivery.responseBody}\n`);
        process.exit(EXIT.failed);
      }
    } catch (error) {
      fail(error);
    }
  });

  addStoreOptions(
    notifications
      .command('deliver')
      .description(
        'Send every due notification of every tenant once (serve does so every TIERLINE_NOTIFY_SECONDS)',
      )
      .option('--limit <n>', 'at most this many (default 50)', parseInteger('--limit', 1, 10_000)),
  ).action(async (opts: StoreOptions & { limit?: number }) => {
    try {
      const store = await openStoreFromOptions(opts);
      try {
        const run = await deliverDueNotifications(store.db, { limit: opts.limit ?? 50 });
        process.stdout.write(
          `Attempted ${run.attempted}: ${run.delivered} delivered, ${run.failed} failed (to be retried), ${run.dead} dead.${run.deferred > 0 ? ` ${run.deferred} held back by the robots' rate limits.` : ''}\n`,
        );
      } finally {
        await store.close();
      }
    } catch (error) {
      fail(error);
    }
  });

  tenantOption(
    notifications
      .command('log')
      .description('The delivery log, newest first')
      .addOption(
        new Option('--status <status>', 'only this status').choices(
          NotificationDeliveryStatus.options,
        ),
      )
      .option(
        '--channel <id>',
        'only this channel',
        parseInteger('--channel', 1, Number.MAX_SAFE_INTEGER),
      )
      .option('--limit <n>', 'how many (default 50)', parseInteger('--limit', 1, 500))
      .addOption(
        new Option('--format <format>', 'table or json')
          .choices(['table', 'json'])
          .default('table'),
      ),
  ).action(
    async (
      opts: TenantOptions & {
        status?: NotificationDelivery['status'];
        channel?: number;
        limit?: number;
        format: 'table' | 'json';
      },
    ) => {
      try {
        const page = await withStore(opts, (store, tenantId) =>
          withTenant(
            store.db,
            tenantId,
            (trx) =>
              listNotificationDeliveries(trx, tenantId, {
                status: opts.status,
                channelId: opts.channel,
                limit: opts.limit ?? 50,
                cursor: undefined,
              }),
            { readOnly: true },
          ),
        );
        if (opts.format === 'json') {
          process.stdout.write(`${JSON.stringify(page.items, null, 2)}\n`);
          return;
        }
        for (const d of page.items) process.stdout.write(deliveryLine(d));
        process.stdout.write(`${page.items.length} of ${page.total} deliveries.\n`);
      } catch (error) {
        fail(error);
      }
    },
  );
  return notifications;
}
