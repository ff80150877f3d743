import { sql, type Kysely, type Selectable } from 'kysely';
import { notFound } from '@tierline/core';
import type {
  NotificationChannel,
  NotificationChannelKind,
  NotificationDelivery,
  NotificationDeliveryQuery,
  NotificationEvent,
  NotificationPayload,
  NotificationSeverity,
} from '@tierline/contract';
import type { Database, NotificationChannelTable } from '../db/database.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { maskUrl } from './redact.js';
import { mapUrl, seal, unseal } from './sealed.js';

type ChannelRow = Selectable<NotificationChannelTable>;

/** What matching a notice needs of a channel. */
export interface ChannelFilter {
  id: number;
  kind: NotificationChannelKind;
  minSeverity: NotificationSeverity;
  events: readonly string[];
  regionCodes: readonly string[] | null;
}

export interface NoticeTenant {
  id: number;
  slug: string;
  name: string;
  locale: string;
  timeZone: string;
}

export interface NewDelivery {
  channelId: number;
  event: NotificationDelivery['event'];
  alertId: number | null;
  payload: NotificationPayload;
  /** null: only `deliverNow` sends it (a test message), never the worker. */
  nextAttemptAt: Date | null;
}

export async function listEnabledChannels(
  db: Kysely<Database>,
  tenantId: number,
): Promise<ChannelFilter[]> {
  const rows = await db
    .selectFrom('notification_channel')
    .select(['id', 'kind', 'min_severity', 'events', 'region_codes'])
    .where('tenant_id', '=', tenantId)
    .where('enabled', '=', true)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    minSeverity: r.min_severity,
    events: r.events,
    regionCodes: r.region_codes,
  }));
}

export async function findTenantForNotice(
  db: Kysely<Database>,
  tenantId: number,
): Promise<NoticeTenant | undefined> {
  return db
    .selectFrom('tenant')
    .select(['id', 'slug', 'name', 'locale', 'time_zone as timeZone'])
    .where('id', '=', tenantId)
    .executeTakeFirst();
}

/** Each dealer's region code and those of the region's ancestors. */
export async function listDealerRegionCodes(
  db: Kysely<Database>,
  tenantId: number,
  dealerIds: readonly number[],
): Promise<Map<number, string[]>> {
  const ids = [...new Set(dealerIds)];
  const result = new Map<number, string[]>();
  if (ids.length === 0) return result;
  const { rows } = await sql<{ dealer_id: number; code: string }>`
    with recursive up (dealer_id, code, parent_id, depth) as (
      select d.id, r.code, r.parent_id, 0
      from dealer d
      join region r on r.tenant_id = d.tenant_id and r.id = d.region_id
      where d.tenant_id = ${tenantId} and d.id = any(${ids}::bigint[])
      union all
      select up.dealer_id, r.code, r.parent_id, up.depth + 1
      from up join region r on r.tenant_id = ${tenantId} and r.id = up.parent_id
      where up.depth < 16
    )
    select dealer_id, code from up`.execute(db);
  for (const row of rows) {
    const codes = result.get(row.dealer_id) ?? [];
    codes.push(row.code);
    result.set(row.dealer_id, codes);
  }
  return result;
}

/** Insert outbox rows; returns their ids. */
export async function insertDeliveries(
  db: Kysely<Database>,
  tenantId: number,
  rows: readonly NewDelivery[],
): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += 1000) {
    const chunk = rows.slice(start, start + 1000);
    const result = await db
      .insertInto('notification_delivery')
      .values(
        chunk.map((r) => ({
          tenant_id: tenantId,
          channel_id: r.channelId,
          event: r.event,
          alert_id: r.alertId,
          payload: JSON.stringify(r.payload),
          status: 'pending' as const,
          next_attempt_at: r.nextAttemptAt,
        })),
      )
      .returning('id')
      .execute();
    ids.push(...result.map((r) => r.id));
  }
  return ids;
}

// ---- channels -------------------------------------------------------------------------------

const channelColumns = [
  'id',
  'name',
  'kind',
  'config',
  'min_severity',
  'events',
  'region_codes',
  'enabled',
  'created_by',
  'created_at',
  'updated_at',
] as const;

type ChannelOut = Pick<ChannelRow, (typeof channelColumns)[number]> & { has_secret: boolean };

/**
 * A channel as answers show it: robot URLs opened (sealed.ts) and masked (redact.ts), the secret
 * only as a flag. A URL that does not open with this server's key shows as such.
 */
function toChannel(tenantId: number, row: ChannelOut): NotificationChannel {
  // The config was checked against the kind's schema when it was written.
  const config = mapUrl(row.config, (url) => {
    try {
      return maskUrl(unseal(url, tenantId, 'url'), row.kind);
    } catch {
      return '(sealed with another secret key)';
    }
  });
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    config,
    hasSecret: row.has_secret,
    minSeverity: row.min_severity,
    events: row.events as NotificationEvent[],
    regionCodes: row.region_codes,
    enabled: row.enabled,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  } as NotificationChannel;
}

function selectChannels(db: Kysely<Database>, tenantId: number) {
  return db
    .selectFrom('notification_channel')
    .select(channelColumns)
    .select(sql<boolean>`secret is not null`.as('has_secret'))
    .where('tenant_id', '=', tenantId);
}

export async function listChannels(
  db: Kysely<Database>,
  tenantId: number,
): Promise<NotificationChannel[]> {
  const rows = await selectChannels(db, tenantId).orderBy('id').execute();
  return rows.map((row) => toChannel(tenantId, row));
}

export async function findChannel(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<NotificationChannel | undefined> {
  const row = await selectChannels(db, tenantId).where('id', '=', id).executeTakeFirst();
  return row ? toChannel(tenantId, row) : undefined;
}

export async function getChannel(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<NotificationChannel> {
  const channel = await findChannel(db, tenantId, id);
  if (!channel) throw notFound('Notification channel', id);
  return channel;
}

/** The stored kind and config, opened (unmasked), for a change to merge into. */
export async function findChannelConfig(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<{ kind: NotificationChannelKind; config: Record<string, unknown> } | undefined> {
  const row = await db
    .selectFrom('notification_channel')
    .select(['kind', 'config'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { kind: row.kind, config: mapUrl(row.config, (u) => unseal(u, tenantId, 'url')) };
}

export async function channelNameTaken(
  db: Kysely<Database>,
  tenantId: number,
  name: string,
  exceptId: number | null,
): Promise<boolean> {
  let query = db
    .selectFrom('notification_channel')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name);
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export interface ChannelValues {
  name: string;
  kind: NotificationChannelKind;
  config: Record<string, unknown>;
  secret: string | null;
  minSeverity: NotificationSeverity;
  events: readonly string[];
  regionCodes: readonly string[] | null;
  enabled: boolean;
}

export async function insertChannel(
  db: Kysely<Database>,
  tenantId: number,
  values: ChannelValues,
  createdBy: string,
): Promise<number> {
  const row = await db
    .insertInto('notification_channel')
    .values({
      tenant_id: tenantId,
      name: values.name,
      kind: values.kind,
      config: JSON.stringify(mapUrl(values.config, (u) => seal(u, tenantId, 'url'))),
      secret: values.secret === null ? null : seal(values.secret, tenantId, 'secret'),
      min_severity: values.minSeverity,
      events: [...values.events],
      region_codes: values.regionCodes === null ? null : [...values.regionCodes],
      enabled: values.enabled,
      created_by: createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Set what `values` holds (credentials sealed); `secret: undefined` keeps the secret. */
export async function updateChannel(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  values: Partial<ChannelValues>,
  now: Date,
): Promise<void> {
  await db
    .updateTable('notification_channel')
    .set({
      ...(values.name !== undefined && { name: values.name }),
      ...(values.config !== undefined && {
        config: JSON.stringify(mapUrl(values.config, (u) => seal(u, tenantId, 'url'))),
      }),
      ...(values.secret !== undefined && {
        secret: values.secret === null ? null : seal(values.secret, tenantId, 'secret'),
      }),
      ...(values.minSeverity !== undefined && { min_severity: values.minSeverity }),
      ...(values.events !== undefined && { events: [...values.events] }),
      ...(values.regionCodes !== undefined && {
        region_codes: values.regionCodes === null ? null : [...values.regionCodes],
      }),
      ...(values.enabled !== undefined && { enabled: values.enabled }),
      updated_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function deleteChannel(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<void> {
  await db
    .deleteFrom('notification_channel')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

// ---- deliveries -----------------------------------------------------------------------------

function selectDeliveries(db: Kysely<Database>, tenantId: number) {
  return db
    .selectFrom('notification_delivery as d')
    .innerJoin('notification_channel as c', (join) =>
      join.onRef('c.tenant_id', '=', 'd.tenant_id').onRef('c.id', '=', 'd.channel_id'),
    )
    .select([
      'd.id',
      'd.channel_id',
      'c.name as channel_name',
      'c.kind as channel_kind',
      'd.event',
      'd.alert_id',
      'd.status',
      'd.attempts',
      'd.next_attempt_at',
      'd.last_error',
      'd.response_status',
      'd.response_body',
      'd.payload',
      'd.created_at',
      'd.delivered_at',
    ])
    .where('d.tenant_id', '=', tenantId);
}

type DeliveryOut = Awaited<
  ReturnType<ReturnType<typeof selectDeliveries>['executeTakeFirstOrThrow']>
>;

function toDelivery(row: DeliveryOut): NotificationDelivery {
  return {
    id: row.id,
    channel: { id: row.channel_id, name: row.channel_name, kind: row.channel_kind },
    event: row.event,
    alertId: row.alert_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    lastError: row.last_error,
    responseStatus: row.response_status,
    responseBody: row.response_body,
    payload: row.payload as NotificationPayload,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  };
}

export async function findDelivery(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<NotificationDelivery | undefined> {
  const row = await selectDeliveries(db, tenantId).where('d.id', '=', id).executeTakeFirst();
  return row ? toDelivery(row) : undefined;
}

export async function getDelivery(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<NotificationDelivery> {
  const delivery = await findDelivery(db, tenantId, id);
  if (!delivery) throw notFound('Notification delivery', id);
  return delivery;
}

/** Newest first, keyset-paged on the id. */
export async function listDeliveries(
  db: Kysely<Database>,
  tenantId: number,
  query: NotificationDeliveryQuery,
): Promise<{ items: NotificationDelivery[]; total: number; nextCursor: string | null }> {
  let base = db.selectFrom('notification_delivery as d').where('d.tenant_id', '=', tenantId);
  if (query.status) base = base.where('d.status', '=', query.status);
  if (query.channelId) base = base.where('d.channel_id', '=', query.channelId);
  if (query.alertId) base = base.where('d.alert_id', '=', query.alertId);
  const { total } = await base
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();

  let page = selectDeliveries(db, tenantId);
  if (query.status) page = page.where('d.status', '=', query.status);
  if (query.channelId) page = page.where('d.channel_id', '=', query.channelId);
  if (query.alertId) page = page.where('d.alert_id', '=', query.alertId);
  if (query.cursor) {
    const [afterId] = decodeCursor(query.cursor, ['number'] as const);
    page = page.where('d.id', '<', afterId);
  }
  const rows = await page
    .orderBy('d.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const more = rows.length > query.limit;
  const items = rows.slice(0, query.limit).map(toDelivery);
  const last = items.at(-1);
  return {
    items,
    total: Number(total),
    nextCursor: more && last ? encodeCursor([last.id]) : null,
  };
}

/** Make a failed or dead delivery due now, with a fresh round of attempts. */
export async function requeueDelivery(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  now: Date,
): Promise<void> {
  await db
    .updateTable('notification_delivery')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}
