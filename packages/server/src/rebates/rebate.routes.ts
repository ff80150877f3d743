import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DomainError } from '@tierline/core';
import {
  CreateRebateProgram,
  ErrorBody,
  ExportFormat,
  Id,
  IsoMonth,
  PeriodKey,
  PortalRebates,
  RebatePreview,
  RebatePreviewQuery,
  RebateProgram,
  RebateSettlementPage,
  RebateSettlementQuery,
  RebateSettlementResult,
  SettleRebates,
  UpdateRebateProgram,
} from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { originOf, principalOf } from '../auth/guard.js';
import { EXPORT_TYPES, exportTable } from '../export/table-export.js';
import {
  createProgram,
  listPrograms,
  programDetail,
  updateProgram,
} from './rebate-program.service.js';
import { portalRebates, rebatePreview } from './rebate-preview.service.js';
import { listSettlements, settleRebates } from './rebate-settlement.service.js';
import { previewExport } from './rebate-export.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['resources'];

/** Two saves of one new code at once: the loser's unique violation is a conflict, not a 500. */
function uniqueCodeConflict(error: unknown, code: string): unknown {
  const violated =
    typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
  return violated
    ? new DomainError(
        'conflict',
        `A rebate program with code ${code} exists already; choose another code.`,
        { field: 'code', value: code },
      )
    : error;
}

export const rebateRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/rebates/programs',
      {
        config: { access: 'resources:read' },
        schema: {
          tags,
          summary: 'Ladder rebate programs (阶梯返利), by code',
          response: { 200: z.object({ items: z.array(RebateProgram) }), ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const items = await withTenant(ctx.db, tenantId, (trx) => listPrograms(trx, tenantId), {
          readOnly: true,
        });
        return { items };
      },
    );

    app.post(
      '/rebates/programs',
      {
        config: { access: 'resources:manage' },
        schema: {
          tags,
          summary: 'Create a ladder rebate program',
          description:
            'Every ladder is checked (brackets sorted, contiguous, the last open, rates 0–100 %); each problem comes back with its path, e.g. ladders.tiers.core[1].from, and nothing is written.',
          body: CreateRebateProgram,
          response: { 201: RebateProgram, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        try {
          const created = await withTenant(ctx.db, tenantId, (trx) =>
            createProgram(trx, tenantId, request.body, origin),
          );
          return await reply.status(201).send(created);
        } catch (error) {
          throw uniqueCodeConflict(error, request.body.code);
        }
      },
    );

    app.get(
      '/rebates/programs/:id',
      {
        config: { access: 'resources:read' },
        schema: {
          tags,
          summary: 'One rebate program with its ladders',
          params: z.object({ id: Id }),
          response: { 200: RebateProgram, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => programDetail(trx, tenantId, request.params.id),
          {
            readOnly: true,
          },
        );
      },
    );

    app.patch(
      '/rebates/programs/:id',
      {
        config: { access: 'resources:manage' },
        schema: {
          tags,
          summary: 'Change a rebate program',
          description:
            'The name and active flag may always change. The ladders, basis, method and period kind only while the program has no settlement (409 otherwise: create a new program).',
          params: z.object({ id: Id }),
          body: UpdateRebateProgram,
          response: { 200: RebateProgram, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        return withTenant(ctx.db, tenantId, (trx) =>
          updateProgram(trx, tenantId, request.params.id, request.body, origin),
        );
      },
    );

    app.get(
      '/rebates/preview',
      {
        config: { access: 'resources:read' },
        schema: {
          tags,
          summary: 'Projected rebates of a program and period, before settlement',
          description:
            'Per dealer in the caller’s scope: sales to date (from monthly rollups, up to the latest month with data or asOf), the run-rate projection (to date × months in the period / months elapsed), the rebate now and projected, the next bracket (shortfall, extra rebate) and what earlier settlements paid. Growth ladders compare with the previous period of the same kind. Totals over every matching line; offset paging.',
          querystring: RebatePreviewQuery,
          response: { 200: RebatePreview, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => rebatePreview(trx, tenantId, scope, request.query),
          {
            readOnly: true,
          },
        );
      },
    );

    app.get(
      '/rebates/preview/export',
      {
        config: { access: 'resources:read' },
        schema: {
          tags,
          summary: 'Download a rebate preview as CSV or XLSX',
          description:
            'One row per dealer in the caller’s scope, amounts in major units (yuan), rates in percent.',
          querystring: z.object({
            program: RebatePreviewQuery.shape.program,
            period: PeriodKey,
            asOf: IsoMonth.optional(),
            format: ExportFormat.default('csv'),
          }),
          produces: [EXPORT_TYPES.csv, EXPORT_TYPES.xlsx],
        },
      },
      async (request, reply) => {
        const { tenantId, tenantSlug, scope } = principalOf(request);
        const { format, ...query } = request.query;
        const { header, rows, period } = await previewExport(ctx.db, tenantId, scope, query);
        return reply
          .type(EXPORT_TYPES[format])
          .header(
            'content-disposition',
            `attachment; filename="rebates-${tenantSlug}-${query.program}-${period}.${format}"`,
          )
          .send(exportTable(format, 'rebates', header, rows));
      },
    );

    app.post(
      '/rebates/settlements',
      {
        config: { access: 'resources:manage' },
        schema: {
          tags,
          summary: 'Settle a program’s period: interim, or final (closes the period)',
          description:
            'Every dealer in the program is settled on its sales to date less what earlier settlements of the period paid (a negative due is a clawback): one settlement row and one ledger record per dealer, and an audit event, in one transaction.',
          body: SettleRebates,
          response: { 201: RebateSettlementResult, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        const result = await withTenant(ctx.db, tenantId, (trx) =>
          settleRebates(trx, tenantId, request.body, origin),
        );
        return reply.status(201).send(result);
      },
    );

    app.get(
      '/rebates/settlements',
      {
        config: { access: 'resources:read' },
        schema: {
          tags,
          summary: 'Settlements of a program: each settlement summed, and their lines',
          description: 'Only the dealers in the caller’s scope. Cursor pagination of the lines.',
          querystring: RebateSettlementQuery,
          response: { 200: RebateSettlementPage, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => listSettlements(trx, tenantId, scope, request.query),
          { readOnly: true },
        );
      },
    );

    app.get(
      '/portal/rebates',
      {
        config: { access: 'portal:read' },
        schema: {
          tags: ['portal'],
          summary: 'The signed-in dealer’s rebate projection in each active program',
          description:
            'For the current period of each program (the one holding the latest month with data): sales to date, projection, the rebate now and projected, and what it takes to reach the next bracket. Only the dealer’s own figures.',
          response: { 200: PortalRebates, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        if (scope.kind !== 'dealer')
          throw new DomainError('forbidden', 'The portal is for dealer users.');
        return withTenant(ctx.db, tenantId, (trx) => portalRebates(trx, tenantId, scope.dealerId), {
          readOnly: true,
        });
      },
    );
  };
