import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  DealerDetail,
  DealerFacets,
  DealerListQuery,
  DealerPage,
  ErrorBody,
  Id,
} from '@tierline/contract';
import type { AppContext } from '../http/context.js';
import { requestTenant } from '../http/tenant-context.js';
import { dealerFacets, getDealer, listDealers } from './dealer.repository.js';

export const dealerRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/dealers',
      {
        schema: {
          tags: ['dealers'],
          summary: 'List dealers',
          description:
            'Filter, search and sort the dealers of the tenant. Cursor pagination: pass `nextCursor` back as `cursor`.',
          querystring: DealerListQuery,
          response: { 200: DealerPage, 400: ErrorBody },
        },
      },
      async (request) => {
        const tenant = await requestTenant(ctx.db, request, ctx.defaultTenant);
        return listDealers(ctx.db, tenant.id, request.query);
      },
    );

    app.get(
      '/dealers/facets',
      {
        schema: {
          tags: ['dealers'],
          summary: 'Values to filter dealers by',
          response: { 200: DealerFacets },
        },
      },
      async (request) => {
        const tenant = await requestTenant(ctx.db, request, ctx.defaultTenant);
        return dealerFacets(ctx.db, tenant.id);
      },
    );

    app.get(
      '/dealers/:id',
      {
        schema: {
          tags: ['dealers'],
          summary: 'One dealer with its monthly rollups',
          params: z.object({ id: Id }),
          response: { 200: DealerDetail, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        const tenant = await requestTenant(ctx.db, request, ctx.defaultTenant);
        return getDealer(ctx.db, tenant.id, request.params.id);
      },
    );
  };
