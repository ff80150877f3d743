import { sql, type Kysely } from 'kysely';
import { DomainError, healthBand } from '@tierline/core';
import type {
  AlertAssignee,
  AlertDetail,
  DealerHealth,
  PortalAlert,
  Role,
} from '@tierline/contract';
import type { Database } from '../db/database.js';
import { ROLE_PERMISSIONS, type DealerScope } from '../auth/policy.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import { dealerScopeCondition } from '../dealers/dealer-scope.js';
import { enqueueAlertNotices } from '../notifications/notification.service.js';
import {
  activeAlertsOfDealer,
  dealerInScope,
  findDealerHealth,
  getAlertDetail,
  getAlertForUpdate,
  insertAlertEvents,
  listAssignees,
} from './alert.repository.js';

type Action = 'acknowledge' | 'resolve' | 'dismiss' | 'comment' | 'assign';

export type AlertAction =
  | { action: 'acknowledge'; comment?: string | undefined }
  | { action: 'resolve'; note?: string | undefined }
  | { action: 'dismiss'; reason: string }
  | { action: 'comment'; text: string }
  | { action: 'assign'; ownerUserId: number | null };

const DONE: Record<Action, string> = {
  acknowledge: 'acknowledged',
  resolve: 'resolved',
  dismiss: 'dismissed',
  comment: 'commented',
  assign: 'assigned',
};

const ALLOWED_FROM: Record<Action, readonly string[]> = {
  acknowledge: ['open'],
  resolve: ['open', 'acknowledged'],
  dismiss: ['open', 'acknowledged'],
  comment: ['open', 'acknowledged', 'resolved', 'dismissed'],
  assign: ['open', 'acknowledged'],
};

/**
 * One step of an alert's life by a person, in the caller's transaction, with its history event
 * and an audit event: acknowledge (open → acknowledged), resolve (open/acknowledged → resolved,
 * with a note; a notice goes out), dismiss (→ dismissed, with a reason of at least 5 characters:
 * the condition stays quiet until it clears), comment (any status), assign (an active user who
 * may manage alerts and sees the dealer — see `alertAssignees` — or nobody). The alert must be in the caller's scope (not-found
 * otherwise); a step its status does not allow is a conflict.
 */
export async function actOnAlert(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  id: number,
  step: AlertAction,
  origin: AuditOrigin,
  now = new Date(),
): Promise<AlertDetail> {
  const alert = await getAlertForUpdate(db, tenantId, scope, id);
  if (!ALLOWED_FROM[step.action].includes(alert.status)) {
    throw new DomainError(
      'conflict',
      `Alert ${id} is ${alert.status}: it cannot be ${DONE[step.action]} now.`,
      { status: alert.status },
    );
  }
  const actor = { kind: origin.actor.kind, id: origin.actor.id, name: origin.actor.name };
  switch (step.action) {
    case 'acknowledge':
      await db
        .updateTable('alert')
        .set({ status: 'acknowledged', acknowledged_at: now, updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      await insertAlertEvents(
        db,
        tenantId,
        [{ alertId: id, kind: 'acknowledged', actor, text: step.comment ?? '' }],
        now,
      );
      break;
    case 'resolve':
      await db
        .updateTable('alert')
        .set({
          status: 'resolved',
          resolved_at: now,
          resolved_by: origin.actor.name,
          resolution: step.note ?? null,
          cleared_at: null,
          updated_at: now,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      await insertAlertEvents(
        db,
        tenantId,
        [{ alertId: id, kind: 'resolved', actor, text: step.note ?? '' }],
        now,
      );
      await enqueueAlertNotices(db, tenantId, [
        {
          event: 'resolved',
          alert: {
            id,
            rule: alert.rule.code,
            ruleName: alert.rule.name,
            severity: alert.severity,
            status: 'resolved',
            dealer: {
              id: alert.dealer.id,
              code: alert.dealer.code,
              name: alert.dealer.name,
              region: alert.dealer.region?.code ?? null,
            },
            owner: alert.owner?.name ?? null,
            title: alert.title,
            summary: step.note ? `已处理：${step.note}` : `由 ${origin.actor.name} 标记为已解决。`,
            openedAt: alert.openedAt,
          },
        },
      ]);
      break;
    case 'dismiss':
      await db
        .updateTable('alert')
        .set({
          status: 'dismissed',
          resolved_at: now,
          resolved_by: origin.actor.name,
          resolution: step.reason,
          cleared_at: null,
          updated_at: now,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      await insertAlertEvents(
        db,
        tenantId,
        [{ alertId: id, kind: 'dismissed', actor, text: step.reason }],
        now,
      );
      break;
    case 'comment':
      await db
        .updateTable('alert')
        .set({ updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      await insertAlertEvents(
        db,
        tenantId,
        [{ alertId: id, kind: 'commented', actor, text: step.text }],
        now,
      );
      break;
    case 'assign': {
      const owner =
        step.ownerUserId === null
          ? null
          : await checkOwner(db, tenantId, step.ownerUserId, alert.dealer.id);
      await db
        .updateTable('alert')
        .set({ owner_user_id: owner?.id ?? null, updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      await insertAlertEvents(
        db,
        tenantId,
        [
          {
            alertId: id,
            kind: 'assigned',
            actor,
            text: owner ? owner.name : '',
            data: { from: alert.owner?.id ?? null, to: owner?.id ?? null },
          },
        ],
        now,
      );
      break;
    }
  }
  await recordAudit(db, tenantId, origin, {
    action: `alert.${DONE[step.action]}`,
    entityType: 'alert',
    entityId: id,
    before: { status: alert.status, owner: alert.owner?.id ?? null },
    after: { ...step },
  });
  return getAlertDetail(db, tenantId, scope, id);
}

/** The roles that may own alerts: those that may manage them (`auth/policy.ts`). */
export const ALERT_OWNER_ROLES: readonly Role[] = (Object.keys(ROLE_PERMISSIONS) as Role[]).filter(
  (role) => ROLE_PERMISSIONS[role].includes('alerts:manage'),
);

/**
 * Who may own alerts, for the assign picker: the tenant's active users who may manage alerts
 * and, with `dealerId`, whose scope covers that dealer — exactly the owners `assign` accepts.
 * The dealer must be in the caller's scope (not-found otherwise, like the dealer itself).
 */
export async function alertAssignees(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  dealerId: number | undefined,
): Promise<AlertAssignee[]> {
  if (dealerId !== undefined && !(await dealerInScope(db, tenantId, scope, dealerId))) {
    throw new DomainError('not_found', `Dealer ${dealerId} does not exist.`, {
      what: 'Dealer',
      key: dealerId,
    });
  }
  return listAssignees(db, tenantId, { roles: ALERT_OWNER_ROLES, dealerId });
}

/**
 * An owner must be an active user who may manage alerts (an admin or a channel manager) and
 * whose scope covers the dealer; anyone else is refused with the reason (400, on ownerUserId).
 */
async function checkOwner(
  db: Kysely<Database>,
  tenantId: number,
  userId: number,
  dealerId: number,
): Promise<{ id: number; name: string }> {
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'display_name', 'role', 'status'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .executeTakeFirst();
  const refuse = (why: string): never => {
    throw new DomainError('validation_failed', `User ${userId} cannot own this alert: ${why}.`, {
      field: 'ownerUserId',
      value: userId,
    });
  };
  if (!user) return refuse('no such user');
  if (user.status !== 'active') return refuse('the user is disabled');
  if (!ALERT_OWNER_ROLES.includes(user.role)) {
    return refuse('only admins and channel managers own alerts');
  }
  const [eligible] = await listAssignees(db, tenantId, {
    roles: ALERT_OWNER_ROLES,
    dealerId,
    userId,
  });
  if (!eligible) return refuse('the dealer is outside the manager’s regions');
  return { id: user.id, name: user.display_name };
}

/** The health of a dealer in the caller's scope (not-found outside it) and its open alerts. */
export async function dealerHealth(
  db: Kysely<Database>,
  tenantId: number,
  scope: DealerScope,
  dealerId: number,
): Promise<DealerHealth> {
  const inScope = dealerScopeCondition(scope, 'd');
  const { rows } = await sql<{
    id: number;
    code: string;
    name: string;
    region_code: string | null;
    region_name: string | null;
  }>`
    select d.id, d.code, d.name, g.code as region_code, g.name as region_name
    from dealer d left join region g on g.tenant_id = d.tenant_id and g.id = d.region_id
    where d.tenant_id = ${tenantId} and d.id = ${dealerId} ${inScope ? sql`and ${inScope}` : sql``}`.execute(
    db,
  );
  const dealer = rows[0];
  if (!dealer)
    throw new DomainError('not_found', `Dealer ${dealerId} does not exist.`, {
      what: 'Dealer',
      key: dealerId,
    });
  const openAlerts = await activeAlertsOfDealer(db, tenantId, dealerId);
  const stored = await findDealerHealth(db, tenantId, dealerId);
  const ref = {
    id: dealer.id,
    code: dealer.code,
    name: dealer.name,
    region: dealer.region_code
      ? { code: dealer.region_code, name: dealer.region_name ?? dealer.region_code }
      : null,
  };
  if (!stored) {
    const { band, reasons } = healthBand({ open: openAlerts, trend: null });
    return { dealer: ref, band, reasons, trend: null, updatedAt: null, openAlerts };
  }
  return {
    dealer: ref,
    band: stored.band,
    reasons: stored.reasons as DealerHealth['reasons'],
    trend: stored.trend,
    updatedAt: stored.updated_at.toISOString(),
    openAlerts,
  };
}

/** A dealer user's own open alerts: what happened, never who owns it or what was said about it. */
export async function portalAlerts(
  db: Kysely<Database>,
  tenantId: number,
  dealerId: number,
): Promise<PortalAlert[]> {
  const rows = await db
    .selectFrom('alert')
    .select(['id', 'severity', 'status', 'title', 'title_en', 'month', 'opened_at', 'evidence'])
    .where('tenant_id', '=', tenantId)
    .where('dealer_id', '=', dealerId)
    .where('status', 'in', ['open', 'acknowledged'])
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    severity: r.severity,
    status: r.status,
    title: r.title,
    titleEn: r.title_en,
    month: r.month,
    openedAt: r.opened_at.toISOString(),
    summary: (r.evidence as { summary: PortalAlert['summary'] }).summary,
  }));
}
