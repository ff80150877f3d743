import { z } from 'zod';
import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ALERT_MEASURES,
  ALERT_RULE_KINDS,
  ALERT_SEVERITIES,
  DEFAULT_ALERT_RULES,
  DomainError,
} from '@tierline/core';
import {
  AcknowledgeAlert,
  AlertAssigneeList,
  AlertAssigneeQuery,
  AlertCatalogue,
  AlertDetail,
  AlertEvaluation,
  AlertListQuery,
  AlertPage,
  AlertRuleDocument,
  AlertRulePreview,
  AlertRulePreviewRequest,
  AlertRuleSummary,
  AlertRuleVersion,
  AssignAlert,
  CommentAlert,
  DealerHealth,
  DismissAlert,
  ErrorBody,
  EvaluateAlertsRequest,
  Id,
  PortalAlert,
  ResolveAlert,
  SaveAlertRule,
  SetAlertRuleEnabled,
} from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { originOf, principalOf } from '../auth/guard.js';
import { dealerScopeCondition } from '../dealers/dealer-scope.js';
import { evaluateAlerts } from './alert-evaluation.service.js';
import { previewRule } from './alert-preview.service.js';
import { listLatestRules, listRuleVersions } from './alert-rule.repository.js';
import { saveRule, setRuleEnabled } from './alert-rule.service.js';
import { getAlertDetail, listAlerts } from './alert.repository.js';
import {
  actOnAlert,
  alertAssignees,
  dealerHealth,
  portalAlerts,
  type AlertAction,
} from './alert.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id });
const CodeParams = z.object({ code: z.string().min(1).max(48) });

export const alertRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/alerts',
      {
        config: { access: 'alerts:read' },
        schema: {
          tags: ['alerts'],
          summary: 'The alert board: alerts in the caller’s scope, newest first',
          description:
            'Filter by severity, status (active = open or acknowledged), region code (and below), owner (me, none, a user id), rule and dealer. Keyset paging: pass `nextCursor` back as `cursor`. `totals` counts per severity and per status.',
          querystring: AlertListQuery,
          response: { 200: AlertPage, ...errors },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const userId = principal.kind === 'user' ? principal.userId : null;
        return withTenant(
          ctx.db,
          principal.tenantId,
          (trx) => listAlerts(trx, principal.tenantId, principal.scope, request.query, userId),
          { readOnly: true },
        );
      },
    );

    app.get(
      '/alerts/rules',
      {
        config: { access: 'alerts:read' },
        schema: {
          tags: ['alerts'],
          summary: 'Alert rules: the latest version of each',
          response: { 200: z.object({ items: z.array(AlertRuleSummary) }), ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const items = await withTenant(
          ctx.db,
          tenantId,
          async (trx) => {
            const rules = await listLatestRules(trx, tenantId);
            const inScope = dealerScopeCondition(scope, 'd');
            const { rows } = await sql<{ rule_code: string; n: number }>`
              select a.rule_code, count(*)::int as n from alert a
              join dealer d on d.tenant_id = a.tenant_id and d.id = a.dealer_id
              where a.tenant_id = ${tenantId} and a.status in ('open', 'acknowledged')
                ${inScope ? sql`and ${inScope}` : sql``}
              group by a.rule_code`.execute(trx);
            const open = new Map(rows.map((r) => [r.rule_code, r.n]));
            return rules.map((v) => ({
              code: v.code,
              name: v.document.name,
              kind: v.document.kind,
              severity: v.document.severity,
              enabled: v.document.enabled,
              version: v.version,
              updatedAt: v.createdAt,
              updatedBy: v.createdBy,
              openAlerts: open.get(v.code) ?? 0,
            }));
          },
          { readOnly: true },
        );
        return { items };
      },
    );

    app.get(
      '/alerts/rules/catalogue',
      {
        config: { access: 'alerts:read' },
        schema: {
          tags: ['alerts'],
          summary: 'What a rule may use: kinds, severities, measures, and the default rule set',
          response: { 200: AlertCatalogue, ...errors },
        },
      },
      async () => ({
        kinds: [...ALERT_RULE_KINDS],
        severities: [...ALERT_SEVERITIES],
        measures: ALERT_MEASURES.map((m) => ({
          key: m.key,
          name: m.name,
          unit: m.unit,
          flow: m.flow,
          definition: m.definition,
        })),
        defaults: DEFAULT_ALERT_RULES.map((r) => AlertRuleDocument.parse(r)),
      }),
    );

    app.get(
      '/alerts/assignees',
      {
        config: { access: 'alerts:manage' },
        schema: {
          tags: ['alerts'],
          summary: 'Who may own alerts (of a dealer): the choices of the assign action',
          description:
            'Active users of the tenant who may manage alerts (admins, channel managers). With `dealerId`, only those whose scope covers that dealer, which must be in the caller’s scope (404 otherwise). Names and roles only, never logins.',
          querystring: AlertAssigneeQuery,
          response: { 200: AlertAssigneeList, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const items = await withTenant(
          ctx.db,
          tenantId,
          (trx) => alertAssignees(trx, tenantId, scope, request.query.dealerId),
          { readOnly: true },
        );
        return { items };
      },
    );

    app.get(
      '/alerts/rules/:code',
      {
        config: { access: 'alerts:read' },
        schema: {
          tags: ['alerts'],
          summary: 'Every version of a rule, newest first, with its document',
          params: CodeParams,
          response: { 200: z.object({ items: z.array(AlertRuleVersion) }), ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const items = await withTenant(
          ctx.db,
          tenantId,
          (trx) => listRuleVersions(trx, tenantId, request.params.code),
          { readOnly: true },
        );
        return { items };
      },
    );

    app.post(
      '/alerts/rules',
      {
        config: { access: 'alerts:configure' },
        schema: {
          tags: ['alerts'],
          summary: 'Create a rule (version 1 of a new code)',
          description: 'Every problem of the document comes back with its JSON path.',
          body: SaveAlertRule,
          response: { 201: AlertRuleVersion, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        const saved = await withTenant(ctx.db, tenantId, (trx) =>
          saveRule(trx, tenantId, request.body.document, request.body.note, origin, {
            kind: 'create',
          }),
        );
        return reply.status(201).send(saved);
      },
    );

    app.post(
      '/alerts/rules/preview',
      {
        config: { access: 'alerts:configure' },
        schema: {
          tags: ['alerts'],
          summary: 'What a rule would have raised, month by month, on past data (writes nothing)',
          body: AlertRulePreviewRequest,
          response: { 200: AlertRulePreview, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return withTenant(ctx.db, tenantId, (trx) => previewRule(trx, tenantId, request.body), {
          readOnly: true,
        });
      },
    );

    app.post(
      '/alerts/rules/:code/versions',
      {
        config: { access: 'alerts:configure' },
        schema: {
          tags: ['alerts'],
          summary: 'Save a new version of a rule',
          description: 'Versions are never changed; the latest one is evaluated.',
          params: CodeParams,
          body: SaveAlertRule,
          response: { 201: AlertRuleVersion, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        const saved = await withTenant(ctx.db, tenantId, (trx) =>
          saveRule(trx, tenantId, request.body.document, request.body.note, origin, {
            kind: 'version',
            code: request.params.code,
          }),
        );
        return reply.status(201).send(saved);
      },
    );

    app.patch(
      '/alerts/rules/:code',
      {
        config: { access: 'alerts:configure' },
        schema: {
          tags: ['alerts'],
          summary: 'Enable or disable a rule (a new version)',
          description: 'Disabling resolves the rule’s open alerts at the next evaluation.',
          params: CodeParams,
          body: SetAlertRuleEnabled,
          response: { 200: AlertRuleVersion, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        return withTenant(ctx.db, tenantId, (trx) =>
          setRuleEnabled(
            trx,
            tenantId,
            request.params.code,
            request.body.enabled,
            request.body.note,
            origin,
          ),
        );
      },
    );

    app.post(
      '/alerts/evaluate',
      {
        config: { access: 'alerts:configure' },
        schema: {
          tags: ['alerts'],
          summary: 'Evaluate the rules now',
          description:
            'Opens, updates and resolves alerts and recomputes health bands. A tenant that has never had a rule gets the default rule set first.',
          body: EvaluateAlertsRequest,
          response: { 200: AlertEvaluation, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        return withTenant(ctx.db, tenantId, (trx) =>
          evaluateAlerts(trx, tenantId, {
            asOf: request.body.asOf,
            dealerIds: request.body.dealerIds,
            origin,
            trigger: 'manual',
            installDefaults: true,
          }),
        );
      },
    );

    app.get(
      '/alerts/:id',
      {
        config: { access: 'alerts:read' },
        schema: {
          tags: ['alerts'],
          summary: 'An alert with its evidence, diagnosis, history and the dealer’s monthly series',
          description: 'An alert of a dealer outside the caller’s scope is not found.',
          params: IdParams,
          response: { 200: AlertDetail, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => getAlertDetail(trx, tenantId, scope, request.params.id),
          {
            readOnly: true,
          },
        );
      },
    );

    const action = <B extends z.ZodType>(
      path: string,
      summary: string,
      body: B,
      step: (body: z.infer<B>) => AlertAction,
    ) =>
      app.post(
        `/alerts/:id/${path}`,
        {
          config: { access: 'alerts:manage' },
          schema: {
            tags: ['alerts'],
            summary,
            params: IdParams,
            body,
            response: { 200: AlertDetail, ...errors },
          },
        },
        async (request) => {
          const { tenantId, scope } = principalOf(request);
          const origin = originOf(request);
          return withTenant(ctx.db, tenantId, (trx) =>
            actOnAlert(
              trx,
              tenantId,
              scope,
              request.params.id,
              step(request.body as z.infer<B>),
              origin,
            ),
          );
        },
      );
    action('acknowledge', 'Acknowledge an open alert', AcknowledgeAlert, (b) => ({
      action: 'acknowledge',
      comment: b.comment,
    }));
    action('resolve', 'Resolve an alert by hand', ResolveAlert, (b) => ({
      action: 'resolve',
      note: b.note,
    }));
    action(
      'dismiss',
      'Dismiss an alert with a reason (at least 5 characters)',
      DismissAlert,
      (b) => ({
        action: 'dismiss',
        reason: b.reason,
      }),
    );
    action('comments', 'Comment on an alert', CommentAlert, (b) => ({
      action: 'comment',
      text: b.text,
    }));
    action('assign', 'Give an alert an owner (or none)', AssignAlert, (b) => ({
      action: 'assign',
      ownerUserId: b.ownerUserId,
    }));

    app.get(
      '/dealers/:id/health',
      {
        config: { access: 'alerts:read' },
        schema: {
          tags: ['alerts'],
          summary: 'A dealer’s health band (green/yellow/red) and its open alerts',
          params: IdParams,
          response: { 200: DealerHealth, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => dealerHealth(trx, tenantId, scope, request.params.id),
          {
            readOnly: true,
          },
        );
      },
    );

    app.get(
      '/portal/alerts',
      {
        config: { access: 'portal:read' },
        schema: {
          tags: ['portal'],
          summary: "The signed-in dealer's open alerts",
          description: 'What was found, without owners or internal comments.',
          response: { 200: z.object({ items: z.array(PortalAlert) }), ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        if (scope.kind !== 'dealer')
          throw new DomainError('forbidden', 'The portal is for dealer users.');
        const items = await withTenant(
          ctx.db,
          tenantId,
          (trx) => portalAlerts(trx, tenantId, scope.dealerId),
          {
            readOnly: true,
          },
        );
        return { items };
      },
    );
  };
