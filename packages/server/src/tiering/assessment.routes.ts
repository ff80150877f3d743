import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreateOverride,
  CreateRun,
  DecisionDetail,
  DecisionListQuery,
  DecisionPage,
  ErrorBody,
  ExportFormat,
  Id,
  PeriodKey,
  RunDetail,
  RunStatus,
  RunSummary,
} from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { originOf, principalOf } from '../auth/guard.js';
import type { DealerScope } from '../auth/policy.js';
import { EXPORT_TYPES, exportTable } from '../export/table-export.js';
import { getPolicyById } from './policy.repository.js';
import {
  getRun,
  listDecisions,
  listRuns,
  scopedRunCounts,
  toRunSummary,
} from './assessment.repository.js';
import {
  approveRun,
  createRun,
  decisionDetail,
  discardRun,
  overrideDecision,
  publishRun,
  runDetail,
} from './assessment.service.js';
import { decisionExport } from './decision-export.js';
import { decisionForScope, runForScope } from './scope-view.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const RunParams = z.object({ id: Id });

/** Runs as the caller may see them: counts over its own dealers when its scope is narrower. */
async function scopedRuns<T extends RunSummary>(
  ctx: AppContext,
  tenantId: number,
  scope: DealerScope,
  runs: T[],
): Promise<T[]> {
  if (scope.kind === 'tenant') return runs;
  const own = await withTenant(
    ctx.db,
    tenantId,
    (trx) =>
      scopedRunCounts(
        trx,
        tenantId,
        scope,
        runs.map((r) => r.id),
      ),
    { readOnly: true },
  );
  return runs.map((run) => ({ ...run, ...own.get(run.id) }));
}

async function scopedRun<T extends RunSummary>(
  ctx: AppContext,
  tenantId: number,
  scope: DealerScope,
  run: T,
): Promise<T> {
  return (await scopedRuns(ctx, tenantId, scope, [run]))[0]!;
}

export const assessmentRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/assessments',
      {
        config: { access: 'assessments:read' },
        schema: {
          tags: ['tiering'],
          summary: 'Assessment runs, newest period first',
          querystring: z.object({ period: PeriodKey.optional(), status: RunStatus.optional() }),
          response: { 200: z.object({ items: z.array(RunSummary) }), ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const rows = await withTenant(
          ctx.db,
          tenantId,
          (trx) => listRuns(trx, tenantId, request.query),
          { readOnly: true },
        );
        return { items: await scopedRuns(ctx, tenantId, scope, rows.map(toRunSummary)) };
      },
    );

    app.post(
      '/assessments',
      {
        config: { access: 'assessments:run' },
        schema: {
          tags: ['tiering'],
          summary: 'Compute (or recompute) the draft assessment of a period',
          description:
            'Idempotent per (policy version, period): computing again updates the same draft and keeps its overrides; an approved or published run is returned unchanged.',
          body: CreateRun,
          response: { 201: RunDetail, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId, scope } = principalOf(request);
        const origin = originOf(request);
        const run = await withTenant(ctx.db, tenantId, (trx) =>
          createRun(trx, tenantId, request.body, origin),
        );
        return reply
          .status(201)
          .send(runForScope(await scopedRun(ctx, tenantId, scope, run), scope));
      },
    );

    app.get(
      '/assessments/:id',
      {
        config: { access: 'assessments:read' },
        schema: {
          tags: ['tiering'],
          summary: 'One assessment run: status, counts, metrics and weights',
          params: RunParams,
          response: { 200: RunDetail, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const run = await withTenant(
          ctx.db,
          tenantId,
          (trx) => runDetail(trx, tenantId, request.params.id),
          { readOnly: true },
        );
        return runForScope(await scopedRun(ctx, tenantId, scope, run), scope);
      },
    );

    app.get(
      '/assessments/:id/decisions',
      {
        config: { access: 'assessments:read' },
        schema: {
          tags: ['tiering'],
          summary: "A run's decisions in rank order",
          description: 'Only the dealers in the caller’s scope. Cursor pagination.',
          params: RunParams,
          querystring: DecisionListQuery,
          response: { 200: DecisionPage, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          async (trx) => {
            const run = await getRun(trx, tenantId, request.params.id);
            const policy = await getPolicyById(trx, tenantId, run.policy_id);
            return listDecisions(
              trx,
              tenantId,
              scope,
              run.id,
              policy.document.tiers.map((t) => t.code),
              request.query,
            );
          },
          { readOnly: true },
        );
      },
    );

    app.get(
      '/assessments/:id/decisions/:dealerId',
      {
        config: { access: 'assessments:read' },
        schema: {
          tags: ['tiering'],
          summary: 'One decision, explained: contributions, gap to the next tier, reasons',
          params: z.object({ id: Id, dealerId: Id }),
          response: { 200: DecisionDetail, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const detail = await withTenant(
          ctx.db,
          tenantId,
          (trx) => decisionDetail(trx, tenantId, scope, request.params.id, request.params.dealerId),
          { readOnly: true },
        );
        return decisionForScope(detail, scope);
      },
    );

    app.post(
      '/assessments/:id/overrides',
      {
        config: { access: 'assessments:override' },
        schema: {
          tags: ['tiering'],
          summary: 'Override a dealer’s tier in a draft, with a reason',
          description:
            'once: this run only; lock: until revoked; until: to the end of a month; floor: never below the tier. The draft is recomputed.',
          params: RunParams,
          body: CreateOverride,
          response: { 200: DecisionDetail, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const origin = originOf(request);
        const detail = await withTenant(ctx.db, tenantId, (trx) =>
          overrideDecision(trx, tenantId, scope, request.params.id, request.body, origin),
        );
        return decisionForScope(detail, scope);
      },
    );

    for (const [action, fn, summary, access] of [
      [
        'approve',
        approveRun,
        'Approve a draft (a second person: maker-checker)',
        'assessments:approve',
      ],
      [
        'publish',
        publishRun,
        'Publish an approved run: the tiers take effect, atomically',
        'assessments:approve',
      ],
      ['discard', discardRun, 'Discard a draft or approved run', 'assessments:approve'],
    ] as const) {
      app.post(
        `/assessments/:id/${action}`,
        {
          config: { access },
          schema: {
            tags: ['tiering'],
            summary,
            params: RunParams,
            response: { 200: RunDetail, ...errors },
          },
        },
        async (request) => {
          const { tenantId } = principalOf(request);
          const origin = originOf(request);
          return withTenant(ctx.db, tenantId, (trx) =>
            fn(trx, tenantId, request.params.id, origin),
          );
        },
      );
    }

    app.get(
      '/assessments/:id/export',
      {
        config: { access: 'assessments:read' },
        schema: {
          tags: ['tiering'],
          summary: "Download a run's decisions as CSV or XLSX",
          description:
            'One row per dealer in the caller’s scope, in rank order, with every metric value and its points.',
          params: RunParams,
          querystring: z.object({ format: ExportFormat.default('csv') }),
          produces: [EXPORT_TYPES.csv, EXPORT_TYPES.xlsx],
        },
      },
      async (request, reply) => {
        const { tenantId, tenantSlug, scope } = principalOf(request);
        const { format } = request.query;
        const { header, rows, period } = await decisionExport(
          ctx.db,
          tenantId,
          scope,
          request.params.id,
        );
        return reply
          .type(EXPORT_TYPES[format])
          .header(
            'content-disposition',
            `attachment; filename="decisions-${tenantSlug}-${period}.${format}"`,
          )
          .send(exportTable(format, 'decisions', header, rows));
      },
    );
  };
