import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { addMonths, DomainError, type AlertSeverity, type AlertStatus } from '@tierline/core';
import type {
  AlertAssignee,
  AlertDetail,
  AlertEvent,
  AlertListQuery,
  AlertPage,
  AlertSummary,
  Role,
} from '@tierline/contract';
import type { AlertEventTable, Database } from '../db/database.js';
import type { DealerScope } from '../auth/policy.js';
import { dealerScopeCondition } from '../dealers/dealer-scope.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';

/** What evaluation needs of the latest alert of each (rule, dealer). */
export interface AlertState {
  id: number;
  ruleCode: string;
  ruleId: number;
  ruleVersion: number;
  dealerId: number;
  status: AlertStatus;
  severity: AlertSeverity;
  month: string;
  title: string;
  evidence: unknown;
  hasDiagnosis: boolean;
  resolvedBy: string | null;
  clearedAt: Date | null;
  ownerUserId: number | null;
  openedAt: Date;
}

/** The latest alert of each rule and dealer among some dealers. */
export async function latestAlerts(
  db: Kysely<Database>,
  tenantId: number,
  dealerIds: readonly number[],
): Promise<AlertState[]> {
  if (dealerIds.length === 0) return [];
  const { rows } = await sql<{
    id: number;
    rule_code: string;
    rule_id: number;
    rule_version: number;
    dealer_id: number;
    status: AlertStatus;
    severity: AlertSeverity;
    month: string;
    title: string;
    evidence: unknown;
    has_diagnosis: boolean;
    resolved_by: string | null;
    cleared_at: Date | null;
    owner_user_id: number | null;
    opened_at: Date;
  }>`
    select distinct on (rule_code, dealer_id) id, rule_code, rule_id, rule_version, dealer_id,
      status, severity, month, title, evidence, diagnosis is not null as has_diagnosis,
      resolved_by, cleared_at, owner_user_id, opened_at
    from alert
    where tenant_id = ${tenantId} and dealer_id = any(${sql.val([...dealerIds])}::bigint[])
    order by rule_code, dealer_id, id desc`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    ruleCode: r.rule_code,
    ruleId: r.rule_id,
    ruleVersion: r.rule_version,
    dealerId: r.dealer_id,
    status: r.status,
    severity: r.severity,
    month: r.month,
    title: r.title,
    evidence: r.evidence,
    hasDiagnosis: r.has_diagnosis,
    resolvedBy: r.resolved_by,
    clearedAt: r.cleared_at,
    ownerUserId: r.owner_user_id,
    openedAt: r.opened_at,
  }));
}

export interface NewAlertEvent {
  alertId: number;
  kind: AlertEventTable['kind'];
  actor: { kind: string; id: number | null; name: string };
  text: string;
  data?: Record<string, unknown> | null;
}

/** Append history events. */
export async function insertAlertEvents(
  db: Kysely<Database>,
  tenantId: number,
  events: readonly NewAlertEvent[],
  at: Date,
): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    await db
      .insertInto('alert_event')
      .values(
        events.slice(i, i + 500).map((e) => ({
          tenant_id: tenantId,
          alert_id: e.alertId,
          kind: e.kind,
          actor_kind: e.actor.kind,
          actor_id: e.actor.id,
          actor_name: e.actor.name,
          text: e.text,
          data: e.data ? JSON.stringify(e.data) : null,
          at,
        })),
      )
      .execute();
  }
}

const SUMMARY_SELECT = sql`
  a.id, a.rule_code, coalesce(r.document->>'name', a.rule_code) as rule_name, a.rule_version,
  a.kind, a.severity, a.status, a.title, a.title_en, a.month, a.opened_at, a.updated_at,
  a.resolved_at, d.id as dealer_id, d.code as dealer_code, d.name as dealer_name,
  g.code as region_code, g.name as region_name, u.id as owner_id, u.display_name as owner_name`;

const SUMMARY_FROM = sql`
  from alert a
  join dealer d on d.tenant_id = a.tenant_id and d.id = a.dealer_id
  left join region g on g.tenant_id = d.tenant_id and g.id = d.region_id
  left join alert_rule r on r.tenant_id = a.tenant_id and r.id = a.rule_id
  left join app_user u on u.tenant_id = a.tenant_id and u.id = a.owner_user_id`;

interface SummaryRow {
  id: number;
  rule_code: string;
  rule_name: string;
  rule_version: number;
  kind: string;
  severity: AlertSeverity;
  status: AlertStatus;
  title: string;
  title_en: string;
  month: string;
  opened_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
  dealer_id: number;
  dealer_code: string;
  dealer_name: string;
  region_code: string | null;
  region_name: string | null;
  owner_id: number | null;
  owner_name: string | null;
}

function toSummary(r: SummaryRow): AlertSummary {
  return {
    id: r.id,
    rule: { code: r.rule_code, name: r.rule_name, version: r.rule_version },
    kind: r.kind,
    severity: r.severity,
    status: r.status,
    dealer: {
      id: r.dealer_id,
      code: r.dealer_code,
      name: r.dealer_name,
      region:
        r.region_code !== null
          ? { code: r.region_code, name: r.region_name ?? r.region_code }
          : null,
    },
    owner: r.owner_id !== null ? { id: r.owner_id, name: r.owner_name ?? '' } : null,
    title: r.title,
    titleEn: r.title_en,
    month: r.month,
    openedAt: r.opened_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    resolvedAt: r.resolved_at ? r.resolved_at.toISOString() : null,
  };
}

/** Region ids of a region code and everything below it (empty when the code is unknown). */
async function regionSubtree(
  db: Kysely<Database>,
  tenantId: number,
  code: string,
): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    with recursive sub(id) as (
      select id from region where tenant_id = ${tenantId} and code = ${code}
      union
      select r.id from region r join sub on r.parent_id = sub.id where r.tenant_id = ${tenantId})
    select id from sub`.execute(db);
  return rows.map((r) => r.id);
}

type Filter = Omit<AlertListQuery, 'limit' | 'cursor'>;

function conditions(
  tenantId: number,
  scope: DealerScope,
  filter: Filter,
  regionIds: number[] | null,
  userId: number | null,
  skip: 'severity' | 'status' | null,
) {
  const parts = [sql<SqlBool>`a.tenant_id = ${tenantId}`];
  const inScope = dealerScopeCondition(scope, 'd');
  if (inScope) parts.push(inScope);
  if (filter.severity && skip !== 'severity')
    parts.push(sql<SqlBool>`a.severity = ${filter.severity}`);
  if (filter.status && skip !== 'status') {
    parts.push(
      filter.status === 'active'
        ? sql<SqlBool>`a.status in ('open', 'acknowledged')`
        : sql<SqlBool>`a.status = ${filter.status}`,
    );
  }
  if (regionIds !== null) {
    parts.push(
      regionIds.length === 0
        ? sql<SqlBool>`false`
        : sql<SqlBool>`d.region_id in (${sql.join(regionIds)})`,
    );
  }
  if (filter.owner === 'none') parts.push(sql<SqlBool>`a.owner_user_id is null`);
  else if (filter.owner === 'me') parts.push(sql<SqlBool>`a.owner_user_id = ${userId ?? -1}`);
  else if (filter.owner) parts.push(sql<SqlBool>`a.owner_user_id = ${Number(filter.owner)}`);
  if (filter.rule) parts.push(sql<SqlBool>`a.rule_code = ${filter.rule}`);
  if (filter.dealer) parts.push(sql<SqlBool>`a.dealer_id = ${filter.dealer}`);
  return sql.join(parts, sql` and `);
}

/**
 * Alerts in the caller's scope, newest first, with keyset paging, the total that matches and
 * the counts per severity and per status (each with the other filters applied).
 */
export async function listAlerts(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  query: AlertListQuery,
  userId: number | null,
): Promise<AlertPage> {
  const { limit, cursor, ...filter } = query;
  const regionIds = filter.region ? await regionSubtree(db, tenantId, filter.region) : null;
  const where = conditions(tenantId, scope, filter, regionIds, userId, null);
  let after = sql``;
  if (cursor) {
    const [at, id] = decodeCursor(cursor, ['string', 'number']);
    after = sql`and (a.opened_at, a.id) < (${new Date(at)}::timestamptz, ${id})`;
  }
  const { rows } = await sql<SummaryRow>`
    select ${SUMMARY_SELECT} ${SUMMARY_FROM}
    where ${where} ${after}
    order by a.opened_at desc, a.id desc limit ${limit + 1}`.execute(db);
  const page = rows.slice(0, limit);
  const total = await sql<{ n: number }>`
    select count(*)::int as n ${SUMMARY_FROM} where ${where}`.execute(db);
  const bySeverity = await sql<{ k: AlertSeverity; n: number }>`
    select a.severity as k, count(*)::int as n ${SUMMARY_FROM}
    where ${conditions(tenantId, scope, filter, regionIds, userId, 'severity')} group by 1`.execute(
    db,
  );
  const byStatus = await sql<{ k: AlertStatus; n: number }>`
    select a.status as k, count(*)::int as n ${SUMMARY_FROM}
    where ${conditions(tenantId, scope, filter, regionIds, userId, 'status')} group by 1`.execute(
    db,
  );
  const last = page[page.length - 1];
  return {
    items: page.map(toSummary),
    total: total.rows[0]?.n ?? 0,
    nextCursor:
      rows.length > limit && last ? encodeCursor([last.opened_at.toISOString(), last.id]) : null,
    totals: {
      severity: {
        info: 0,
        warning: 0,
        critical: 0,
        ...Object.fromEntries(bySeverity.rows.map((r) => [r.k, r.n])),
      },
      status: {
        open: 0,
        acknowledged: 0,
        resolved: 0,
        dismissed: 0,
        ...Object.fromEntries(byStatus.rows.map((r) => [r.k, r.n])),
      },
    },
  };
}

/** Active (open or acknowledged) alerts of one dealer, most severe first. */
export async function activeAlertsOfDealer(
  db: Kysely<Database>,
  tenantId: number,
  dealerId: number,
): Promise<AlertSummary[]> {
  const { rows } = await sql<SummaryRow>`
    select ${SUMMARY_SELECT} ${SUMMARY_FROM}
    where a.tenant_id = ${tenantId} and a.dealer_id = ${dealerId}
      and a.status in ('open', 'acknowledged')
    order by case a.severity when 'critical' then 0 when 'warning' then 1 else 2 end, a.opened_at desc, a.id desc`.execute(
    db,
  );
  return rows.map(toSummary);
}

/** One alert in the caller's scope, for a lifecycle action; throws not-found outside it. */
export async function getAlertForUpdate(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  id: number,
): Promise<AlertSummary & { resolution: string | null; dealerParentId: number | null }> {
  const inScope = dealerScopeCondition(scope, 'd');
  const { rows } = await sql<SummaryRow & { resolution: string | null; parent_id: number | null }>`
    select ${SUMMARY_SELECT}, a.resolution, d.parent_id ${SUMMARY_FROM}
    where a.tenant_id = ${tenantId} and a.id = ${id} ${inScope ? sql`and ${inScope}` : sql``}
    for update of a`.execute(db);
  const row = rows[0];
  if (!row)
    throw new DomainError('not_found', `Alert ${id} does not exist.`, { what: 'Alert', key: id });
  return { ...toSummary(row), resolution: row.resolution, dealerParentId: row.parent_id };
}

/** One alert with its evidence, diagnosis, history and the dealer's last 24 months. */
export async function getAlertDetail(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  id: number,
): Promise<AlertDetail> {
  const inScope = dealerScopeCondition(scope, 'd');
  const { rows } = await sql<
    SummaryRow & {
      evidence: AlertDetail['evidence'];
      diagnosis: AlertDetail['diagnosis'];
      resolution: string | null;
    }
  >`
    select ${SUMMARY_SELECT}, a.evidence, a.diagnosis, a.resolution ${SUMMARY_FROM}
    where a.tenant_id = ${tenantId} and a.id = ${id} ${inScope ? sql`and ${inScope}` : sql``}`.execute(
    db,
  );
  const row = rows[0];
  if (!row)
    throw new DomainError('not_found', `Alert ${id} does not exist.`, { what: 'Alert', key: id });
  const events = await db
    .selectFrom('alert_event')
    .select(['id', 'kind', 'actor_kind', 'actor_name', 'text', 'data', 'at'])
    .where('tenant_id', '=', tenantId)
    .where('alert_id', '=', id)
    .orderBy('id')
    .execute();
  const series = await db
    .selectFrom('dealer_month')
    .select([
      sql<string>`to_char(month, 'YYYY-MM')`.as('m'),
      'sales_amount',
      'sales_quantity',
      'target_amount',
    ])
    .where('tenant_id', '=', tenantId)
    .where('dealer_id', '=', row.dealer_id)
    .where('month', '>', `${addMonths(row.month, -24)}-01`)
    .where('month', '<=', `${row.month}-01`)
    .orderBy('month')
    .execute();
  return {
    ...toSummary(row),
    evidence: row.evidence,
    diagnosis: row.diagnosis ?? null,
    resolution: row.resolution,
    events: events.map((e): AlertEvent => ({
      id: e.id,
      kind: e.kind,
      actor: { kind: e.actor_kind, name: e.actor_name },
      text: e.text,
      data: (e.data as Record<string, unknown> | null) ?? null,
      at: e.at.toISOString(),
    })),
    series: series.map((s) => ({
      month: s.m,
      sales: s.sales_amount,
      quantity: s.sales_quantity,
      target: s.target_amount,
    })),
  };
}

/** The dealer's health row, or undefined when never evaluated. */
export async function findDealerHealth(db: Kysely<Database>, tenantId: number, dealerId: number) {
  return db
    .selectFrom('dealer_health')
    .select(['band', 'reasons', 'trend', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .where('dealer_id', '=', dealerId)
    .executeTakeFirst();
}

/** Whether a dealer of the tenant is inside the scope. */
export async function dealerInScope(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  dealerId: number,
): Promise<boolean> {
  const inScope = dealerScopeCondition(scope, 'd');
  const { rows } = await sql<{ id: number }>`
    select d.id from dealer d
    where d.tenant_id = ${tenantId} and d.id = ${dealerId} ${inScope ? sql`and ${inScope}` : sql``}`.execute(
    db,
  );
  return rows.length > 0;
}

/**
 * Whether a user of `role` sees the dealer whose region path is `dealer_path` (below), as
 * `auth/policy.ts` `scopeOf` and `dealers/dealer-scope.ts` define it: admins and analysts the
 * whole tenant; a channel manager the dealers of its regions and below, and the sub-dealers of a
 * 一级 dealer there; a dealer user its own dealer.
 */
function userSeesDealer(role: Role, dealerId: number): RawBuilder<SqlBool> {
  switch (role) {
    case 'admin':
    case 'analyst':
      return sql<SqlBool>`true`;
    case 'channel_manager':
      return sql<SqlBool>`exists (
        select 1 from user_region ur
        where ur.tenant_id = u.tenant_id and ur.user_id = u.id
          and ur.region_id in (select id from dealer_path))`;
    case 'dealer':
      return sql<SqlBool>`u.dealer_id = ${dealerId}`;
  }
}

/**
 * Active users of the given roles, by name, and with `dealerId` only those whose scope covers
 * that dealer; `userId` narrows to one user (to check an owner). A manager sees a dealer when
 * one of its regions is the dealer's region or above it, or above the region of the dealer's
 * 一级 parent: the same dealers `resolveRegionScope` gives it, found from the dealer's side in
 * one statement instead of one scope per manager.
 */
export async function listAssignees(
  db: Kysely<Database>,
  tenantId: number,
  options: { roles: readonly Role[]; dealerId?: number | undefined; userId?: number | undefined },
): Promise<AlertAssignee[]> {
  const { roles, dealerId, userId } = options;
  if (roles.length === 0) return [];
  const byRole = sql.join(
    roles.map((role) =>
      dealerId === undefined
        ? sql<SqlBool>`u.role = ${role}`
        : sql<SqlBool>`(u.role = ${role} and ${userSeesDealer(role, dealerId)})`,
    ),
    sql` or `,
  );
  const path =
    dealerId === undefined
      ? sql``
      : sql`with recursive dealer_path(id, parent_id) as (
          select r.id, r.parent_id from region r
          where r.tenant_id = ${tenantId} and r.id in (
            select d.region_id from dealer d where d.tenant_id = ${tenantId} and d.id = ${dealerId}
            union all
            select p.region_id from dealer d
            join dealer p on p.tenant_id = d.tenant_id and p.id = d.parent_id
            where d.tenant_id = ${tenantId} and d.id = ${dealerId} and p.chain_level = 1)
          union
          select r.id, r.parent_id from region r join dealer_path on r.id = dealer_path.parent_id
          where r.tenant_id = ${tenantId})`;
  const { rows } = await sql<{ id: number; display_name: string; role: Role }>`
    ${path}
    select u.id, u.display_name, u.role from app_user u
    where u.tenant_id = ${tenantId} and u.status = 'active' and (${byRole})
      ${userId === undefined ? sql`` : sql`and u.id = ${userId}`}
    order by u.display_name, u.id`.execute(db);
  return rows.map((r) => ({ id: r.id, name: r.display_name, role: r.role }));
}
