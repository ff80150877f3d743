import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, RegionList, RegionListQuery } from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { requestTenant } from '../http/tenant-context.js';
import { listRegions } from './region.repository.js';

export const regionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/regions',
      {
        schema: {
          tags: ['master data'],
          summary: 'Regions (GB/T 2260 for China), one level at a time',
          querystring: RegionListQuery,
          response: { 200: RegionList, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        const tenant = await requestTenant(ctx.db, request, ctx.defaultTenant);
        return { items: await listRegions(ctx.db, tenant.id, request.query) };
      },
    );
  };
