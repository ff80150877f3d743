import { sql, type Kysely } from 'kysely';
import {
  addMonths,
  alertMeasure,
  daysInMonth,
  evaluateDealer,
  isSalesRule,
  monthIndex,
  ruleLookback,
  severityRank,
  type AlertCondition,
  type AlertContext,
  type AlertDiagnosis,
  type AlertRule,
  type AlertSeverity,
  type DealerAlertInput,
} from '@tierline/core';
import type { AlertEvaluation } from '@tierline/contract';
import type { Database } from '../db/database.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import { enqueueAlertNotices, type AlertNotice } from '../notifications/notification.service.js';
import {
  BASE_MONTH_COLUMNS,
  findDealerOwners,
  listAlertDealers,
  loadChannelMonths,
  loadDealerMonths,
  loadLicences,
  loadOpenInvoices,
  loadStock,
  rollupMonthRange,
  type AlertDealerRow,
} from './alert-data.repository.js';
import { buildDiagnoses } from './alert-diagnosis.js';
import { saveHealth } from './alert-health.js';
import { planChunk, SYSTEM_RESOLVER } from './alert-plan.js';
import { currentRules, ensureDefaultAlertRules } from './alert-rule.service.js';
import { insertAlertEvents, latestAlerts, type NewAlertEvent } from './alert.repository.js';

export { SYSTEM_RESOLVER, stableJson } from './alert-plan.js';

/** What started an evaluation; recorded in the history and the audit trail. */
export type EvaluationTrigger = 'import' | 'schedule' | 'manual' | 'cli' | 'demo';

export interface EvaluateOptions {
  /** Only these dealers (an import's); every dealer of the tenant when absent. */
  dealerIds?: readonly number[] | undefined;
  /** Month to judge; by default the last complete month, or the last month with data if earlier. */
  asOf?: string | undefined;
  now?: Date | undefined;
  origin: AuditOrigin;
  trigger: EvaluationTrigger;
  /** Install the default rule set first when the tenant has never had a rule. */
  installDefaults?: boolean | undefined;
  /** Skip (return an empty result) when another evaluation of the tenant holds the lock. */
  skipIfBusy?: boolean | undefined;
  /** Dealers read and written per round (bounds memory on large tenants). */
  chunkSize?: number | undefined;
}

/** Key of the advisory lock that serialises evaluations of one tenant. */
const LOCK_KEY = 7_314_001;

/** Today in the tenant's time zone, 'YYYY-MM-DD'. */
export function localDay(now: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/** Who installs the default rules. */
const DEFAULT_RULES_ORIGIN: AuditOrigin = {
  actor: { kind: 'system', id: null, name: 'tierline default rules' },
  ip: null,
  userAgent: null,
};

/**
 * Evaluate the tenant's rules for its dealers (or some of them) and apply the outcome in one
 * transaction (the caller's when `db` is one):
 * - a condition with no active alert of its rule and dealer opens one (with its owner, the
 *   channel manager of the dealer's region, and a diagnosis for sales rules); with an active one
 *   it updates it (evidence, month, severity: `escalated` when it rose) — never a second alert;
 * - an active alert whose condition no longer holds (or whose rule is disabled, or whose dealer
 *   is no longer active) is resolved by the system;
 * - a dismissed alert keeps its condition quiet until the condition clears; an alert resolved
 *   by hand is reopened when a later month shows the condition still holds;
 * - each evaluated dealer's health band is recomputed;
 * - notices of opened, escalated and resolved alerts go to the notification outbox.
 * Evaluations of one tenant never overlap (a transaction-scoped advisory lock). One audit event
 * records an evaluation that changed something.
 */
export async function evaluateAlerts(
  db: Kysely<Database>,
  tenantId: number,
  options: EvaluateOptions,
): Promise<AlertEvaluation> {
  const run = (trx: Kysely<Database>) => evaluateIn(trx, tenantId, options);
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

async function evaluateIn(
  db: Kysely<Database>,
  tenantId: number,
  options: EvaluateOptions,
): Promise<AlertEvaluation> {
  const started = performance.now();
  const now = options.now ?? new Date();
  if (options.skipIfBusy) {
    const { rows } = await sql<{ ok: boolean }>`
      select pg_try_advisory_xact_lock(${LOCK_KEY}, ${tenantId}::int) as ok`.execute(db);
    if (!rows[0]?.ok) return { ...emptyResult(options.asOf ?? '', ''), elapsedMs: 0 };
  } else {
    await sql`select pg_advisory_xact_lock(${LOCK_KEY}, ${tenantId}::int)`.execute(db);
  }
  // The default rule set is the system's, whoever's evaluation or import installs it: it names
  // no staff login (rules are read by every staff role).
  if (options.installDefaults) await ensureDefaultAlertRules(db, tenantId, DEFAULT_RULES_ORIGIN);
  // A tenant without rules (an import into a tenant that never evaluated) costs one query.
  const rules = await currentRules(db, tenantId);
  if (rules.length === 0) {
    return {
      ...emptyResult(options.asOf ?? '', ''),
      elapsedMs: Math.round(performance.now() - started),
    };
  }
  const tenant = await db
    .selectFrom('tenant')
    .select(['currency', 'currency_minor_units', 'time_zone'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const today = localDay(now, tenant.time_zone);
  const range = await rollupMonthRange(db, tenantId);
  const lastComplete = addMonths(today.slice(0, 7), -1);
  const asOf =
    options.asOf ??
    (range && monthIndex(range.last) < monthIndex(lastComplete) ? range.last : lastComplete);
  const day = options.asOf ? `${asOf}-${String(daysInMonth(asOf)).padStart(2, '0')}` : today;
  const result = emptyResult(asOf, day);
  result.rules = rules.filter((r) => r.rule.enabled).length;
  if (rules.length === 0) return { ...result, elapsedMs: Math.round(performance.now() - started) };

  const enabled = rules.filter((r) => r.rule.enabled).map((r) => r.rule);
  // Months read: what the rules need, the diagnosis's year-earlier windows, the health trend.
  const lookback = Math.max(
    15,
    ...enabled.map((r) => ruleLookback(r)),
    ...enabled.map(diagnosisLookback),
  );
  const from = addMonths(asOf, -(lookback - 1));
  const ctx: AlertContext = {
    asOf,
    day,
    // The seasonal index of the earliest month read needs the 11 months before it.
    channel: await loadChannelMonths(db, tenantId, addMonths(from, -11), asOf),
    currency: { code: tenant.currency, minorUnits: tenant.currency_minor_units },
  };
  // Nothing is known before the tenant's first rollup: months before it are not zeros.
  const dataStart = range?.first ?? asOf;
  const kinds = new Set(enabled.map((r) => r.kind));
  const columns = [...BASE_MONTH_COLUMNS, ...enabled.flatMap(ruleColumns)];
  const dealers = await listAlertDealers(db, tenantId, options.dealerIds);
  const chunk = options.chunkSize ?? 2000;
  const notices: AlertNotice[] = [];
  const actor = { kind: 'system', id: null, name: `alerts (${options.trigger})` };

  for (let i = 0; i < dealers.length; i += chunk) {
    const part = dealers.slice(i, i + chunk);
    const ids = part.map((d) => d.id);
    const months = await loadDealerMonths(db, tenantId, ids, from, asOf, columns);
    const licences = kinds.has('licence_expiry')
      ? await loadLicences(db, tenantId, ids, day)
      : null;
    const invoices = await loadOpenInvoices(db, tenantId, ids, day);
    const stock = kinds.has('stockout_risk') ? await loadStock(db, tenantId, ids, day) : null;
    const latest = new Map(
      (await latestAlerts(db, tenantId, ids)).map((a) => [`${a.ruleCode}|${a.dealerId}`, a]),
    );
    const plan = planChunk(part, rules, latest, (dealer) => {
      const since =
        dealer.onboardedOn.slice(0, 7) > dataStart ? dealer.onboardedOn.slice(0, 7) : dataStart;
      const input: DealerAlertInput = {
        months: months.get(dealer.id) ?? [],
        since,
        licences: licences?.get(dealer.id) ?? [],
        openInvoices: invoices.get(dealer.id) ?? [],
        stock: stock?.get(dealer.id) ?? [],
      };
      return evaluateDealer(enabled, input, ctx);
    });
    result.dealers += plan.evaluated;

    const diagnoses = await buildDiagnoses(db, tenantId, plan.diagnose, months, invoices, ctx);
    const owners = await findDealerOwners(
      db,
      tenantId,
      part.filter((d) => plan.opens.some((o) => o.dealer.id === d.id)),
    );
    const summaryOf = (c: AlertCondition, diagnosis: AlertDiagnosis | undefined) =>
      [c.evidence.summary.zh, ...(diagnosis?.findings.slice(1, 3).map((f) => f.zh) ?? [])].join(
        '\n',
      );
    const notice = (
      event: AlertNotice['event'],
      a: {
        id: number;
        rule: AlertRule;
        severity: AlertSeverity;
        status: AlertNotice['alert']['status'];
      },
      dealer: AlertDealerRow,
      owner: string | null,
      title: string,
      summary: string,
      openedAt: Date,
    ): AlertNotice => ({
      event,
      alert: {
        id: a.id,
        rule: a.rule.code,
        ruleName: a.rule.name,
        severity: a.severity,
        status: a.status,
        dealer: { id: dealer.id, code: dealer.code, name: dealer.name, region: dealer.regionCode },
        owner,
        title,
        summary,
        openedAt: openedAt.toISOString(),
      },
    });
    const events: NewAlertEvent[] = [];

    // New alerts, in batches, then their 'opened' events.
    for (let k = 0; k < plan.opens.length; k += 500) {
      const batch = plan.opens.slice(k, k + 500);
      const rows = await db
        .insertInto('alert')
        .values(
          batch.map((o) => {
            const diagnosis = diagnoses.get(o.key);
            return {
              tenant_id: tenantId,
              rule_id: o.ruleId,
              rule_code: o.rule.code,
              rule_version: o.version,
              kind: o.rule.kind,
              dealer_id: o.dealer.id,
              status: 'open' as const,
              severity: o.condition.severity,
              owner_user_id: owners.get(o.dealer.id)?.id ?? null,
              title: o.condition.title.zh,
              title_en: o.condition.title.en,
              month: o.condition.month,
              evidence: JSON.stringify(o.condition.evidence),
              diagnosis: diagnosis ? JSON.stringify(diagnosis) : null,
              opened_at: now,
              updated_at: now,
              evaluated_at: now,
            };
          }),
        )
        .returning(['id', 'rule_code', 'dealer_id'])
        .execute();
      const idOf = new Map(rows.map((r) => [`${r.rule_code}|${r.dealer_id}`, r.id]));
      for (const o of batch) {
        const id = idOf.get(`${o.rule.code}|${o.dealer.id}`) as number;
        const owner = owners.get(o.dealer.id) ?? null;
        events.push({
          alertId: id,
          kind: 'opened',
          actor,
          text: o.condition.evidence.summary.zh,
          data: {
            month: o.condition.month,
            severity: o.condition.severity,
            owner: owner?.name ?? null,
          },
        });
        notices.push(
          notice(
            'opened',
            { id, rule: o.rule, severity: o.condition.severity, status: 'open' },
            o.dealer,
            owner?.name ?? null,
            o.condition.title.zh,
            summaryOf(o.condition, diagnoses.get(o.key)),
            now,
          ),
        );
      }
      result.opened += batch.length;
    }

    for (const u of plan.updates) {
      const diagnosis = diagnoses.get(u.key);
      const reopen = u.kind === 'reopen';
      await db
        .updateTable('alert')
        .set({
          rule_id: u.ruleId,
          rule_version: u.version,
          severity: u.condition.severity,
          title: u.condition.title.zh,
          title_en: u.condition.title.en,
          month: u.condition.month,
          evidence: JSON.stringify(u.condition.evidence),
          ...(diagnosis ? { diagnosis: JSON.stringify(diagnosis) } : {}),
          updated_at: now,
          evaluated_at: now,
          ...(reopen
            ? {
                status: 'open' as const,
                resolved_at: null,
                resolved_by: null,
                resolution: null,
                cleared_at: null,
              }
            : {}),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', u.alert.id)
        .execute();
      const escalated =
        !reopen && severityRank(u.condition.severity) > severityRank(u.alert.severity);
      events.push({
        alertId: u.alert.id,
        kind: reopen ? 'reopened' : escalated ? 'escalated' : 'updated',
        actor,
        text: u.condition.evidence.summary.zh,
        data: {
          month: u.condition.month,
          severity: u.condition.severity,
          ...(u.alert.severity !== u.condition.severity
            ? { previousSeverity: u.alert.severity }
            : {}),
        },
      });
      if (reopen || escalated) {
        notices.push(
          notice(
            reopen ? 'opened' : 'escalated',
            { id: u.alert.id, rule: u.rule, severity: u.condition.severity, status: 'open' },
            u.dealer,
            null,
            u.condition.title.zh,
            summaryOf(u.condition, diagnosis),
            u.alert.openedAt,
          ),
        );
      }
      if (reopen) result.reopened++;
      else if (escalated) result.escalated++;
      else result.updated++;
    }

    for (const r of plan.resolves) {
      await db
        .updateTable('alert')
        .set({
          status: 'resolved',
          resolved_at: now,
          resolved_by: SYSTEM_RESOLVER,
          resolution: r.reason.zh,
          cleared_at: now,
          updated_at: now,
          evaluated_at: now,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', r.alert.id)
        .execute();
      events.push({
        alertId: r.alert.id,
        kind: 'resolved',
        actor,
        text: r.reason.zh,
        data: { month: asOf, auto: true },
      });
      notices.push(
        notice(
          'resolved',
          { id: r.alert.id, rule: r.rule, severity: r.alert.severity, status: 'resolved' },
          r.dealer,
          null,
          r.alert.title,
          r.reason.zh,
          r.alert.openedAt,
        ),
      );
      result.resolved++;
    }
    if (plan.touch.length > 0) {
      await db
        .updateTable('alert')
        .set({ evaluated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', plan.touch)
        .execute();
    }
    if (plan.cleared.length > 0) {
      await db
        .updateTable('alert')
        .set({ cleared_at: now })
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', plan.cleared)
        .execute();
    }
    result.unchanged += plan.touch.length + plan.suppressed;
    await insertAlertEvents(db, tenantId, events, now);
    await saveHealth(db, tenantId, part, plan.activeSeverities, months, asOf, now);
  }

  // Owners' names for the notices of alerts that were already open.
  await fillOwners(db, tenantId, notices);
  result.notices = await enqueueAlertNotices(db, tenantId, notices);
  const changed =
    result.opened + result.reopened + result.updated + result.escalated + result.resolved;
  result.elapsedMs = Math.round(performance.now() - started);
  if (changed > 0) {
    await recordAudit(db, tenantId, options.origin, {
      action: 'alerts.evaluated',
      entityType: 'alert_evaluation',
      entityId: null,
      after: { trigger: options.trigger, ...result },
    });
  }
  return result;
}

/** Months a sales rule's diagnosis reads: its current months and the same a year earlier. */
function diagnosisLookback(rule: AlertRule): number {
  if (!isSalesRule(rule)) return 0;
  switch (rule.kind) {
    case 'decline':
      return ruleLookback(rule);
    case 'missed_target':
    case 'threshold':
    case 'anomaly':
      return rule.params.periods + 12;
    case 'licence_expiry':
    case 'near_expiry_inventory':
    case 'stockout_risk':
    case 'collection_overdue':
      return 0;
  }
}

/** The dealer_month columns a rule reads (a ratio reads both of its columns). */
export function ruleColumns(rule: AlertRule): string[] {
  switch (rule.kind) {
    case 'decline':
    case 'anomaly':
    case 'threshold': {
      const ratio = alertMeasure(rule.params.measure)?.ratio;
      return ratio ? [ratio.of, ratio.to] : [rule.params.measure];
    }
    case 'missed_target':
      return ['sales_amount', 'target_amount'];
    case 'near_expiry_inventory':
      return ['inventory_value', 'near_expiry_value'];
    case 'licence_expiry':
    case 'stockout_risk':
    case 'collection_overdue':
      return [];
  }
}

function emptyResult(asOf: string, day: string): AlertEvaluation {
  return {
    asOf,
    day,
    rules: 0,
    dealers: 0,
    opened: 0,
    reopened: 0,
    updated: 0,
    escalated: 0,
    resolved: 0,
    unchanged: 0,
    notices: 0,
    elapsedMs: 0,
  };
}

/**
 * The scheduled evaluation (`serve`, every TIERLINE_ALERT_SECONDS): every tenant in turn, each
 * in its own transaction, installing the default rules of a tenant that never had any. A tenant
 * that another instance is evaluating is skipped; a tenant that fails is reported and the others
 * go on.
 */
export async function evaluateAllTenants(
  db: Kysely<Database>,
  options: { now?: Date; origin?: AuditOrigin } = {},
): Promise<{ tenantId: number; slug: string; result?: AlertEvaluation; error?: string }[]> {
  const origin = options.origin ?? {
    actor: { kind: 'system' as const, id: null, name: 'alerts:schedule' },
    ip: null,
    userAgent: null,
  };
  const tenants = await db.selectFrom('tenant').select(['id', 'slug']).orderBy('id').execute();
  const out: { tenantId: number; slug: string; result?: AlertEvaluation; error?: string }[] = [];
  for (const tenant of tenants) {
    try {
      const result = await evaluateAlerts(db, tenant.id, {
        origin,
        trigger: 'schedule',
        installDefaults: true,
        skipIfBusy: true,
        now: options.now,
      });
      out.push({ tenantId: tenant.id, slug: tenant.slug, result });
    } catch (error) {
      out.push({ tenantId: tenant.id, slug: tenant.slug, error: (error as Error).message });
    }
  }
  return out;
}

async function fillOwners(
  db: Kysely<Database>,
  tenantId: number,
  notices: AlertNotice[],
): Promise<void> {
  const missing = notices.filter((n) => n.alert.owner === null).map((n) => n.alert.id);
  if (missing.length === 0) return;
  const rows = await db
    .selectFrom('alert as a')
    .innerJoin('app_user as u', (j) =>
      j.onRef('u.tenant_id', '=', 'a.tenant_id').onRef('u.id', '=', 'a.owner_user_id'),
    )
    .select(['a.id', 'u.display_name'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.id', 'in', [...new Set(missing)])
    .execute();
  const names = new Map(rows.map((r) => [r.id, r.display_name]));
  for (const n of notices) {
    if (n.alert.owner === null) n.alert.owner = names.get(n.alert.id) ?? null;
  }
}
