import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, RegionList, RegionListQuery } from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { withTenant } from '../db/tenant-scope.js';
import { principalOf } from '../auth/guard.js';
import { listRegions } from './region.repository.js';

export const regionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/regions',
      {
        config: { access: 'master:read' },
        schema: {
          tags: ['master data'],
          summary: 'Regions (GB/T 2260 for China), one level at a time',
          querystring: RegionListQuery,
          response: {
            200: RegionList,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (request) => {
        const { tenantId, scope } = principalOf(request);
        const items = await withTenant(
          ctx.db,
          tenantId,
          (trx) => listRegions(trx, tenantId, scope, request.query),
          { readOnly: true },
        );
        return { items };
      },
    );
  };
