import { sql, type Kysely, type SqlBool } from 'kysely';
import type { AuditActorKind, AuditEvent, AuditPage, AuditQuery } from '@tierline/contract';
import type { AuditEventRow, Database } from '../db/database.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';

export interface AuditActor {
  kind: AuditActorKind;
  id: number | null;
  name: string;
}

/** Where a change came from: the caller and, for HTTP, its address and user agent. */
export interface AuditOrigin {
  actor: AuditActor;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Append one event to the tenant's audit trail, in the caller's transaction so that the event
 * exists exactly when the change does. Requests cannot update or delete events: the database
 * role they run as has no such grant.
 */
export async function recordAudit(
  db: Kysely<Database>,
  tenantId: number,
  origin: AuditOrigin,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      tenant_id: tenantId,
      actor_kind: origin.actor.kind,
      actor_id: origin.actor.id,
      actor_name: origin.actor.name,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId === null ? null : String(entry.entityId),
      ip: origin.ip,
      user_agent: origin.userAgent?.slice(0, 300) ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

export type AuditFilter = Omit<AuditQuery, 'limit' | 'cursor'>;

function filtered(db: Kysely<Database>, tenantId: number, filter: AuditFilter) {
  let qb = db.selectFrom('audit_event').where('tenant_id', '=', tenantId);
  if (filter.action) {
    qb = filter.action.endsWith('.')
      ? qb.where(sql<SqlBool>`starts_with(action, ${filter.action})`)
      : qb.where('action', '=', filter.action);
  }
  if (filter.actor) qb = qb.where('actor_name', '=', filter.actor);
  if (filter.entityType) qb = qb.where('entity_type', '=', filter.entityType);
  if (filter.entityId) qb = qb.where('entity_id', '=', filter.entityId);
  if (filter.from) qb = qb.where('at', '>=', new Date(filter.from));
  if (filter.to) qb = qb.where('at', '<', new Date(filter.to));
  return qb;
}

export function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    action: row.action,
    entity: { type: row.entity_type, id: row.entity_id },
    ip: row.ip,
    userAgent: row.user_agent,
    before: row.before ?? null,
    after: row.after ?? null,
  };
}

/** Up to `limit` events after the keyset position, newest first. */
export async function auditRows(
  db: Kysely<Database>,
  tenantId: number,
  filter: AuditFilter,
  limit: number,
  after: { at: string; id: number } | undefined,
): Promise<AuditEventRow[]> {
  let qb = filtered(db, tenantId, filter).selectAll();
  if (after) {
    qb = qb.where(sql<SqlBool>`(at, id) < (${new Date(after.at)}::timestamptz, ${after.id})`);
  }
  return qb.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Newest first, with keyset pagination and the total that matches the filter. */
export async function listAudit(
  db: Kysely<Database>,
  tenantId: number,
  query: AuditQuery,
): Promise<AuditPage> {
  const { limit, cursor, ...filter } = query;
  const after = cursor
    ? (([at, id]) => ({ at, id }))(decodeCursor(cursor, ['string', 'number']))
    : undefined;
  const rows = await auditRows(db, tenantId, filter, limit + 1, after);
  const page = rows.slice(0, limit);
  const total = await filtered(db, tenantId, filter)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  const last = page[page.length - 1];
  return {
    items: page.map(toAuditEvent),
    total: total.n,
    nextCursor: rows.length > limit && last ? encodeCursor([last.at.toISOString(), last.id]) : null,
  };
}
