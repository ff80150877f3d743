import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AllocationDetail,
  AllocationLinePage,
  AllocationLineQuery,
  AllocationListQuery,
  AllocationPreview,
  AllocationSummary,
  CreateAllocation,
  ErrorBody,
  ExportFormat,
  Id,
  ResourceRoi,
  RoiQuery,
} from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { originOf, principalOf } from '../auth/guard.js';
import { EXPORT_TYPES } from '../export/table-export.js';
import {
  allocationDetail,
  allocationLines,
  createAllocation,
  discardAllocation,
  listAllocationSummaries,
  previewAllocation,
  publishAllocation,
} from './allocation.service.js';
import { allocationExport } from './allocation-export.js';
import { resourceRoi } from './roi.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const Params = z.object({ id: Id });

/** Budget allocations (预算分配): compute, review, publish, export; and resource ROI. */
export const allocationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/allocations',
      {
        config: { access: 'resources:read' },
        schema: {
          tags: ['resources'],
          summary: 'Budget allocations, newest period first',
          description:
            'dealerCount and visibleAmount count only the dealers the caller sees; pool, allocated and unallocated are the budget’s.',
          querystring: AllocationListQuery,
          response: { 200: z.object({ items: z.array(AllocationSummary) }), ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const items = await withTenant(
          ctx.db,
          tenantId,
          (trx) => listAllocationSummaries(trx, tenantId, scope, request.query),
          { readOnly: true },
        );
        return { items };
      },
    );

    app.post(
      '/allocations',
      {
        config: { access: 'resources:manage' },
        schema: {
          tags: ['resources'],
          summary: 'Compute a draft allocation of a budget pool for a period',
          description:
            'Split the pool across the tiers of the latest assessment published before the period, and within each tier by its rule, with caps, floors, redistribution and the declared adjustments, exact in minor units (docs/resources.md). dryRun: true returns the plan (200) and writes nothing; otherwise the draft is saved (201). Bad input is refused with every problem and its path (e.g. config.tiers, config.dealerLimits[0].cap); nothing is written.',
          body: CreateAllocation,
          response: { 200: AllocationPreview, 201: AllocationDetail, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        if (request.body.dryRun) {
          const preview = await withTenant(
            ctx.db,
            tenantId,
            (trx) => previewAllocation(trx, tenantId, request.body),
            { readOnly: true },
          );
          return reply.status(200).send(preview);
        }
        const detail = await withTenant(ctx.db, tenantId, async (trx) => {
          const id = await createAllocation(trx, tenantId, request.body, origin);
          return allocationDetail(trx, tenantId, { kind: 'tenant' }, id);
        });
        return reply.status(201).send(detail);
      },
    );

    app.get(
      '/allocations/:id',
      {
        config: { access: 'resources:read' },
        schema: {
          tags: ['resources'],
          summary: 'One allocation: summary, method, tier totals, notes, what changed',
          description:
            'Tier totals and notes are figures over every dealer: only whole-tenant callers get them (null / empty for a channel manager). The comparison is with the previous published allocation of the same purpose, over the dealers the caller sees.',
          params: Params,
          response: { 200: AllocationDetail, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => allocationDetail(trx, tenantId, scope, request.params.id),
          { readOnly: true },
        );
      },
    );

    app.get(
      '/allocations/:id/lines',
      {
        config: { access: 'resources:read' },
        schema: {
          tags: ['resources'],
          summary: "An allocation's dealer lines, by tier and amount",
          description:
            'Only the dealers in the caller’s scope; each with its weight, adjustments and their reasons, floor, cap, and the previous allocation’s tier and amount. Cursor pagination.',
          params: Params,
          querystring: AllocationLineQuery,
          response: { 200: AllocationLinePage, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => allocationLines(trx, tenantId, scope, request.params.id, request.query),
          { readOnly: true },
        );
      },
    );

    app.post(
      '/allocations/:id/publish',
      {
        config: { access: 'resources:manage' },
        schema: {
          tags: ['resources'],
          summary: 'Publish a draft: final, one per period and purpose',
          description:
            'Atomically: the status, the ledger records (the allocation and one per dealer), for a market_fund allocation each dealer’s fund, and the audit event. Refused (409) when the period already has a published allocation of the purpose, or when a newer assessment was published since the draft was computed.',
          params: Params,
          response: { 200: AllocationDetail, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        return withTenant(ctx.db, tenantId, (trx) =>
          publishAllocation(trx, tenantId, request.params.id, origin),
        );
      },
    );

    app.post(
      '/allocations/:id/discard',
      {
        config: { access: 'resources:manage' },
        schema: {
          tags: ['resources'],
          summary: 'Discard a draft',
          params: Params,
          response: { 200: AllocationDetail, ...errors },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const origin = originOf(request);
        return withTenant(ctx.db, tenantId, (trx) =>
          discardAllocation(trx, tenantId, request.params.id, origin),
        );
      },
    );

    app.get(
      '/allocations/:id/export',
      {
        config: { access: 'resources:read' },
        schema: {
          tags: ['resources'],
          summary: 'Download an allocation as XLSX (tier totals and dealer lines) or CSV (lines)',
          description:
            'Amounts in major units (e.g. yuan) with two decimals. Only the dealers in the caller’s scope; a caller who sees fewer than every dealer gets tier totals over its own dealers.',
          params: Params,
          querystring: z.object({ format: ExportFormat.default('xlsx') }),
          produces: [EXPORT_TYPES.csv, EXPORT_TYPES.xlsx],
        },
      },
      async (request, reply) => {
        const { tenantId, tenantSlug, scope } = principalOf(request);
        const { format } = request.query;
        const { stream, period, purpose } = await allocationExport(
          ctx.db,
          tenantId,
          scope,
          request.params.id,
          format,
        );
        return reply
          .type(EXPORT_TYPES[format])
          .header(
            'content-disposition',
            `attachment; filename="allocation-${tenantSlug}-${period}-${purpose}-${request.params.id}.${format}"`,
          )
          .send(stream);
      },
    );

    app.get(
      '/resources/roi',
      {
        config: { access: 'resources:read' },
        schema: {
          tags: ['resources'],
          summary:
            'Resource ROI: sales lift per unit of resources, by tier and dealer, period over period',
          description:
            'Over the published allocations whose periods lie in [from, to], every purpose summed. Only the dealers in the caller’s scope count.',
          querystring: RoiQuery,
          response: { 200: ResourceRoi, ...errors },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        return withTenant(
          ctx.db,
          tenantId,
          (trx) => resourceRoi(trx, tenantId, scope, request.query),
          {
            readOnly: true,
          },
        );
      },
    );
  };
