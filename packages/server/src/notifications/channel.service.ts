import type { Kysely } from 'kysely';
import { DomainError } from '@tierline/core';
import {
  NotificationConfigOf,
  type NewNotificationChannel,
  type NotificationChannel,
  type NotificationChannelKind,
  type NotificationChannelPatch,
  type NotificationDelivery,
  type NotificationPayload,
} from '@tierline/contract';
import type { Database } from '../db/database.js';
import { withTenant } from '../db/tenant-scope.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import { checkTargetHost, checkTargetUrl } from './address-guard.js';
import { deliverNow, type DeliveryOptions } from './delivery.service.js';
import {
  channelNameTaken,
  deleteChannel,
  findChannelConfig,
  findTenantForNotice,
  getChannel,
  getDelivery,
  insertChannel,
  insertDeliveries,
  requeueDelivery,
  updateChannel as updateChannelRow,
  type NoticeTenant,
} from './notification.repository.js';
import { publicUrl } from './notification.service.js';
import { unmaskUrl } from './redact.js';

/**
 * Notification channels: create, change, delete, send a test message; and retry a delivery.
 * Writes run in one transaction as the tenant with an audit event (which holds the channel as
 * answers show it: never its secret). Sending happens after the transaction commits, on short
 * transactions of its own (`deliverNow`).
 */

function invalid(path: string, message: string): DomainError {
  return new DomainError('validation_failed', `${path}: ${message}`, {
    fields: [{ in: 'body', path, message }],
  });
}

/** The config checked against its kind's schema, then its targets (SSRF protection). */
function checkConfig(kind: NotificationChannelKind, config: unknown): Record<string, unknown> {
  const parsed = NotificationConfigOf[kind].safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['config', ...(issue?.path ?? []).map(String)].join('.');
    throw invalid(path, issue?.message ?? 'invalid value');
  }
  const value = parsed.data as Record<string, unknown>;
  if (typeof value['url'] === 'string') checkTargetUrl(value['url'], 'config.url');
  if (typeof value['host'] === 'string') checkTargetHost(value['host'], 'config.host');
  return value;
}

async function checkName(
  db: Kysely<Database>,
  tenantId: number,
  name: string,
  exceptId: number | null,
): Promise<void> {
  if (await channelNameTaken(db, tenantId, name, exceptId)) {
    throw new DomainError(
      'conflict',
      `A notification channel named "${name}" exists already; choose another name.`,
      { field: 'name' },
    );
  }
}

export async function createChannel(
  db: Kysely<Database>,
  tenantId: number,
  input: NewNotificationChannel,
  origin: AuditOrigin,
): Promise<NotificationChannel> {
  const config = checkConfig(input.kind, input.config);
  return withTenant(db, tenantId, async (trx) => {
    await checkName(trx, tenantId, input.name, null);
    const id = await insertChannel(
      trx,
      tenantId,
      {
        name: input.name,
        kind: input.kind,
        config,
        secret: input.secret ?? null,
        minSeverity: input.minSeverity,
        events: input.events,
        regionCodes: input.regionCodes,
        enabled: input.enabled,
      },
      origin.actor.name,
    );
    const channel = await getChannel(trx, tenantId, id);
    await recordAudit(trx, tenantId, origin, {
      action: 'notification_channel.create',
      entityType: 'notification_channel',
      entityId: id,
      after: channel,
    });
    return channel;
  });
}

export async function updateChannel(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  patch: NotificationChannelPatch,
  origin: AuditOrigin,
  now = new Date(),
): Promise<NotificationChannel> {
  return withTenant(db, tenantId, async (trx) => {
    const before = await getChannel(trx, tenantId, id);
    const stored = await findChannelConfig(trx, tenantId, id);
    let config: Record<string, unknown> | undefined;
    if (patch.config !== undefined) {
      const submitted = { ...patch.config };
      // A URL sent back as the answer showed it (masked) keeps the stored one.
      if (typeof submitted['url'] === 'string') {
        const storedUrl =
          typeof stored?.config['url'] === 'string' ? stored.config['url'] : undefined;
        submitted['url'] = unmaskUrl(submitted['url'], storedUrl, before.kind);
      }
      config = checkConfig(before.kind, submitted);
    }
    if (patch.name !== undefined) await checkName(trx, tenantId, patch.name, id);
    await updateChannelRow(
      trx,
      tenantId,
      id,
      {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(config !== undefined && { config }),
        ...(patch.secret !== undefined && { secret: patch.secret }),
        ...(patch.minSeverity !== undefined && { minSeverity: patch.minSeverity }),
        ...(patch.events !== undefined && { events: patch.events }),
        ...(patch.regionCodes !== undefined && { regionCodes: patch.regionCodes }),
        ...(patch.enabled !== undefined && { enabled: patch.enabled }),
      },
      now,
    );
    const after = await getChannel(trx, tenantId, id);
    await recordAudit(trx, tenantId, origin, {
      action: 'notification_channel.update',
      entityType: 'notification_channel',
      entityId: id,
      before,
      after: { ...after, secretChanged: patch.secret !== undefined },
    });
    return after;
  });
}

/** Delete a channel and its delivery log (pending deliveries are never sent). */
export async function removeChannel(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  origin: AuditOrigin,
): Promise<NotificationChannel> {
  return withTenant(db, tenantId, async (trx) => {
    const before = await getChannel(trx, tenantId, id);
    await deleteChannel(trx, tenantId, id);
    await recordAudit(trx, tenantId, origin, {
      action: 'notification_channel.delete',
      entityType: 'notification_channel',
      entityId: id,
      before,
    });
    return before;
  });
}

/** The sample alert of a test message, in the tenant's language. */
export function testPayload(
  tenant: NoticeTenant,
  channelName: string,
  at: Date,
  link: string | null,
): NotificationPayload {
  const en = tenant.locale.toLowerCase().startsWith('en');
  return {
    event: 'test',
    alert: {
      id: 0,
      rule: 'test',
      ruleName: en ? 'Test message' : '测试消息',
      severity: 'info',
      status: 'open',
      dealer: { id: 0, code: 'TEST', name: en ? 'Sample dealer' : '示例经销商', region: null },
      owner: null,
      title: en ? `Channel "${channelName}" works` : `通知渠道“${channelName}”测试`,
      summary: en
        ? `If you can read this, Tierline's notification channel "${channelName}" is set up correctly.`
        : `收到这条消息，说明 Tierline 的通知渠道“${channelName}”已配置正确。`,
      openedAt: at.toISOString(),
    },
    tenant: {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      locale: tenant.locale,
      timeZone: tenant.timeZone,
    },
    link,
  };
}

/**
 * Send a test message over a channel now (even a disabled one) and answer how it went. The
 * delivery is logged like any other (event `test`, no alert) and is not retried: a failure is
 * final (dead) and can be retried by hand.
 */
export async function testChannel(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  origin: AuditOrigin,
  options: DeliveryOptions = {},
): Promise<NotificationDelivery> {
  const now = options.now ?? new Date();
  const deliveryId = await withTenant(db, tenantId, async (trx) => {
    const channel = await getChannel(trx, tenantId, id);
    const tenant = await findTenantForNotice(trx, tenantId);
    if (!tenant) throw new DomainError('not_found', 'The tenant does not exist.');
    const [deliveryId] = await insertDeliveries(trx, tenantId, [
      {
        channelId: id,
        event: 'test',
        alertId: null,
        payload: testPayload(tenant, channel.name, now, publicUrl()),
        nextAttemptAt: null,
      },
    ]);
    if (deliveryId === undefined) throw new Error('the test delivery was not written');
    await recordAudit(trx, tenantId, origin, {
      action: 'notification_channel.test',
      entityType: 'notification_channel',
      entityId: id,
      after: { deliveryId },
    });
    return deliveryId;
  });
  await deliverNow(db, tenantId, deliveryId, { ...options, now, maxAttempts: 1 });
  return withTenant(db, tenantId, (trx) => getDelivery(trx, tenantId, deliveryId), {
    readOnly: true,
  });
}

/** Send a failed or dead delivery again now, with a fresh round of attempts. */
export async function retryDelivery(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  origin: AuditOrigin,
  options: DeliveryOptions = {},
): Promise<NotificationDelivery> {
  const now = options.now ?? new Date();
  await withTenant(db, tenantId, async (trx) => {
    const before = await getDelivery(trx, tenantId, id);
    if (before.status !== 'failed' && before.status !== 'dead') {
      throw new DomainError(
        'conflict',
        `Delivery ${id} is ${before.status}; only a failed or dead delivery can be retried.`,
        { status: before.status },
      );
    }
    await requeueDelivery(trx, tenantId, id, now);
    await recordAudit(trx, tenantId, origin, {
      action: 'notification_delivery.retry',
      entityType: 'notification_delivery',
      entityId: id,
      before: { status: before.status, attempts: before.attempts, lastError: before.lastError },
    });
  });
  await deliverNow(db, tenantId, id, { ...options, now });
  return withTenant(db, tenantId, (trx) => getDelivery(trx, tenantId, id), { readOnly: true });
}
